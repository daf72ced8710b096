"""Nothing a document holds is lost: long unbroken text, a killed ingest, a
prune of a folder whose name is a prefix of another's, a source of more
chunks than SQLite takes variables in one query."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from assistant.config import REPO_ROOT, Settings
from assistant.engine import Engine
from assistant.ingest.chunking import chunk_document
from assistant.ingest.loaders import load_file
from assistant.ingest.pipeline import source_key
from assistant.store.index import Index
from assistant.types import Chunk

from .conftest import assert_consistent


def _all_text(engine) -> str:
    return "\n".join(c.text for c in engine.index.chunks.values())


def test_a_register_without_full_stops_is_indexed_whole(empty_engine, tmp_path):
    """Item 1: 300 lines, no sentence ends, one paragraph: every line reaches a chunk."""
    lines = [f"REG-{i:04d} | Contract {i} | Supplier Number{i} Ltd | value {i * 137} pounds | status open"
             for i in range(300)]
    blob = "A" * 5000                                          # one 'word' longer than a chunk
    f = tmp_path / "register.txt"
    f.write_text("Contracts register\n\n" + "\n".join(lines) + "\n\n" + blob + "\n")
    report = empty_engine.ingest([f])
    assert not report.failed
    text = _all_text(empty_engine)
    missing = [ln for ln in lines if ln not in text]
    assert not missing, f"{len(missing)} of 300 lines never reached a chunk, e.g. {missing[:2]}"
    assert "".join(c.text for c in empty_engine.index.chunks.values()).count("A") >= 5000
    assert all(len(c.text) <= empty_engine.settings.chunk_max_chars + 200 for c in empty_engine.index.chunks.values())
    assert_consistent(empty_engine)


def _queued_rows(db: Path) -> int:
    """Rows Chroma has committed so far (read beside the writer, read-only)."""
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.05)
        try:
            return con.execute("select count(*) from embeddings_queue").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return 0


def test_a_killed_ingest_is_completed_by_the_next_run(tmp_path, embedder):
    """Item 2: kill -9 a real ingest while its first batch of writes is landing
    (500 of about 1,100 rows, crossing file boundaries); the next run must
    finish every file."""
    folder = tmp_path / "log"
    folder.mkdir()
    for i in range(12):
        paras = [f"## Response {i}-{j}\n\nThe council was asked about contract {i}-{j} and released the figures "
                 f"for that year; the supplier's unit rates were withheld under section 43(2) because "
                 f"publishing them would harm its position in the next tender round {i * 1000 + j}."
                 for j in range(100)]
        (folder / f"reply-{i:02d}.md").write_text(f"# Replies {i}\n\n" + "\n\n".join(paras))
    data = tmp_path / "data"
    db = data / "chroma" / "chroma.sqlite3"
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen([sys.executable, "-m", "assistant", "--data-dir", str(data), "ingest", str(folder)],
                            cwd=REPO_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    landed = 0
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and proc.poll() is None:
        landed = _queued_rows(db) if db.exists() else 0
        if landed:
            break
        time.sleep(0.01)
    assert proc.poll() is None, "the ingest finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()

    settings = Settings.load(data_dir=data)
    expected = {source_key(f): len(chunk_document(load_file(f)[0], settings)) for f in sorted(folder.iterdir())}
    total = sum(expected.values())
    assert 0 < landed < total, f"killed with {landed} of {total} rows written"

    rerun = subprocess.run([sys.executable, "-m", "assistant", "--data-dir", str(data), "ingest", str(folder)],
                           cwd=REPO_ROOT, capture_output=True, text=True, env=env, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    engine = Engine(settings, index=Index(settings, embedder))
    states = engine.index.store.source_states()
    got = {s: len(v) for s, v in states.items()}
    assert got == expected, {s: (got.get(s), n) for s, n in expected.items() if got.get(s) != n}
    assert_consistent(engine)


def test_prune_compares_whole_path_components(empty_engine, tmp_path):
    """Item 3: pruning inputs/small5 leaves inputs/small500 alone."""
    small5, small500 = tmp_path / "inputs" / "small5", tmp_path / "inputs" / "small500"
    for d in (small5, small500):
        d.mkdir(parents=True)
        (d / "a.txt").write_text(f"A note in {d.name} about section 40(2) and third-party personal data.")
    empty_engine.ingest([small5, small500])
    (small5 / "a.txt").unlink()
    report = empty_engine.ingest([small5], prune=True)
    assert report.removed == [source_key(small5 / "a.txt")]
    assert source_key(small500 / "a.txt") in empty_engine.index.store.all_sources()
    assert_consistent(empty_engine)


def test_build_index_keeps_a_folder_named_like_the_corpus(tmp_path, embedder):
    """Item 3: build_index (run at every start) prunes corpus/, not corpus-local/."""
    corpus, local = tmp_path / "corpus", tmp_path / "corpus-local"
    for d in (corpus, local):
        d.mkdir()
        (d / "note.md").write_text(f"# Note in {d.name}\n\nSection 43(2) covers commercial interests. " * 5)
    settings = Settings.load(data_dir=tmp_path / "data", corpus_dir=corpus)
    engine = Engine(settings, index=Index(settings, embedder))
    engine.ingest([local])
    report = engine.build_index(show_bar=False)
    assert not report.removed
    assert source_key(local / "note.md") in engine.index.store.all_sources()
    assert_consistent(engine)


def test_a_source_of_more_chunks_than_sqlite_variables(tmp_path, embedder):
    """Item 4: a source with 33,000 chunks (a 50 MB text file's worth) can be
    read back, re-checked and removed: every read is paged."""
    settings = Settings.load(data_dir=tmp_path / "data")
    store = Index(settings, embedder).store
    n = 33_000
    source = str(tmp_path / "huge.txt")
    rng = np.random.default_rng(0)
    chunks = [Chunk(chunk_id=f"huge::{i}::{i:012x}", doc_id="huge", title="Huge", kind="guidance", text=f"t{i}")
              for i in range(n)]
    vectors = rng.standard_normal((n, 8)).astype(np.float32)
    for start in range(0, n, 5000):
        store.add(chunks[start:start + 5000], vectors[start:start + 5000], source, "h", n)
    state = store.source_state(source)
    assert len(state) == n and set(state.values()) == {("h", n)}
    assert store.doc_sources(["huge"]) == {"huge": {source}}
    assert store.delete_where({"source": source}) == n
    assert store.count() == 0
