"""Where the suggestion models live: trained from the index's shared
precedents when the index is built (or on first use), kept on disk beside
the other index artefacts, and loaded only from there: a model file is
named by the precedents it was trained on, and one trained on other data
(or by another version of this code) is never used."""
from __future__ import annotations

import hashlib
import logging
import pickle
import threading
import time
from pathlib import Path

import numpy as np

from ..reason.act import REGISTRY, family
from .examples import MODEL_REGIMES, examples_from_index
from .model import SuggestModel, fit

log = logging.getLogger(__name__)
TRAIN_MAX_EXAMPLES = 10_000  # past this, a seeded sample of whole cases trains the model (minutes, not hours)
MODEL_FORMAT = 7            # bump when the model's features or fields change


def document_family(doc_id: str) -> str | None:
    """The family a corpus document is about: "s31" -> s31, "s22a" -> s22A, the EIR's -> reg12."""
    if doc_id in ("eir", "eir-exceptions"):
        return "reg12"
    key = doc_id.replace("s22a", "s22A")
    prov = REGISTRY.get(key) if key[:1] == "s" else None
    return prov.key if prov and prov.kind in ("exemption", "refusal") and family(key) == key else None


def document_vectors(index) -> tuple[np.ndarray, list[str]]:
    """The built-in exemption documents' chunk vectors and their families."""
    table = index.table
    rows, fams = [], []
    for c in index.chunks.values():
        if c.kind == "legislation" and c.meta.get("origin") == "builtin":
            f = document_family(c.doc_id)
            if f:
                rows.append(table.row[c.chunk_id])
                fams.append(f)
    return (table.vectors[rows] if rows else np.zeros((0, table.vectors.shape[1] if len(table) else 384),
                                                        dtype=np.float32)), fams


def sample_cases(examples, vectors, n: int, seed: int = 0):
    """About n examples, whole case groups at a time, chosen by a seeded shuffle."""
    from dataclasses import replace

    groups = sorted({e.group for e in examples})
    order = np.random.default_rng(seed).permutation(len(groups))
    keep_groups, count = set(), 0
    sizes = {}
    for e in examples:
        sizes[e.group] = sizes.get(e.group, 0) + 1
    for i in order:
        if count >= n:
            break
        keep_groups.add(groups[i])
        count += sizes[groups[i]]
    rows = [i for i, e in enumerate(examples) if e.group in keep_groups]
    return [replace(examples[i], row=k) for k, i in enumerate(rows)], vectors[rows]


def training_key(index, regime: str) -> str:
    """What a model depends on: the shared precedents of its regimes (ids and texts) and the
    exemption documents, hashed."""
    h = hashlib.sha256(f"{MODEL_FORMAT}|{regime}".encode())
    regimes = MODEL_REGIMES[regime]
    for doc_id, c in sorted(index.precedents().items()):
        if (c.meta.get("regime") or "foia") in regimes and not (c.meta.get("owner") or ""):
            h.update(f"{c.chunk_id}\n".encode())
    for c in sorted(index.chunks.values(), key=lambda c: c.chunk_id):
        if c.kind == "legislation" and c.meta.get("origin") == "builtin" and document_family(c.doc_id):
            h.update(f"{c.chunk_id}\n".encode())
    return h.hexdigest()[:24]


class Models:
    """The models of one index, one per regime (UK: FOIA + EIR; Scotland: FOISA + EISR)."""

    def __init__(self, index, data_dir: Path):
        self.index = index
        self.dir = Path(data_dir)
        self._models: dict[str, tuple[str, SuggestModel | None]] = {}
        self._lock = threading.Lock()           # one training at a time, whichever thread asks first

    def key(self, regime: str) -> str:
        """The training key of a regime's model, once per index generation (hashing every
        precedent costs ~300 ms at 100k chunks; a draft asks every time)."""
        return self.index.derived(f"training_key:{regime}", lambda: training_key(self.index, regime))

    def path(self, regime: str, key: str) -> Path:
        return self.dir / f"model-{regime}-{key}.pkl"

    def get(self, regime: str = "foia", *, train: bool = True) -> SuggestModel | None:
        """The current model for a regime: from memory, then our own cache file, then trained."""
        regime = "foisa" if regime in ("foisa", "eisr") else "foia"
        key = self.key(regime)
        have = self._models.get(regime)
        if have and have[0] == key:
            return have[1]
        with self._lock:
            have = self._models.get(regime)
            if have and have[0] == key:
                return have[1]
            model = self._load(regime, key)
            if model is None and train:
                model = self.train(regime, key)
            if model is not None or train:
                self._models[regime] = (key, model)
            return model

    def train(self, regime: str, key: str | None = None) -> SuggestModel | None:
        key = key or self.key(regime)
        examples, vectors = examples_from_index(self.index, regime)
        if len(examples) > TRAIN_MAX_EXAMPLES:
            examples, vectors = sample_cases(examples, vectors, TRAIN_MAX_EXAMPLES)
        docs, doc_fams = document_vectors(self.index)
        started = time.perf_counter()
        try:
            model = fit(examples, vectors, docs, doc_fams, regime=regime)
        except ValueError as e:          # too few precedents: the hand-weighted suggester answers instead
            log.info("no %s suggestion model: %s", regime, e)
            return None
        model.report["train_seconds"] = round(time.perf_counter() - started, 2)
        self._save(regime, key, model)
        log.info("trained the %s suggestion model on %d precedents in %.1f s", regime, len(examples),
                 model.report["train_seconds"])
        return model

    def _save(self, regime: str, key: str, model: SuggestModel) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        for old in self.dir.glob(f"model-{regime}-*.pkl"):
            old.unlink(missing_ok=True)
        tmp = self.path(regime, key).with_suffix(".tmp")
        with tmp.open("wb") as f:
            pickle.dump({"format": MODEL_FORMAT, "key": key, "model": model}, f, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(self.path(regime, key))

    def _load(self, regime: str, key: str) -> SuggestModel | None:
        path = self.path(regime, key)
        if not path.is_file():
            return None
        try:
            with path.open("rb") as f:
                data = pickle.load(f)       # our own file, named by the data it was trained on
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
            return None
        if not isinstance(data, dict) or data.get("format") != MODEL_FORMAT or data.get("key") != key:
            return None
        return data.get("model")
