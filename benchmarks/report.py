"""bench.md: the run's figures as Markdown tables, one row per size."""
from __future__ import annotations

from .ingest_bench import STAGE_ORDER

DASH = "-"


def _v(x, suffix: str = "") -> str:
    if x is None or x == "":
        return DASH
    if isinstance(x, float):
        x = f"{x:,.2f}" if abs(x) < 100 else f"{x:,.0f}"
    elif isinstance(x, int):
        x = f"{x:,}"
    return f"{x}{suffix}"


def _lat(d: dict | None) -> str:
    if not d:
        return DASH
    if "error" in d:
        return "error"
    return f"{_v(d.get('p50_ms'))} / {_v(d.get('p95_ms'))}"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return out + [""]


def _main_rows(sizes: list[dict]) -> list[list[str]]:
    rows = []
    for s in sizes:
        ing, q, st = s["ingest"], s["query"], s["startup"]
        rows.append([
            _v(s["target_chunks"]), _v(ing["chunks"]), _v(s["corpus"]["files"]), _v(ing["total_s"]),
            _v(ing["chunks_per_s"]), _v(ing["encode_only"]["chunks_per_s"]),
            f'{_v(ing["ratio_to_encode_only"])} ({_v(ing.get("ratio_to_encode_only_cpu"))})',
            _v(ing["peak_rss_mb"]), _lat(q.get("search")), _lat(q.get("draft")), _lat(q.get("ask")),
            _lat(q.get("explain")),
            _v(st["cli"].get("median_s")), _v(st["engine"].get("engine_plus_first_query_s")),
            f"{_v(q.get('rss_mb'))} / {_v(st['engine'].get('rss_mb'))}", _v(s["wall_s"]),
        ])
    return rows


def _errors(sizes: list[dict]) -> list[str]:
    lines = []
    for s in sizes:
        for kind, v in s["query"].items():
            if isinstance(v, dict) and "error" in v:
                lines.append(f"- {s['target_chunks']}: engine.{kind} failed: `{v['error']}`")
        for name in ("cli", "engine"):
            if "error" in s["startup"][name]:
                lines.append(f"- {s['target_chunks']}: start-up ({name}) failed: `{s['startup'][name]['error'][:200]}`")
    return lines


PROJECTED_SIZES = (100_000, 1_000_000)
MIN_PROJECTION_BASE = 5_000     # smaller runs are dominated by fixed costs: no projection


def _projection(sizes: list[dict]) -> list[str]:
    """Linear projection from the largest size run (embedding dominates and is linear in chunks)."""
    if not sizes:
        return []
    big = max(sizes, key=lambda s: s["ingest"]["chunks"])
    if big["ingest"]["chunks"] < MIN_PROJECTION_BASE:
        return []
    per_chunk_wall = big["wall_s"] / big["ingest"]["chunks"]
    per_chunk_ingest = big["ingest"]["total_s"] / big["ingest"]["chunks"]
    rows = [[_v(n), f"{n * per_chunk_ingest / 60:,.0f}", f"{n * per_chunk_wall / 60:,.0f}"]
            for n in PROJECTED_SIZES if n > big["ingest"]["chunks"]]
    if not rows:
        return []
    return [f"## Projected from the {_v(big['ingest']['chunks'])}-chunk run", ""] + _table(
        ["chunks", "ingest to queryable, min", "whole benchmark size run, min"], rows)


