"""Result dicts (the engine's to_json()) -> HTML and Markdown for the page.

Pure functions: no gradio, no engine calls. Every string that comes from the
engine or from a document is escaped here; the wording itself (legal text,
check messages, next steps) is the engine's, passed through unchanged."""
from __future__ import annotations

import re
from collections import Counter
from datetime import date
from html import escape

KIND_LABELS = {"legislation": "Legislation", "guidance": "Guidance", "response": "Precedent"}


def outcome_words(outcome: str | None) -> str:
    """An outcome code in the engine's own words (the ones precedents are indexed with)."""
    from ..ingest.loaders import OUTCOME_WORDS

    return OUTCOME_WORDS.get(outcome or "", (outcome or "").replace("_", " "))


def _e(value) -> str:
    return escape("" if value is None else str(value))


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>])")


def md_escape(text) -> str:
    """Text shown inside Markdown as itself (a document title cannot become a link or a heading)."""
    return _MD_SPECIAL.sub(r"\\\1", "" if text is None else str(text))


_STRONG = re.compile(r"\*\*(.+?)\*\*")
_EM = re.compile(r"(?<![*\w])\*(?!\s)(.+?)(?<!\s)\*(?![*\w])")


def _inline(text) -> str:
    """Escaped text with Markdown bold and italic kept (quotes are cut from Markdown documents)."""
    out = _STRONG.sub(r"<strong>\1</strong>", _e(text))
    return _EM.sub(r"<em>\1</em>", out)


def _link(text: str, url: str | None) -> str:
    if url and url.startswith(("http://", "https://")):
        return f'<a href="{_e(url)}" target="_blank" rel="noopener noreferrer">{_e(text)}</a>'
    return _e(text)


def _badge(text: str, tone: str) -> str:
    return f'<span class="foi-badge foi-badge-{tone}">{_e(text)}</span>'


def _empty(text: str) -> str:
    return f'<p class="foi-empty">{_e(text)}</p>'


def html_empty(text: str) -> str:
    return _empty(text)


def format_deadline(value) -> str:
    """An ISO date as "Thu 12 Mar 2026"; anything else as given."""
    if not value:
        return ""
    try:
        d = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
    except ValueError:
        return str(value)
    return d.strftime("%a %d %b %Y").replace(" 0", " ")


def _refs(citations) -> str:
    """Citation markers for a step or section: ints, or citation dicts with "n"."""
    ns = []
    for c in citations or []:
        n = c.get("n") if isinstance(c, dict) else c
        if n is not None:
            ns.append(f"[{_e(n)}]")
    return f' <span class="foi-refs">{"".join(ns)}</span>' if ns else ""


# --- the sources panel -----------------------------------------------------------
def sources_html(citations: list[dict], *, weak: bool = False) -> str:
    if not citations:
        return _empty("Sources for the latest answer appear here.")
    cards = []
    for c in citations:
        verified = c.get("verified")
        badge = _badge("verified", "ok") if verified else _badge("unverified", "warn")
        kind = c.get("kind") or ""
        kind_badge = _badge(KIND_LABELS.get(kind, kind), "kind") if kind else ""
        title = c.get("title") or c.get("doc_id") or ""
        quote = re.sub(r"^\s*(?:[-*+]|\d+[.)])\s+", "", c.get("quote") or "")   # a list item's marker
        user = c.get("origin") == "user"
        # a document someone added is labelled as such, and its own link is shown, not followed
        head = (f'{_e(title)}' + (f' <span class="foi-muted">{_e(c.get("url"))}</span>' if c.get("url") else "")
                if user else _link(title, c.get("url")))
        origin_badge = _badge("added document", "warn") if user else ""
        cards.append(
            f'<li class="foi-source" id="source-{_e(c.get("n"))}">'
            f'<div class="foi-source-head"><span class="foi-n">[{_e(c.get("n"))}]</span> '
            f'<span class="foi-source-title">{head}</span></div>'
            f'<div class="foi-source-badges">{kind_badge}{origin_badge}{badge}</div>'
            + (f'<blockquote>{_inline(quote)}</blockquote>' if quote else "")
            + "</li>")
    head = weak_banner() if weak else ""
    return f'{head}<ol class="foi-sources">{"".join(cards)}</ol>'


