"""Matching a question, with the conversation so far, to the answer base.

An answer is scored by how close the question is to its phrasings, by
meaning (the same MiniLM embeddings retrieval uses, best phrasing wins) and
by words (TF-IDF over the phrasings and the answer), by a classifier
trained on the phrasings when the answer base is loaded (it learns which
words of a phrasing matter for its answer, where nearest-phrasing matching
weighs every word alike), with a nudge for a
provision the question names and for the Act it is about (Scotland, the
EIR). A follow-up ("and if they are late?", "what about the ICO?") is
scored on its own and together with the question before it, and answers
that follow on from the previous one are preferred. Below a floor, nothing
fits: the composer says so and offers passages instead."""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..reason.act import REGISTRY, family, provisions_named
from ..reason.items import marked_points
from ..reason.suggest import load_cues
from .base import Answer

W_DENSE, W_WORDS = 0.65, 0.35
W_LEARNED = 0.3               # the classifier's probability for the answer, added to the score
LEARNED_C, LEARNED_SEED, LEARNED_ITER = 50.0, 0, 300
SECTION_BONUS = 0.05          # the question names a provision the answer is about
MISNAMED = 0.25               # a phrasing about another exemption than the ones the question names
REGIME_BONUS = 0.06           # the question is about Scotland or the EIR, and so is the answer
FOLLOW_ON_BONUS = 0.06        # a follow-up: an answer related to, or on the topic of, the previous one
MATCH_FLOOR = 0.40            # below this, no answer fits with confidence (off-topic questions score under 0.31)
# a question that leans on the one before it: it opens like a follow-up, or it is short and
# points back ("is that right?", "does it apply to them?")
FOLLOW_UP = re.compile(r"^\s*(?:and|but|so|also|what about|how about|what if|if|then|or|ok(?:ay)?|and if|"
                       r"what happens|why|how come)\b", re.I)
POINTS_BACK = re.compile(r"\b(?:it|that|this|those|these|there|then|they|them|their)\b", re.I)
FOLLOW_UP_MAX_WORDS = 12
W_NEW = 0.6                   # a follow-up's own words against the question before it
ELLIPTICAL_MARGIN = 0.15      # a follow-up with few words of its own ("why?") is read with the one before
SECOND_WITHIN = 0.30          # a second answer this close to the best is given too (most questions have a second side)
ALSO_FLOOR = 0.45             # a second answer must fit this well on its own (a loosely related one misleads)
# a question in parts: "(a) ... (b) ...", numbered lines, or "... and separately ..."
SEPARATELY = re.compile(r"(?:[?.;]\s+|,\s*)(?:and\s+)?(?:separately|secondly|second question|also),?:?\s+", re.I)
MIN_PART_WORDS = 4
# a question that first sets the scene and then asks ("Request for CCTV van locations, we're using
# s31. What has to be in the refusal notice?"): what it asks is scored on its own too, and an answer
# that fits the asking well, blended with the whole, can win over one that fits only the scene
W_ASKED = 0.5
ASKED_MIN_WORDS = 5
SENTENCE = re.compile(r"(?<=[.?!])\s+")
CONFIDENT = 0.12              # a question that matches this far above the floor on its own is not a follow-up
# a follow-up that moves the conversation to another nation's law ("what about in England?"); a
# comparison ("like English ones can", "a tribunal like in England") does not
OTHER_NATION = re.compile(r"(?<!like )(?<!as )(?<!than )\b(?:in|for|about|to) (?:england|wales|northern ireland)\b|\bunder (?:the )?FOIA\b|"
                          r"\b(?:english|welsh|northern irish) (?:council|authority|force|trust|body)\b", re.I)
# the question is about environmental information: it names the EIR, or the officer's cues for it
# (cues.yaml eir: "planning application", not "the planning team")
ENVIRONMENTAL = re.compile(r"\bEIRs?\b|environmental|regulation 12|reg(?:ulation)? ?12|" + load_cues().eir.pattern, re.I)


def is_scottish(text: str) -> bool:
    """The question is about Scotland: it talks of Scotland, its law or a place only Scottish, or it
    names a Scottish authority (both in data/cues.yaml, foisa), and it is not about a UK-wide body (a
    Scot asking the DWP asks under FOIA)."""
    book = load_cues()
    mentions = book.foisa_mentions is not None and book.foisa_mentions.search(text)
    return bool(mentions or book.foisa.search(text)) and not book.uk_wide_only(text)


