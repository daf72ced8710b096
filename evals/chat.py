"""python -m evals chat [--questions FILE] [--out DIR] [--no-answer-base]: the chat
scored on questions people really ask (evals/questions/heldout.jsonl, written
apart from the answer base): each answer must state every required fact
(any of its patterns) and make none of the wrong statements, and every
citation must be verified. --no-answer-base scores the chat without the
answer base (passages only), as it was before it existed."""
from __future__ import annotations

import argparse
import json
import re
import statistics
import time
from pathlib import Path

from assistant.config import Settings
from assistant.engine import Engine

QUESTIONS = Path(__file__).resolve().parent / "questions" / "heldout.jsonl"


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def judge(q: dict, answer: str) -> dict:
    """Which required facts the answer states, and which wrong statements it makes
    (patterns matched case-insensitively, without re.MULTILINE, as they were written)."""
    missing = [m["fact"] for m in q.get("must") or [] if not any(re.search(p, answer, re.I) for p in m["any"])]
    wrong = [m["claim"] for m in q.get("must_not") or [] if any(re.search(p, answer, re.I) for p in m["any"])]
    return {"complete": not missing, "missing": missing, "wrong": wrong}


def run(engine: Engine, questions: list[dict]) -> tuple[dict, list[dict]]:
    rows, lat, cits = [], [], []
    for q in questions:
        t = time.perf_counter()
        a = engine.ask(q["question"], mode=q.get("mode", "requester"), history=q.get("history") or [])
        lat.append((time.perf_counter() - t) * 1000)
        out = a.to_json()
        verdict = judge(q, out["answer"])
        cits.extend(c["verified"] for c in out["citations"])
        rows.append({"id": q["id"], "topic": q.get("topic"), "mode": q.get("mode"), "question": q["question"],
                     "matched": (out.get("topic") or {}).get("id"), **verdict, "answer": out["answer"]})
    n = len(rows)
    s = sorted(lat)
    result = {"n": n, "complete_rate": round(sum(r["complete"] for r in rows) / n, 4) if n else 0.0,
              "answers_with_a_wrong_statement": sum(bool(r["wrong"]) for r in rows),
              "facts_stated_rate": round(1 - sum(len(r["missing"]) for r in rows) /
                                         max(1, sum(len(q.get("must") or []) for q in questions)), 4),
              "citations": len(cits), "citations_verified_rate": round(sum(cits) / len(cits), 4) if cits else 0.0,
              "matched_rate": round(sum(bool(r["matched"]) for r in rows) / n, 4) if n else 0.0,
              "latency_ms": {"p50": round(statistics.median(s), 1) if s else 0.0,
                             "p95": round(s[min(len(s) - 1, int(round(0.95 * (len(s) - 1))))], 1) if s else 0.0}}
    return result, rows


def report(result: dict, rows: list[dict]) -> str:
    lines = ["# Chat evals: questions people ask", "",
             f"{result['n']} questions. Every required fact stated: {result['complete_rate']:.0%}; "
             f"facts stated: {result['facts_stated_rate']:.0%}; answers with a wrong statement: "
             f"{result['answers_with_a_wrong_statement']}; citations verified: {result['citations_verified_rate']:.0%} "
             f"of {result['citations']}; matched to the answer base: {result['matched_rate']:.0%}; "
             f"latency p50/p95 {result['latency_ms']['p50']} / {result['latency_ms']['p95']} ms.", "",
             "## Not complete or wrong", ""]
    for r in rows:
        if r["missing"] or r["wrong"]:
            lines += [f"### {r['id']} ({r['topic']}, {r['mode']})", "", f"> {r['question']}", "",
                      f"- matched: {r['matched'] or 'no answer'}",
                      *(f"- missing: {m}" for m in r["missing"]), *(f"- WRONG: {w}" for w in r["wrong"]), ""]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m evals chat", description=__doc__)
    ap.add_argument("--questions", type=Path, default=QUESTIONS)
    ap.add_argument("--out", type=Path, default=Path("eval-output") / "chat")
    ap.add_argument("--data-dir", type=Path)
    ap.add_argument("--no-answer-base", action="store_true", help="answer from passages only (the chat before the answer base)")
    args = ap.parse_args(argv)
    engine = Engine(Settings.load(data_dir=args.data_dir))
    engine.build_index(show_bar=False)
    if args.no_answer_base:
        from assistant.answers.match import Matcher

        engine._answers = Matcher([], engine.index.embedder)
    result, rows = run(engine, load(args.questions))
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "chat-metrics.json").write_text(json.dumps(result, indent=2))
    (args.out / "chat-answers.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    (args.out / "chat-report.md").write_text(report(result, rows))
    print(json.dumps(result, indent=2))
    return 0
