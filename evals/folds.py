"""Scoring the learned model on cases it never saw: the cases are split into
folds (whole cases to a fold, by a stable hash of their id), and each fold is
scored by a model fitted without every precedent that is the same case as
any case of the fold (its own record, its decision notice, its tribunal
appeal, a summary elsewhere: precedents/cases.py)."""
from __future__ import annotations

import hashlib
from dataclasses import replace

from assistant.learn.cache import document_vectors
from assistant.learn.examples import examples_from_index
from assistant.learn.model import fit

FOLDS = 5


def fold_of(case_id: str, k: int = FOLDS) -> int:
    return int(hashlib.sha1(case_id.encode()).hexdigest(), 16) % k


class FoldModels:
    """What Engine.suggest asks for (get(regime)), answering with one fold's model."""

    def __init__(self, model, fallback):
        self.model = model
        self.fallback = fallback

    def get(self, regime: str = "foia", **_):
        return self.model if regime not in ("foisa", "eisr") else self.fallback.get(regime)


def fold_models(engine, cases, k: int = FOLDS) -> tuple[dict[str, FoldModels], dict[int, frozenset[str]]]:
    """case id -> the models to score it with; and per fold, the precedents left out."""
    examples, vectors = examples_from_index(engine.index, "foia")
    docs, doc_fams = document_vectors(engine.index)
    out: dict[str, FoldModels] = {}
    left_out: dict[int, frozenset[str]] = {}
    for i in range(k):
        held = [c for c in cases if fold_of(c.id, k) == i]
        if not held:
            continue
        excluded = frozenset().union(*(engine.index.same_case(c.record()) for c in held))
        keep = [j for j, e in enumerate(examples) if e.doc_id not in excluded]
        model = fit([replace(examples[j], row=n) for n, j in enumerate(keep)], vectors[keep], docs, doc_fams)
        left_out[i] = excluded
        for c in held:
            out[c.id] = FoldModels(model, engine.models)
    return out, left_out