def scottish_conversation(question: str, previous: str = "") -> bool:
    """The question is about Scotland, or the question before it (previous) was and this one
    names no other nation or UK-wide body."""
    if is_scottish(question):
        return True
    return bool(previous) and not OTHER_NATION.search(question) and not load_cues().uk_wide_only(question) \
        and is_scottish(previous)


@dataclass
class Match:
    answer: Answer
    score: float
    phrasing: str            # the question phrasing that matched best
    follow_up: bool = False
    also: "Match | None" = None     # a second answer the question also needs
    scottish: bool = False          # the conversation is about a Scottish authority (FOISA's law and route)

    def to_json(self) -> dict:
        return {"id": self.answer.id, "title": self.answer.title, "topic": self.answer.topic,
                "score": round(self.score, 3), "follow_up": self.follow_up,
                "also": self.also.answer.id if self.also else None}


class Matcher:
    def __init__(self, answers: list[Answer], embedder, cache_dir: Path | None = None):
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.answers = answers
        self.embedder = embedder
        self.by_id = {a.id: a for a in answers}
        self.phrasings: list[str] = []
        self.owner: list[int] = []
        for i, a in enumerate(answers):
            for q in (*a.questions, a.title):
                self.phrasings.append(q)
                self.owner.append(i)
        self.owner_arr = np.array(self.owner)
        self.phrase_grounds = [_grounds(provisions_named(q, answers[o].regime in ("foisa", "eisr")))
                               for q, o in zip(self.phrasings, self.owner)]
        self.answer_grounds = [_grounds(a.sections) for a in answers]
        # the same by kind of law, for telling another exemption's phrasing apart (_misnamed): the
        # phrasings' distinct sets of grounds (about 70 among some 750 phrasings that name one), and
        # each phrasing's set (-1: it names none)
        distinct = sorted({g for g in self.phrase_grounds if g}, key=sorted)
        self.ground_domains = [_by_domain(g) for g in distinct]
        where = {g: i for i, g in enumerate(distinct)}
        self.phrase_ground_set = np.array([where.get(g, -1) for g in self.phrase_grounds], dtype=int)
        self.answer_domains = [_by_domain(g) for g in self.answer_grounds]
        # FOIA and EIR answers about procedure (time limits, reviews, the ICO), not an exemption: where
        # FOISA differs most, so a Scottish answer that fits less well is still the better answer
        self.uk_procedure = [a.regime in ("foia", "eir") and not g for a, g in zip(answers, self.answer_grounds)]
        self.vectors = self._vectors(cache_dir)
        self.learned = self._learned(cache_dir)
        self.words = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, strip_accents="unicode", min_df=1)
        docs = [f"{a.title}. {' '.join(a.questions)}. {a.answer}" for a in answers]
        if answers:
            self.words.fit(self.phrasings + docs)
            self.phrase_words = self.words.transform(self.phrasings)
            self.doc_words = self.words.transform(docs)

    def _vectors(self, cache_dir: Path | None) -> np.ndarray:
        """The phrasings' embeddings, cached by their text (they change only when the answer base does)."""
        key = hashlib.sha256("\n".join(self.phrasings).encode()).hexdigest()[:20]
        path = Path(cache_dir) / f"answers-{key}.npy" if cache_dir else None
        if path and path.is_file():
            try:
                v = np.load(path, allow_pickle=False)
                if v.shape == (len(self.phrasings), self.embedder.dim):
                    return v
            except (OSError, ValueError):
                pass
        v = self.embedder.encode(self.phrasings) if self.phrasings else np.zeros((0, self.embedder.dim), np.float32)
        if path:
            _replace_cached(path, lambda tmp: np.save(tmp, v, allow_pickle=False), "answers-*.npy")
        return v

    def _learned(self, cache_dir: Path | None) -> tuple[np.ndarray, np.ndarray] | None:
        """A multinomial logistic regression from a phrasing's embedding to its answer (weights and
        intercepts per answer), seeded, trained in a few seconds and cached as plain arrays beside the
        embeddings, keyed by the phrasings and the settings that trained it."""
        if len(self.answers) < 2:
            return None
        key = hashlib.sha256(("\n".join(self.phrasings) + f"|{LEARNED_C}|{LEARNED_SEED}|{LEARNED_ITER}").encode()
                             ).hexdigest()[:20]
        path = Path(cache_dir) / f"answers-learned-{key}.npz" if cache_dir else None
        if path and path.is_file():
            try:
                with np.load(path, allow_pickle=False) as z:
                    coef, intercept = z["coef"], z["intercept"]
                if coef.shape == (len(self.answers), self.embedder.dim):
                    return coef, intercept
            except (OSError, ValueError, KeyError):
                pass
        from sklearn.linear_model import LogisticRegression

        clf = LogisticRegression(C=LEARNED_C, max_iter=LEARNED_ITER, random_state=LEARNED_SEED)
        clf.fit(self.vectors.astype(np.float64), self.owner_arr)
        coef = np.zeros((len(self.answers), self.vectors.shape[1]), dtype=np.float32)
        intercept = np.full(len(self.answers), -1e4, dtype=np.float32)
        coef[clf.classes_] = clf.coef_
        intercept[clf.classes_] = clf.intercept_
        if path:
            _replace_cached(path, lambda tmp: np.savez(tmp, coef=coef, intercept=intercept), "answers-learned-*.npz")
        return coef, intercept

    def learned_probabilities(self, vector: np.ndarray) -> np.ndarray:
        if self.learned is None:
            return np.zeros(len(self.answers))
        logits = self.learned[0] @ vector + self.learned[1]
        e = np.exp(logits - logits.max())
        return e / e.sum()

    def scores(self, text: str, vector: np.ndarray, context: str = "",
               scottish: bool | None = None, named_in: str | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Per answer: the combined score, and the index of its best phrasing. context: the
        conversation before a follow-up, which says which law it is under when the follow-up does
        not ("can they do that?" after a question about a Scottish council); scottish: that
        reading, where the caller has already made it; named_in: the text whose named provisions
        count (the whole question, when text is only the part of it that asks)."""
        n = len(self.answers)
        dense = self.vectors @ vector
        q = self.words.transform([text])
        lex_phr = (self.phrase_words @ q.T).toarray().ravel()
        lex_doc = (self.doc_words @ q.T).toarray().ravel()
        per_phrase = W_DENSE * dense + W_WORDS * np.maximum(lex_phr, 0.0)
        if scottish is None:
            scottish = scottish_conversation(text, context)
        cited = provisions_named(text if named_in is None else named_in, scottish)
        grounds = _grounds(cited)
        named = {ground(c) for c in cited} | grounds
        own = _by_domain(_grounds(cited, counterparts=False))
        environmental = bool(ENVIRONMENTAL.search(f"{context} {text}"))
        if environmental and not scottish:    # "can we use s10(3)?" about wind farm noise is asking about regulation 7
            named |= {ground(t) for c in cited if (t := REGISTRY.eir_counterpart(c))}
        if own:   # "is there a PIT for section 14?" is not asked by "is there a PIT for section 44?"
            w = np.array([_misnamed(d, own, environmental) for d in self.ground_domains])
            idx = np.flatnonzero(self.phrase_ground_set >= 0)
            per_phrase[idx] -= MISNAMED * w[self.phrase_ground_set[idx]]
        best = np.full(n, -1.0)
        best_i = np.zeros(n, dtype=int)
        for i, s in enumerate(per_phrase):
            a = self.owner[i]
            if s > best[a]:
                best[a], best_i[a] = s, i
        best += 0.5 * W_WORDS * lex_doc + W_LEARNED * self.learned_probabilities(vector)
        for a_i, a in enumerate(self.answers):
            fams = {ground(s) for s in a.sections}
            if named and fams & named:
                best[a_i] += SECTION_BONUS
            elif own and (w := _misnamed(self.answer_domains[a_i], own, environmental)):
                best[a_i] -= w * MISNAMED / 2
            if a.regime in ("foisa", "eisr"):
                best[a_i] += REGIME_BONUS if scottish else -REGIME_BONUS
            elif scottish:                  # written for FOIA or the EIR: a Scottish answer, if one fits, is better
                best[a_i] -= 2 * REGIME_BONUS if self.uk_procedure[a_i] else REGIME_BONUS / 2
            elif a.regime == "eir" and environmental:
                best[a_i] += REGIME_BONUS / 2
        return best, best_i

    def match(self, question: str, embed, history: list[dict] | None = None, mode: str = "requester") -> Match | None:
        """The best answer for a question (None below the floor). embed: text -> vector."""
        if not self.answers:
            return None
        vector = embed(question)
        prev = _previous(history or [], self, embed, mode)
        # the law the conversation is under holds for a question that does not name another
        scottish = scottish_conversation(question, prev[0] if prev else "")
        scores, best_i = self.scores(question, vector, context=prev[0] if prev else "", scottish=scottish)
        short = len(question.split()) <= FOLLOW_UP_MAX_WORDS
        confident = scores.max() >= MATCH_FLOOR + CONFIDENT
        # a follow-up by its wording, or any question that does not match well alone when there is a conversation
        follow = bool(prev) and (bool(FOLLOW_UP.search(question)) or (short and bool(POINTS_BACK.search(question)))
                                 or not confident)
        if follow and confident and not FOLLOW_UP.search(question):
            follow = False
        if follow:
            joint_text = f"{prev[0]} {question}"
            joint, joint_i = self.scores(joint_text, embed(joint_text))
            # the new words lead, the conversation gives them context: a blend of the two, or
            # (a bare "why?") the joint reading less a margin
            blended = np.maximum(W_NEW * scores + (1 - W_NEW) * joint, joint - ELLIPTICAL_MARGIN)
            best_i = np.where(joint > scores, joint_i, best_i)
            scores = blended
            before = self.by_id.get(prev[1]) if prev[1] else None
            if before is not None:
                for a_i, a in enumerate(self.answers):
                    if a.id in before.related or before.id in a.related or (a.topic == before.topic and a.id != before.id):
                        scores[a_i] += FOLLOW_ON_BONUS
                    elif a.id == before.id:     # "what now?" may still be about the same thing
                        scores[a_i] += FOLLOW_ON_BONUS / 2
        for a_i, a in enumerate(self.answers):
            if a.audience != "both" and a.audience != mode:
                scores[a_i] -= 0.02
        order = np.argsort(-scores, kind="stable")
        top = int(order[0])
        if scores[top] < MATCH_FLOOR:
            return None
        best = Match(self.answers[top], float(scores[top]), self.phrasings[best_i[top]], follow_up=follow,
                     scottish=scottish)
        if len(order) > 1:
            nxt = int(order[1])
            if scores[nxt] >= max(ALSO_FLOOR, scores[top] - SECOND_WITHIN) and self.answers[nxt].id not in (
                    prev[1] if prev else None,):
                best.also = Match(self.answers[nxt], float(scores[nxt]), self.phrasings[best_i[nxt]])
        # a question in parts: the part the best answer does not cover gets its own answer beside it
        taken = {best.answer.id, prev[1] if prev else None}
        other = self._other_part(question, embed, prev, taken)
        if other is not None:
            best.also = other
        elif (asked := self._asked(question, embed, prev, scottish, scores, taken)) is not None \
                and (best.also is None or asked.score > best.also.score):
            best.also = asked
        return best

    def _asked(self, question: str, embed, prev, scottish: bool, scores: np.ndarray, taken: set) -> Match | None:
        """For a question that sets the scene and then asks ("Request for CCTV van locations, we're
        using s31. What has to be in the refusal notice?"), the answer to what it asks, where that is
        not the best answer to the whole: scored on the asking alone, blended with the whole."""
        asked = asked_part(question)
        if not asked:
            return None
        on_its_own, best_i = self.scores(asked, embed(asked), context=f"{prev[0] if prev else ''} {question}",
                                         scottish=scottish, named_in=question)
        blended = W_ASKED * on_its_own + (1 - W_ASKED) * scores
        top = int(np.argmax(blended))
        if self.answers[top].id in taken or blended[top] < ALSO_FLOOR:
            return None
        return Match(self.answers[top], float(blended[top]), self.phrasings[best_i[top]])

    def _other_part(self, question: str, embed, prev, taken: set) -> Match | None:
        """The best answer to a part of the question whose own best answer is not one of taken."""
        found: Match | None = None
        for part in question_parts(question):
            scores, best_i = self.scores(part, embed(part), context=prev[0] if prev else "")
            top = int(np.argmax(scores))
            if self.answers[top].id in taken or scores[top] < ALSO_FLOOR:
                continue
            if found is None or scores[top] > found.score:
                found = Match(self.answers[top], float(scores[top]), self.phrasings[best_i[top]])
        return found


EIR_EXCEPTION = re.compile(r"^((?:eisr:)?reg1[02]\([45]\)\([a-g]\))")


def ground(citation: str) -> str:
    """What a citation is about, for matching: its family ("s40(2)" -> "s40"), except that the EIR's
    exceptions, which all share regulation 12 (regulation 10 in Scotland), keep their own letter
    ("reg12(5)(b)", course of justice, is not "reg12(5)(e)", commercial confidentiality)."""
    m = EIR_EXCEPTION.match(citation)
    return m.group(1) if m else family(citation)


def _grounds(citations, counterparts: bool = True) -> frozenset[str]:
    """The exemptions and refusal grounds among citations, as families ("s40", "foisa:s38"), each
    FOIA one with its FOISA counterpart unless counterparts is False; not procedure."""
    out: set[str] = set()
    for c in citations:
        if REGISTRY.get(c) is not None and REGISTRY.get(c).is_exemption:
            out.add(ground(c))
            if counterparts and (t := REGISTRY.foisa_counterpart(c)) is not None:
                out.add(ground(t))
    return frozenset(out)


DOMAIN = {"foia": "acts", "foisa": "acts", "eir": "regulations", "eisr": "regulations"}


def _by_domain(grounds) -> dict[str, frozenset[str]]:
    """Grounds by kind of law: the Acts' exemptions (FOIA with FOISA) and the EIRs' exceptions."""
    out: dict[str, set[str]] = {}
    for f in grounds:
        out.setdefault(DOMAIN.get(REGISTRY.get(f).act if REGISTRY.get(f) else "", ""), set()).add(f)
    return {k: frozenset(v) for k, v in out.items()}


def _misnamed(mine: dict[str, frozenset[str]], named: dict[str, frozenset[str]], environmental: bool) -> float:
    """Whether a phrasing's (or an answer's) grounds, by domain (_by_domain), are other exemptions than
    the ones the question names: "section 41" for a question about section 42. named: the question's own provisions (not
    their FOISA counterparts, which merge some: s41 and s42 are both FOISA s36), by domain; grounds
    carry their counterparts, so "FOISA section 36" still reaches the section 41 answer. An EIR
    exception for a question that names a FOIA section counts half (the question may be about which
    regime applies: "they used s43 but it's about building works"), and not at all when the question
    is plainly about environmental information. 1.0, 0.5 or 0.0."""
    shared = [d for d in mine if d in named]
    if any(mine[d] & named[d] for d in shared):
        return 0.0
    if shared:
        return 1.0
    return 0.5 if mine and not environmental else 0.0


def question_parts(question: str) -> list[str]:
    """The parts of a question that asks two or more things, each with the words before the
    first part ("Request for (a) minutes ... and (b) whether ..." -> "Request for minutes ...",
    "Request for whether ..."); none for a question in one part."""
    lead, points = marked_points(question)
    if len(points) < 2:
        lead, points = "", [p for p in SEPARATELY.split(" ".join(question.split())) if p.strip()]
    parts = [f"{lead} {p}".strip() for p in points if len(p.split()) >= MIN_PART_WORDS]
    return parts if len(parts) >= 2 else []


def asked_part(question: str) -> str:
    """The sentences of a question that ask (those ending in "?"), where other sentences set the
    scene first; "" for a question that is all asking, asks nothing, or asks in a few words
    ("is that right?")."""
    sentences = [s for s in SENTENCE.split(" ".join(question.split())) if s]
    asking = [s for s in sentences if s.endswith("?")]
    if not asking or len(asking) == len(sentences) or sentences[0] in asking:
        return ""
    asked = " ".join(asking)
    return asked if len(asked.split()) >= ASKED_MIN_WORDS else ""


def _replace_cached(path: Path, write, earlier: str) -> None:
    """Write a cache file atomically (write(tmp) fills a temporary file beside it), then remove the
    files of earlier versions of the answer base (those matching the glob `earlier`)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp" + path.suffix)
    write(tmp)
    tmp.replace(path)
    for old in path.parent.glob(earlier):
        if old != path and ".tmp." not in old.name:
            old.unlink(missing_ok=True)


def _previous(history: list[dict], matcher: Matcher, embed, mode: str) -> tuple[str, str | None] | None:
    """The previous question and the answer it got: by id when the history says so,
    otherwise by matching that question on its own."""
    users = [m for m in history if m.get("role") == "user" and m.get("content")]
    if not users:
        return None
    question = str(users[-1]["content"])
    answer_id = next((m.get("answer_id") for m in reversed(history) if m.get("role") == "assistant"
                      and m.get("answer_id")), None)
    if answer_id is None:
        scores, _ = matcher.scores(question, embed(question))
        top = int(np.argmax(scores))
        answer_id = matcher.answers[top].id if scores[top] >= MATCH_FLOOR else None
    return question, answer_id
