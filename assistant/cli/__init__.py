"""The command line: one module per verb, each thin over the Engine."""
from __future__ import annotations

import argparse
import sys

from . import ask, draft, explain, ingest, library, search

VERBS = [ingest, search, explain, draft, ask, library]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="foi-assistant",
        description="Grounded help with UK FOI refusals and responses, offline by default.")
    parser.add_argument("--data-dir", help="where the index lives (default ./data, or FOI_DATA_DIR)")
    parser.add_argument("--chroma-host", help="talk to a Chroma server instead of the embedded store")
    parser.add_argument("--chroma-port", type=int, help="the Chroma server's port (default 8000)")
    sub = parser.add_subparsers(dest="verb", required=True, metavar="COMMAND")
    for verb in VERBS:
        p = sub.add_parser(verb.NAME, help=verb.HELP, description=verb.HELP)
        verb.add_arguments(p)
        p.set_defaults(run=verb.run)
    return parser


def settings_from(args):
    from ..config import Settings

    return Settings.load(data_dir=args.data_dir, chroma_host=args.chroma_host, chroma_port=args.chroma_port,
                         **getattr(args, "settings_overrides", {}))


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args) or 0
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except (FileNotFoundError, ValueError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
