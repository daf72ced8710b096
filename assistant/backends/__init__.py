"""LLM backends, all optional. The default is none: the grounded composer answers."""
from __future__ import annotations

from .base import Backend, make_backend  # noqa: F401
