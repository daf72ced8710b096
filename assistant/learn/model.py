"""The suggestion model: fit(examples) -> SuggestModel, and
SuggestModel.predict(request) -> Ranked (calibrated probabilities for every
family, NCND and each outcome, with the neighbours behind them).

- Families: one logistic regression per family (multi-label), over the
  features of features.py.
- NCND: its own logistic regression.
- Outcome: one multinomial logistic regression over the coarse outcomes.
Records that are not an authority's own response (decision notices, tribunal decisions, summaries)
weigh OTHER_KIND_WEIGHT in training: they are contested cases, which list every exemption tried, and
a suggestion answers a request as an authority would.
Each is calibrated on out-of-fold scores (folds grouped by case, so no
example is scored by a model that saw its own case) with a Platt sigmoid,
and the thresholds that choose families and call NCND are the ones that
do best on those out-of-fold probabilities. Deterministic: fixed folds,
random_state everywhere. The out-of-fold figures are kept as the model's
own k-fold report."""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from .examples import OUTCOMES, Example
from .features import RESPONSE, Featurizer, kind_of

SEED = 0
FOLDS = 5
MIN_SUPPORT = 3              # a family needs this many examples to get a classifier
TYPE_THRESHOLD_MIN = 30      # an authority type with this many NCND answers in the library gets its own NCND cut-off
C_FAMILY, C_NCND, C_OUTCOME = 4.0, 2.0, 2.0
C_STACK = 1.0
OTHER_KIND_WEIGHT = 0.25     # a decision notice's weight in training against an authority's own response
# families whose NCND provisions most answers rely on: their probabilities feed the NCND call
NCND_PRONE = ("s23", "s24", "s30", "s31", "s40", "s38", "s27", "s26", "s42", "s43")
MAX_ITER = 400
DEFAULT_THRESHOLD = 0.35     # for a family too rare to choose a threshold for
TOP = 5                      # the ranking shown


@dataclass
class Ranked:
    families: list[tuple[str, float]]           # every family, most probable first
    chosen: list[str]                           # those above their thresholds (best first)
    ncnd: float
    ncnd_call: bool
    outcomes: list[tuple[str, float]]           # most probable first
    neighbours: list[tuple[int, float]]         # (example row, cosine)


@dataclass
class SuggestModel:
    featurizer: Featurizer
    families: list[str]
    family_models: dict                          # family -> (coef, intercept, platt a, platt b)
    thresholds: dict[str, float]
    ncnd_model: tuple
    ncnd_threshold: float
    outcome_model: tuple                         # (coef (k x d), intercept (k,), classes)
    examples: list[Example]
    report: dict = field(default_factory=dict)   # the k-fold figures on the library itself
    regime: str = "foia"
    ncnd_stack: tuple = (np.zeros(1), 0.0)       # second-level NCND weights and intercept
    ncnd_prone: tuple = ()
    ncnd_type_thresholds: dict = field(default_factory=dict)   # authority type -> its own NCND cut-off

    def _score(self, X, model) -> np.ndarray:
        coef, intercept, a, b = model
        raw = X @ coef + intercept
        return 1.0 / (1.0 + np.exp(-(a * raw + b)))

    def predict(self, text: str, vector: np.ndarray, authority_type: str = "",
                exclude_rows: np.ndarray | None = None) -> Ranked:
        from scipy import sparse

        words = self.featurizer.vectorizer.transform([text])
        dense, rows, cos = self.featurizer.dense(text, vector, authority_type, exclude_rows)
        X = sparse.hstack([words, sparse.csr_matrix(dense[None, :])], format="csr")
        probs = {f: float(self._score(X, self.family_models[f])[0]) for f in self.families}
        ranked = sorted(probs.items(), key=lambda kv: (-kv[1], kv[0]))
        chosen = [f for f, p in ranked if p >= self.thresholds.get(f, DEFAULT_THRESHOLD)]
        ncnd = self.ncnd_probability(X, dense, probs)
        coef, intercept, classes = self.outcome_model
        logits = np.asarray(X @ coef.T).ravel() + intercept
        e = np.exp(logits - logits.max())
        p = e / e.sum()
        outcomes = sorted(zip(classes, (float(x) for x in p)), key=lambda kv: -kv[1])
        cut = self.ncnd_type_thresholds.get(authority_type, self.ncnd_threshold)
        return Ranked(families=ranked, chosen=chosen, ncnd=ncnd, ncnd_call=ncnd >= cut,
                      outcomes=outcomes, neighbours=[(int(r), float(c)) for r, c in zip(rows, cos)])

    def ncnd_probability(self, X, dense: np.ndarray, probs: dict[str, float]) -> float:
        """The NCND classifier: its own logistic regression over the request, stacked with
        the neighbours' NCND votes, the cues' NCND weight, the authority type and the
        probabilities of the families NCND answers rest on (calibrated as one)."""
        coef, intercept, _, _ = self.ncnd_model
        direct = float((X @ coef)[0] + intercept)
        row = _stack_row(direct, self.featurizer.ncnd_signals(dense)[0],
                         [probs.get(f, 0.0) for f in self.ncnd_prone])
        w, b = self.ncnd_stack
        return float(1.0 / (1.0 + np.exp(-(row @ w + b))))

    def rows_of(self, doc_ids: frozenset[str]) -> np.ndarray | None:
        """A mask of the library rows to leave out (a case being scored, and its twins)."""
        if not doc_ids:
            return None
        mask = np.array([e.doc_id in doc_ids for e in self.examples], dtype=bool)
        return mask if mask.any() else None


