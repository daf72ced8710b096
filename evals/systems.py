"""The systems scored side by side, each a function (case, filters) -> Prediction:
ours (the full officer task) and simpler baselines run in the same process."""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from assistant.engine import Engine
from assistant.reason.act import REGISTRY, family, invalid_citations
from assistant.retrieve import Filters

from .dataset import Case, PROCEDURAL, scored_exact, scored_families

BASELINE_K = 5


@dataclass
class Prediction:
    families: set[str]
    exact: set[str]
    ncnd: bool
    outcome: str
    citations: list[dict] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)
    retrieved_families: list[str] = field(default_factory=list)
    why: str = ""
    ranked: list[str] = field(default_factory=list)     # the system's full ranking of families, best first


def exclusion(case: Case, engine: Engine | None = None) -> Filters:
    """Same-case exclusion: the case's own precedent record, and every other
    record of the same case in the index (its decision notice, its tribunal
    appeal, a summary elsewhere: precedents/cases.py), are out of reach."""
    docs = {f"precedent:{case.id}"}
    if engine is not None:
        docs |= engine.index.same_case(case.record())
    return Filters(exclude_doc_ids=frozenset(docs), exclude_urls=frozenset({case.url} if case.url else set()))


def ours(engine: Engine, case: Case, filters: Filters, models=None) -> Prediction:
    """The full officer task; models: fitted without this case (evals/folds.py)."""
    d = engine.draft(case.request, authority=case.authority, filters=filters, authority_type=case.authority_type,
                     models=models)
    out = d.to_json()
    sections = [s["section"] for s in out["suggestions"]]
    text = out["draft"] + " ".join(" ".join(s["reasons"]) for s in out["suggestions"])
    invalid = invalid_citations(text) + [s for s in sections if not REGISTRY.exists(s)]
    retrieved = list(dict.fromkeys(family(h.chunk.doc_id.replace("s22a", "s22A")) for h in d.result.document_hits))[:5]
    why = "; ".join(f"{s['section']} {s['score']:.2f} ({', '.join(s['reasons'][:2])})" for s in out["suggestions"])
    return Prediction(scored_families(sections), scored_exact(sections), out["ncnd"], out["outcome"],
                      out["citations"], invalid, retrieved, why,
                      ranked=[r["family"] for r in out.get("ranking") or []])


def hand_weighted(engine: Engine, case: Case, filters: Filters) -> Prediction:
    """The suggester before the learned model: a hand-weighted vote of neighbours, guidance and cues."""
    from assistant.reason.suggest import decide, gather

    sg = gather(case.request, engine.retriever, engine.settings, authority=case.authority, filters=filters)
    r = decide(sg, engine.settings)
    sections = [s.section for s in r.suggestions]
    return Prediction(scored_families(sections), scored_exact(sections), r.ncnd, r.outcome,
                      ranked=[family(f) for f, _ in r.ranking])


def _vote(hits) -> tuple[set[str], bool, str]:
    """A baseline's guess from retrieved chunks: the sections of the best
    precedent among them (or of the best exemption document), its NCND and outcome."""
    for h in hits:
        if h.chunk.kind == "response" and h.chunk.sections:
            return set(h.chunk.sections), bool(h.chunk.meta.get("ncnd")), h.chunk.meta.get("outcome") or "refused"
    for h in hits:
        fams = [s for s in h.chunk.sections if family(s) not in PROCEDURAL]
        if fams:
            return {fams[0]}, False, "refused"
    return set(), False, "refused"


def retrieval_baseline(mode: str):
    def run(engine: Engine, case: Case, filters: Filters) -> Prediction:
        hits = engine.search(case.request, k=BASELINE_K, filters=filters, mode=mode)
        secs, ncnd, outcome = _vote(hits)
        return Prediction(scored_families(list(secs)), scored_exact(list(secs)), ncnd, outcome,
                          why=f"top hit: {hits[0].chunk.title[:60] if hits else 'none'}")
    return run


def precedent_neighbours(engine: Engine, case: Case, filters: Filters) -> Prediction:
    f = replace(filters, kinds=("response",))
    hits = engine.search(case.request, k=1, filters=f)
    secs, ncnd, outcome = _vote(hits)
    return Prediction(scored_families(list(secs)), scored_exact(list(secs)), ncnd, outcome)


class LangChainBaseline:
    """A plain LangChain retrieval chain: Chroma vector store + the same
    embeddings + a retriever, no FOI logic. Its guess is the top precedent's sections."""

    def __init__(self, engine: Engine, persist_dir: str):
        from langchain_chroma import Chroma
        from langchain_core.documents import Document
        from langchain_core.embeddings import Embeddings
        from langchain_core.runnables import RunnableLambda

        embedder = engine.index.embedder

        class Bundled(Embeddings):
            def embed_documents(self, texts):
                return embedder.encode(list(texts)).tolist()

            def embed_query(self, text):
                return embedder.encode([text])[0].tolist()

        from chromadb.config import Settings as ChromaSettings

        self.store = Chroma(collection_name="langchain-baseline", embedding_function=Bundled(),
                            persist_directory=persist_dir, client_settings=ChromaSettings(anonymized_telemetry=False))
        if not self.store.get(limit=1)["ids"]:
            docs = [Document(page_content=c.text, metadata={"doc_id": c.doc_id, "kind": c.kind,
                                                            "sections": " ".join(c.sections),
                                                            "ncnd": bool(c.meta.get("ncnd")),
                                                            "outcome": c.meta.get("outcome") or ""})
                    for c in engine.index.chunks.values()]
            self.store.add_documents(docs, ids=[f"lc-{i}" for i in range(len(docs))])
        self.RunnableLambda = RunnableLambda

    def __call__(self, engine: Engine, case: Case, filters: Filters) -> Prediction:
        retriever = self.store.as_retriever(search_kwargs={"k": BASELINE_K + 2})
        chain = retriever | self.RunnableLambda(
            lambda docs: [d for d in docs if d.metadata["doc_id"] not in filters.exclude_doc_ids][:BASELINE_K])
        docs = chain.invoke(case.request)
        for d in docs:
            if d.metadata["kind"] == "response" and d.metadata["sections"]:
                secs = d.metadata["sections"].split()
                return Prediction(scored_families(secs), scored_exact(secs), d.metadata["ncnd"],
                                  d.metadata["outcome"] or "refused")
        for d in docs:
            secs = [s for s in d.metadata["sections"].split() if family(s) not in PROCEDURAL][:1]
            if secs:
                return Prediction(scored_families(secs), scored_exact(secs), False, "refused")
        return Prediction(set(), set(), False, "refused")
