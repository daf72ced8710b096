"""The Assistant tab: the chat, the sources panel, and the requester and
officer panels under it. Each handler reads the page, makes one engine call
and renders the result's to_json() with render.py."""
from __future__ import annotations

import logging
import time
from pathlib import Path

import gradio as gr

from . import render
from .exports import write_docx, write_markdown
from .library import IngestError, letter_text
from .routing import AUTO, DOCUMENT, OFFICER, QUESTION, REQUESTER, route
from .session import filters_for, new_conversation
from .shared import Shared, owner_of, private_dir

log = logging.getLogger(__name__)

MODES = [("I got a refusal", REQUESTER), ("I'm drafting a response", OFFICER)]
LETTER_TYPES = [".pdf", ".txt", ".text", ".md", ".markdown", ".html", ".htm", ".docx", ".eml", ".msg"]
PREVIEW_CHARS = 220              # how much of a pasted letter the chat bubble shows
CHAT_LANE = "chat"               # questions, explanations and drafts: one at a time (uploads have their own lane)

# After an answer arrives, show the start of the exchange rather than the end of a long answer.
SCROLL_TO_LATEST_JS = """() => { setTimeout(() => {
  const wrap = document.querySelector('#foi-chat .bubble-wrap');
  const rows = wrap ? wrap.querySelectorAll('.message-row.user-row') : [];
  const last = rows[rows.length - 1];
  if (last) wrap.scrollTop += last.getBoundingClientRect().top - wrap.getBoundingClientRect().top - 8;
}, 150); }"""

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


def _user_bubble(text: str, file_name: str | None, is_document: bool) -> str:
    if file_name:
        head = f"Attached: **{file_name}**"
        return head + (f"\n\n{text}" if text else "")
    if is_document and len(text) > PREVIEW_CHARS:
        words = len(text.split())
        preview = " ".join(text[:PREVIEW_CHARS].split())
        return f"**Pasted text** ({words} words)\n\n> {preview}…"
    return text


def _html(value: str, elem_id: str) -> gr.HTML:
    """A panel of rendered results (render.py); no client-side script."""
    return gr.HTML(value, elem_id=elem_id, js_on_load=None, elem_classes="foi-html")


