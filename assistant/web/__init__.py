"""The web interface: build_app(engine) returns the gr.Blocks page; main()
builds the Settings and the Engine, checks the index and launches it.

    python app.py --host 127.0.0.1 --port 7860 --data-dir data
"""
from __future__ import annotations


def build_app(engine):
    from .app import build_app as _build_app

    return _build_app(engine)


def main(argv: list[str] | None = None) -> None:
    from .app import main as _main

    _main(argv)


__all__ = ["build_app", "main"]
