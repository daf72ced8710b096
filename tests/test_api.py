"""The REST API and the MCP tools over real HTTP on loopback: the app as an
operator runs it (one process: API, MCP and web page), with a bearer token."""
from __future__ import annotations

import asyncio
import json
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from conftest import make_pdf, run_app

TOKEN = "test-token-8c1f"
LETTER = ("Dear requester,\n\nWe withhold the contract prices under section 43(2) because disclosure would be "
          "likely to prejudice the supplier's commercial interests. We considered the public interest.\n\n"
          "You may ask for an internal review, and complain to the Information Commissioner.\n")


@pytest.fixture(scope="module")
def api(tmp_path_factory, corpus_engine):
    data = tmp_path_factory.mktemp("api") / "data"
    with run_app(data, corpus_engine.settings.data_dir, {"FOI_API_TOKEN": TOKEN, "FOI_API_MAX_UPLOAD_MB": "1"}) as (base, log):
        yield {"base": base, "data": data, "log": log}


def call(api, method: str, path: str, body=None, *, token: str | None = TOKEN, files=None, timeout=120):
    """(status, JSON) of one request; files: [(field, filename, bytes)] sent as multipart."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    data = None
    if files:
        boundary = "----foitest7d2"
        parts = []
        for field, name, content in files:
            parts.append(f"--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{name}\"\r\n"
                         "Content-Type: application/octet-stream\r\n\r\n".encode() + content + b"\r\n")
        data = b"".join(parts) + f"--{boundary}--\r\n".encode()
        headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
    elif body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    req = urllib.request.Request(api["base"] + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, json.loads(r.read() or b"{}")
    except urllib.error.HTTPError as e:
        raw = e.read()
        try:
            return e.code, json.loads(raw)
        except json.JSONDecodeError:
            return e.code, {"raw": raw.decode("utf-8", "replace")}


def test_health_is_open_and_the_rest_needs_the_token(api):
    status, out = call(api, "GET", "/api/health", token=None)
    assert status == 200 and out["status"] == "ok" and out["documents"] > 50 and out["answers"] >= 200
    status, out = call(api, "POST", "/api/draft", {"request": "x"}, token=None)
    assert status == 401 and "Bearer" in out["detail"]
    status, out = call(api, "POST", "/api/draft", {"request": "x"}, token="wrong")
    assert status == 401


def test_explain_text_and_file(api, tmp_path):
    status, out = call(api, "POST", "/api/explain", {"text": LETTER})
    assert status == 200 and out["sections"][0]["section"] == "s43(2)"
    assert set(out) >= {"sections", "checks", "next_steps", "answer", "letter", "citations"}
    status, out = call(api, "POST", "/api/explain", {"text": "   "})
    assert status == 400 and out["detail"] == "the letter is empty"
    pdf = make_pdf(tmp_path / "refusal.pdf", LETTER.split("\n\n"))
    status, out = call(api, "POST", "/api/explain/file", files=[("file", "refusal.pdf", pdf.read_bytes())])
    assert status == 200 and "s43(2)" in {s["section"] for s in out["sections"]}
    status, out = call(api, "POST", "/api/explain/file", files=[("file", "tool.exe", b"MZ\x90\x00")])
    assert status == 415 and "unsupported file type" in out["detail"]
    status, out = call(api, "POST", "/api/explain/file", files=[("file", "big.txt", b"a" * (1024 * 1024 + 10))])
    assert status == 413 and "the limit is 1 MB" in out["detail"]
    status, out = call(api, "POST", "/api/explain/file", files=[("file", "bad.pdf", b"%PDF-1.4 junk")])
    assert status == 400 and "bad.pdf" in out["detail"]
    status, out = call(api, "POST", "/api/explain", {"txt": LETTER})
    assert status == 422 and "text" in out["detail"] and "Traceback" not in json.dumps(out)


def test_draft_ask_search_and_ingest(api, tmp_path):
    status, out = call(api, "POST", "/api/draft", {"request": "Copies of the legal advice the council received about "
                                                              "the new leisure centre", "authority": "Eastshire Council"})
    assert status == 200 and out["suggestions"] and len(out["ranking"]) == 5 and out["draft"]
    assert "consistency" in out and "items" in out
    status, out = call(api, "POST", "/api/draft", {"request": ""})
    assert status == 400 and "empty" in out["detail"]

    status, first = call(api, "POST", "/api/ask", {"question": "how long does a council have to answer my request?"})
    assert status == 200 and "20 working days" in first["answer"] and first["topic"]
    cid = first["conversation_id"]
    status, follow = call(api, "POST", "/api/ask", {"question": "and if they are late?", "conversation_id": cid})
    assert status == 200 and follow["conversation_id"] == cid and follow["answer"]
    status, out = call(api, "POST", "/api/ask", {"question": "hi", "conversation_id": "nope"})
    assert status == 404

    status, out = call(api, "GET", "/api/search?q=covert+surveillance&k=3")
    assert status == 200 and len(out["results"]) == 3
    status, out = call(api, "GET", "/api/search?q=cctv&k=0")
    assert status == 422 and "k" in out["detail"]

    note = b"Quarry Lane zebra crossing survey: the council counted 412 pedestrians and released the figures."
    status, out = call(api, "POST", "/api/ingest", files=[("files", "survey-note.txt", note)])
    assert status == 200 and out["added"] and out["chunks_added"] >= 1
    status, out = call(api, "GET", "/api/search?q=Quarry+Lane+zebra+crossing+survey&k=3")
    assert any("Quarry Lane" in r["text"] for r in out["results"])


def test_docs_and_openapi(api):
    with urllib.request.urlopen(api["base"] + "/docs", timeout=10) as r:
        assert r.status == 200 and b"swagger" in r.read().lower()
    with urllib.request.urlopen(api["base"] + "/openapi.json", timeout=10) as r:
        paths = json.loads(r.read())["paths"]
    assert {"/api/explain", "/api/explain/file", "/api/draft", "/api/ask", "/api/search", "/api/ingest",
            "/api/health"} <= set(paths)


def test_twenty_concurrent_clients_are_all_answered(api):
    jobs = [("POST", "/api/ask", {"question": q}) for q in ("what is the cost limit for a council?",
                                                            "what does section 31(3) mean?",
                                                            "can I get my own personal data under FOI?",
                                                            "how do I ask for an internal review?")] * 3
    jobs += [("GET", "/api/search?q=legal+advice+privilege&k=5", None)] * 4
    jobs += [("POST", "/api/draft", {"request": "The salaries of the council's senior managers"})] * 2
    jobs += [("POST", "/api/explain", {"text": LETTER})] * 2
    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(lambda j: call(api, j[0], j[1], j[2], timeout=300), jobs))
    assert len(results) == 20 and all(status == 200 for status, _ in results), [s for s, _ in results]


def test_mcp_tools_through_a_real_client_session(api):
    import httpx2
    from mcp import ClientSession
    from mcp.client.streamable_http import streamable_http_client

    async def run():
        async with httpx2.AsyncClient(headers={"Authorization": f"Bearer {TOKEN}"}, timeout=120) as http:
            async with streamable_http_client(api["base"] + "/mcp/", http_client=http) as streams:
                read, write = streams[0], streams[1]
                async with ClientSession(read, write) as session:
                    await session.initialize()
                    tools = await session.list_tools()
                    result = await session.call_tool("search", {"query": "neither confirm nor deny", "k": 2})
                    return [t.name for t in tools.tools], result

    names, result = asyncio.run(run())
    assert {"explain", "draft", "ask", "search"} <= set(names)
    text = json.dumps(result.structured_content) if result.structured_content else " ".join(
        getattr(c, "text", "") for c in result.content)
    assert "results" in text and not result.is_error
