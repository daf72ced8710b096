"""Shared fixtures: real Chroma, the real bundled embeddings, PDFs made here."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from assistant.config import REPO_ROOT, Settings  # noqa: E402
from assistant.engine import Engine  # noqa: E402
from assistant.store.embedder import Embedder  # noqa: E402

SEED = REPO_ROOT.parent / "shared" / "seed" / "south-yorkshire-police-foi-23.009862.txt"
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    return Embedder(Settings.load())


@pytest.fixture(scope="session")
def corpus_engine(tmp_path_factory, embedder) -> Engine:
    """The built-in corpus, indexed once for the session."""
    from assistant.store.index import Index

    settings = Settings.load(data_dir=tmp_path_factory.mktemp("corpus-index"))
    engine = Engine(settings, index=Index(settings, embedder))
    report = engine.build_index(show_bar=False)
    assert not report.failed, report.failed
    return engine


@pytest.fixture
def empty_engine(tmp_path, embedder) -> Engine:
    from assistant.store.index import Index

    settings = Settings.load(data_dir=tmp_path / "data")
    return Engine(settings, index=Index(settings, embedder))


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(args: list[str], port: int, log: Path, seconds: float, env: dict | None = None):
    """Start a server we own, its output going to a log file (a pipe nobody reads
    would fill and stall it), and wait until it answers on loopback."""
    import socket
    import subprocess
    import time

    with log.open("wb") as out:
        proc = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, env=env)
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return proc
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError(log.read_text(errors="replace")[-2000:])
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError(f"nothing answered on port {port} within {seconds} s:\n{log.read_text(errors='replace')[-2000:]}")


def make_pdf(path: Path, paragraphs: list[str]) -> Path:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for p in paragraphs:
        pdf.multi_cell(0, 6, p)
        pdf.ln(3)
    pdf.output(str(path))
    return path


@pytest.fixture
def seed_letter() -> str:
    """The seed reply when the shared folder is present, else our own fixture in its genre."""
    if SEED.exists():
        return SEED.read_text(encoding="utf-8")
    return (FIXTURES / "ncnd-letter.txt").read_text(encoding="utf-8")


def run_app(data_dir: Path, source_data: Path | None = None, env: dict | None = None, seconds: float = 180):
    """The app as an operator runs it (python app.py --host --port --data-dir) on loopback,
    on a copy of an index already built (so it starts without embedding and training
    again); a context manager yielding (base URL, log path); stopped on exit."""
    import contextlib
    import shutil
    import subprocess
    import sys
    import time
    import urllib.request

    @contextlib.contextmanager
    def running():
        if source_data is not None:
            shutil.copytree(source_data, data_dir)
        port = free_port()
        log = data_dir.parent / f"server-{port}.log"
        full_env = dict(os.environ, GRADIO_ANALYTICS_ENABLED="False", PYTHONUNBUFFERED="1", **(env or {}))
        with log.open("w") as out:
            proc = subprocess.Popen([sys.executable, "app.py", "--host", "127.0.0.1", "--port", str(port),
                                     "--data-dir", str(data_dir)], cwd=REPO_ROOT, stdout=out,
                                    stderr=subprocess.STDOUT, env=full_env)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + seconds
        try:
            while True:
                try:
                    with urllib.request.urlopen(base + "/api/health", timeout=5) as r:
                        if r.status == 200:
                            break
                except OSError:
                    pass
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"the app did not start:\n{log.read_text(errors='replace')[-3000:]}")
                time.sleep(0.5)
            yield base, log
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)

    return running()
