"""What the suggestion model sees of a request, as one sparse row:

- its words (TF-IDF over word unigrams and bigrams, fitted on the library's requests);
- its embedding (the same MiniLM vector retrieval uses: no second model);
- what its nearest precedents did: similarity-weighted votes for each family,
  for NCND and for each outcome, overall and among authorities of the same type,
  and how close the nearest is (never counting the request's own case);
- which exemption documents of the corpus it resembles (best cosine per family);
- the wording cues of assistant/data/cues.yaml (each cue, and their family weights);
- the authority type;
- the kind of record (an authority's own response, a decision notice, a tribunal decision, a summary):
  a decision notice records a contested case and often every exemption the authority tried, so the
  model learns what differs, and a new request is always read as an authority's response.

Pure: arrays in, arrays out. The index supplies vectors; nothing here reads files."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from ..reason.suggest import load_cues
from .examples import OUTCOMES, Example

AUTHORITY_TYPES = ("police", "local_gov", "central_gov", "health", "education", "other")
NEIGHBOURS = 20          # precedents whose votes are features
SHARPNESS = 2.0          # a neighbour's weight is its cosine to this power
PRIOR_MASS = 0.3         # added to the votes' total: distant neighbours count for less
TFIDF_MAX_FEATURES = 30_000
BLOCK_WEIGHTS = {"words": 1.0, "embedding": 1.0, "votes": 2.0, "documents": 1.0, "cues": 1.0, "authority": 0.5,
                 "kind": 1.0}
# the kinds of record; a disclosure log's entry, a WhatDoTheyKnow reply and a known response are one
# kind (what an authority answered), and a new request is read as that kind
KINDS = ("response", "decision_notice", "tribunal", "other")
RESPONSE = "response"


def kind_of(source_kind: str) -> str:
    return source_kind if source_kind in KINDS else RESPONSE


@dataclass
class Featurizer:
    families: list[str]                       # the families votes and documents are counted for
    vectorizer: object                        # sklearn TfidfVectorizer, fitted
    library: np.ndarray                       # the precedents' vectors (rows as examples)
    library_families: list[set[str]]
    library_ncnd: np.ndarray
    library_outcome: np.ndarray               # index into OUTCOMES
    library_type: np.ndarray                  # index into AUTHORITY_TYPES (-1 unknown)
    library_group: np.ndarray
    doc_vectors: np.ndarray                   # exemption documents' chunk vectors
    doc_family: np.ndarray                    # index into families, one per doc vector
    cue_names: list[str] = field(default_factory=list)

    @classmethod
    def fit(cls, examples: list[Example], vectors: np.ndarray, families: list[str],
            doc_vectors: np.ndarray, doc_families: list[str], seed: int = 0) -> "Featurizer":
        from sklearn.feature_extraction.text import TfidfVectorizer

        vec = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, max_features=TFIDF_MAX_FEATURES,
                              strip_accents="unicode", dtype=np.float32)
        vec.fit([e.request for e in examples])
        fam_index = {f: i for i, f in enumerate(families)}
        keep = [i for i, f in enumerate(doc_families) if f in fam_index]
        return cls(families=list(families), vectorizer=vec, library=np.ascontiguousarray(vectors, dtype=np.float32),
                   library_families=[e.families for e in examples],
                   library_ncnd=np.array([e.ncnd for e in examples], dtype=np.float32),
                   library_outcome=np.array([OUTCOMES.index(e.outcome) for e in examples], dtype=np.int32),
                   library_type=np.array([AUTHORITY_TYPES.index(e.authority_type) if e.authority_type in AUTHORITY_TYPES
                                          else -1 for e in examples], dtype=np.int32),
                   library_group=np.array([e.group for e in examples], dtype=np.int64),
                   doc_vectors=np.ascontiguousarray(doc_vectors[keep], dtype=np.float32) if keep else
                   np.zeros((0, vectors.shape[1]), dtype=np.float32),
                   doc_family=np.array([fam_index[doc_families[i]] for i in keep], dtype=np.int32),
                   cue_names=[c.name for c in load_cues().cues])

    # --- the blocks ------------------------------------------------------------------
    def neighbours(self, vector: np.ndarray, excluded: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(rows, cosines) of the nearest precedents, the excluded rows left out."""
        cos = self.library @ vector
        if excluded is not None and excluded.any():
            cos = np.where(excluded, -2.0, cos)
        k = min(NEIGHBOURS, int((cos > -2.0).sum()))
        if k <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        top = np.argpartition(-cos, k - 1)[:k]
        top = top[np.argsort(-cos[top], kind="stable")]
        return top, cos[top]

    def votes(self, rows: np.ndarray, cos: np.ndarray, authority_type: str) -> np.ndarray:
        """Per family the weighted share of neighbours citing it (all, then the same authority type),
        then NCND, each outcome, and the best cosine."""
        nf = len(self.families)
        out = np.zeros(2 * nf + 2 + len(OUTCOMES) + 1, dtype=np.float32)
        if not len(rows):
            return out
        w = np.maximum(cos, 0.0) ** SHARPNESS
        t = AUTHORITY_TYPES.index(authority_type) if authority_type in AUTHORITY_TYPES else -2
        same = (self.library_type[rows] == t).astype(np.float32)
        total, total_same = w.sum() + PRIOR_MASS, (w * same).sum() + PRIOR_MASS
        fam_index = {f: i for i, f in enumerate(self.families)}
        for r, wi, si in zip(rows, w, same):
            for f in self.library_families[r]:
                i = fam_index.get(f)
                if i is not None:
                    out[i] += wi / total
                    out[nf + i] += wi * si / total_same
        out[2 * nf] = float((w * self.library_ncnd[rows]).sum() / total)
        out[2 * nf + 1] = float((w * same * self.library_ncnd[rows]).sum() / total_same)
        for o in range(len(OUTCOMES)):
            out[2 * nf + 2 + o] = float((w * (self.library_outcome[rows] == o)).sum() / total)
        out[-1] = float(cos[0])
        return out

    def documents(self, vector: np.ndarray) -> np.ndarray:
        out = np.zeros(len(self.families), dtype=np.float32)
        if len(self.doc_vectors):
            np.maximum.at(out, self.doc_family, np.maximum(self.doc_vectors @ vector, 0.0))
        return out

    def cues(self, text: str) -> np.ndarray:
        book = load_cues()
        fam_index = {f: i for i, f in enumerate(self.families)}
        hits = np.zeros(len(book.cues), dtype=np.float32)
        fam = np.zeros(len(self.families) + 1, dtype=np.float32)       # + the NCND weight
        for i, cue in enumerate(book.cues):
            if cue.pattern.search(text):
                hits[i] = 1.0
                for f, w in cue.families.items():
                    if f in fam_index:
                        j = fam_index[f]
                        fam[j] = 1 - (1 - fam[j]) * (1 - w)
                fam[-1] = 1 - (1 - fam[-1]) * (1 - cue.ncnd)
        return np.concatenate([hits, fam])

    def ncnd_signals(self, dense: np.ndarray) -> np.ndarray:
        """From dense rows: the neighbours' NCND share (all, same authority type), the cues'
        NCND weight, and whether the authority is a police body (for the NCND classifier)."""
        nf, d = len(self.families), self.library.shape[1]
        votes = d                                    # the votes block starts after the embedding
        cues_end = d + (2 * nf + 2 + len(OUTCOMES) + 1) + nf + len(self.cue_names) + nf + 1
        police = cues_end + AUTHORITY_TYPES.index("police")
        dense = np.atleast_2d(dense)
        return np.column_stack([dense[:, votes + 2 * nf], dense[:, votes + 2 * nf + 1], dense[:, cues_end - 1],
                                dense[:, police]])

    def authority(self, authority_type: str) -> np.ndarray:
        out = np.zeros(len(AUTHORITY_TYPES), dtype=np.float32)
        if authority_type in AUTHORITY_TYPES:
            out[AUTHORITY_TYPES.index(authority_type)] = 1.0
        return out

    # --- rows ------------------------------------------------------------------------
    def dense(self, text: str, vector: np.ndarray, authority_type: str, excluded: np.ndarray | None = None,
              source_kind: str = RESPONSE) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The dense part of a row, and the neighbours it was computed from. source_kind: the kind of
        record the row is (a new request: an authority's response)."""
        rows, cos = self.neighbours(vector, excluded)
        parts = [BLOCK_WEIGHTS["embedding"] * vector, BLOCK_WEIGHTS["votes"] * self.votes(rows, cos, authority_type),
                 BLOCK_WEIGHTS["documents"] * self.documents(vector), BLOCK_WEIGHTS["cues"] * self.cues(text),
                 BLOCK_WEIGHTS["authority"] * self.authority(authority_type),
                 BLOCK_WEIGHTS["kind"] * (np.array(KINDS) == kind_of(source_kind)).astype(np.float32)]
        return np.concatenate(parts).astype(np.float32), rows, cos

    def rows(self, texts: list[str], vectors: np.ndarray, authority_types: list[str],
             excluded: list[np.ndarray | None]) -> sparse.csr_matrix:
        words = self.vectorizer.transform(texts) * BLOCK_WEIGHTS["words"]
        dense = np.stack([self.dense(t, v, a, x)[0] for t, v, a, x in zip(texts, vectors, authority_types, excluded)])
        return sparse.hstack([words, sparse.csr_matrix(dense)], format="csr", dtype=np.float32)
