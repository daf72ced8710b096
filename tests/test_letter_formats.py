"""Letters in the forms people have them: Word (.docx), e-mail (.eml) and Outlook
(.msg) files, all made here for real (python-docx, the stdlib email package, and
extract-msg's own OLE writer for the .msg), read, ingested and explained."""
from __future__ import annotations

import io
import json
import struct
import zipfile
from email.message import EmailMessage
from pathlib import Path

import pytest

from assistant.ingest.loaders import SUPPORTED, IngestError, file_doc_id, load_file
from assistant.web.library import letter_text
from assistant.web.tab_assistant import LETTER_TYPES
from assistant.web.tab_library import LIBRARY_TYPES
from conftest import make_pdf

REQUESTER = "Jane Requester"
REQUESTER_ADDRESS = "jane.requester@example.com"
AUTHORITY_ADDRESS = "foi@westshire.gov.uk"
COPY_ADDRESS = "records.officer@westshire.gov.uk"
ADDRESSES = (REQUESTER_ADDRESS, AUTHORITY_ADDRESS, COPY_ADDRESS)

REFUSAL = [
    "Freedom of Information Request - Reference No: FOI-2024-0456",
    "3rd April 2024",
    "Thank you for your request for information held by Westshire Council about the waste collection contract.",
    "The Council holds the information you asked for. It is withheld under section 43(2) of the Freedom of "
    "Information Act 2000 (commercial interests), because disclosing the contractor's pricing would prejudice "
    "its commercial interests and the Council's ability to obtain value for money.",
    "Section 43(2) is a qualified exemption. We have considered the public interest test and concluded that the "
    "public interest in maintaining the exemption outweighs the public interest in disclosure.",
    "If you are unhappy with this response you may ask for an internal review.",
]
COVER_NOTE = "Dear Ms Requester,\n\nPlease find attached our response to your request.\n\nFOI Team"


# --- files made here ------------------------------------------------------------

def make_docx(path: Path, paragraphs: list[str] = REFUSAL, *, table: bool = True) -> Path:
    import docx

    doc = docx.Document()
    doc.add_heading("Westshire Council", level=1)
    doc.add_paragraph(paragraphs[0])
    doc.add_paragraph(paragraphs[1])
    doc.add_heading("Response", level=2)
    for p in paragraphs[2:4]:
        doc.add_paragraph(p)
    if table:
        t = doc.add_table(rows=2, cols=3)
        for cell, text in zip(t.rows[0].cells, ("Item", "Decision", "Provision")):
            cell.text = text
        for cell, text in zip(t.rows[1].cells, ("Contract prices", "Withheld", "Section 43(2)")):
            cell.text = text
    doc.add_heading("Public interest test", level=3)
    for p in paragraphs[4:]:
        doc.add_paragraph(p)
    doc.save(str(path))
    return path


def docx_bytes(tmp_path: Path, paragraphs: list[str], name: str = "part.docx") -> bytes:
    return make_docx(tmp_path / name, paragraphs, table=False).read_bytes()


def make_eml(path: Path, body: str | None, attachments: list[tuple[str, str, bytes]] = (),
             html: str | None = None, subject: str = "Your FOI request FOI-2024-0456") -> Path:
    msg = EmailMessage()
    msg["From"] = f"Westshire Council FOI <{AUTHORITY_ADDRESS}>"
    msg["To"] = f"{REQUESTER} <{REQUESTER_ADDRESS}>"
    msg["Cc"] = COPY_ADDRESS
    msg["Reply-To"] = AUTHORITY_ADDRESS
    if subject:
        msg["Subject"] = subject
    msg["Date"] = "Wed, 03 Apr 2024 10:00:00 +0100"
    if body is not None:
        msg.set_content(body)
        if html:
            msg.add_alternative(html, subtype="html")
    elif html:
        msg.set_content(html, subtype="html")
    for name, mime, data in attachments:
        maintype, subtype = mime.split("/")
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    path.write_bytes(bytes(msg))
    return path


def _utf16(text: str) -> bytes:
    return text.encode("utf-16-le")


def _prop(tag: int, value: int) -> bytes:
    """A fixed-size property entry of a .msg properties stream: tag, flags, 8-byte value."""
    return struct.pack("<IIQ", tag, 6, value)


