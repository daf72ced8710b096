"""foi-assistant ask QUESTION: a free question answered from the knowledge base."""
from __future__ import annotations

import json
import sys

NAME = "ask"
HELP = "Answer a question from the knowledge base with citations; --chat keeps context for follow-ups."


def add_arguments(p):
    p.add_argument("question", nargs="?", help="the question (omit with --chat)")
    p.add_argument("--mode", choices=["requester", "officer"], default="requester",
                   help="who is asking: a requester (default) or an FOI officer")
    p.add_argument("--chat", action="store_true", help="an interactive session; follow-ups keep context")
    p.add_argument("--json", action="store_true", help="print JSON")


def run(args) -> int:
    from ..engine import Engine
    from . import settings_from
    from ._io import WEAK

    if args.question is not None and not args.question.strip():
        raise ValueError("the question is empty")
    if args.question is None and not args.chat and sys.stdin.isatty():
        raise ValueError("give a QUESTION, or use --chat (one question a line on stdin)")
    engine = Engine(settings_from(args))
    history: list[dict] = []
    questions = [args.question] if args.question is not None else []
    if args.chat or not questions:
        questions = (line.strip() for line in sys.stdin if line.strip())
    for q in questions:
        a = engine.ask(q, mode=args.mode, history=history)
        history += [{"role": "user", "content": q}, {"role": "assistant", "content": a.answer}]
        if args.json:
            print(json.dumps(a.to_json() | {"question": q}, ensure_ascii=False, indent=None if args.chat else 2))
        else:
            if a.weak:
                print(f"warning: {WEAK}")
            print(a.answer)
            for c in a.citations:
                print(f"[{c.n}] {c.title} {c.url} {'(verified)' if c.verified else '(UNVERIFIED)'}")
            print()
    return 0
