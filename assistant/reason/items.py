"""A request split into its items: numbered points, bullets, lettered parts,
and "and" lists of different kinds of information ("the names and
salaries of planning staff, and all emails with the developer"). Each item
gets its own suggestion; the cost limit is judged on the request as a whole
(the costs of items aggregate). Pure: text in, items out."""
from __future__ import annotations

import re
from dataclasses import dataclass

MIN_ITEM_WORDS = 2
MAX_ITEMS = 12
# the start of a numbered, lettered or bulleted point
_POINT = re.compile(r"^\s*(?:\(?\d{1,2}[.)]|\(?[a-hj-z][.)]|\(?(?:i{1,3}|iv|v|vi{1,3})[.)]|[-*•·–])\s+", re.I)
_INLINE = re.compile(r"(?:(?<=\s)|^)\(?(\d{1,2}|[a-h])\)\s+")           # "(1) ... (2) ..." in one line
# words that name a kind of information: an "and" list whose parts name different kinds is several items
KINDS = {
    "names": r"\bnames?\b|\bwho\b|identit", "pay": r"salar|\bpay\b|remunerat|bonus|pension|expenses|allowance",
    "correspondence": r"emails?|correspondence|letters?|messages?|communications?|minutes|notes? of",
    "money": r"\bcosts?\b|spend|spent|budget|invoices?|payments?|prices?|\bfees?\b|value",
    "numbers": r"how many|number of|statistics|figures|totals?|count",
    "documents": r"reports?|polic(?:y|ies)|guidance|procedures?|assessments?|contracts?|agreements?|plans?|"
                 r"risk register|business case|audit",
    "places": r"locations?|where|address(?:es)?|sites?",
    "dates": r"\bdates?\b|\bwhen\b|timescales?|times?\b",
    "decisions": r"decisions?|reasons?|why|outcomes?|complaints?|investigations?|disciplin",
}
_KIND_RE = {k: re.compile(v, re.I) for k, v in KINDS.items()}


@dataclass(frozen=True)
class Item:
    n: int
    text: str            # the item as written
    query: str           # the item with the request's lead-in, for suggesting


def kinds(text: str) -> set[str]:
    return {k for k, r in _KIND_RE.items() if r.search(text)}


def _clean(text: str) -> str:
    return " ".join(_POINT.sub("", text).split()).strip(" ;,.")


def marked_points(text: str) -> tuple[str, list[str]]:
    """Numbered or bulleted lines, or "(a) ... (b) ..." within a line: (the lead-in before
    them, the points); no points when the text marks none."""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    marked = [i for i, ln in enumerate(lines) if _POINT.match(ln)]
    if len(marked) >= 2:
        lead = " ".join(lines[:marked[0]])
        points, cur = [], []
        for i, ln in enumerate(lines[marked[0]:], marked[0]):
            if i in marked and cur:
                points.append(" ".join(cur))
                cur = []
            cur.append(ln)
        points.append(" ".join(cur))
        return lead, [_clean(p) for p in points]
    flat = " ".join(text.split())
    parts = _INLINE.split(flat)
    if len(parts) >= 5:               # lead, marker, text, marker, text ...
        lead, rest = parts[0], parts[1:]
        return lead, [_clean(rest[i + 1]) for i in range(0, len(rest) - 1, 2)]
    return "", []


_MODIFIER = re.compile(r"^(?:with|over|for|from|in|by|including|during|since|between|at|on|to|of|per|broken|"
                       r"held|where|which|that|whether or not|if)\b", re.I)
_LIST_SPLIT = re.compile(r";\s*|,\s*(?:and\s+|as well as\s+|plus\s+)?|\s+and\s+(?=(?:all|any|copies|details|how|"
                         r"what|whether|when|who|the\s+(?:names?|number|costs?|dates?|locations?|minutes|emails?|"
                         r"salar\w*|amounts?|totals?|reasons?))\b)|\s+as well as\s+", re.I)


def _and_list(sentence: str) -> list[str]:
    """'the names and salaries of X, and all emails with Y' -> its parts, when they name
    different kinds of information; otherwise the sentence whole. A part that only
    qualifies the one before ("with the date", "over the past 10 years") stays with it."""
    parts: list[str] = []
    for p in (x.strip(" .") for x in _LIST_SPLIT.split(sentence) if x and x.strip(" .")):
        if parts and (_MODIFIER.match(p) or len(p.split()) < 3):
            parts[-1] = f"{parts[-1]}, {p}"
        else:
            parts.append(p)
    if len(parts) < 2:
        return [sentence]
    seen: set[str] = set()
    distinct = 0
    for p in parts:
        k = kinds(p)
        if k and not k <= seen:
            distinct += 1
        seen |= k
    return parts if distinct >= 2 else [sentence]


def split(request: str) -> list[Item]:
    """The items of a request (one item when it asks for one thing)."""
    text = request.strip()
    lead, points = marked_points(text)
    if len(points) < 2:
        sentences = [s for s in re.split(r"(?<=[.?!])\s+(?=[A-Z])", " ".join(text.split())) if s.strip()]
        asks = [s for s in sentences if not re.match(r"^(?:dear|thank|i am writing|please note|yours)\b", s, re.I)]
        points = []
        for s in asks:
            points.extend(_and_list(s))
        lead = ""
        if len(points) < 2:
            return [Item(1, " ".join(text.split()), " ".join(text.split()))]
    points = [p for p in points if p][:MAX_ITEMS]
    lead = " ".join(lead.split())
    return [Item(i, p, f"{lead} {p}".strip() if lead else p) for i, p in enumerate(points, 1)]