# --- fitting -----------------------------------------------------------------------------
def _logistic(X, y, C: float, weights=None):
    """liblinear for a yes/no label (about 4x faster here than lbfgs, the same figures);
    lbfgs for the outcome's several classes."""
    from sklearn.linear_model import LogisticRegression

    classes = sorted(set(np.asarray(y).tolist()))
    if len(classes) < 2:
        return _Constant(classes[0] if classes else 0, X.shape[1])
    clf = LogisticRegression(C=C, max_iter=MAX_ITER, random_state=SEED,
                             solver="liblinear" if len(classes) == 2 else "lbfgs")
    clf.fit(X, y, sample_weight=weights)
    return clf


class _Constant:
    """A label every training example shares (possible in a small library's fold): the same answer always."""

    def __init__(self, label, n_features: int):
        self.classes_ = np.array([label])
        self.coef_ = np.zeros((1, n_features), dtype=np.float32)
        self.intercept_ = np.array([10.0 if label else -10.0])

    def decision_function(self, X):
        return np.full(X.shape[0], self.intercept_[0])

    def predict_proba(self, X):
        return np.ones((X.shape[0], 1))


def _platt(scores: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """A sigmoid fitted to out-of-fold scores: calibrated probabilities."""
    from sklearn.linear_model import LogisticRegression

    if len(set(y.tolist())) < 2:
        return 1.0, 0.0
    lr = LogisticRegression(C=1e4, max_iter=MAX_ITER, random_state=SEED)
    lr.fit(scores.reshape(-1, 1), y)
    return float(lr.coef_[0, 0]), float(lr.intercept_[0])


def _best_threshold(p: np.ndarray, y: np.ndarray, grid=np.arange(0.1, 0.91, 0.025)) -> tuple[float, float]:
    """The probability cut-off with the best F1 on out-of-fold probabilities."""
    best, best_f1 = DEFAULT_THRESHOLD, -1.0
    for t in grid:
        pred = p >= t
        tp = float((pred & (y == 1)).sum())
        f1 = 2 * tp / (pred.sum() + (y == 1).sum()) if (pred.sum() + (y == 1).sum()) else 0.0
        if f1 > best_f1 + 1e-9:
            best, best_f1 = float(t), f1
    return best, best_f1


def _stack_row(direct: float, signals: np.ndarray, prone: list[float]) -> np.ndarray:
    return np.concatenate([[direct], signals, prone]).astype(np.float64)


def _global_threshold(P: np.ndarray, Y: np.ndarray, grid=np.arange(0.1, 0.61, 0.025)) -> float:
    best, best_f1 = DEFAULT_THRESHOLD, -1.0
    has = Y.sum(axis=1) > 0
    for t in grid:
        chosen = P >= t
        empty = ~chosen.any(axis=1) & has
        chosen[empty, P[empty].argmax(axis=1)] = True
        tp = float((chosen & (Y == 1)).sum())
        f1 = 2 * tp / (chosen.sum() + Y.sum()) if (chosen.sum() + Y.sum()) else 0.0
        if f1 > best_f1 + 1e-9:
            best, best_f1 = float(t), f1
    return best


def _mcc_threshold(p: np.ndarray, y: np.ndarray, grid=np.arange(0.1, 0.91, 0.025)) -> float:
    """The cut-off with the best Matthews correlation on out-of-fold probabilities: for a rare
    call like NCND it weighs a missed NCND and a needless one more evenly than accuracy (which
    "never" nearly maximises) or F1 (which ignores the true negatives)."""
    best, best_m = 0.5, -2.0
    pos = y == 1
    for t in grid:
        c = p >= t
        tp, tn = float((c & pos).sum()), float((~c & ~pos).sum())
        fp, fn = float((c & ~pos).sum()), float((~c & pos).sum())
        den = math.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn))
        m = (tp * tn - fp * fn) / den if den else 0.0
        if m > best_m + 1e-9:
            best, best_m = float(t), m
    return best


