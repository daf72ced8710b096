"""The one engine every interface talks to: ingest, search, explain, draft, ask.

Flow: ingest -> store -> retrieve -> reason -> compose. The CLI, the web
app and the evals each build one Engine and call these methods."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from .config import Settings
from .ingest.pipeline import IngestReport, ingest
from .retrieve import Filters, Retriever
from .store.index import Index
from .types import Hit


class Engine:
    def __init__(self, settings: Settings | None = None, index: Index | None = None):
        self.settings = settings or Settings.load()
        self.index = index or Index(self.settings)
        self.retriever = Retriever(self.index, self.settings)
        self._composer = None
        self._backend = None

    # --- ingest ------------------------------------------------------------
    def ingest(self, paths: list[Path], *, prune: bool = False,
               progress: Callable[[int, int, str], None] | None = None, show_bar: bool | None = False,
               owner: str = "") -> IngestReport:
        """owner: the web session an upload belongs to ("" for the shared library)."""
        paths = [Path(p) for p in paths]
        report = ingest(paths, self.index.store, self.index.embedder, self.settings,
                        prune_under=[p for p in paths if p.is_dir()] if prune else None,
                        progress=progress, show_bar=show_bar, owner=owner)
        if report.changed:
            self.index.refresh()
        return report

    def build_index(self, show_bar: bool | None = None) -> IngestReport:
        """The built-in corpus: add what is new or changed, drop what is gone."""
        return self.ingest([self.settings.corpus_dir], prune=True, show_bar=show_bar)

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

    def explain(self, letter: str, *, filters: Filters = Filters()):
        from .reason.explain import analyse_letter

        findings = analyse_letter(letter)
        return self.composer.explanation(findings, self.retriever, filters, backend=self.backend)

    def draft(self, request: str, *, authority: str | None = None, filters: Filters = Filters()):
        from .reason.suggest import suggest

        if not request or not request.strip():
            raise ValueError("the request is empty")
        suggestion = suggest(request, self.retriever, self.settings, authority=authority, filters=filters)
        return self.composer.draft(suggestion, self.retriever, filters, backend=self.backend, authority=authority)

    def ask(self, question: str, *, mode: str = "requester", history: list[dict] | None = None,
            filters: Filters = Filters()):
        return self.composer.answer(question, mode, history or [], self.retriever, filters, backend=self.backend)

    def check_draft(self, text: str, *, ncnd: bool | None = None):
        from .reason.checks import check_response

        return check_response(text, ncnd=ncnd)
