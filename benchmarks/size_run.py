"""One corpus size, start to finish: generate, ingest (timed by stage),
encode-only baseline, warm queries, start-up, LangChain side by side,
the Chroma server run, and the re-ingest test (last: it edits files)."""
from __future__ import annotations

import random
import shutil
import time
from pathlib import Path
from typing import Callable

from .ingest_bench import encode_only, fresh_dir, run_ingest, run_reingest
from .langchain_baseline import langchain_baseline, read_texts
from .measure import cpu_seconds, latency_summary, rss_mb
from .options import BenchOptions
from .query_bench import load_queries, run_queries, time_calls
from .server import HOST, ChromaServer
from .startup import cli_wall_times, engine_startup
from .synth import generate_corpus

Say = Callable[[str], None]


def chunk_counter(settings) -> Callable[[str, str], int]:
    """The real chunker, for sizing a corpus by chunks."""
    from assistant.ingest.chunking import chunk_document
    from assistant.ingest.loaders import load_file

    def count(name: str, text: str) -> int:
        return sum(len(chunk_document(d, settings)) for d in load_file(Path(name), text.encode()))
    return count


def _engine(settings, embedder):
    from assistant.engine import Engine
    from assistant.store.index import Index

    return Engine(settings, index=Index(settings, embedder))


def _ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 3) if a and b else None


def _sample(texts: list[str], limit: int, seed: int) -> list[str]:
    return random.Random(seed).sample(texts, limit) if 0 < limit < len(texts) else texts


def run_size(size: int, opts: BenchOptions, embedder, say: Say) -> dict:
    from assistant.config import Settings

    begin = time.perf_counter()
    phases: dict[str, float] = {}
    work = opts.work_dir / f"size-{size}"
    corpus_dir = fresh_dir(work / "corpus")
    settings = Settings.load(data_dir=fresh_dir(work / "data"))

    t = time.perf_counter()
    corpus = generate_corpus(corpus_dir, size, opts.seed, counter=chunk_counter(settings))
    phases["generate"] = time.perf_counter() - t
    say(f"[{size}] corpus: {corpus.docs} in {len(corpus.files)} files ({corpus.bytes / 1e6:.1f} MB)")

    t = time.perf_counter()
    engine = _engine(settings, embedder)
    ingest, texts = run_ingest(engine, corpus_dir)
    phases["ingest"] = time.perf_counter() - t
    say(f"[{size}] ingest: {ingest['chunks']} chunks in {ingest['total_s']}s = {ingest['chunks_per_s']}/s "
        f"(BM25 build {ingest['bm25_build_s']}s), peak RSS {ingest['peak_rss_mb']} MB")

    t = time.perf_counter()
    sample = _sample(texts, opts.encode_sample, opts.seed)
    enc = encode_only(embedder, sample, settings.embed_batch_size)
    enc["sampled"] = len(sample) < len(texts)
    ingest["encode_only"] = enc
    ingest["ratio_to_encode_only"] = _ratio(ingest["chunks_per_s"], enc["chunks_per_s"])
    ingest["ratio_to_encode_only_cpu"] = _ratio(ingest["chunks_per_cpu_s"], enc["chunks_per_cpu_s"])
    embed_s = ingest["breakdown"]["seconds"]["embed"]
    ingest["embed_stage_chunks_per_s"] = round(len(texts) / embed_s, 2) if embed_s else None
    del texts, sample
    phases["encode_only"] = time.perf_counter() - t
    say(f"[{size}] encode only: {enc['chunks_per_s']}/s; end-to-end / encode-only = {ingest['ratio_to_encode_only']} "
        f"(by CPU time {ingest['ratio_to_encode_only_cpu']})")

    t = time.perf_counter()
    queries = load_queries(opts.queries, opts.seed)
    query, our_ids = run_queries(engine, queries, opts.warmup)
    phases["queries"] = time.perf_counter() - t
    say(f"[{size}] queries: " + "; ".join(f"{k} {v.get('p50_ms')}/{v.get('p95_ms')} ms" if "error" not in v
                                          else f"{k} ERROR {v['error'][:80]}"
                                          for k, v in query.items() if isinstance(v, dict)))

    t = time.perf_counter()
    startup = {"cli": cli_wall_times(settings.data_dir, queries["search"][0], runs=opts.cli_runs),
               "engine": engine_startup(settings.data_dir, queries["search"][0])}
    phases["startup"] = time.perf_counter() - t
    say(f"[{size}] start-up: CLI {startup['cli'].get('median_s')}s, Engine+first query "
        f"{startup['engine'].get('engine_plus_first_query_s')}s")

    result = {"target_chunks": size, "corpus": corpus.to_json(), "ingest": ingest, "query": query,
              "startup": startup}
    if opts.langchain:
        t = time.perf_counter()
        result["langchain"] = _langchain(settings, embedder, corpus.files, queries, opts, ingest, query)
        phases["langchain"] = time.perf_counter() - t
        lc = result["langchain"]
        say(f"[{size}] langchain: {lc['chunks']} chunks in {lc['ingest_s']}s = {lc['chunks_per_s']}/s; "
            f"search {lc['search'].get('p50_ms')}/{lc['search'].get('p95_ms')} ms")
    if opts.server:
        t = time.perf_counter()
        result["server"] = _server(size, opts, embedder, corpus_dir, queries, our_ids, work,
                                   source=engine if opts.server_copy else None)
        phases["server"] = time.perf_counter() - t
        sv = result["server"]
        say(f"[{size}] server: ingest {sv.get('ingest', {}).get('total_s')}s, search "
            f"{sv.get('query', {}).get('search', {}).get('p50_ms')} ms, top-5 equal {sv.get('top5_equal')}")
    t = time.perf_counter()
    result["reingest"] = run_reingest(engine, corpus_dir, corpus.files)
    phases["reingest"] = time.perf_counter() - t
    say(f"[{size}] re-ingest: unchanged {result['reingest']['unchanged_s']}s; {result['reingest']['edited_files']} "
        f"edited files re-embedded {result['reingest']['chunks_reembedded']} chunks "
        f"({result['reingest']['chunks_new_text']} had new text)")
    result["rss_end_mb"] = rss_mb()
    del engine
    if not opts.keep:
        shutil.rmtree(work, ignore_errors=True)
    result["phases_s"] = {k: round(v, 2) for k, v in phases.items()}
    result["wall_s"] = round(time.perf_counter() - begin, 2)
    say(f"[{size}] done in {result['wall_s']}s")
    return result


