"""Warm query latency of engine.search, engine.draft and engine.explain on
fixed inputs: realistic requests (data/queries.yaml) and generated refusal
letters. Each kind gets a few untimed warm-up calls first."""
from __future__ import annotations

import time
from functools import lru_cache
from pathlib import Path
from typing import Callable

import yaml

from .measure import GcClock, latency_summary, rss_mb
from .synth import refusal_letter

QUERIES = Path(__file__).resolve().parent / "data" / "queries.yaml"
TOP_K = 5
ERROR_CHARS = 300


@lru_cache(maxsize=1)
def _lists(path: Path = QUERIES) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def load_queries(n: int, seed: int) -> dict[str, list[str]]:
    """n inputs of each kind (the fixed lists are cycled if n is larger)."""
    lists = _lists()

    def take(items: list[str]) -> list[str]:
        return [items[i % len(items)] for i in range(n)]

    return {"search": take(lists["search"]), "draft": take(lists["draft"]), "ask": take(lists["ask"]),
            "explain": [refusal_letter(seed, i) for i in range(n)]}


def time_calls(fn: Callable, inputs: list[str], warmup: int) -> tuple[list[float], list, str | None]:
    """Latencies and outputs; stops at the first error and reports it. The
    warm-up inputs differ from the timed ones, so no cache of query vectors
    (ours keeps one) turns a timed call into a lookup."""
    try:
        for x in inputs[:warmup]:
            fn(f"{x} (warm-up)")
        seconds, outputs = [], []
        for x in inputs:
            start = time.perf_counter()
            outputs.append(fn(x))
            seconds.append(time.perf_counter() - start)
        return seconds, outputs, None
    except Exception as e:  # draft/explain may not exist yet; the rest still runs
        return [], [], f"{type(e).__name__}: {str(e)[:ERROR_CHARS]}"


def search_ids(engine, query: str, k: int = TOP_K) -> list[str]:
    return [h.chunk.chunk_id for h in engine.search(query, k=k)]


def run_queries(engine, queries: dict[str, list[str]], warmup: int,
                kinds: tuple[str, ...] = ("search", "draft", "ask", "explain")) -> tuple[dict, list[list[str]]]:
    calls = {"search": lambda q: search_ids(engine, q), "draft": engine.draft, "explain": engine.explain,
             "ask": engine.ask}
    results: dict = {}
    ids: list[list[str]] = []
    for kind in kinds:
        with GcClock() as gc_clock:
            seconds, outputs, error = time_calls(calls[kind], queries[kind], warmup)
        results[kind] = {"error": error} if error else latency_summary(seconds)
        results[kind]["gc_ms"] = round(gc_clock.seconds * 1000, 1)
        results[kind]["gc_collections"] = gc_clock.collections
        if kind == "search" and not error:
            ids = outputs
    results["rss_mb"] = rss_mb()
    return results, ids
