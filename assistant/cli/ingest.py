"""foi-assistant ingest PATH...: add files or folders to the index."""
from __future__ import annotations

import json
import sys
from pathlib import Path

NAME = "ingest"
HELP = "Add PDF, HTML, Markdown/text or JSONL files (or folders of them) to the index; unchanged files are skipped."


def add_arguments(p):
    p.add_argument("paths", nargs="+", type=Path, help="files or folders")
    p.add_argument("--prune", action="store_true",
                   help="also remove indexed documents under these folders whose files are gone")
    p.add_argument("--json", action="store_true", help="print the report as JSON")


def run(args) -> int:
    from ..engine import Engine
    from ..ingest.loaders import shown
    from . import settings_from

    engine = Engine(settings_from(args))
    report = engine.ingest(args.paths, prune=args.prune, show_bar=None)
    if args.json:
        print(json.dumps(report.to_json(), indent=2))
    else:
        print(f"added or updated {len(report.added)} file(s) ({report.chunks_added} chunks), "
              f"unchanged {len(report.skipped)}, removed {len(report.removed)}, failed {len(report.failed)}; "
              f"index holds {engine.index.count()} chunks")
        for source, error in report.failed:
            print(f"  not indexed: {shown(source)}: {error}", file=sys.stderr)
        if report.failed:
            print(f"{len(report.failed)} file(s) could not be indexed (listed above); the rest are in the index",
                  file=sys.stderr)
    return 1 if report.failed else 0
