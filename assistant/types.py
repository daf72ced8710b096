"""The shapes every stage shares: documents and chunks from ingest, hits
from retrieval, citations, checks and suggestions from reasoning."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Document:
    """One source file (or one JSONL record) before chunking."""
    doc_id: str
    title: str
    kind: str                       # legislation | guidance | response
    text: str
    source_path: str = ""
    url: str = ""
    sections: list[str] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)   # outcome, authority, reference, date, ncnd ...
    content_hash: str = ""


@dataclass
class Chunk:
    chunk_id: str
    doc_id: str
    title: str
    kind: str
    text: str
    heading: str = ""
    url: str = ""
    sections: list[str] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass
class Hit:
    chunk: Chunk
    score: float                    # fused score (higher is better)
    dense: float | None = None      # cosine similarity, when the dense side found it
    bm25_rank: int | None = None
    dense_rank: int | None = None

    def to_json(self) -> dict:
        c = self.chunk
        return {"id": c.chunk_id, "doc_id": c.doc_id, "title": c.title, "kind": c.kind,
                "sections": c.sections, "url": c.url, "score": round(self.score, 6),
                "text": c.text}


@dataclass
class Citation:
    n: int
    doc_id: str
    chunk_id: str
    title: str
    url: str
    quote: str
    verified: bool = False
    kind: str = ""
    origin: str = "builtin"         # builtin (the project's corpus) | user (an upload or the authority's own file)

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class Check:
    id: str
    ok: bool
    message: str

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class Suggestion:
    section: str                    # e.g. "s31(3)" or "s40(2)"
    score: float
    reasons: list[str] = field(default_factory=list)
    precedents: list[dict] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"section": self.section, "score": round(self.score, 3),
                "reasons": self.reasons, "precedents": self.precedents}
