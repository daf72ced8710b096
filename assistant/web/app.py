"""The web app: build_app(engine) -> gr.Blocks, and main() to launch it.

Thin over the Engine: each handler reads the page, makes one engine call and
renders the result's to_json() with render.py. Per-session state is plain
data (the two conversations and the person's settings); the engine and its
index are built once in main() and shared."""
from __future__ import annotations

import argparse
import html
import logging
import os
import tempfile
import uuid
from pathlib import Path

os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"   # before gradio is imported

import gradio as gr  # noqa: E402

from . import render  # noqa: E402
from .exports import FeedbackLog, write_docx, write_markdown  # noqa: E402
from .library import IngestError, ingest_uploads, letter_text  # noqa: E402
from .routing import AUTO, DOCUMENT, OFFICER, QUESTION, REQUESTER, route  # noqa: E402
from .session import Engines, default_prefs, filters_for, new_conversation, new_session  # noqa: E402

log = logging.getLogger(__name__)

MODES = [("I got a refusal", REQUESTER), ("I'm drafting a response", OFFICER)]
BACKENDS = [("None (offline)", "none"), ("OpenAI-compatible API", "openai"),
            ("Ollama", "ollama"), ("llama.cpp", "llamacpp")]
LETTER_TYPES = [".pdf", ".txt", ".text", ".md", ".markdown", ".html", ".htm"]
LIBRARY_TYPES = LETTER_TYPES + [".jsonl"]
PREVIEW_CHARS = 220              # how much of a pasted letter the chat bubble shows
ENGINE_LANE = "engine"           # engine calls run one at a time (shared index)

# After an answer arrives, show the start of the exchange rather than the end of a long answer.
SCROLL_TO_LATEST_JS = """() => { setTimeout(() => {
  const wrap = document.querySelector('#foi-chat .bubble-wrap');
  const rows = wrap ? wrap.querySelectorAll('.message-row.user-row') : [];
  const last = rows[rows.length - 1];
  if (last) wrap.scrollTop += last.getBoundingClientRect().top - wrap.getBoundingClientRect().top - 8;
}, 150); }"""

# Removing asks first; cancelling sends null (nothing happens), no choice sends "" (a hint).
CONFIRM_REMOVE_JS = "(d, q) => !d ? ['', q] : (confirm('Remove ' + d + ' from the library?') ? [d, q] : [null, q])"

HINTS = {   # shown in the empty chat
    REQUESTER: "**Got a refusal?** Paste the letter below or attach it (PDF or text). You'll get the "
               "exemptions it relies on in plain English, a check of the refusal notice, your next steps "
               "with deadlines and a draft internal-review request.\n\n"
               "Or ask a question, such as *what does section 31(3) mean?*",
    OFFICER: "**Answering a request?** Paste it below to get the exemptions to consider, similar past "
             "responses, advice on neither confirming nor denying, and a draft response to edit and check."
             "\n\nOr ask a short question, such as *what does s31(3) mean?*",
}
PLACEHOLDERS = {
    REQUESTER: "Paste your letter or ask a question…",
    OFFICER: "Paste a request or ask a question…",
}
TREAT_AS = {
    REQUESTER: [("Treat as: auto-detect", AUTO), ("Treat as: a question", QUESTION),
                ("Treat as: a refusal letter", DOCUMENT)],
    OFFICER: [("Treat as: auto-detect", AUTO), ("Treat as: a question", QUESTION),
              ("Treat as: a request", DOCUMENT)],
}


def _session_dir(root: Path, request: gr.Request | None) -> Path:
    d = root / ((request.session_hash if request and request.session_hash else None) or "shared")
    d.mkdir(parents=True, exist_ok=True)
    return d


def _user_bubble(text: str, file_name: str | None, is_document: bool) -> str:
    if file_name:
        head = f"Attached: **{file_name}**"
        return head + (f"\n\n{text}" if text else "")
    if is_document and len(text) > PREVIEW_CHARS:
        words = len(text.split())
        preview = " ".join(text[:PREVIEW_CHARS].split())
        return f"**Pasted text** ({words} words)\n\n> {preview}…"
    return text


def _model_label(backend: str) -> str:
    return "Model file (.gguf)" if backend == "llamacpp" else "Model"


def _model_value(settings) -> str:
    return (settings.llm_model_path if settings.llm_backend == "llamacpp" else settings.llm_model) or ""


def _html(value: str, elem_id: str) -> gr.HTML:
    """A panel of rendered results (render.py); no client-side script."""
    return gr.HTML(value, elem_id=elem_id, js_on_load=None, elem_classes="foi-html")


