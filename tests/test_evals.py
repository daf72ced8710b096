"""The eval harness works (not that a score is reached), on the dev set and on
a file in the same format that the project has never seen."""
import json
import subprocess
import sys

import pytest

from evals.dataset import load_cases, norm_section, scored_families
from evals.run import evaluate, refusal_letter
from evals.systems import exclusion

NEW_CASES = [
    {"id": "new-1", "authority": "Northshire Police", "authority_type": "police", "reference": "N/1", "date": "2024-01-05",
     "url": None, "request": "How many covert surveillance authorisations the force granted last year, by month.",
     "outcome": "ncnd", "sections": ["s24(2)", "s31(3)"], "ncnd": True, "pit": True, "harm_points": [], "notes": ""},
    {"id": "new-2", "authority": "Eastshire Council", "authority_type": "local_gov", "reference": None, "date": None,
     "url": "https://example.org/x", "request": "All emails mentioning potholes sent by any councillor since 2010.",
     "outcome": "cost_limit", "sections": ["Section 12"], "ncnd": False, "pit": False, "harm_points": [], "notes": ""},
]


def test_section_normalisation():
    assert norm_section("s12") == "s12(1)" and norm_section("Section 12") == "s12(1)"
    assert norm_section("s40(5)(b)(i)") == "s40(5B)"
    assert scored_families(["s17", "s10(1)", "s16", "s40(2)"]) == {"s40"}


def test_harness_on_a_new_file(corpus_engine, tmp_path):
    f = tmp_path / "unseen.jsonl"
    f.write_text("\n".join(json.dumps(c) for c in NEW_CASES) + "\n")
    cases = load_cases(f)
    result, rows = evaluate(cases, corpus_engine, baselines=True, workdir=tmp_path)
    assert result["n_cases"] == 2 and len(rows) == 2
    for key in ("section_family_f1", "section_exact_f1", "ncnd_accuracy", "outcome_accuracy", "citation_valid_rate",
                "invalid_provision_count", "retrieval_recall_at_5", "latency_ms", "requester_explained_rate"):
        assert key in result, key
    assert result["invalid_provision_count"] == 0
    assert set(result["baselines"]) == {"hand_weighted_signals", "bm25_only", "dense_only", "precedent_neighbours_only",
                                        "langchain_retrieval_chain"}
    for key in ("ranked_recall_at_5", "ncnd_precision", "ncnd_recall"):
        assert key in result, key


def test_leave_one_out_excludes_by_id_and_url():
    case = load_cases()[1]
    ex = exclusion(case)
    assert f"precedent:{case.id}" in ex.exclude_doc_ids
    assert (case.url in ex.exclude_urls) if case.url else not ex.exclude_urls


def test_refusal_letter_from_facts():
    case = load_cases()[0]
    text = refusal_letter(case)
    assert "neither confirm nor deny" in text and "Section 24(2)" in text


def test_smoke_command(corpus_engine, tmp_path):
    out = tmp_path / "eval"
    subprocess.run([sys.executable, "-m", "evals", "run", "--smoke", "--data-dir", str(corpus_engine.settings.data_dir),
                    "--out", str(out)], check=True, capture_output=True, text=True)
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["n_cases"] == 6
    assert (out / "report.md").read_text().startswith("# FOI Assistant evals")
    assert (out / "per_family_f1.png").stat().st_size > 1000