def weak_banner() -> str:
    return ('<div class="foi-weak" role="alert"><strong>Low confidence.</strong> The library has little '
            "that matches this. Treat the answer as a starting point and check the sources.</div>")


def weak_markdown() -> str:
    return ("> ⚠️ **Low confidence:** the library has little that matches this. "
            "Treat this as a starting point and check the sources.\n\n")


def notes_markdown(notes: list[str]) -> str:
    return "".join(f"> ℹ️ {n}\n>\n" for n in notes or []).rstrip(">\n") + ("\n\n" if notes else "")


# --- checks, next steps, provisions (requester) ------------------------------------
def checks_html(checks: list[dict], *, empty: str = "No checks yet.") -> str:
    if not checks:
        return _empty(empty)
    items = []
    for c in checks:
        ok = bool(c.get("ok"))
        mark = "✓" if ok else "✗"
        items.append(f'<li class="foi-check {"ok" if ok else "fail"}"><span class="foi-mark" aria-label='
                     f'"{"passed" if ok else "failed"}">{mark}</span><span>{_e(c.get("message"))}</span></li>')
    failed = sum(1 for c in checks if not c.get("ok"))
    summary = (f'<p class="foi-check-summary">{failed} of {len(checks)} checks need attention</p>' if failed
               else f'<p class="foi-check-summary ok">All {len(checks)} checks passed</p>')
    return f'{summary}<ul class="foi-checks">{"".join(items)}</ul>'


def steps_html(steps: list[dict]) -> str:
    if not steps:
        return _empty("Next steps appear here once a letter has been explained.")
    items = []
    for s in steps:
        deadline = format_deadline(s.get("deadline"))
        due = f'<span class="foi-due">by {_e(deadline)}</span>' if deadline else ""
        items.append(f'<li><div class="foi-step-head"><strong>{_e(s.get("step"))}</strong>{due}</div>'
                     f'<p>{_e(s.get("detail"))}{_refs(s.get("citations"))}</p></li>')
    return f'<ol class="foi-steps">{"".join(items)}</ol>'


def provisions_html(sections: list[dict], ncnd: bool = False) -> str:
    if not sections:
        return _empty("No provisions of the Act were found in the letter.")
    rows = []
    for s in sections:
        badges = ""
        if s.get("absolute") is True:
            badges += _badge("absolute", "kind")
        elif s.get("absolute") is False:
            badges += _badge("qualified", "kind")
        if s.get("ncnd"):
            badges += _badge("neither confirm nor deny", "warn")
        explanation = s.get("explanation") or ""
        body = (f'<details><summary>What it means</summary><div>{_e(explanation)}{_refs(s.get("citations"))}'
                f"</div></details>" if explanation else "")
        rows.append(f'<li><div class="foi-prov-head"><span class="foi-section">{_e(s.get("section"))}</span> '
                    f'{_e(s.get("title"))} {badges}</div>{body}</li>')
    head = (f'<p class="foi-note">{_badge("NCND", "warn")} The authority neither confirms nor denies holding '
            "the information.</p>" if ncnd else "")
    return f'{head}<ul class="foi-provisions">{"".join(rows)}</ul>'


def plain_letter(markdown: str) -> str:
    """A letter to paste into an email: Markdown bold and heading marks dropped, words unchanged."""
    lines = [re.sub(r"^#{1,6}\s+", "", ln) for ln in markdown.splitlines()]
    return _STRONG.sub(r"\1", "\n".join(lines)).strip() + "\n"


# --- suggestions (officer) ----------------------------------------------------------
def _precedent(p: dict) -> str:
    who = " ".join(x for x in (p.get("authority"), p.get("reference")) if x) or "Precedent"
    outcome = p.get("outcome") or ""
    tone = "ok" if outcome in ("granted", "released", "disclosed") else "kind"
    badges = _badge(outcome.replace("_", " "), tone) if outcome else ""
    if p.get("ncnd") and "ncnd" not in outcome:
        badges += _badge("NCND", "warn")
    secs = ", ".join(p.get("sections") or [])
    request = p.get("request") or ""
    title = f' title="{_e(request)}"' if request else ""
    return (f"<li{title}>{_link(who, p.get('url'))} {badges}"
            + (f' <span class="foi-muted">{_e(secs)}</span>' if secs else "") + "</li>")


