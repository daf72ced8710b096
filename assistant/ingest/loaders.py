"""Readers for each file type. Each returns Documents or raises IngestError
with a message a person can act on; none of them writes anything."""
from __future__ import annotations

import hashlib
import io
import json
import re
from pathlib import Path

import yaml

from ..reason.act import normalise
from ..types import Document
from . import metadata

SUPPORTED = {".pdf", ".html", ".htm", ".md", ".markdown", ".txt", ".text", ".jsonl", ".docx", ".eml", ".msg"}


class IngestError(Exception):
    """A file that cannot be ingested; the message says why."""


def shown(name: str) -> str:
    """A file name as it may be printed in a report: quoted and escaped when it
    holds control characters (a newline in a name must not forge report lines)."""
    return name if name.isprintable() else repr(name)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "doc"


def file_doc_id(path: Path) -> str:
    return f"{slug(path.stem)}-{hashlib.sha1(str(path.resolve()).encode()).hexdigest()[:8]}"


_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


def _decode(raw: bytes, path: Path) -> str:
    """The text of a text file: UTF-8, or UTF-16 when it starts with a byte-order mark.
    A NUL byte anywhere means it is not a text file (it would end up in the index)."""
    if not raw.strip():
        raise IngestError(f"{shown(path.name)}: the file is empty")
    encoding = next((enc for bom, enc in _BOMS if raw.startswith(bom)), "utf-8")
    if encoding == "utf-8":
        nul = raw.find(b"\x00")
        if nul >= 0:
            if _looks_utf16(raw):
                raise IngestError(f"{shown(path.name)}: not UTF-8: it looks like UTF-16 without a byte-order mark; "
                                  "save it as UTF-8 and try again")
            raise IngestError(f"{shown(path.name)}: looks like a binary file, not text (a NUL byte at byte {nul})")
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as e:
        raise IngestError(f"{shown(path.name)}: not {encoding.upper().replace('-SIG', '')} text (byte {e.start}); "
                          "save it as UTF-8 and try again") from None
    if "\x00" in text:
        raise IngestError(f"{shown(path.name)}: looks like a binary file, not text (it contains NUL characters)")
    if not text.strip():
        raise IngestError(f"{shown(path.name)}: the file has no text")
    return text.lstrip("\ufeff")


def _looks_utf16(raw: bytes) -> bool:
    """Mostly ASCII text in UTF-16: every other byte is NUL."""
    sample = raw[:4096]
    return len(sample) >= 4 and (sample[1::2].count(0) > 0.8 * len(sample[1::2])
                                 or sample[0::2].count(0) > 0.8 * len(sample[0::2]))


def decode_text(raw: bytes, name: str = "input") -> str:
    """Bytes given as a letter (stdin, an upload) decoded with the same checks as a text file."""
    return _decode(raw, Path(name))


def _auto_document(path: Path, text: str, title: str | None = None) -> Document:
    meta = metadata.extract(text)
    first_line = next((ln.strip("# ").strip() for ln in text.splitlines() if ln.strip()), path.stem)
    return Document(
        doc_id=file_doc_id(path), title=title or first_line[:120], kind=metadata.guess_kind(text),
        text=text, source_path=str(path), sections=meta.pop("sections"), meta=meta)


def load_markdown(path: Path, raw: bytes) -> list[Document]:
    text = _decode(raw, path)
    if text.startswith("---"):
        parts = text.split("---", 2)
        if len(parts) == 3:
            try:
                front = yaml.safe_load(parts[1]) or {}
            except yaml.YAMLError as e:
                raise IngestError(f"{shown(path.name)}: front matter is not valid YAML ({e.__class__.__name__})") from None
            if not isinstance(front, dict):
                raise IngestError(f"{shown(path.name)}: front matter must be a mapping")
            body = parts[2].strip()
            if not body:
                raise IngestError(f"{shown(path.name)}: front matter but no text")
            sources = front.get("sources") or []
            meta = {k: v for k, v in front.items() if k not in ("id", "title", "kind", "sections", "sources")}
            meta["sources"] = sources
            return [Document(
                doc_id=str(front.get("id") or file_doc_id(path)),
                title=str(front.get("title") or path.stem), kind=str(front.get("kind") or "guidance"),
                text=body, source_path=str(path), url=sources[0] if sources else "",
                sections=[normalise(s) for s in front.get("sections") or []], meta=meta)]
    return [_auto_document(path, text)]


def load_text(path: Path, raw: bytes) -> list[Document]:
    return [_auto_document(path, _decode(raw, path))]


