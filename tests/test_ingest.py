"""Ingest on real files: PDFs made here, HTML, text, JSONL; bad files change nothing."""
import json

import pytest

from assistant.ingest import metadata
from assistant.ingest.chunking import chunk_document
from assistant.ingest.loaders import IngestError, load_file
from assistant.config import Settings
from conftest import make_pdf

LETTER = [
    "Freedom of Information Request - Reference No: 24.000777",
    "12th March 2024",
    "Thank you for your request for information held by Westshire Police.",
    "RESPONSE",
    "Westshire Police can neither confirm nor deny that it holds the information by virtue of Section 23(5) and Section 24(2) National Security.",
    "Harm in confirming or denying",
    "Confirming or denying would reveal whether the security bodies were involved, which would harm national security.",
]


def snapshot(engine):
    got = engine.index.store.collection.get(include=["metadatas", "documents"])
    return sorted(zip(got["ids"], got["documents"], [json.dumps(m, sort_keys=True) for m in got["metadatas"]]))


def test_pdf_is_ingested_with_metadata(empty_engine, tmp_path):
    pdf = make_pdf(tmp_path / "letter.pdf", LETTER)
    report = empty_engine.ingest([pdf])
    assert not report.failed and report.chunks_added > 0
    chunks = list(empty_engine.index.chunks.values())
    assert {"s23(5)", "s24(2)"} <= set(chunks[0].sections)
    meta = chunks[0].meta
    assert meta["ncnd"] is True and meta["outcome"] == "ncnd"
    assert meta["authority"] == "Westshire Police"
    assert meta["reference"] == "24.000777"
    assert meta["date"] == "2024-03-12"
    assert chunks[0].kind == "response"


def test_reingest_is_idempotent_and_changes_replace(empty_engine, tmp_path):
    doc = tmp_path / "note.md"
    doc.write_text("# Note\n\n## Part one\n\n" + "Section 40(2) protects third-party personal data. " * 20 +
                   "\n\n## Part two\n\n" + "Section 43(2) covers commercial interests. " * 20)
    first = empty_engine.ingest([doc])
    before = snapshot(empty_engine)
    again = empty_engine.ingest([doc])
    assert again.skipped == first.added and not again.added
    assert snapshot(empty_engine) == before
    doc.write_text(doc.read_text().replace("commercial interests", "trade secrets and commercial interests"))
    changed = empty_engine.ingest([doc])
    assert changed.added and changed.chunks_removed >= 1
    after = snapshot(empty_engine)
    assert len(after) == len(before)                       # replaced, not duplicated
    assert any("trade secrets" in d for _, d, _ in after)
    assert not any("covers commercial interests" in d and "trade" not in d for _, d, _ in after)


def test_folder_reingest_reads_the_store_once_and_prunes(empty_engine, tmp_path):
    """More files than BULK_STATE_FILES: what the store holds is read in one pass,
    with the same outcome as the per-file path: unchanged files skipped, an
    edited one replaced, a deleted one pruned."""
    from assistant.ingest.pipeline import BULK_STATE_FILES

    folder = tmp_path / "log"
    folder.mkdir()
    files = []
    for i in range(BULK_STATE_FILES + 6):
        f = folder / f"reply-{i:03d}.txt"
        f.write_text(f"Reply {i}. The council withheld the contract prices under section 43(2); "
                     f"the public interest favoured withholding them in case {i}.")
        files.append(f)
    first = empty_engine.ingest([folder], prune=True)
    assert len(first.added) == len(files) and not first.failed
    before = snapshot(empty_engine)
    again = empty_engine.ingest([folder], prune=True)
    assert len(again.skipped) == len(files) and not again.added and not again.removed
    assert snapshot(empty_engine) == before
    files[0].write_text(files[0].read_text().replace("contract prices", "unit rates"))
    files[1].unlink()
    changed = empty_engine.ingest([folder], prune=True)
    assert len(changed.added) == 1 and len(changed.removed) == 1
    after = snapshot(empty_engine)
    assert len(after) == len(before) - 1
    assert any("unit rates" in d for _, d, _ in after)
    assert not any("Reply 1. The" in d for _, d, _ in after)


