"""A synthetic FOI response letter from a Case: Markdown ('#' headings) or
plain text (heading-like lines), with the sections a real letter has:
Request, Response, Exemptions, Harm, Public interest test, Your rights."""
from __future__ import annotations

import random

from .synth_cases import Case, cite, fill, harm_points, long_date

# Faults a refusal letter can carry, for exercising engine.explain.
FLAWS = ("none", "no_rights", "pit_on_absolute", "missing_subsection")
COST_LIMIT_HOURS = {"central_gov": 24}     # everyone else: 18 hours
HOURLY_RATE = 25                           # pounds, the Fees Regulations rate
SEARCH_NOTE_SHARE = 0.5                    # letters that describe the searches made


class _Writer:
    """Collects blocks and renders headings in the letter's style."""

    def __init__(self, markdown: bool, rng: random.Random, phrases: dict):
        self.markdown, self.rng, self.phrases = markdown, rng, phrases
        self.blocks: list[str] = []

    def heading(self, key: str, level: int = 2) -> None:
        style = "markdown" if self.markdown else "text"
        title = self.rng.choice(self.phrases["headings"][style][key])
        self.blocks.append(f"{'#' * level} {title}" if self.markdown else title)

    def sub(self, text: str) -> None:
        self.blocks.append(f"### {text}" if self.markdown else text)

    def para(self, *sentences: str) -> None:
        text = " ".join(s for s in sentences if s)
        if text:
            self.blocks.append(text)

    def bullets(self, items: list[str]) -> None:
        if items:
            self.blocks.append("\n".join(f"- {i}" for i in items))

    def pick(self, key: str, slots: dict) -> str:
        return fill(self.rng.choice(self.phrases[key]), slots)

    def text(self) -> str:
        return "\n\n".join(self.blocks).strip() + "\n"


def _table(case: Case, w: _Writer) -> None:
    rows = case.topic.get("rows")
    if not rows:
        return
    years = list(range(case.slots["y1"], case.slots["y2"] + 1))[-4:]
    values = {(r, y): w.rng.randint(3, 4000) for r in rows for y in years}
    if w.markdown:
        lines = ["| | " + " | ".join(map(str, years)) + " |", "|---" * (len(years) + 1) + "|"]
        lines += [f"| {r} | " + " | ".join(str(values[r, y]) for y in years) + " |" for r in rows]
    else:
        lines = [f"{r}: " + "; ".join(f"{y}: {values[r, y]}" for y in years) for r in rows]
    w.blocks.append("\n".join(lines))


def _response(case: Case, w: _Writer) -> None:
    slots = dict(case.slots)
    hours = COST_LIMIT_HOURS.get(case.authority_type, 18)
    records = w.rng.choice([900, 1500, 2600, 4800, 12000])
    minutes = w.rng.choice([3, 5, 10, 15])
    slots.update(hours=hours, pounds=hours * HOURLY_RATE, records=records, minutes=minutes,
                 estimate=records * minutes // 60)
    w.heading("response")
    w.para(fill(w.rng.choice(w.phrases["response"][case.outcome]), slots))
    if case.outcome in ("disclosed", "partial", "refused", "not_held") and w.rng.random() < SEARCH_NOTE_SHARE:
        w.para(w.pick("searches", slots))
    if case.outcome in ("disclosed", "partial", "partial_ncnd"):
        _table(case, w)
    if case.outcome == "cost_limit":
        w.para(w.pick("cost_estimate", slots))
        w.para(w.pick("advice", slots))
    if case.outcome == "not_held":
        w.para(w.pick("not_held_extra", slots))
    if "s21" in case.families:
        w.para(w.pick("s21_extra", slots))


def _exemptions(case: Case, w: _Writer, flaw: str) -> None:
    cited = [s for s in case.sections if not s.startswith("s16")]
    if not cited or case.outcome == "not_held":
        return
    absolute = set(w.phrases["absolute_families"])
    w.heading("exemptions")
    w.para(w.pick("exemption_intro", case.slots))
    for section in cited:
        shown = section.split("(")[0] if flaw == "missing_subsection" else section
        fam = shown.split("(")[0]
        words = cite(shown, w.rng, w.phrases)
        w.sub(f"{words} - {w.phrases['titles'].get(fam, 'Exemption')}")
        is_absolute = fam in absolute and flaw != "pit_on_absolute"
        note = w.pick("absolute_note" if is_absolute else "qualified_note", {"cite": words})
        w.para(note)


def _harm(case: Case, w: _Writer) -> None:
    points = harm_points(case, w.rng, w.phrases)
    if not points and not case.ncnd:
        return
    w.heading("harm")
    w.para(*points)
    if case.ncnd:
        w.para(w.pick("ncnd_reasoning", case.slots))


def _public_interest(case: Case, w: _Writer, flaw: str) -> None:
    families = case.qualified(w.phrases)
    if flaw == "pit_on_absolute" and not families:
        families = case.families
    if not families or case.outcome in ("disclosed", "not_held", "cost_limit", "vexatious"):
        return
    w.heading("pit")
    w.para("Factors favouring disclosure:")
    w.bullets(w.rng.sample(w.phrases["pit_for"], k=w.rng.randint(2, 3)))
    w.para("Factors favouring the exemption:")
    against = [p for f in families for p in w.phrases["pit_against"].get(f, [])]
    w.bullets(against or ["Release would cause the harm described above."])
    w.para(w.pick("pit_conclusion", case.slots))


def render_letter(case: Case, rng: random.Random, phrases: dict, *, markdown: bool,
                  flaw: str = "none") -> str:
    w = _Writer(markdown, rng, phrases)
    title = f"Freedom of Information Request - Reference {case.reference}"
    w.blocks.append(f"# {title}" if markdown else title.upper())
    w.para(f"{case.authority}\n{case.team}\nOur reference: {case.reference}\nDate: {long_date(case.letter_date)}")
    w.para(f"Dear {case.requester},")
    w.para(w.pick("intro", case.slots))
    w.heading("request")
    w.para(w.pick("request_lead", case.slots))
    w.para(f"> {case.request}" if markdown else f'"{case.request}"')
    _response(case, w)
    _exemptions(case, w, flaw)
    _harm(case, w)
    _public_interest(case, w, flaw)
    if flaw != "no_rights":
        w.heading("rights")
        w.para(w.pick("rights", case.slots))
    team = case.team[0].upper() + case.team[1:]
    w.blocks.append(f"{rng.choice(phrases['signoff'])}\n{team}\n{case.authority}")
    return w.text()
