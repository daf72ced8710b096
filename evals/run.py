"""python -m evals run [--cases PATH] [--out DIR]: the officer task on each
case's request alone (leave-one-out), the requester task on a letter built
from the case's facts, ours beside baselines; metrics.json, report.md, plots."""
from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from assistant.config import Settings
from assistant.engine import Engine
from assistant.reason.act import REGISTRY, family

from . import metrics as M
from .dataset import DEV, Case, coarse_outcome, load_cases, norm_section
from .report import write_plots, write_report
from .folds import fold_models
from .systems import LangChainBaseline, exclusion, hand_weighted, ours, precedent_neighbours, retrieval_baseline

SMOKE_CASES = 6


def refusal_letter(case: Case) -> str:
    """A refusal letter written from the case's facts, for the requester task."""
    secs = [norm_section(s) for s in case.sections if REGISTRY.get(norm_section(s))
            and REGISTRY.get(norm_section(s)).kind in ("exemption", "refusal")]
    ncnd_secs = [s for s in secs if case.ncnd and REGISTRY.is_ncnd_provision(s)]
    other = [s for s in secs if s not in ncnd_secs]
    name = lambda s: "Section " + s[1:]  # noqa: E731
    parts = [f"{case.date or '1 March 2024'}", f"Freedom of Information request {case.reference or ''}",
             f"Thank you for your request. You asked: {case.request}"]
    if ncnd_secs:
        parts.append(f"{case.authority or 'We'} can neither confirm nor deny whether we hold the information, "
                     f"relying on {', '.join(name(s) for s in ncnd_secs)}.")
    if other:
        parts.append(f"The information is withheld under {', '.join(name(s) for s in other)}.")
    parts.append("Reasons: " + " ".join(case.harm_points or ["Disclosure would be likely to prejudice the interests protected."]))
    if case.pit:
        parts.append("Public interest test: we have weighed the factors for and against and the balance favours the exemption.")
    parts.append("If you are dissatisfied you may ask for an internal review, and then complain to the Information Commissioner.")
    return "\n\n".join(parts)


def requester_ok(engine: Engine, case: Case) -> bool:
    gold = [norm_section(s) for s in case.sections if REGISTRY.get(norm_section(s))
            and REGISTRY.get(norm_section(s)).kind == "exemption"]
    if not gold:
        return True
    out = engine.explain(refusal_letter(case)).to_json()
    explained = {s["section"]: s for s in out["sections"]}
    for g in gold:
        s = explained.get(g) or next((v for k, v in explained.items() if family(k) == family(g)), None)
        if s is None or s["absolute"] != REGISTRY.is_absolute(g) or not s["explanation"]:
            return False
        if bool(s["ncnd"]) != bool(case.ncnd and REGISTRY.is_ncnd_provision(g)):
            return False
    return True


def score(cases: list[Case], preds: list, latencies: list[float] | None = None) -> dict:
    gold_f = [c.families for c in cases]
    pred_f = [p.families for p in preds]
    with_gold = [(c, p) for c, p in zip(cases, preds) if c.families]
    gold_ncnd, pred_ncnd = [c.ncnd for c in cases], [p.ncnd for p in preds]
    out = {
        "n_cases": len(cases),
        "section_family_f1": M.micro_f1(gold_f, pred_f),
        # the share of each case's gold families found in the top 5 of its full ranking
        "ranked_recall_at_5": round(sum(len(c.families & set((p.ranked or sorted(p.families))[:5])) / len(c.families)
                                        for c, p in with_gold) / len(with_gold), 4) if with_gold else 0.0,
        "ncnd_precision": M.precision(gold_ncnd, pred_ncnd),
        "ncnd_recall": M.recall(gold_ncnd, pred_ncnd),
        "section_exact_f1": M.micro_f1([c.exact for c in cases], [p.exact for p in preds]),
        "ncnd_accuracy": M.accuracy([c.ncnd for c in cases], [p.ncnd for p in preds]),
        "outcome_accuracy": M.accuracy([coarse_outcome(c.outcome) for c in cases], [coarse_outcome(p.outcome) for p in preds]),
        "per_family": M.per_family(gold_f, pred_f),
    }
    if latencies is not None:
        out["latency_ms"] = M.percentiles(latencies)
    return out