def suggestions_html(suggestions: list[dict]) -> str:
    if not suggestions:
        return _empty("No exemption stands out for this request.")
    top = max((s.get("score") or 0) for s in suggestions) or 1.0
    rows = []
    for s in suggestions:
        score = float(s.get("score") or 0)
        width = max(4, round(100 * score / top))
        reasons = "".join(f"<li>{_e(r)}</li>" for r in s.get("reasons") or [])
        precs = "".join(_precedent(p) for p in s.get("precedents") or [])
        none_close = '<li class="foi-muted">none close</li>'
        rows.append(
            "<tr>"
            f'<td class="foi-col-prov" data-label="Provision">'
            f'<span class="foi-section">{_e(s.get("section"))}</span></td>'
            f'<td class="foi-col-score" data-label="Score"><span class="foi-score"><span style="width:{width}%"></span>'
            f"</span> {score:.2f}</td>"
            f'<td data-label="Why"><ul class="foi-plain">{reasons}</ul></td>'
            f'<td data-label="Precedents"><ul class="foi-plain">{precs or none_close}</ul></td>'
            "</tr>")
    return ('<table class="foi-table foi-suggestions"><thead><tr><th>Provision</th><th>Score</th><th>Why</th>'
            f'<th>Precedents</th></tr></thead><tbody>{"".join(rows)}</tbody></table>')


def ranking_html(ranking: list[dict]) -> str:
    """The full ranking: the five likeliest provisions with their calibrated probabilities."""
    if not ranking:
        return ""
    rows = "".join(
        f'<li><span class="foi-section">{_e(r.get("section"))}</span> '
        f'<span class="foi-prob">{float(r.get("probability") or 0):.2f}</span>'
        f'<span class="foi-score"><span style="width:{max(2, round(100 * float(r.get("probability") or 0)))}%"></span></span></li>'
        for r in ranking)
    return f'<div class="foi-ranking"><p class="foi-label">Top 5, with probabilities</p><ol class="foi-plain">{rows}</ol></div>'


ITEM_WORDS = {"disclosed": "disclose", "not_held": "not held", "withhold": "withhold", "ncnd": "neither confirm nor deny",
              "cost_limit": "s12: the request as a whole"}


def items_html(items: list[dict]) -> str:
    """A multi-part request, item by item: what to do with each and why."""
    if not items:
        return ""
    rows = "".join(
        "<tr>"
        f'<td data-label="Item">{_e(it.get("n"))}. {_e(it.get("text"))}</td>'
        f'<td data-label="Response">{_badge(ITEM_WORDS.get(it.get("response"), it.get("response") or ""), "warn" if it.get("response") in ("withhold", "ncnd", "cost_limit") else "ok")}'
        + (f' <span class="foi-section">{_e(", ".join(it.get("sections") or []))}</span>' if it.get("sections") else "")
        + f'</td><td data-label="Why"><ul class="foi-plain">{"".join(f"<li>{_e(r)}</li>" for r in it.get("reasons") or [])}</ul></td>'
        "</tr>" for it in items)
    return ('<table class="foi-table foi-items" id="foi-items-table"><thead><tr><th>Item</th><th>Suggested response</th>'
            f'<th>Why</th></tr></thead><tbody>{rows}</tbody></table>')


