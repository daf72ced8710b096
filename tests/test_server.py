"""The same store code against a real Chroma server on loopback."""
import sys
from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.engine import Engine
from assistant.store.index import Index
from conftest import free_port, make_pdf, start_server

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory):
    port = free_port()
    chroma = Path(sys.executable).parent / "chroma"
    tmp = tmp_path_factory.mktemp("chroma-server")
    proc = start_server([str(chroma), "run", "--path", str(tmp / "db"), "--host", "127.0.0.1", "--port", str(port)],
                        port, tmp / "server.log", 60, env={"ANONYMIZED_TELEMETRY": "False", "PATH": "/usr/bin:/bin"})
    yield port
    proc.terminate()
    proc.wait(timeout=20)


def test_ingest_and_query_through_a_server(chroma_server, tmp_path, embedder):
    settings = Settings.load(data_dir=tmp_path / "data", chroma_host="127.0.0.1", chroma_port=chroma_server)
    engine = Engine(settings, index=Index(settings, embedder))
    pdf = make_pdf(tmp_path / "reply.pdf", [
        "Our ref: 2024/991", "We can neither confirm nor deny whether we hold information about covert cameras, "
        "relying on section 24(2) and section 31(3); confirming or denying would reveal police capability."])
    (tmp_path / "other.txt").write_text("Dear requester, the council withholds the tender prices under section 43(2).")
    report = engine.ingest([pdf, tmp_path / "other.txt"])
    assert not report.failed and engine.index.count() >= 2
    assert not settings.chroma_dir.exists()          # nothing written to the embedded store
    hits = engine.search("covert cameras neither confirm nor deny", k=2)
    assert hits[0].chunk.sections[:2] == ["s24(2)", "s31(3)"]
    again = engine.ingest([pdf, tmp_path / "other.txt"])
    assert len(again.skipped) == 2 and engine.index.count() == report.chunks_added
