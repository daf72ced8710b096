"""Ingest benchmark: end-to-end engine.ingest on a generated corpus into a
fresh data directory, timed stage by stage (the stages are wrapped, not
re-run), then the BM25 build that the first query triggers, then the
embedding model alone on the same chunk texts, for the ratio."""
from __future__ import annotations

import shutil
import time
from pathlib import Path

from .measure import Stages, cpu_seconds, peak_rss_mb, reset_peak_rss, rss_mb

# stage names, in pipeline order, as they appear in the report
PARSE, CHUNK, CHECK, EMBED, WRITE = "parse", "chunk", "store_read", "embed", "chroma_write"
READ_BACK, BM25_INDEX, TABLE, BM25_SAVE = "chroma_read_back", "bm25_index", "table_build", "cache_save"
STAGE_ORDER = (PARSE, CHUNK, CHECK, EMBED, WRITE, READ_BACK, BM25_INDEX, TABLE, BM25_SAVE)
EDIT_SHARE = 0.02               # files given a new section for the re-ingest test
EDIT_MIN_FILES = 2


def ingest_targets(engine) -> list[tuple]:
    """What to wrap: (object, attribute, stage, argument to capture)."""
    from assistant.ingest import pipeline
    from assistant.store import bm25, index, table

    store = engine.index.store
    return [
        (pipeline, "load_file", PARSE, None),
        (pipeline, "chunk_document", CHUNK, None),
        (store, "source_state", CHECK, None),
        (store, "source_states", CHECK, None),
        (engine.index.embedder, "encode", EMBED, 0),
        (store, "add", WRITE, None),
        (store, "add_many", WRITE + "?", None),      # stages that only some versions have
        (store, "vectors", CHECK + "?", None),
        (store, "refresh", WRITE, None),
        (store, "doc_sources", CHECK + "?", None),
        (store, "delete_ids", WRITE, None),
        (store, "iter_all", READ_BACK, None),
        (index.Index, "generation", READ_BACK, None),
        (bm25.BM25Index, "__init__", BM25_INDEX, None),
        (table.ChunkTable, "__init__", TABLE, None),
        (bm25.BM25Index, "save_with", BM25_SAVE, None),
    ]


def _breakdown(stages: Stages, total: float) -> dict:
    rows = {name: round(stages.seconds.get(name, 0.0), 3) for name in STAGE_ORDER}
    rows["other"] = round(max(0.0, total - stages.total()), 3)
    return {"seconds": rows, "calls": dict(stages.calls),
            "share": {k: round(v / total, 3) if total else 0.0 for k, v in rows.items()},
            "not_instrumented": stages.missing}


def run_ingest(engine, corpus_root: Path) -> dict:
    """Ingest into the engine's (fresh) store, then build BM25; returns figures and the chunk texts."""
    stages = Stages()
    with stages.patched(ingest_targets(engine)):
        reset_peak_rss()
        rss_before = rss_mb()
        cpu_start = cpu_seconds()
        start = time.perf_counter()
        report = engine.ingest([corpus_root], show_bar=False)
        ingest_s = time.perf_counter() - start
        peak_ingest = peak_rss_mb()
        start = time.perf_counter()
        _ = engine.index.bm25          # the first query would do this: read back, tokenise, index, pickle
        bm25_s = time.perf_counter() - start
        cpu_s = cpu_seconds() - cpu_start
        peak_total = peak_rss_mb()
    chunks = engine.index.count()
    total = ingest_s + bm25_s
    texts = stages.captured.get(EMBED, [])
    stages.captured.clear()
    return {
        "files": len(report.added) + len(report.skipped), "failed": len(report.failed),
        "chunks_added": report.chunks_added, "chunks": chunks,
        "ingest_s": round(ingest_s, 3), "bm25_build_s": round(bm25_s, 3), "total_s": round(total, 3),
        "chunks_per_s": round(chunks / total, 2) if total else None,
        "chunks_per_s_ingest_only": round(chunks / ingest_s, 2) if ingest_s else None,
        "cpu_s": round(cpu_s, 3), "chunks_per_cpu_s": round(chunks / cpu_s, 2) if cpu_s else None,
        "embed_calls": stages.calls.get(EMBED, 0),
        "rss_before_mb": rss_before, "peak_rss_ingest_mb": peak_ingest, "peak_rss_mb": peak_total,
        "rss_after_mb": rss_mb(),
        "breakdown": _breakdown(stages, total),
    }, texts


def encode_only(embedder, texts: list[str], batch_size: int) -> dict:
    """The model alone on the same texts, one call, the same batch size."""
    cpu_start = cpu_seconds()
    start = time.perf_counter()
    embedder.encode(texts, batch_size=batch_size)
    seconds = time.perf_counter() - start
    cpu_s = cpu_seconds() - cpu_start
    return {"texts": len(texts), "batch_size": batch_size, "seconds": round(seconds, 3),
            "chunks_per_s": round(len(texts) / seconds, 2) if seconds else None,
            "cpu_s": round(cpu_s, 3), "chunks_per_cpu_s": round(len(texts) / cpu_s, 2) if cpu_s else None}


def _chunk_texts(path: Path, settings) -> set[str]:
    from assistant.ingest.chunking import chunk_document
    from assistant.ingest.loaders import load_file

    return {c.text for d in load_file(path) for c in chunk_document(d, settings)}


def _add_section(path: Path) -> bool:
    """Insert a new section near the top of a letter (shifts later chunks' positions)."""
    text = path.read_text(encoding="utf-8")
    para = ("This request was transferred from another team and the time taken to transfer it has been "
            "disregarded in calculating the response date. We apologise for any inconvenience this has caused "
            "and have reviewed our procedures for routing requests to make sure it does not happen again.")
    marker = "\n\n## " if path.suffix == ".md" else "\n\n"
    cut = text.find(marker, text.find("Dear "))
    if cut < 0:
        return False
    heading = "## Background" if path.suffix == ".md" else "Background"
    path.write_text(f"{text[:cut]}\n\n{heading}\n\n{para}{text[cut:]}", encoding="utf-8")
    return True


def run_reingest(engine, corpus_root: Path, files: list[Path]) -> dict:
    """Unchanged re-run (all skipped), then a few letters given one new section near the top."""
    start = time.perf_counter()
    unchanged = engine.ingest([corpus_root], show_bar=False)
    unchanged_s = time.perf_counter() - start
    letters = [f for f in files if "letters" in f.parts]
    n_edit = max(EDIT_MIN_FILES, int(len(letters) * EDIT_SHARE))
    chosen = letters[:: max(1, len(letters) // n_edit)][:n_edit]
    before = {f: _chunk_texts(f, engine.settings) for f in chosen}
    edited = [f for f in chosen if _add_section(f)]
    new_text = sum(len(_chunk_texts(f, engine.settings) - before[f]) for f in edited)
    stages = Stages()
    with stages.patched([(engine.index.embedder, "encode", EMBED, 0)]):
        start = time.perf_counter()
        report = engine.ingest(edited, show_bar=False)
        edit_s = time.perf_counter() - start
    return {"unchanged_s": round(unchanged_s, 3), "unchanged_skipped": len(unchanged.skipped),
            "edited_files": len(edited), "edit_s": round(edit_s, 3),
            "chunks_reembedded": len(stages.captured.get(EMBED, [])),
            "chunks_new_text": new_text,      # chunks whose text differs from every chunk before
            "chunks_removed": report.chunks_removed}


def fresh_dir(path: Path) -> Path:
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    return path
