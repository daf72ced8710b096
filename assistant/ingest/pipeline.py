"""ingest(paths): files -> documents -> chunks -> embeddings -> store.

Per file, all reading, parsing and chunking happens before anything is
written, so a bad file changes nothing. Unchanged files are skipped; a
changed file adds only the chunks that are new and removes those that are
gone, so re-running is safe and never duplicates.

A file counts as indexed only when the store holds exactly the chunks of its
current version: every chunk carries the version's hash and chunk count, so
a run killed half-way through a write (kill -9, power cut) leaves a source
that the next run sees as incomplete and finishes.

Documents from the built-in corpus keep the ids their files give them (the
law is cited by them: "s17", "ncnd"). Every other source's document ids are
prefixed with a hash of the source, so a user's file can never take over a
built-in document's id, nor two users' files each other's."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..types import Chunk, Document
from .chunking import EMBED_VERSION, chunk_document, embedding_text
from .loaders import SUPPORTED, IngestError, load_file, shown
from .redact import redact as redact_text

ANSWERS_DIR = "answers"
BULK_STATE_FILES = 64  # more files than this: read what the store holds of every source in one pass
                      # (a per-file where-query costs ~6 ms at 100k chunks: 4 minutes for 17k files)
EMBED_GROUP = 1024  # chunks gathered across files before one encode call (and one batched write):
                   # the model sorts a call's texts by length, so a bigger group pads less


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)        # sources added or changed
    skipped: list[str] = field(default_factory=list)      # unchanged
    failed: list[tuple[str, str]] = field(default_factory=list)   # (source, reason)
    removed: list[str] = field(default_factory=list)      # pruned sources
    chunks_added: int = 0
    chunks_removed: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed)

    def to_json(self) -> dict:
        return {"added": self.added, "skipped": self.skipped,
                "failed": [{"source": s, "error": e} for s, e in self.failed],
                "removed": self.removed, "chunks_added": self.chunks_added,
                "chunks_removed": self.chunks_removed}


def source_key(path: Path) -> str:
    return str(path.resolve())


def under(source: str, root: Path) -> bool:
    """Whether a source lies inside a folder, comparing whole path components
    (so corpus-local/ is not under corpus/, nor inputs/small500 under inputs/small5)."""
    return Path(source).is_relative_to(root.resolve())


def version_hash(raw: bytes, settings, origin: str, owner: str) -> str:
    """The hash a source's chunks are stored under: its bytes, and everything else
    that decides its chunks (chunking settings, the embedding text's version, whose
    it is), so a change to any of them re-ingests the file."""
    h = hashlib.sha256(raw)
    h.update(f"\0{EMBED_VERSION}|{settings.chunk_max_chars}|{settings.chunk_min_chars}|"
             f"{settings.chunk_overlap_chars}|{origin}|{owner}".encode())
    return h.hexdigest()


def complete(state: dict[str, tuple[str, int]], content_hash: str) -> bool:
    """A source is indexed when it holds exactly the chunks of this version."""
    return bool(state) and all(h == content_hash and n == len(state) for h, n in state.values())


def claim_ids(docs: list[Document], source: str, *, builtin: bool, owner: str) -> None:
    """Give a source's documents their ids and origin: built-in documents keep
    theirs; any other source's are prefixed with a hash of the source."""
    prefix = "" if builtin else f"user-{hashlib.sha1(source.encode()).hexdigest()[:10]}:"
    seen: set[str] = set()
    for d in docs:
        if d.doc_id in seen:
            raise IngestError(f"{shown(Path(source).name)}: the id {d.doc_id!r} is used by more than one record; "
                              "give each record its own id")
        seen.add(d.doc_id)
        d.doc_id = prefix + d.doc_id
        d.meta["origin"] = "builtin" if builtin else "user"
        if owner:
            d.meta["owner"] = owner


def expand_paths(paths: list[Path]) -> tuple[list[Path], list[tuple[str, str]]]:
    files: list[Path] = []
    missing: list[tuple[str, str]] = []
    for p in paths:
        if p.is_dir():
            files.extend(sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUPPORTED
                                and f.name.lower() != "readme.md"
                                and not any(part.startswith(".") for part in f.relative_to(p).parts)))
        elif p.is_file():
            files.append(p)
        else:
            missing.append((str(p), f"{p}: no such file or folder"))
    return list(dict.fromkeys(files)), missing


@dataclass
class _Pending:
    source: str
    content_hash: str
    n_chunks: int
    to_add: list[Chunk]
    keep: list[Chunk]
    stale: list[str]
    moved: dict[str, str] = field(default_factory=dict)   # new chunk id -> old id with the same text


def _digest(chunk_id: str) -> str:
    return chunk_id.rsplit("::", 1)[-1]


def _vectors(pending: list[_Pending], store, embedder):
    """One vector per chunk to add: stored ones for chunks that only moved, the model for the rest."""
    import numpy as np

    chunks = [c for p in pending for c in p.to_add]
    moved = {new: old for p in pending for new, old in p.moved.items()}
    stored = store.vectors(list(moved.values())) if moved else {}
    reuse = {new: stored[old] for new, old in moved.items() if old in stored}
    fresh = [c for c in chunks if c.chunk_id not in reuse]
    encoded = dict(zip((c.chunk_id for c in fresh), embedder.encode([embedding_text(c) for c in fresh])))
    return np.stack([reuse.get(c.chunk_id, encoded.get(c.chunk_id)) for c in chunks]) if chunks else None


