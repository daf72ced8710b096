"""Reading a letter or request from a file, stdin or an argument."""
from __future__ import annotations

import sys
from pathlib import Path


def read_input(file: str | None, text: str | None = None) -> str:
    if text:
        return text
    if file in (None, "-"):
        if sys.stdin.isatty():
            raise ValueError("give a FILE, or pipe the text on stdin")
        return sys.stdin.read()
    from ..ingest.loaders import IngestError, load_file

    path = Path(file)
    if not path.exists():
        raise FileNotFoundError(f"{file}: no such file")
    try:
        return "\n\n".join(d.text for d in load_file(path))
    except IngestError as e:
        raise ValueError(str(e)) from None
