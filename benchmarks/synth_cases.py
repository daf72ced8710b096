"""The facts a synthetic letter or precedent is written from: who answered,
what was asked, what was decided and under which provisions. Everything
is drawn from the phrase bank (data/synth.yaml) with one seeded Random,
so the same (seed, kind, index) always gives the same case."""
from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

import yaml

PHRASES = Path(__file__).resolve().parent / "data" / "synth.yaml"
AUTHORITY_TYPES = ("police", "council", "nhs", "central_gov")
FIRST_DAY = date(2019, 1, 7)
SPAN_DAYS = 6 * 365                 # letters dated over six years from FIRST_DAY
DAYS_TO_ANSWER = (4, 30)            # calendar days from receipt to the letter
YEARS_ASKED = (1, 5)                # how many years a request spans
NCND_OUTCOMES = frozenset({"ncnd", "partial_ncnd", "not_held_plus_ncnd"})
_SLOT = re.compile(r"\{(\w+)\}")


@lru_cache(maxsize=1)
def load_phrases(path: Path = PHRASES) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def doc_rng(seed: int, kind: str, index: int) -> random.Random:
    """One independent stream per document: a small corpus is a prefix of a larger one."""
    return random.Random(f"{seed}:{kind}:{index}")


def family(section: str) -> str:
    m = re.match(r"^(s\d+[A-Z]?|reg\d+)", section)
    return m.group(1) if m else section


def fill(template: str, slots: dict) -> str:
    """str.format that leaves unknown slots visible instead of failing."""
    return _SLOT.sub(lambda m: str(slots.get(m.group(1), m.group(0))), template)


def slug_of(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def long_date(d: date) -> str:
    return f"{d.day} {d.strftime('%B')} {d.year}"


def place_name(rng: random.Random, phrases: dict) -> str:
    return rng.choice(phrases["places"]["prefix"]) + rng.choice(phrases["places"]["suffix"])


def weighted(rng: random.Random, options: list[dict]) -> dict:
    return rng.choices(options, weights=[o.get("weight", 1) for o in options])[0]


@dataclass
class Case:
    authority: str
    authority_type: str
    reference: str
    letter_date: date
    received: date
    topic: dict
    request: str
    outcome: str
    sections: list[str]
    requester: str
    team: str
    slots: dict

    @property
    def families(self) -> list[str]:
        return list(dict.fromkeys(family(s) for s in self.sections))

    @property
    def ncnd(self) -> bool:
        return self.outcome in NCND_OUTCOMES

    def qualified(self, phrases: dict) -> list[str]:
        """Families cited here that need a public interest test."""
        absolute = set(phrases["absolute_families"])
        return [f for f in self.families if f not in absolute and f in phrases["pit_against"]]


def reference_for(rng: random.Random, authority_type: str, d: date) -> str:
    n = rng.randint(1, 99999)
    return {"police": f"FOI {d.year % 100:02d}-{n:05d}", "council": f"FOI/{d.year}/{n:05d}",
            "nhs": f"FOI-{d.year}-{n:05d}", "central_gov": f"FOI{d.year}/{n:05d}"}[authority_type]


def make_case(rng: random.Random, phrases: dict, *, outcomes: tuple[str, ...] | None = None) -> Case:
    """A coherent case; `outcomes` restricts it to those outcomes (used for refusal letters)."""
    topics = phrases["topics"]
    if outcomes:
        topics = [t for t in topics if any(o["outcome"] in outcomes for o in t["outcomes"])]
    topic = rng.choice(topics)
    kind = rng.choice(topic["types"])
    place, place2 = place_name(rng, phrases), place_name(rng, phrases)
    authority = fill(rng.choice(phrases["authorities"][kind]), {"place": place, "place2": place2})
    letter_date = FIRST_DAY + timedelta(days=rng.randrange(SPAN_DAYS))
    received = letter_date - timedelta(days=rng.randint(*DAYS_TO_ANSWER))
    y2 = letter_date.year - rng.randint(0, 1)
    y1 = y2 - rng.randint(*YEARS_ASKED)
    slots = {
        "authority": authority, "place": place, "area": rng.choice(phrases["places"]["areas"]),
        "y1": y1, "y2": y2, "supplier": rng.choice(phrases["suppliers"]), "role": rng.choice(phrases["roles"]),
        "specialty": rng.choice(phrases["specialties"]), "team": rng.choice(phrases["teams"]),
        "n": rng.choice([80, 100, 120, 150]), "received": long_date(received),
        "date": long_date(received - timedelta(days=rng.randint(30, 400))),
        "nth_word": rng.choice(["four", "six", "nine"]), "keywords": topic["keywords"],
    }
    for extra in ("tech", "system", "policy", "country", "topic", "word", "nth"):
        if extra in topic:
            slots[extra] = rng.choice(topic[extra])
    options = [o for o in topic["outcomes"] if not outcomes or o["outcome"] in outcomes]
    chosen = weighted(rng, options)
    return Case(authority=authority, authority_type=kind, reference=reference_for(rng, kind, letter_date),
                letter_date=letter_date, received=received, topic=topic,
                request=fill(rng.choice(topic["requests"]), slots), outcome=chosen["outcome"],
                sections=list(chosen["sections"]), requester=rng.choice(phrases["requester_names"]),
                team=slots["team"], slots=slots)


def cite(section: str, rng: random.Random, phrases: dict) -> str:
    """'s31(1)(a)' written the way letters write it: 'Section 31(1)(a)', 's.31(1)(a)' ..."""
    num = section[1:] if section.startswith("s") else section
    return fill(rng.choice(phrases["cite_words"]), {"num": num})


def harm_points(case: Case, rng: random.Random, phrases: dict, most: int = 5) -> list[str]:
    points: list[str] = []
    for fam in case.families:
        bank = phrases["harm"].get(fam, [])
        points.extend(rng.sample(bank, k=min(len(bank), rng.randint(1, 3))))
    return [fill(p, case.slots) for p in points[:most]]
