"""One server, one engine: the web page (Gradio, mounted at /) on a FastAPI
app, served by uvicorn.

The app closes what it does not need: Gradio's file route would fetch any
public URL a client names (/gradio_api/file=http://...), so requests for a
remote file are answered 403 here, before Gradio sees them."""
from __future__ import annotations

import logging
import re
from urllib.parse import unquote

log = logging.getLogger(__name__)

# /gradio_api/file=<a URL>: anything with a scheme ("http:", "ftp:") or a network path ("//host")
REMOTE_FILE = re.compile(r"^/(?:gradio_api/)?file=\s*(?:[a-z][a-z0-9+.\-]*:|//|\\\\)", re.I)
REMOTE_FILE_MESSAGE = b'{"detail":"This server does not fetch remote files."}'


class NoRemoteFiles:
    """ASGI middleware: 403 for a request that asks the server to fetch a remote URL."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            path = scope.get("path") or ""
            raw = (scope.get("raw_path") or b"").decode("latin-1")
            if "file=" in path or "file=" in raw:
                if REMOTE_FILE.match(path) or REMOTE_FILE.match(unquote(unquote(raw.split("?", 1)[0]))):
                    await send({"type": "http.response.start", "status": 403,
                                "headers": [(b"content-type", b"application/json"),
                                            (b"content-length", str(len(REMOTE_FILE_MESSAGE)).encode())]})
                    await send({"type": "http.response.body", "body": REMOTE_FILE_MESSAGE})
                    return
        await self.app(scope, receive, send)


def create_app(engine):
    """The FastAPI app: the web page at /."""
    import gradio as gr
    from fastapi import FastAPI

    from .app import build_app
    from .theme import launch_options

    settings = engine.settings
    app = FastAPI(title="FOI Assistant", docs_url=None, redoc_url=None, openapi_url=None)
    app.add_middleware(NoRemoteFiles)
    demo = build_app(engine)
    demo.queue(default_concurrency_limit=2)
    downloads = settings.data_dir / "downloads"
    downloads.mkdir(parents=True, exist_ok=True)
    options = launch_options()
    return gr.mount_gradio_app(app, demo, path="", server_name=settings.host, server_port=settings.port,
                               allowed_paths=[str(downloads.resolve())], theme=options["theme"],
                               css=options["css"], footer_links=options["footer_links"],
                               run_history=options["run_history"], show_error=options["show_error"])


def serve(engine) -> None:
    import uvicorn

    settings = engine.settings
    app = create_app(engine)
    log.info("serving on http://%s:%s/", settings.host, settings.port)
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="warning")
