"""The Settings tab: a visitor's own choices for their answers.

A visitor may turn off the operator's language model, or turn it on where
the operator configured one, and choose how many passages an answer uses
and which kinds of document it searches. The model's name, server URL and
API key are the operator's (environment or config file) and are not
offered here: a key must never be sent to an address a visitor types."""
from __future__ import annotations

import gradio as gr

from . import render
from .session import TOP_K_MAX, backend_choices
from .shared import Shared

BACKEND_LABELS = {"none": "None (offline)", "openai": "The operator's OpenAI-compatible model",
                  "ollama": "The operator's Ollama model", "llamacpp": "The operator's local model (llama.cpp)"}


def build(ctx: Shared, prefs, all_kinds: list[str]) -> None:
    settings = ctx.engine.settings
    choices = [(BACKEND_LABELS.get(b, b), b) for b in backend_choices(settings)]
    with gr.Column(elem_id="foi-settings"):
        backend = gr.Radio(choices, value=settings.llm_backend, label="Language model",
                           info="With none, answers are put together from the library's passages, offline. "
                                "A model only rewords them; its answer is kept only if it passes the same "
                                "citation checks.")
        model_name = (settings.llm_model_path or "").rsplit("/", 1)[-1] if settings.llm_backend == "llamacpp" \
            else (settings.llm_model or "")
        gr.Markdown(("The model (" + render.md_escape(model_name) + ") and its server are set by whoever runs "
                     "this service." if settings.llm_backend != "none" else
                     "No language model is configured on this server."), elem_classes="foi-muted", padding=True)
        top_k = gr.Slider(1, TOP_K_MAX, value=settings.top_k, step=1, label="Passages per answer (top-k)")
        kinds = gr.CheckboxGroup([(render.KIND_LABELS.get(k, k), k) for k in all_kinds], value=all_kinds,
                                 label="Search these kinds of document")
        authority = gr.Textbox(label="Your authority (optional)",
                               info="Helps spot when Scottish FOI law (FOISA) applies to a request.")
        with gr.Row(elem_id="foi-apply-actions"):
            apply_btn = gr.Button("Apply", variant="primary", size="md", elem_id="foi-apply")
        settings_status = gr.Markdown()

    def on_apply(backend_v, k_v, kinds_v, authority_v, pref):
        new = dict(pref, llm_backend=backend_v, top_k=int(k_v), kinds=list(kinds_v or []),
                   authority=(authority_v or "").strip() or None)
        if not new["kinds"]:
            return {settings_status: "✗ Choose at least one kind of document."}
        try:
            eng = ctx.engines.get(new)
            if backend_v != "none":
                _ = eng.backend  # built now, so a wrong model shows here, not mid-answer
        except Exception as e:
            return {settings_status: f"✗ Not applied: {e.__class__.__name__}: {e}"}
        return {prefs: new, settings_status: "✓ Applied to new answers in this browser session."}

    apply_btn.click(on_apply, [backend, top_k, kinds, authority, prefs], [prefs, settings_status])