def markdown_report(result: dict) -> str:
    sizes = result["sizes"]
    env = result["environment"]
    lines = ["# FOI Assistant benchmarks", "",
             f"Seed {result['options']['seed']}, {result['options']['queries_per_kind']} queries per kind "
             f"(+{result['options']['warmup']} warm-up), embed batch {result['settings']['embed_batch_size']}, "
             f"{env['cpus']} CPUs, load average {env['load_average_start']} -> {env.get('load_average_end')}, "
             f"model load {result['model_load_s']}s, torch threads {env.get('torch_threads', DASH)}, "
             f"OMP_WAIT_POLICY {env.get('omp_wait_policy') or 'unset'}.", "",
             *(["**The machine was busy when the run started: timings, query latencies above all, are noisy.**", ""]
               if env.get("busy") else []),
             "## Ingest and query", ""]
    lines += _table(["target", "chunks", "files", "ingest s (to queryable)", "chunks/s", "encode-only chunks/s",
                     "ratio (by CPU)", "peak RSS MB", "search p50/p95 ms", "draft p50/p95 ms", "ask p50/p95 ms",
                     "explain p50/p95 ms",
                     "CLI search s", "Engine + 1st query s", "RSS MB (bench / fresh)", "size wall s"],
                    _main_rows(sizes))
    lines += ["## Ingest time by stage (seconds, share)", ""]
    rows = []
    for s in sizes:
        b = s["ingest"]["breakdown"]
        rows.append([_v(s["ingest"]["chunks"])] + [f"{_v(b['seconds'].get(k, 0.0))} ({b['share'].get(k, 0.0):.0%})"
                                                    for k in (*STAGE_ORDER, "other")])
    lines += _table(["chunks", *STAGE_ORDER, "other"], rows)
    for s in sizes:
        ing = s["ingest"]
        calls = ", ".join(f"{k} {v}" for k, v in ing["breakdown"]["calls"].items())
        lines.append(f"- {_v(ing['chunks'])} chunks: embedding inside the pipeline ran at "
                     f"{_v(ing.get('embed_stage_chunks_per_s'))} chunks/s against {_v(ing['encode_only']['chunks_per_s'])} "
                     f"for the model alone; calls: {calls}.")
    lines.append("")
    if any("langchain" in s for s in sizes):
        lines += ["## Plain LangChain pipeline, same corpus and queries", ""]
        rows = []
        for s in sizes:
            lc = s.get("langchain")
            if not lc:
                continue
            r = lc["ours_over_theirs"]
            rows.append([_v(s["ingest"]["chunks"]), _v(lc["chunks"]), _v(lc["ingest_s"]), _v(lc["chunks_per_s"]),
                         _lat(lc["search"]),
                         f'{_v(r["ingest_time_per_file_set"])} ({_v(r.get("ingest_cpu_per_file_set"))})',
                         _v(r["chunks_per_s"]),
                         _v(r["search_p50"]), _v(r["search_p95"])])
        lines += _table(["our chunks", "LC chunks", "LC ingest s", "LC chunks/s", "LC search p50/p95 ms",
                         "ours/LC ingest time, same files (by CPU)", "ours/LC chunks/s", "ours/LC p50", "ours/LC p95"], rows)
    if any("server" in s for s in sizes):
        lines += ["## Chroma server (HTTP) against the embedded store", ""]
        rows = []
        for s in sizes:
            sv = s.get("server")
            if not sv:
                continue
            if "error" in sv:
                rows.append([_v(s["target_chunks"]), sv["error"][:120], DASH, DASH, DASH, DASH, DASH])
                continue
            how = "copied" if sv["ingest"].get("copied") else "ingested"
            rows.append([_v(sv["ingest"]["chunks"]), _v(sv["server_start_s"]), f'{_v(sv["ingest"]["total_s"])} ({how})',
                         _v(sv["ingest"]["chunks_per_s"]), _lat(sv["query"].get("search")),
                         _v(sv["startup"].get("engine_plus_first_query_s")), sv["top5_equal"]])
        lines += _table(["chunks", "server start s", "fill s (how)", "chunks/s", "search p50/p95 ms",
                         "Engine + 1st query s", "top-5 ids equal"], rows)
    lines += ["## Re-ingest", ""]
    rows = [[_v(s["ingest"]["chunks"]), _v(s["reingest"]["unchanged_s"]), _v(s["reingest"]["edited_files"]),
             _v(s["reingest"]["chunks_new_text"]), _v(s["reingest"]["chunks_reembedded"]),
             _v(s["reingest"]["edit_s"])] for s in sizes]
    lines += _table(["chunks", "unchanged re-run s", "files edited", "chunks with new text",
                     "chunks re-embedded", "edit re-run s"], rows)
    lines += _projection(sizes)
    errors = _errors(sizes)
    if errors:
        lines += ["## Errors", "", *errors, ""]
    lines += ["Ratio = end-to-end chunks/s (ingest + BM25 build) / encode-only chunks/s on the same chunk texts, "
              "one encode call at the same batch size; in brackets the same ratio from process CPU time, "
              "which other work on the machine disturbs less. "
              "RSS: the benchmark process after the queries / a fresh process after Engine() and one search.", ""]
    return "\n".join(lines)