def build(ctx: Shared, session, prefs, token) -> None:
    mode = gr.Radio(MODES, value=REQUESTER, show_label=False, container=False, elem_id="foi-mode")
    with gr.Row(equal_height=False):
        with gr.Column(scale=3, min_width=320):
            chatbot = gr.Chatbot(
                elem_id="foi-chat", height=460, show_label=False, buttons=["copy"], autoscroll=False,
                layout="bubble", feedback_options=("Like", "Dislike"), placeholder=HINTS[REQUESTER])
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
                                       show_label=False, container=False, elem_id="foi-treat", min_width=160)
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
        gr.Markdown("#### What was decided in similar cases")
        decisions = _html("", "foi-decisions-wrap")
        letter = gr.Textbox(label="Internal review request — edit before you send it", lines=14,
                            max_lines=40, buttons=["copy"], elem_id="foi-letter", interactive=True)
        with gr.Row(elem_id="foi-letter-actions"):
            letter_md = gr.DownloadButton("Download .md", size="sm", elem_id="foi-letter-md")

    # officer: what to consider, precedents, the draft and its checks
    with gr.Column(visible=False, elem_id="foi-officer-panel", elem_classes="foi-panel") as off_panel:
        gr.Markdown("#### Provisions to consider")
        with gr.Row(equal_height=False):
            with gr.Column(scale=3, min_width=320):
                suggestions = _html("", "foi-suggestions")
            with gr.Column(scale=2, min_width=240):
                ranking = _html("", "foi-ranking")
        ncnd = _html("", "foi-ncnd")
        items = _html("", "foi-items")
        gr.Markdown("#### How others answered this")
        consistency = _html("", "foi-consistency")
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
    pending = gr.State(None)
    pending_feedback = gr.State(None)

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

    def on_respond(job, sess, pref, shown_mode, tok):
        """The reply, streamed a paragraph at a time once it is composed (and, with a model, checked)."""
        if not job:
            yield {}
            return
        mode_now, kind = job["mode"], job["kind"]
        conv = sess[mode_now]
        out: dict = {}
        text = job["text"]
        try:
            eng = ctx.engines.get(pref)
            filters = filters_for(pref, owner_of(tok))
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
                            decisions: render.decisions_html(result.get("precedents") or [])
                            or render.html_empty("No decided cases about these provisions in the library."),
                            letter: render.plain_letter(result.get("letter") or ""),
                            req_panel: gr.update(visible=True)})
                history_reply = result.get("answer") or ""
            elif kind == "draft":
                result = eng.draft(text, authority=(pref.get("authority") or None), filters=filters).to_json()
                reply = render.draft_summary_markdown(result)
                conv["result"] = result
                out.update({suggestions: render.suggestions_html(result.get("suggestions") or []),
                            ranking: render.ranking_html(result.get("ranking") or []),
                            items: render.items_html(result.get("items") or []),
                            consistency: render.consistency_html(result.get("consistency") or {}),
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
                reply += render.topic_markdown(result.get("topic"))
                history_reply = result.get("answer") or ""
        except IngestError as e:
            reply, result, history_reply = f"⚠️ I couldn't read that file: {e}", None, None
        except ValueError as e:     # bad input the engine explains (an empty letter, a setting out of range)
            reply, result, history_reply = f"⚠️ {e}", None, None
        except Exception as e:  # shown in the chat; the conversation so far is kept
            log.exception("engine call failed")
            reply, result, history_reply = f"⚠️ Something went wrong: {e.__class__.__name__}: {e}", None, None

        if shown_mode == mode_now:            # stream the reply: each paragraph as it is shown
            paras = [p for p in reply.strip().split("\n\n") if p.strip()]
            for i in range(1, len(paras)):
                yield {chatbot: conv["display"] + [{"role": "assistant", "content": "\n\n".join(paras[:i])}]}
                time.sleep(ctx.engine.settings.stream_pause_s)
        conv["display"] = conv["display"] + [{"role": "assistant", "content": reply.strip()}]
        if result is not None:
            conv["history"] = conv["history"] + [{"role": "user", "content": text},
                                                 {"role": "assistant", "content": history_reply,
                                                  "answer_id": (result.get("topic") or {}).get("id")}]
            conv["citations"] = result.get("citations") or []
            conv["weak"] = bool(result.get("weak"))
            conv["turns"][str(len(conv["display"]) - 1)] = {
                "question": text, "answer": history_reply if kind == "draft" else reply.strip(), "kind": kind}
        out.update({chatbot: conv["display"], session: sess, pending: None,
                    sources: render.sources_html(conv["citations"], weak=conv["weak"])})
        if shown_mode != mode_now:   # the person switched mode while waiting: keep their view
            out.pop(chatbot)
            out.pop(sources)
        yield out

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
        rec = ctx.feedback.append(id=__import__("uuid").uuid4().hex, mode=mode_now, question=turn["question"],
                                  answer=turn["answer"], rating=rating)
        return {pending_feedback: rec, feedback_row: gr.update(visible=rating in ("up", "down")), comment: ""}

    def on_comment(text, rec):
        if rec and (text or "").strip():
            ctx.feedback.append(id=rec["id"], mode=rec["mode"], question=rec["question"], answer=rec["answer"],
                                rating=rec["rating"], comment=text.strip())
            gr.Info("Thanks — your comment was saved.")
        return {feedback_row: gr.update(visible=False), comment: "", pending_feedback: None}

    # --- handlers: officer and requester panels ---------------------------------------
    def on_recheck(text, sess, pref):
        result = sess[OFFICER]["result"] or {}
        ncnd_flag = result.get("ncnd") if result else None
        checks = [c.to_json() for c in ctx.engines.get(pref).check_draft(text or "", ncnd=ncnd_flag)]
        return render.checks_html(checks, empty="Nothing to check: the draft is empty.")

    def on_draft_change(text, request: gr.Request):
        if not (text or "").strip():
            return None, None
        d = private_dir(ctx.downloads, request.session_hash if request else None)
        return (str(write_markdown(text, d / "draft-response.md")),
                str(write_docx(text, d / "draft-response.docx")))

    def on_letter_change(text, request: gr.Request):
        if not (text or "").strip():
            return None
        d = private_dir(ctx.downloads, request.session_hash if request else None)
        return str(write_markdown(text, d / "internal-review-request.md"))

    # --- wiring -----------------------------------------------------------------------
    mode.change(on_mode, [mode, session],
                [chatbot, sources, message, treat_as, req_panel, off_panel, feedback_row], queue=False)
    attach.upload(on_attach, [attach, session], [attached, detach, session], queue=False)
    detach.click(on_detach, [session], [attached, detach, session], queue=False)
    respond_outputs = [chatbot, sources, session, pending, provisions, req_checks, steps, decisions, letter, req_panel,
                       suggestions, ranking, items, consistency, ncnd, draft, draft_checks, off_panel]
    send_outputs = [chatbot, message, attached, detach, pending, feedback_row, session]
    message.submit(on_send, [message, treat_as, mode, session], send_outputs, queue=False).then(
        None, None, None, js=SCROLL_TO_LATEST_JS).then(
        on_respond, [pending, session, prefs, mode, token], respond_outputs,
        concurrency_id=CHAT_LANE, concurrency_limit=1, show_progress="minimal").then(
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