def ingest(paths: list[Path], store, embedder, settings, *, prune_under: list[Path] | None = None,
           progress: Callable[[int, int, str], None] | None = None, show_bar: bool | None = None,
           owner: str = "", redact: bool = False) -> IngestReport:
    """owner: the web session an upload belongs to ("" for the shared library).
    redact: replace people's names, emails, phone numbers and addresses with typed
    placeholders before anything is indexed (ingest/redact.py); the built-in corpus never is."""
    from tqdm import tqdm

    report = IngestReport()
    builtin_root = Path(settings.corpus_dir)
    files, missing = expand_paths(paths)
    # the answer base (corpus/answers) is read by answers/, not indexed: it cites the corpus, it is not a source
    answers_root = builtin_root / ANSWERS_DIR
    files = [f for f in files if not under(source_key(f), answers_root)]
    report.failed.extend(missing)
    pending: list[_Pending] = []
    states = store.source_states() if len(files) > BULK_STATE_FILES else None
    # doc_id -> the sources holding it: from the states when read in bulk, and as this run claims ids
    owners: dict[str, set[str]] = {}
    for src, state in (states or {}).items():
        for cid in state:
            owners.setdefault(cid.split("::", 1)[0], set()).add(src)

    def flush():
        if not pending:
            return
        try:
            vectors = _vectors(pending, store, embedder)
        except Exception as e:  # the model itself failed: nothing of this group is written
            for p in pending:
                report.failed.append((p.source, f"embedding failed: {e}"))
            pending.clear()
            return
        parts, offset = [], 0
        for p in pending:
            parts.append((p.to_add, vectors[offset:offset + len(p.to_add)] if p.to_add else None, p.source,
                          p.content_hash, p.n_chunks))
            offset += len(p.to_add)
        try:  # the whole group in a few writes; if that fails, file by file so one bad file fails alone
            store.add_many([part for part in parts if part[0]])
            batched = True
        except Exception:
            batched = False
        for p, part in zip(pending, parts):
            n = len(p.to_add)
            try:
                if n and not batched:
                    store.add(*part)
                if p.keep:
                    store.refresh(p.keep, p.source, p.content_hash, p.n_chunks)
                store.delete_ids(p.stale)
                report.added.append(p.source)
                report.chunks_added += n
                report.chunks_removed += len(p.stale)
            except Exception as e:
                report.failed.append((p.source, f"could not be written to the index: {e}"))
        pending.clear()

    bar = tqdm(files, desc="ingest", unit="file", disable=(not show_bar) if show_bar is not None else None,
               leave=False)
    for i, path in enumerate(bar):
        source = source_key(path)
        if progress:
            progress(i, len(files), path.name)
        try:
            raw = path.read_bytes()
        except OSError as e:
            report.failed.append((source, f"{shown(path.name)}: cannot be read ({e.strerror})"))
            continue
        builtin = under(source, builtin_root)
        redacting = redact and not builtin
        content_hash = version_hash(raw, settings, "builtin" if builtin else "user", owner + ("|redacted" if redacting else ""))
        existing = states.get(source, {}) if states is not None else store.source_state(source)
        if complete(existing, content_hash):
            report.skipped.append(source)
            continue
        try:
            docs = load_file(path, raw)
            if redacting:
                for d in docs:
                    d.text = redact_text(d.text).text
                    d.title = redact_text(d.title).text
                    if d.meta.get("request"):
                        d.meta["request"] = redact_text(str(d.meta["request"])).text
            claim_ids(docs, source, builtin=builtin, owner=owner)
            taken = {d.doc_id: owners[d.doc_id] - {source} for d in docs if owners.get(d.doc_id, set()) - {source}}
            if states is None and not taken:
                taken = {d: srcs - {source} for d, srcs in
                         store.doc_sources([d.doc_id for d in docs]).items() if srcs - {source}}
            if taken:
                doc_id, others = next(iter(taken.items()))
                raise IngestError(f"{shown(path.name)}: the document id {doc_id!r} is already used by "
                                  f"{shown(sorted(others)[0])}; ids must be unique")
            chunks = [c for d in docs for c in chunk_document(d, settings)]
            if not chunks:
                raise IngestError(f"{shown(path.name)}: no text to index")
        except IngestError as e:
            report.failed.append((source, str(e)))
            continue
        for d in docs:
            owners.setdefault(d.doc_id, set()).add(source)
        ids = {c.chunk_id for c in chunks}
        if len(ids) != len(chunks):
            seen: set[str] = set()
            chunks = [c for c in chunks if not (c.chunk_id in seen or seen.add(c.chunk_id))]
        to_add = [c for c in chunks if c.chunk_id not in existing]
        old_by_digest = {_digest(cid): cid for cid in existing if cid not in ids}
        pending.append(_Pending(source, content_hash, len(chunks), to_add=to_add,
                                keep=[c for c in chunks if c.chunk_id in existing],
                                stale=[cid for cid in existing if cid not in ids],
                                moved={c.chunk_id: old_by_digest[_digest(c.chunk_id)] for c in to_add
                                       if _digest(c.chunk_id) in old_by_digest}))
        if sum(len(p.to_add) for p in pending) >= EMBED_GROUP:
            flush()
    flush()
    if progress:
        progress(len(files), len(files), "")

    if prune_under:
        present = {source_key(f) for f in files}
        for source in (states if states is not None else store.all_sources()):
            if source not in present and any(under(source, r) for r in prune_under):
                report.chunks_removed += store.delete_where({"source": source})
                report.removed.append(source)
    return report
