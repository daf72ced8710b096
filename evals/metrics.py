"""Scores: micro-F1 over exemption families and exact provisions, per-family
precision/recall, NCND and outcome accuracy, citation validity, latency."""
from __future__ import annotations

import statistics


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def micro_f1(gold: list[set[str]], pred: list[set[str]]) -> float:
    tp = sum(len(g & p) for g, p in zip(gold, pred))
    fp = sum(len(p - g) for g, p in zip(gold, pred))
    fn = sum(len(g - p) for g, p in zip(gold, pred))
    return round(prf(tp, fp, fn)[2], 4)


def per_family(gold: list[set[str]], pred: list[set[str]]) -> dict[str, dict]:
    fams = sorted(set().union(*gold, *pred)) if gold else []
    out = {}
    for f in fams:
        tp = sum(1 for g, p in zip(gold, pred) if f in g and f in p)
        fp = sum(1 for g, p in zip(gold, pred) if f not in g and f in p)
        fn = sum(1 for g, p in zip(gold, pred) if f in g and f not in p)
        p_, r_, f_ = prf(tp, fp, fn)
        out[f] = {"precision": round(p_, 3), "recall": round(r_, 3), "f1": round(f_, 3), "support": tp + fn}
    return out


def accuracy(gold: list, pred: list) -> float:
    return round(sum(1 for g, p in zip(gold, pred) if g == p) / len(gold), 4) if gold else 0.0


def percentiles(values: list[float]) -> dict[str, float]:
    if not values:
        return {"p50": 0.0, "p95": 0.0}
    s = sorted(values)
    p95 = s[min(len(s) - 1, int(round(0.95 * (len(s) - 1))))]
    return {"p50": round(statistics.median(s), 1), "p95": round(p95, 1)}


def precision(gold: list[bool], pred: list[bool]) -> float:
    tp = sum(1 for g, p in zip(gold, pred) if g and p)
    return round(tp / sum(pred), 4) if sum(pred) else 0.0


def recall(gold: list[bool], pred: list[bool]) -> float:
    tp = sum(1 for g, p in zip(gold, pred) if g and p)
    return round(tp / sum(gold), 4) if sum(gold) else 0.0
