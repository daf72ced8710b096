"""The Library tab's work: keep a copy of each uploaded file, ingest it, and
read an uploaded letter's text for the chat.

An upload is copied to <data_dir>/uploads/<owner>/<content hash>/<file name>
before it is ingested, so the index never points at a temporary file, a new
version of a file never overwrites the old one, and the same file uploaded by
two visitors is two documents, each its uploader's. A file that fails is
reported by name and its copy removed; nothing already in the library changes.

Removal: a visitor may remove only their own uploads (not the built-in law,
not the shared library, not another visitor's files)."""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path
from typing import Callable

from ..ingest.loaders import IngestError, load_file

UPLOADS = "uploads"


def letter_text(path: Path) -> str:
    """The text of an uploaded letter or request (PDF, HTML, text). Raises IngestError."""
    docs = load_file(Path(path))
    return "\n\n".join(d.text for d in docs).strip()


class NotYours(Exception):
    """A visitor tried to remove a document that is not their own upload."""


def removable(engine, doc_id: str, owner: str) -> dict:
    """The document if this visitor may remove it; otherwise NotYours saying why."""
    doc = next((d for d in engine.index.documents() if d["doc_id"] == doc_id), None)
    if doc is None:
        raise NotYours(f"there is no document {doc_id!r} in your library")
    if doc.get("owner") != owner or not owner:
        whose = ("part of the built-in library" if doc.get("origin") == "builtin" else
                 "in the shared library (only the operator can remove it)" if not doc.get("owner") else
                 "not in your library")
        raise NotYours(f"{doc_id!r} is {whose}")
    return doc


def _keep_copy(upload: Path, uploads_dir: Path) -> Path:
    digest = hashlib.sha256(upload.read_bytes()).hexdigest()[:16]
    target = uploads_dir / digest / upload.name
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(upload, target)
    return target


def ingest_uploads(engine, uploads: list[Path], progress: Callable[[int, int, str], None] | None = None,
                   owner: str = "") -> tuple[dict, dict[str, str]]:
    """Ingest uploaded files as this owner's (a visitor's id; "" for the shared
    library). Returns the report (to_json) and a map from each stored source
    back to the name the person uploaded."""
    uploads_dir = engine.settings.data_dir / UPLOADS / (owner or "shared")
    copies: list[Path] = []
    names: dict[str, str] = {}
    failed: list[dict] = []
    for up in uploads:
        up = Path(up)
        try:
            copy = _keep_copy(up, uploads_dir)
        except OSError as e:
            failed.append({"source": up.name, "error": f"{up.name}: could not be saved ({e.strerror or e})"})
            continue
        copies.append(copy)
        names[str(copy.resolve())] = up.name
    report = engine.ingest(copies, progress=progress, owner=owner, upload=True).to_json() if copies else {
        "added": [], "skipped": [], "failed": [], "removed": [], "chunks_added": 0, "chunks_removed": 0}
    report["failed"] = failed + list(report.get("failed") or [])
    for f in report["failed"]:
        copy = Path(f.get("source", ""))
        if copy.is_absolute() and copy.is_file() and uploads_dir.resolve() in copy.resolve().parents:
            copy.unlink(missing_ok=True)
            try:
                copy.parent.rmdir()
            except OSError:
                pass
    return report, names


__all__ = ["IngestError", "NotYours", "ingest_uploads", "letter_text", "removable"]
