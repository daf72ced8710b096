"""The precedent library: its checker passes on the files in the repo, and a case
published twice (a decision notice, its tribunal appeal, a summary elsewhere) is
excluded whole wherever a case is scored, and never trains the model that scores it."""
import json
import subprocess
import sys

from assistant.config import REPO_ROOT
from assistant.precedents.library import check


def test_the_library_passes_its_checker():
    report = check(REPO_ROOT / "corpus" / "precedents")
    assert not report.errors, report.errors[:10]
    counts = report.counts()
    foia = counts["regime"]["foia"] + len(report.dev)          # the dev set's 100 are FOIA cases too
    assert foia >= 1000, foia
    assert len([t for t, n in counts["authority_type (foia)"].items() if n >= 20]) >= 5
    assert counts["regime"]["foisa"] and counts["regime"]["eir"]
    p = subprocess.run([sys.executable, "-m", "assistant.precedents", "check", "--quiet"], capture_output=True,
                       text=True, cwd=REPO_ROOT)
    assert p.returncode == 0 and "0 problems" in p.stdout, p.stdout + p.stderr


def test_the_checker_finds_personal_data_and_duplicates(tmp_path):
    good = {"id": "dn-fs50000001", "authority": "Eastshire Council", "authority_type": "local_gov",
            "url": "https://example.org/dn/fs50000001", "request": "The requester asked for the names of staff in a team.",
            "outcome": "refused", "sections": ["s40(2)"], "ncnd": False, "pit": False,
            "source_kind": "decision_notice", "regime": "foia", "decision_ref": "FS50000001",
            "finding": {"s40(2)": "upheld"}}
    rows = [good,
            good | {"id": "ft-ea-2020-0001", "source_kind": "tribunal", "decision_ref": "EA/2020/0001",
                    "url": "https://example.org/ft/1", "related_refs": ["FS50000001"]},       # its appeal: same case
            good | {"id": "dn-fs50000002", "decision_ref": "FS50000002", "url": "https://example.org/dn/2",
                    "request": "The requester asked Mr Smith for his emails at jane@example.com.",
                    "sections": ["s99"]}]
    (tmp_path / "ico-decision-notices.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows[::2]))
    (tmp_path / "tribunal-decisions.jsonl").write_text(json.dumps(rows[1]) + "\n")
    errors = "\n".join(check(tmp_path).errors)
    assert "same case" in errors and "s99" in errors
    assert "Mr Smith" in errors and "jane@example.com" in errors


def test_same_case_exclusion_and_fold_models(tmp_path, embedder):
    """A dev case planted with its decision notice, its tribunal appeal and a summary under other
    names: all of them are excluded when it is scored, and none trains its fold's model."""
    from assistant.config import Settings
    from assistant.engine import Engine
    from assistant.store.index import Index
    from evals.dataset import load_cases
    from evals.folds import fold_models, fold_of
    from evals.systems import exclusion

    case = load_cases()[0]
    corpus = tmp_path / "corpus"
    (corpus / "precedents").mkdir(parents=True)
    base = {"authority": case.authority, "authority_type": case.authority_type, "outcome": case.outcome,
            "sections": case.sections, "ncnd": case.ncnd, "pit": case.pit, "regime": "foia"}
    twins = [base | {"id": "dn-fs50999999", "request": case.request, "url": "https://example.org/dn",
                     "source_kind": "decision_notice", "decision_ref": "FS50999999", "reference": case.reference},
             base | {"id": "ft-ea-2024-0999", "request": "An appeal about the same request.", "url": "https://example.org/ft",
                     "source_kind": "tribunal", "decision_ref": "EA/2024/0999", "related_refs": ["FS50999999"]},
             base | {"id": "sum-1", "request": case.request + " (summary)", "url": case.url or "https://example.org/s",
                     "source_kind": "other"}]
    others = [base | {"id": f"other-{i}", "authority": f"Council {i}", "authority_type": "local_gov",
                      "request": f"The requester asked for contract {i} prices and the tender scores.",
                      "url": f"https://example.org/o/{i}", "sections": ["s43(2)"], "outcome": "refused", "ncnd": False,
                      "source_kind": "disclosure_log"} for i in range(30)]
    dev = json.loads((REPO_ROOT / "corpus" / "precedents" / "known-responses.jsonl").read_text().splitlines()[0])
    (corpus / "precedents" / "known-responses.jsonl").write_text(json.dumps(dev) + "\n")
    (corpus / "precedents" / "library.jsonl").write_text("".join(json.dumps(r) + "\n" for r in twins + others))
    settings = Settings.load(data_dir=tmp_path / "data", corpus_dir=corpus)
    engine = Engine(settings, index=Index(settings, embedder))
    assert not engine.ingest([corpus]).failed
    excluded = exclusion(case, engine).exclude_doc_ids
    assert {"precedent:dn-fs50999999", "precedent:ft-ea-2024-0999", "precedent:sum-1",
            f"precedent:{case.id}"} <= excluded
    models, left_out = fold_models(engine, [case])
    model = models[case.id].model
    trained_on = {e.doc_id for e in model.examples}
    assert not trained_on & excluded and left_out[fold_of(case.id)] >= excluded - {f"precedent:{case.id}"}


def test_the_models_follow_the_library_they_were_trained_on(tmp_path, embedder):
    """The training key is worked out once per index generation (a draft asks for the model
    every time), and a precedent added later gives a new key, so the model is retrained."""
    from assistant.config import Settings
    from assistant.engine import Engine
    from assistant.learn.cache import training_key
    from assistant.store.index import Index

    corpus = tmp_path / "corpus"
    (corpus / "precedents").mkdir(parents=True)

    def records(start, n):
        return "".join(json.dumps({"id": f"log-{i}", "authority": f"Council {i}", "authority_type": "local_gov",
                                   "request": f"The requester asked for contract {i} prices and the tender scores.",
                                   "url": f"https://example.org/log/{i}", "sections": ["s43(2)"], "outcome": "refused",
                                   "ncnd": False, "regime": "foia", "source_kind": "disclosure_log"}) + "\n"
                       for i in range(start, start + n))

    (corpus / "precedents" / "log.jsonl").write_text(records(0, 12))
    settings = Settings.load(data_dir=tmp_path / "data", corpus_dir=corpus)
    engine = Engine(settings, index=Index(settings, embedder))
    assert not engine.ingest([corpus]).failed
    models = engine.index.models
    first = models.key("foia")
    assert first == models.key("foia") == training_key(engine.index, "foia")
    (corpus / "precedents" / "more.jsonl").write_text(records(100, 3))
    assert not engine.ingest([corpus]).failed
    second = models.key("foia")
    assert second != first and second == training_key(engine.index, "foia")
