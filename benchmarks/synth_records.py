"""Synthetic precedent records (the evals/data/known-responses.jsonl
format) and short guidance notes (Markdown with front matter)."""
from __future__ import annotations

import random

from .synth_cases import Case, cite, fill, harm_points, place_name, slug_of

REQUEST_PREFIXES = ("The requester asked: ", "A request for the following: ", "")
GUIDANCE_AUTHORITY_TYPES = ("police", "council", "nhs", "central_gov")


def precedent_record(case: Case, rng: random.Random, phrases: dict, index: int) -> dict:
    url = (f"https://foi.example.org/{slug_of(case.authority)}/{slug_of(case.reference)}"
           if rng.random() < 0.6 else None)
    return {
        "id": f"synth-{case.authority_type}-{case.topic['id']}-{index:07d}",
        "authority": case.authority, "authority_type": case.authority_type,
        "reference": case.reference, "date": case.letter_date.isoformat(), "url": url,
        "request": rng.choice(REQUEST_PREFIXES) + case.request,
        "outcome": case.outcome, "sections": case.sections, "ncnd": case.ncnd,
        "pit": bool(case.qualified(phrases)) and case.outcome not in ("disclosed", "not_held", "cost_limit"),
        "harm_points": harm_points(case, rng, phrases),
        "notes": rng.choice(phrases["notes"]),
    }


def guidance_note(rng: random.Random, phrases: dict, index: int) -> tuple[str, str]:
    """(file stem, Markdown text) of a short note on one provision."""
    g = phrases["guidance"]
    fam = rng.choice(phrases["guidance_families"])
    topic = rng.choice([t for t in phrases["topics"] if any(fam in s for o in t["outcomes"] for s in o["sections"])]
                       or phrases["topics"])
    subsections = sorted({s for o in topic["outcomes"] for s in o["sections"] if s.startswith(fam)}) or [fam]
    section = rng.choice(subsections)
    words = cite(section, rng, phrases)
    title = phrases["titles"][fam]
    kind = rng.choice(GUIDANCE_AUTHORITY_TYPES)
    authority = fill(rng.choice(phrases["authorities"][kind]),
                     {"place": place_name(rng, phrases), "place2": place_name(rng, phrases)})
    slots = {"cite": words, "title": title, "title_lower": title.lower(), "authority": authority,
             "keywords": topic["keywords"]}
    note_id = f"synth-guidance-{index:06d}"
    lines = ["---", f"id: {note_id}", f'title: "{title} ({section}): note {index}"', "kind: guidance",
             f'sections: ["{section}"]', "---", "", f"# {title} ({words})", ""]

    def block(key: str, sentences: list[str]) -> None:
        lines.extend([f"## {rng.choice(g['sections'][key])}", "", " ".join(fill(s, slots) for s in sentences), ""])

    block("when", [rng.choice(g["when"])])
    block("test", rng.sample(g["test"][phrases["guidance_tests"][fam]], k=2))
    if fam not in phrases["absolute_families"]:
        block("pit", [rng.choice(g["pit"])] + [fill(p, slots) for p in phrases["pit_against"].get(fam, [])[:1]])
    lines.extend([f"## {rng.choice(g['sections']['mistakes'])}", ""])
    lines.extend(f"- {m}" for m in rng.sample(g["mistakes"], k=rng.randint(2, 3)))
    lines.append("")
    block("example", [rng.choice(g["example"])] + rng.sample(phrases["harm"].get(fam, [""]), k=1))
    return note_id, "\n".join(lines)
