"""What one browser session holds, as plain data: the two conversations
(requester and officer) and the person's settings. The engine is not here:
Engines hands out shared engines, one per distinct choice of settings."""
from __future__ import annotations

from .routing import OFFICER, REQUESTER


def new_conversation() -> dict:
    """display: the chat as shown; history: role/content pairs for engine.ask;
    turns: chat index -> question and answer, for feedback; result: the last
    explain or draft result (to_json)."""
    return {"display": [], "history": [], "turns": {}, "citations": [], "weak": False, "result": None}


def new_session() -> dict:
    return {REQUESTER: new_conversation(), OFFICER: new_conversation(), "attached": None}


def default_prefs(settings, kinds: list[str]) -> dict:
    return {"llm_backend": settings.llm_backend, "llm_model": settings.llm_model,
            "llm_model_path": settings.llm_model_path, "llm_base_url": settings.llm_base_url,
            "top_k": settings.top_k, "kinds": list(kinds), "all_kinds": list(kinds), "authority": None}


def filters_for(prefs: dict):
    """The kinds a person chose, as retrieval filters (none when all are chosen)."""
    from ..retrieve import Filters

    kinds = tuple(prefs.get("kinds") or ())
    return Filters(kinds=kinds) if kinds and set(kinds) != set(prefs.get("all_kinds") or ()) else Filters()


class Engines:
    """The launched engine, plus one engine per distinct choice of settings,
    all sharing the launched engine's index. Nothing global changes when a
    person changes their settings."""

    FIELDS = ("llm_backend", "llm_model", "llm_model_path", "llm_base_url", "top_k")

    def __init__(self, engine):
        self.base = engine
        self._made: dict[tuple, object] = {(): engine}

    def changes(self, prefs: dict) -> dict:
        current = self.base.settings
        out = {}
        for name in self.FIELDS:
            value = prefs.get(name)
            if name == "top_k" and value not in (None, ""):
                value = int(value)
            if value in (None, "") or value == getattr(current, name):
                continue
            out[name] = value
        return out

    def get(self, prefs: dict | None):
        changes = self.changes(prefs or {})
        key = tuple(sorted(changes.items()))
        if key not in self._made:
            settings = type(self.base.settings)(**{**self.base.settings.model_dump(), **changes})
            self._made[key] = type(self.base)(settings, index=self.base.index)
        return self._made[key]
