"""Personal data redacted before it is indexed or explained: a letter's
requester address and signature block never reach the index or the explanation,
while the authority, the provisions and the reference stay."""
import json

LETTER = """Ms Priya Patel
12 Acacia Avenue
Exampletown
EX4 7QT

Our ref: FOI-2025-0142
4 March 2025

Dear Ms Patel,

Thank you for your request received on 3 February 2025 for the locations of ANPR cameras.

Example Constabulary can neither confirm nor deny that it holds the information, by virtue of section 24(2)
and section 31(3) of the Freedom of Information Act 2000, because confirming or denying would reveal
capability to criminals. The public interest favours neither confirming nor denying.

If you are unhappy you may ask for an internal review, and then complain to the Information Commissioner.

Yours sincerely,

Jane Whitfield
Information Rights Officer
Example Constabulary
jane.whitfield@example.police.uk
01632 960 123
"""
PERSONAL = ("Patel", "Priya", "Acacia", "EX4 7QT", "Whitfield", "jane.whitfield@", "01632 960 123", "960 123")


def test_an_uploaded_letter_is_redacted_before_it_is_indexed(empty_engine, tmp_path):
    f = tmp_path / "reply.txt"
    f.write_text(LETTER)
    report = empty_engine.ingest([f], upload=True)
    assert report.added
    text = "\n".join(c.text for c in empty_engine.index.chunks.values())
    stored = json.dumps(empty_engine.index.store.collection.get(include=["documents", "metadatas"]))
    for p in PERSONAL:
        assert p not in text and p not in stored, p
    for kept in ("Example Constabulary", "section 24(2)", "FOI-2025-0142", "4 March 2025", "Information Rights Officer"):
        assert kept in text, kept
    assert "[NAME]" in text and "[ADDRESS]" in text and "[EMAIL]" in text and "[PHONE]" in text


def test_the_operators_own_files_are_kept_as_they_are_unless_asked(empty_engine, tmp_path):
    f = tmp_path / "log.txt"
    f.write_text(LETTER)
    empty_engine.ingest([f])                       # the CLI's ingest: redact_corpus is off by default
    assert "Whitfield" in "\n".join(c.text for c in empty_engine.index.chunks.values())


def test_an_explained_letter_shows_no_personal_data(corpus_engine):
    out = corpus_engine.explain(LETTER).to_json()
    dumped = json.dumps(out)
    for p in PERSONAL:
        assert p not in dumped, p
    assert {s["section"] for s in out["sections"]} >= {"s24(2)", "s31(3)"} and out["ncnd"]
    assert out["reference"] == "FOI-2025-0142"
