"""Dense (Chroma) and sparse (BM25) candidates fused by reciprocal rank;
metadata filters on both sides; a query that names a provision boosts
chunks about it and pulls them in as candidates."""
from __future__ import annotations

import threading
from dataclasses import dataclass, field, replace

from ..config import Settings
from ..reason.act import family, parse_citations
from ..store.bm25 import tokenize
from ..store.index import Index
from ..store.table import Select
from ..types import Chunk, Hit


QUERY_CACHE = 256   # query embeddings kept (a draft searches one request several ways)


@dataclass(frozen=True)
class Filters:
    sections: tuple[str, ...] = ()      # families or exact provisions: any of them
    kinds: tuple[str, ...] = ()
    outcomes: tuple[str, ...] = ()
    authority: str | None = None
    exclude_doc_ids: frozenset[str] = field(default_factory=frozenset)
    exclude_urls: frozenset[str] = field(default_factory=frozenset)
    viewer: str | None = None   # a web session: only the shared library and this session's own uploads

    def select(self) -> Select:
        """The same filter in the in-memory table's terms."""
        return Select(families=tuple(dict.fromkeys(family(s) for s in self.sections)), kinds=self.kinds,
                      outcomes=self.outcomes, authority=self.authority,
                      exclude_doc_ids=self.exclude_doc_ids, exclude_urls=self.exclude_urls, viewer=self.viewer)

    def accepts(self, c: Chunk) -> bool:
        if self.sections:
            fams = {family(s) for s in c.sections}
            if not any(family(s) in fams for s in self.sections):
                return False
        if self.kinds and c.kind not in self.kinds:
            return False
        if self.outcomes and c.meta.get("outcome") not in self.outcomes:
            return False
        if self.authority and c.meta.get("authority") != self.authority:
            return False
        if c.doc_id in self.exclude_doc_ids:
            return False
        if self.exclude_urls and c.url and c.url in self.exclude_urls:
            return False
        if self.viewer is not None and (c.meta.get("owner") or "") not in ("", self.viewer):
            return False
        return True


def rrf(rankings: list[list[str]], k: int, weights: list[float] | None = None) -> dict[str, float]:
    """Reciprocal rank fusion: sum of weight / (k + rank) over the lists (rank from 1)."""
    scores: dict[str, float] = {}
    for i, ranking in enumerate(rankings):
        w = weights[i] if weights else 1.0
        for rank, cid in enumerate(ranking, 1):
            scores[cid] = scores.get(cid, 0.0) + w / (k + rank)
    return scores


