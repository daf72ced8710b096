"""foi-assistant search QUERY: hybrid retrieval, as text or JSON."""
from __future__ import annotations

import json

from ._io import WEAK, positive_int

NAME = "search"
HELP = "Search the index (BM25 + dense, fused); filter by section, kind, outcome or authority."


def add_arguments(p):
    p.add_argument("query", help="what to look for, in plain words; naming a section (e.g. s31(3)) boosts it")
    p.add_argument("-k", type=positive_int, default=5, help="how many results (default 5; at least 1)")
    p.add_argument("--section", action="append", default=[], help="only chunks about this provision (repeatable)")
    p.add_argument("--kind", action="append", default=[], choices=["legislation", "guidance", "response"],
                   help="only this kind of document (repeatable)")
    p.add_argument("--outcome", action="append", default=[], help="precedent outcome, e.g. ncnd, cost_limit")
    p.add_argument("--authority", help="exact authority name")
    p.add_argument("--mode", default="hybrid", choices=["hybrid", "dense", "bm25"],
                   help="hybrid (default), or one side alone for comparison")
    p.add_argument("--json", action="store_true", help="print JSON")


def run(args) -> int:
    from ..engine import Engine
    from ..reason.act import normalise
    from ..retrieve import Filters
    from . import settings_from

    engine = Engine(settings_from(args))
    filters = Filters(sections=tuple(normalise(s) for s in args.section), kinds=tuple(args.kind),
                      outcomes=tuple(args.outcome), authority=args.authority)
    hits = engine.search(args.query, k=args.k, filters=filters, mode=args.mode)
    if args.json:
        print(json.dumps({"results": [h.to_json() for h in hits], "weak": bool(hits) and engine.retriever.is_weak(hits)},
                         indent=2, ensure_ascii=False))
        return 0
    if not hits:
        print("no results (is the index built? run: foi-assistant ingest corpus/)")
    elif engine.retriever.is_weak(hits):
        print(f"warning: {WEAK}")
    for i, h in enumerate(hits, 1):
        c = h.chunk
        print(f"{i}. [{h.score:.4f}] {c.title} ({c.kind}; {', '.join(c.sections[:6])})")
        print(f"   {c.heading or ''} {c.url}")
        print("   " + " ".join(c.text.split())[:240])
    return 0
