"""The only module that imports chromadb. An embedded PersistentClient under
the data directory, or an HttpClient when a host is configured: the same
calls either way. Embeddings are always ours (never Chroma's default)."""
from __future__ import annotations

import json
from typing import Any, Iterable

import numpy as np

from ..config import Settings
from ..types import Chunk
from .embedder import Embedder

WRITE_BATCH = 500  # Chroma rejects very large single writes; this is well under its limit
READ_BATCH = 5000  # rows per read: a where-query over more than ~32k rows fails in SQLite
                   # ("too many SQL variables"), so every read is paged


def _ef_class():
    from chromadb import EmbeddingFunction

    class BundledMiniLM(EmbeddingFunction):
        """Chroma adapter over our Embedder, so Chroma never loads its own model."""

        def __init__(self, embedder: Embedder):
            self.embedder = embedder

        def __call__(self, input):
            return [v for v in self.embedder.encode(list(input))]

        @staticmethod
        def name() -> str:
            return "foi-assistant-minilm"

        def get_config(self) -> dict:
            return {}

        @staticmethod
        def build_from_config(config):  # pragma: no cover - Chroma calls it on reload only
            return BundledMiniLM(Embedder(Settings.load()))

        def default_space(self):
            return "cosine"

    return BundledMiniLM


def family_flag(family: str) -> str:
    return f"f_{family}"


def chunk_metadata(chunk: Chunk, source: str, content_hash: str, n_chunks: int) -> dict[str, Any]:
    """What Chroma keeps beside a chunk. content_hash and n_chunks say which version
    of its source the chunk belongs to and how many chunks that version has: a
    source is complete only when it holds exactly n_chunks chunks, all of that
    hash (ingest/pipeline.py), so a write cut short is finished by the next run."""
    from ..reason.act import family

    md: dict[str, Any] = {
        "doc_id": chunk.doc_id, "title": chunk.title, "kind": chunk.kind,
        "url": chunk.url or "", "heading": chunk.heading or "", "source": source,
        "content_hash": content_hash, "n_chunks": n_chunks, "sections": " ".join(chunk.sections),
        "meta_json": json.dumps(chunk.meta, ensure_ascii=False, default=str),
    }
    for fam in {family(s) for s in chunk.sections}:
        md[family_flag(fam)] = True
    for key in ("outcome", "authority", "authority_type", "reference", "date", "origin", "owner"):
        value = chunk.meta.get(key)
        if value not in (None, ""):
            md[key] = str(value)
    if chunk.meta.get("ncnd") is not None:
        md["ncnd"] = bool(chunk.meta["ncnd"])
    return md


def chunk_from_record(chunk_id: str, text: str, md: dict[str, Any]) -> Chunk:
    return Chunk(chunk_id=chunk_id, doc_id=md.get("doc_id", ""), title=md.get("title", ""),
                 kind=md.get("kind", ""), text=text, heading=md.get("heading", ""),
                 url=md.get("url", ""), sections=[s for s in md.get("sections", "").split() if s],
                 meta=json.loads(md.get("meta_json") or "{}"))