@pytest.mark.parametrize("name,content,needle", [
    ("corrupt.pdf", b"%PDF-1.4\n garbage that is not a pdf body", "PDF"),
    ("not-a-pdf.pdf", b"hello, I am text pretending", "not a PDF"),
    ("empty.txt", b"", "empty"),
    ("binary.txt", bytes(range(256)) * 4, "binary"),
    ("latin1.txt", "Caf\xe9 r\xe9sum\xe9 section 40".encode("latin-1"), "UTF-8"),
    ("bad.jsonl", b'{"id": "a", "text": "fine"}\n{not json}\n', "line 2"),
    ("blank.html", b"<html><body><script>x=1</script></body></html>", "no readable text"),
    ("image.png", b"\x89PNG\r\n\x1a\n", "unsupported"),
])
def test_bad_files_are_reported_and_change_nothing(empty_engine, tmp_path, name, content, needle):
    good = tmp_path / "good.txt"
    good.write_text("Dear requester, we withhold the report under section 43(2) as commercially sensitive.")
    empty_engine.ingest([good])
    before = snapshot(empty_engine)
    bad = tmp_path / name
    bad.write_bytes(content)
    report = empty_engine.ingest([bad, good])
    assert [s for s, _ in report.failed] == [str(bad.resolve())]
    assert needle.lower() in report.failed[0][1].lower()
    assert name in report.failed[0][1]
    assert snapshot(empty_engine) == before


def test_encrypted_pdf_is_refused(empty_engine, tmp_path):
    from pypdf import PdfReader, PdfWriter

    plain = make_pdf(tmp_path / "plain.pdf", LETTER)
    writer = PdfWriter()
    writer.append(PdfReader(plain))
    writer.encrypt(user_password="secret", owner_password="owner")
    locked = tmp_path / "locked.pdf"
    with locked.open("wb") as f:
        writer.write(f)
    report = empty_engine.ingest([locked])
    assert report.failed and "encrypted" in report.failed[0][1]
    assert empty_engine.index.count() == 0


def test_one_bad_file_never_stops_the_rest(empty_engine, tmp_path):
    (tmp_path / "docs").mkdir()
    make_pdf(tmp_path / "docs" / "a.pdf", LETTER)
    (tmp_path / "docs" / "b.pdf").write_bytes(b"%PDF-1.7 broken")
    (tmp_path / "docs" / "c.html").write_text("<html><head><title>Cost limit reply</title></head><body><h1>Reply</h1>"
                                              "<p>We refuse under section 12(1) because it would exceed the appropriate limit.</p></body></html>")
    report = empty_engine.ingest([tmp_path / "docs"])
    assert len(report.added) == 2 and len(report.failed) == 1
    titles = {c.title for c in empty_engine.index.chunks.values()}
    assert "Cost limit reply" in titles


def test_jsonl_precedents(empty_engine, tmp_path):
    f = tmp_path / "cases.jsonl"
    f.write_text(json.dumps({"id": "x1", "authority": "Eastshire Council", "request": "Names of staff paid over 100k",
                             "outcome": "partial", "sections": ["Section 40 (2)"], "ncnd": False}) + "\n")
    empty_engine.ingest([f])
    (chunk,) = empty_engine.index.chunks.values()
    # a user's file: its ids are its own, prefixed so they cannot take a built-in document's place
    assert chunk.doc_id.endswith(":precedent:x1") and chunk.doc_id.startswith("user-")
    assert chunk.kind == "response" and chunk.sections == ["s40(2)"] and chunk.meta["origin"] == "user"


def test_chunking_follows_headings():
    from assistant.types import Document

    text = "# Title\n\n## Section 24: what it protects\n\n" + "National security words. " * 30 + \
           "\n\n## Section 24: the test\n\n" + "Required for safeguarding. " * 30
    chunks = chunk_document(Document("d", "Title", "legislation", text, sections=["s24"]), Settings())
    assert [c.heading for c in chunks] == ["Section 24: what it protects", "Section 24: the test"]
    assert all("s24" in c.sections for c in chunks)


def test_metadata_extraction():
    text = "Our ref: FOI/2023/456\n26 June 2023\nThe cost limit would be exceeded. Section 12(1) applies."
    m = metadata.extract(text)
    assert m["reference"] == "FOI/2023/456" and m["date"] == "2023-06-26"
    assert m["outcome"] == "cost_limit" and m["sections"] == ["s12(1)"]


def test_load_file_rejects_missing(tmp_path):
    with pytest.raises(IngestError):
        load_file(tmp_path / "nope.pdf")