def _langchain(settings, embedder, files, queries, opts, ours_ingest, ours_query) -> dict:
    cpu_start = cpu_seconds()
    base = langchain_baseline(settings, read_texts(files), embedder=embedder)
    cpu_s = cpu_seconds() - cpu_start
    seconds, _, error = time_calls(base.search, queries["search"], opts.warmup)
    search = {"error": error} if error else latency_summary(seconds)
    ours_search = ours_query.get("search", {})
    return {
        "chunks": base.chunks, "split_s": round(base.split_s, 3), "ingest_s": round(base.ingest_s, 3),
        "chunks_per_s": round(base.chunks / base.ingest_s, 2) if base.ingest_s else None,
        "cpu_s": round(cpu_s, 3), "search": search,
        "ours_over_theirs": {
            "ingest_time_per_file_set": _ratio(ours_ingest["total_s"], base.ingest_s),
            "ingest_cpu_per_file_set": _ratio(ours_ingest["cpu_s"], cpu_s),
            "chunks_per_s": _ratio(ours_ingest["chunks_per_s"], base.chunks / base.ingest_s if base.ingest_s else None),
            "search_p50": _ratio(ours_search.get("p50_ms"), search.get("p50_ms")),
            "search_p95": _ratio(ours_search.get("p95_ms"), search.get("p95_ms")),
        },
    }


def copy_store(source, target) -> dict:
    """Every record of one store into another, vectors included, in write-sized
    batches: the server's write path without a second embedding pass."""
    from assistant.store.chroma import WRITE_BATCH

    start, n = time.perf_counter(), 0
    for ids, docs, metas, vectors in source.index.store.iter_all(batch=WRITE_BATCH, include_embeddings=True):
        target.index.store.collection.add(ids=ids, documents=docs, metadatas=metas, embeddings=vectors)
        n += len(ids)
    target.index.refresh()
    target.index.chunks   # BM25 and the in-memory table, as the first query would build them
    total = time.perf_counter() - start
    return {"copied": True, "chunks": n, "total_s": round(total, 3),
            "chunks_per_s": round(n / total, 2) if total else None}


def _server(size, opts, embedder, corpus_dir, queries, our_ids, work, source=None) -> dict:
    from assistant.config import Settings

    try:
        with ChromaServer(work / "server-db") as server:
            settings = Settings.load(data_dir=fresh_dir(work / "data-server"), chroma_host=HOST,
                                     chroma_port=server.port)
            engine = _engine(settings, embedder)
            ingest = copy_store(source, engine) if source else run_ingest(engine, corpus_dir)[0]
            query, ids = run_queries(engine, queries, opts.warmup, kinds=("search",))
            startup = engine_startup(settings.data_dir, queries["search"][0], host=HOST, port=server.port)
            equal = sum(1 for a, b in zip(our_ids, ids) if a == b)
            return {"server_start_s": round(server.start_s or 0.0, 2), "ingest": ingest, "query": query,
                    "startup": startup, "top5_equal": f"{equal}/{len(ids)}",
                    "top5_equal_all": equal == len(ids) == len(our_ids),
                    "top5_differs": [{"query": queries["search"][i], "embedded": a, "server": b}
                                     for i, (a, b) in enumerate(zip(our_ids, ids)) if a != b]}
    except (OSError, RuntimeError, TimeoutError) as e:
        return {"error": f"{type(e).__name__}: {e}"}
