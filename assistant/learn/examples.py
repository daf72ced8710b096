"""Training examples for the suggestion model, read from the index: every
precedent record of the shared library (built-in and operator-ingested; a
visitor's uploads are theirs alone), with its request's embedding (already
in the index: a precedent is embedded by its request), what the authority
relied on, whether it neither confirmed nor denied, and its outcome.

Records are grouped by case (precedents/cases.py): a decision notice, its
tribunal appeal and a summary of it are one group, so cross-validation never
trains on one and scores another, and a neighbour vote never counts the
example's own case."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..reason.act import REGISTRY, family

# outcomes as they are predicted and scored (the NCND variants are one class)
COARSE = {"ncnd": "ncnd", "partial_ncnd": "ncnd", "not_held_plus_ncnd": "ncnd"}
OUTCOMES = ("refused", "partial", "ncnd", "cost_limit", "vexatious", "not_held", "disclosed")
# procedural provisions are cited beside the grounds, not as them
PROCEDURAL = {"s1", "s2", "s7", "s8", "s10", "s11", "s16", "s17", "s45", "s50", "reg5", "reg7", "reg9", "reg11",
              "reg14", "foisa:s1", "foisa:s10", "foisa:s15", "foisa:s16", "foisa:s17", "foisa:s18", "foisa:s19",
              "foisa:s20", "foisa:s21", "eisr:reg5", "eisr:reg7", "eisr:reg9", "eisr:reg13", "eisr:reg16"}
# which regimes one model covers: the UK Act with the EIR, and the Scottish Act with the Scottish EIRs
MODEL_REGIMES = {"foia": ("foia", "eir"), "foisa": ("foisa", "eisr")}


def coarse(outcome: str | None) -> str:
    o = COARSE.get(outcome or "", outcome or "refused")
    return o if o in OUTCOMES else "refused"


def grounds(sections: list[str]) -> set[str]:
    """The families a record relied on as grounds (exemptions, s12, s14, EIR exceptions)."""
    out = set()
    for s in sections:
        f = family(s)
        prov = REGISTRY.get(f)
        if prov and f not in PROCEDURAL and prov.kind in ("exemption", "refusal"):
            out.add(f)
    return out


@dataclass
class Example:
    doc_id: str
    request: str
    authority_type: str
    sections: list[str]
    families: set[str]
    ncnd: bool
    outcome: str
    regime: str
    row: int                 # the precedent's row in the index's table (its vector)
    group: int = -1          # its case group
    harm_points: tuple[str, ...] = ()
    authority: str = ""
    url: str = ""
    finding: dict | None = None
    date: str = ""
    decision_ref: str = ""
    source_kind: str = ""


def examples_from_index(index, model_regime: str = "foia") -> tuple[list[Example], np.ndarray]:
    """The shared library's precedents of one model's regimes, and their vectors (one row each)."""
    regimes = MODEL_REGIMES[model_regime]
    table = index.table
    out: list[Example] = []
    rows: list[int] = []
    for doc_id, c in sorted(index.precedents().items()):
        m = c.meta
        if (m.get("owner") or "") or (m.get("regime") or "foia") not in regimes or not m.get("request"):
            continue
        row = table.row.get(c.chunk_id)
        if row is None:
            continue
        out.append(Example(doc_id=doc_id, request=str(m["request"]), authority_type=str(m.get("authority_type") or ""),
                           sections=list(c.sections), families=grounds(c.sections), ncnd=bool(m.get("ncnd")),
                           outcome=coarse(m.get("outcome")), regime=str(m.get("regime") or "foia"), row=len(rows),
                           harm_points=tuple(m.get("harm_points") or ()), authority=str(m.get("authority") or ""),
                           url=c.url or "", finding=m.get("finding") or None, date=str(m.get("date") or ""),
                           decision_ref=str(m.get("decision_ref") or ""), source_kind=str(m.get("source_kind") or "")))
        rows.append(row)
    vectors = table.vectors[rows] if rows else np.zeros((0, table.vectors.shape[1] if len(table) else 384),
                                                           dtype=np.float32)
    cases = index.cases()
    parent = {ex.doc_id: ex.doc_id for ex in out}

    def root(d: str) -> str:
        while parent[d] != d:
            parent[d] = parent[parent[d]]
            d = parent[d]
        return d

    for ex in out:                       # union-find over same-case records
        for other in cases.same_as(cases.docs[ex.doc_id]):
            if other in parent:
                a, b = sorted((root(ex.doc_id), root(other)))
                parent[b] = a
    ids: dict[str, int] = {}
    for ex in out:
        ex.group = ids.setdefault(root(ex.doc_id), len(ids))
    return out, vectors
