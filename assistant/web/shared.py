"""What the three tabs share: the engine (and per-settings engines over its
index), the browser's own token, and the components one tab updates in
another. Also who a visitor is, and where their files go.

A visitor is known by a random token kept in their browser (gr.BrowserState),
made by the server on first load. Their uploads are filed under a hash of it:
they see the shared library and their own uploads, never another visitor's.
Files written for a visitor go under a hash of the id too, inside the data
directory, whatever the client sends."""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from pathlib import Path

ANONYMOUS = "-"          # a client without a token: it sees the shared library only and cannot upload
OWNER_CHARS = 20


def new_token() -> str:
    return secrets.token_urlsafe(24)


def owner_of(token: str | None) -> str:
    """The id uploads are filed under: a hash of the browser's token (ANONYMOUS without one)."""
    if not token or not isinstance(token, str):
        return ANONYMOUS
    return hashlib.sha256(token.encode()).hexdigest()[:OWNER_CHARS]


def private_dir(root: Path, key: str | None) -> Path:
    """A folder for one session inside root, named by a hash of its id: a client-supplied
    id ("../../x", "/etc") can never point outside root."""
    digest = hashlib.sha256((key or "shared").encode("utf-8", "surrogatepass")).hexdigest()[:32]
    d = root / digest
    d.mkdir(parents=True, exist_ok=True)
    return d


@dataclass
class Shared:
    engine: object
    engines: object                  # session.Engines
    feedback: object                 # exports.FeedbackLog
    downloads: Path                  # <data_dir>/downloads
    components: dict = field(default_factory=dict)   # name -> gradio component, for cross-tab outputs

    def __getitem__(self, name: str):
        return self.components[name]

    def add(self, **components) -> None:
        self.components.update(components)
