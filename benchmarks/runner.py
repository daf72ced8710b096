"""The benchmark run: one shared embedder, each size in turn, then
bench.json and bench.md. `main(argv)` is the entry point for
`python -m benchmarks` and for tests that want to call it in-process."""
from __future__ import annotations

import json
import os
import platform
import shutil
import sys
import time
from importlib import metadata

from .measure import load_average, peak_rss_mb, rss_mb
from .options import BenchOptions, parse
from .report import markdown_report
from .size_run import run_size

PACKAGES = ("chromadb", "torch", "sentence-transformers", "bm25s", "langchain-core", "langchain-chroma", "numpy")


def say(line: str) -> None:
    print(line, flush=True)


def environment() -> dict:
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return {"python": sys.version.split()[0], "platform": platform.platform(), "cpus": os.cpu_count(),
            "load_average_start": load_average(), "packages": versions}


def run(opts: BenchOptions) -> dict:
    from assistant.config import Settings
    from assistant.store.embedder import Embedder

    begin = time.perf_counter()
    opts.out.mkdir(parents=True, exist_ok=True)
    settings = Settings.load()
    embedder = Embedder(settings)
    t = time.perf_counter()
    embedder.encode(["warm up"])
    model_load_s = time.perf_counter() - t
    say(f"model loaded in {model_load_s:.2f}s (RSS {rss_mb()} MB); sizes {list(opts.sizes)}")
    result = {
        "options": {"sizes": list(opts.sizes), "seed": opts.seed, "server": opts.server, "quick": opts.quick,
                    "queries_per_kind": opts.queries, "warmup": opts.warmup, "langchain": opts.langchain,
                    "encode_sample": opts.encode_sample},
        "settings": {"embed_batch_size": settings.embed_batch_size, "chunk_max_chars": settings.chunk_max_chars,
                     "chunk_min_chars": settings.chunk_min_chars, "top_k": settings.top_k,
                     "candidates": settings.candidates},
        "environment": environment(), "model_load_s": round(model_load_s, 3), "sizes": [],
    }
    try:
        for size in opts.sizes:
            result["sizes"].append(run_size(size, opts, embedder, say))
    finally:
        if not opts.keep:
            shutil.rmtree(opts.work_dir, ignore_errors=True)
    result["environment"]["load_average_end"] = load_average()
    result["peak_rss_mb_process"] = peak_rss_mb()
    result["wall_s"] = round(time.perf_counter() - begin, 2)
    return result


def write(result: dict, opts: BenchOptions) -> str:
    (opts.out / "bench.json").write_text(json.dumps(result, indent=2, default=str), encoding="utf-8")
    md = markdown_report(result)
    (opts.out / "bench.md").write_text(md, encoding="utf-8")
    return md


def main(argv: list[str] | None = None) -> int:
    opts = parse(argv)
    result = run(opts)
    md = write(result, opts)
    say("")
    say(md)
    say(f"wrote {opts.out / 'bench.json'} and {opts.out / 'bench.md'} in {result['wall_s']}s")
    failed = [s["target_chunks"] for s in result["sizes"] if not s["ingest"]["chunks"]]
    return 1 if failed else 0
