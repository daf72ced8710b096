"""python -m assistant.precedents check [DIR] | build GATHERED... [--out DIR]"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..config import REPO_ROOT
from .library import build, check

DEFAULT = REPO_ROOT / "corpus" / "precedents"


def _table(title: str, counts) -> str:
    rows = "\n".join(f"| {k} | {v} |" for k, v in counts.most_common())
    return f"\n{title}:\n\n| {title} | records |\n|---|---|\n{rows}\n"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m assistant.precedents", description=__doc__)
    sub = p.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("check", help="check the library: schema, provisions, personal data, duplicates; counts")
    c.add_argument("folder", nargs="?", type=Path, default=DEFAULT)
    c.add_argument("--quiet", action="store_true", help="errors and the totals only")
    b = sub.add_parser("build", help="build the library from gathered folders (records.jsonl + evidence.jsonl)")
    b.add_argument("gathered", nargs="+", type=Path)
    b.add_argument("--out", type=Path, default=DEFAULT)
    args = p.parse_args(argv)
    if args.cmd == "build":
        folders = [d for g in args.gathered for d in ([g] + sorted(x for x in g.iterdir() if x.is_dir()))]
        r = build(folders, args.out)
        print(f"read {r.read}, wrote {r.written}, dropped {len(r.dropped)}, merged {len(r.merged)}, "
              f"provisions dropped {len(r.sections_dropped)}; evidence by number {r.evidence['number']}, "
              f"by title {r.evidence['title']}")
        for rid, why in r.dropped:
            print(f"  dropped {rid}: {why}")
        for rid, raw, why in r.sections_dropped:
            print(f"  provision {raw} of {rid} dropped: {why}")
        return 0
    r = check(args.folder)
    counts = r.counts()
    print(f"{len(r.records)} library records ({counts['regime']['foia']} FOIA, {counts['regime']['eir']} EIR, "
          f"{counts['regime']['foisa']} FOISA, {counts['regime']['eisr']} Scottish EIR) and {len(r.dev)} dev-set "
          f"records; {len(r.errors)} problems")
    if not args.quiet:
        for title, cnt in counts.items():
            print(_table(title, cnt))
    for e in r.errors:
        print(f"error: {e}", file=sys.stderr)
    return 1 if r.errors else 0


if __name__ == "__main__":
    sys.exit(main())
