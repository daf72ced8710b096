"""The index: Chroma (dense) and BM25 (sparse) over one set of chunks, kept
in step. Opened once and passed down."""
from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np

from ..config import Settings
from ..types import Chunk
from .bm25 import BM25Index
from .chroma import ChromaStore, chunk_from_record
from .embedder import Embedder
from .table import ChunkTable


class Index:
    def __init__(self, settings: Settings, embedder: Embedder | None = None):
        self.settings = settings
        self.embedder = embedder or Embedder(settings)
        self.store = ChromaStore(settings, self.embedder)
        self._bm25: BM25Index | None = None
        self._table: ChunkTable | None = None
        self._generation: str | None = None
        self._by_doc: dict[str, list[Chunk]] | None = None
        self._by_doc_gen: str | None = None
        self._ncnd_docs: dict | None = None
        self._ncnd_gen: str | None = None
        self._ncnd_totals: dict[str, list[int]] = {}

    @property
    def bm25_path(self) -> Path:
        name = f"bm25-{self.settings.chroma_host or 'local'}-{self.settings.collection}.pkl"
        return self.settings.data_dir / name

    def generation(self) -> str:
        got = self.store.collection.get(include=[])
        ids = sorted(got["ids"])
        return f"{len(ids)}-{hashlib.sha1(chr(10).join(ids).encode()).hexdigest()}"

    def _load_sparse(self) -> None:
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

    def by_doc(self, doc_id: str) -> list[Chunk]:
        """A document's chunks, in order (from the in-memory table)."""
        if self._by_doc_gen != self._generation or self._by_doc is None:
            table: dict[str, list[Chunk]] = {}
            for c in self.chunks.values():
                table.setdefault(c.doc_id, []).append(c)
            for lst in table.values():
                lst.sort(key=lambda c: int(c.chunk_id.split("::")[1]) if c.chunk_id.count("::") == 2 else 0)
            self._by_doc, self._by_doc_gen = table, self._generation
        return self._by_doc.get(doc_id, [])

    def ncnd_rates(self, exclude: frozenset[str] = frozenset()) -> dict[str, float]:
        """For each exemption family, the share of precedents citing it that
        neither confirmed nor denied (excluding some documents, for leave-one-out)."""
        from ..reason.act import family

        if self._ncnd_gen != self._generation or self._ncnd_docs is None:
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
            self._ncnd_docs, self._ncnd_totals, self._ncnd_gen = docs, totals, self._generation
        # the totals less the excluded documents: per call, the cost is the exclusions, not the corpus
        counts = {f: list(t) for f, t in self._ncnd_totals.items()}
        for doc_id in exclude:
            fams, ncnd = self._ncnd_docs.get(doc_id, ((), False))
            for f in fams:
                counts[f][0] -= 1
                counts[f][1] -= int(ncnd)
        return {f: k / (n + 1) for f, (n, k) in counts.items() if n > 0}   # +1: a family seen once is not certain

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

    def documents(self) -> list[dict]:
        """One row per indexed document: id, title, kind, chunks, source."""
        docs: dict[str, dict] = {}
        for c in self.chunks.values():
            row = docs.setdefault(c.doc_id, {"doc_id": c.doc_id, "title": c.title, "kind": c.kind,
                                             "url": c.url, "chunks": 0})
            row["chunks"] += 1
        return sorted(docs.values(), key=lambda r: (r["kind"], r["title"]))

    def delete_document(self, doc_id: str) -> int:
        n = self.store.delete_where({"doc_id": doc_id})
        self.refresh()
        return n
