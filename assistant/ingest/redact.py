"""Personal data redaction for letters and documents: email addresses, UK phone
numbers, UK postcodes, postal addresses and people's names are replaced by
typed placeholders ([EMAIL], [PHONE], [POSTCODE], [ADDRESS], [NAME]).

    redact(text, keep={"foi@example.gov.uk"}) -> Redaction(text, found, spans)

Patterns, not a model. Explosion publishes spaCy's trained English pipelines
as GitHub release files, not on PyPI (this machine reaches PyPI only); the
copies on PyPI are re-uploads by third parties. So every recogniser here is a
regular expression or a small rule over lines, with nothing beyond the
standard library: deterministic, pure and fast (the text of a 2,000-page
document in about a second).

What is caught:
- EMAIL: any address of the usual shape, generic mailboxes included
  (foi@example.gov.uk): pass one in `keep` to keep it.
- PHONE: UK numbers beginning 01, 02, 03, 07 or 08, or +44 / 0044 (with or
  without "(0)"), written with spaces, dashes or brackets, checked for a UK
  number's length (10 or 11 digits).
- POSTCODE: UK postcodes in capitals ("EX4 7QT", "SW1A2AA").
- ADDRESS: a street line ("12 Acacia Avenue", "Flat 3, 21 High Street") with
  the lines around it that belong to the address (flat or house name above;
  town, county, postcode and country below), or a block of town lines ending
  in a postcode: one [ADDRESS] for the whole block. In running text: the
  street, the towns after it (", Exampletown") and a postcode. An
  organisation's own address is redacted too (its name is kept).
- NAME: after a title (Mr, Mrs, Ms, Miss, Mx, Dr, Prof, Sir, Dame, Lord,
  Lady, Cllr, Councillor, Rev, PC, DC, DS, DI, DCI, PCSO, Sgt, Inspector,
  Chief Inspector, Superintendent, Constable ...; the title is kept: "Ms
  [NAME]"); in a salutation ("Dear Jane Smith,", "Hi Jane,"); the name
  line(s) of a signature after "Yours sincerely/faithfully", "Kind regards",
  "Best wishes", "Many thanks" ...; the value of a "From:", "To:", "Cc:",
  "Name:", "Requester:" header; the line naming the addressee just above an
  address block; a given name from assistant/data/given_names.txt followed by
  a surname ("Sarah Jones"). Every name found is then redacted wherever else
  it occurs (the full name, and each of its words unless that word is also an
  ordinary English word, like Brown or Green), with the capitalised word or
  initial just before it ("Priya Patel" once "Ms Patel" is known).

What is kept (never redacted): names of public bodies and organisations (a
run of capitalised words holding Council, Police, Constabulary, NHS, Trust,
Department, Ministry, Office, Commissioner, University, Hospital, Service,
Tribunal, Court, Board, Ltd, plc ...), job titles and teams (a run holding
Officer, Manager, Adviser, Unit, Team, Head of ...), provisions ("section
40(2)", "s31(3)", "regulation 12(5)(e)"), reference numbers ("FOI-2025-0142",
"FOI 2025 0142", anything after "Our ref:"), dates, and every string passed in
`keep` (matched exactly, case-sensitively). Case names ("Dransfield v
Information Commissioner") are left as they are: they are citations.

What is missed: a name with no title, salutation, signature, header or
address beside it whose given name is not in the list ("Priya said ...",
unless Priya was found elsewhere in the text), and given names left out of
the list because they are also words (Mark, Will, Grace, May ...); names in
lower case; lower-case postcodes; addresses with neither a street number nor
a postcode; other countries' phone numbers; other identifiers (NI and NHS
numbers, dates of birth, vehicle registrations). An organisation named after
a person is kept whole ("Liverpool John Moores University", "DS Smith plc"),
and so is a name written in one run of capitalised words with an
organisation word after it ("Jane Smith Example Council" with no comma).
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable

__all__ = ["Redaction", "Span", "TYPES", "PLACEHOLDERS", "redact"]

TYPES = ("EMAIL", "PHONE", "POSTCODE", "ADDRESS", "NAME")
PLACEHOLDERS = {t: f"[{t}]" for t in TYPES}
NAMES_FILE = Path(__file__).resolve().parent.parent / "data" / "given_names.txt"


@dataclass(frozen=True)
class Span:
    """A redacted stretch of the original text: text[start:end] became [kind]."""
    start: int
    end: int
    kind: str


@dataclass(frozen=True)
class Redaction:
    text: str                                   # the text with placeholders
    found: dict[str, int] = field(default_factory=dict)   # placeholders put in, by type (every type, 0 if none)
    spans: tuple[Span, ...] = ()                # where, in the original text, in order


# ---------------------------------------------------------------- word lists

@lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    lines = [ln for ln in NAMES_FILE.read_text(encoding="utf-8").splitlines() if not ln.lstrip().startswith("#")]
    return frozenset(w.lower() for ln in lines for w in ln.split())


def _words(s: str) -> frozenset[str]:
    return frozenset(s.split())


# Words that make a run of capitalised words the name of a body or organisation.
ORG_WORDS = _words("""Council Councils Police Constabulary NHS Trust Trusts Department Departments Ministry Office
Offices Commissioner Commissioners Commission University Universities College School Schools Academy Authority
Authorities Agency Service Services Government Tribunal Tribunals Court Courts Board Limited Ltd LTD plc PLC LLP
Hospital Hospitals Executive Inspectorate Parliament Assembly Committee Foundation Society Association Institute
Institution Corporation Company Group Partnership Force Fire Rescue Library Museum Federation Union Bank Charity
Centre Center Surgery Clinic Prison Registry Archives Bureau Network Cabinet Treasury Directorate Alliance League
Fund Forum Campaign Coalition Guild Church Diocese Cathedral Parish Inc Corp HMRC DVLA BBC ICO Ofsted Ofcom Ofgem
Ofwat CPS IOPC""")
# Words that make a run of capitalised words a job title or a team.
JOB_WORDS = _words("""Officer Officers Manager Managers Adviser Advisor Advisers Coordinator Co-ordinator Lead
Director Analyst Assistant Administrator Clerk Solicitor Caseworker Controller Practitioner Specialist Consultant
Secretary Team Unit Division Branch Secretariat Registrar Counsel Head""")
_KW = ORG_WORDS | JOB_WORDS
_CONNECTORS = frozenset({"of", "for", "the", "and", "&", "on", "in", "upon"})

_MONTHS = "january february march april may june july august september october november december"
_DAYS = "monday tuesday wednesday thursday friday saturday sunday"
# Lower-cased words that are never a person's name or a place in an address
# line: org and job words, words of letters and of the Acts, generic salutations.
STOP = frozenset(w.lower() for w in _KW) | _words(_MONTHS + " " + _DAYS + """
information rights data protection governance compliance disclosure records freedom legal corporate customer
request requests response re subject private confidential dear yours sincerely faithfully regards thanks thank
date dated ref reference our your my tel telephone email e-mail phone mobile fax web website www page annex
appendix enclosure enclosures enc encl attachment foi foia eir eirs foisa act acts regulation regulations section
sections internal review decision notice outcome background summary introduction harm public interest test
factors balance exemption exemptions exemptions note notes by hand post only urgent copy cc bcc sir madam
colleague colleagues requester applicant customer all everyone hello hi friend friends member members resident
residents parent parents sirs team whom it concern the a an and or of to for in on with from at as this that
these those we you i he she they it is are was be not no yes please wishes
yesterday today tomorrow however meanwhile then also later earlier when if but so here there what why how
where which while after before since until during following regarding about under over
sent received signed chief deputy senior principal general justice chancellor mayor advocate president
lieutenant provost privy chamberlain speaker who foster madam mrs mr ms miss dr prof professor crown
magistrates uk gb
""")
# Surnames that are also ordinary words: found next to a title or a given
# name they are redacted there, but not spread to every occurrence alone.
COMMON_SURNAMES = frozenset(w.lower() for w in _words("""Brown Green White Black Grey Gray Young Old King Wood
Hill Moore Hall Ward Rose Bell Cook Baker Wells Hope Mills Banks Marsh Fox Lamb Stone Rich Long Little Sharp
Lord Church Page Price Rice Hunt Walker Turner Carter Cooper Parker Fisher Mason Hunter Shepherd Archer Butler
Chambers Cross Field Fields Ford Gardner Gardener Glass Golding Hart Hope Hutton Lane Law Lee May Miles Moss
North Palmer Penny Pike Pool Porter Power Reader Read Reed Rush Sage Salt Sands Savage Short Sparrow Spring
Steel Street Summer Summers Swan Tanner Trim Waters Weaver West Wild Winter Wise Wolf Woods Wright Bird Best
Dean Cash Frost Gold Good Goodman Hardy Hay Holmes Jay Knight Love Mann Noble Oak Parsons Pope Post Ray Rose
Snow Strong Sweet Temple Tower Vale Vine Wall Ward Webb Wells Bishop Chancellor Day Judge Major Money"""))
# words before "Court" that make it a court, not an address ("12 Crown Court")
_COURT_WORDS = _words("crown magistrates county high supreme appeal family youth combined coroner's coroners "
                      "district sheriff")
_NOT_A_PERSON = frozenset({"thomas cook", "charlie hebdo", "john lewis", "marks spencer", "john laing", "jack wills"})
# a given name after one of these is part of a place or a body's name
_BEFORE_PLACE = re.compile(r"(?:\bSt|\bSaint|\bQueen|\bKing|\bPrince|\bPrincess|\bDuke|\bLake|\bPort|\bFort|\bMount)\.?[ \t]+$")
# after a given name these make a place or a building, not a surname ("Victoria Street",
# "Elizabeth House"); Hall, Hill, Green, Park, Ward, Lane, Wood ... are surnames too, and
# a given name before them is taken for a person
_PLACE_WORDS = _words("""academy avenue bridge building buildings centre close college court estate foundation fund
gallery hospital house infirmary institute library line memorial museum road school square station street trust
unit university way valley drive place gardens grove terrace crescent mews gate wharf yard quay embankment
parade circus""")
_POSTNOMINALS = _words("MBE OBE CBE KBE DBE QPM KPM BEM LLB LLM BA BSc MA MSc PhD MBA FCA ACA CIPP DPO QC KC JP MP")

# ---------------------------------------------------------------- patterns

_UP = "A-ZÀ-ÖØ-Þ"                                  # capital letters, Latin-1 included (Ó, Á, Ø)
_LOW = "a-zß-öø-ÿĀ-ž"                             # small letters (Latin Extended-A: ŵ, ŷ, ő ...)
_NAMEW = (rf"[{_UP}](?:['’][{_UP}])?[{_LOW}]+(?:[{_UP}][{_LOW}]+)?"     # Smith, O'Brien, McDonald, Siân
          rf"(?:-[{_UP}][{_LOW}]+)?")                                  # Smith-Jones
_UPPERW = rf"[{_UP}]{{2,}}(?:['’-][{_UP}]+)?"                          # SMITH
_NAMEW_RE = re.compile(_NAMEW)
_NAMEW_FULL = re.compile(rf"(?:{_NAMEW})")
_UPPERW_FULL = re.compile(_UPPERW)
_INITIALS_FULL = re.compile(rf"(?:[{_UP}]\.?){{1,3}}")

# Each pattern that scans the whole text begins with a literal or a set of
# characters (the regex engine then skips fast to candidates); the boundary
# before it is a lookbehind placed after that first character.
_AT_DOMAIN = re.compile(r"@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_LOCAL_PART = re.compile(r"[A-Za-z0-9][\w.+-]{0,127}$")
PHONE_RE = re.compile(r"""
    (?:\+(?<![\w+/.-]\+)[ \t]?44[ \t-]?(?:\(0\)[ \t-]?)?\(?\d{2,5}\)?      # +44 20 ..., +44 (0)20 ...
      |0(?<![\w+/.-]0)(?:044[ \t-]?(?:\(0\)[ \t-]?)?\(?\d{2,5}\)?         # 0044 ...
                        |\d{2,5})                                   # 020 ..., 01632 ..., 07700 ...
      |\((?<![\w+/.-]\()0\d{2,5}\))                                # (020) ..., (01632) ...
    (?:[ \t-]?\d{2,4}){1,3}
    (?![\w/-]|\.\d)""", re.X)
_PC = r"(?:[A-Z]{1,2}\d[A-Z\d]?|GIR)[ \t]?\d[ABD-HJLNP-UW-Z]{2}"
POSTCODE_RE = re.compile(r"[A-Z](?<!\w[A-Z])[A-Z]?\d[A-Z\d]?[ \t]?\d[ABD-HJLNP-UW-Z]{2}\b"
                         r"|GIR(?<!\wGIR)[ \t]?0AA\b")

_SUFFIX = (r"(?:(?:Street|Road|Avenue|Lane|Close|Drive|Way|Crescent|Place|Gardens|Grove|Terrace|Court|Square|Hill|"
           r"Park|Row|Walk|Mews|View|Rise|Green|Parade|Vale|Wharf|Yard|Gate|Circus|Embankment|Quay|Wynd|Brae|"
           r"Heights|Meadows?|Fields?|Croft|Chase|Promenade|Approach|Boulevard|Broadway)\b"
           r"|(?:St|Rd|Ave|Ln|Dr|Cres|Pl|Gdns|Tce|Ct|Sq)\b\.?)")
_SWORD = r"[A-Z][\w'’.-]*"
_PREFIX = r"(?:(?:Flat|Apartment|Apt|Unit|Suite|Room|Studio)\.?[ \t]*\d{1,4}[A-Za-z]?[ \t]*,?[ \t]+)"
_HOUSE_NO_SCAN = r"(?P<no>\d(?<![\w/.-]\d)\d{0,3}[A-Za-z]?(?:[ \t]?[-–][ \t]?\d{1,4}[A-Za-z]?)?)"
STREET_RE = re.compile(rf"{_HOUSE_NO_SCAN},?[ \t]+(?P<words>(?:{_SWORD}[ \t]+){{1,3}}){_SUFFIX}")
_PREFIX_BEFORE = re.compile(rf"(?<![\w/.-]){_PREFIX}$")            # "Flat 3, " before a street
_TOWN_TAIL = re.compile(r",[ \t]*([A-Z][A-Za-z'’-]+(?![\w])(?:[ \t]+(?:[A-Z][A-Za-z'’-]+|upon|on|in|under|by|le|de|next|the)"
                        r"(?![\w])){0,3})")
_PC_TAIL = re.compile(rf",?[ \t]*{_PC}\b")
_STREET_NONUM = re.compile(rf"(?:The[ \t]+)?(?:{_SWORD}[ \t]+){{1,3}}{_SUFFIX}")
_PREFIX_LINE = re.compile(rf"(?:(?:Flat|Apartment|Apt|Unit|Suite|Room|Studio|Block)\.?[ \t]*\w{{1,5}}"
                          rf"|(?:Ground|First|Second|Third|Fourth|Top|Basement|\d+(?:st|nd|rd|th))[ \t]+Floor)"
                          rf"(?:,?[ \t]+{_SWORD}(?:[ \t]+{_SWORD}){{0,3}})?")
_HOUSE_LINE = re.compile(rf"(?:{_SWORD}[ \t]+){{0,3}}(?:Cottage|Cottages|House|Farm|Farmhouse|Lodge|Barn|Manor|Mill|"
                         rf"Rectory|Vicarage|Villa|Bungalow|Hall|Court|Mansions|Buildings|Apartments|Tower|Chambers|"
                         rf"Gardens|Grange|Croft|Oast|Place)")
_TOWN_WORD = re.compile(r"[A-Z][a-z'’.]*(?:-[A-Za-z'’]+)*|[A-Z]{2,}(?:-[A-Z]+)*")
_TOWN_LINK = frozenset({"upon", "on", "in", "under", "by", "le", "la", "de", "of", "next", "the", "sea", "en", "-"})
_COUNTRY_LINE = re.compile(r"(?:United Kingdom|UK|U\.K\.|England|Scotland|Wales|Northern Ireland|Great Britain|GB)")
_POSTCODE_LINE = re.compile(rf"(?:(?P<town>[^\d\n][^\n]*?),?[ \t]+)?{_PC}")

_END_OF_NAME = r"(?![\w-])(?!['’][a-rt-z])"                          # Smith, Smith's; not O'Brien cut short
_TITLES = sorted("""Mr Mrs Ms Miss Mx Dr Prof Professor Sir Dame Lord Lady Cllr Councillor Rev Revd Reverend PC DC DS
DI DCI DSI DCS PCSO WPC Sgt Sergeant Inspector Insp Superintendent Supt Constable Commander""".split()
                 + ["Chief Inspector", "Chief Superintendent", "Police Constable", "Detective Constable",
                    "Detective Sergeant", "Detective Inspector", "Detective Chief Inspector", "Chief Constable",
                    "Deputy Chief Constable", "Assistant Chief Constable", "Police Sergeant"], key=len, reverse=True)
_TITLE_WORDS = frozenset(t for t in _TITLES if " " not in t)
TITLE_RE = re.compile(r"(?:" + "|".join(re.escape(t).replace(r"\ ", r"[ \t]+") for t in _TITLES) + r")\b\.?"
                      rf"[ \t]+(?P<name>(?:[{_UP}]\.?[ \t]*){{0,3}}(?:{_NAMEW}|{_UPPERW}){_END_OF_NAME}"
                      rf"(?:[ \t]+(?:{_NAMEW}|{_UPPERW}|[{_UP}]\.?){_END_OF_NAME}){{0,3}})")
SALUTATION_RE = re.compile(r"^[ \t]*(?:Dear|Hi|Hello|Hey)[ \t]+(?P<v>[^\n,:;!]+)", re.M)
CLOSING_RE = re.compile(r"^[ \t]*(?i:(?P<strong>yours[ \t]+(?:sincerely|faithfully|truly|respectfully)"
                        r"|(?:with[ \t]+)?(?:kind(?:est)?|best|warm(?:est)?|many)[ \t]+(?:regards|wishes|thanks)"
                        r"|with[ \t]+thanks)|regards|thanks(?:[ \t]+again)?|thank[ \t]+you|best)"
                        r"[ \t]*[,.!]?[ \t]*(?P<rest>[^\n]*)$", re.M)
HEADER_RE = re.compile(r"^[ \t]*(?i:from|to|cc|bcc|sender|recipient|requester|applicant|name|full[ \t]+name|"
                       r"your[ \t]+name|requester[ \t]+name|signed|sent[ \t]+by|requested[ \t]+by|submitted[ \t]+by)"
                       r"[ \t]*:[ \t]*(?P<v>[^\n]*)$", re.M)
GIVEN_RE = re.compile(r"([A-Z](?<!\w[A-Z])[a-z]{2,})(?=[ \t]+[A-Z])")
_SURNAME_AFTER = re.compile(rf"[ \t]+(?:(?P<mid>[A-Z]\.?|{_NAMEW})[ \t]+)?(?P<sur>{_NAMEW}|{_UPPERW}){_END_OF_NAME}")

_MON = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|"
        r"Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
DATE_RE = re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)?[ \t]+(?:of[ \t]+)?{_MON},?[ \t]+\d{{4}}\b"
                     rf"|\b{_MON}[ \t]+\d{{1,2}}(?:st|nd|rd|th)?,?[ \t]+\d{{4}}\b"
                     rf"|\b(?:January|February|March|April|June|July|August|September|October|November|December)"
                     rf"[ \t]+\d{{4}}\b"
                     r"|\b\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})\b|\b\d{4}-\d{2}-\d{2}\b")
PROVISION_RE = re.compile(r"\b(?:[Ss]ections?|[Ss]s?\.|[Ss](?=\d)|[Rr]egulations?|[Rr]egs?\.?|[Aa]rticles?|"
                          r"[Pp]aragraphs?|[Pp]aras?\.?|[Ss]chedule|[Pp]art|[Rr]ule|[Cc]lause)[ \t]*"
                          r"\d+[A-Z]?(?:\([0-9a-z]{1,4}\))*(?:[ \t]*(?:and|or|,|to|-|–)[ \t]*\d+[A-Z]?"
                          r"(?:\([0-9a-z]{1,4}\))*)*")
REFERENCE_RE = re.compile(
    r"\b(?!(?:TEL|FAX|MOB|MOBILE|PHONE|DDI|DD|SMS)\b)[A-Z]{2,6}(?:[-/ ]?\d{3,}|[-/]\d+)(?:[-/.][A-Z0-9]*\d[A-Z0-9]*|[-/][A-Z0-9]+)*(?:[ ]\d{3,6}){0,3}\b"
    r"|(?i:\b(?:our|your|my)[ \t]+ref(?:erence)?|\bref(?:erence)?(?:[ \t]+(?:no|number))?|\bcase[ \t]+(?:ref(?:erence)?|no|number)"
    r"|\brequest[ \t]+(?:ref(?:erence)?|no|number)|\bFOI[ \t]+(?:ref(?:erence)?|no|number))\.?[ \t]*[:#][ \t]*"
    r"[A-Za-z0-9][\w./-]*\d[\w./-]*(?:[ \t][\w./-]*\d[\w./-]*){0,3}")
HARD_RE = re.compile("|".join(f"(?:{rx.pattern})" for rx in (PROVISION_RE, REFERENCE_RE, DATE_RE)))
_DIGIT = re.compile(r"\d")
_CAPWORD = re.compile(r"[A-Z][\w&-]*|plc\b")          # the keywords are capitalised, but for "plc"
_TOKEN = re.compile(r"\S+")
_LEAD_PUNCT = "(\"'“‘[<"
_TRAIL_PUNCT = ",.;:!?)\"'”’]>"

# ---------------------------------------------------------------- intervals


class _Intervals:
    """Disjoint half-open intervals, sorted: overlap and cover tests by bisection."""

    def __init__(self, spans: Iterable[tuple[int, int]] = ()):
        merged: list[list[int]] = []
        for s, e in sorted(spans):
            if e <= s:
                continue
            if merged and s <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], e)
            else:
                merged.append([s, e])
        self.starts = [s for s, _ in merged]
        self.ends = [e for _, e in merged]

    def overlaps(self, s: int, e: int) -> bool:
        i = bisect_right(self.starts, e - 1) - 1          # last interval starting before e
        return i >= 0 and self.ends[i] > s

    def subtract(self, s: int, e: int) -> list[tuple[int, int]]:
        out, cur = [], s
        i = max(0, bisect_right(self.starts, s) - 1)
        while i < len(self.starts) and self.starts[i] < e:
            if self.ends[i] > cur:
                if self.starts[i] > cur:
                    out.append((cur, self.starts[i]))
                cur = max(cur, self.ends[i])
            i += 1
        if cur < e:
            out.append((cur, e))
        return out


class _Accepted:
    """Accepted spans, disjoint, kept sorted as they come."""

    def __init__(self):
        self.starts: list[int] = []
        self.items: dict[int, tuple[int, str]] = {}

    def free(self, s: int, e: int) -> bool:
        i = bisect_left(self.starts, s)
        if i < len(self.starts) and self.starts[i] < e:
            return False
        if i > 0 and self.items[self.starts[i - 1]][0] > s:
            return False
        return True

    def add(self, s: int, e: int, kind: str) -> bool:
        if e <= s or not self.free(s, e):
            return False
        insort(self.starts, s)
        self.items[s] = (e, kind)
        return True

    def spans(self) -> list[Span]:
        return [Span(s, self.items[s][0], self.items[s][1]) for s in self.starts]


# ---------------------------------------------------------------- lines

_MAX_LINE = 200          # an address, name or signature line is never longer


def _line_of(text: str, s: int, e: int | None = None, cap: int = _MAX_LINE) -> tuple[int, int] | None:
    """(start, end) of the line holding text[s:e], or None when it is longer
    than `cap` (a text with few newlines must not cost a scan per candidate)."""
    e = s if e is None else e
    lo = max(0, s - cap - 1)
    ls = text.rfind("\n", lo, s)
    if ls < 0:
        if lo > 0:
            return None
        ls = 0
    else:
        ls += 1
    hi = min(len(text), e + cap + 1)
    le = text.find("\n", e, hi)
    if le < 0:
        if hi < len(text):
            return None
        le = len(text)
    return (ls, le) if le - ls <= cap else None


# ---------------------------------------------------------------- protected spans

def _keep_spans(text: str, keep: Iterable[str]) -> list[tuple[int, int]]:
    words = sorted({k for k in keep if k and k.strip()}, key=len, reverse=True)
    if not words:
        return []
    out = []
    for m in re.finditer("|".join(re.escape(k) for k in words), text):
        s, e = m.span()
        k = m.group()
        if (k[0].isalnum() and s > 0 and (text[s - 1].isalnum() or text[s - 1] == "_")) or \
                (k[-1].isalnum() and e < len(text) and (text[e].isalnum() or text[e] == "_")):
            continue                                    # part of a longer word
        out.append((s, e))
    return out


def _clean(tok: str) -> tuple[str, int, int]:
    """A token without the punctuation around it, and how much was cut on each side."""
    if tok[0] not in _LEAD_PUNCT and tok[-1] not in _TRAIL_PUNCT and "'" not in tok and "’" not in tok:
        return tok, 0, 0
    a = len(tok) - len(tok.lstrip(_LEAD_PUNCT))
    core = tok[a:]
    b = len(core) - len(core.rstrip(_TRAIL_PUNCT))
    core = core[:len(core) - b] if b else core
    if core.endswith(("'s", "’s")):
        core = core[:-2]
    return core, a, b


def _soft_runs(text: str, lo: int, hi: int, target: tuple[int, int] | None = None) -> list[tuple[int, int]]:
    """Names of bodies, organisations, job titles and teams in text[lo:hi] (a
    line): around each keyword, the run of capitalised words (joined by single
    spaces, with "of", "for", "the", "and" between them) that holds it, up to
    its last keyword word, with "of ..." / "for ..." after it ("Ministry of
    Justice", "Office of the Police and Crime Commissioner", "Queen Elizabeth
    Hospital NHS Trust"). With `target`, only the runs holding a word of it."""
    toks = []
    for t in _TOKEN.finditer(text, lo, hi):
        core, a, b = _clean(t.group())
        toks.append((t.start() + a, t.start() + a + len(core), core, a > 0, b > 0))
    out: list[tuple[int, int]] = []

    def joinable(i: int, j: int) -> bool:                # tokens i and j=i+1 in one run
        return text[toks[i][1]:toks[j][0]] in (" ", "'s ", "’s ") and not toks[i][4] and not toks[j][3]

    def capital(i: int) -> bool:
        c = toks[i][2]
        return bool(c) and (c[0].isupper() or c in _KW)        # "plc"

    def link(i: int) -> bool:
        return toks[i][2] in _CONNECTORS

    if target:
        heads = [h for h, t in enumerate(toks) if t[0] < target[1] and t[1] > target[0]]
    else:
        heads = [h for h, t in enumerate(toks) if t[2] in _KW]
    done = -1
    for h in heads:
        if h <= done:
            continue
        i = h
        while i > 0 and joinable(i - 1, i) and (capital(i - 1) or link(i - 1)):
            i -= 1
        j = h
        while j + 1 < len(toks) and joinable(j, j + 1) and (capital(j + 1) or link(j + 1)):
            j += 1
        while i < h and link(i):
            i += 1
        while j > h and link(j):
            j -= 1
        done = j
        if target and not any(toks[k][2] in _KW for k in range(i, j + 1)):
            continue
        # segments of capitalised words, and the connector words before each
        segs: list[list[int]] = []
        conns: list[str] = []
        pending: list[str] = []
        for k in range(i, j + 1):
            if link(k) and not capital(k):
                pending.append(toks[k][2])
                continue
            if pending or not segs:
                segs.append([k])
                conns.append(pending[0] if pending else "")
                pending = []
            else:
                segs[-1].append(k)
        is_kw = [any(toks[k][2] in _KW for k in seg) for seg in segs]
        inc = [False] * len(segs)
        for s_i in range(len(segs)):
            if not is_kw[s_i]:
                continue
            inc[s_i] = True
            if s_i > 0 and conns[s_i] in ("and", "&") and len(segs[s_i - 1]) == 1:
                inc[s_i - 1] = True                      # "Fire and Rescue Service"
            t_i = s_i + 1
            while t_i < len(segs):
                c = conns[t_i]
                if c in ("of", "for", "on", "in", "upon", "the") or \
                        (c in ("and", "&") and (len(segs[t_i]) == 1 or is_kw[t_i])):
                    inc[t_i] = True                      # "Ministry of Justice", "Business and Trade"
                else:
                    break
                t_i += 1
        s_i = 0
        while s_i < len(segs):
            if not inc[s_i]:
                s_i += 1
                continue
            t_i = s_i
            while t_i + 1 < len(segs) and inc[t_i + 1]:
                t_i += 1
            last = segs[t_i]
            if is_kw[t_i]:                               # end at the last keyword word
                last = [k for k in last if k <= max(k2 for k2 in last if toks[k2][2] in _KW)]
            else:                                        # "Head of Governance Sarah Jones": not her
                names = given_names()
                cut = next((n for n, k in enumerate(last[:-1]) if toks[k][2].lower() in names), None)
                if cut is not None and (cut or t_i > s_i):
                    last = last[:cut] if cut else segs[t_i - 1]
            out.append((toks[segs[s_i][0]][0], toks[last[-1]][1]))
            s_i = t_i + 1
    return out


class _Guard:
    """What may not be redacted, found lazily around each candidate (a scan of
    the whole text for dates, provisions and organisations would cost more than
    all the recognisers together).
    hard: `keep`, provisions, references, dates: nothing redacts them.
    soft: organisations, job titles, teams: a name found after a title, by a
    given name or by spreading may not overlap them ("DS Smith plc"); a name
    from a salutation, signature, header or addressee line, whose rules refuse
    lines with such words, and an address may."""

    PAD = 60          # a date, provision or reference overlapping a candidate starts or ends this near it
    SOFT_PAD = 150    # a body's name overlapping a candidate lies within this

    def __init__(self, text: str, keep: Iterable[str]):
        self.text = text
        self.keep = _Intervals(_keep_spans(text, keep))

    def hard_spans(self, s: int, e: int) -> list[tuple[int, int]]:
        lo, hi = max(0, s - self.PAD), min(len(self.text), e + self.PAD)
        a = self.text.rfind("\n", lo, s)
        b = self.text.find("\n", e, hi)
        lo, hi = (lo if a < 0 else a + 1), (hi if b < 0 else b)
        out = []
        if _DIGIT.search(self.text, lo, hi):              # every date, provision and reference has a digit
            out = [m.span() for m in HARD_RE.finditer(self.text, lo, hi) if m.start() < e and m.end() > s]
        i = bisect_left(self.keep.starts, e) - 1
        while i >= 0 and self.keep.ends[i] > s:
            out.append((self.keep.starts[i], self.keep.ends[i]))
            i -= 1
        return out

    def hard(self, s: int, e: int) -> bool:
        return bool(self.hard_spans(s, e))

    def soft(self, s: int, e: int) -> bool:
        text = self.text
        lo, hi = max(0, s - self.SOFT_PAD), min(len(text), e + self.SOFT_PAD)
        a, b = text.rfind("\n", lo, s), text.find("\n", e, hi)
        if a < 0 and lo > 0:
            lo = text.find(" ", lo, s) + 1 or lo          # start and end on a word boundary
        if b < 0 and hi < len(text):
            cut = text.rfind(" ", e, hi)
            hi = hi if cut < 0 else cut
        lo, hi = (lo if a < 0 else a + 1), (hi if b < 0 else b)
        if not any(w.group() in _KW for w in _CAPWORD.finditer(text, lo, hi)):
            return False
        return any(x < e and y > s for x, y in _soft_runs(text, lo, hi, (s, e)))


# ---------------------------------------------------------------- names

def _name_in(s: str, base: int) -> tuple[int, int] | None:
    """If the whole of s (a line, a header's value, a salutation) is a person's
    name, possibly with a title before it and post-nominals after, the span of
    the name (without title or post-nominals) in the text."""
    toks = [(t.start(), t.end(), t.group()) for t in _TOKEN.finditer(s)]
    toks = [(a, b - (len(w) - len(w.rstrip(",;"))), w.rstrip(",;")) for a, b, w in toks]
    toks = [t for t in toks if t[2]]
    i = 0
    while i < len(toks) and toks[i][2].rstrip(".") in _TITLE_WORDS:
        i += 1
    j = len(toks)
    while j > i and toks[j - 1][2].rstrip(".") in _POSTNOMINALS:
        j -= 1
    body = toks[i:j]
    if not body or len(body) > 4:
        return None
    proper = 0
    for _, _, w in body:
        if _INITIALS_FULL.fullmatch(w) and (len(w) < 2 or "." in w):
            continue
        if w.lower().strip(".") in STOP:
            return None
        if _NAMEW_FULL.fullmatch(w) or _UPPERW_FULL.fullmatch(w):
            proper += 1
        elif not _INITIALS_FULL.fullmatch(w):
            return None
    if not proper:
        return None
    return base + body[0][0], base + body[-1][1]


def _leading_name(s: str, base: int) -> tuple[int, int] | None:
    """The name that s begins with: up to four name words or initials."""
    end, proper, n = None, 0, 0
    for t in _TOKEN.finditer(s):
        w = t.group()
        core = w.rstrip(",;:")
        initial = bool(_INITIALS_FULL.fullmatch(core)) and (len(core) < 2 or "." in core)
        if not initial and (core.lower().strip(".") in STOP or not (_NAMEW_FULL.fullmatch(core.rstrip("."))
                                                                     or _UPPERW_FULL.fullmatch(core))):
            break
        proper += not initial
        end, n = t.start() + len(core.rstrip(".") if not initial else core), n + 1
        if core != w or n == 4:
            break
    else:
        t = None
    if t is not None and end is not None and t.start() >= end and _clean(t.group())[0] in ORG_WORDS:
        return None                                     # "Kind regards Example Council": a body's name
    return (base + s.index(s.lstrip()[0]), base + end) if end and proper else None


def _title_names(text: str) -> list[tuple[int, int]]:
    out = []
    for m in TITLE_RE.finditer(text):
        if m.start() and (text[m.start() - 1].isalnum() or text[m.start() - 1] in "_-'’"):
            continue                                    # "MDS Smith", "SDr ..."
        s = m.start("name")
        ws = [(t.start(), t.end(), t.group()) for t in _TOKEN.finditer(m.group("name"))]
        keep_to = None
        for a, b, w in ws:
            if w.rstrip(".") in _TITLE_WORDS or (
                    not (_INITIALS_FULL.fullmatch(w) and (len(w) < 2 or "." in w)) and w.lower().strip(".") in STOP):
                break
            keep_to = b
        if keep_to is None:
            continue
        name = m.group("name")[:keep_to]
        if not _NAMEW_RE.search(name) and not re.search(_UPPERW, name):
            continue
        if name.split()[-1].lower() in _PLACE_WORDS:
            continue                                    # "Lord Street", "Prince Albert Road"
        out.append((s, s + keep_to))
    return out


def _salutation_names(text: str) -> list[tuple[int, int]]:
    out = []
    for m in SALUTATION_RE.finditer(text):
        v = m.group("v").rstrip(" \t\r")
        span = _name_in(v, m.start("v"))
        if span:
            out.append(span)
    return out


def _signature_names(text: str) -> list[tuple[int, int]]:
    out = []
    for m in CLOSING_RE.finditer(text):
        rest = m.group("rest")[:_MAX_LINE].rstrip(" \t\r")
        if rest:
            span = _name_in(rest, m.start("rest"))
            if not span and m.group("strong"):           # "Yours sincerely Sam Okafor Information Rights ..."
                span = _leading_name(rest, m.start("rest"))
            if span:
                out.append(span)
            continue
        pos, blanks, names = m.end() + 1, 0, 0
        while pos < len(text) and names < 3:
            bounds = _line_of(text, pos)
            if not bounds:
                break
            s, e = bounds
            line = text[s:e]
            stripped = line.strip()
            if not stripped or stripped.lower().strip("()[]. ") in ("signed", "signature", "pp", "p.p"):
                blanks += 1
                if blanks > 3 or names:
                    break
                pos = e + 1
                continue
            span = _name_in(line.rstrip(" \t\r"), s)
            if not span and not names and m.group("strong") and line.strip():
                span = _leading_name(line.strip(), s + len(line) - len(line.lstrip()))   # "Sam Okafor, DPO"
            if not span:
                break
            out.append(span)
            names += 1
            pos = e + 1
    return out


def _header_names(text: str) -> list[tuple[int, int]]:
    out = []
    for m in HEADER_RE.finditer(text):
        v, base = m.group("v"), m.start("v")
        if len(v) > _MAX_LINE:
            continue
        for part in re.finditer(r"[^;]+", v):
            piece, pbase = part.group(), base + part.start()
            cut = re.search(r"<[^>]*>|\S+@\S+|\(", piece)
            if cut:
                piece = piece[:cut.start()]
            q = piece.strip().strip("\"'“”")
            if not q:
                continue
            qbase = pbase + piece.find(q)
            span = _name_in(q, qbase)
            if span:
                out.append(span)
                continue
            for sub in re.finditer(r"[^,]+", q):           # "Smith, Jane" or "Jane Smith, John Brown"
                w = sub.group().strip()
                if w:
                    sp = _name_in(w, qbase + sub.start() + sub.group().find(w))
                    if sp:
                        out.append(sp)
    return out


def _given_pairs(text: str) -> list[tuple[int, int]]:
    """A given name from the list, an optional middle name or initial, a surname."""
    names = given_names()
    out = []
    for m in GIVEN_RE.finditer(text):
        g = m.group(1)
        if g.lower() not in names:
            continue
        if _BEFORE_PLACE.search(text, max(0, m.start() - 12), m.start()):
            continue
        a = _SURNAME_AFTER.match(text, m.end())
        if not a:
            continue
        sur, mid, end = a.group("sur"), a.group("mid"), a.end()
        if mid and len(mid.rstrip(".")) > 1 and mid.lower() not in names:
            sur, end = mid, a.end("mid")                 # "John Smith Road": the pair is John Smith
        low = sur.lower()
        if low in STOP or low in _PLACE_WORDS or f"{g} {sur}".lower() in _NOT_A_PERSON:
            continue
        out.append((m.start(), end))
    return out


# ---------------------------------------------------------------- addresses

def _town_line(s: str) -> bool:
    """Capitalised words naming a town or county ("Exampletown", "West Exampleshire",
    "Newcastle upon Tyne", "Exampletown, Exampleshire")."""
    if not s or len(s) > 48:
        return False
    words = s.replace(",", " ").split()
    if not 1 <= len(words) <= 5:
        return False
    first = True
    for w in words:
        if w.lower() in _TOWN_LINK and not first:
            continue
        if not _TOWN_WORD.fullmatch(w) or w.lower().strip(".") in STOP:
            return False
        first = False
    return True


def _postcode_line(s: str) -> bool:
    m = _POSTCODE_LINE.fullmatch(s)
    if not m:
        return False
    town = (m.group("town") or "").strip().rstrip(",")
    return not town or _town_line(town) or bool(_STREET_NONUM.fullmatch(town))


_PREFIX_RE = re.compile(_PREFIX)


def _street_full(s: str) -> bool:
    p = _PREFIX_RE.match(s)
    m = STREET_RE.match(s, p.end() if p else 0)
    if not m or not _street_ok(m):
        return False
    return _street_extend(s, m.end()) == len(s)


def _street_ok(m: re.Match) -> bool:
    no = m.group("no")
    if len(no) == 4 and no[:2] in ("19", "20") and no.isdigit():
        return False                                    # "In 2019 Example Road ..." is a year
    words = m.group("words").split()
    if m.group(0).rstrip(".").endswith(("Court", "Ct")) and words and words[-1].strip("'’s").lower() in _COURT_WORDS:
        return False                                    # "12 The Crown Court held ..."
    return True


def _street_extend(text: str, pos: int, limit: int | None = None) -> int:
    """End of ", Town, County POSTCODE" after a street, as far as it reads like one."""
    limit = len(text) if limit is None else limit
    for _ in range(3):
        t = _TOWN_TAIL.match(text, pos, limit)
        if not t or not _town_line(t.group(1)):
            break
        pos = t.end()
    p = _PC_TAIL.match(text, pos, limit)
    return p.end() if p else pos


def _line_kinds(line: str) -> set[str]:
    s = line.strip().rstrip(",.")
    kinds = set()
    if not s:
        return kinds
    if _street_full(s):
        kinds.add("street")
    elif _STREET_NONUM.fullmatch(s) and _town_line(s.rsplit(None, 1)[0]):
        kinds.add("street")
    if _postcode_line(s):
        kinds.add("postcode")
    if _COUNTRY_LINE.fullmatch(s):
        kinds.add("country")
    if _PREFIX_LINE.fullmatch(s):
        kinds.add("prefix")
    if _HOUSE_LINE.fullmatch(s) and _town_line(s):
        kinds.add("house")
    if not kinds and _town_line(s):
        kinds.add("town")
    return kinds


def _addresses(text: str, guard: _Guard) -> tuple[list[tuple[int, int]], list[tuple[int, int]],
                                                  list[tuple[int, int]]]:
    """(address blocks, inline addresses, addressee name spans)."""
    anchors: dict[int, tuple[str, int]] = {}             # line start -> (kind, line end)
    inline: list[tuple[int, int]] = []
    for m in STREET_RE.finditer(text):
        if not _street_ok(m):
            continue
        line = _line_of(text, m.start(), m.end())
        if line and line[0] in anchors:
            continue
        if line and _street_full(text[line[0]:line[1]].strip().rstrip(",.")):
            anchors[line[0]] = ("street", line[1])
            continue
        end = _street_extend(text, m.end(), min(len(text), m.end() + _MAX_LINE))
        pre = _PREFIX_BEFORE.search(text, max(0, m.start() - 40), m.start())
        inline.append((pre.start() if pre else m.start(), end))
    for m in POSTCODE_RE.finditer(text):
        line = _line_of(text, m.start(), m.end())
        if line and line[0] not in anchors and _postcode_line(text[line[0]:line[1]].strip().rstrip(",.")):
            anchors[line[0]] = ("postcode", line[1])

    blocks: list[tuple[int, int]] = []
    names: list[tuple[int, int]] = []
    covered_until = -1
    for ls in sorted(anchors):
        if ls < covered_until:
            continue
        kind, last = anchors[ls]
        first = ls
        seen_pc = kind == "postcode" or bool(POSTCODE_RE.search(text, ls, last))
        # down: town, county, postcode, country
        count = 0
        while last < len(text) and count < 6:
            nxt = _line_of(text, last + 1)
            if not nxt:
                break
            k = _line_kinds(text[nxt[0]:nxt[1]])
            if not k or (seen_pc and "country" not in k):
                break
            last, count = nxt[1], count + 1
            seen_pc = seen_pc or "postcode" in k
        # up: flat, house name, street; towns too when the block starts from a postcode
        seen_street = kind == "street"
        count = 0
        while first > 0 and count < 5:
            prev = _line_of(text, first - 1)
            if not prev:
                break
            line = text[prev[0]:prev[1]]
            k = _line_kinds(line)
            if k & {"prefix", "house"} or ("street" in k and not seen_street):
                seen_street = seen_street or "street" in k
            elif "town" in k and not seen_street and kind == "postcode":
                if _given_or_titled(line.strip()):
                    break
            else:
                break
            first, count = prev[0], count + 1
        # the addressee's name on the line above
        prev = _line_of(text, first - 1) if first > 0 else None
        if prev:
            ps = prev[0]
            line = text[ps:prev[1]]
            sp = _name_in(line.rstrip(" \t\r"), ps)
            if sp and not _line_kinds(line) & {"street", "postcode", "prefix", "house", "country"}:
                names.append(sp)
        a = first + (len(text[first:last]) - len(text[first:last].lstrip()))
        b = last - (len(text[first:last]) - len(text[first:last].rstrip()))
        for s, e in _Intervals(guard.hard_spans(a, b)).subtract(a, b):
            seg = text[s:e]
            s2 = s + len(seg) - len(seg.lstrip(" \t\r\n,"))
            e2 = e - (len(seg) - len(seg.rstrip(" \t\r\n,")))
            if e2 > s2:
                blocks.append((s2, e2))
        covered_until = last
    return blocks, inline, names


def _given_or_titled(line: str) -> bool:
    return bool(TITLE_RE.match(line)) or bool(_given_pairs(line))


# ---------------------------------------------------------------- redact

def _valid_phone(s: str) -> bool:
    digits = re.sub(r"\D", "", s)
    st = s.lstrip()
    if st.startswith(("+", "00")):
        rest = digits[4:] if st.startswith("00") else digits[2:]
        national = rest if rest.startswith("0") else "0" + rest
    else:
        national = digits
    return len(national) in (10, 11) and national[0] == "0" and national[1] in "12378"


def _name_tokens(text: str, spans: list[Span]) -> list[str]:
    """Full names found, and their words that may be spread alone."""
    full, single = set(), set()
    for sp in spans:
        if sp.kind != "NAME":
            continue
        s = " ".join(text[sp.start:sp.end].split())
        words = [w for w in re.findall(rf"{_NAMEW}|{_UPPERW}", s) if w.lower() not in STOP]
        if len(words) >= 2:
            full.add(" ".join(words) if " ".join(words) in s else s)
        for w in words:
            if len(w) >= 3 and w.lower() not in COMMON_SURNAMES and w.lower() not in _PLACE_WORDS \
                    and w not in _TITLE_WORDS:
                single.add(w)
                if not w.isupper():
                    single.add(w.upper())
    return sorted(full | single, key=len, reverse=True)


_WORD_BEFORE = re.compile(rf"(?:(?P<w>{_NAMEW})|(?P<i>[A-Z]\.))[ \t]+$")
_WORD_AFTER = re.compile(rf"[ \t]+(?P<w>{_NAMEW}){_END_OF_NAME}")


def _widen_name(text: str, s: int, e: int) -> tuple[int, int]:
    """A known name met again takes the capitalised word or initial just before
    it and the surname just after ("Priya Patel" when only "Ms Patel" was seen)."""
    b = _WORD_BEFORE.search(text, max(0, s - 30), s)
    if b and (b.group("i") or (b.group("w").lower() not in STOP and b.group("w") not in _TITLE_WORDS)):
        s = b.start()
    a = _WORD_AFTER.match(text, e, min(len(text), e + 30))
    if a and a.group("w").lower() not in STOP and a.group("w").lower() not in _PLACE_WORDS:
        e = a.end()
    return s, e


def _emails(text: str) -> list[tuple[int, int]]:
    out = []
    for m in _AT_DOMAIN.finditer(text):
        local = _LOCAL_PART.search(text, max(0, m.start() - 128), m.start())
        if local:
            out.append((local.start(), m.end()))
    return out


def redact(text: str, *, keep: set[str] | None = None) -> Redaction:
    """Replace the personal data in `text` by typed placeholders. Deterministic
    and pure: the same text and `keep` give the same Redaction."""
    if not text:
        return Redaction(text, {t: 0 for t in TYPES}, ())
    guard = _Guard(text, keep or ())

    blocks, inline, addressees = _addresses(text, guard)
    # (priority, start, end, kind, whether a body's name or a job title overrides it)
    cands: list[tuple[int, int, int, str, bool]] = []
    cands += [(0, s, e, "ADDRESS", False) for s, e in blocks]
    cands += [(1, s, e, "EMAIL", False) for s, e in _emails(text)]
    cands += [(2, m.start(), m.end(), "PHONE", False) for m in PHONE_RE.finditer(text) if _valid_phone(m.group())]
    cands += [(3, s, e, "ADDRESS", False) for s, e in inline]
    cands += [(4, m.start(), m.end(), "POSTCODE", False) for m in POSTCODE_RE.finditer(text)]
    cands += [(5, s, e, "NAME", True) for s, e in _title_names(text)]          # "DS Smith plc" is a firm
    for finder in (_salutation_names, _signature_names, _header_names):      # these lines hold no body's name
        cands += [(5, s, e, "NAME", False) for s, e in finder(text)]
    cands += [(5, s, e, "NAME", False) for s, e in addressees]
    cands += [(6, s, e, "NAME", True) for s, e in _given_pairs(text)]

    acc = _Accepted()
    for prio, s, e, kind, soft in sorted(cands, key=lambda c: (c[0], c[1], c[1] - c[2])):
        if not acc.free(s, e):
            continue
        if kind == "EMAIL" or prio == 0:                 # blocks had the hard spans cut out already
            if guard.keep.overlaps(s, e):
                continue
        elif guard.hard(s, e) or (soft and guard.soft(s, e)):
            continue
        acc.add(s, e, kind)

    # a name found once is redacted wherever it occurs
    toks = _name_tokens(text, acc.spans())
    if toks:
        spread = re.compile("(?:" + "|".join(re.escape(t) for t in toks) + r")(?![\w-])")
        for m in spread.finditer(text):
            s, e = m.span()
            if s and (text[s - 1].isalnum() or text[s - 1] in "_-'’"):
                continue
            for a, b in (_widen_name(text, s, e), (s, e)):
                if acc.free(a, b) and not guard.hard(a, b) and not guard.soft(a, b):
                    acc.add(a, b, "NAME")
                    break

    # one placeholder for names next to each other ("Priya Patel" found word by word)
    merged: list[Span] = []
    for sp in acc.spans():
        if merged and merged[-1].kind == sp.kind == "NAME" and text[merged[-1].end:sp.start].strip(" \t") == "" \
                and "\n" not in text[merged[-1].end:sp.start]:
            merged[-1] = Span(merged[-1].start, sp.end, sp.kind)
        else:
            merged.append(sp)

    out, pos = [], 0
    found = {t: 0 for t in TYPES}
    for sp in merged:
        out.append(text[pos:sp.start])
        out.append(PLACEHOLDERS[sp.kind])
        found[sp.kind] += 1
        pos = sp.end
    out.append(text[pos:])
    return Redaction("".join(out), found, tuple(merged))
