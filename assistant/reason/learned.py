"""The officer's suggestion from the learned model's ranking (learn/model.py):
which provisions, under which subsection, whether to neither confirm nor
deny (and under which provisions and why), the likely outcome, each with its
probability and the reasons behind it. Pure: a ranking and the model's
examples in, a SuggestionResult out.

The exact subsection is the registry's NCND provision when NCND is called
(s31(3), s40(5B)), otherwise the subsection the nearest precedents citing
the family used most (s31(1)(a), s40(2)), otherwise the family's usual one;
every one is checked to exist."""
from __future__ import annotations

from dataclasses import replace

from ..types import Suggestion
from .act import REGISTRY, family
from .suggest import DEFAULT_SUBSECTION, Signals, SuggestionResult, load_cues

WHOLE_REQUEST = ("s12", "s14", "foisa:s12", "foisa:s14")     # grounds that answer a request as a whole
NCND_CONSIDER = 0.3           # below the call's cut-off but at least this likely: NCND is offered to consider
NO_PROVISION = ("disclosed", "not_held")
SCOTTISH_NCND = "foisa:s18(1)"


def ncnd_capable(fam: str) -> bool:
    prov = REGISTRY.get(fam)
    return bool(prov and prov.ncnd and fam not in WHOLE_REQUEST)


def ncnd_section(fam: str) -> str:
    """The provision that removes the duty to confirm or deny for a family."""
    prov = REGISTRY.get(fam)
    return prov.ncnd if prov and prov.ncnd else fam


def subsection(fam: str, model, neighbours: list[tuple[int, float]], ncnd: bool) -> str:
    if ncnd and ncnd_capable(fam):
        return ncnd_section(fam)
    votes: dict[str, float] = {}
    for row, cos in neighbours:
        for s in model.examples[row].sections:
            if family(s) == fam and s != fam and REGISTRY.exists(s) and not REGISTRY.is_ncnd_provision(s):
                votes[s] = votes.get(s, 0.0) + max(cos, 0.0)
    if votes:
        return max(sorted(votes), key=votes.get)
    default = DEFAULT_SUBSECTION.get(fam, fam)
    return default if REGISTRY.exists(default) else fam


def _cited_by(fam: str, model, neighbours) -> list[int]:
    return [row for row, _ in neighbours if fam in model.examples[row].families]


def reasons_for(fam: str, p: float, model, neighbours, sg: Signals) -> list[str]:
    out = [f"probability {p:.2f}, from a model of {len(model.examples)} past cases"]
    cited = _cited_by(fam, model, neighbours)
    if cited:
        out.append(f"{len(cited)} of the {len(neighbours)} most similar past requests relied on {fam}")
    book = load_cues()
    for cue in book.cues:
        if cue.name in sg.cue_names and fam in cue.families:
            out.append(f"the request mentions {cue.name}")
    return out


def ncnd_reasons(chosen: list[str], model, neighbours, sg: Signals) -> list[str]:
    """Why NCND: which provisions, what confirming or denying would reveal, what similar cases did."""
    book = load_cues()
    out = []
    for cue in book.cues:
        if cue.name in sg.cue_names and cue.ncnd >= 0.3:
            fams = [f for f in chosen if f in cue.families or not cue.families]
            provs = ", ".join(dict.fromkeys(ncnd_section(f) for f in fams if ncnd_capable(f)))
            out.append(f"{cue.name}" + (f": {provs}" if provs else ""))
    n = sum(1 for row, _ in neighbours if model.examples[row].ncnd)
    if n:
        out.append(f"{n} of the {len(neighbours)} most similar past requests were answered by neither confirming "
                   "nor denying")
    return out


def for_regime(ranked, environmental: bool):
    """The ranking without the environmental regulations' exceptions when the request is not for
    environmental information (the library's model learns the EIR's exceptions from EIR cases, and
    without this would offer regulation 12 for a request about staff pay). An environmental request
    keeps everything: requests are often partly environmental."""
    if environmental:
        return ranked

    def fits(f: str) -> bool:
        prov = REGISTRY.get(f)
        return not (prov and prov.act in ("eir", "eisr"))

    return replace(ranked, families=[(f, p) for f, p in ranked.families if fits(f)],
                   chosen=[f for f in ranked.chosen if fits(f)])


