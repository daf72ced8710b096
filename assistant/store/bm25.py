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

    def search(self, query: str, k: int) -> list[tuple[str, float]]:
        tokens = tokenize(query)
        if not tokens or not self.ids:
            return []
        k = min(k, len(self.ids))
        docs, scores = self._retriever.retrieve([tokens], k=k, show_progress=False)
        return [(self.ids[int(d)], float(s)) for d, s in zip(docs[0], scores[0]) if s > 0]

    def save_with(self, path: Path, generation: str, table) -> None:
        """Cache this index and the chunk table (store/table.py) for one index generation."""
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        with tmp.open("wb") as f:
            pickle.dump({"generation": generation, "index": self, "table": table}, f,
                        protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)

    @staticmethod
    def load(path: Path, generation: str) -> "tuple[BM25Index, object] | None":
        try:
            with path.open("rb") as f:
                data = pickle.load(f)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            return None
        if data.get("generation") != generation or "table" not in data:
            return None
        return data["index"], data["table"]
