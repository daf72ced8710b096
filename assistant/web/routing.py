"""Which engine call a chat message goes to.

Requester: a refusal letter (an uploaded file, or pasted text that is long or
letter-shaped) is explained; anything else is a question. Officer: a request
is drafted; a short question about the law is answered. The person can
override the guess with "Treat as"."""
from __future__ import annotations

import re

REQUESTER, OFFICER = "requester", "officer"
AUTO, QUESTION, DOCUMENT = "auto", "question", "document"

LETTER_MIN_CHARS = 400          # pasted text at least this long is taken as a letter
LETTER_MIN_LINES = 6            # ... or with at least this many non-empty lines
QUESTION_MAX_CHARS = 240        # in officer mode, longer text is taken as a request

_LETTER_CUES = re.compile(r"\b(dear|yours (sincerely|faithfully)|your request|we (have|are) (withheld|unable)|"
                          r"exempt(ion)?s? (under|applies)|section \d+|refus(e|al|ed))\b", re.I)
_QUESTION_START = re.compile(r"^\s*(what|whats|what's|how|when|why|which|who|where|can|could|does|do|is|are|"
                             r"should|must|may|explain|tell me|help)\b", re.I)
_LAW_CUES = re.compile(r"\b(s\.?\s?\d+|section\s+\d+|exemption|ncnd|neither confirm|public interest|prejudice|"
                       r"foia|eir|foisa|ico|tribunal|internal review|time limit|cost limit|vexatious|mean)\b", re.I)
_REQUEST_CUES = re.compile(r"\b(please (provide|send|disclose|supply)|i (would like|request|am requesting)|"
                           r"under the freedom of information|copies of|the number of|how many|all (records|"
                           r"correspondence|information))\b", re.I)


def looks_like_letter(text: str) -> bool:
    text = text.strip()
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if len(text) >= LETTER_MIN_CHARS or len(lines) >= LETTER_MIN_LINES:
        return True
    return len(text) >= LETTER_MIN_CHARS // 2 and len(_LETTER_CUES.findall(text)) >= 2


def looks_like_question(text: str) -> bool:
    """Officer mode: a short question about the law, not a request to answer."""
    text = text.strip()
    if not text or len(text) > QUESTION_MAX_CHARS or _REQUEST_CUES.search(text):
        return False
    starts, ends = bool(_QUESTION_START.match(text)), text.endswith("?")
    if not (starts or ends):
        return False
    about_law = bool(_LAW_CUES.search(text))
    short_question = starts and ends and len(text) < QUESTION_MAX_CHARS // 2
    return about_law or short_question


def route(mode: str, text: str, *, has_file: bool = False, treat_as: str = AUTO) -> str:
    """One of "explain", "draft" or "ask"."""
    document = "explain" if mode == REQUESTER else "draft"
    if treat_as == QUESTION and not has_file:
        return "ask"
    if treat_as == DOCUMENT or has_file:
        return document
    if mode == REQUESTER:
        return "explain" if looks_like_letter(text) else "ask"
    return "ask" if looks_like_question(text) else "draft"