def _accuracy_threshold(p: np.ndarray, y: np.ndarray, grid=np.arange(0.1, 0.91, 0.025)) -> float:
    """The cut-off with the best accuracy on out-of-fold probabilities (ties: the lower)."""
    best, best_acc = 0.5, -1.0
    for t in grid:
        acc = float(((p >= t) == (y == 1)).mean())
        if acc > best_acc + 1e-9:
            best, best_acc = float(t), acc
    return best


def folds(groups: np.ndarray, k: int = FOLDS) -> list[np.ndarray]:
    """Fold number per example: whole case groups to a fold, deterministically."""
    uniq = np.unique(groups)
    rng = np.random.default_rng(SEED)
    order = rng.permutation(uniq)
    fold_of = {g: i % k for i, g in enumerate(order)}
    return np.array([fold_of[g] for g in groups])


def fit(examples: list[Example], vectors: np.ndarray, doc_vectors: np.ndarray, doc_families: list[str],
        regime: str = "foia", k: int = FOLDS) -> SuggestModel:
    """Train on the library's precedents (each one's own case left out of its neighbours)."""
    from scipy import sparse

    if len(examples) < 20:
        raise ValueError(f"{len(examples)} precedents: too few to learn from")
    counts: dict[str, int] = {}
    for e in examples:
        for f in e.families:
            counts[f] = counts.get(f, 0) + 1
    families = sorted(f for f, n in counts.items() if n >= MIN_SUPPORT)
    feat = Featurizer.fit(examples, vectors, families, doc_vectors, doc_families, seed=SEED)
    groups = feat.library_group
    words = feat.vectorizer.transform([e.request for e in examples])
    dense = np.stack([feat.dense(e.request, vectors[i], e.authority_type, groups == e.group, e.source_kind)[0]
                      for i, e in enumerate(examples)])
    X = sparse.hstack([words, sparse.csr_matrix(dense)], format="csr", dtype=np.float32)
    Y = np.array([[f in e.families for f in families] for e in examples], dtype=np.int32)
    y_ncnd = np.array([e.ncnd for e in examples], dtype=np.int32)
    y_out = np.array([OUTCOMES.index(e.outcome) for e in examples])
    fold = folds(groups, k)
    response = np.array([kind_of(e.source_kind) == RESPONSE for e in examples])
    W = np.where(response, 1.0, OTHER_KIND_WEIGHT)

    oof = np.zeros(Y.shape, dtype=np.float64)
    oof_ncnd = np.zeros(len(examples))
    oof_out = np.zeros((len(examples), len(OUTCOMES)))
    for i in range(k):
        tr, te = fold != i, fold == i
        if not te.any():
            continue
        for j, f in enumerate(families):
            if Y[tr, j].sum() == 0:
                oof[te, j] = -10.0
                continue
            oof[te, j] = _logistic(X[tr], Y[tr, j], C_FAMILY, W[tr]).decision_function(X[te])
        if y_ncnd[tr].sum():
            oof_ncnd[te] = _logistic(X[tr], y_ncnd[tr], C_NCND, W[tr]).decision_function(X[te])
        clf = _logistic(X[tr], y_out[tr], C_OUTCOME, W[tr])
        proba = clf.predict_proba(X[te])
        oof_out[np.ix_(te, clf.classes_)] = proba

    family_models, oof_p = {}, np.zeros(Y.shape)
    for j, f in enumerate(families):
        a, b = _platt(oof[:, j], Y[:, j])
        oof_p[:, j] = 1.0 / (1.0 + np.exp(-(a * oof[:, j] + b)))
        clf = _logistic(X, Y[:, j], C_FAMILY, W)
        family_models[f] = (clf.coef_[0].astype(np.float32), float(clf.intercept_[0]), a, b)
    # one cut-off for every family, the one with the best micro-F1 out of fold: with calibrated
    # probabilities a single line keeps the choice coherent (a family is never chosen while a
    # more probable one is not); per-family cut-offs were no better out of fold
    cut = _global_threshold(oof_p, Y)
    thresholds = {f: cut for f in families}
    prone = tuple(f for f in NCND_PRONE if f in families)
    S = np.stack([_stack_row(d, sig, [oof_p[i, families.index(f)] for f in prone])
                  for i, (d, sig) in enumerate(zip(oof_ncnd, feat.ncnd_signals(dense)))])
    oof_ncnd_p = np.zeros(len(examples))
    for i in range(k):                     # the stacked classifier's own out-of-fold figures
        tr, te = fold != i, fold == i
        if te.any() and len(set(y_ncnd[tr].tolist())) > 1:
            lr = _logistic(S[tr], y_ncnd[tr], C_STACK)
            oof_ncnd_p[te] = lr.predict_proba(S[te])[:, 1]
    ncnd_threshold = _accuracy_threshold(oof_ncnd_p, y_ncnd)
    # NCND is far commoner in some kinds of authority (police, security): where the library has
    # enough such answers, their own cut-off, chosen the same way on their own out-of-fold cases
    types = np.array([e.authority_type for e in examples])
    type_thresholds = {t: _accuracy_threshold(oof_ncnd_p[types == t], y_ncnd[types == t])
                       for t in sorted(set(types.tolist())) if t and y_ncnd[types == t].sum() >= TYPE_THRESHOLD_MIN}
    stack = _logistic(S, y_ncnd, C_STACK)
    clf = _logistic(X, y_ncnd, C_NCND, W)
    ncnd_model = (clf.coef_[0].astype(np.float32), float(clf.intercept_[0]), 1.0, 0.0)
    clf = _logistic(X, y_out, C_OUTCOME, W)
    outcome_model = (clf.coef_.astype(np.float32), clf.intercept_.astype(np.float32),
                     [OUTCOMES[c] for c in clf.classes_])

    model = SuggestModel(featurizer=feat, families=families, family_models=family_models, thresholds=thresholds,
                         ncnd_model=ncnd_model, ncnd_threshold=ncnd_threshold, outcome_model=outcome_model,
                         examples=examples, regime=regime,
                         ncnd_stack=(stack.coef_[0].astype(np.float64), float(stack.intercept_[0])), ncnd_prone=prone,
                         ncnd_type_thresholds=type_thresholds)
    cuts = np.array([type_thresholds.get(t, ncnd_threshold) for t in types])
    model.report = kfold_report(families, Y, oof_p, thresholds, y_ncnd, oof_ncnd_p, cuts, y_out, oof_out, k)
    model.report["responses"] = kfold_report(families, Y[response], oof_p[response], thresholds, y_ncnd[response],
                                             oof_ncnd_p[response], cuts[response], y_out[response], oof_out[response], k)
    model.report["ncnd_thresholds"] = {"default": ncnd_threshold, **type_thresholds}
    return model


