"""The index held in memory: every chunk, its vector, and the fields filters
use as columns, loaded once per index generation (and cached with BM25).

Dense search runs here, exactly: a dot product with every row (0.7 ms at
10k chunks, ~7 ms at 100k) and a mask for filters. Measured against it,
Chroma's HNSW found only 65% of the true 40 nearest at 100k chunks of
letters that share boilerplate (for some queries none: cosines of 0.37 where
the nearest were 0.74), and its where-filter costs 20 to 50 ms at 10k chunks.
Chroma stays the store of record, and is searched only past
Settings.exact_max_rows, where exact search would be too slow."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..reason.act import family
from ..types import Chunk


@dataclass(frozen=True)
class Select:
    """What a filter keeps, in the table's own terms (retrieve.Filters makes one)."""
    families: tuple[str, ...] = ()       # any of them
    kinds: tuple[str, ...] = ()
    outcomes: tuple[str, ...] = ()
    authority: str | None = None
    exclude_doc_ids: frozenset[str] = frozenset()
    exclude_urls: frozenset[str] = frozenset()
    viewer: str | None = None            # a web session: the shared library and its own uploads only


class Column:
    """One string field as integer codes, so 'any of these values' is one vector op."""

    def __init__(self, values: list[str]):
        self.code: dict[str, int] = {}
        self.codes = np.fromiter((self.code.setdefault(v, len(self.code)) for v in values),
                                 dtype=np.int32, count=len(values))

    def isin(self, values) -> np.ndarray:
        wanted = [self.code[v] for v in values if v in self.code]
        return np.isin(self.codes, wanted) if wanted else np.zeros(len(self.codes), dtype=bool)


class ChunkTable:
    def __init__(self, chunks: dict[str, Chunk], vectors: np.ndarray):
        if len(vectors) != len(chunks):
            raise ValueError(f"{len(chunks)} chunks but {len(vectors)} vectors")
        self.chunks = chunks
        self.ids = list(chunks)
        self.row = {cid: i for i, cid in enumerate(self.ids)}
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        self.vectors = vectors.reshape(len(self.ids), vectors.shape[-1] if vectors.ndim == 2 else -1)
        rows = list(chunks.values())
        self.kind = Column([c.kind for c in rows])
        self.outcome = Column([str(c.meta.get("outcome") or "") for c in rows])
        self.authority = Column([str(c.meta.get("authority") or "") for c in rows])
        self.doc = Column([c.doc_id for c in rows])
        self.url = Column([c.url or "" for c in rows])
        self.owner = Column([str(c.meta.get("owner") or "") for c in rows])
        self.families: dict[str, np.ndarray] = {}
        for i, c in enumerate(rows):
            for f in {family(s) for s in c.sections}:
                self.families.setdefault(f, np.zeros(len(rows), dtype=bool))[i] = True

    def __len__(self) -> int:
        return len(self.ids)

    def mask(self, sel: Select) -> np.ndarray:
        """The rows the selection keeps: the same rule as Filters.accepts."""
        keep = np.ones(len(self), dtype=bool)
        if sel.families:
            any_family = np.zeros(len(self), dtype=bool)
            for f in dict.fromkeys(sel.families):
                if f in self.families:
                    any_family |= self.families[f]
            keep &= any_family
        if sel.kinds:
            keep &= self.kind.isin(sel.kinds)
        if sel.outcomes:
            keep &= self.outcome.isin(sel.outcomes)
        if sel.authority:
            keep &= self.authority.isin([sel.authority])
        if sel.exclude_doc_ids:
            keep &= ~self.doc.isin(sel.exclude_doc_ids)
        if sel.exclude_urls:
            keep &= ~self.url.isin([u for u in sel.exclude_urls if u])
        if sel.viewer is not None:
            keep &= self.owner.isin(["", sel.viewer])
        return keep

    def cosines(self, vector: np.ndarray) -> np.ndarray:
        """Every row's cosine to a unit vector (~7 ms at 100k rows, 0.7 ms at 10k)."""
        return self.vectors @ vector

    def nearest(self, vector: np.ndarray, n: int, keep: np.ndarray | None = None,
                cosines: np.ndarray | None = None) -> list[tuple[str, float]]:
        """(chunk id, cosine) of the n nearest kept rows, exactly, ties by id.
        `cosines`, if given, are this vector's cosines to every row (computed once
        per query when one request is searched several ways)."""
        if keep is None:
            rows = np.arange(len(self))
            scores = cosines if cosines is not None else self.cosines(vector)
        else:
            rows = np.flatnonzero(keep)
            if cosines is not None:
                scores = cosines[rows]
            else:                               # few rows: score only them
                scores = self.vectors[rows] @ vector
        if not len(rows):
            return []
        n = min(n, len(rows))
        top = np.argpartition(-scores, n - 1)[:n]
        top = sorted(top, key=lambda i: (-scores[i], self.ids[rows[i]]))
        return [(self.ids[rows[i]], float(scores[i])) for i in top]
