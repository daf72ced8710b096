"""A client that sends what it likes to the web app, over real HTTP on loopback
(gradio_client speaks the page's own protocol): a session id that is a path,
a language model it chooses, a remote file for the server to fetch, a long
upload beside another visitor's question, another visitor's library."""
from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from assistant.config import REPO_ROOT
from conftest import run_app

OPERATOR_KEY = "sk-operator-secret-0123"


class Recorder:
    """A real HTTP server on loopback that notes every request it gets; as the
    operator's model server it answers like an OpenAI-compatible API."""

    def __init__(self, reply: str = "A short answer without citations."):
        self.requests: list[dict] = []
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def _note(self):
                n = int(self.headers.get("content-length") or 0)
                recorder.requests.append({"path": self.path, "auth": self.headers.get("authorization"),
                                          "body": self.rfile.read(n).decode("utf-8", "replace") if n else ""})

            def do_GET(self):  # noqa: N802
                self._note()
                self.send_response(404)
                self.end_headers()

            def do_POST(self):  # noqa: N802
                self._note()
                body = json.dumps({"id": "x", "object": "chat.completion", "created": 0, "model": "fake",
                                   "choices": [{"index": 0, "finish_reason": "stop",
                                                "message": {"role": "assistant", "content": reply}}],
                                   "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}})
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body.encode())

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()


@pytest.fixture(scope="module")
def operator_llm():
    r = Recorder()
    yield r
    r.close()


@pytest.fixture(scope="module")
def app_server(tmp_path_factory, corpus_engine, operator_llm):
    """The app as an operator runs it, with an OpenAI-compatible model of the
    operator's (a recorder on loopback) and its API key in the environment."""
    data = tmp_path_factory.mktemp("hostile-web") / "data"
    env = {"FOI_LLM_BACKEND": "openai", "FOI_LLM_BASE_URL": f"http://127.0.0.1:{operator_llm.port}/v1",
           "FOI_LLM_API_KEY": OPERATOR_KEY, "FOI_LLM_MODEL": "operator-model"}
    with run_app(data, corpus_engine.settings.data_dir, env) as (base, log):
        yield {"url": base + "/", "data": data, "log": log}


def client(app_server, session_hash: str | None = None):
    from gradio_client import Client

    c = Client(app_server["url"], verbose=False, download_files=False)
    if session_hash is not None:
        c.session_hash = session_hash
    return c


def visitor(app_server) -> tuple:
    """A client and the token its browser would have been given."""
    c = client(app_server)
    token = c.predict(None, api_name="/on_load")
    token = token[0] if isinstance(token, (list, tuple)) else token
    assert isinstance(token, str) and len(token) > 20
    return c, token


def ask(c, token: str, question: str, mode: str = "requester") -> str:
    c.predict(question, "auto", mode, api_name="/on_send")
    out = c.predict(mode, token, api_name="/on_respond")
    chat = out[0]
    return chat[-1]["content"] if chat else ""


def test_a_session_id_cannot_write_outside_the_data_directory(app_server):
    """Item 7: the download folder is a hash of the session id, inside the data directory."""
    data = app_server["data"]
    for hostile in ("../../escape-rel", str(data.parent / "escape-abs"), "..", "/"):
        out = client(app_server, hostile).predict("Dear requester, a draft.", api_name="/on_draft_change")
        paths = [Path(p["path"] if isinstance(p, dict) else p) for p in out if p]
        assert paths
        for p in paths:
            assert p.name.startswith("draft-response")
    assert not (data.parent / "escape-abs").exists() and not (data.parent.parent / "escape-rel").exists()
    made = [p for p in (data / "downloads").iterdir()]
    assert made and all(len(p.name) == 32 and all(ch in "0123456789abcdef" for ch in p.name) for p in made)


def test_a_visitor_cannot_send_the_operators_key_elsewhere(app_server, operator_llm):
    """Item 8: no model URL or name is taken from a visitor; the key goes only to the operator's server."""
    visitors_server = Recorder()
    try:
        config = json.load(urllib.request.urlopen(app_server["url"] + "config", timeout=10))
        labels = [str((c.get("props") or {}).get("label") or "") for c in config["components"]]
        assert not any("url" in lab.lower() for lab in labels), labels
        c, token = visitor(app_server)
        # a model the operator did not configure is refused (by the page's choices, or by the server)
        try:
            status = c.predict("ollama", 5, ["legislation", "guidance", "response"], "", api_name="/on_apply")
        except Exception as e:
            status = f"Not applied: {e}"
        assert "Not applied" in str(status)
        # an extra argument (a URL of the visitor's) has nowhere to go: the server takes no URL
        try:
            status = c.predict("openai", 5, ["legislation", "guidance", "response"], "",
                               f"http://127.0.0.1:{visitors_server.port}/v1", api_name="/on_apply")
        except Exception:           # refused outright is as good
            status = c.predict("openai", 5, ["legislation", "guidance", "response"], "", api_name="/on_apply")
        assert "Applied" in str(status)
        before = len(operator_llm.requests)
        reply = ask(c, token, "what does section 31(3) mean?")
        assert reply
        assert len(operator_llm.requests) > before
        assert all(r["auth"] == f"Bearer {OPERATOR_KEY}" for r in operator_llm.requests[before:])
        assert visitors_server.requests == []
    finally:
        visitors_server.close()


def test_the_file_route_does_not_fetch_remote_urls(app_server):
    """Item 9: 403 from this app, before anything connects out."""
    target = Recorder()
    try:
        base = app_server["url"] + "gradio_api/file="
        for url in (f"http://127.0.0.1:{target.port}/x", "http://203.0.113.7/x.png", "https://example.com/a.pdf",
                    "HTTP://example.com/a", "http%3A%2F%2Fexample.com%2Fa", "//example.com/a", "ftp://example.com/a"):
            with pytest.raises(urllib.error.HTTPError) as got:
                urllib.request.urlopen(base + url, timeout=10)
            assert got.value.code == 403, url
            assert b"does not fetch remote files" in got.value.read(), url
        assert target.requests == []
    finally:
        target.close()


def test_a_long_upload_does_not_hold_up_another_visitors_question(app_server, tmp_path):
    """Item 10: an upload runs in its own lane; a question is answered meanwhile."""
    from gradio_client import handle_file

    big = tmp_path / "big-disclosure-log.md"
    big.write_text("# Disclosure log\n\n" + "\n\n".join(
        f"## Request {i}\n\nThe council was asked for its spending on agency staff in year {i} and released "
        f"the totals by department; names of individual agency workers were withheld under section 40(2)." for i in range(1500)))
    uploader, up_token = visitor(app_server)
    asker, ask_token = visitor(app_server)
    done = {}

    def upload():
        uploader.predict([handle_file(str(big))], "", up_token, api_name="/on_add")
        done["upload"] = time.monotonic()

    t = threading.Thread(target=upload)
    t.start()
    uploads = app_server["data"] / "uploads"
    deadline = time.monotonic() + 60
    while not list(uploads.rglob(big.name)):   # the server has taken the file and begun to index it
        assert time.monotonic() < deadline and t.is_alive(), "the upload never started"
        time.sleep(0.1)
    time.sleep(1)
    reply = ask(asker, ask_token, "how long does an authority have to answer a request?")
    answered = time.monotonic()
    t.join(timeout=600)
    assert reply and "done" not in reply
    assert "upload" in done and answered < done["upload"], "the question waited for the upload"


def test_uploads_belong_to_the_visitor_who_made_them(app_server, tmp_path):
    """Item 11: another visitor cannot list, quote or remove them; removal asks first."""
    from gradio_client import handle_file

    note = tmp_path / "zebra-crossing-note.md"
    note.write_text("# Zebra crossing survey note\n\nThe zebra crossing survey for Quarry Lane counted 412 "
                    "pedestrians; the council disclosed it under the Freedom of Information Act.\n")
    a, ta = visitor(app_server)
    b, tb = visitor(app_server)
    a.predict([handle_file(str(note))], "", ta, api_name="/on_add")
    listed_a = str(a.predict("zebra crossing", ta, api_name="/on_filter"))
    listed_b = str(b.predict("zebra crossing", tb, api_name="/on_filter"))
    assert "Zebra crossing survey note" in listed_a
    assert "Zebra crossing survey note" not in listed_b
    assert "Quarry Lane" not in ask(b, tb, "what did the zebra crossing survey for Quarry Lane count?")

    docs = json.loads(subprocess.run([sys.executable, "-m", "assistant", "--data-dir", str(app_server["data"]),
                                      "library", "list", "--json"], cwd=REPO_ROOT, capture_output=True,
                                     text=True, check=True).stdout)
    doc_id = next(d["doc_id"] for d in docs if d["title"] == "Zebra crossing survey note")
    refused = b.predict(doc_id, tb, api_name="/on_remove")
    assert "Not removed" in str(refused)
    refused = a.predict("s17", ta, api_name="/on_remove")
    assert "Not removed" in str(refused) and "built-in" in str(refused)
    asked = a.predict(doc_id, ta, api_name="/on_remove")
    assert "Remove" in str(asked)                     # step one asks to confirm; nothing removed yet
    assert "Zebra crossing survey note" in str(a.predict("zebra crossing", ta, api_name="/on_filter"))
    a.predict("", ta, api_name="/on_confirm")
    assert "Zebra crossing survey note" not in str(a.predict("zebra crossing", ta, api_name="/on_filter"))
