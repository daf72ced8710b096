"""The Library tab: add documents, list them, remove one's own.

A visitor sees the built-in law, the shared library (what the operator
ingested) and their own uploads; another visitor's uploads are invisible to
them. Uploads run in their own lane, so a long one never holds up a question.
Removal is in two steps (ask, then confirm), each checking on the server that
the document is the visitor's own upload."""
from __future__ import annotations

from pathlib import Path

import gradio as gr

from . import render
from .library import NotYours, ingest_uploads, removable
from .shared import ANONYMOUS, Shared, owner_of

LIBRARY_TYPES = [".pdf", ".txt", ".text", ".md", ".markdown", ".html", ".htm", ".jsonl", ".docx", ".eml", ".msg"]
INGEST_LANE = "ingest"       # uploads and removals, one at a time, apart from the chat's lane


def _html(value: str, elem_id: str) -> gr.HTML:
    return gr.HTML(value, elem_id=elem_id, js_on_load=None, elem_classes="foi-html")


def build(ctx: Shared, token) -> dict:
    """Builds the tab; returns the view function and its outputs, for the page's load event."""
    engine = ctx.engine
    lib_summary = gr.Markdown(elem_id="foi-lib-summary")
    with gr.Row(equal_height=False):
        with gr.Column(scale=2, min_width=300):
            gr.Markdown("#### Add documents\nPDF, HTML, Markdown, plain text or JSONL. What you add is yours: "
                        "other visitors do not see it. A file that cannot be read is reported by name; nothing "
                        "already in the library changes.")
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
            gr.Markdown("Remove one of your uploads: pick it, press Remove, then confirm.", elem_classes="foi-muted")
            with gr.Row(elem_id="foi-remove-actions", equal_height=True):
                remove_id = gr.Dropdown(label="Remove a document", choices=[], allow_custom_value=True,
                                        filterable=True, elem_id="foi-remove-id", show_label=False,
                                        container=False, scale=4, min_width=200, interactive=True)
                remove_btn = gr.Button("Remove", variant="stop", size="sm", elem_id="foi-remove",
                                       scale=0, min_width=90)
            with gr.Row(visible=False, elem_id="foi-confirm-remove") as confirm_row:
                confirm_text = gr.Markdown()
                confirm_btn = gr.Button("Yes, remove it", variant="stop", size="sm", elem_id="foi-confirm")
                cancel_btn = gr.Button("Cancel", size="sm", elem_id="foi-cancel")
            remove_status = gr.Markdown()
    to_remove = gr.State(None)

    def visible_docs(tok) -> list[dict]:
        return engine.index.documents(viewer=owner_of(tok))

    def library_view(tok, query=""):
        docs = visible_docs(tok)
        mine = [d for d in docs if d.get("owner") and d["owner"] == owner_of(tok)]
        choices = [(f"{d['title'][:70]} ({d['doc_id']})", d["doc_id"]) for d in mine]
        return {lib_summary: render.library_summary(docs), docs_html: render.library_html(docs, query),
                remove_id: gr.update(choices=choices), ctx["titlebar"]: ctx["title_html"](len(docs))}

    def on_filter(query, tok):
        return render.library_html(visible_docs(tok), query)

    def on_add(files, query, tok, progress=gr.Progress()):  # noqa: B008 (gradio's way of asking for a bar)
        owner = owner_of(tok)
        if owner == ANONYMOUS:
            return {lib_report: "Reload the page first: this browser has no library of its own yet."}
        if not files:
            return {lib_report: "Choose one or more files first, and let them finish uploading."}
        paths = [Path(f) for f in (files if isinstance(files, list) else [files])]
        progress(0, desc="Reading files")

        def tick(i, total, name):
            progress((i, total) if total else None, desc=f"Reading {name}" if name else "Indexing")

        report, names = ingest_uploads(engine, paths, progress=tick, owner=owner)
        out = library_view(tok, query)
        out.update({lib_report: render.ingest_report_markdown(report, names), uploads: None})
        return out

    def on_remove(doc_id, tok):
        """Step one: check the document is this visitor's, and ask to confirm."""
        if not doc_id:
            return {remove_status: "Choose a document to remove.", confirm_row: gr.update(visible=False),
                    to_remove: None}
        try:
            doc = removable(engine, doc_id, owner_of(tok))
        except NotYours as e:
            return {remove_status: f"Not removed: {e}.", confirm_row: gr.update(visible=False), to_remove: None}
        return {confirm_text: f"Remove **{render.md_escape(doc['title'][:80])}** (`{doc_id}`) from your library?",
                confirm_row: gr.update(visible=True), to_remove: doc_id, remove_status: ""}

    def on_confirm(doc_id, query, tok):
        """Step two: remove it, checking again that it is this visitor's."""
        out = {confirm_row: gr.update(visible=False), to_remove: None}
        if not doc_id:
            return out | {remove_status: "Nothing to remove."}
        try:
            removable(engine, doc_id, owner_of(tok))
        except NotYours as e:
            return out | {remove_status: f"Not removed: {e}."}
        n = engine.index.delete_document(doc_id)
        out.update(library_view(tok, query))
        out[remove_status] = f"Removed `{doc_id}` ({n} passages)."
        out[remove_id] = gr.update(choices=out[remove_id]["choices"], value=None)
        return out

    def on_cancel():
        return {confirm_row: gr.update(visible=False), to_remove: None, remove_status: "Nothing was removed."}

    library_outputs = [lib_summary, docs_html, remove_id, ctx["titlebar"]]
    add_btn.click(on_add, [uploads, lib_filter, token], library_outputs + [lib_report, uploads],
                  concurrency_id=INGEST_LANE, concurrency_limit=1)
    lib_filter.change(on_filter, [lib_filter, token], [docs_html], show_progress="hidden")
    remove_btn.click(on_remove, [remove_id, token], [confirm_text, confirm_row, to_remove, remove_status])
    confirm_btn.click(on_confirm, [to_remove, lib_filter, token],
                      library_outputs + [confirm_row, to_remove, remove_status],
                      concurrency_id=INGEST_LANE, concurrency_limit=1)
    cancel_btn.click(on_cancel, None, [confirm_row, to_remove, remove_status], queue=False)
    return {"view": library_view, "outputs": library_outputs}