def _html_text(html: str | bytes) -> tuple[str | None, str]:
    """The title and readable text of an HTML page (or an e-mail's HTML body)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "nav", "header", "footer", "noscript", "form"]):
        tag.decompose()
    title = (soup.title.get_text(strip=True) if soup.title else "") or None
    lines: list[str] = []
    for el in soup.find_all(["h1", "h2", "h3", "h4", "p", "li", "td", "pre", "blockquote"]):
        if el.find_parent(["li", "td", "blockquote"]) and el.name in ("p", "li"):
            continue
        t = " ".join(el.get_text(" ", strip=True).split())
        if not t:
            continue
        lines.append(("#" * min(int(el.name[1]) + 1, 4) + " " + t) if el.name[0] == "h" else t)
    return title, "\n\n".join(lines) or " ".join(soup.get_text(" ", strip=True).split())


def load_html(path: Path, raw: bytes) -> list[Document]:
    title, body = _html_text(_decode(raw, path))
    if not body.strip():
        raise IngestError(f"{shown(path.name)}: the page has no readable text")
    return [_auto_document(path, body, title)]


def load_pdf(path: Path, raw: bytes) -> list[Document]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    if not raw.strip():
        raise IngestError(f"{shown(path.name)}: the file is empty")
    if not raw.lstrip().startswith(b"%PDF"):
        raise IngestError(f"{shown(path.name)}: not a PDF (no %PDF header); the file may be corrupt or mislabelled")
    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            except Exception:
                ok = 0
            if not ok:
                raise IngestError(f"{shown(path.name)}: the PDF is encrypted with a password; remove it and try again")
        pages = [page.extract_text() or "" for page in reader.pages]
    except IngestError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as e:
        raise IngestError(f"{shown(path.name)}: the PDF could not be read ({e.__class__.__name__}: {str(e)[:120]})") from None
    except Exception as e:  # pypdf raises many kinds on damaged files
        raise IngestError(f"{shown(path.name)}: the PDF is damaged ({e.__class__.__name__})") from None
    text = "\n\n".join(p.replace("\x00", "").strip() for p in pages if p.replace("\x00", "").strip())
    if not text.strip():
        raise IngestError(f"{shown(path.name)}: the PDF has no extractable text (a scan? it needs OCR first)")
    return [_auto_document(path, text)]


def _docx_text(path: Path, raw: bytes) -> str:
    """A Word document's text: paragraphs and tables in order, headings as Markdown
    headings (Heading 1 -> '##', as an HTML h1), each table row as 'a | b | c'."""
    from docx import Document as WordDocument

    if not raw.strip():
        raise IngestError(f"{shown(path.name)}: the file is empty")
    try:
        word = WordDocument(io.BytesIO(raw))
        blocks: list[str] = []
        for item in word.iter_inner_content():
            if hasattr(item, "rows"):
                for row in item.rows:
                    cells, seen = [], set()
                    for cell in row.cells:  # a merged cell appears once per grid column it spans
                        if id(cell._tc) not in seen:
                            seen.add(id(cell._tc))
                            cells.append(" ".join(cell.text.split()))
                    if any(cells):
                        blocks.append(" | ".join(cells))
                continue
            t = " ".join(item.text.split())
            if not t:
                continue
            style = (item.style.name if item.style is not None else "") or ""
            level = re.fullmatch(r"Heading (\d)", style)
            blocks.append("# " + t if style == "Title" else
                          "#" * min(int(level[1]) + 1, 4) + " " + t if level else t)
    except Exception as e:  # python-docx raises many kinds (zip, XML, content type) on damaged files
        raise IngestError(f"{shown(path.name)}: the file is not a Word document or is damaged "
                          f"({e.__class__.__name__}); open it in Word and save it as .docx again") from None
    text = "\n\n".join(blocks)
    if not text.strip():
        raise IngestError(f"{shown(path.name)}: the Word document has no text")
    return text


def load_docx(path: Path, raw: bytes) -> list[Document]:
    return [_auto_document(path, _docx_text(path, raw))]


_DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _attachment_text(path: Path, name: str, mime: str, data: bytes) -> str | None:
    """The text of an e-mail's PDF or Word attachment under a heading naming it;
    None for any other kind of attachment. One that cannot be read is an IngestError:
    the letter is often the attachment, and an e-mail read without it would mislead."""
    name = " ".join("".join(c if c.isprintable() else " " for c in re.split(r"[\\/]", name or "")[-1]).split())
    suffix = Path(name).suffix.lower()
    mime = (mime or "").lower()
    try:
        if suffix == ".pdf" or mime == "application/pdf":
            name = name or "attachment.pdf"
            text = "\n\n".join(d.text for d in load_pdf(Path(name), data or b""))
        elif suffix == ".docx" or mime == _DOCX_MIME:
            name = name or "attachment.docx"
            text = _docx_text(Path(name), data or b"")
        else:
            return None
    except IngestError as e:
        raise IngestError(f"{shown(path.name)}: attachment {e}; save the letter from the e-mail "
                          "and add it as a file instead") from None
    return f"## Attachment: {name}\n\n{text}"


def _email_document(path: Path, body: str, attachments: list[str], subject: str | None) -> Document:
    body = body.replace("\r\n", "\n").replace("\x00", "").strip()
    text = "\n\n".join([body] * bool(body) + attachments)
    if not text.strip():
        raise IngestError(f"{shown(path.name)}: the e-mail has no readable text (no text body and no PDF "
                          "or Word attachment)")
    return _auto_document(path, text, " ".join((subject or "").split())[:120] or None)


def load_eml(path: Path, raw: bytes) -> list[Document]:
    """An e-mail saved as .eml: its text body (else its HTML body as text), then each PDF
    or Word attachment. No header goes into the text: From and To hold people's addresses."""
    from email import policy
    from email.parser import BytesParser

    if not raw.strip():
        raise IngestError(f"{shown(path.name)}: the file is empty")
    if b"\x00" in raw[:4096]:
        raise IngestError(f"{shown(path.name)}: not an e-mail (.eml): it looks like a binary file")
    try:
        msg = BytesParser(policy=policy.default).parsebytes(raw)
        if not msg.keys():
            raise IngestError(f"{shown(path.name)}: not an e-mail (.eml): it has no mail headers; "
                              "save the message from your mail program as .eml and try again")
        part = msg.get_body(preferencelist=("plain", "html"))
        body = ""
        if part is not None:
            content = part.get_content()
            body = _html_text(content)[1] if part.get_content_type() == "text/html" else content
        attachments = []
        for p in msg.walk():
            if p is part or p.is_multipart():
                continue
            text = _attachment_text(path, p.get_filename() or "", p.get_content_type(),
                                    p.get_payload(decode=True) or b"")
            if text:
                attachments.append(text)
        subject = msg.get("subject")
    except IngestError:
        raise
    except (LookupError, UnicodeError, ValueError, KeyError, TypeError, AttributeError) as e:
        raise IngestError(f"{shown(path.name)}: the e-mail could not be read ({e.__class__.__name__}: "
                          f"{str(e)[:120]})") from None
    return [_email_document(path, body, attachments, str(subject) if subject else None)]