def kfold_report(families, Y, P, thresholds, y_ncnd, p_ncnd, t_ncnd, y_out, p_out, k) -> dict:
    """The library's own k-fold figures (folds grouped by case), from out-of-fold probabilities."""
    chosen = P >= np.array([thresholds[f] for f in families])
    empty = ~chosen.any(axis=1) & (Y.sum(axis=1) > 0)
    chosen[empty, P[empty].argmax(axis=1)] = True           # as predict does: the best one at least
    tp = int((chosen & (Y == 1)).sum())
    fp = int((chosen & (Y == 0)).sum())
    fn = int((~chosen & (Y == 1)).sum())
    f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    has = Y.sum(axis=1) > 0
    top = np.argsort(-P, axis=1)[:, :TOP]
    recall5 = float(np.mean([Y[i, top[i]].sum() / Y[i].sum() for i in np.flatnonzero(has)])) if has.any() else 0.0
    call = p_ncnd >= t_ncnd
    ncnd_tp = int((call & (y_ncnd == 1)).sum())
    brier = float(np.mean((P - Y) ** 2))
    return {"folds": k, "examples": int(len(Y)), "families": len(families),
            "family_f1": round(f1, 4), "ranked_recall_at_5": round(recall5, 4),
            "ncnd_accuracy": round(float((call == (y_ncnd == 1)).mean()), 4),
            "ncnd_precision": round(ncnd_tp / call.sum(), 4) if call.sum() else 0.0,
            "ncnd_recall": round(ncnd_tp / y_ncnd.sum(), 4) if y_ncnd.sum() else 0.0,
            "outcome_accuracy": round(float((p_out.argmax(axis=1) == y_out).mean()), 4),
            "family_brier": round(brier, 4), "calibration": calibration(P[has].ravel(), Y[has].ravel())}


def calibration(p: np.ndarray, y: np.ndarray, bins: int = 5) -> list[dict]:
    """Reliability by probability band: the mean predicted probability against the share that were right."""
    out = []
    edges = np.linspace(0, 1, bins + 1)
    for lo, hi in zip(edges[:-1], edges[1:]):
        m = (p >= lo) & (p < hi if hi < 1 else p <= hi)
        if m.sum():
            out.append({"band": f"{lo:.1f}-{hi:.1f}", "n": int(m.sum()), "predicted": round(float(p[m].mean()), 3),
                        "observed": round(float(y[m].mean()), 3)})
    return out


def logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))
