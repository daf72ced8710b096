"""The precedent record: the known-responses format (id, authority,
authority_type, reference, date, url, request, outcome, sections, ncnd, pit,
harm_points, notes) plus where it came from (source_kind, decision_ref,
regime) and, for a decision notice or tribunal case, what was found about
each provision (finding). This module says what a valid record is and
normalises references and provisions; it does no I/O."""
from __future__ import annotations

import re
from datetime import date

from ..reason.act import REGISTRY, family, normalise

AUTHORITY_TYPES = ("police", "local_gov", "central_gov", "health", "education", "other")
OUTCOMES = ("disclosed", "partial", "refused", "ncnd", "partial_ncnd", "not_held", "not_held_plus_ncnd",
            "cost_limit", "vexatious")
SOURCE_KINDS = ("decision_notice", "tribunal", "disclosure_log", "wdtk", "other")
REGIMES = ("foia", "eir", "foisa", "eisr")
FINDINGS = ("upheld", "not_upheld", "partly")
REQUIRED = ("id", "authority", "authority_type", "url", "request", "outcome", "sections", "ncnd", "pit",
            "source_kind", "regime")
LIBRARY_FIELDS = REQUIRED + ("reference", "date", "harm_points", "notes", "decision_ref", "finding",
                             "related_refs", "also")
ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{2,120}$")
# the prefix a regime's provisions carry in normalised form (act.py)
PREFIX = {"foia": "", "eir": "", "foisa": "foisa:", "eisr": "eisr:"}

# --- references ------------------------------------------------------------------------
_REF_PATTERNS = [
    (re.compile(r"\bFS\s?(\d{7,8})\b", re.I), lambda m: f"FS{m.group(1)}"),
    (re.compile(r"\bFER\s?(\d{6,8})\b", re.I), lambda m: f"FER{m.group(1)}"),
    (re.compile(r"\bIC-(\d{4,7})(?:-([A-Z0-9]{4}))?\b", re.I), lambda m: f"IC-{m.group(1)}"
     + (f"-{m.group(2).upper()}" if m.group(2) else "")),
    (re.compile(r"\[(\d{4})\]\s*UKICO\s*(\d{4,7})", re.I), lambda m: f"IC-{m.group(2)}"),
    (re.compile(r"\b(?:FT[/.\-])?EA[/.\-](\d{4})[/.\-](\d{1,4})(V)?\b", re.I),
     lambda m: f"EA/{m.group(1)}/{int(m.group(2)):04d}"),
    (re.compile(r"\bGIA[/.\-](\d{1,4})[/.\-](\d{4})\b", re.I), lambda m: f"GIA/{int(m.group(1))}/{m.group(2)}"),
    (re.compile(r"\[(\d{4})\]\s*UKFTT\s*(\d{1,5})\s*\(GRC\)", re.I), lambda m: f"UKFTT-GRC/{m.group(1)}/{m.group(2)}"),
    (re.compile(r"\[(\d{4})\]\s*UKUT\s*(\d{1,5})\s*\(AAC\)", re.I), lambda m: f"UKUT-AAC/{m.group(1)}/{m.group(2)}"),
    (re.compile(r"\bDecision(?:\s+Notice)?\s+(\d{1,3})/(\d{4})\b", re.I),
     lambda m: f"SIC/{int(m.group(1)):03d}/{m.group(2)}"),
    # the canonical forms themselves, so normalising is idempotent
    (re.compile(r"\bUKFTT-GRC/(\d{4})/(\d{1,5})\b"), lambda m: f"UKFTT-GRC/{m.group(1)}/{m.group(2)}"),
    (re.compile(r"\bUKUT-AAC/(\d{4})/(\d{1,5})\b"), lambda m: f"UKUT-AAC/{m.group(1)}/{m.group(2)}"),
    (re.compile(r"\bSIC/(\d{1,3})/(\d{4})\b"), lambda m: f"SIC/{int(m.group(1)):03d}/{m.group(2)}"),
]


def normalise_ref(ref: str | None) -> str | None:
    """A case reference in one canonical form: FS50307051, IC-123456-A1B2, FER0449366,
    EA/2010/0095 (from EA/2010/95, FT/EA/2010/0095 ...), GIA/1234/2019,
    UKFTT-GRC/2024/978, SIC/114/2010 (Scottish decisions)."""
    if not ref:
        return None
    for pattern, make in _REF_PATTERNS:
        m = pattern.search(str(ref))
        if m:
            return make(m)
    return None


def ref_key(ref: str | None) -> str | None:
    """What two spellings of one case share: the IC number without its letter
    suffix (printed as IC-123456-A1B2, IC-123456 or [2023] UKICO 123456)."""
    n = normalise_ref(ref)
    if n and n.startswith("IC-"):
        return "IC-" + n.split("-")[1]
    return n


