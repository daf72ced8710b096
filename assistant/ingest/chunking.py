"""Chunk by headings (Markdown '#' lines, or heading-like lines in letters
and PDFs), then split long sections at paragraph breaks and merge short ones."""
from __future__ import annotations

import hashlib
import re

from ..config import Settings
from ..reason.act import parse_citations
from ..types import Chunk, Document

# bump when embedding_text changes, so re-ingest re-embeds every chunk
EMBED_VERSION = "2"
_MD_HEADING = re.compile(r"^(#{1,4})\s+(.+?)\s*#*\s*$")


def _looks_like_heading(line: str) -> bool:
    s = line.strip().strip("*_").strip()
    if not s or len(s) > 90 or s.endswith((".", ",", ";", ":")) and not s.isupper():
        return False
    words = s.split()
    if len(words) > 12 or not s[0].isalpha():
        return False
    if s.isupper() and len(s) > 3:
        return True
    caps = sum(1 for w in words if w[0].isupper() or not w[0].isalpha())
    return len(words) <= 8 and caps / len(words) >= 0.6 and not s.endswith("?")


def sections_of(text: str) -> list[tuple[str, str]]:
    """(heading, body) pairs in order; the text before any heading has heading ''."""
    out: list[tuple[str, list[str]]] = [("", [])]
    markdown = any(_MD_HEADING.match(ln) for ln in text.splitlines())
    prev_blank = True
    for line in text.splitlines():
        m = _MD_HEADING.match(line) if markdown else None
        if m:
            out.append((m.group(2).strip(), []))
        elif not markdown and prev_blank and _looks_like_heading(line):
            out.append((line.strip().strip("*_").strip(), []))
        else:
            out[-1][1].append(line)
        prev_blank = not line.strip()
    return [(h, "\n".join(body).strip()) for h, body in out if h or "\n".join(body).strip()]


# Where a text too long for one chunk is split, most natural boundary first:
# paragraphs, sentences, lines, then words. A run of characters longer than the
# limit with none of these (a token, an encoded blob) is cut by length.
# Nothing is dropped: every character of the text reaches some piece.
_BOUNDARIES = ((re.compile(r"\n\s*\n"), "\n\n"), (re.compile(r"(?<=[.!?])\s+"), " "),
               (re.compile(r"\n"), "\n"), (re.compile(r"\s+"), " "))


def _pieces(text: str, max_chars: int, level: int = 0) -> list[str]:
    """text in pieces of at most max_chars, split at the most natural boundary
    that works and packed back together up to the limit."""
    if len(text) <= max_chars:
        return [text]
    if level == len(_BOUNDARIES):
        return [text[i:i + max_chars] for i in range(0, len(text), max_chars)]
    pattern, joiner = _BOUNDARIES[level]
    parts = [p for p in pattern.split(text) if p.strip()]
    if len(parts) <= 1:
        return _pieces(text, max_chars, level + 1)
    out: list[str] = []
    buf = ""
    for part in parts:
        for piece in _pieces(part, max_chars, level + 1):
            if buf and len(buf) + len(joiner) + len(piece) > max_chars:
                out.append(buf)
                buf = piece
            else:
                buf = f"{buf}{joiner}{piece}" if buf else piece
    if buf:
        out.append(buf)
    return out


def _split_long(text: str, max_chars: int, overlap: int) -> list[str]:
    """Paragraphs packed into chunks of at most max_chars (plus the overlap a
    chunk carries from the one before); a paragraph longer than that is split
    at sentences, then lines, then words (see _pieces)."""
    if len(text) <= max_chars:
        return [text]
    pieces = [q for p in re.split(r"\n\s*\n", text) if p.strip() for q in _pieces(p, max_chars, 1)]
    out: list[str] = []
    buf = ""
    for p in pieces:
        if buf and len(buf) + len(p) + 2 > max_chars:
            out.append(buf)
            tail = buf[-overlap:] if overlap else ""
            tail = tail[tail.find(" ") + 1:] if " " in tail else tail
            buf = f"{tail}\n\n{p}" if tail else p
        else:
            buf = f"{buf}\n\n{p}" if buf else p
    if buf:
        out.append(buf)
    return out


def chunk_document(doc: Document, settings: Settings) -> list[Chunk]:
    blocks: list[tuple[str, str]] = []
    for heading, body in sections_of(doc.text):
        if heading and heading.strip().lower() == doc.title.strip().lower() and not body:
            continue
        for piece in _split_long(body, settings.chunk_max_chars, settings.chunk_overlap_chars):
            blocks.append((heading, piece))
    merged: list[tuple[str, str]] = []
    for heading, body in blocks:  # a short block joins the next one (or the previous, at the end)
        if merged and len(merged[-1][1]) < settings.chunk_min_chars:
            h0, b0 = merged.pop()
            text = f"{b0}\n\n{heading}\n{body}".strip() if heading else f"{b0}\n\n{body}".strip()
            merged.append((h0 or heading, text))
        else:
            merged.append((heading, body))
    if len(merged) > 1 and len(merged[-1][1]) < settings.chunk_min_chars:
        h1, b1 = merged.pop()
        h0, b0 = merged.pop()
        merged.append((h0, f"{b0}\n\n{h1}\n{b1}".strip() if h1 else f"{b0}\n\n{b1}"))
    chunks = []
    for i, (heading, body) in enumerate(merged):
        text = f"{heading}\n{body}".strip() if heading else body.strip()
        if not text:
            continue
        digest = hashlib.sha1(f"{EMBED_VERSION}\n{doc.title}\n{text}".encode()).hexdigest()[:12]
        # a precedent's provisions are the ones its record lists (its notes may mention others,
        # "s10 breached", that it did not rely on); any other text also counts what it cites
        sections = list(dict.fromkeys(doc.sections if doc.meta.get("precedent") else
                                      doc.sections + parse_citations(text)))
        chunks.append(Chunk(chunk_id=f"{doc.doc_id}::{i}::{digest}", doc_id=doc.doc_id, title=doc.title,
                            kind=doc.kind, text=text, heading=heading, url=doc.url, sections=sections,
                            meta=doc.meta))
    return chunks


def embedding_text(chunk: Chunk) -> str:
    """What the dense model sees: for a precedent, the request alone (so a new
    request meets the past requests it resembles); otherwise the title gives a
    bare section its context."""
    if chunk.kind == "response" and chunk.meta.get("request"):
        return str(chunk.meta["request"])
    return f"{chunk.title}\n{chunk.text}"
