"""The known-responses format: one JSON object a line (id, authority,
authority_type, reference, date, url, request, outcome, sections, ncnd, pit,
harm_points, notes). Sections are normalised before scoring."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from assistant.reason.act import REGISTRY, family, normalise

DEV = Path(__file__).resolve().parent / "data" / "known-responses.jsonl"
# procedural provisions are not scored as suggestions
PROCEDURAL = {"s1", "s2", "s7", "s8", "s10", "s11", "s16", "s17", "s45", "s50"}
# pre-2018 forms of the s40 NCND provisions
OLD_FORMS = {"s40(5)(a)": "s40(5A)", "s40(5)(b)(i)": "s40(5B)", "s40(5)(b)": "s40(5B)", "s40(5)": "s40(5B)"}
COARSE = {"ncnd": "ncnd", "partial_ncnd": "ncnd", "not_held_plus_ncnd": "ncnd"}
REQUIRED = ("id", "request", "outcome", "sections", "ncnd")


def norm_section(s: str) -> str:
    n = normalise(s)
    if n == "s12":
        return "s12(1)"
    if n == "s14":
        return "s14(1)"
    for old, new in OLD_FORMS.items():
        if n == old or n.startswith(old + "("):
            return new + n[len(old):] if n.startswith(old + "(") and old != "s40(5)(b)" else new
    return n


def scored_families(sections: list[str]) -> set[str]:
    out = set()
    for s in sections:
        f = family(norm_section(s))
        prov = REGISTRY.get(f)
        if prov and f not in PROCEDURAL and prov.kind in ("exemption", "refusal"):
            out.add(f)
    return out


def scored_exact(sections: list[str]) -> set[str]:
    return {norm_section(s) for s in sections if family(norm_section(s)) in scored_families([s])}


def coarse_outcome(outcome: str) -> str:
    return COARSE.get(outcome, outcome)


@dataclass
class Case:
    id: str
    request: str
    outcome: str
    sections: list[str]
    ncnd: bool
    pit: bool = False
    authority: str | None = None
    authority_type: str | None = None
    reference: str | None = None
    date: str | None = None
    url: str | None = None
    harm_points: list[str] = field(default_factory=list)
    notes: str = ""
    decision_ref: str | None = None
    regime: str = "foia"

    def record(self) -> dict:
        """The case as a record, for same-case matching."""
        return {k: getattr(self, k) for k in self.__dataclass_fields__}

    @property
    def families(self) -> set[str]:
        return scored_families(self.sections)

    @property
    def exact(self) -> set[str]:
        return scored_exact(self.sections)


def load_cases(path: Path = DEV) -> list[Case]:
    cases = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as e:
            raise ValueError(f"{path}: line {n} is not JSON ({e.msg})") from None
        missing = [k for k in REQUIRED if k not in rec]
        if missing:
            raise ValueError(f"{path}: line {n} lacks {', '.join(missing)}")
        known = {k: rec.get(k) for k in Case.__dataclass_fields__ if k in rec}
        known["harm_points"] = known.get("harm_points") or []
        known["notes"] = known.get("notes") or ""
        known["sections"] = known.get("sections") or []
        cases.append(Case(**known))
    return cases
