"""The benchmark run: one shared embedder, each size in turn, then
bench.json and bench.md. `main(argv)` is the entry point for
`python -m benchmarks` and for tests that want to call it in-process."""
from __future__ import annotations

import json
import os
import platform
import shutil
import signal
import sys
import time
from importlib import metadata

from .measure import load_average, peak_rss_mb, rss_mb
from .options import BenchOptions, parse
from .report import markdown_report
from .size_run import run_size

PACKAGES = ("chromadb", "torch", "sentence-transformers", "bm25s", "langchain-core", "langchain-chroma", "numpy")
BUSY_LOAD_PER_CPU = 0.5     # above this one-minute load per CPU at the start, latencies are flagged as unreliable


def say(line: str) -> None:
    print(line, flush=True)


def environment() -> dict:
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    load = load_average()
    cpus = os.cpu_count() or 1
    return {"python": sys.version.split()[0], "platform": platform.platform(), "cpus": cpus,
            "load_average_start": load, "busy": bool(load and load[0] > BUSY_LOAD_PER_CPU * cpus),
            "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY"), "packages": versions}


def _torch_threads() -> int | None:
    try:
        import torch

        return torch.get_num_threads()
    except ImportError:
        return None


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
    env = environment()
    env["torch_threads"] = _torch_threads()
    if env["busy"]:
        say(f"warning: load average {env['load_average_start']} on {env['cpus']} CPUs: other work is running, "
            "so timings (query latencies above all) will be noisy")
    result = {
        "options": {"sizes": list(opts.sizes), "seed": opts.seed, "server": opts.server, "quick": opts.quick,
                    "queries_per_kind": opts.queries, "warmup": opts.warmup, "langchain": opts.langchain,
                    "encode_sample": opts.encode_sample},
        "settings": {"embed_batch_size": settings.embed_batch_size, "chunk_max_chars": settings.chunk_max_chars,
                     "chunk_min_chars": settings.chunk_min_chars, "top_k": settings.top_k,
                     "candidates": settings.candidates},
        "environment": env, "model_load_s": round(model_load_s, 3), "sizes": [],
    }
    try:
        for size in opts.sizes:
            result["sizes"].append(run_size(size, opts, embedder, say))
            result["complete"] = len(result["sizes"]) == len(opts.sizes)
            write(result, opts)     # after every size, so a run cut short still leaves its figures
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


def _exit_on_sigterm(signum, frame) -> None:
    raise SystemExit(128 + signum)     # unwinds: the Chroma server is stopped, scratch space removed


def main(argv: list[str] | None = None) -> int:
    opts = parse(argv)
    try:
        signal.signal(signal.SIGTERM, _exit_on_sigterm)
    except ValueError:   # not the main thread (called from a test runner's worker): keep the default
        pass
    result = run(opts)
    md = write(result, opts)
    say("")
    say(md)
    say(f"wrote {opts.out / 'bench.json'} and {opts.out / 'bench.md'} in {result['wall_s']}s")
    failed = [s["target_chunks"] for s in result["sizes"] if not s["ingest"]["chunks"]]
    return 1 if failed else 0