_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def load_msg(path: Path, raw: bytes) -> list[Document]:
    """An Outlook message (.msg), read like an .eml: body, then PDF and Word attachments.
    Needs the optional extra (extract-msg is GPL-3.0): pip install 'foi-assistant[msg]'."""
    try:
        import extract_msg
        from extract_msg.enums import AttachmentType, ErrorBehavior
    except ImportError:
        raise IngestError(f"{shown(path.name)}: reading Outlook .msg files needs the optional extra: "
                          "pip install 'foi-assistant[msg]' (or save the e-mail as .eml)") from None

    if not raw.strip():
        raise IngestError(f"{shown(path.name)}: the file is empty")
    if not raw.startswith(_OLE_MAGIC):
        raise IngestError(f"{shown(path.name)}: not an Outlook message (.msg); the file may be corrupt or "
                          "mislabelled (an e-mail saved as a text file should be named .eml)")
    msg = None
    try:
        # attachments of kinds extract-msg does not handle are skipped, not fatal: only PDF and Word ones are read
        msg = extract_msg.openMsg(io.BytesIO(raw), errorBehavior=ErrorBehavior.ATTACH_SUPPRESS_ALL)
        body = msg.body if hasattr(msg, "body") else None
        if not (body or "").strip() and getattr(msg, "htmlBody", None):
            body = _html_text(msg.htmlBody)[1]
        attachments = []
        for att in getattr(msg, "attachments", None) or []:
            if att.type not in (AttachmentType.DATA, AttachmentType.SIGNED) or not isinstance(att.data, bytes):
                continue
            name = getattr(att, "longFilename", None) or getattr(att, "shortFilename", None) or att.name or ""
            text = _attachment_text(path, name, getattr(att, "mimetype", None) or "", att.data)
            if text:
                attachments.append(text)
        subject = getattr(msg, "subject", None)
    except IngestError:
        raise
    except Exception as e:  # extract-msg and olefile raise many kinds on damaged files
        raise IngestError(f"{shown(path.name)}: the Outlook message is damaged or not a mail message "
                          f"({e.__class__.__name__}); save it from Outlook again, or as .eml") from None
    finally:
        if msg is not None:
            msg.close()
    return [_email_document(path, body or "", attachments, subject)]


OUTCOME_WORDS = {
    "disclosed": "information disclosed", "partial": "partly disclosed, partly withheld",
    "refused": "refused (information withheld)", "ncnd": "neither confirm nor deny",
    "partial_ncnd": "partly answered, neither confirm nor deny for the rest",
    "not_held_plus_ncnd": "not held, plus neither confirm nor deny for any further information",
    "not_held": "information not held", "cost_limit": "refused under the cost limit (section 12)",
    "vexatious": "refused as vexatious or repeated (section 14)",
}