def _title_html(engine) -> str:
    try:
        docs = engine.index.documents()
        status = f"{len(docs)} documents in the library"
    except Exception as e:  # the page still opens; the Library tab shows the problem
        log.warning("could not list documents: %s", e)
        status = "library unavailable"
    return ('<div id="foi-titlebar"><div><h1>FOI <span>Assistant</span></h1>'
            '<p class="foi-tagline">UK Freedom of Information: explain refusals, draft responses — every point '
            f'linked to its source</p></div><div class="foi-status">{html.escape(status)}</div></div>')


# --- the app -------------------------------------------------------------------------
def build_app(engine) -> gr.Blocks:
    engines = Engines(engine)
    feedback = FeedbackLog(engine.settings.feedback_file)
    downloads_root = Path(tempfile.mkdtemp(prefix="foi-web-"))
    try:
        all_kinds = sorted({d["kind"] for d in engine.index.documents()})
    except Exception:
        all_kinds = ["guidance", "legislation", "response"]

    with gr.Blocks(title="FOI Assistant", fill_width=False) as demo:
        session = gr.State(new_session())
        prefs = gr.State(default_prefs(engine.settings, all_kinds))
        pending = gr.State(None)
        pending_feedback = gr.State(None)

        titlebar = _html(_title_html(engine), "foi-titlebar-wrap")

        with gr.Tabs(elem_id="foi-tabs"):
            # --- Assistant ---------------------------------------------------------------
            with gr.Tab("Assistant", id="assistant"):
                mode = gr.Radio(MODES, value=REQUESTER, show_label=False, container=False, elem_id="foi-mode")
                with gr.Row(equal_height=False):
                    with gr.Column(scale=3, min_width=320):
                        chatbot = gr.Chatbot(
                            elem_id="foi-chat", height=460, show_label=False, buttons=["copy"], autoscroll=False,
                            layout="bubble", feedback_options=("Like", "Dislike"),
                            placeholder=HINTS[REQUESTER])
                        with gr.Row(visible=False, elem_id="foi-feedback") as feedback_row:
                            comment = gr.Textbox(placeholder="Thanks for rating. What was good or wrong? (optional)",
                                                 show_label=False, scale=5, container=False, elem_id="foi-comment")
                            comment_btn = gr.Button("Send comment", size="sm", scale=1, min_width=110)
                        message = gr.Textbox(placeholder=PLACEHOLDERS[REQUESTER], show_label=False, lines=1,
                                             max_lines=12, submit_btn=True, elem_id="foi-message", container=False)
                        with gr.Row(elem_id="foi-input-tools"):
                            attach = gr.UploadButton("Attach letter", file_types=LETTER_TYPES, file_count="single",
                                                     size="sm", elem_id="foi-attach")
                            attached = gr.Markdown("", elem_id="foi-attached")
                            detach = gr.Button("Remove attachment", size="sm", variant="secondary", visible=False)
                            treat_as = gr.Dropdown(TREAT_AS[REQUESTER], value=AUTO, label="Treat my message as",
                                                   show_label=False, container=False, elem_id="foi-treat",
                                                   min_width=160)
                            clear = gr.Button("New conversation", size="sm", variant="secondary", elem_id="foi-clear")
                    with gr.Column(scale=2, min_width=280, elem_id="foi-sources-col"):
                        gr.Markdown("#### Sources")
                        sources = _html(render.sources_html([]), "foi-sources")

                # requester: what the letter says, whether it does its job, what to do next
                with gr.Column(visible=False, elem_id="foi-requester-panel", elem_classes="foi-panel") as req_panel:
                    with gr.Row(equal_height=False):
                        with gr.Column(min_width=300):
                            gr.Markdown("#### Provisions in the letter")
                            provisions = _html("", "foi-provisions")
                        with gr.Column(min_width=300):
                            gr.Markdown("#### Checks on the refusal notice")
                            req_checks = _html("", "foi-req-checks")
                    gr.Markdown("#### Next steps")
                    steps = _html("", "foi-steps")
                    letter = gr.Textbox(label="Internal review request — edit before you send it", lines=14,
                                        max_lines=40, buttons=["copy"], elem_id="foi-letter", interactive=True)
                    with gr.Row(elem_id="foi-letter-actions"):
                        letter_md = gr.DownloadButton("Download .md", size="sm", elem_id="foi-letter-md")

                # officer: what to consider, precedents, the draft and its checks
                with gr.Column(visible=False, elem_id="foi-officer-panel", elem_classes="foi-panel") as off_panel:
                    gr.Markdown("#### Provisions to consider")
                    suggestions = _html("", "foi-suggestions")
                    ncnd = _html("", "foi-ncnd")
                    with gr.Row(equal_height=False):
                        with gr.Column(scale=3, min_width=320):
                            draft = gr.Textbox(label="Draft response — edit here, then re-check", lines=18,
                                               max_lines=24, buttons=["copy"], elem_id="foi-draft", interactive=True)
                            with gr.Row(elem_id="foi-draft-actions"):
                                recheck = gr.Button("Re-check", variant="primary", size="sm", elem_id="foi-recheck")
                                draft_md = gr.DownloadButton("Download .md", size="sm", elem_id="foi-draft-md")
                                draft_docx = gr.DownloadButton("Download .docx", size="sm", elem_id="foi-draft-docx")
                        with gr.Column(scale=2, min_width=280):
                            gr.Markdown("#### Checks on the draft")
                            draft_checks = _html("", "foi-draft-checks")

            # --- Library -----------------------------------------------------------------
            with gr.Tab("Library", id="library"):
                lib_summary = gr.Markdown(elem_id="foi-lib-summary")
                with gr.Row(equal_height=False):
                    with gr.Column(scale=2, min_width=300):
                        gr.Markdown("#### Add documents\nPDF, HTML, Markdown, plain text or JSONL. A file that "
                                    "cannot be read is reported by name; nothing already in the library changes.")
                        uploads = gr.File(label="Files to add", show_label=False, file_count="multiple",
                                          file_types=LIBRARY_TYPES, height=140, elem_id="foi-uploads")
                        with gr.Row(elem_id="foi-add-actions"):
                            add_btn = gr.Button("Add to library", variant="primary", size="md", elem_id="foi-add")
                        lib_report = gr.Markdown(elem_id="foi-ingest-report")
                    with gr.Column(scale=3, min_width=300):
                        gr.Markdown("#### Documents")
                        lib_filter = gr.Textbox(placeholder="Filter by title, kind or document id", show_label=False,
                                                container=False, elem_id="foi-lib-filter")
                        docs_html = _html("", "foi-docs")
                        gr.Markdown("Remove a document: pick it by title or id, then press Remove.",
                                    elem_classes="foi-muted")
                        with gr.Row(elem_id="foi-remove-actions", equal_height=True):
                            remove_id = gr.Dropdown(label="Remove a document", choices=[], allow_custom_value=True,
                                                    filterable=True, elem_id="foi-remove-id", show_label=False,
                                                    container=False, scale=4, min_width=200, interactive=True)
                            remove_btn = gr.Button("Remove", variant="stop", size="sm", elem_id="foi-remove",
                                                   scale=0, min_width=90)
                        remove_status = gr.Markdown()

            # --- Settings ------------------------------------------------------------------
            with gr.Tab("Settings", id="settings"), gr.Column(elem_id="foi-settings"):
                backend = gr.Radio(BACKENDS, value=engine.settings.llm_backend, label="Language model",
                                   info="With none, answers are put together from the library's passages, offline. "
                                        "A model only rewords them; its answer is kept only if it passes the "
                                        "same citation checks.")
                with gr.Group(visible=engine.settings.llm_backend != "none") as llm_row:
                    with gr.Row():
                        llm_model = gr.Textbox(label=_model_label(engine.settings.llm_backend),
                                               value=_model_value(engine.settings),
                                               placeholder="e.g. gpt-4o-mini, llama3.2, or /models/x.gguf")
                        llm_url = gr.Textbox(label="Server URL (optional)", value=engine.settings.llm_base_url or "",
                                             placeholder="e.g. http://127.0.0.1:11434")
                    gr.Markdown("API keys are read from the environment (FOI_LLM_API_KEY), never typed here.",
                                elem_classes="foi-muted", padding=True)
                top_k = gr.Slider(1, 20, value=engine.settings.top_k, step=1, label="Passages per answer (top-k)")
                kinds = gr.CheckboxGroup([(render.KIND_LABELS.get(k, k), k) for k in all_kinds], value=all_kinds,
                                         label="Search these kinds of document")
                authority = gr.Textbox(label="Your authority (optional)",
                                       info="Helps spot when Scottish FOI law (FOISA) applies to a request.")
                with gr.Row(elem_id="foi-apply-actions"):
                    apply_btn = gr.Button("Apply", variant="primary", size="md", elem_id="foi-apply")
                settings_status = gr.Markdown()

        # --- handlers: chat ---------------------------------------------------------------
        def on_mode(new_mode, sess):
            conv = sess[new_mode]
            has = conv["result"] is not None
            return {chatbot: gr.update(value=conv["display"], placeholder=HINTS[new_mode]),
                    sources: render.sources_html(conv["citations"], weak=conv["weak"]),
                    message: gr.update(placeholder=PLACEHOLDERS[new_mode]),
                    treat_as: gr.update(choices=TREAT_AS[new_mode], value=AUTO),
                    req_panel: gr.update(visible=new_mode == REQUESTER and has),
                    off_panel: gr.update(visible=new_mode == OFFICER and has),
                    feedback_row: gr.update(visible=False)}

        def on_attach(file, sess):
            sess["attached"] = str(file) if file else None
            name = Path(file).name if file else ""
            return {attached: f"Attached: **{name}**" if name else "", detach: gr.update(visible=bool(name)),
                    session: sess}

        def on_detach(sess):
            sess["attached"] = None
            return {attached: "", detach: gr.update(visible=False), session: sess}

        def on_send(text, treat, mode_now, sess):
            text = (text or "").strip()
            file = sess.get("attached")
            if not text and not file:
                return {pending: None}
            conv = sess[mode_now]
            kind = route(mode_now, text, has_file=bool(file), treat_as=treat)
            conv["display"] = conv["display"] + [
                {"role": "user", "content": _user_bubble(text, Path(file).name if file else None, kind != "ask")}]
            sess["attached"] = None
            return {chatbot: conv["display"], message: "", attached: "", detach: gr.update(visible=False),
                    pending: {"text": text, "file": file, "kind": kind, "mode": mode_now},
                    feedback_row: gr.update(visible=False), session: sess}

        def on_respond(job, sess, pref, shown_mode):
            if not job:
                return {}
            mode_now, kind = job["mode"], job["kind"]
            conv = sess[mode_now]
            eng = engines.get(pref)
            filters = filters_for(pref)
            out: dict = {}
            text = job["text"]
            try:
                if job["file"]:
                    text = letter_text(Path(job["file"]))
                if kind == "explain":
                    result = eng.explain(text, filters=filters).to_json()
                    reply = (render.weak_markdown() if result.get("weak") else "") + (result.get("answer") or "")
                    if result.get("notes"):
                        reply += "\n\n" + render.notes_markdown(result["notes"])
                    conv["result"] = result
                    out.update({provisions: render.provisions_html(result.get("sections") or [], result.get("ncnd")),
                                req_checks: render.checks_html(result.get("checks") or []),
                                steps: render.steps_html(result.get("next_steps") or []),
                                letter: render.plain_letter(result.get("letter") or ""),
                                req_panel: gr.update(visible=True)})
                    history_reply = result.get("answer") or ""
                elif kind == "draft":
                    result = eng.draft(text, authority=(pref.get("authority") or None), filters=filters).to_json()
                    reply = render.draft_summary_markdown(result)
                    conv["result"] = result
                    out.update({suggestions: render.suggestions_html(result.get("suggestions") or []),
                                ncnd: render.ncnd_html(result),
                                draft: result.get("draft") or "",
                                draft_checks: render.checks_html(result.get("checks") or []),
                                off_panel: gr.update(visible=True)})
                    history_reply = reply + "\n\n" + (result.get("draft") or "")
                else:
                    result = eng.ask(text, mode=mode_now, history=conv["history"], filters=filters).to_json()
                    reply = (render.weak_markdown() if result.get("weak") else "") + (result.get("answer") or "")
                    if result.get("notes"):
                        reply += "\n\n" + render.notes_markdown(result["notes"])
                    history_reply = result.get("answer") or ""
            except IngestError as e:
                reply, result, history_reply = f"⚠️ I couldn't read that file: {e}", None, None
            except Exception as e:  # shown in the chat; the conversation so far is kept
                log.exception("engine call failed")
                reply, result, history_reply = f"⚠️ Something went wrong: {e.__class__.__name__}: {e}", None, None

            conv["display"] = conv["display"] + [{"role": "assistant", "content": reply.strip()}]
            if result is not None:
                conv["history"] = conv["history"] + [{"role": "user", "content": text},
                                                     {"role": "assistant", "content": history_reply}]
                conv["citations"] = result.get("citations") or []
                conv["weak"] = bool(result.get("weak"))
                conv["turns"][str(len(conv["display"]) - 1)] = {
                    "question": text, "answer": history_reply if kind == "draft" else reply.strip(), "kind": kind}
            out.update({chatbot: conv["display"], session: sess, pending: None,
                        sources: render.sources_html(conv["citations"], weak=conv["weak"])})
            if shown_mode != mode_now:   # the person switched mode while waiting: keep their view
                out.pop(chatbot)
                out.pop(sources)
            return out

        def on_clear(mode_now, sess):
            sess[mode_now] = new_conversation()
            return {chatbot: [], sources: render.sources_html([]), req_panel: gr.update(visible=False),
                    off_panel: gr.update(visible=False), feedback_row: gr.update(visible=False), session: sess}

        # --- handlers: feedback -----------------------------------------------------------
        def on_like(mode_now, sess, data: gr.LikeData):
            idx = data.index if isinstance(data.index, int) else data.index[0]
            turn = sess[mode_now]["turns"].get(str(idx))
            if turn is None:
                return {pending_feedback: None, feedback_row: gr.update(visible=False)}
            rating = {True: "up", False: "down"}.get(data.liked, str(data.liked or "cleared"))
            rec = feedback.append(id=uuid.uuid4().hex, mode=mode_now, question=turn["question"],
                                  answer=turn["answer"], rating=rating)
            return {pending_feedback: rec, feedback_row: gr.update(visible=rating in ("up", "down")),
                    comment: ""}

        def on_comment(text, rec):
            if rec and (text or "").strip():
                feedback.append(id=rec["id"], mode=rec["mode"], question=rec["question"], answer=rec["answer"],
                                rating=rec["rating"], comment=text.strip())
                gr.Info("Thanks — your comment was saved.")
            return {feedback_row: gr.update(visible=False), comment: "", pending_feedback: None}

        # --- handlers: officer and requester panels ---------------------------------------
        def on_recheck(text, sess, pref):
            result = sess[OFFICER]["result"] or {}
            ncnd_flag = result.get("ncnd") if result else None
            checks = [c.to_json() for c in engines.get(pref).check_draft(text or "", ncnd=ncnd_flag)]
            return render.checks_html(checks, empty="Nothing to check: the draft is empty.")

        def on_draft_change(text, request: gr.Request):
            if not (text or "").strip():
                return None, None
            d = _session_dir(downloads_root, request)
            return (str(write_markdown(text, d / "draft-response.md")),
                    str(write_docx(text, d / "draft-response.docx")))

        def on_letter_change(text, request: gr.Request):
            if not (text or "").strip():
                return None
            return str(write_markdown(text, _session_dir(downloads_root, request) / "internal-review-request.md"))

        # --- handlers: library ------------------------------------------------------------
        def library_view(query=""):
            docs = engine.index.documents()
            choices = [(f"{d['title'][:70]} ({d['doc_id']})", d["doc_id"]) for d in docs]
            return {lib_summary: render.library_summary(docs), docs_html: render.library_html(docs, query),
                    remove_id: gr.update(choices=choices), titlebar: _title_html(engine)}

        def on_filter(query):
            return render.library_html(engine.index.documents(), query)

        def on_add(files, query, progress=gr.Progress()):  # noqa: B008 (gradio's way of asking for a bar)
            if not files:
                return {lib_report: "Choose one or more files first, and let them finish uploading."}
            paths = [Path(f) for f in (files if isinstance(files, list) else [files])]
            progress(0, desc="Reading files")

            def tick(i, total, name):
                progress((i, total) if total else None, desc=f"Reading {name}" if name else "Indexing")

            report, names = ingest_uploads(engine, paths, progress=tick)
            out = library_view(query)
            out.update({lib_report: render.ingest_report_markdown(report, names), uploads: None})
            return out

        def on_remove(doc_id, query):
            if doc_id is None:      # the person cancelled
                return {}
            if not doc_id:
                return {remove_status: "Choose a document to remove."}
            n = engine.index.delete_document(doc_id)
            out = library_view(query)
            out[remove_status] = (f"Removed `{doc_id}` ({n} passages)." if n else f"No document `{doc_id}`.")
            out[remove_id] = gr.update(choices=out[remove_id]["choices"], value=None)
            return out

        # --- handlers: settings -----------------------------------------------------------
        def on_apply(backend_v, model_v, url_v, k_v, kinds_v, authority_v, pref):
            model_v = (model_v or "").strip() or None
            new = dict(pref, llm_backend=backend_v, llm_model=None if backend_v == "llamacpp" else model_v,
                       llm_model_path=model_v if backend_v == "llamacpp" else None,
                       llm_base_url=(url_v or "").strip() or None, top_k=int(k_v), kinds=list(kinds_v or []),
                       authority=(authority_v or "").strip() or None)
            if not new["kinds"]:
                return {settings_status: "✗ Choose at least one kind of document."}
            try:
                eng = engines.get(new)
                if backend_v != "none":
                    _ = eng.backend  # built now, so a wrong model or missing key shows here, not mid-answer
            except Exception as e:
                return {settings_status: f"✗ Not applied: {e.__class__.__name__}: {e}"}
            return {prefs: new, settings_status: "✓ Applied to new answers in this browser session."}

        # --- wiring -----------------------------------------------------------------------
        mode.change(on_mode, [mode, session],
                    [chatbot, sources, message, treat_as, req_panel, off_panel, feedback_row], queue=False)
        attach.upload(on_attach, [attach, session], [attached, detach, session], queue=False)
        detach.click(on_detach, [session], [attached, detach, session], queue=False)
        respond_outputs = [chatbot, sources, session, pending, provisions, req_checks, steps, letter, req_panel,
                           suggestions, ncnd, draft, draft_checks, off_panel]
        send_outputs = [chatbot, message, attached, detach, pending, feedback_row, session]
        message.submit(on_send, [message, treat_as, mode, session], send_outputs, queue=False).then(
            None, None, None, js=SCROLL_TO_LATEST_JS).then(
            on_respond, [pending, session, prefs, mode], respond_outputs,
            concurrency_id=ENGINE_LANE, concurrency_limit=1, show_progress="minimal").then(
            None, None, None, js=SCROLL_TO_LATEST_JS)
        clear_outputs = [chatbot, sources, req_panel, off_panel, feedback_row, session]
        clear.click(on_clear, [mode, session], clear_outputs, queue=False)
        chatbot.clear(on_clear, [mode, session], clear_outputs, queue=False)
        chatbot.like(on_like, [mode, session], [pending_feedback, feedback_row, comment])
        comment_btn.click(on_comment, [comment, pending_feedback], [feedback_row, comment, pending_feedback])
        comment.submit(on_comment, [comment, pending_feedback], [feedback_row, comment, pending_feedback])

        recheck.click(on_recheck, [draft, session, prefs], [draft_checks])
        draft.change(on_draft_change, [draft], [draft_md, draft_docx], trigger_mode="always_last",
                     show_progress="hidden")
        letter.change(on_letter_change, [letter], [letter_md], trigger_mode="always_last", show_progress="hidden")

        library_outputs = [lib_summary, docs_html, remove_id, titlebar]
        add_btn.click(on_add, [uploads, lib_filter], library_outputs + [lib_report, uploads],
                      concurrency_id=ENGINE_LANE, concurrency_limit=1)
        lib_filter.change(on_filter, [lib_filter], [docs_html], show_progress="hidden")
        remove_btn.click(on_remove, [remove_id, lib_filter], library_outputs + [remove_status],
                         concurrency_id=ENGINE_LANE, concurrency_limit=1,
                         js=CONFIRM_REMOVE_JS)

        backend.change(lambda b: (gr.update(visible=b != "none"), gr.update(label=_model_label(b))),
                       [backend], [llm_row, llm_model], queue=False)
        apply_btn.click(on_apply, [backend, llm_model, llm_url, top_k, kinds, authority, prefs],
                        [prefs, settings_status])
        demo.load(library_view, None, library_outputs)
    return demo


# --- launch ---------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="foi-assistant-web", description="Run the FOI Assistant web app.")
    p.add_argument("--host", help="address to listen on (default 127.0.0.1, or FOI_HOST)")
    p.add_argument("--port", type=int, help="port to listen on (default 7860, or FOI_PORT)")
    p.add_argument("--data-dir", help="where the index and feedback live (default ./data, or FOI_DATA_DIR)")
    return p


def main(argv: list[str] | None = None) -> None:
    from ..config import Settings
    from ..engine import Engine
    from .theme import launch_options

    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    settings = Settings.load(data_dir=args.data_dir, port=args.port, host=args.host)
    engine = Engine(settings)
    log.info("checking the library index in %s", settings.data_dir)
    report = engine.build_index()
    for _source, error in getattr(report, "failed", []):
        log.warning("corpus file not indexed: %s", error)
    demo = build_app(engine)
    demo.queue(default_concurrency_limit=2)
    demo.launch(server_name=settings.host, server_port=settings.port, **launch_options())
