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


def _split_long(text: str, max_chars: int, overlap: int) -> list[str]:
    if len(text) <= max_chars:
        return [text]
    paras = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
    pieces: list[str] = []
    for p in paras:  # a paragraph longer than the limit is split at sentences
        if len(p) <= max_chars:
            pieces.append(p)
        else:
            sentences = re.split(r"(?<=[.!?])\s+", p)
            buf = ""
            for s in sentences:
                if buf and len(buf) + len(s) + 1 > max_chars:
                    pieces.append(buf)
                    buf = ""
                buf = f"{buf} {s}".strip() if len(s) <= max_chars else s[:max_chars]
            if buf:
                pieces.append(buf)
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
        sections = list(dict.fromkeys(doc.sections + parse_citations(text)))
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
