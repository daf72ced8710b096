"""How others answered this: the most similar past cases grouped by outcome
("7 of 9 similar requests to police forces: NCND under s24(2) and s31(3);
2 disclosed"), each with its authority, date, link and, for decision
notices and tribunal cases, what was found about each provision; and, per
item of a multi-part request, what to do with it. Pure: a model's
neighbours in, plain data out."""
from __future__ import annotations

from collections import Counter

from .act import family
from .learned import WHOLE_REQUEST, case_view, ncnd_capable, subsection

SIMILAR = 10                 # neighbours shown
SAME_TYPE_MIN = 3            # enough neighbours of the same authority type to speak for them alone
MIN_SIMILARITY = 0.35        # a neighbour further than this is not "similar"
OUTCOME_PHRASES = {"ncnd": "neither confirmed nor denied", "refused": "refused", "partial": "partly disclosed",
                   "disclosed": "disclosed", "not_held": "said not held", "cost_limit": "refused on cost (s12)",
                   "vexatious": "refused as vexatious (s14)"}
TYPE_PHRASES = {"police": "police forces", "local_gov": "councils", "central_gov": "government departments",
                "health": "health bodies", "education": "education bodies", "other": "public bodies"}
def view(model, neighbours: list[tuple[int, float]], authority_type: str) -> dict:
    near = [(r, c) for r, c in neighbours if c >= MIN_SIMILARITY][:SIMILAR * 2]
    same = [(r, c) for r, c in near if model.examples[r].authority_type == authority_type]
    by_type = bool(authority_type) and len(same) >= SAME_TYPE_MIN
    pool = (same if by_type else near)[:SIMILAR]
    if not pool:
        return {"summary": "", "groups": [], "cases": []}
    groups = []
    for outcome, n in Counter(model.examples[r].outcome for r, _ in pool).most_common():
        rows = [(r, c) for r, c in pool if model.examples[r].outcome == outcome]
        secs = Counter(s for r, _ in rows for s in model.examples[r].sections if family(s) not in ("s16", "s17", "s10"))
        groups.append({"outcome": outcome, "count": n, "sections": [s for s, _ in secs.most_common(3)],
                       "cases": [case_view(model.examples[r], c) for r, c in rows]})
    who = TYPE_PHRASES.get(authority_type, "public bodies") if by_type else "public bodies"
    parts = []
    for g in groups:
        under = f" under {' and '.join(g['sections'][:2])}" if g["sections"] and g["outcome"] not in ("disclosed", "not_held") else ""
        parts.append(f"{g['count']} {OUTCOME_PHRASES.get(g['outcome'], g['outcome'])}{under}")
    summary = f"{len(pool)} similar requests to {who}: " + "; ".join(parts)
    return {"summary": summary, "groups": groups, "cases": [case_view(model.examples[r], c) for r, c in pool]}


def item_view(item, ranked, model, whole) -> dict:
    """What to do with one item of a request: disclose, withhold under a provision,
    NCND under a provision, not held, or the cost limit for the request as a whole."""
    base = {"n": item.n, "text": item.text, "sections": [], "probability": None, "reasons": []}
    if whole.outcome == "cost_limit":
        return base | {"response": "cost_limit", "sections": [s.section for s in whole.suggestions][:1] or ["s12(1)"],
                       "reasons": ["the cost of answering is judged for the request as a whole: its items' costs add up"]}
    probs = dict(ranked.families)
    chosen = [f for f in ranked.chosen if f not in WHOLE_REQUEST][:2]
    top_outcome = next((o for o, _ in ranked.outcomes if o not in ("cost_limit", "vexatious")), "refused")
    if top_outcome in ("disclosed", "not_held") or not chosen:
        response = top_outcome if top_outcome in ("disclosed", "not_held") else "disclosed"
        best = ranked.families[0] if ranked.families else None
        reasons = [f"no exemption reaches its threshold for this item (the likeliest, {best[0]}, is at {best[1]:.2f})"] \
            if best else []
        return base | {"response": response, "reasons": reasons}
    ncnd = (ranked.ncnd_call or whole.ncnd) and any(ncnd_capable(f) for f in chosen)
    sections = [subsection(f, model, ranked.neighbours, ncnd and ncnd_capable(f)) for f in chosen]
    reasons = [f"{subsection(f, model, ranked.neighbours, False)}: probability {probs[f]:.2f}" for f in chosen]
    return base | {"response": "ncnd" if ncnd else "withhold", "sections": sections,
                   "probability": round(max(probs[f] for f in chosen), 3), "reasons": reasons}