def make_msg(path: Path, body: str | None, attachments: list[tuple[str, str, bytes]] = (),
             html: str | None = None, subject: str = "Your FOI request FOI-2024-0456") -> Path:
    """A real Outlook .msg (an OLE compound file in the MS-OXMSG layout), written with
    extract-msg's own OLE writer: message class, subject, body, sender, a recipient,
    the transport headers (From/To/Cc), named-property storage, attachments by value."""
    from extract_msg.ole_writer import OleWriter

    w = OleWriter()
    # message properties header: reserved, next recipient id, next attachment id, counts, reserved
    w.addEntry("__properties_version1.0",
               b"\0" * 8 + struct.pack("<4I", 1, len(attachments), 1, len(attachments)) + b"\0" * 8)
    w.addEntry("__substg1.0_001A001F", _utf16("IPM.Note"))
    if subject:
        w.addEntry("__substg1.0_0037001F", _utf16(subject))
    if body is not None:
        w.addEntry("__substg1.0_1000001F", _utf16(body.replace("\n", "\r\n")))
    if html is not None:
        w.addEntry("__substg1.0_10130102", html.encode("utf-8"))
    w.addEntry("__substg1.0_0C1A001F", _utf16("Westshire Council FOI"))
    w.addEntry("__substg1.0_0C1F001F", _utf16(AUTHORITY_ADDRESS))
    w.addEntry("__substg1.0_0E04001F", _utf16(f"{REQUESTER} <{REQUESTER_ADDRESS}>"))
    w.addEntry("__substg1.0_007D001F", _utf16(
        f"From: Westshire Council FOI <{AUTHORITY_ADDRESS}>\r\nTo: {REQUESTER} <{REQUESTER_ADDRESS}>\r\n"
        f"Cc: {COPY_ADDRESS}\r\nSubject: {subject}\r\n\r\n"))
    for stream in ("00020102", "00030102", "00040102"):   # named properties: none, but the storage must exist
        w.addEntry(f"__nameid_version1.0/__substg1.0_{stream}", b"")
    recip = "__recip_version1.0_#00000000"
    w.addEntry(f"{recip}/__properties_version1.0", b"\0" * 8 + _prop(0x0C150003, 1))  # recipient type: To
    w.addEntry(f"{recip}/__substg1.0_3001001F", _utf16(REQUESTER))
    w.addEntry(f"{recip}/__substg1.0_39FE001F", _utf16(REQUESTER_ADDRESS))
    w.addEntry(f"{recip}/__substg1.0_3003001F", _utf16(REQUESTER_ADDRESS))
    for i, (name, mime, data) in enumerate(attachments):
        att = f"__attach_version1.0_#{i:08X}"
        w.addEntry(f"{att}/__properties_version1.0", b"\0" * 8 + _prop(0x37050003, 1))  # attached by value
        w.addEntry(f"{att}/__substg1.0_3707001F", _utf16(name))
        w.addEntry(f"{att}/__substg1.0_3704001F", _utf16(name[:8]))
        w.addEntry(f"{att}/__substg1.0_370E001F", _utf16(mime))
        w.addEntry(f"{att}/__substg1.0_37010102", data)
    w.write(str(path))
    return path