class Retriever:
    def __init__(self, index: Index, settings: Settings):
        self.index = index
        self.settings = settings
        self._vectors: dict[str, object] = {}
        self._tokens: dict[str, tuple[frozenset, frozenset]] = {}   # for lookup(); chunks of known documents only
        self._last_cosines: tuple = (None, None, None)   # (query, table, cosines to every row)
        self._last_keep: tuple = (None, None, None)      # (filters, table, rows kept)
        self._lock = threading.Lock()                    # the API answers requests from several threads

    def query_vector(self, query: str):
        """The query's embedding; one request is searched several ways, so it is kept."""
        vec = self._vectors.get(query)
        if vec is None:
            vec = self.index.embedder.encode_query(query)
            with self._lock:
                if len(self._vectors) >= QUERY_CACHE:
                    self._vectors.pop(next(iter(self._vectors)), None)
                self._vectors[query] = vec
        return vec

    def dense(self, query: str, n: int, filters: Filters = Filters()) -> list[tuple[Chunk, float]]:
        """The n nearest chunks the filter keeps: exact, in memory (store/table.py),
        up to exact_max_rows rows to search; past that, Chroma's HNSW (approximate),
        over-fetched and filtered here."""
        vec = self.query_vector(query)
        table = self.index.table
        keep = self._keep(filters, table)
        rows = len(table) if keep is None else int(keep.sum())
        if rows <= self.settings.exact_max_rows:
            few = keep is not None and rows * 4 <= len(table)   # cheaper to score just those rows
            return self._resolved(table.nearest(vec, n, keep, None if few else self._cosines(query, table)))
        fetch = n if keep is None else min(len(table), self.settings.postfilter_max_fetch, n * len(table) // rows * 2)
        hits = [(cid, s) for cid, s in self.index.store.query(vec, fetch)
                if keep is None or (cid in table.row and keep[table.row[cid]])]
        if len(hits) >= n or keep is None:
            return self._resolved(hits[:n])
        return self._resolved(table.nearest(vec, n, keep, self._cosines(query, table)))

    def _cosines(self, query: str, table):
        """The query's cosines to every row, kept for the last query (a draft
        searches one request several ways)."""
        last_query, last_table, cosines = self._last_cosines
        if last_query != query or last_table is not table:
            cosines = table.cosines(self.query_vector(query))
            self._last_cosines = (query, table, cosines)
        return cosines

    def _keep(self, filters: Filters, table):
        """The table rows the filter keeps (None: no filter), kept for the last
        filter: the dense and BM25 sides of one search use the same mask."""
        if filters == Filters():
            return None
        last_filters, last_table, keep = self._last_keep
        if last_filters != filters or last_table is not table:
            keep = table.mask(filters.select())
            self._last_keep = (filters, table, keep)
        return keep

    def _resolved(self, hits: list[tuple[str, float]]) -> list[tuple[Chunk, float]]:
        chunks = self.index.resolve([cid for cid, _ in hits])
        return [(chunks[cid], s) for cid, s in hits if cid in chunks]

    def sparse(self, query: str, n: int, filters: Filters = Filters()) -> list[tuple[Chunk, float]]:
        table = self.index.table
        return [(table.chunks[cid], score)
                for cid, score in self.index.bm25.search(query, n, self._keep(filters, table))]

    def _per_doc(self, ranked: list[tuple[Chunk, float]]) -> list[str]:
        """A ranking with at most max_chunks_per_doc chunks of any one document, so
        one long document cannot crowd the fused list (and near-duplicate
        sections of many documents do not outvote the one document that matches)."""
        seen: dict[str, int] = {}
        out = []
        for c, _ in ranked:
            if seen.get(c.doc_id, 0) < self.settings.max_chunks_per_doc:
                seen[c.doc_id] = seen.get(c.doc_id, 0) + 1
                out.append(c.chunk_id)
        return out

    def search(self, query: str, k: int | None = None, filters: Filters = Filters(),
               mode: str = "hybrid") -> list[Hit]:
        """mode: hybrid (ours), dense or bm25 (the baselines)."""
        k = k or self.settings.top_k
        if not query.strip() or not self.index.chunks:   # the in-memory table: no store round trip
            return []
        n = max(self.settings.candidates, k)
        dense = self.dense(query, n, filters) if mode in ("hybrid", "dense") else []
        sparse = self.sparse(query, n, filters) if mode in ("hybrid", "bm25") else []
        if mode == "dense":
            return [Hit(c, s, dense=s, dense_rank=i) for i, (c, s) in enumerate(dense[:k], 1)]
        if mode == "bm25":
            return [Hit(c, s, bm25_rank=i) for i, (c, s) in enumerate(sparse[:k], 1)]

        by_id: dict[str, Chunk] = {c.chunk_id: c for c, _ in dense + sparse}
        cos = {c.chunk_id: s for c, s in dense}
        rankings = [self._per_doc(dense), self._per_doc(sparse)]

        named = parse_citations(query)
        if named:  # pull in the documents about the named provisions, then boost them
            fams = tuple(dict.fromkeys(family(s) for s in named))
            focus = replace(filters, sections=fams)
            extra = self.dense(query, max(k, 10), focus)
            for c, s in extra:
                by_id.setdefault(c.chunk_id, c)
                cos.setdefault(c.chunk_id, s)
            rankings.append(self._per_doc(extra))
        weights = [self.settings.dense_weight, self.settings.bm25_weight] + [1.0] * (len(rankings) - 2)
        scores = rrf(rankings, self.settings.rrf_k, weights)
        if named:
            exact = set(named)
            fams = {family(s) for s in named}
            unit = 1.0 / (self.settings.rrf_k + 1)
            for cid in scores:
                secs = set(by_id[cid].sections)
                if secs & exact:
                    scores[cid] += self.settings.section_boost * unit
                elif {family(s) for s in secs} & fams:
                    scores[cid] += 0.5 * self.settings.section_boost * unit
        dense_rank = {cid: i for i, cid in enumerate(rankings[0], 1)}
        bm25_rank = {cid: i for i, cid in enumerate(rankings[1], 1)}
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:k]
        return [Hit(by_id[cid], s, dense=cos.get(cid), dense_rank=dense_rank.get(cid),
                    bm25_rank=bm25_rank.get(cid)) for cid, s in ranked]

    def _chunk_tokens(self, c: Chunk) -> tuple[frozenset, frozenset]:
        got = self._tokens.get(c.chunk_id)
        if got is None:
            got = self._tokens[c.chunk_id] = (frozenset(tokenize(c.heading)), frozenset(tokenize(c.text)))
        return got

    def lookup(self, doc_id: str, topic: str = "") -> Hit | None:
        """The chunk of a known document that best matches a topic (by words in
        its heading and text): how answers cite the law for a provision they
        already know, without a semantic search."""
        chunks = self.index.by_doc(doc_id)
        if not chunks:
            return None
        words = {w for w in tokenize(topic)}
        if not words:
            return Hit(chunks[0], 1.0)

        def score(c: Chunk) -> float:
            head, body = self._chunk_tokens(c)
            return 3 * len(words & head) + len(words & body) / (1 + len(body) ** 0.5 / 10)

        best = max(chunks, key=score)
        return Hit(best, score(best))

    def is_weak(self, hits: list[Hit]) -> bool:
        best = max((h.dense for h in hits if h.dense is not None), default=0.0)
        return best < self.settings.weak_score