def refs_in(text: str | None) -> list[str]:
    """Every case reference a text mentions (an appeal's notes name the decision notice)."""
    out: list[str] = []
    for pattern, make in _REF_PATTERNS:
        for m in pattern.finditer(text or ""):
            r = make(m)
            if r not in out:
                out.append(r)
    return out


# --- provisions ------------------------------------------------------------------------
def regime_section(raw: str, regime: str) -> str:
    """A provision as a record of this regime writes it ("s38(1)(b)" in a FOISA case),
    normalised with the regime's prefix ("foisa:s38(1)(b)")."""
    s = str(raw).strip()
    prefix = PREFIX.get(regime, "")
    if prefix and s.startswith(prefix):
        s = s[len(prefix):]
    n = normalise(s)
    return prefix + n if prefix and not n.startswith(prefix) else n


def valid_section(citation: str, regime: str) -> bool:
    prov = REGISTRY.get(citation)
    if prov is None or not REGISTRY.exists(citation):
        return False
    allowed = {"foia": ("foia",), "eir": ("eir", "foia"), "foisa": ("foisa",), "eisr": ("eisr", "foisa")}[regime]
    return prov.act in allowed


# --- validation --------------------------------------------------------------------------
def problems(rec: dict, *, library: bool = True) -> list[str]:
    """What is wrong with one record (empty when it is valid). library: the full
    format of corpus/precedents/ (the dev set's format has fewer fields)."""
    out = []
    need = REQUIRED if library else ("id", "request", "outcome", "sections", "ncnd")
    missing = [k for k in need if k not in rec or rec[k] is None and k not in ("url",)]
    if missing:
        out.append(f"missing {', '.join(missing)}")
    if library:
        extra = sorted(set(rec) - set(LIBRARY_FIELDS))
        if extra:
            out.append(f"unknown fields {', '.join(extra)}")
    rid = str(rec.get("id") or "")
    if not ID_RE.match(rid):
        out.append(f"id {rid!r} is not lower-case letters, digits and hyphens")
    for field, allowed in (("authority_type", AUTHORITY_TYPES), ("outcome", OUTCOMES),
                           ("source_kind", SOURCE_KINDS), ("regime", REGIMES)):
        if (library or field in rec) and rec.get(field) not in allowed:
            out.append(f"{field} {rec.get(field)!r} is not one of {', '.join(allowed)}")
    regime = rec.get("regime") if rec.get("regime") in REGIMES else "foia"
    sections = rec.get("sections") or []
    if not isinstance(sections, list):
        out.append("sections is not a list")
        sections = []
    for s in sections:
        if not valid_section(s, regime):
            out.append(f"provision {s!r} does not exist in {regime.upper()}")
    if library and not sections and rec.get("outcome") not in ("disclosed", "not_held"):
        out.append("no provision, but the outcome is a refusal")
    request = str(rec.get("request") or "")
    if len(request) < 25:
        out.append("request is too short to describe the information asked for")
    if rec.get("date"):
        d = str(rec["date"])
        try:   # a day, or only the month or year the source gives
            date.fromisoformat(d if len(d) == 10 else f"{d}-01" if len(d) == 7 else f"{d}-01-01")
        except ValueError:
            out.append(f"date {d!r} is not YYYY-MM-DD (or YYYY-MM, YYYY)")
    if library:
        if not str(rec.get("url") or "").startswith(("http://", "https://")):
            out.append("url is not a web address")
        for key in ("ncnd", "pit"):
            if not isinstance(rec.get(key), bool):
                out.append(f"{key} is not true or false")
        finding = rec.get("finding") or {}
        if not isinstance(finding, dict):
            out.append("finding is not a mapping")
            finding = {}
        for s, f in finding.items():
            if f not in FINDINGS:
                out.append(f"finding for {s} is {f!r}, not one of {', '.join(FINDINGS)}")
            if s not in sections:
                out.append(f"finding names {s}, which is not among the sections")
        if finding and rec.get("source_kind") not in ("decision_notice", "tribunal", "other"):
            out.append("a finding belongs to a decision notice or tribunal case")
        if rec.get("source_kind") in ("decision_notice", "tribunal") and not rec.get("decision_ref"):
            out.append("a decision notice or tribunal case needs its decision_ref")
        ref = rec.get("decision_ref")
        if ref and normalise_ref(ref) != ref:
            out.append(f"decision_ref {ref!r} is not normalised ({normalise_ref(ref)!r})")
        if not isinstance(rec.get("harm_points") or [], list):
            out.append("harm_points is not a list")
    return out


def families(rec: dict) -> set[str]:
    return {family(s) for s in rec.get("sections") or []}