def from_ranking(sg: Signals, ranked, model, settings) -> SuggestionResult:
    probs = dict(ranked.families)
    # without an NCND call, the outcome model's NCND share belongs to refusal (NCND refuses the duty to confirm or deny)
    outs = dict(ranked.outcomes)
    if not ranked.ncnd_call:
        outs["refused"] = outs.get("refused", 0.0) + outs.pop("ncnd", 0.0)
    order = [o for o, _ in sorted(outs.items(), key=lambda kv: -kv[1])]
    chosen = [f for f in ranked.chosen if f in probs][:settings.max_suggestions]
    top = ranked.families[0][0] if ranked.families else None
    grounds = [f for f in chosen if f not in WHOLE_REQUEST]
    whole = [f for f in chosen if f in WHOLE_REQUEST]
    first = next((o for o in order if o != "ncnd"), "refused")
    capable = [f for f in (grounds or ([top] if top else [])) if ncnd_capable(f)]
    ncnd = ranked.ncnd_call and bool(capable)
    if whole and (first in ("cost_limit", "vexatious") or not grounds):
        outcome = "vexatious" if any(f.endswith("s14") for f in whole) and first != "cost_limit" else "cost_limit"
        keep = [f for f in whole if f.endswith("s14" if outcome == "vexatious" else "s12")] or whole[:1]
        chosen, ncnd = keep, False
    elif ncnd:
        outcome = "ncnd"
        chosen = grounds or capable
    else:
        outcome = first if first not in ("cost_limit", "vexatious") else "refused"
        chosen = grounds
        if outcome in NO_PROVISION:
            chosen = []
        elif not chosen and top:                 # a refusal rests on something: the most likely ground
            chosen = [top]
    suggestions = []
    ncnd_sections: list[str] = []
    for f in chosen:
        use_ncnd = ncnd and ncnd_capable(f)
        section = subsection(f, model, ranked.neighbours, use_ncnd)
        if use_ncnd:
            ncnd_sections.append(section)
        if sg.own_data and f == "s40":
            section = "s40(1)"
        views = [case_view(model.examples[row], cos) for row, cos in ranked.neighbours
                 if f in model.examples[row].families][:3]
        suggestions.append(Suggestion(section=section, score=round(probs.get(f, 0.0), 3),
                                      reasons=reasons_for(f, probs.get(f, 0.0), model, ranked.neighbours, sg),
                                      precedents=views))
    if ncnd and model.regime == "foisa" and SCOTTISH_NCND not in ncnd_sections:
        ncnd_sections.insert(0, SCOTTISH_NCND)
    ranking = [(subsection(f, model, ranked.neighbours, ncnd and f in chosen and ncnd_capable(f)), round(p, 3))
               for f, p in ranked.families[:5]]
    result = SuggestionResult(request=sg.request, suggestions=suggestions, ncnd=ncnd, ncnd_score=round(ranked.ncnd, 3),
                              ncnd_sections=list(dict.fromkeys(ncnd_sections)), outcome=outcome, cues=sg.cue_names,
                              notes=sg.notes, precedent_hits=sg.precedents, document_hits=sg.documents,
                              regime=sg.regime, ranking=ranking)
    consider = not ncnd and ranked.ncnd >= NCND_CONSIDER and outcome not in ("cost_limit", "vexatious")
    result.ncnd_reasons = ncnd_reasons(chosen, model, ranked.neighbours, sg) if ncnd or consider else []
    result.ncnd_consider = list(dict.fromkeys(ncnd_section(f) for f in (chosen or capable) if ncnd_capable(f))) \
        if consider else []
    result.outcome_probabilities = [(o, round(p, 3)) for o, p in ranked.outcomes]
    result.model = {"examples": len(model.examples), "regime": model.regime,
                    "thresholds": {f: model.thresholds.get(f) for f in chosen}}
    return result


FINDING_PHRASES = {"upheld": "upheld", "not_upheld": "not upheld", "partly": "partly upheld"}


def case_view(ex, cos: float) -> dict:
    """A precedent as the officer sees it: who, when, the page, what was asked and done, and for a
    decision notice what was found about each provision."""
    found = {s: FINDING_PHRASES.get(f, f) for s, f in (ex.finding or {}).items()}
    return {"doc_id": ex.doc_id, "authority": ex.authority, "authority_type": ex.authority_type, "date": ex.date,
            "url": ex.url, "request": ex.request, "outcome": ex.outcome, "ncnd": ex.ncnd, "sections": ex.sections,
            "decision_ref": ex.decision_ref, "source_kind": ex.source_kind, "finding": found,
            "harm_points": list(ex.harm_points), "similarity": round(cos, 3)}
