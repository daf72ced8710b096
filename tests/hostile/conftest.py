"""The hostile-input suite: each test feeds the project something a careless
or malicious user would, then checks that nothing was lost or reached.

`assert_consistent(engine)` is the invariant every test ends with: chunk ids
unique, the store and the in-memory table in step, every source's chunks one
complete version, and the built-in law still found under its own ids."""
from __future__ import annotations

import pytest

from assistant.config import Settings
from assistant.engine import Engine
from assistant.store.index import Index

BUILTIN_DOCS = ("s17", "s40", "ncnd", "s12")


def assert_consistent(engine: Engine) -> None:
    engine.index.refresh()
    problems = engine.index.consistency()
    assert not problems, problems
    for doc_id in BUILTIN_DOCS:
        chunks = engine.index.by_doc(doc_id)
        if chunks or engine.index.by_doc("s17"):       # an engine with the built-in corpus
            assert chunks, f"built-in document {doc_id} is gone"
            assert all(c.meta.get("origin") == "builtin" for c in chunks), f"{doc_id} holds chunks of a user's file"


@pytest.fixture(scope="module")
def builtin_engine(tmp_path_factory, embedder) -> Engine:
    """An engine of its own over the built-in law and guidance (precedents aside), so a
    hostile test may write to it without touching the index other tests share. (A copy
    of another index's Chroma folder will not do: in one process, Chroma keeps its
    vector segments by id, and a copy has the same ids as its original.)"""
    settings = Settings.load(data_dir=tmp_path_factory.mktemp("hostile-index"))
    engine = Engine(settings, index=Index(settings, embedder))
    corpus = settings.corpus_dir
    report = engine.ingest([corpus / "exemptions", corpus / "procedure", corpus / "guidance"])
    assert not report.failed, report.failed
    assert_consistent(engine)
    return engine
