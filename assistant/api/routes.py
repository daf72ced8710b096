"""The REST API under /api: explain, draft, ask, search, ingest, health.

Each route reads its input, makes one engine call and returns the result's
to_json() (the CLI's --json shapes). Bad input is a 4xx with a message
("the letter is empty", "unsupported file type", "too large: the limit is
25 MB"), never a traceback. When FOI_API_TOKEN is set, every route but
health needs "Authorization: Bearer <token>" (see server.py)."""
from __future__ import annotations

import hashlib
import secrets
import tempfile
import threading
from collections import OrderedDict
from pathlib import Path

from fastapi import APIRouter, File, HTTPException, Query, UploadFile

from ..ingest.loaders import SUPPORTED, IngestError, load_file
from ..retrieve import Filters
from .models import AskBody, DraftBody, ExplainBody

CONVERSATIONS = 1000          # conversations the server keeps for /api/ask (least recently used dropped)
TURNS_KEPT = 20               # turns of each kept


class Conversations:
    """The conversations /api/ask continues by id, in memory, bounded."""

    def __init__(self):
        self._store: OrderedDict[str, list[dict]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, cid: str | None) -> tuple[str, list[dict]]:
        with self._lock:
            if cid and cid in self._store:
                self._store.move_to_end(cid)
                return cid, list(self._store[cid])
            if cid:
                raise HTTPException(404, f"no conversation {cid!r}: start one by asking without conversation_id")
            return secrets.token_urlsafe(12), []

    def put(self, cid: str, turns: list[dict]) -> None:
        with self._lock:
            self._store[cid] = turns[-TURNS_KEPT:]
            self._store.move_to_end(cid)
            while len(self._store) > CONVERSATIONS:
                self._store.popitem(last=False)


def _read_upload(upload: UploadFile, limit_mb: int) -> tuple[str, bytes]:
    name = Path(upload.filename or "upload").name
    suffix = Path(name).suffix.lower()
    if suffix not in SUPPORTED:
        raise HTTPException(415, f"{name}: unsupported file type {suffix or '(none)'!r}; supported: "
                                 f"{', '.join(sorted(SUPPORTED))}")
    raw = upload.file.read(limit_mb * 1024 * 1024 + 1)
    if len(raw) > limit_mb * 1024 * 1024:
        raise HTTPException(413, f"{name}: too large: the limit is {limit_mb} MB")
    if not raw:
        raise HTTPException(400, f"{name}: the file is empty")
    return name, raw


def _letter_from_file(name: str, raw: bytes) -> str:
    """The text of an uploaded letter, read by the same loaders as ingest (nothing is stored)."""
    with tempfile.TemporaryDirectory(prefix="foi-api-") as d:
        path = Path(d) / name
        path.write_bytes(raw)
        try:
            return "\n\n".join(doc.text for doc in load_file(path, raw)).strip()
        except IngestError as e:
            raise HTTPException(400, str(e)) from None


def build_router(engine, settings) -> APIRouter:
    router = APIRouter(prefix="/api")
    conversations = Conversations()
    limit = settings.api_max_upload_mb

    @router.get("/health", summary="Is the service up, and what does it hold?")
    def health() -> dict:
        docs = engine.index.documents()
        models = {r: (m.report.get("examples") if (m := engine.models.get(r, train=False)) else None)
                  for r in ("foia", "foisa")}
        return {"status": "ok", "documents": len(docs), "chunks": engine.index.count(),
                "answers": len(engine.answers.answers) if engine._answers is not None else None, "models": models,
                "llm_backend": settings.llm_backend}

    @router.post("/explain", summary="Explain a refusal letter (JSON {text}); /api/explain/file takes an upload")
    def explain(body: ExplainBody) -> dict:
        if not body.text.strip():
            raise HTTPException(400, "the letter is empty")
        return engine.explain(body.text).to_json()

    @router.post("/explain/file", summary="Explain a refusal letter uploaded as a file (PDF, Word, email, text)")
    def explain_file(file: UploadFile = File(...)) -> dict:   # noqa: B008 (FastAPI's way)
        name, raw = _read_upload(file, limit)
        text = _letter_from_file(name, raw)
        if not text:
            raise HTTPException(400, f"{name}: no text found")
        return engine.explain(text).to_json()

    @router.post("/draft", summary="Suggest the provisions and NCND for a request, and draft the response")
    def draft(body: DraftBody) -> dict:
        if not body.request.strip():
            raise HTTPException(400, "the request is empty")
        return engine.draft(body.request, authority=body.authority, authority_type=body.authority_type).to_json()

    @router.post("/ask", summary="Ask a question; continue with conversation_id, or send history")
    def ask(body: AskBody) -> dict:
        if not body.question.strip():
            raise HTTPException(400, "the question is empty")
        if body.history is not None:
            cid, history = conversations.get(None)
            history = [t.model_dump() for t in body.history]
        else:
            cid, history = conversations.get(body.conversation_id)
        answer = engine.ask(body.question, mode=body.mode, history=history)
        out = answer.to_json()
        conversations.put(cid, history + [{"role": "user", "content": body.question},
                                          {"role": "assistant", "content": answer.answer,
                                           "answer_id": (answer.topic or {}).get("id")}])
        return out | {"conversation_id": cid}

    @router.get("/search", summary="Hybrid search of the library")
    def search(q: str = Query(..., description="what to look for"),
               k: int = Query(5, ge=1, le=50, description="how many results"),
               kind: list[str] = Query(default=[], description="legislation, guidance or response (repeatable)"),
               section: list[str] = Query(default=[], description="a provision, e.g. s31 (repeatable)")) -> dict:
        if not q.strip():
            raise HTTPException(400, "the query is empty")
        bad = [x for x in kind if x not in ("legislation", "guidance", "response")]
        if bad:
            raise HTTPException(422, f"unknown kind {bad[0]!r}: use legislation, guidance or response")
        hits = engine.search(q, k=k, filters=Filters(kinds=tuple(kind), sections=tuple(section)))
        return {"results": [h.to_json() for h in hits], "weak": bool(hits) and engine.retriever.is_weak(hits)}

    @router.post("/ingest", summary="Add files to the shared library (what the CLI's ingest does)")
    def ingest(files: list[UploadFile] = File(...)) -> dict:   # noqa: B008
        saved = []
        root = settings.data_dir / "uploads" / "api"
        for up in files:
            name, raw = _read_upload(up, limit)
            digest = hashlib.sha256(raw).hexdigest()[:16]
            target = root / digest / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if not target.exists():
                target.write_bytes(raw)
            saved.append(target)
        report = engine.ingest(saved, upload=True).to_json()
        if report["failed"] and not report["added"] and not report["skipped"]:
            raise HTTPException(400, "; ".join(f["error"] for f in report["failed"]))
        return report

    return router

