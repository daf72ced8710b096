"""foi-assistant explain FILE: explain a refusal letter and check it under s17."""
from __future__ import annotations

import json

NAME = "explain"
HELP = "Explain a refusal letter (text or PDF; '-' or no FILE reads stdin): provisions, s17 checks, next steps, a review letter."


def add_arguments(p):
    p.add_argument("file", nargs="?", help="the letter (.txt, .md, .pdf, .html); '-' for stdin")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--letter", action="store_true", help="print only the internal-review letter")


def run(args) -> int:
    from ..engine import Engine
    from . import settings_from
    from ._io import WEAK, read_input

    text = read_input(args.file, what="letter")
    result = Engine(settings_from(args)).explain(text)
    if args.json:
        print(json.dumps(result.to_json(), indent=2, ensure_ascii=False))
    elif args.letter:
        print(result.letter)
    else:
        if result.weak:
            print(f"warning: {WEAK}")
        print(result.answer)
        for c in result.citations:
            print(f"[{c.n}] {c.title} {c.url} {'(verified)' if c.verified else '(UNVERIFIED)'}")
        for note in result.notes:
            print(f"note: {note}")
    return 0
