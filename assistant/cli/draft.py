"""foi-assistant draft --request TEXT: suggest provisions and NCND, compose a draft."""
from __future__ import annotations

import json

NAME = "draft"
HELP = "Suggest the provisions and NCND for a request, with precedents, and compose a checked draft response."


def add_arguments(p):
    p.add_argument("--request", help="the request text")
    p.add_argument("--file", help="read the request from a file ('-' for stdin)")
    p.add_argument("--authority", help="the authority answering (helps spot Scottish bodies)")
    p.add_argument("--json", action="store_true", help="print JSON")


def run(args) -> int:
    from ..engine import Engine
    from . import settings_from
    from ._io import WEAK, read_input

    text = read_input(args.file, args.request, what="request")
    d = Engine(settings_from(args)).draft(text, authority=args.authority)
    if args.json:
        print(json.dumps(d.to_json(), indent=2, ensure_ascii=False))
        return 0
    r = d.result
    print("Suggested provisions:")
    for s in r.suggestions:
        print(f"  {s.section:12} {s.score:.2f}  " + "; ".join(s.reasons))
    print(f"NCND: {'yes, under ' + ', '.join(r.ncnd_sections) if r.ncnd else 'no'} (score {r.ncnd_score}); outcome: {r.outcome}")
    for note in r.notes + d.notes:
        print(f"note: {note}")
    if d.weak:
        print(f"warning: {WEAK}")
    print()
    print(d.draft)
    for c in d.citations:
        print(f"[{c.n}] {c.title} {c.url} {'(verified)' if c.verified else '(UNVERIFIED)'}")
    failed = [c for c in d.checks if not c.ok]
    print("checks: " + ("all passed" if not failed else "; ".join(c.message for c in failed)))
    return 0
