"""The one engine every interface talks to: ingest, search, explain, draft, ask.

Flow: ingest -> store -> retrieve -> reason -> compose. The CLI, the web
app and the evals each build one Engine and call these methods."""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Callable

from .config import Settings
from .ingest.pipeline import IngestReport, ingest
from .retrieve import Filters, Retriever
from .store.index import Index
from .types import Hit

ANSWERS_LOCK = threading.Lock()


class Engine:
    def __init__(self, settings: Settings | None = None, index: Index | None = None):
        self.settings = settings or Settings.load()
        self.index = index or Index(self.settings)
        self.retriever = Retriever(self.index, self.settings)
        self._composer = None
        self._backend = None
        self._answers = None

    # --- ingest ------------------------------------------------------------
    def ingest(self, paths: list[Path], *, prune: bool = False,
               progress: Callable[[int, int, str], None] | None = None, show_bar: bool | None = False,
               owner: str = "", upload: bool = False) -> IngestReport:
        """owner: the web session an upload belongs to ("" for the shared library). upload:
        the files came through the web page or the API, so personal data is redacted unless
        the operator turned that off (redact_uploads); files the operator ingests are redacted
        when redact_corpus is set."""
        paths = [Path(p) for p in paths]
        redact = self.settings.redact_uploads if upload else self.settings.redact_corpus
        report = ingest(paths, self.index.store, self.index.embedder, self.settings,
                        prune_under=[p for p in paths if p.is_dir()] if prune else None,
                        progress=progress, show_bar=show_bar, owner=owner, redact=redact)
        if report.changed:
            self.index.refresh()
        return report

    def build_index(self, show_bar: bool | None = None) -> IngestReport:
        """The built-in corpus: add what is new or changed, drop what is gone; then the
        suggestion models are brought up to date with the precedents (trained if they changed)."""
        report = self.ingest([self.settings.corpus_dir], prune=True, show_bar=show_bar)
        if self.settings.learned_suggestions:
            for regime in ("foia", "foisa"):
                self.models.get(regime)
        return report

    @property
    def models(self):
        """The learned suggestion models of this index (learn/cache.py), shared by engines over it."""
        return self.index.models

    # --- retrieve ----------------------------------------------------------
    def search(self, query: str, k: int | None = None, filters: Filters = Filters(), mode: str = "hybrid") -> list[Hit]:
        return self.retriever.search(query, k=k, filters=filters, mode=mode)

    # --- reason + compose ----------------------------------------------------
    @property
    def composer(self):
        if self._composer is None:
            from .compose.answer import Composer

            self._composer = Composer(self.settings)
        return self._composer

    @property
    def backend(self):
        if self._backend is None:
            from .backends import make_backend

            self._backend = make_backend(self.settings)
        return self._backend

    def explain(self, letter: str, *, filters: Filters = Filters(), redact: bool | None = None):
        """redact (default: settings.redact_letters): the letter's names, addresses, emails and
        phone numbers are replaced before it is read, so none of them reaches the explanation."""
        from .reason.explain import analyse_letter

        if redact if redact is not None else self.settings.redact_letters:
            from .ingest.redact import redact as redact_text

            letter = redact_text(letter).text
        findings = analyse_letter(letter)
        return self.composer.explanation(findings, self.retriever, filters, backend=self.backend)

    def suggest(self, request: str, *, authority: str | None = None, filters: Filters = Filters(),
                authority_type: str | None = None, models=None):
        """models: the learned models to use (default: this index's; the evals pass ones
        fitted without the case being scored)."""
        from .reason.suggest import suggest

        if not request or not request.strip():
            raise ValueError("the request is empty")
        if models is None and self.settings.learned_suggestions:
            models = self.models
        return suggest(request, self.retriever, self.settings, authority=authority, filters=filters, models=models,
                       authority_type=authority_type)

    def draft(self, request: str, *, authority: str | None = None, filters: Filters = Filters(),
              authority_type: str | None = None, models=None):
        suggestion = self.suggest(request, authority=authority, filters=filters, authority_type=authority_type,
                                  models=models)
        return self.composer.draft(suggestion, self.retriever, filters, backend=self.backend, authority=authority)

    @property
    def answers(self):
        """The answer base (corpus/answers) and its matcher, built once (its embeddings cached)."""
        if self._answers is None:
            with ANSWERS_LOCK:
                if self._answers is None:
                    from .answers.base import load
                    from .answers.match import Matcher

                    found, _ = load(self.settings.corpus_dir / "answers")
                    self._answers = Matcher(found, self.index.embedder, cache_dir=self.settings.data_dir)
        return self._answers

    def ask(self, question: str, *, mode: str = "requester", history: list[dict] | None = None,
            filters: Filters = Filters()):
        if not question or not question.strip():
            raise ValueError("the question is empty")
        return self.composer.answer(question, mode, history or [], self.retriever, filters, backend=self.backend,
                                    answers=self.answers)

    def check_draft(self, text: str, *, ncnd: bool | None = None):
        from .reason.checks import check_response

        return check_response(text, ncnd=ncnd)
