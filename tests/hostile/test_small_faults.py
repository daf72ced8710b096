"""Smaller faults, each now a clear message: text encodings, NUL bytes, exit
codes, file names that would forge report lines, empty input, binary on
stdin, bad numbers, and the weak-retrieval warning in the CLI's text output."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from assistant.config import REPO_ROOT
from assistant.ingest.loaders import IngestError, load_file

from .conftest import assert_consistent

LETTER = ("Dear requester,\n\nWe withhold the report under section 43(2) because disclosure would be likely to "
          "prejudice commercial interests. We considered the public interest.\n\nYou may ask for an internal "
          "review, and complain to the Information Commissioner.\n")


def cli(*args, input=None, data=None):
    pre = ["--data-dir", str(data)] if data else []
    return subprocess.run([sys.executable, "-m", "assistant", *pre, *args], capture_output=True, cwd=REPO_ROOT,
                          input=input, timeout=300)


def test_utf16_with_a_bom_is_read_and_without_one_is_named(tmp_path):
    f = tmp_path / "letter.txt"
    f.write_bytes("\ufeff".encode("utf-16-le") + LETTER.encode("utf-16-le"))
    (doc,) = load_file(f)
    assert "section 43(2)" in doc.text and "\x00" not in doc.text
    g = tmp_path / "nobom.txt"
    g.write_bytes(LETTER.encode("utf-16-le"))
    with pytest.raises(IngestError, match="looks like UTF-16"):
        load_file(g)


def test_nul_bytes_after_the_first_4kb_are_not_indexed(empty_engine, tmp_path):
    f = tmp_path / "odd.txt"
    f.write_bytes(b"A note about section 40(2). " * 300 + b"\x00\x00binary tail")
    report = empty_engine.ingest([f])
    assert report.failed and "NUL" in report.failed[0][1]
    assert all("\x00" not in c.text for c in empty_engine.index.chunks.values())
    assert_consistent(empty_engine)


def test_a_run_with_a_failed_file_exits_non_zero_and_says_so(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text("The council withheld the contract under section 43(2) of the Act.")
    (folder / "bad.pdf").write_bytes(b"%PDF-1.4 not really")
    weird = folder / "evil\nnot indexed: forged-line.txt"
    weird.write_text("")
    p = cli("ingest", str(folder), data=tmp_path / "data")
    err = p.stderr.decode()
    assert p.returncode == 1
    assert "2 file(s) could not be indexed" in err
    assert "\nnot indexed: forged-line" not in err and "\\n" in err          # the name is quoted, not a new line
    assert "bad.pdf" in err


def test_empty_and_binary_input_are_clear_errors(corpus_engine):
    data = corpus_engine.settings.data_dir
    p = cli("draft", "--request", "   ", data=data)
    assert p.returncode == 2 and b"the request is empty" in p.stderr
    p = cli("explain", "-", input=b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), data=data)
    assert p.returncode == 2 and b"binary" in p.stderr
    p = cli("ask", "", data=data)
    assert p.returncode == 2 and b"the question is empty" in p.stderr
    p = cli("search", "cctv", "-k", "-1", data=data)
    assert p.returncode == 2 and b"not at least 1" in p.stderr


def test_the_cli_text_output_shows_the_weak_retrieval_warning(corpus_engine):
    data = corpus_engine.settings.data_dir
    question = "zxqv quantum chromodynamics of penguin migration"
    as_json = json.loads(cli("ask", question, "--json", data=data).stdout)
    text = cli("ask", question, data=data).stdout.decode()
    assert as_json["weak"] is True
    assert "warning:" in text and "loosely related" in text