def _provision_words(citation: str) -> str:
    """'foisa:s38(1)(b)' -> 'FOISA section 38(1)(b)'; FOIA and EIR provisions stay as they are."""
    act, _, bare = citation.rpartition(":")
    return f"{act.upper()} {'regulation ' + bare[3:] if bare.startswith('reg') else 'section ' + bare[1:]}" if act else citation


PRECEDENT_META = ("authority", "authority_type", "reference", "date", "outcome", "ncnd", "pit", "request",
                  "decision_ref", "related_refs", "regime", "source_kind", "finding", "harm_points", "notes")


def precedent_document(rec: dict, path: Path) -> Document:
    """A known past response (the precedent format of corpus/precedents/) as a document."""
    sections = [normalise(s) for s in rec.get("sections") or []]
    outcome = rec.get("outcome") or ""
    regime = rec.get("regime") or "foia"
    lines = [
        f"{rec.get('authority', 'Unknown authority')} ({rec.get('authority_type', '')}), reference {rec.get('reference') or 'none'}, {rec.get('date') or 'date unknown'}",
        f"Request: {rec.get('request', '')}",
        f"Outcome: {OUTCOME_WORDS.get(outcome, outcome)}",
        f"Provisions cited: {', '.join(_provision_words(s) for s in sections) or 'none'}",
        f"Neither confirm nor deny: {'yes' if rec.get('ncnd') else 'no'}; public interest test: {'yes' if rec.get('pit') else 'no'}",
    ]
    if rec.get("decision_ref"):
        found = "; ".join(f"{_provision_words(k)} {v.replace('_', ' ')}" for k, v in (rec.get("finding") or {}).items())
        lines.append(f"Decision: {rec['decision_ref']}" + (f" ({found})" if found else ""))
    if rec.get("harm_points"):
        lines.append("Reasons given: " + " ".join(p.rstrip(".") + "." for p in rec["harm_points"]))
    if rec.get("notes"):
        lines.append(f"Notes: {rec['notes']}")
    meta = {k: rec.get(k) for k in PRECEDENT_META if rec.get(k) not in (None, "", [], {})}
    meta["regime"] = regime
    meta["case_id"] = rec["id"]
    meta["case_url"] = rec.get("url") or ""
    meta["precedent"] = True
    return Document(doc_id=f"precedent:{rec['id']}", title=f"{rec.get('authority', '')}: {rec.get('request', '')[:80]}",
                    kind="response", text="\n".join(lines), source_path=str(path), url=rec.get("url") or "",
                    sections=sections, meta=meta)


def load_jsonl(path: Path, raw: bytes) -> list[Document]:
    text = _decode(raw, path)
    docs = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as e:
            raise IngestError(f"{shown(path.name)}: line {n} is not valid JSON ({e.msg})") from None
        if not isinstance(rec, dict):
            raise IngestError(f"{shown(path.name)}: line {n} is not a JSON object")
        if "request" in rec and "outcome" in rec and "id" in rec:
            docs.append(precedent_document(rec, path))
        elif isinstance(rec.get("text"), str) and rec["text"].strip():
            body = rec["text"]
            meta = metadata.extract(body)
            docs.append(Document(
                doc_id=str(rec.get("id") or f"{file_doc_id(path)}-{n}"), title=str(rec.get("title") or body[:80]),
                kind=str(rec.get("kind") or metadata.guess_kind(body)), text=body, source_path=str(path),
                url=str(rec.get("url") or ""),
                sections=[normalise(s) for s in rec.get("sections") or []] or meta.pop("sections"), meta=meta))
        else:
            raise IngestError(f"{shown(path.name)}: line {n} has neither a 'text' field nor the known-response fields")
    if not docs:
        raise IngestError(f"{shown(path.name)}: no records")
    return docs


LOADERS = {".pdf": load_pdf, ".html": load_html, ".htm": load_html, ".md": load_markdown,
           ".markdown": load_markdown, ".txt": load_text, ".text": load_text, ".jsonl": load_jsonl,
           ".docx": load_docx, ".eml": load_eml, ".msg": load_msg}


def load_file(path: Path, raw: bytes | None = None) -> list[Document]:
    suffix = path.suffix.lower()
    if suffix not in LOADERS:
        raise IngestError(f"{shown(path.name)}: unsupported file type '{suffix or 'none'}' "
                          f"(supported: {', '.join(sorted(SUPPORTED))})")
    if raw is None:
        try:
            raw = path.read_bytes()
        except OSError as e:
            raise IngestError(f"{shown(path.name)}: cannot be read ({e.strerror})") from None
    return LOADERS[suffix](path, raw)
