"""Citations: each [n] points at a chunk retrieved for this answer and a quote
from it. `verified` is true only when the quote is found in that chunk's
text and the chunk was retrieved for this answer."""
from __future__ import annotations

import re

from ..store.bm25 import tokenize
from ..types import Citation, Hit

MARKER_RE = re.compile(r"\[(\d{1,3})\]")
QUOTE_MAX_CHARS = 300
# what a quoted document may not carry into an answer: citation markers of its own
# ("[7]" would pose as one of ours), links (made clickable by the page) and Markdown links
_FAKE_MARKER = re.compile(r"\[\s*\d{1,3}\s*\]|【\s*\d{1,3}\s*】")
_MD_LINK = re.compile(r"!?\[([^\]\n]{0,200})\]\([^)\n]{0,500}\)")
_URL = re.compile(r"(?:\b(?:https?|ftp|file|javascript|data):|\bwww\.)\S+", re.I)


def clean_quote(text: str) -> str:
    """A document's words as they may appear in an answer: its own citation
    markers and links taken out, whitespace collapsed."""
    text = _MD_LINK.sub(lambda m: m.group(1), text)
    text = _URL.sub("[link removed]", text)
    text = _FAKE_MARKER.sub("", text)
    return " ".join(text.split())
HOW_MUCH = re.compile(r"\bhow (?:long|many|much|soon|old)\b|\bwhen\b|\bdeadline|\btime limit", re.I)


def _norm(text: str) -> str:
    """Text as a quote is compared: markers and links out, Markdown emphasis off, whitespace and case ignored."""
    return re.sub(r"\*\*|__", "", clean_quote(text)).lower()


def units(text: str) -> list[str]:
    """Quotable units of a chunk: sentences of its paragraphs (hard-wrapped lines
    joined), list items, and table rows; the heading line is left out."""
    lines = text.splitlines()
    body = "\n".join(lines[1:]) if len(lines) > 1 else text
    out: list[str] = []
    for block in re.split(r"\n\s*\n", body):
        items: list[str] = []
        rows = block.splitlines()
        for j, ln in enumerate(rows):
            s = ln.strip()
            if not s or re.fullmatch(r"[|:\-\s]+", s) or s.startswith("#"):
                continue
            if s.startswith("|") and j + 1 < len(rows) and re.fullmatch(r"[|:\-\s]+", rows[j + 1].strip()):
                continue   # a table's header row says nothing by itself
            if s.startswith(("|", "- ", "* ")) or re.match(r"\d+\.\s", s) or not items:
                items.append(s)
            else:
                items[-1] += " " + s
        for it in items:
            if it.startswith("|"):
                out.append(it)
            else:
                out.extend(x.strip() for x in re.split(r"(?<=[.!?])\s+(?=[A-Z(\"'])", it) if x.strip())
    return [u for u in out if len(u) > 25]


def best_sentence(text: str, hint: str, min_chars: int = 120) -> str:
    """The unit of text that shares most words with hint (a quote to show);
    a short sentence is followed by the next one when they read together."""
    parts = units(text)
    if not parts:
        return " ".join(text.split())[:QUOTE_MAX_CHARS]
    want = set(tokenize(hint))
    numeric = bool(HOW_MUCH.search(hint))   # "how long ...?" is answered by a sentence with a number in it

    def fit(u: str) -> float:
        return (len(want & set(tokenize(u))) - (0.5 if u.startswith("|") else 0)
                + (1.5 if numeric and re.search(r"\d", u) else 0))

    scored = [(fit(u), -abs(len(u) - 160), i) for i, u in enumerate(parts)]
    _, _, i = max(scored)
    best = parts[i]
    if (len(best) < min_chars and i + 1 < len(parts) and not best.startswith(("|", "- ", "* "))
            and not re.match(r"(?:[|*-]|\d+\.)\s", parts[i + 1])):
        joined = f"{best} {parts[i + 1]}"
        if " ".join(joined.split()).lower() in " ".join(text.split()).lower():
            best = joined
    best = re.sub(r"^(?:[-*]|\d+\.)\s+", "", best)      # a list item is quoted without its marker
    return best if len(best) <= QUOTE_MAX_CHARS else best[:QUOTE_MAX_CHARS].rsplit(" ", 1)[0]


def quote_in(quote: str, text: str) -> bool:
    """Whether these words are in the text, as a citation would be verified."""
    return bool(quote) and _norm(quote) in _norm(text)


def origin_of(chunk) -> str:
    """builtin for the project's own corpus; user for anything else (uploads, an authority's own files)."""
    return "builtin" if chunk.meta.get("origin") == "builtin" else "user"


class CitationBook:
    """Collects the citations of one answer, numbering each chunk once."""

    def __init__(self):
        self.citations: list[Citation] = []
        self.retrieved: dict[str, Hit] = {}

    def retrieve(self, hits: list[Hit]) -> None:
        for h in hits:
            self.retrieved.setdefault(h.chunk.chunk_id, h)

    def cite(self, hit: Hit | None, hint: str = "") -> str:
        """Register a citation of hit, return its marker ('' when there is nothing to cite)."""
        if hit is None:
            return ""
        self.retrieve([hit])
        for c in self.citations:
            if c.chunk_id == hit.chunk.chunk_id:
                return f"[{c.n}]"
        chunk = hit.chunk
        quote = clean_quote(best_sentence(chunk.text, hint or chunk.heading))
        cit = Citation(n=len(self.citations) + 1, doc_id=chunk.doc_id, chunk_id=chunk.chunk_id, title=chunk.title,
                       url=chunk.url or "", quote=quote, kind=chunk.kind, origin=origin_of(hit.chunk))
        self.citations.append(cit)
        return f"[{cit.n}]"

    def cite_quote(self, hit: Hit | None, quote: str) -> str:
        """Cite hit with these exact words when its text holds them (a reviewed answer's
        quote, a precedent's reason); otherwise with the sentence that best matches them."""
        if hit is None:
            return ""
        quote = clean_quote(quote)
        if not quote or _norm(quote) not in _norm(hit.chunk.text):
            return self.cite(hit, quote)
        self.retrieve([hit])
        for c in self.citations:
            if c.chunk_id == hit.chunk.chunk_id and _norm(c.quote) == _norm(quote):
                return f"[{c.n}]"
        cit = Citation(n=len(self.citations) + 1, doc_id=hit.chunk.doc_id, chunk_id=hit.chunk.chunk_id,
                       title=hit.chunk.title, url=hit.chunk.url or "", quote=quote[:QUOTE_MAX_CHARS],
                       kind=hit.chunk.kind, origin=origin_of(hit.chunk))
        self.citations.append(cit)
        return f"[{cit.n}]"

    def verify(self) -> list[Citation]:
        for c in self.citations:
            hit = self.retrieved.get(c.chunk_id)
            c.verified = bool(hit) and _norm(c.quote) in _norm(hit.chunk.text)
        return self.citations


def markers(text: str) -> list[int]:
    return [int(m) for m in MARKER_RE.findall(text)]


def paragraphs_without_citation(markdown: str) -> list[str]:
    """Prose paragraphs (not headings, quotes, lists of factors or rules) that carry no [n]."""
    out = []
    for p in re.split(r"\n\s*\n", markdown):
        s = p.strip()
        if not s or s.startswith(("#", ">", "---", "|", "_")) or len(s) < 80:
            continue
        if s.startswith(("- ", "* ", "1.")) and not MARKER_RE.search(s):
            continue
        if not MARKER_RE.search(s):
            out.append(s)
    return out