def evaluate(cases: list[Case], engine: Engine, *, baselines: bool = True, workdir: Path | None = None) -> tuple[dict, list[dict]]:
    preds, lat, rows = [], [], []
    models: dict = {}
    started = time.perf_counter()
    if engine.settings.learned_suggestions:      # each case scored by a model fitted without its case
        models, _ = fold_models(engine, cases)
    fold_seconds = time.perf_counter() - started
    for c in cases:
        t = time.perf_counter()
        p = ours(engine, c, exclusion(c, engine), models=models.get(c.id))
        lat.append((time.perf_counter() - t) * 1000)
        preds.append(p)
    result = score(cases, preds, lat)
    result["fold_training_seconds"] = round(fold_seconds, 1)
    model = engine.models.get("foia") if engine.settings.learned_suggestions else None
    if model is not None:
        result["library_kfold"] = {k: v for k, v in model.report.items()}
    cits = [x for p in preds for x in p.citations]
    result["citation_valid_rate"] = round(sum(1 for x in cits if x["verified"]) / len(cits), 4) if cits else 0.0
    result["invalid_provision_count"] = sum(len(p.invalid) for p in preds)
    with_gold = [(c, p) for c, p in zip(cases, preds) if c.families]
    result["retrieval_recall_at_5"] = round(
        sum(len(c.families & set(p.retrieved_families)) / len(c.families) for c, p in with_gold) / len(with_gold), 4) if with_gold else 0.0
    req = [requester_ok(engine, c) for c in cases]
    result["requester_explained_rate"] = round(sum(req) / len(req), 4) if req else 0.0
    confusion: dict[str, dict[str, int]] = {}
    for c, p in zip(cases, preds):
        row = confusion.setdefault(coarse_outcome(c.outcome), {})
        row[coarse_outcome(p.outcome)] = row.get(coarse_outcome(p.outcome), 0) + 1
    result["outcome_confusion"] = confusion
    for c, p, ok in zip(cases, preds, req):
        fp, fn = p.families - c.families, c.families - p.families
        rows.append({"id": c.id, "gold": sorted(c.families), "pred": sorted(p.families), "gold_ncnd": c.ncnd,
                     "pred_ncnd": p.ncnd, "gold_outcome": c.outcome, "pred_outcome": p.outcome,
                     "errors": len(fp) + len(fn) + (c.ncnd != p.ncnd), "why": p.why, "request": c.request,
                     "requester_ok": ok})
    if baselines:
        systems = {"hand_weighted_signals": hand_weighted, "bm25_only": retrieval_baseline("bm25"),
                   "dense_only": retrieval_baseline("dense"), "precedent_neighbours_only": precedent_neighbours}
        try:
            systems["langchain_retrieval_chain"] = LangChainBaseline(engine, str((workdir or Path(tempfile.mkdtemp())) / "lc"))
        except Exception as e:  # reported, not hidden
            result["baseline_errors"] = {"langchain_retrieval_chain": repr(e)}
        result["baselines"] = {}
        for name, fn in systems.items():
            bp, bl = [], []
            for c in cases:
                t = time.perf_counter()
                bp.append(fn(engine, c, exclusion(c, engine)))
                bl.append((time.perf_counter() - t) * 1000)
            result["baselines"][name] = {k: v for k, v in score(cases, bp, bl).items() if k != "n_cases"}
    return result, rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals", description="Score FOI Assistant against known responses.")
    sub = parser.add_subparsers(dest="cmd", required=True)
    run = sub.add_parser("run", help="run the evals and write metrics.json, report.md and plots")
    run.add_argument("--cases", type=Path, default=DEV, help="a JSONL file of known responses (default: the dev set)")
    run.add_argument("--out", type=Path, default=Path("eval-output"))
    run.add_argument("--data-dir", type=Path, help="the index to use (default: the project's)")
    run.add_argument("--limit", type=int, help="only the first N cases")
    run.add_argument("--smoke", action="store_true", help=f"a quick run on {SMOKE_CASES} cases, no baselines")
    run.add_argument("--no-baselines", action="store_true")
    args = parser.parse_args(argv)

    cases = load_cases(args.cases)
    if args.smoke:
        cases = cases[:SMOKE_CASES]
    elif args.limit:
        cases = cases[:args.limit]
    engine = Engine(Settings.load(data_dir=args.data_dir))
    engine.build_index(show_bar=False)
    args.out.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    result, rows = evaluate(cases, engine, baselines=not (args.smoke or args.no_baselines), workdir=args.out)
    result["cases_file"] = str(args.cases)
    result["seconds"] = round(time.perf_counter() - t, 1)
    (args.out / "metrics.json").write_text(json.dumps(result, indent=2))
    (args.out / "cases.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    write_report(result, rows, args.out)
    write_plots(result, args.out)
    print(json.dumps({k: v for k, v in result.items() if k not in ("per_family", "baselines", "outcome_confusion")}, indent=2))
    print(f"wrote {args.out}/metrics.json, report.md, plots")
    return 0
