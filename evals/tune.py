"""python -m evals.tune: calibrate the suggestion weights and thresholds on
a cases file with leave-one-out. Signals are gathered once per case, then a
small grid of the named Settings is scored; prints the best and the current.
The grid is coarse on purpose: a few global numbers, never per-case rules."""
from __future__ import annotations

import argparse
import itertools
import json
from pathlib import Path

from assistant.config import Settings
from assistant.engine import Engine
from assistant.reason.suggest import decide, gather

from . import metrics as M
from .dataset import DEV, coarse_outcome, load_cases, scored_families
from .systems import exclusion

# parameters used while gathering signals: a change re-gathers them
GATHER = {"precedent_prior_mass": [0.0, 0.3, 0.6], "precedent_sharpness": [1.0, 2.0, 3.0]}
GRID = {
    "w_precedent": [0.3, 0.45, 0.6],
    "w_document": [0.1, 0.2, 0.35],
    "w_cue": [0.2, 0.35, 0.5],
    "suggest_threshold": [0.12, 0.16, 0.2, 0.25],
    "suggest_relative": [0.4, 0.55, 0.7],
    "w_ncnd_precedent": [0.2, 0.4, 0.6],
    "w_ncnd_cue": [0.2, 0.4, 0.6],
    "w_ncnd_family": [0.0, 0.2, 0.4],
    "ncnd_threshold": [0.2, 0.25, 0.3, 0.35, 0.4],
}


def objective(m: dict) -> float:
    return m["f1"] + 0.5 * m["ncnd"] + 0.25 * m["outcome"]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m evals.tune")
    ap.add_argument("--cases", type=Path, default=DEV)
    ap.add_argument("--data-dir", type=Path)
    args = ap.parse_args(argv)
    cases = load_cases(args.cases)
    engine = Engine(Settings.load(data_dir=args.data_dir))
    engine.build_index()
    gold = [c.families for c in cases]
    cache: dict[tuple, list] = {}

    def signals_for(settings: Settings) -> list:
        key = tuple(getattr(settings, k) for k in GATHER)
        if key not in cache:
            engine.retriever.settings = settings
            cache[key] = [gather(c.request, engine.retriever, settings, authority=c.authority, filters=exclusion(c, engine))
                          for c in cases]
        return cache[key]

    def score(settings: Settings) -> dict:
        res = [decide(sg, settings) for sg in signals_for(settings)]
        return {"f1": M.micro_f1(gold, [scored_families(r.sections) for r in res]),
                "ncnd": M.accuracy([c.ncnd for c in cases], [r.ncnd for r in res]),
                "outcome": M.accuracy([coarse_outcome(c.outcome) for c in cases], [coarse_outcome(r.outcome) for r in res])}

    base = engine.settings
    GRID.update(GATHER)
    keys = list(GRID)
    # coordinate search: one parameter at a time, twice round
    best = {k: getattr(base, k) for k in keys}
    best_m = score(base.model_copy(update=best))
    for _ in range(2):
        for k in keys:
            for v in GRID[k]:
                trial = best | {k: v}
                m = score(base.model_copy(update=trial))
                if objective(m) > objective(best_m) + 1e-9:
                    best, best_m = trial, m
    print(json.dumps({"current": {k: getattr(base, k) for k in keys}, "current_scores": score(base),
                      "best": best, "best_scores": best_m}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
