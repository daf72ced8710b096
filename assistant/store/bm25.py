"""BM25 over the same chunks as the dense store, with section citations as
tokens of their own so "s31(3)" matches exactly. Built once per index
generation and cached on disk."""
from __future__ import annotations

import json
import pickle
import re
from pathlib import Path

import numpy as np

from ..reason.act import family, parse_citations

_WORD = re.compile(r"[a-z0-9]+")
CACHE_FORMAT = 2   # bump when the cached table's fields change: an older cache is rebuilt
STOPWORDS = frozenset("""a an and are as at be been but by can could did do does for from had has have
he her his i if in into is it its me my no not of on or our she so than that the their them then
there these they this to was we were what when where which who whom why will with would you your""".split())


def tokenize(text: str) -> list[str]:
    tokens = [w for w in _WORD.findall(text.lower()) if w not in STOPWORDS and len(w) > 1]
    for c in parse_citations(text):
        tokens.append(c.lower())
        tokens.append(family(c).lower())
    return tokens


class BM25Index:
    def __init__(self, ids: list[str], texts: list[str]):
        import bm25s

        self.ids = ids
        self._retriever = bm25s.BM25()
        self._retriever.index([tokenize(t) for t in texts] or [["empty"]], show_progress=False)

    def search(self, query: str, k: int, keep: np.ndarray | None = None) -> list[tuple[str, float]]:
        """The k best-scoring chunks (ties by id), only rows where keep is true if given
        (keep is aligned with self.ids: the in-memory table's rows)."""
        token_ids = self._retriever.get_tokens_ids(tokenize(query))
        if not token_ids or not self.ids:
            return []
        scores = self._scores(token_ids)[:len(self.ids)]
        if keep is not None:
            scores = np.where(keep, scores, 0.0)
        k = min(k, int(np.count_nonzero(scores > 0)))
        if k <= 0:
            return []
        top = np.argpartition(-scores, k - 1)[:k]
        top = sorted(top, key=lambda i: (-scores[i], self.ids[i]))
        return [(self.ids[i], float(scores[i])) for i in top]

    def _scores(self, token_ids: list[int]) -> np.ndarray:
        """Every chunk's BM25 score for the query: the sum of the query tokens'
        precomputed postings (bm25s keeps them as a CSC matrix: data, indices,
        indptr). One np.bincount over all the postings: at 100k chunks under
        1 ms, where bm25s's own np.add.at per token takes ~7 ms."""
        index = self._retriever.scores
        indptr = index["indptr"]
        rows = np.concatenate([np.arange(indptr[t], indptr[t + 1]) for t in token_ids])
        return np.bincount(index["indices"][rows], weights=index["data"][rows], minlength=index["num_docs"])

    def save_with(self, path: Path, generation: str, table) -> None:
        """Cache this index and the chunk table (store/table.py) for one index generation."""
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        with tmp.open("wb") as f:
            pickle.dump({"generation": generation, "format": CACHE_FORMAT, "index": self, "table": table}, f,
                        protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)

    @staticmethod
    def load(path: Path, generation: str) -> "tuple[BM25Index, object] | None":
        try:
            with path.open("rb") as f:
                data = pickle.load(f)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            return None
        if data.get("generation") != generation or data.get("format") != CACHE_FORMAT or "table" not in data:
            return None
        return data["index"], data["table"]
