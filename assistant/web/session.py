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
    return {"llm_backend": settings.llm_backend, "top_k": settings.top_k, "kinds": list(kinds),
            "all_kinds": list(kinds), "authority": None}


def filters_for(prefs: dict, viewer: str | None = None):
    """The kinds a person chose, as retrieval filters (none when all are chosen),
    seen as one visitor sees the library (the shared library and their own uploads)."""
    from ..retrieve import Filters

    kinds = tuple(prefs.get("kinds") or ())
    chosen = kinds if kinds and set(kinds) != set(prefs.get("all_kinds") or ()) else ()
    return Filters(kinds=chosen, viewer=viewer)


def backend_choices(settings) -> list[str]:
    """What a visitor may choose: no model, or the one the operator configured.
    The model, its server URL and its key are the operator's (environment or
    config file), never a visitor's: a key must not go to an address a visitor types."""
    return ["none"] + ([settings.llm_backend] if settings.llm_backend != "none" else [])


TOP_K_MAX = 20


class Engines:
    """The launched engine, plus one engine per distinct choice of settings,
    all sharing the launched engine's index. Nothing global changes when a
    person changes their settings, and a person can change only what is safe:
    whether the operator's model is used, and how many passages an answer gets."""

    FIELDS = ("llm_backend", "top_k")

    def __init__(self, engine):
        self.base = engine
        self._made: dict[tuple, object] = {(): engine}

    def changes(self, prefs: dict) -> dict:
        current = self.base.settings
        out = {}
        for name in self.FIELDS:
            value = prefs.get(name)
            if value in (None, ""):
                continue
            if name == "top_k":
                value = int(value)
                if not 1 <= value <= TOP_K_MAX:
                    raise ValueError(f"passages per answer must be between 1 and {TOP_K_MAX}")
            if name == "llm_backend" and value not in backend_choices(current):
                raise ValueError(f"the language model {value!r} is not one this server offers")
            if value == getattr(current, name):
                continue
            out[name] = value
        return out

    def get(self, prefs: dict | None):
        changes = self.changes(prefs or {})
        key = tuple(sorted(changes.items()))
        if key not in self._made:
            settings = type(self.base.settings)(**{**self.base.settings.model_dump(), **changes})
            made = type(self.base)(settings, index=self.base.index)
            if hasattr(type(self.base), "answers"):
                made._answers = self.base.answers      # one answer base for all
            self._made[key] = made
        return self._made[key]
