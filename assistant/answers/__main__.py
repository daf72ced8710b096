"""python -m assistant.answers check [FOLDER]: the answer base's checker
(schema, two to six sentences, provisions exist, every quote found in the
built-in document it cites, no question in two answers), with counts by topic."""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from ..config import REPO_ROOT
from .base import load

CORPUS = REPO_ROOT / "corpus"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m assistant.answers", description=__doc__)
    sub = p.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("check", help="check every answer; print counts by topic")
    c.add_argument("folder", nargs="?", type=Path, default=CORPUS / "answers")
    c.add_argument("--quiet", action="store_true")
    args = p.parse_args(argv)
    answers, errors = load(args.folder, CORPUS)
    print(f"{len(answers)} answers, {sum(len(a.questions) for a in answers)} question phrasings, "
          f"{sum(len(a.citations) for a in answers)} citations; {len(errors)} problems")
    if not args.quiet:
        for topic, n in sorted(Counter(a.topic for a in answers).items()):
            print(f"  {topic}: {n}")
    for e in errors:
        print(f"error: {e}", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