def consistency_html(view: dict) -> str:
    """How others answered this: similar past cases grouped by outcome, each with its authority, date,
    link and, for a decision notice, what was found about each provision."""
    if not view or not view.get("cases"):
        return _empty("No similar past cases in the library.")
    groups = []
    for g in view.get("groups") or []:
        cases = []
        for c in g.get("cases") or []:
            who = " ".join(x for x in (c.get("authority"), f"({c['date'][:4]})" if c.get("date") else "") if x)
            ref = f' <span class="foi-muted">{_e(c.get("decision_ref"))}</span>' if c.get("decision_ref") else ""
            found = "; ".join(f"{k} {v}" for k, v in (c.get("finding") or {}).items())
            cases.append(f'<li title="{_e(c.get("request"))}">{_link(who or "a past case", c.get("url"))}{ref}'
                         + (f' <span class="foi-finding">decision: {_e(found)}</span>' if found else "")
                         + f'<div class="foi-muted">{_e(c.get("request"))}</div></li>')
        secs = ", ".join(g.get("sections") or [])
        groups.append(f'<details open><summary>{_badge(outcome_words(g.get("outcome")), "kind")} '
                      f'{_e(g.get("count"))} case(s){" — " + _e(secs) if secs else ""}</summary>'
                      f'<ul class="foi-plain foi-cases">{"".join(cases)}</ul></details>')
    return (f'<div class="foi-consistency" id="foi-consistency-view"><p><strong>How others answered this:</strong> '
            f'{_e(view.get("summary"))}</p>{"".join(groups)}</div>')


def decisions_html(precedents: list[dict]) -> str:
    """For a requester: what the Commissioner or the Tribunal decided about the same provisions in similar cases."""
    if not precedents:
        return ""
    items = []
    for p in precedents:
        cases = "".join(f'<li>{_link(c.get("authority") or c.get("decision_ref") or "a case", c.get("url"))} '
                        f'{_e(c.get("decision_ref") or "")}: {_e((c.get("finding") or "").replace("_", " "))}</li>'
                        for c in p.get("cases") or [])
        items.append(f'<li><p>{_e(p.get("summary"))}</p><ul class="foi-plain foi-cases">{cases}</ul></li>')
    return f'<ul class="foi-plain foi-decisions" id="foi-decisions">{"".join(items)}</ul>'


def topic_markdown(topic: dict | None) -> str:
    """The answer base's answer a reply comes from, shown under it."""
    if not topic:
        return ""
    also = f" (and: {topic['also']})" if topic.get("also") else ""
    return f"\n\n<sub>Answer: {md_escape(topic.get('title'))}{md_escape(also)}</sub>"


def ncnd_html(result: dict) -> str:
    outcome = outcome_words(result.get("outcome"))
    parts = []
    if outcome:
        parts.append(f'<p><span class="foi-label">Likely outcome</span> {_e(outcome)}</p>')
    prob = result.get("ncnd_score")
    prob_text = f" (probability {float(prob):.2f})" if prob is not None else ""
    if result.get("ncnd"):
        secs = ", ".join(result.get("ncnd_sections") or [])
        parts.append(f'<p class="foi-ncnd">{_badge("NCND", "warn")} Neither confirm nor deny'
                     + (f" under <strong>{_e(secs)}</strong>" if secs else "") + f"{_e(prob_text)}.</p>")
    elif result.get("ncnd_consider"):
        secs = ", ".join(result.get("ncnd_consider") or [])
        parts.append(f'<p class="foi-ncnd">{_badge("consider NCND", "kind")} Consider neither confirming nor denying '
                     f"under <strong>{_e(secs)}</strong>{_e(prob_text)}.</p>")
    else:
        parts.append(f'<p class="foi-muted">NCND is not indicated for this request{_e(prob_text)}.</p>')
    if result.get("ncnd_reasons"):
        parts.append('<ul class="foi-notes">' + "".join(f"<li>{_e(r)}</li>" for r in result["ncnd_reasons"]) + "</ul>")
    notes = result.get("notes") or []
    if notes:
        parts.append('<ul class="foi-notes">' + "".join(f"<li>{_e(n)}</li>" for n in notes) + "</ul>")
    return "".join(parts)