class ChromaStore:
    def __init__(self, settings: Settings, embedder: Embedder):
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        self.settings = settings
        self.embedder = embedder
        chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
        if settings.chroma_host:
            self.client = chromadb.HttpClient(host=settings.chroma_host, port=settings.chroma_port,
                                              settings=chroma_settings)
        else:
            settings.chroma_dir.mkdir(parents=True, exist_ok=True)
            self.client = chromadb.PersistentClient(path=str(settings.chroma_dir), settings=chroma_settings)
        self.collection = self.client.get_or_create_collection(
            name=settings.collection,
            embedding_function=_ef_class()(embedder),
            configuration={"hnsw": {"space": "cosine"}},
        )

    # --- reads -------------------------------------------------------------
    def count(self) -> int:
        return self.collection.count()

    def source_state(self, source: str) -> dict[str, tuple[str, int]]:
        """chunk_id -> (content_hash, n_chunks) for everything ingested from one source."""
        return {cid: _version(m) for cid, m in self._get_where({"source": source})}

    def source_states(self) -> dict[str, dict[str, tuple[str, int]]]:
        """source -> {chunk_id: (content_hash, n_chunks)} over the whole collection, in one pass."""
        out: dict[str, dict[str, tuple[str, int]]] = {}
        for ids, _, metas in self.iter_all(include_documents=False):
            for cid, m in zip(ids, metas):
                m = m or {}
                out.setdefault(m.get("source", ""), {})[cid] = _version(m)
        return out

    def all_sources(self) -> set[str]:
        """Every source in the collection."""
        return set(self.source_states())

    def doc_sources(self, doc_ids: list[str]) -> dict[str, set[str]]:
        """doc_id -> the sources holding chunks of it (for the ids asked about)."""
        out: dict[str, set[str]] = {}
        for start in range(0, len(doc_ids), WRITE_BATCH):
            part = list(doc_ids[start:start + WRITE_BATCH])
            for _, m in self._get_where({"doc_id": {"$in": part}} if len(part) > 1 else {"doc_id": part[0]}):
                out.setdefault(m.get("doc_id", ""), set()).add(m.get("source", ""))
        return out

    def _get_where(self, where: dict) -> Iterable[tuple[str, dict]]:
        """(chunk id, metadata) of every row matching where, a page at a time."""
        offset = 0
        while True:
            got = self.collection.get(where=where, include=["metadatas"], limit=READ_BATCH, offset=offset)
            if not got["ids"]:
                return
            yield from zip(got["ids"], (m or {} for m in got["metadatas"]))
            if len(got["ids"]) < READ_BATCH:
                return
            offset += len(got["ids"])

    def iter_all(self, batch: int = READ_BATCH, include_documents: bool = True,
                 include_embeddings: bool = False) -> Iterable[tuple]:
        """(ids, documents, metadatas), plus embeddings if asked, a batch at a time."""
        include = ["metadatas", "documents"] if include_documents else ["metadatas"]
        if include_embeddings:
            include.append("embeddings")
        offset = 0
        while True:
            got = self.collection.get(include=include, limit=batch, offset=offset)
            if not got["ids"]:
                return
            part = (got["ids"], got.get("documents") or [None] * len(got["ids"]), got["metadatas"])
            if include_embeddings:
                part += (np.asarray(got["embeddings"], dtype=np.float32).reshape(len(got["ids"]), -1),)
            yield part
            offset += len(got["ids"])

    def query(self, vector: np.ndarray, n: int, where: dict | None = None) -> list[tuple[str, float]]:
        """(chunk id, cosine) of the n nearest. Only ids and distances come back:
        fetching documents and metadata costs more than the search (at n=300,
        31 ms against 2 ms); the caller has the chunks in memory."""
        # Chroma returns what there is when n exceeds the count (or the collection is empty)
        res = self.collection.query(query_embeddings=[vector.tolist()], n_results=max(1, n), where=where or None,
                                    include=["distances"])
        return [(cid, 1.0 - float(dist)) for cid, dist in zip(res["ids"][0], res["distances"][0])]

    def records(self, ids: list[str]) -> dict[str, Chunk]:
        """Chunks by id, read from the store (for ids the in-memory table lacks)."""
        out: dict[str, Chunk] = {}
        ids = list(ids)
        for start in range(0, len(ids), WRITE_BATCH):
            got = self.collection.get(ids=ids[start:start + WRITE_BATCH], include=["documents", "metadatas"])
            out.update({cid: chunk_from_record(cid, doc, md)
                        for cid, doc, md in zip(got["ids"], got["documents"], got["metadatas"])})
        return out

    # --- writes ------------------------------------------------------------
    def add(self, chunks: list[Chunk], vectors: np.ndarray, source: str, content_hash: str, n_chunks: int) -> None:
        """Add one source's chunks; on failure, remove whatever part of this call landed."""
        self.add_many([(chunks, vectors, source, content_hash, n_chunks)])

    def add_many(self, parts: list[tuple[list[Chunk], np.ndarray, str, str, int]]) -> None:
        """Add the chunks of several sources in as few writes as possible (each
        write is a transaction: one per file made ingest writes ~9x slower).
        On failure, remove whatever part of this call landed."""
        chunks = [c for part, *_ in parts for c in part]
        if not chunks:
            return
        vectors = np.concatenate([v for part, v, *_ in parts if part])
        metadatas = [chunk_metadata(c, source, h, n) for part, _, source, h, n in parts for c in part]
        ids = [c.chunk_id for c in chunks]
        try:
            for start in range(0, len(chunks), WRITE_BATCH):
                end = start + WRITE_BATCH
                self.collection.upsert(ids=ids[start:end], documents=[c.text for c in chunks[start:end]],
                                       embeddings=vectors[start:end], metadatas=metadatas[start:end])
        except Exception:
            self.delete_ids(ids)
            raise

    def vectors(self, ids: list[str]) -> dict[str, np.ndarray]:
        """Stored embeddings by chunk id (those that exist)."""
        out: dict[str, np.ndarray] = {}
        for start in range(0, len(ids), WRITE_BATCH):
            got = self.collection.get(ids=ids[start:start + WRITE_BATCH], include=["embeddings"])
            out.update({i: np.asarray(v, dtype=np.float32) for i, v in zip(got["ids"], got["embeddings"])})
        return out

    def refresh(self, chunks: list[Chunk], source: str, content_hash: str, n_chunks: int) -> None:
        """Kept chunks (same text) of a new version of their source: their metadata is
        rewritten whole (the version, and whatever else changed: sections, origin, owner)."""
        for start in range(0, len(chunks), WRITE_BATCH):
            part = chunks[start:start + WRITE_BATCH]
            old = self.collection.get(ids=[c.chunk_id for c in part], include=["metadatas"])
            old_md = {cid: m or {} for cid, m in zip(old["ids"], old["metadatas"])}
            metas = []
            for c in part:
                md = chunk_metadata(c, source, content_hash, n_chunks)
                md.update({k: None for k in old_md.get(c.chunk_id, {}) if k not in md})   # None removes a key
                metas.append(md)
            self.collection.update(ids=[c.chunk_id for c in part], metadatas=metas)

    def set_fields(self, ids: list[str], fields: dict[str, Any]) -> None:
        """Change metadata fields of some chunks, in their Chroma metadata and in meta_json."""
        for start in range(0, len(ids), WRITE_BATCH):
            got = self.collection.get(ids=ids[start:start + WRITE_BATCH], include=["metadatas"])
            metas = []
            for m in got["metadatas"]:
                meta = json.loads((m or {}).get("meta_json") or "{}")
                meta.update(fields)
                metas.append({**{k: v for k, v in fields.items() if v is not None},
                              "meta_json": json.dumps(meta, ensure_ascii=False, default=str)})
            if got["ids"]:
                self.collection.update(ids=got["ids"], metadatas=metas)

    def delete_ids(self, ids: list[str]) -> None:
        for start in range(0, len(ids), WRITE_BATCH):
            if ids[start:start + WRITE_BATCH]:
                self.collection.delete(ids=ids[start:start + WRITE_BATCH])

    def delete_where(self, where: dict) -> int:
        ids = [cid for cid, _ in self._get_where(where)]
        self.delete_ids(ids)
        return len(ids)


def _version(md: dict) -> tuple[str, int]:
    """(content_hash, n_chunks) of a stored chunk; n_chunks is -1 for chunks written
    before it was recorded (their source then counts as incomplete and is re-checked)."""
    return md.get("content_hash", ""), int(md.get("n_chunks", -1))
