"""Synthetic FOI corpora for the benchmarks, reproducible from a seed.

A corpus is the project's own law and guidance (corpus/*.md, as every
deployment has), then response letters from police forces, councils, NHS trusts and
central government (Markdown or plain text), precedent records (JSONL in
the known-responses format) and short guidance notes, sized by a target
chunk count. Document i of each kind depends only on (seed, kind, i), so
the 1k corpus is a prefix of the 10k one. All text is invented from the
phrase bank in data/synth.yaml.

    corpus = generate_corpus(Path("/tmp/c"), target_chunks=10_000, seed=7,
                             counter=my_chunk_counter)
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .synth_cases import doc_rng, load_phrases, make_case, slug_of
from .synth_letters import FLAWS, render_letter
from .synth_records import guidance_note, precedent_record

SHARES = {"letter": 0.70, "precedent": 0.20, "guidance": 0.10}   # of the target chunk count
MARKDOWN_SHARE = 0.7            # letters written in Markdown; the rest plain text
PRECEDENTS_PER_FILE = 250
CALIBRATION_DOCS = 60           # documents of each kind chunked to learn chunks per document
CHARS_PER_CHUNK_GUESS = 900     # used only when no chunk counter is given
REFUSAL_OUTCOMES = ("refused", "ncnd", "partial", "cost_limit", "not_held_plus_ncnd", "vexatious", "partial_ncnd")
FLAWED_SHARE = 0.3              # refusal letters for explain that carry a fault

BUILTIN = Path(__file__).resolve().parent.parent / "corpus"

ChunkCounter = Callable[[str, str], int]     # (file name, text) -> number of chunks


def guess_chunks(name: str, text: str) -> int:
    if name.endswith(".jsonl"):
        return sum(1 for line in text.splitlines() if line.strip())
    return max(1, round(len(text) / CHARS_PER_CHUNK_GUESS))


def letter(seed: int, index: int) -> tuple[str, str]:
    """(relative path, text) of letter `index`."""
    rng = doc_rng(seed, "letter", index)
    phrases = load_phrases()
    case = make_case(rng, phrases)
    markdown = rng.random() < MARKDOWN_SHARE
    text = render_letter(case, rng, phrases, markdown=markdown)
    suffix = "md" if markdown else "txt"
    return f"letters/{case.authority_type}/{index:07d}-{slug_of(case.reference)}.{suffix}", text


def precedent(seed: int, index: int) -> str:
    """One JSONL line: precedent record `index`."""
    rng = doc_rng(seed, "precedent", index)
    phrases = load_phrases()
    return json.dumps(precedent_record(make_case(rng, phrases), rng, phrases, index), ensure_ascii=False)


def guidance(seed: int, index: int) -> tuple[str, str]:
    note_id, text = guidance_note(doc_rng(seed, "guidance", index), load_phrases(), index)
    return f"guidance/{note_id}.md", text


def refusal_letter(seed: int, index: int) -> str:
    """A refusal, NCND or cost-limit letter for engine.explain; some carry a fault."""
    rng = doc_rng(seed, "refusal", index)
    phrases = load_phrases()
    case = make_case(rng, phrases, outcomes=REFUSAL_OUTCOMES)
    flaw = rng.choice(FLAWS[1:]) if rng.random() < FLAWED_SHARE else "none"
    return render_letter(case, rng, phrases, markdown=rng.random() < MARKDOWN_SHARE, flaw=flaw)


def plan(target_chunks: int, seed: int, counter: ChunkCounter) -> dict[str, int]:
    """How many documents of each kind reach the target, from a calibration sample."""
    samples = {
        "letter": [counter(*letter(seed, i)) for i in range(CALIBRATION_DOCS)],
        "precedent": [counter("p.jsonl", precedent(seed, i)) for i in range(CALIBRATION_DOCS)],
        "guidance": [counter(*guidance(seed, i)) for i in range(CALIBRATION_DOCS)],
    }
    return {kind: max(1, math.ceil(SHARES[kind] * target_chunks / (sum(s) / len(s))))
            for kind, s in samples.items()}


@dataclass
class Corpus:
    root: Path
    seed: int
    target_chunks: int
    docs: dict[str, int]
    files: list[Path] = field(default_factory=list)
    bytes: int = 0

    def to_json(self) -> dict:
        return {"root": str(self.root), "seed": self.seed, "target_chunks": self.target_chunks,
                "docs": self.docs, "files": len(self.files), "bytes": self.bytes}


def _write(root: Path, rel: str, text: str, corpus: Corpus) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    corpus.files.append(path)
    corpus.bytes += len(text.encode())


def builtin_files() -> list[Path]:
    """The project's own law, guidance and precedent library (corpus/; the answer
    base is not indexed): every deployment searches them beside its disclosure log."""
    return sorted(p for p in BUILTIN.rglob("*") if p.suffix in (".md", ".jsonl") and p.name.lower() != "readme.md"
                  and "answers" not in p.relative_to(BUILTIN).parts)


def generate_corpus(root: Path, target_chunks: int, seed: int = 0,
                    counter: ChunkCounter | None = None) -> Corpus:
    """Write a corpus of about `target_chunks` chunks under `root` (which should
    be empty): the built-in law and guidance, and synthetic documents for the rest."""
    counter = counter or guess_chunks
    builtin = [(f"builtin/{p.relative_to(BUILTIN)}", p.read_text(encoding="utf-8")) for p in builtin_files()]
    builtin_chunks = sum(counter(rel, text) for rel, text in builtin)
    docs = plan(max(target_chunks - builtin_chunks, 1), seed, counter)
    corpus = Corpus(root=root, seed=seed, target_chunks=target_chunks, docs={**docs, "builtin": len(builtin)})
    for rel, text in builtin:
        _write(root, rel, text, corpus)
    for i in range(docs["letter"]):
        _write(root, *letter(seed, i), corpus)
    for start in range(0, docs["precedent"], PRECEDENTS_PER_FILE):
        lines = [precedent(seed, i) for i in range(start, min(start + PRECEDENTS_PER_FILE, docs["precedent"]))]
        _write(root, f"precedents/precedents-{start // PRECEDENTS_PER_FILE:05d}.jsonl", "\n".join(lines) + "\n", corpus)
    for i in range(docs["guidance"]):
        _write(root, *guidance(seed, i), corpus)
    return corpus
