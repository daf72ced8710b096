"""Metadata read from the text of a letter or page: provisions cited,
outcome words, authority, reference, date and document kind."""
from __future__ import annotations

import re
from datetime import date

from ..reason.act import parse_citations

OUTCOME_PATTERNS: list[tuple[str, re.Pattern]] = [
    ("ncnd", re.compile(r"neither\s+confirm\s+n(?:or|either)\s+deny|\bNCND\b|can(?:not|'t)\s+confirm\s+or\s+deny", re.I)),
    ("not_held", re.compile(r"\bnot\s+held\b|no\s+(?:recorded\s+)?information\s+(?:is\s+)?held|do(?:es)?\s+not\s+hold", re.I)),
    ("cost_limit", re.compile(r"\bcost\s+limit\b|appropriate\s+limit|exceed(?:s|ed)?\s+the\s+(?:18|24)\s+hours?", re.I)),
    ("vexatious", re.compile(r"\bvexatious\b|repeated\s+request", re.I)),
]

_AUTHORITY_RE = re.compile(
    r"\b((?:[A-Z][a-z]+(?:[ \t]+(?:and|of|&)[ \t]+|[ \t]+)){0,4}"
    r"(?:Police|Constabulary|Borough Council|City Council|County Council|District Council|Council|"
    r"NHS(?:\s+Foundation)?\s+Trust|Health Board|University|Fire and Rescue Service))\b"
    r"|\b((?:Department|Ministry|Office)[ \t]+(?:for|of)[ \t]+(?:[A-Z][a-z]+(?:[ \t]+(?:and|&)[ \t]+|[ \t]+)?){1,4})"
    r"|\b(HM\s+(?:Treasury|Revenue\s+and\s+Customs)|Home Office|Cabinet Office|Foreign,? Commonwealth (?:and|&) Development Office|BBC)\b"
)
_REFERENCE_RE = re.compile(
    r"(?:Reference\s*(?:No\.?|Number)?|Our\s+ref(?:erence)?|Ref(?:erence)?\.?|FOI\s+(?:request\s+)?(?:ref(?:erence)?|no\.?|number)?)"
    r"\s*[:#]?\s*([A-Z]{0,6}[-/ ]?\d[\w./-]{2,24})", re.I)
_MONTHS = {m: i for i, m in enumerate(
    "january february march april may june july august september october november december".split(), 1)}
_DATE_WORDS = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(" + "|".join(_MONTHS) + r")\s*,?\s+(\d{4})\b", re.I)
_DATE_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_DATE_UK = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")


def outcomes(text: str) -> list[str]:
    return [name for name, pat in OUTCOME_PATTERNS if pat.search(text)]


def first_date(text: str) -> date | None:
    found = all_dates(text)
    return found[0][1] if found else None


def all_dates(text: str) -> list[tuple[int, date]]:
    """(position, date) for every date written in a common form, in order."""
    found: list[tuple[int, date]] = []
    for m in _DATE_WORDS.finditer(text):
        try:
            found.append((m.start(), date(int(m.group(3)), _MONTHS[m.group(2).lower()], int(m.group(1)))))
        except ValueError:
            pass
    for m in _DATE_ISO.finditer(text):
        try:
            found.append((m.start(), date(int(m.group(1)), int(m.group(2)), int(m.group(3)))))
        except ValueError:
            pass
    for m in _DATE_UK.finditer(text):
        try:
            found.append((m.start(), date(int(m.group(3)), int(m.group(2)), int(m.group(1)))))
        except ValueError:
            pass
    return sorted(found)


def authority(text: str) -> str | None:
    m = _AUTHORITY_RE.search(text)
    if not m:
        return None
    name = next(g for g in m.groups() if g)
    return re.sub(r"\s+", " ", name).strip()


def reference(text: str) -> str | None:
    m = _REFERENCE_RE.search(text)
    return m.group(1).strip().rstrip(".") if m else None


def guess_kind(text: str) -> str:
    low = text.lower()
    if any(w in low for w in ("your request", "we can confirm", "neither confirm nor deny",
                              "information held", "refusal notice", "internal review", "dear ")):
        return "response"
    if "legislation.gov.uk" in low or re.search(r"\bbe it enacted\b", low):
        return "legislation"
    return "guidance"


def extract(text: str) -> dict:
    """Everything we can read off a document's text, JSON-ready."""
    d = first_date(text)
    found = outcomes(text)
    return {
        "sections": parse_citations(text),
        "outcomes": found,
        "outcome": found[0] if found else None,
        "ncnd": "ncnd" in found,
        "authority": authority(text),
        "reference": reference(text),
        "date": d.isoformat() if d else None,
    }
