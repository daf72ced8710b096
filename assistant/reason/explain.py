"""Read a refusal letter: which provisions it relies on (with the registry's
facts for each), whether it is an NCND answer, the s17 checks, the dates,
and the next steps with their deadlines. Pure: text in, findings out."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from ..ingest import metadata
from ..types import Check
from .act import REGISTRY, parse_citations
from .checks import NCND_RE, check_response, ncnd_claims, sentences
from .dates import add_working_days

_DATE = r"(\d{1,2}(?:st|nd|rd|th)?\s+[A-Za-z]+\s*,?\s+\d{4}|\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{4})"
# s10 runs from receipt; where only the request's own date is given, that is the best evidence
RECEIVED_RES = [re.compile(r"received\s+(?:by us\s+)?(?:on\s+)?(?:the\s+)?" + _DATE, re.I),
                re.compile(r"(?:dated|request of|your (?:email|letter|request) of)\s+(?:the\s+)?" + _DATE, re.I)]
REVIEW_LETTER_RE = re.compile(r"internal review (?:outcome|decision|result)|outcome of (?:the|your) internal review|"
                              r"we have (?:now )?(?:completed|carried out|conducted) (?:an|the) (?:internal )?review", re.I)

# the s45 code of practice expects a review request within this many working days
# (FOISA s20(5) and the EIR reg 11(2) set the same 40)
REVIEW_ASK_WORKING_DAYS = 40

# which Act a letter is under: the first that matches (a Scottish letter may also mention the EIR)
REGIME_CUES = (
    ("eisr", re.compile(r"Environmental Information \(Scotland\) Regulations|\bEI\(S\)Rs?\b|\bEISRs?\b", re.I)),
    ("foisa", re.compile(r"Freedom of Information \(Scotland\) Act|\bFOI\(?S\)?A\b|Scottish Information Commissioner", re.I)),
    ("eir", re.compile(r"Environmental Information Regulations|\bEIRs?\b|\bregulations? 12\s?\(", re.I)),
)
# the routes open after a refusal, by Act (wording: prompts/next_steps.yaml)
ROUTES = {"foia": ("internal-review", "s50", "s57"), "eir": ("eir-review", "s50", "s57"),
          "foisa": ("foisa-review", "foisa-sic", "foisa-appeal"), "eisr": ("eisr-review", "foisa-sic", "foisa-appeal")}

# a sentence that applies a provision to this request ...
RELY_RE = re.compile(r"\brel(?:y|ies|ying|ied)\b|by virtue of|\bexempt|withh(?:e|o)ld|withheld|\bengaged?\b|\bappl(?:y|ies|ied|ying)\b|"
                     r"\brefus(?:e|ed|ing)\b|falls? (?:under|within)|neither\s+confirm|confirm or deny|\bunder (?:section|s\.?\s?\d|"
                     r"regulation|reg\.?\s?\d)|\bexception\b|\bcost limit\b|appropriate limit|vexatious|we (?:are|have) (?:decided|concluded)", re.I)
# ... and one that only mentions it: the law quoted, a list of what a notice may cite, another request
MENTION_RE = re.compile(r"\b(?:states?|provides?|says?|reads?|defines?)\s+(?:that|as follows|:)|^\s*[\"“]|"
                        r"section 17\s?\(5\)|\b(?:section|s\.?)\s?1[24]\b[^.]{0,20}\bor\b[^.]{0,20}\b(?:section|s\.?)\s?1[24]\b|"
                        r"closed under|previous(?:ly)?|earlier request|another request|other requests?|last year|"
                        r"for (?:example|instance)|such as (?:section|s\.?)", re.I)

# what the letter says was asked for: the query for past decisions on similar information
ASKED_RE = re.compile(r"\byour (?:request|e-?mail|letter)\b|\byou (?:asked|requested|wanted|sought)\b|"
                      r"\brequest(?:ed)? (?:for|about|regarding|concerning|relating to)\b|"
                      r"\binformation (?:about|on|regarding|concerning|relating to)\b", re.I)
ROUTINE_RE = re.compile(r"internal review|Information Commissioner|complain|\bappeal|copyright|re-?use|working days", re.I)


def request_gist(text: str, limit: int) -> str:
    """The sentences of a letter that say what was asked for, then those that apply a
    provision to it (the kind of information and the harm), at most limit characters;
    the letter's opening when it says neither. Short on purpose: it is embedded, and a
    letter's routine paragraphs (review rights, copyright) say nothing about the case."""
    said = [s for line in text.splitlines() for s in sentences(line.lstrip("#> "))]
    asked = []
    for i, s in enumerate(said):
        if ASKED_RE.search(s) and not ROUTINE_RE.search(s):
            asked.append(s)
            if s.rstrip().endswith(":") and i + 1 < len(said):      # "Your request was as follows:" and the request
                asked.append(said[i + 1])
    applied = [s for s in said if RELY_RE.search(s) and not ROUTINE_RE.search(s) and s not in asked]
    gist = " ".join(asked + applied[:2]) or " ".join(text.split())
    return gist[:limit]


@dataclass
class CitedProvision:
    section: str                 # as cited, normalised ("s24(2)")
    family: str                  # "s24"
    title: str
    absolute: bool | None
    ncnd: bool                   # relied on to neither confirm nor deny
    ncnd_provision: str | None   # the family's NCND subsection
    test: str | None
    exists: bool


@dataclass
class NextStep:
    topic: str                   # internal-review | s50 | s57 (wording: prompts/next_steps.yaml)
    deadline: date | None = None