def draft_summary_markdown(result: dict) -> str:
    """The chat message for a draft: what was suggested, and where the draft is."""
    secs = [s.get("section") for s in result.get("suggestions") or [] if s.get("section")]
    lines = []
    if result.get("weak"):
        lines.append(weak_markdown())
    if secs:
        lines.append("**Provisions to consider:** " + ", ".join(secs))
    else:
        lines.append("No exemption stands out for this request.")
    if result.get("outcome"):
        lines.append(f"**Likely outcome:** {outcome_words(result['outcome'])}")
    if result.get("ncnd"):
        ncnd = ", ".join(result.get("ncnd_sections") or [])
        lines.append("**Neither confirm nor deny:** consider it" + (f" ({ncnd})" if ncnd else ""))
    failed = [c for c in result.get("checks") or [] if not c.get("ok")]
    if failed:
        lines.append(f"**Checks:** {len(failed)} to look at before sending")
    lines.append("The draft response and the precedents are in the panel below the chat.")
    body = "\n\n".join(lines)
    return body + ("\n\n" + notes_markdown(result.get("notes") or []) if result.get("notes") else "")


# --- the library -----------------------------------------------------------------
def library_summary(documents: list[dict]) -> str:
    if not documents:
        return "The library is empty."
    kinds = Counter(d.get("kind") or "other" for d in documents)
    chunks = sum(int(d.get("chunks") or 0) for d in documents)
    by_kind = " · ".join(f"{KIND_LABELS.get(k, k)}: {n}" for k, n in sorted(kinds.items()))
    return f"**{len(documents)} documents**, {chunks} passages — {by_kind}"


def library_html(documents: list[dict], query: str = "") -> str:
    """The indexed documents as a table (cards on a narrow screen), filtered by a
    case-insensitive match on title, kind or id."""
    q = (query or "").strip().lower()
    shown = [d for d in documents if not q or q in " ".join(
        str(d.get(k) or "") for k in ("title", "kind", "doc_id")).lower()
        or q in KIND_LABELS.get(d.get("kind"), "").lower()]
    if not shown:
        return _empty(f"No document matches “{query}”." if q else "The library is empty.")
    rows = "".join(
        "<tr>"
        f'<td data-label="Title">{_e(d.get("title") or d.get("doc_id"))}</td>'
        f'<td data-label="Kind">{_badge(KIND_LABELS.get(d.get("kind"), d.get("kind") or ""), "kind")}'
        f'{_badge(_whose(d), "warn" if d.get("owner") else "kind")}</td>'
        f'<td data-label="Passages" class="foi-num">{_e(d.get("chunks"))}</td>'
        f'<td data-label="Id"><code>{_e(d.get("doc_id"))}</code></td>'
        "</tr>" for d in shown)
    count = (f'<p class="foi-muted">Showing {len(shown)} of {len(documents)}</p>' if q else "")
    return (f'{count}<div class="foi-scroll"><table class="foi-table foi-library"><thead><tr><th>Title</th>'
            f'<th>Kind</th><th>Passages</th><th>Document id</th></tr></thead><tbody>{rows}</tbody></table></div>')


def _whose(d: dict) -> str:
    """Built in, shared by the operator, or this session's own upload."""
    if d.get("owner"):
        return "your upload"
    return "built in" if d.get("origin") == "builtin" else "shared"


def _plural(n, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _reason(file_name: str, failure: dict) -> str:
    """The engine's message, without the file name it starts with (it is shown just before)."""
    error = str(failure.get("error") or "")
    return error[len(file_name) + 2:] if error.startswith(f"{file_name}: ") else error


def ingest_report_markdown(report: dict, names: dict[str, str] | None = None) -> str:
    """names maps a stored source path back to the file name the person uploaded."""
    names = names or {}

    def name(source: str) -> str:
        return names.get(source) or source.replace("\\", "/").rsplit("/", 1)[-1]

    blocks = []
    added, skipped, failed = report.get("added") or [], report.get("skipped") or [], report.get("failed") or []
    if added:
        blocks.append(f"✓ **Added {len(added)}:** " + ", ".join(f"`{name(s)}`" for s in added)
                      + f" ({_plural(report.get('chunks_added', 0), 'passage')})")
    if skipped:
        blocks.append("• **Already in the library, unchanged:** " + ", ".join(f"`{name(s)}`" for s in skipped))
    if failed:
        blocks.append(f"✗ **Could not add {len(failed)}:**\n"
                      + "\n".join(f"- **{name(f.get('source', ''))}** — {_reason(name(f.get('source', '')), f)}"
                                  for f in failed))
    return "\n\n".join(blocks) or "Nothing to add."
