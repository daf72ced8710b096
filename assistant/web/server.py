"""One server, one engine: the REST API (/api, docs at /docs), the MCP tools
(/mcp) and the web page (Gradio, at /), on one FastAPI app served by uvicorn.

The app closes what it does not need: Gradio's file route would fetch any
public URL a client names (/gradio_api/file=http://...), so requests for a
remote file are answered 403 here, before Gradio sees them. When
FOI_API_TOKEN is set, /api (but /api/health) and /mcp need
"Authorization: Bearer <token>"; set it whenever the port can be reached
from anything but your own machine."""
from __future__ import annotations

import hmac
import json
import logging
import re
from contextlib import asynccontextmanager
from urllib.parse import unquote

log = logging.getLogger(__name__)

# /gradio_api/file=<a URL>: anything with a scheme ("http:", "ftp:") or a network path ("//host")
REMOTE_FILE = re.compile(r"^/(?:gradio_api/)?file=\s*(?:[a-z][a-z0-9+.\-]*:|//|\\\\)", re.I)
GUARDED = re.compile(r"^/(?:api|mcp)(?:/|$)")
OPEN = {"/api/health"}


def _json(status: int, detail: str) -> tuple[dict, list, bytes]:
    body = json.dumps({"detail": detail}).encode()
    return ({"type": "http.response.start", "status": status,
             "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]},
            [], body)


async def _send(send, status: int, detail: str, extra_headers: list | None = None) -> None:
    start, _, body = _json(status, detail)
    start["headers"] += extra_headers or []
    await send(start)
    await send({"type": "http.response.body", "body": body})


class Gate:
    """ASGI middleware: 403 for a request that asks the server to fetch a remote URL, and
    401 for /api and /mcp without the bearer token when one is set."""

    def __init__(self, app, token: str | None = None):
        self.app = app
        self.token = token or None

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            path = scope.get("path") or ""
            raw = (scope.get("raw_path") or b"").decode("latin-1")
            if ("file=" in path or "file=" in raw) and (
                    REMOTE_FILE.match(path) or REMOTE_FILE.match(unquote(unquote(raw.split("?", 1)[0])))):
                return await _send(send, 403, "This server does not fetch remote files.")
            if self.token and GUARDED.match(path) and path not in OPEN:
                auth = dict(scope.get("headers") or []).get(b"authorization", b"").decode("latin-1")
                given = auth[7:].strip() if auth[:7].lower() == "bearer " else ""
                if not hmac.compare_digest(given.encode(), self.token.encode()):
                    return await _send(send, 401, "This API needs 'Authorization: Bearer <token>' (FOI_API_TOKEN).",
                                       [(b"www-authenticate", b"Bearer")])
        await self.app(scope, receive, send)


def create_app(engine):
    """The FastAPI app: /api, /docs, /mcp and the web page at /."""
    import gradio as gr
    from fastapi import FastAPI, Request
    from fastapi.exceptions import RequestValidationError
    from fastapi.responses import JSONResponse

    from ..api.mcp_tools import build_mcp
    from ..api.routes import build_router
    from .app import build_app
    from .theme import launch_options

    settings = engine.settings
    mcp = build_mcp(engine, settings)
    mcp_app = mcp.streamable_http_app(streamable_http_path="/", host=settings.host)

    @asynccontextmanager
    async def lifespan(app):
        async with mcp_app.router.lifespan_context(mcp_app):   # the MCP sessions' task group
            yield

    app = FastAPI(title="FOI Assistant", version="0.2.0", lifespan=lifespan, docs_url="/docs", redoc_url=None,
                  description="UK Freedom of Information help, offline: explain refusals, draft responses, answer "
                              "questions, search the library. Every answer carries verified citations.")

    @app.exception_handler(RequestValidationError)
    async def bad_input(request: Request, exc: RequestValidationError):
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(x) for x in first.get("loc", ()) if x != "body")
        return JSONResponse(status_code=422, content={"detail": f"{where or 'input'}: {first.get('msg', 'invalid')}"})

    @app.exception_handler(ValueError)
    async def value_error(request: Request, exc: ValueError):
        return JSONResponse(status_code=400, content={"detail": str(exc)})

    @app.exception_handler(Exception)
    async def failure(request: Request, exc: Exception):
        log.exception("request failed: %s", request.url.path)
        return JSONResponse(status_code=500, content={"detail": f"the request failed ({exc.__class__.__name__}); "
                                                                "see the server log"})

    app.include_router(build_router(engine, settings))
    app.mount("/mcp", mcp_app)
    app.add_middleware(Gate, token=settings.api_token)
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
    log.info("serving the web page on http://%s:%s/, the API on /api (docs /docs), MCP on /mcp/",
             settings.host, settings.port)
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="warning")