@dataclass
class LetterFindings:
    text: str
    provisions: list[CitedProvision]         # the provisions the letter applies to this request
    ncnd: bool
    not_held: bool
    checks: list[Check]
    authority: str | None
    reference: str | None
    letter_date: date | None
    received: date | None
    is_review: bool
    next_steps: list[NextStep] = field(default_factory=list)
    regime: str = "foia"                      # foia | eir | foisa | eisr
    mentioned: list[str] = field(default_factory=list)   # named in passing, not relied on

    @property
    def failed(self) -> list[Check]:
        return [c for c in self.checks if not c.ok]


LETTER_HEAD_CHARS = 400   # a letter's own date is normally in its first lines


def letter_date_of(text: str) -> date | None:
    """The date the letter was sent: a date near the top that is not the date
    of the request or of its receipt; failing that, the latest date given."""
    dates = [(pos, d) for pos, d in metadata.all_dates(text)
             if not re.search(r"(?:received|dated|request of|email of|letter of|on)\s+(?:on\s+)?(?:the\s+)?$",
                              text[max(0, pos - 30):pos], re.I)]
    head = [d for pos, d in dates if pos < LETTER_HEAD_CHARS]
    if head:
        return head[0]
    return max((d for _, d in dates), default=None)


def letter_regime(text: str) -> str:
    return next((regime for regime, pattern in REGIME_CUES if pattern.search(text)), "foia")


def relied_and_mentioned(text: str, regime: str) -> tuple[list[str], list[str]]:
    """The grounds a letter applies to this request, and those it only names: in quoted
    law, in a list of what a notice may rely on ("section 12 or section 14"), or about
    another matter ("a record closed under s40"). A terse letter that never says how it
    uses a provision is taken to rely on every one it names."""
    reg = regime if regime != "foia" else None
    grounds = lambda cs: [c for c in cs if REGISTRY.get(c) and REGISTRY.get(c).kind in ("exemption", "refusal")]  # noqa: E731
    relied: list[str] = []
    named: list[str] = []
    for sentence in sentences(text):
        cs = grounds(parse_citations(sentence, regime=reg))
        named.extend(c for c in cs if c not in named)
        if cs and RELY_RE.search(sentence) and not MENTION_RE.search(sentence):
            relied.extend(c for c in cs if c not in relied)
    if not relied:
        return named, []
    rel_fams = {REGISTRY.family(c) for c in relied}
    relied += [c for c in named if c not in relied and REGISTRY.family(c) in rel_fams]   # "24(2)" beside "Section 24"
    return [c for c in named if c in relied], [c for c in named if c not in relied]


def analyse_letter(text: str, today: date | None = None) -> LetterFindings:
    if not text or not text.strip():
        raise ValueError("the letter is empty")
    regime = letter_regime(text)
    cited, mentioned = relied_and_mentioned(text, regime)
    is_ncnd = bool(NCND_RE.search(text))
    ncnd_set = set(ncnd_claims(text, regime)) if is_ncnd else set()
    provisions: list[CitedProvision] = []
    for c in cited:
        prov = REGISTRY.get(c)
        if prov is None or prov.kind not in ("exemption", "refusal"):
            continue
        # a family cited both bare ("Section 24") and exactly ("24(2)"): keep the exact one
        if any(p.family == prov.key and p.section != prov.key for p in provisions) and c == prov.key:
            continue
        provisions = [p for p in provisions if not (p.family == prov.key and p.section == prov.key)]
        provisions.append(CitedProvision(
            section=c, family=prov.key, title=prov.title,
            absolute=REGISTRY.is_absolute(c), ncnd=c in ncnd_set or (is_ncnd and REGISTRY.is_ncnd_provision(c)),
            ncnd_provision=prov.ncnd, test=prov.test, exists=REGISTRY.exists(c)))
    m = next((m for m in (r.search(text) for r in RECEIVED_RES) if m), None)
    received = metadata.first_date(m.group(1)) if m else None
    letter_date = letter_date_of(text)
    if received and letter_date and received > letter_date:
        received = None
    not_held = bool(re.search(r"\bnot held\b|no (?:recorded )?information (?:is )?held|do(?:es)? not hold", text, re.I))
    checks = check_response(text, ncnd=is_ncnd, received=received, sent=letter_date,
                            partial_not_held=not_held, regime=regime, relied=[p.section for p in provisions])
    findings = LetterFindings(text=text, provisions=provisions, ncnd=is_ncnd, not_held=not_held, checks=checks,
                              authority=metadata.authority(text), reference=metadata.reference(text),
                              letter_date=letter_date, received=received, is_review=bool(REVIEW_LETTER_RE.search(text)),
                              regime=regime, mentioned=[c for c in mentioned if c not in {p.section for p in provisions}])
    findings.next_steps = next_steps(findings, today)
    return findings


def next_steps(f: LetterFindings, today: date | None = None) -> list[NextStep]:
    """The routes open to the requester under the letter's Act, with the review deadline
    counted from the letter's date."""
    review, commissioner, appeal = ROUTES.get(f.regime, ROUTES["foia"])
    steps: list[NextStep] = []
    if not f.is_review:
        ask_by = add_working_days(f.letter_date, REVIEW_ASK_WORKING_DAYS) if f.letter_date else None
        steps.append(NextStep(review, ask_by))
    steps.append(NextStep(commissioner))
    steps.append(NextStep(appeal))
    return steps
