"""The CLI: every verb has help, and the JSON shapes the issues promise."""
import json
import subprocess
import sys

import pytest

from assistant.cli import VERBS, build_parser
from conftest import make_pdf


def run(*args, input=None, check=True):
    return subprocess.run([sys.executable, "-m", "assistant", *args], capture_output=True, text=True,
                          input=input, check=check)


def test_every_verb_has_help():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "verb")
    for verb in VERBS:
        assert verb.HELP and len(verb.HELP) > 20, verb.NAME
        p = sub.choices[verb.NAME]
        assert all(a.help for a in p._actions if a.dest != "help"), verb.NAME


@pytest.mark.parametrize("verb", [v.NAME for v in VERBS])
def test_help_runs(verb):
    assert "usage" in run(verb, "--help").stdout


def test_explain_json_from_pdf_and_stdin(corpus_engine, tmp_path, seed_letter):
    pdf = make_pdf(tmp_path / "refusal.pdf", [
        "4 March 2024", "Our ref: FOI-2024-118",
        "We are withholding the contract under section 43(2) because disclosure would be likely to prejudice "
        "the supplier's commercial interests. We considered the public interest and the balance favours withholding.",
        "You may ask for an internal review within 40 working days."])
    data = corpus_engine.settings.data_dir
    out = json.loads(run("--data-dir", str(data), "explain", str(pdf), "--json").stdout)
    assert set(out) >= {"sections", "ncnd", "checks", "next_steps", "answer", "letter", "citations"}
    assert out["sections"][0]["section"] == "s43(2)" and out["ncnd"] is False
    checks = {c["id"]: c["ok"] for c in out["checks"]}
    assert checks["internal_review_stated"] and not checks["ico_right_stated"]
    out = json.loads(run("--data-dir", str(data), "explain", "--json", input=seed_letter).stdout)
    assert {s["section"] for s in out["sections"]} >= {"s24(2)", "s31(3)"}


def test_draft_and_ask_json(corpus_engine):
    data = str(corpus_engine.settings.data_dir)
    out = json.loads(run("--data-dir", data, "draft", "--request",
                         "Copies of the legal advice the council received on the new bus lane", "--json").stdout)
    assert set(out) >= {"suggestions", "outcome", "ncnd", "draft", "citations", "checks"}
    assert set(out["suggestions"][0]) == {"section", "score", "reasons", "precedents"}
    out = json.loads(run("--data-dir", data, "ask", "how long do they have to answer my request?", "--json").stdout)
    assert out["answer"] and out["citations"] and all(
        set(c) >= {"n", "doc_id", "chunk_id", "title", "url", "quote", "verified"} for c in out["citations"])


def test_bad_input_gives_a_clear_error(tmp_path):
    p = run("explain", str(tmp_path / "missing.pdf"), check=False)
    assert p.returncode == 2 and "no such file" in p.stderr
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4 nope")
    p = run("explain", str(tmp_path / "broken.pdf"), check=False)
    assert p.returncode == 2 and "broken.pdf" in p.stderr
