"""Which provisions may apply to a request, and whether NCND fits.

Three signals are combined, each in [0, 1] per exemption family:
- precedents: what similar past responses cited (and whether they used NCND),
  weighted by how close each is to this request;
- exemption documents: which exemptions' own texts retrieval ranks highest;
- cues: wording in the request (data/cues.yaml), e.g. covert tactics, a
  named person, contracts, a broad date range.
The weights are named in WEIGHTS; no case is special-cased."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from ..config import Settings
from ..types import Hit, Suggestion
from .act import REGISTRY, family

CUES = Path(__file__).resolve().parent.parent / "data" / "cues.yaml"
WEIGHTS = {"precedent": 0.45, "document": 0.2, "cue": 0.35}
NCND_WEIGHTS = {"precedent": 0.55, "cue": 0.45}
# the subsection an exemption is most often cited under when nothing more specific is known
DEFAULT_SUBSECTION = {"s12": "s12(1)", "s14": "s14(1)", "s21": "s21(1)", "s40": "s40(2)", "s43": "s43(2)",
                      "s31": "s31(1)(a)", "s36": "s36(2)(b)(i)", "s24": "s24(1)", "s23": "s23(1)",
                      "s35": "s35(1)(a)", "s30": "s30(1)", "s27": "s27(1)(a)", "s42": "s42(1)", "s22": "s22(1)",
                      "s38": "s38(1)(a)", "s41": "s41(1)", "s44": "s44(1)(a)", "s26": "s26(1)(b)", "s37": "s37(1)(b)"}
OUTCOME_FAMILIES = {"cost_limit": {"s12"}, "vexatious": {"s14"}}
SCORED = {f"s{n}" for n in (12, 14, 21, 22, 23, 24, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44)} | {"s22A"}


@dataclass(frozen=True)
class Cue:
    name: str
    pattern: re.Pattern
    families: dict
    ncnd: float = 0.0
    own_data: bool = False


@dataclass(frozen=True)
class CueBook:
    cues: tuple[Cue, ...]
    eir: re.Pattern
    eir_note: str
    foisa: re.Pattern
    foisa_note: str


@lru_cache(maxsize=1)
def load_cues(path: Path = CUES) -> CueBook:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    cues = tuple(Cue(c["name"], re.compile(c["pattern"], re.I), dict(c["families"]), float(c.get("ncnd", 0.0)),
                     bool(c.get("own_data", False))) for c in raw["cues"])
    return CueBook(cues, re.compile(raw["eir"]["pattern"], re.I), raw["eir"]["note"].strip(),
                   re.compile(raw["foisa"]["pattern"], re.I), raw["foisa"]["note"].strip())


@dataclass
class SuggestionResult:
    request: str
    suggestions: list[Suggestion]
    ncnd: bool
    ncnd_score: float
    ncnd_sections: list[str]
    outcome: str
    cues: list[str]
    notes: list[str] = field(default_factory=list)     # EIR / FOISA / own data
    precedent_hits: list[Hit] = field(default_factory=list)
    document_hits: list[Hit] = field(default_factory=list)
    regime: str = "foia"                                # foia | eir | foisa

    @property
    def sections(self) -> list[str]:
        return [s.section for s in self.suggestions]


def _precedent_view(hit: Hit) -> dict:
    m = hit.chunk.meta
    return {"doc_id": hit.chunk.doc_id, "chunk_id": hit.chunk.chunk_id, "authority": m.get("authority"),
            "reference": m.get("reference"), "outcome": m.get("outcome"), "ncnd": bool(m.get("ncnd")),
            "sections": hit.chunk.sections, "request": m.get("request", ""), "url": hit.chunk.url,
            "similarity": round(hit.dense or 0.0, 3)}


def cue_signal(request: str, book: CueBook) -> tuple[dict[str, float], float, list[str], bool]:
    fam: dict[str, float] = {}
    ncnd = 0.0
    names: list[str] = []
    own = False
    for cue in book.cues:
        if cue.pattern.search(request):
            names.append(cue.name)
            for f, w in cue.families.items():
                fam[f] = 1 - (1 - fam.get(f, 0.0)) * (1 - w)     # noisy-or: several cues reinforce
            ncnd = 1 - (1 - ncnd) * (1 - cue.ncnd)
            own = own or cue.own_data
    return fam, ncnd, names, own


def suggest(request: str, retriever, settings: Settings, *, authority: str | None = None,
            filters=None) -> SuggestionResult:
    from ..retrieve import Filters

    filters = filters or Filters()
    book = load_cues()
    base = dict(exclude_doc_ids=filters.exclude_doc_ids, exclude_urls=filters.exclude_urls)
    precedents = retriever.search(request, k=settings.precedent_k, filters=Filters(kinds=("response",), **base))
    documents = retriever.search(request, k=8, filters=Filters(kinds=("legislation",), **base))

    # precedent votes, weighted by closeness (dense cosine, floored) and rank
    p_vote: dict[str, float] = {}
    p_sub: dict[str, dict[str, float]] = {}
    ncnd_vote = total = 0.0
    outcome_vote: dict[str, float] = {}
    for rank, h in enumerate(precedents):
        w = max(h.dense or 0.0, 0.05) ** 2 / (1 + 0.15 * rank)
        total += w
        fams = {family(s) for s in h.chunk.sections} & SCORED
        for f in fams:
            p_vote[f] = p_vote.get(f, 0.0) + w
        for s in h.chunk.sections:
            if family(s) in SCORED:
                p_sub.setdefault(family(s), {})
                p_sub[family(s)][s] = p_sub[family(s)].get(s, 0.0) + w
        if h.chunk.meta.get("ncnd"):
            ncnd_vote += w
        o = h.chunk.meta.get("outcome") or ""
        outcome_vote[o] = outcome_vote.get(o, 0.0) + w
    p_score = {f: v / total for f, v in p_vote.items()} if total else {}
    p_ncnd = ncnd_vote / total if total else 0.0

    # exemption documents: reciprocal rank of each family's best chunk
    d_score: dict[str, float] = {}
    for rank, h in enumerate(documents, 1):
        f = family(h.chunk.doc_id if h.chunk.doc_id.startswith("s") else (h.chunk.sections or [""])[0])
        f = REGISTRY.get(f).key if REGISTRY.get(f) else f
        if f in SCORED:
            d_score.setdefault(f, 1.0 / rank)

    c_score, c_ncnd, cue_names, own_data = cue_signal(request, book)

    scores: dict[str, float] = {}
    for f in set(p_score) | set(d_score) | set(c_score):
        scores[f] = (WEIGHTS["precedent"] * p_score.get(f, 0.0) + WEIGHTS["document"] * d_score.get(f, 0.0)
                     + WEIGHTS["cue"] * c_score.get(f, 0.0))
    ncnd_score = NCND_WEIGHTS["precedent"] * p_ncnd + NCND_WEIGHTS["cue"] * c_ncnd
    ncnd = ncnd_score >= settings.ncnd_threshold

    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    chosen = [(f, s) for f, s in ranked if s >= settings.suggest_threshold] or ranked[:1]
    suggestions: list[Suggestion] = []
    ncnd_sections: list[str] = []
    for f, s in chosen[:6]:
        prov = REGISTRY.get(f)
        if prov is None:
            continue
        reasons = []
        if p_score.get(f):
            n = sum(1 for h in precedents if f in {family(x) for x in h.chunk.sections})
            reasons.append(f"{n} of the {len(precedents)} most similar past responses cited {f}")
        if d_score.get(f):
            reasons.append(f"the {f} guidance ranks {round(1 / d_score[f])} for this request")
        for cue in book.cues:
            if cue.name in cue_names and f in cue.families:
                reasons.append(f"the request mentions {cue.name}")
        if own_data and f == "s40":
            section = "s40(1)"
        elif ncnd and prov.ncnd and f not in ("s12", "s14"):
            section = "s40(5B)" if f == "s40" else prov.ncnd
            ncnd_sections.append(section)
        else:
            subs = {k: v for k, v in p_sub.get(f, {}).items() if k != f and REGISTRY.exists(k)
                    and not REGISTRY.is_ncnd_provision(k)}
            section = max(subs, key=subs.get) if subs else DEFAULT_SUBSECTION.get(f, f)
        precedents_for = [_precedent_view(h) for h in precedents if f in {family(x) for x in h.chunk.sections}][:3]
        suggestions.append(Suggestion(section=section, score=min(1.0, s), reasons=reasons, precedents=precedents_for))

    # outcome: precedent vote, then what the chosen provisions imply
    fams = {family(x.section) for x in suggestions}
    if ncnd:
        outcome = "ncnd"
    elif fams and fams <= {"s12"}:
        outcome = "cost_limit"
    elif fams and fams <= {"s14"}:
        outcome = "vexatious"
    else:
        votes = {k: v for k, v in outcome_vote.items() if k not in ("ncnd", "partial_ncnd", "not_held_plus_ncnd")}
        outcome = max(votes, key=votes.get) if votes else "refused"
        if outcome in ("cost_limit", "vexatious") and not fams & OUTCOME_FAMILIES[outcome]:
            outcome = "refused"

    notes: list[str] = []
    regime = "foia"
    if book.foisa.search(f"{authority or ''} {request}"):
        notes.append(book.foisa_note)
        regime = "foisa"
    if book.eir.search(request):
        notes.append(book.eir_note)
        regime = "eir" if regime == "foia" else regime
    if own_data:
        notes.append("The request seems to be for the requester's own personal data: that is a subject access "
                     "request under data protection law, and FOIA s40(1) exempts it from FOI.")
    return SuggestionResult(request=request, suggestions=suggestions, ncnd=ncnd, ncnd_score=round(ncnd_score, 3),
                            ncnd_sections=ncnd_sections, outcome=outcome, cues=cue_names, notes=notes,
                            precedent_hits=precedents, document_hits=documents, regime=regime)
