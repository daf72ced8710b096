"""Which provisions may apply to a request, and whether NCND fits.

Three signals are combined, each in [0, 1] per exemption family:
- precedents: what similar past responses cited (and whether they used NCND),
  weighted by how close each is to this request;
- exemption documents: which exemptions' own texts retrieval ranks highest;
- cues: wording in the request (data/cues.yaml), e.g. covert tactics, a
  named person, contracts, a broad date range.
The weights and thresholds are named in Settings; no case is special-cased."""
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
# the subsection an exemption is most often cited under when nothing more specific is known
DEFAULT_SUBSECTION = {"s12": "s12(1)", "s14": "s14(1)", "s21": "s21(1)", "s40": "s40(2)", "s43": "s43(2)",
                      "s31": "s31(1)(a)", "s36": "s36(2)(b)(i)", "s24": "s24(1)", "s23": "s23(1)",
                      "s35": "s35(1)(a)", "s30": "s30(1)", "s27": "s27(1)(a)", "s42": "s42(1)", "s22": "s22(1)",
                      "s38": "s38(1)(a)", "s41": "s41(1)", "s44": "s44(1)(a)", "s26": "s26(1)(b)", "s37": "s37(1)(b)"}
RANKED = 5          # how many families the full ranking shows
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
    authority_types: tuple[tuple[str, re.Pattern], ...] = ()
    uk_wide: re.Pattern | None = None
    foisa_mentions: re.Pattern | None = None     # talk of Scotland, its law or its places (the chat's signal)

    def uk_wide_only(self, text: str) -> bool:
        """The text names a UK-wide body and no Scottish authority (beyond saying "Scotland"):
        FOIA applies, wherever the requester lives."""
        if self.uk_wide is None or not self.uk_wide.search(text):
            return False
        return all(m.group(0).lower() == "scotland" for m in self.foisa.finditer(text))

    def authority_type(self, name: str | None) -> str:
        """police, local_gov, central_gov, health, education, or "" when the name does not say."""
        for kind, pattern in self.authority_types:
            if name and pattern.search(name):
                return kind
        return ""


@lru_cache(maxsize=1)
def load_cues(path: Path = CUES) -> CueBook:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    cues = tuple(Cue(c["name"], re.compile(c["pattern"], re.I), dict(c["families"]), float(c.get("ncnd", 0.0)),
                     bool(c.get("own_data", False))) for c in raw["cues"])
    return CueBook(cues, re.compile(raw["eir"]["pattern"], re.I), raw["eir"]["note"].strip(),
                   re.compile(raw["foisa"]["pattern"], re.I), raw["foisa"]["note"].strip(),
                   tuple((k, re.compile(p, re.I)) for k, p in (raw.get("authority_types") or {}).items()),
                   re.compile(raw["uk_wide"]["pattern"], re.I) if raw.get("uk_wide") else None,
                   re.compile(raw["foisa"]["mentions"], re.I) if raw["foisa"].get("mentions") else None)


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
    ranking: list[tuple[str, float]] = field(default_factory=list)   # the top provisions, best first, with scores
    ncnd_reasons: list[str] = field(default_factory=list)            # which provisions and why, when NCND is called
    ncnd_consider: list[str] = field(default_factory=list)           # NCND provisions to consider (not called, but likely)
    outcome_probabilities: list[tuple[str, float]] = field(default_factory=list)
    model: dict = field(default_factory=dict)                        # what the learned model was (empty: hand-weighted)
    items: list = field(default_factory=list)                        # a multi-part request, item by item
    consistency: dict = field(default_factory=dict)                  # how others answered similar requests

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


@dataclass
class Signals:
    """Everything the decision uses, gathered once per request."""
    request: str
    precedents: list[Hit]
    documents: list[Hit]
    p_score: dict[str, float]
    p_sub: dict[str, dict[str, float]]
    p_ncnd: float
    outcome_vote: dict[str, float]
    d_score: dict[str, float]
    c_score: dict[str, float]
    c_ncnd: float
    cue_names: list[str]
    own_data: bool
    notes: list[str]
    regime: str
    ncnd_prior: dict[str, float] = field(default_factory=dict)   # share of precedents citing a family that used NCND
    environmental: bool = False     # the EIR cues match (in Scotland too, where the regime stays foisa)


