"""The answer base (corpus/answers/): reviewed answers to the questions
people ask, one topic a file, in this project's own words.

Each file is YAML front matter only:

    id, title, topic, audience (requester | officer | both), regime (foia | eir | foisa | eisr),
    sections: provisions the answer is about (normalised, checked against the registry),
    questions: the phrasings it answers (at least three; requester's and officer's words),
    answer: the direct answer, two to six sentences,
    officer_answer: (optional) the same answer in an officer's terms, where it differs,
    conditions: what changes the answer (exceptions, limits),
    next_steps: {requester: ..., officer: ...} (either or both),
    citations: [{doc: <id of a built-in corpus document>, quote: <words found in it>}],
    related: [ids of other answers] (optional)

This module loads and checks them; matching a question to them is
answers/match.py. No I/O beyond reading the files."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..reason.act import REGISTRY

AUDIENCES = ("requester", "officer", "both")
REGIMES = ("foia", "eir", "foisa", "eisr")
FIELDS = ("id", "title", "topic", "audience", "regime", "sections", "questions", "answer", "officer_answer",
          "conditions", "next_steps", "citations", "related")
MIN_QUESTIONS = 3
SENTENCES = (2, 6)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z(\"'])")


@dataclass(frozen=True)
class Citation:
    doc: str
    quote: str


@dataclass(frozen=True)
class Answer:
    id: str
    title: str
    topic: str
    audience: str
    regime: str
    sections: tuple[str, ...]
    questions: tuple[str, ...]
    answer: str
    officer_answer: str = ""
    conditions: tuple[str, ...] = ()
    next_steps: dict = field(default_factory=dict)
    citations: tuple[Citation, ...] = ()
    related: tuple[str, ...] = ()
    path: str = ""

    def text_for(self, mode: str) -> str:
        return self.officer_answer if mode == "officer" and self.officer_answer else self.answer

    def step_for(self, mode: str) -> str:
        return str(self.next_steps.get(mode) or self.next_steps.get("both") or "")


def sentences(text: str) -> list[str]:
    flat = " ".join(text.split())
    # "s.40" and "e.g." are not sentence ends
    return [s for s in _SENTENCE_END.split(flat) if s.strip()]


def _norm(text: str) -> str:
    return " ".join(str(text).replace("’", "'").replace("“", '"').replace("”", '"').split()).lower()


def corpus_texts(corpus_dir: Path) -> dict[str, str]:
    """doc id -> body text of every Markdown document of the built-in corpus (answers aside)."""
    out: dict[str, str] = {}
    for path in sorted(corpus_dir.rglob("*.md")):
        if path.name.lower() == "readme.md" or "answers" in path.relative_to(corpus_dir).parts:
            continue
        text = path.read_text(encoding="utf-8")
        if text.startswith("---"):
            _, front, body = text.split("---", 2)
            meta = yaml.safe_load(front) or {}
            out[str(meta.get("id") or path.stem)] = body
    return out


def load_file(path: Path) -> tuple[Answer | None, list[str]]:
    """An answer and what is wrong with it (the answer is None when it cannot be read)."""
    try:
        text = path.read_text(encoding="utf-8")
        if not text.startswith("---"):
            return None, [f"{path.name}: no front matter"]
        raw = yaml.safe_load(text.split("---", 2)[1]) or {}
    except (OSError, yaml.YAMLError, IndexError) as e:
        return None, [f"{path.name}: cannot be read ({e.__class__.__name__})"]
    if not isinstance(raw, dict):
        return None, [f"{path.name}: front matter is not a mapping"]
    errors = [f"{path.name}: unknown field {k!r}" for k in raw if k not in FIELDS]
    try:
        ans = Answer(
            id=str(raw.get("id") or ""), title=str(raw.get("title") or ""), topic=str(raw.get("topic") or ""),
            audience=str(raw.get("audience") or ""), regime=str(raw.get("regime") or "foia"),
            sections=tuple(str(s) for s in raw.get("sections") or ()),
            questions=tuple(" ".join(str(q).split()) for q in raw.get("questions") or ()),
            answer=" ".join(str(raw.get("answer") or "").split()),
            officer_answer=" ".join(str(raw.get("officer_answer") or "").split()),
            conditions=tuple(" ".join(str(c).split()) for c in raw.get("conditions") or ()),
            next_steps={str(k): " ".join(str(v).split()) for k, v in (raw.get("next_steps") or {}).items()},
            citations=tuple(Citation(str(c.get("doc") or ""), " ".join(str(c.get("quote") or "").split()))
                            for c in raw.get("citations") or () if isinstance(c, dict)),
            related=tuple(str(r) for r in raw.get("related") or ()), path=str(path))
    except (AttributeError, TypeError) as e:
        return None, errors + [f"{path.name}: a field has the wrong shape ({e})"]
    return ans, errors


def problems(ans: Answer, corpus: dict[str, str], path: Path) -> list[str]:
    where = path.name
    out = []
    if ans.id != path.stem:
        out.append(f"{where}: id {ans.id!r} differs from the file name")
    for name, value in (("title", ans.title), ("topic", ans.topic), ("answer", ans.answer)):
        if not value:
            out.append(f"{where}: no {name}")
    if ans.audience not in AUDIENCES:
        out.append(f"{where}: audience {ans.audience!r} is not one of {', '.join(AUDIENCES)}")
    if ans.regime not in REGIMES:
        out.append(f"{where}: regime {ans.regime!r} is not one of {', '.join(REGIMES)}")
    if len(ans.questions) < MIN_QUESTIONS:
        out.append(f"{where}: {len(ans.questions)} question(s); give at least {MIN_QUESTIONS} phrasings")
    for label, text in (("answer", ans.answer), ("officer_answer", ans.officer_answer)):
        if text:
            n = len(sentences(text))
            if not SENTENCES[0] <= n <= SENTENCES[1]:
                out.append(f"{where}: {label} has {n} sentences, not {SENTENCES[0]} to {SENTENCES[1]}")
    if not ans.next_steps:
        out.append(f"{where}: no next_steps")
    for s in ans.sections:
        if not REGISTRY.exists(s):
            out.append(f"{where}: provision {s!r} does not exist")
    if not ans.citations:
        out.append(f"{where}: no citations")
    for c in ans.citations:
        body = corpus.get(c.doc)
        if body is None:
            out.append(f"{where}: cites {c.doc!r}, which is not a document of the built-in corpus")
        elif len(c.quote) < 20:
            out.append(f"{where}: the quote from {c.doc} is too short to check")
        elif _norm(c.quote) not in _norm(_plain(body)):
            out.append(f"{where}: the quote is not in {c.doc}: {c.quote[:80]!r}")
    return out


def _plain(markdown: str) -> str:
    """Markdown as the words a reader sees (emphasis marks and heading marks off), for quote checks."""
    text = re.sub(r"^#{1,6}\s+", "", markdown, flags=re.M)
    return re.sub(r"\*\*|__|(?<!\w)[*_](?!\s)|(?<!\s)[*_](?!\w)", "", text)


def load(folder: Path, corpus_dir: Path | None = None) -> tuple[list[Answer], list[str]]:
    """Every answer in the folder and every problem found (quotes checked when corpus_dir is given)."""
    answers, errors = [], []
    corpus = corpus_texts(corpus_dir) if corpus_dir else None
    for path in sorted(folder.glob("*.md")):
        if path.name.lower() == "readme.md":
            continue
        ans, errs = load_file(path)
        errors.extend(errs)
        if ans is None:
            continue
        if corpus is not None:
            errors.extend(problems(ans, corpus, path))
        answers.append(ans)
    ids = [a.id for a in answers]
    errors.extend(f"id {i!r} is used twice" for i in sorted({i for i in ids if ids.count(i) > 1}))
    known = set(ids)
    for a in answers:
        errors.extend(f"{a.id}: related answer {r!r} does not exist" for r in a.related if r not in known)
    seen: dict[str, str] = {}
    for a in answers:
        for q in a.questions:
            key = _norm(q)
            if key in seen and seen[key] != a.id:
                errors.append(f"{a.id}: the question {q!r} is also in {seen[key]}")
            seen[key] = a.id
    return answers, errors
