"""The index: Chroma (dense) and BM25 (sparse) over one set of chunks, kept
in step. Opened once and passed down."""
from __future__ import annotations

import hashlib
import threading
from pathlib import Path
from typing import Callable, TypeVar

import numpy as np

from ..config import Settings
from ..types import Chunk
from .bm25 import BM25Index
from .chroma import ChromaStore, chunk_from_record
from .embedder import Embedder
from .table import ChunkTable

T = TypeVar("T")


class Index:
    def __init__(self, settings: Settings, embedder: Embedder | None = None):
        self.settings = settings
        self.embedder = embedder or Embedder(settings)
        self.store = ChromaStore(settings, self.embedder)
        self._bm25: BM25Index | None = None
        self._table: ChunkTable | None = None
        self._generation: str | None = None
        self._derived: dict[str, tuple[str | None, object]] = {}   # name -> (generation, value): see derived()
        self._lock = threading.RLock()   # one rebuild at a time: a question may arrive while an upload is indexed
        self._models = None

    @property
    def bm25_path(self) -> Path:
        name = f"bm25-{self.settings.chroma_host or 'local'}-{self.settings.collection}.pkl"
        return self.settings.data_dir / name

    def generation(self) -> str:
        got = self.store.collection.get(include=[])
        ids = sorted(got["ids"])
        return f"{len(ids)}-{hashlib.sha1(chr(10).join(ids).encode()).hexdigest()}"

    def _load_sparse(self) -> None:
        with self._lock:
            self._load_sparse_locked()

    def _load_sparse_locked(self) -> None:
        gen = self.generation()
        if self._bm25 is not None and gen == self._generation:
            return
        cached = BM25Index.load(self.bm25_path, gen)
        if cached is not None:
            self._bm25, self._table = cached
        else:
            chunks: dict[str, Chunk] = {}
            blocks = []
            for ids, docs, metas, vectors in self.store.iter_all(include_embeddings=True):
                for cid, doc, md in zip(ids, docs, metas):
                    chunks[cid] = chunk_from_record(cid, doc, md)
                blocks.append(vectors)
            vectors = np.concatenate(blocks) if blocks else np.zeros((0, self.embedder.dim), dtype=np.float32)
            # rows in chunk-id order, whatever order the store reads back in: an embedded
            # store and a server holding the same chunks rank ties the same way
            keys = list(chunks)
            order = sorted(range(len(keys)), key=keys.__getitem__)
            chunks = {keys[i]: chunks[keys[i]] for i in order}
            table = ChunkTable(chunks, vectors[order])
            bm25 = BM25Index(table.ids, [f"{c.title}\n{c.text}" for c in chunks.values()])   # rows as the table's
            bm25.save_with(self.bm25_path, gen, table)
            self._bm25, self._table = bm25, table
        self._generation = gen

    def refresh(self) -> None:
        """Call after writes: the next read rebuilds BM25 once."""
        self._generation = None

    def _loaded(self) -> None:
        if self._generation is None or self._bm25 is None:
            self._load_sparse()

    @property
    def bm25(self) -> BM25Index:
        self._loaded()
        return self._bm25

    @property
    def table(self) -> ChunkTable:
        """Every chunk with its vector, in memory (see store/table.py)."""
        self._loaded()
        return self._table

    @property
    def chunks(self) -> dict[str, Chunk]:
        return self.table.chunks

    def derived(self, name: str, build: Callable[[], T]) -> T:
        """A value worked out from the chunks in memory (a table by document, the precedents,
        their case keys, a model's training key), kept until the index changes: built once per
        generation, since drafts and questions ask for them every time."""
        self._loaded()
        have = self._derived.get(name)
        if have is None or have[0] != self._generation:
            have = (self._generation, build())
            self._derived[name] = have
        return have[1]

    def by_doc(self, doc_id: str) -> list[Chunk]:
        """A document's chunks, in order (from the in-memory table)."""
        def build() -> dict[str, list[Chunk]]:
            table: dict[str, list[Chunk]] = {}
            for c in self.chunks.values():
                table.setdefault(c.doc_id, []).append(c)
            for lst in table.values():
                lst.sort(key=lambda c: int(c.chunk_id.split("::")[1]) if c.chunk_id.count("::") == 2 else 0)
            return table

        return self.derived("by_doc", build).get(doc_id, [])

    def ncnd_rates(self, exclude: frozenset[str] = frozenset()) -> dict[str, float]:
        """For each exemption family, the share of precedents citing it that
        neither confirmed nor denied (excluding some documents, for leave-one-out)."""
        from ..reason.act import family

        def build() -> tuple[dict[str, tuple[set[str], bool]], dict[str, list[int]]]:
            docs: dict[str, tuple[set[str], bool]] = {}
            for c in self.chunks.values():
                if c.kind == "response" and c.sections:
                    docs[c.doc_id] = ({family(s) for s in c.sections}, bool(c.meta.get("ncnd")))
            totals: dict[str, list[int]] = {}
            for fams, ncnd in docs.values():
                for f in fams:
                    t = totals.setdefault(f, [0, 0])
                    t[0] += 1
                    t[1] += int(ncnd)
            return docs, totals

        docs, totals = self.derived("ncnd", build)
        # the totals less the excluded documents: per call, the cost is the exclusions, not the corpus
        counts = {f: list(t) for f, t in totals.items()}
        for doc_id in exclude:
            fams, ncnd = docs.get(doc_id, ((), False))
            for f in fams:
                counts[f][0] -= 1
                counts[f][1] -= int(ncnd)
        return {f: k / (n + 1) for f, (n, k) in counts.items() if n > 0}   # +1: a family seen once is not certain

    @property
    def models(self):
        """The suggestion models learned from this index's precedents (learn/cache.py),
        cached on disk beside BM25 and the table."""
        if self._models is None:
            from ..learn.cache import Models

            self._models = Models(self, self.settings.data_dir)
        return self._models

    def precedents(self) -> dict[str, Chunk]:
        """doc_id -> the (first) chunk of every precedent record in the index (once per
        generation: every draft asks, and at 100k chunks the scan costs ~100 ms). Read only."""
        def build() -> dict[str, Chunk]:
            out: dict[str, Chunk] = {}
            for c in self.chunks.values():
                if c.kind == "response" and c.meta.get("case_id") and c.doc_id not in out:
                    out[c.doc_id] = c
            return out

        return self.derived("precedents", build)

    def cases(self):
        """The precedents by case keys (precedents/cases.py), for same-case exclusion."""
        from ..precedents.cases import CaseIndex, keys_of

        return self.derived("cases", lambda: CaseIndex({doc_id: keys_of({**c.meta, "url": c.meta.get("case_url") or c.url})
                                                        for doc_id, c in self.precedents().items()}))

    def same_case(self, record: dict) -> frozenset[str]:
        """The precedent documents that are the same case as a record (a case being
        scored): by reference, authority and reference, page, or near-identical request."""
        from ..precedents.cases import keys_of

        return self.cases().same_as(keys_of(record)) | ({f"precedent:{record['id']}"} if record.get("id") else set())

    def resolve(self, ids: list[str]) -> dict[str, Chunk]:
        """Chunks by id from the in-memory table; any it lacks (another process
        wrote since it was loaded) are read from the store."""
        chunks = self.chunks
        out = {cid: chunks[cid] for cid in ids if cid in chunks}
        missing = [cid for cid in ids if cid not in out]
        if missing:
            out.update(self.store.records(missing))
        return out

    def count(self) -> int:
        return self.store.count()

    def documents(self, viewer: str | None = None) -> list[dict]:
        """One row per indexed document: id, title, kind, chunks, origin (builtin or
        user) and owner ("" for the shared library). A viewer (a web session) sees
        the shared library and its own uploads only."""
        docs: dict[str, dict] = {}
        for c in self.chunks.values():
            owner = c.meta.get("owner") or ""
            if viewer is not None and owner not in ("", viewer):
                continue
            row = docs.setdefault(c.doc_id, {"doc_id": c.doc_id, "title": c.title, "kind": c.kind,
                                             "url": c.url, "chunks": 0, "origin": c.meta.get("origin") or "user",
                                             "owner": owner})
            row["chunks"] += 1
        return sorted(docs.values(), key=lambda r: (r["kind"], r["title"]))

    def delete_document(self, doc_id: str) -> int:
        n = self.store.delete_where({"doc_id": doc_id})
        self.refresh()
        return n

    def share_document(self, doc_id: str) -> int:
        """Move an upload into the shared library (the operator's decision)."""
        ids = [c.chunk_id for c in self.by_doc(doc_id)]
        self.store.set_fields(ids, {"owner": ""})
        self.refresh()
        return len(ids)

    def consistency(self) -> list[str]:
        """What is wrong with the index, if anything: ids not unique, the store and
        the in-memory table out of step, sources whose chunks are incomplete."""
        from ..ingest.pipeline import complete

        problems = []
        got = self.store.collection.get(include=[])
        ids = got["ids"]
        if len(ids) != len(set(ids)):
            problems.append(f"{len(ids) - len(set(ids))} duplicate chunk ids in the store")
        table = self.table
        if len(table) != len(ids) or set(table.ids) != set(ids):
            problems.append(f"the store holds {len(ids)} chunks but the in-memory table {len(table)}")
        for source, state in self.store.source_states().items():
            hashes = {h for h, _ in state.values()}
            if len(hashes) != 1 or not complete(state, next(iter(hashes))):
                problems.append(f"{source}: {len(state)} chunks, not one complete version")
        return problems