def gather(request: str, retriever, settings: Settings, *, authority: str | None = None, filters=None) -> Signals:
    from ..retrieve import Filters

    filters = filters or Filters()
    book = load_cues()
    base = dict(exclude_doc_ids=filters.exclude_doc_ids, exclude_urls=filters.exclude_urls, viewer=filters.viewer)
    precedents = retriever.search(request, k=settings.precedent_k, filters=Filters(kinds=("response",), **base))
    documents = retriever.search(request, k=settings.document_k, filters=Filters(kinds=("legislation",), **base))

    # precedent votes, weighted by closeness (dense cosine) and rank
    p_vote: dict[str, float] = {}
    p_sub: dict[str, dict[str, float]] = {}
    ncnd_vote = total = 0.0
    outcome_vote: dict[str, float] = {}
    for rank, h in enumerate(precedents):
        w = max(h.dense or 0.0, 0.05) ** settings.precedent_sharpness / (1 + 0.15 * rank)
        total += w
        for f in {family(x) for x in h.chunk.sections} & SCORED:
            p_vote[f] = p_vote.get(f, 0.0) + w
        for x in h.chunk.sections:
            if family(x) in SCORED:
                p_sub.setdefault(family(x), {})
                p_sub[family(x)][x] = p_sub[family(x)].get(x, 0.0) + w
        if h.chunk.meta.get("ncnd"):
            ncnd_vote += w
        o = h.chunk.meta.get("outcome") or ""
        outcome_vote[o] = outcome_vote.get(o, 0.0) + w / (total or 1)
    # a prior mass in the denominator: when every neighbour is far away, their votes count for less
    denom = total + settings.precedent_prior_mass
    p_score = {f: v / denom for f, v in p_vote.items()} if denom else {}
    p_ncnd = ncnd_vote / denom if denom else 0.0

    # exemption documents: reciprocal rank of each family among the families found
    d_score: dict[str, float] = {}
    for h in documents:
        prov = REGISTRY.get(family(h.chunk.doc_id.replace("s22a", "s22A")))
        if prov and prov.key in SCORED and prov.key not in d_score:
            d_score[prov.key] = 1.0 / (len(d_score) + 1)
    ncnd_prior = retriever.index.ncnd_rates(exclude=filters.exclude_doc_ids)

    c_score, c_ncnd, cue_names, own_data = cue_signal(request, book)
    notes: list[str] = []
    regime = "foia"
    named = f"{authority or ''} {request}"
    if book.foisa.search(named) and not book.uk_wide_only(named):
        notes.append(book.foisa_note)
        regime = "foisa"
    environmental = bool(book.eir.search(request))
    if environmental:
        notes.append(book.eir_note)
        regime = "eir" if regime == "foia" else regime
    if own_data:
        notes.append("The request seems to be for the requester's own personal data: that is a subject access "
                     "request under data protection law, and FOIA s40(1) exempts it from FOI.")
    return Signals(request, precedents, documents, p_score, p_sub, p_ncnd, outcome_vote, d_score, c_score, c_ncnd,
                   cue_names, own_data, notes, regime, ncnd_prior, environmental)


