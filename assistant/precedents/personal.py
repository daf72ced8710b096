"""Personal data in a precedent record: names of people, email addresses,
phone numbers, postal addresses. A record in the library may name public
bodies and provisions, never a requester, an appellant, an official or
anyone else.

How names are found (patterns, not a model: the library is checked in
`make test`, offline, in well under a second):
- a title before a capitalised word ("Mr Smith", "Dr A Jones", "Councillor Hale");
- a case name ("Smith v Information Commissioner", "v IC", "v ICO");
- a common given name followed by a capitalised word ("John Smith"), from
  the list in assistant/data/given_names.txt, unless the pair is part of a
  public body's name in the same record ("Liverpool John Moores University");
- the same patterns in the URL's path, where words are joined by hyphens.
Email addresses, UK phone numbers and UK postcodes are matched by their
usual shapes."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlparse

NAMES_FILE = Path(__file__).resolve().parent.parent / "data" / "given_names.txt"
TEXT_FIELDS = ("authority", "reference", "request", "notes")

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
PHONE = re.compile(r"(?<![\w/.-])(?:\+44\s?\(?0?\)?\s?|\(?0)\d{2,4}\)?[\s-]?\d{3,4}[\s-]?\d{3,4}(?![\w/-])")
POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b")
TITLE = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Sir|Dame|Lord|Lady|Prof|Professor|Councillor|Cllr|Rev|PC|DC|DS|DI|"
                   r"Sgt|Insp)\.?\s+(?:[A-Z]\.?\s+)*[A-Z][a-z'’-]{1,}")
CASE_NAME = re.compile(r"\b[A-Z][a-z'’-]+(?:\s+[A-Z][a-z'’-]+)?\s+v\.?\s+(?:The\s+)?(?:Information\s+Commissioner|IC\b|ICO\b)")
URL_CASE_NAME = re.compile(r"(?:^|[/_-])([a-z]{3,})[-_]v[-_](?:information[-_]commissioner|ic|ico|the[-_]information)\b")
# titles of offices that are not names ("Lord Chancellor", "Lady Justice" ...)
# names of firms and publications that look like a person's
NOT_A_PERSON = frozenset({"thomas cook", "charlie hebdo", "john lewis", "marks spencer", "john laing", "jack wills"})
NOT_A_NAME = re.compile(r"\b(?:Lord|Lady)\s+(?:Chancellor|Justice|Mayor|Advocate|President|Chief|Lieutenant|"
                        r"Provost|Privy|Chamberlain)\b|\bSir\s+(?:or|and)\b|\bDr\s+(?:Foster|Who)\b")


@lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    lines = [ln for ln in NAMES_FILE.read_text(encoding="utf-8").splitlines() if not ln.lstrip().startswith("#")]
    return frozenset(w.lower() for ln in lines for w in ln.split())


# a given name before one of these, or after "St", "Queen" and the like, names a place or a body
_PLACE_WORDS = frozenset("""academy avenue bridge building centre close college court estate foundation fund
gallery hall hospital house infirmary institute lane library line memorial museum park road school square station
street tower trust unit university ward way""".split())
_BEFORE_PLACE = re.compile(r"(?:\bSt|\bSaint|\bQueen|\bKing|\bPrince|\bPrincess|\bDuke|\bLake|\bPort|\bFort)\.?\s+$")


def _name_pairs(text: str) -> list[str]:
    names = given_names()
    found = []
    for m in re.finditer(r"\b([A-Z][a-z'’-]{2,})\s+([A-Z][a-z'’-]{2,})\b", text):
        if (m.group(1).lower() in names and m.group(2).lower() not in _PLACE_WORDS
                and not _BEFORE_PLACE.search(text[max(0, m.start() - 12):m.start()])):
            found.append(m.group(0))
    return found


def findings(rec: dict) -> list[str]:
    """What in this record looks like personal data, each as 'field: what'."""
    out = []
    body = " ".join(str(rec.get("authority") or "").split())
    for field in TEXT_FIELDS + ("harm_points",):
        value = rec.get(field)
        texts = value if isinstance(value, list) else [value]
        for text in texts:
            if not text:
                continue
            text = str(text)
            for kind, pattern in (("email address", EMAIL), ("phone number", PHONE), ("postcode", POSTCODE)):
                for m in pattern.finditer(text):
                    out.append(f"{field}: {kind} {m.group(0)!r}")
            if field == "authority":
                continue
            for m in TITLE.finditer(text):
                if not NOT_A_NAME.match(m.group(0)) and m.group(0) not in body:
                    out.append(f"{field}: a person's title and name {m.group(0)!r}")
            for m in CASE_NAME.finditer(text):
                out.append(f"{field}: a case name {m.group(0)!r}")
            for pair in _name_pairs(text):
                if pair not in body and pair.lower() not in NOT_A_PERSON:
                    out.append(f"{field}: a person's name {pair!r}")
    out.extend(url_findings(str(rec.get("url") or ""), body))
    return out


def url_findings(url: str, authority: str = "") -> list[str]:
    path = unquote(urlparse(url).path).lower()
    out = []
    m = URL_CASE_NAME.search(path)
    if m:
        out.append(f"url: a case name ({m.group(1)} v ...)")
    words = re.split(r"[/_\-.+]+", path)
    names = given_names()
    body = authority.lower()
    for a, b in zip(words, words[1:]):
        if a in names and len(b) > 2 and b.isalpha() and b not in names and f"{a} {b}" not in body \
                and b not in _COMMON_WORDS and f"{a} {b}" not in NOT_A_PERSON:
            out.append(f"url: a person's name ({a} {b})")
    return out


# words that follow a given name in URLs of public pages without being a surname
_COMMON_WORDS = frozenset("""act and any are bill council court day decision ebook file foi for from hospital house
information law letter notice office on park police primary request road response school section street the to
trust university upon vs with""".split())
