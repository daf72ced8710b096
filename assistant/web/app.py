"""The web app: build_app(engine) -> gr.Blocks, one module per tab
(tab_assistant, tab_library, tab_settings), and main() to serve it.

Thin over the Engine. Per-session state is plain data (the two
conversations and the person's settings); the browser keeps a random token
that files their uploads under their own name (shared.py). The engine and
its index are built once in main() and shared; server.py puts the page and
the REST API on one FastAPI app."""
from __future__ import annotations

import argparse
import html
import logging
import os

os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"   # before gradio is imported

import gradio as gr  # noqa: E402

from . import tab_assistant, tab_library, tab_settings  # noqa: E402
from .exports import FeedbackLog  # noqa: E402
from .session import Engines, default_prefs, new_session  # noqa: E402
from .shared import Shared, new_token  # noqa: E402

log = logging.getLogger(__name__)
TOKEN_KEY = "foi-assistant-visitor"     # where the browser keeps its token (localStorage)


def _title_html(count: int | None) -> str:
    status = f"{count} documents in the library" if count is not None else "library unavailable"
    return ('<div id="foi-titlebar"><div><h1>FOI <span>Assistant</span></h1>'
            '<p class="foi-tagline">UK Freedom of Information: explain refusals, draft responses — every point '
            f'linked to its source</p></div><div class="foi-status">{html.escape(status)}</div></div>')


def build_app(engine) -> gr.Blocks:
    settings = engine.settings
    ctx = Shared(engine=engine, engines=Engines(engine), feedback=FeedbackLog(settings.feedback_file),
                 downloads=settings.data_dir / "downloads")
    try:
        all_kinds = sorted({d["kind"] for d in engine.index.documents()})
    except Exception:
        all_kinds = ["guidance", "legislation", "response"]

    with gr.Blocks(title="FOI Assistant", fill_width=False) as demo:
        session = gr.State(new_session())
        prefs = gr.State(default_prefs(settings, all_kinds))
        token = gr.BrowserState(None, storage_key=TOKEN_KEY)
        titlebar = gr.HTML(_title_html(None), elem_id="foi-titlebar-wrap", js_on_load=None, elem_classes="foi-html")
        ctx.add(titlebar=titlebar, title_html=_title_html)
        with gr.Tabs(elem_id="foi-tabs"):
            with gr.Tab("Assistant", id="assistant"):
                tab_assistant.build(ctx, session, prefs, token)
            with gr.Tab("Library", id="library"):
                library = tab_library.build(ctx, token)
            with gr.Tab("Settings", id="settings"):
                tab_settings.build(ctx, prefs, all_kinds)

        def on_load(tok):
            """A browser without a token gets one, then sees its library."""
            tok = tok if isinstance(tok, str) and tok else new_token()
            return {token: tok, **library["view"](tok)}

        demo.load(on_load, [token], [token] + library["outputs"])
    return demo


# --- launch ---------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="foi-assistant-web", description="Run the FOI Assistant web app and REST API.")
    p.add_argument("--host", help="address to listen on (default 127.0.0.1; or FOI_HOST, or GRADIO_SERVER_NAME)")
    p.add_argument("--port", type=int, help="port to listen on (default 7860; or FOI_PORT, or GRADIO_SERVER_PORT)")
    p.add_argument("--data-dir", help="where the index and feedback live (default ./data, or FOI_DATA_DIR)")
    return p


def listen_address(args) -> tuple[str | None, int | None]:
    """A flag first, then FOI_HOST / FOI_PORT (read by Settings), then Gradio's own
    GRADIO_SERVER_NAME / GRADIO_SERVER_PORT, then the defaults."""
    host = args.host or (None if os.environ.get("FOI_HOST") else os.environ.get("GRADIO_SERVER_NAME") or None)
    port = args.port or (None if os.environ.get("FOI_PORT") else
                         int(os.environ["GRADIO_SERVER_PORT"]) if os.environ.get("GRADIO_SERVER_PORT") else None)
    return host, port


def main(argv: list[str] | None = None) -> None:
    from ..config import Settings
    from ..engine import Engine
    from .server import serve

    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    host, port = listen_address(args)
    settings = Settings.load(data_dir=args.data_dir, port=port, host=host)
    engine = Engine(settings)
    log.info("checking the library index in %s", settings.data_dir)
    report = engine.build_index()
    for _source, error in getattr(report, "failed", []):
        log.warning("corpus file not indexed: %s", error)
    log.info("%d reviewed answers ready", len(engine.answers.answers))   # built now, not at the first question
    serve(engine)
