"""How the page looks: a plain theme with system fonts (nothing fetched from the
internet) and a little CSS. gradio 6 takes both in launch(), so they live here
and main() passes them on; see launch_options()."""
from __future__ import annotations

SYSTEM_FONTS = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"]
MONO_FONTS = ["ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "monospace"]

CSS = """
.gradio-container { width: 100% !important; max-width: 1320px !important; margin: 0 auto !important; }
footer { display: none !important; }

/* title bar */
#foi-titlebar { display: flex; align-items: baseline; justify-content: space-between; gap: 12px;
  flex-wrap: wrap; padding: 0 2px 8px; border-bottom: 1px solid var(--border-color-primary); }
#foi-titlebar h1 { font-size: 1.35rem; margin: 0; font-weight: 650; letter-spacing: -0.01em; }
#foi-titlebar h1 span { color: var(--color-accent); }
#foi-titlebar .foi-tagline { color: var(--body-text-color-subdued); font-size: 0.9rem; margin: 2px 0 0; }
#foi-titlebar .foi-status { color: var(--body-text-color-subdued); font-size: 0.85rem; white-space: nowrap; }

/* the two modes, as a segmented control */
#foi-mode { padding: 0 !important; border: none !important; background: none !important; }
#foi-mode .wrap { gap: 6px !important; }
#foi-mode label { border: 1px solid var(--border-color-primary) !important; border-radius: 999px !important;
  padding: 6px 14px !important; font-weight: 550; background: var(--background-fill-primary) !important; }
#foi-mode label.selected { background: var(--color-accent-soft) !important;
  border-color: var(--color-accent) !important; }

/* chat + input */
#foi-chat { border-radius: 10px; }
#foi-chat .message-content { font-size: 0.95rem; line-height: 1.5; }
#foi-chat .placeholder { padding: 0 18px; }
#foi-chat .placeholder-content, #foi-chat .placeholder { max-width: 540px; margin: 0 auto; text-align: left;
  color: var(--body-text-color-subdued); font-size: 0.95rem; line-height: 1.5; }
#foi-input-tools { align-items: center !important; justify-content: flex-start !important; gap: 8px !important;
  flex-wrap: wrap !important; }
#foi-input-tools > * { flex: 0 0 auto !important; width: auto !important; min-width: 0 !important;
  margin: 0 !important; }
#foi-input-tools #foi-treat { width: 210px !important; }
#foi-input-tools button { height: 34px; }
#foi-treat input { font-size: 0.85rem !important; }
.foi-html .html-container { padding: 0 !important; }
#foi-input-tools #foi-clear { margin-left: auto !important; }
#foi-attached { font-size: 0.85rem; color: var(--body-text-color-subdued); padding: 0 !important; }
#foi-attached p { margin: 0; }
#foi-feedback { align-items: center !important; background: var(--background-fill-secondary);
  border-radius: 8px; padding: 6px 8px !important; gap: 8px !important; }
#foi-feedback > * { min-width: 0 !important; }

/* sources panel */
#foi-sources-col { gap: 6px !important; }
#foi-sources { max-height: 560px; overflow-y: auto !important; padding-right: 4px !important; }
.foi-sources { list-style: none; padding: 0; margin: 0; display: flex; flex-direction: column; gap: 8px; }
.foi-source { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 8px 10px;
  background: var(--background-fill-primary); }
.foi-source-head { font-weight: 600; line-height: 1.3; }
.foi-source-title a { color: var(--link-text-color); text-decoration: none; }
.foi-source-title a:hover { text-decoration: underline; }
.foi-n { color: var(--color-accent); font-variant-numeric: tabular-nums; }
.foi-source-badges { margin: 4px 0; display: flex; gap: 4px; flex-wrap: wrap; }
.foi-source blockquote { margin: 4px 0 0; padding: 2px 0 2px 10px; border-left: 3px solid var(--border-color-primary);
  color: var(--body-text-color); font-size: 0.88rem; line-height: 1.4; }
.foi-badge { display: inline-block; font-size: 0.72rem; font-weight: 600; padding: 1px 7px; border-radius: 999px;
  margin-right: 3px; text-transform: uppercase; letter-spacing: 0.03em; vertical-align: middle; }
.foi-badge-ok { background: #dcfce7; color: #166534; }
.foi-badge-warn { background: #fef3c7; color: #92400e; }
.foi-badge-kind { background: var(--background-fill-secondary); color: var(--body-text-color-subdued);
  border: 1px solid var(--border-color-primary); }
.foi-weak { background: #fff7ed; border: 1px solid #fdba74; color: #7c2d12; border-radius: 8px;
  padding: 8px 10px; margin-bottom: 8px; font-size: 0.9rem; }
.foi-empty { color: var(--body-text-color-subdued); font-size: 0.9rem; margin: 4px 0; }
.foi-muted { color: var(--body-text-color-subdued); font-size: 0.85rem; }
.foi-label { font-weight: 600; margin-right: 4px; }
.foi-section { font-weight: 700; font-variant-numeric: tabular-nums; white-space: nowrap; }
.foi-refs { color: var(--color-accent); font-size: 0.85em; }
.foi-prob { font-variant-numeric: tabular-nums; font-weight: 600; margin: 0 6px; }
.foi-ranking ol { display: flex; flex-direction: column; gap: 2px; }
.foi-ranking li { display: flex; align-items: center; gap: 4px; }
.foi-ranking .foi-score { width: 120px; }
.foi-consistency details { margin: 4px 0; }
.foi-consistency summary { cursor: pointer; }
.foi-cases li { margin: 4px 0; }
.foi-finding { font-size: 0.85rem; color: var(--body-text-color); background: var(--background-fill-secondary);
  border-radius: 4px; padding: 0 5px; }

/* result panels */
.foi-panel { border-top: 1px solid var(--border-color-primary); padding-top: 10px !important; margin-top: 6px; }
.foi-panel h3, .foi-panel h4 { margin: 4px 0 !important; }
.foi-checks, .foi-provisions, .foi-plain, .foi-notes { list-style: none; padding: 0; margin: 0; }
.foi-check { display: flex; gap: 8px; padding: 5px 0; border-bottom: 1px solid var(--border-color-primary);
  line-height: 1.4; }
.foi-check:last-child { border-bottom: none; }
.foi-mark { font-weight: 700; width: 1.1em; flex: none; text-align: center; }
.foi-check.ok .foi-mark { color: #15803d; }
.foi-check.fail .foi-mark { color: #b91c1c; }
.foi-check-summary { font-weight: 600; margin: 0 0 4px; color: #b91c1c; }
.foi-check-summary.ok { color: #15803d; }
.foi-steps { padding-left: 1.3em; margin: 0; }
.foi-steps li { margin-bottom: 8px; }
.foi-steps p { margin: 2px 0 0; line-height: 1.45; }
.foi-step-head { display: flex; gap: 10px; flex-wrap: wrap; align-items: baseline; }
.foi-due { background: var(--color-accent-soft); color: var(--body-text-color); border-radius: 6px;
  padding: 1px 8px; font-size: 0.85rem; font-weight: 600; white-space: nowrap; }
.foi-provisions li { padding: 6px 0; border-bottom: 1px solid var(--border-color-primary); }
.foi-provisions details summary { cursor: pointer; color: var(--link-text-color); font-size: 0.88rem; }
.foi-provisions details div { font-size: 0.9rem; line-height: 1.45; margin-top: 4px; }
.foi-notes li { background: var(--background-fill-secondary); border-radius: 6px; padding: 6px 10px;
  margin-top: 6px; font-size: 0.9rem; }
.foi-ncnd { margin: 4px 0; }
.foi-table { width: 100%; border-collapse: collapse; font-size: 0.92rem; border: none !important;
  margin: 0 !important; }
.foi-table tr { border: none !important; }
.foi-table th, .foi-table td { border-left: none !important; border-right: none !important;
  border-top: none !important; }
.foi-table th { text-align: left; font-weight: 600; color: var(--body-text-color-subdued); font-size: 0.8rem;
  text-transform: uppercase; letter-spacing: 0.03em; border-bottom: 1px solid var(--border-color-primary);
  padding: 6px 8px; }
.foi-table td { vertical-align: top; padding: 8px; border-bottom: 1px solid var(--border-color-primary); }
.foi-table .foi-plain li { margin-bottom: 3px; line-height: 1.35; }
.foi-col-prov { width: 90px; }
.foi-col-score { width: 120px; white-space: nowrap; font-variant-numeric: tabular-nums; }
.foi-score { display: inline-block; width: 56px; height: 6px; border-radius: 3px; vertical-align: middle;
  background: var(--background-fill-secondary); overflow: hidden; }
.foi-score span { display: block; height: 100%; background: var(--color-accent); }
#foi-draft textarea { font-family: var(--font-mono); font-size: 0.88rem; line-height: 1.5; }
#foi-letter textarea { font-size: 0.92rem; line-height: 1.5; }
#foi-draft-actions, #foi-letter-actions, #foi-remove-actions, #foi-add-actions, #foi-apply-actions {
  gap: 8px !important; flex-wrap: wrap !important; justify-content: flex-start !important; }
#foi-draft-actions > *, #foi-letter-actions > *, #foi-remove-actions > *, #foi-add-actions > *,
#foi-apply-actions > * { flex: 0 0 auto !important; width: auto !important; min-width: 0 !important; }
#foi-add, #foi-apply { min-width: 140px !important; }

/* library and settings */
#foi-docs .foi-scroll { max-height: 520px; overflow-y: auto; border: 1px solid var(--border-color-primary);
  border-radius: 8px; }
#foi-docs thead th { position: sticky; top: 0; background: var(--background-fill-primary); z-index: 1; }
.foi-library td { padding: 6px 8px; }
.foi-library code { font-size: 0.8rem; color: var(--body-text-color-subdued); background: none; padding: 0;
  word-break: break-all; }
.foi-num { text-align: right; font-variant-numeric: tabular-nums; }
#foi-remove-actions { align-items: center !important; flex-wrap: nowrap !important; }
#foi-remove-actions > #foi-remove-id { flex: 1 1 auto !important; }
#foi-settings { max-width: 760px; }
.foi-muted p { color: var(--body-text-color-subdued); font-size: 0.85rem; margin: 0; }

/* narrow screens: the suggestions table becomes cards, panels breathe less */
@media (max-width: 640px) {
  .gradio-container { padding: 0 8px !important; }
  #foi-titlebar .foi-tagline { display: none; }
  #foi-mode label { padding: 5px 10px !important; font-size: 0.9rem; }
  #foi-sources { max-height: 60vh; }
  .foi-table thead { display: none; }
  .foi-table, .foi-table tbody, .foi-table tr, .foi-table td { display: block; width: auto !important; }
  .foi-table tr { border: 1px solid var(--border-color-primary) !important; border-radius: 8px; margin-bottom: 8px;
    padding: 4px 8px; }
  .foi-table td { border: none; padding: 4px 0; }
  .foi-table td[data-label="Why"]::before, .foi-table td[data-label="Precedents"]::before {
    content: attr(data-label); display: block; font-size: 0.75rem; font-weight: 600; text-transform: uppercase;
    color: var(--body-text-color-subdued); }
  .foi-col-prov, .foi-col-score { display: inline-block !important; margin-right: 12px; }
  .foi-library td[data-label="Kind"], .foi-library td[data-label="Passages"] { display: inline-block;
    margin-right: 10px; }
  .foi-library td[data-label="Passages"]::after { content: " passages"; color: var(--body-text-color-subdued); }
  #foi-docs .foi-scroll { border: none; max-height: 640px; }
}
"""


def make_theme():
    import gradio as gr

    return gr.themes.Default(primary_hue="blue", secondary_hue="slate", neutral_hue="slate",
                             radius_size="md", font=SYSTEM_FONTS, font_mono=MONO_FONTS)


def launch_options() -> dict:
    """What launch() needs besides host and port."""
    return {"theme": make_theme(), "css": CSS, "footer_links": [], "run_history": False, "show_error": True}