def decide(sg: Signals, settings: Settings) -> SuggestionResult:
    book = load_cues()
    wp, wd, wc = settings.w_precedent, settings.w_document, settings.w_cue
    scores: dict[str, float] = {}
    for f in set(sg.p_score) | set(sg.d_score) | set(sg.c_score):
        scores[f] = (wp * sg.p_score.get(f, 0.0) + wd * sg.d_score.get(f, 0.0) + wc * sg.c_score.get(f, 0.0)) / (wp + wd + wc)
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    top = ranked[0][1] if ranked else 0.0
    chosen = [(f, x) for f, x in ranked if x >= settings.suggest_threshold and x >= settings.suggest_relative * top] or ranked[:1]
    chosen = chosen[:settings.max_suggestions]
    prior = max((sg.ncnd_prior.get(f, 0.0) for f, _ in chosen), default=0.0)
    wn_p, wn_c, wn_f = settings.w_ncnd_precedent, settings.w_ncnd_cue, settings.w_ncnd_family
    ncnd_score = (wn_p * sg.p_ncnd + wn_c * sg.c_ncnd + wn_f * prior) / (wn_p + wn_c + wn_f)
    ncnd_capable = [f for f, _ in chosen if REGISTRY.get(f) and REGISTRY.get(f).ncnd and f not in ("s12", "s14")]
    ncnd = ncnd_score >= settings.ncnd_threshold and bool(ncnd_capable)

    suggestions: list[Suggestion] = []
    ncnd_sections: list[str] = []
    for f, x in chosen:
        prov = REGISTRY.get(f)
        reasons = []
        if sg.p_score.get(f):
            n = sum(1 for h in sg.precedents if f in {family(y) for y in h.chunk.sections})
            reasons.append(f"{n} of the {len(sg.precedents)} most similar past responses cited {f}")
        if sg.d_score.get(f):
            reasons.append(f"the {f} guidance ranks {round(1 / sg.d_score[f])} for this request")
        for cue in book.cues:
            if cue.name in sg.cue_names and f in cue.families:
                reasons.append(f"the request mentions {cue.name}")
        if sg.own_data and f == "s40":
            section = "s40(1)"
        elif ncnd and f in ncnd_capable:
            section = prov.ncnd
            ncnd_sections.append(section)
        else:
            subs = {k: v for k, v in sg.p_sub.get(f, {}).items() if k != f and REGISTRY.exists(k)
                    and not REGISTRY.is_ncnd_provision(k)}
            section = max(subs, key=subs.get) if subs else DEFAULT_SUBSECTION.get(f, f)
        precedents_for = [_precedent_view(h) for h in sg.precedents if f in {family(y) for y in h.chunk.sections}][:3]
        suggestions.append(Suggestion(section=section, score=min(1.0, x), reasons=reasons, precedents=precedents_for))

    first = family(suggestions[0].section) if suggestions else None
    if ncnd:
        outcome = "ncnd"
    elif first == "s12":
        outcome = "cost_limit"
    elif first == "s14":
        outcome = "vexatious"
    else:
        votes = {k: v for k, v in sg.outcome_vote.items() if k not in ("ncnd", "partial_ncnd", "not_held_plus_ncnd",
                                                                      "cost_limit", "vexatious", "disclosed", "not_held")}
        outcome = max(votes, key=votes.get) if votes else "refused"
    return SuggestionResult(request=sg.request, suggestions=suggestions, ncnd=ncnd, ncnd_score=round(ncnd_score, 3),
                            ncnd_sections=ncnd_sections, outcome=outcome, cues=sg.cue_names, notes=sg.notes,
                            precedent_hits=sg.precedents, document_hits=sg.documents, regime=sg.regime,
                            ranking=[(f, round(x, 3)) for f, x in ranked[:RANKED]])


def suggest(request: str, retriever, settings: Settings, *, authority: str | None = None,
            filters=None, models=None, authority_type: str | None = None) -> SuggestionResult:
    """The suggestion for a request: from the learned model of the library's practice when
    there is one (learn/), otherwise from the hand-weighted signals (decide)."""
    sg = gather(request, retriever, settings, authority=authority, filters=filters)
    model = models.get("foisa" if sg.regime == "foisa" else "foia") if models is not None else None
    if model is None:
        return decide(sg, settings)
    from .consistency import item_view, view
    from .items import split
    from .learned import for_regime, from_ranking

    kind = authority_type if authority_type is not None else load_cues().authority_type(authority)
    exclude = model.rows_of(filters.exclude_doc_ids) if filters is not None else None
    ranked = for_regime(model.predict(request, retriever.query_vector(request), kind, exclude), sg.environmental)
    result = from_ranking(sg, ranked, model, settings)
    result.consistency = view(model, ranked.neighbours, kind)
    items = split(request)
    if len(items) > 1:
        result.items = [item_view(it, for_regime(model.predict(it.query, retriever.query_vector(it.query), kind,
                                                               exclude), sg.environmental), model, result)
                        for it in items]
    return result
