"""Reading a letter or request from a file, stdin or an argument."""
from __future__ import annotations

import sys
from pathlib import Path

# the warning the JSON ("weak": true) and the web page give when retrieval found little
WEAK = "the sources found are only loosely related; treat this answer with care and check the cited pages"


def positive_int(value: str) -> int:
    """argparse type: a whole number of at least 1."""
    try:
        n = int(value)
    except ValueError:
        raise __import__("argparse").ArgumentTypeError(f"{value!r} is not a whole number") from None
    if n < 1:
        raise __import__("argparse").ArgumentTypeError(f"{value} is not at least 1")
    return n


def read_input(file: str | None, text: str | None = None, *, what: str = "text") -> str:
    """The text to work on; an empty one, or binary bytes on stdin, is a clear error."""
    from ..ingest.loaders import IngestError, decode_text, load_file

    if text is not None:
        if not text.strip():
            raise ValueError(f"the {what} is empty")
        return text
    if file in (None, "-"):
        if sys.stdin.isatty():
            raise ValueError("give a FILE, or pipe the text on stdin")
        try:
            return decode_text(sys.stdin.buffer.read(), "standard input")
        except IngestError as e:
            raise ValueError(str(e)) from None

    path = Path(file)
    if not path.exists():
        raise FileNotFoundError(f"{file}: no such file")
    try:
        return "\n\n".join(d.text for d in load_file(path))
    except IngestError as e:
        raise ValueError(str(e)) from None