@pytest.fixture
def attachments(tmp_path) -> list[tuple[str, str, bytes]]:
    pdf = make_pdf(tmp_path / "made-refusal.pdf", REFUSAL).read_bytes()
    annex = docx_bytes(tmp_path, ["Annex A: the withheld schedule of rates under Section 43(2).",
                                  "Prepared by the procurement team."], "made-annex.docx")
    return [("Refusal notice FOI-2024-0456.pdf", "application/pdf", pdf),
            ("Annex A.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", annex),
            ("logo.png", "image/png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64)]


def assert_no_addresses(text: str) -> None:
    for address in ADDRESSES:
        assert address not in text
    assert REQUESTER not in text
    assert "From:" not in text and "To:" not in text and "Cc:" not in text


def listing(folder: Path) -> list[tuple[str, int]]:
    return sorted((str(p.relative_to(folder)), p.stat().st_size) for p in folder.rglob("*") if p.is_file())


# --- .docx ------------------------------------------------------------------------

def test_docx_paragraphs_headings_and_tables_in_order(tmp_path):
    (doc,) = load_file(make_docx(tmp_path / "refusal.docx"))
    text = doc.text
    lines = text.split("\n\n")
    assert lines[0] == "## Westshire Council"
    assert "### Response" in lines and "#### Public interest test" in lines
    assert "Item | Decision | Provision" in lines and "Contract prices | Withheld | Section 43(2)" in lines
    order = [text.index(s) for s in ("## Westshire Council", "Reference No: FOI-2024-0456", "### Response",
                                     "It is withheld under section 43(2)", "Contract prices | Withheld",
                                     "#### Public interest test", "internal review")]
    assert order == sorted(order)
    assert doc.title == "Westshire Council"
    assert "s43(2)" in doc.sections
    assert doc.kind == "response" and doc.meta["reference"] == "FOI-2024-0456"
    assert doc.meta["date"] == "2024-04-03"


def test_docx_merged_cells_appear_once(tmp_path):
    import docx

    d = docx.Document()
    t = d.add_table(rows=1, cols=3)
    t.cell(0, 0).merge(t.cell(0, 1)).text = "Withheld in full"
    t.cell(0, 2).text = "Section 43(2)"
    d.save(str(tmp_path / "merged.docx"))
    (doc,) = load_file(tmp_path / "merged.docx")
    assert doc.text == "Withheld in full | Section 43(2)"


def test_docx_damaged_or_not_word_is_a_clear_error(tmp_path):
    good = make_docx(tmp_path / "good.docx").read_bytes()
    not_word = io.BytesIO()
    with zipfile.ZipFile(not_word, "w") as z:
        z.writestr("notes.txt", "section 43(2)")
    cases = {
        "truncated.docx": good[: len(good) // 2],
        "plain.docx": b"Dear Sir, we refuse under section 43(2).",
        "zip.docx": not_word.getvalue(),
        "old-word.docx": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,
    }
    for name, raw in cases.items():
        (tmp_path / name).write_bytes(raw)
        with pytest.raises(IngestError, match="is not a Word document or is damaged") as e:
            load_file(tmp_path / name)
        assert str(e.value).startswith(name + ":")
    (tmp_path / "empty.docx").write_bytes(b"")
    with pytest.raises(IngestError, match="empty.docx: the file is empty"):
        load_file(tmp_path / "empty.docx")
    import docx

    docx.Document().save(str(tmp_path / "blank.docx"))
    with pytest.raises(IngestError, match="blank.docx: the Word document has no text"):
        load_file(tmp_path / "blank.docx")


# --- .eml ---------------------------------------------------------------------------

def test_eml_body_then_pdf_and_docx_attachments_without_addresses(tmp_path, attachments):
    eml = make_eml(tmp_path / "reply.eml", COVER_NOTE, attachments,
                   html="<p>Dear Ms Requester,</p><p>Please find attached our response.</p>")
    (doc,) = load_file(eml)
    text = doc.text
    assert doc.title == "Your FOI request FOI-2024-0456"
    assert text.startswith("Dear Ms Requester,\n\nPlease find attached our response")   # the plain body, not the HTML
    assert "<p>" not in text
    pdf_at = text.index("## Attachment: Refusal notice FOI-2024-0456.pdf")
    docx_at = text.index("## Attachment: Annex A.docx")
    assert text.index("FOI Team") < pdf_at < text.index("withheld under section 43(2)") < docx_at
    assert "Annex A: the withheld schedule of rates under Section 43(2)." in text[docx_at:]
    assert "logo.png" not in text and "PNG" not in text            # other attachments are not read
    assert_no_addresses(text)
    assert "s43(2)" in doc.sections and doc.kind == "response"
    assert doc.meta["reference"] == "FOI-2024-0456"


def test_eml_html_only_body_is_read_as_text(tmp_path):
    html = ("<html><head><title>ignored</title><style>p {color: red}</style></head><body>"
            "<h1>Response</h1><p>The information is withheld under <b>section 43(2)</b> "
            "(commercial interests).</p><p>You may ask for an internal review.</p></body></html>")
    (doc,) = load_file(make_eml(tmp_path / "html.eml", None, html=html))
    assert doc.text.splitlines()[0] == "## Response"
    assert "withheld under section 43(2) (commercial interests)." in doc.text
    assert "<" not in doc.text and "color" not in doc.text
    assert doc.title == "Your FOI request FOI-2024-0456"
    assert_no_addresses(doc.text)


def test_eml_without_subject_takes_its_first_line_as_title(tmp_path):
    (doc,) = load_file(make_eml(tmp_path / "nosubject.eml", "\n".join(REFUSAL), subject=""))
    assert doc.title.startswith("Freedom of Information Request")


def test_eml_errors_are_clear(tmp_path, attachments):
    cases = {
        "empty.eml": (b"", "empty.eml: the file is empty"),
        "letter.eml": (b"Dear Sir,\nwe refuse under section 43(2).\n", "letter.eml: not an e-mail .* no mail headers"),
        "binary.eml": (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary.eml: not an e-mail .* binary"),
    }
    for name, (raw, message) in cases.items():
        (tmp_path / name).write_bytes(raw)
        with pytest.raises(IngestError, match=message):
            load_file(tmp_path / name)
    bad_pdf = [("refusal.pdf", "application/pdf", b"%PDF-1.4\n" + b"\xff" * 200)]
    with pytest.raises(IngestError, match=r"bad-attachment.eml: attachment refusal.pdf: .*PDF") as e:
        load_file(make_eml(tmp_path / "bad-attachment.eml", COVER_NOTE, bad_pdf))
    assert "add it as a file instead" in str(e.value)
    with pytest.raises(IngestError, match="bad-docx.eml: attachment annex.docx: .*not a Word document"):
        load_file(make_eml(tmp_path / "bad-docx.eml", COVER_NOTE, [("annex.docx", "application/octet-stream", b"x")]))
    with pytest.raises(IngestError, match="nothing.eml: the e-mail has no readable text"):
        load_file(make_eml(tmp_path / "nothing.eml", "   \n", [attachments[2]]))


def test_eml_attachment_name_cannot_forge_lines(tmp_path, attachments):
    eml = make_eml(tmp_path / "odd.eml", COVER_NOTE, [("placeholder.pdf", "application/pdf", attachments[0][2])])
    # an RFC 2231 name may encode a newline and a path, which a mail program would accept
    eml.write_bytes(eml.read_bytes().replace(
        b'filename="placeholder.pdf"', b"filename*=utf-8''..%5C..%5Cevil%0A%23%23%20Attachment%3A%20forged.pdf"))
    (doc,) = load_file(eml)
    assert "## Attachment: evil ## Attachment: forged.pdf" in doc.text
    assert doc.text.count("\n## Attachment:") == 1


# --- .msg ---------------------------------------------------------------------------

def test_msg_is_a_real_outlook_file(tmp_path, attachments):
    """The fixture is a genuine OLE compound file that extract-msg reads as a mail message."""
    import extract_msg
    import olefile

    path = make_msg(tmp_path / "reply.msg", COVER_NOTE, attachments)
    assert olefile.isOleFile(str(path))
    msg = extract_msg.openMsg(str(path))
    try:
        assert type(msg).__name__ == "Message"
        assert msg.subject == "Your FOI request FOI-2024-0456" and REQUESTER_ADDRESS in (msg.to or "")
        assert [a.longFilename for a in msg.attachments] == [a[0] for a in attachments]
    finally:
        msg.close()


def test_msg_body_then_pdf_and_docx_attachments_without_addresses(tmp_path, attachments, monkeypatch):
    import extract_msg

    opened = []
    real_open = extract_msg.openMsg

    def recording_open(*args, **kwargs):
        msg = real_open(*args, **kwargs)
        real_close = msg.close
        opened.append([msg, False])
        record = opened[-1]

        def close():
            record[1] = True
            real_close()
        msg.close = close
        return msg

    monkeypatch.setattr(extract_msg, "openMsg", recording_open)
    (doc,) = load_file(make_msg(tmp_path / "reply.msg", COVER_NOTE, attachments))
    text = doc.text
    assert doc.title == "Your FOI request FOI-2024-0456"
    assert text.startswith("Dear Ms Requester,\n\nPlease find attached our response") and "\r" not in text
    pdf_at = text.index("## Attachment: Refusal notice FOI-2024-0456.pdf")
    docx_at = text.index("## Attachment: Annex A.docx")
    assert pdf_at < text.index("withheld under section 43(2)") < docx_at
    assert "Annex A: the withheld schedule of rates" in text[docx_at:]
    assert "logo.png" not in text
    assert_no_addresses(text)
    assert "s43(2)" in doc.sections and doc.meta["reference"] == "FOI-2024-0456"
    assert opened and all(closed for _, closed in opened)          # the message object was closed

    opened.clear()                                                  # closed on the error path too
    bad = [("refusal.pdf", "application/pdf", b"%PDF-1.4\n" + b"\xff" * 200)]
    with pytest.raises(IngestError, match="bad.msg: attachment refusal.pdf"):
        load_file(make_msg(tmp_path / "bad.msg", COVER_NOTE, bad))
    assert opened and all(closed for _, closed in opened)


def test_msg_html_only_body(tmp_path):
    html = "<html><body><p>The information is withheld under section 43(2).</p></body></html>"
    (doc,) = load_file(make_msg(tmp_path / "html.msg", None, html=html))
    assert doc.text == "The information is withheld under section 43(2)."
    assert_no_addresses(doc.text)


def test_msg_errors_are_clear(tmp_path):
    from extract_msg.ole_writer import OleWriter

    good = make_msg(tmp_path / "good.msg", COVER_NOTE).read_bytes()
    not_mail = OleWriter()
    not_mail.addEntry("WordDocument", b"\0" * 100)
    not_mail.write(str(tmp_path / "word.msg"))
    cases = {
        "empty.msg": (b"", "empty.msg: the file is empty"),
        "text.msg": (b"From: a@b\r\nSubject: hi\r\n\r\nsection 43(2)", r"text.msg: not an Outlook message \(.msg\)"),
        "truncated.msg": (good[:700], "truncated.msg: the Outlook message is damaged or not a mail message"),
        "scrambled.msg": (good[:512] + bytes(b ^ 0x5A for b in good[512:]),
                          "scrambled.msg: the Outlook message is damaged or not a mail message"),
    }
    for name, (raw, message) in cases.items():
        (tmp_path / name).write_bytes(raw)
        with pytest.raises(IngestError, match=message):
            load_file(tmp_path / name)
    with pytest.raises(IngestError, match="word.msg: the Outlook message is damaged or not a mail message"):
        load_file(tmp_path / "word.msg")
    with pytest.raises(IngestError, match="nobody.msg: the e-mail has no readable text"):
        load_file(make_msg(tmp_path / "nobody.msg", ""))


# --- the engine and the web ------------------------------------------------------------

def snapshot(engine):
    got = engine.index.store.collection.get(include=["metadatas", "documents"])
    return sorted(zip(got["ids"], got["documents"], [json.dumps(m, sort_keys=True) for m in got["metadatas"]]))


def test_engine_ingests_each_format_and_bad_files_change_nothing(empty_engine, tmp_path, attachments):
    folder = tmp_path / "letters"
    folder.mkdir()
    files = [make_docx(folder / "refusal.docx"),
             make_eml(folder / "reply.eml", COVER_NOTE, attachments),
             make_msg(folder / "reply.msg", COVER_NOTE, attachments)]
    for f in files:
        report = empty_engine.ingest([f])
        assert not report.failed and report.chunks_added > 0, (f.name, report.failed)
        chunks = [c for c in empty_engine.index.chunks.values() if c.doc_id.endswith(":" + file_doc_id(f))]
        assert chunks and any("s43(2)" in c.sections for c in chunks)
        assert_no_addresses(" ".join(c.text for c in chunks))
        if f.suffix != ".docx":
            assert {c.title for c in chunks} == {"Your FOI request FOI-2024-0456"}
    (folder / "broken.docx").write_bytes(b"PK\x03\x04 not really")
    (folder / "broken.eml").write_bytes(b"no headers here\n")
    (folder / "broken.msg").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    before, files_before = snapshot(empty_engine), listing(folder)
    report = empty_engine.ingest([folder / "broken.docx", folder / "broken.eml", folder / "broken.msg"])
    assert len(report.failed) == 3 and not report.added
    reasons = " ".join(reason for _, reason in report.failed)
    assert "not a Word document" in reasons and "not an e-mail" in reasons and "Outlook message" in reasons
    assert snapshot(empty_engine) == before
    assert listing(folder) == files_before                    # nothing written beside the letters
    again = empty_engine.ingest([folder])                     # a folder walk picks the new suffixes up
    assert len(again.skipped) == 3 and len(again.failed) == 3


def test_explain_reads_the_provisions_from_docx_and_eml_letters(corpus_engine, tmp_path, attachments):
    docx_letter = letter_text(make_docx(tmp_path / "refusal.docx"))
    eml_letter = letter_text(make_eml(tmp_path / "reply.eml", COVER_NOTE, attachments[:1]))
    for letter in (docx_letter, eml_letter):
        assert_no_addresses(letter)
        out = corpus_engine.explain(letter).to_json()
        by = {s["section"]: s for s in out["sections"]}
        assert "s43(2)" in by, sorted(by)
        assert by["s43(2)"]["absolute"] is False and by["s43(2)"]["citations"]


def test_web_upload_types_accept_the_new_formats(tmp_path, attachments):
    for suffix in (".docx", ".eml", ".msg"):
        assert suffix in SUPPORTED and suffix in LETTER_TYPES and suffix in LIBRARY_TYPES
    assert set(LETTER_TYPES) <= SUPPORTED and set(LIBRARY_TYPES) <= SUPPORTED
    text = letter_text(make_msg(tmp_path / "reply.msg", COVER_NOTE, attachments))
    assert "withheld under section 43(2)" in text
