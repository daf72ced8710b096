"""A plain LangChain RAG retriever over the same files, for comparison:
fixed-size 1000-character chunks, the same bundled MiniLM behind a
langchain_core Embeddings wrapper, a langchain_chroma.Chroma store, and
vectorstore.as_retriever(k=5). No hybrid search, no metadata, no boosts.

Others import the hook:

    from benchmarks.langchain_baseline import langchain_baseline, read_texts
    base = langchain_baseline(settings, read_texts(files))
    docs = base.retriever.invoke("s31(3) covert tactics")
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CHUNK_CHARS = 1000
OVERLAP_CHARS = 100
COLLECTION = "langchain-baseline"
STORE_SUBDIR = "langchain-baseline"     # under settings.data_dir (embedded mode)
RETRIEVER_K = 5


def split_fixed(text: str, size: int = CHUNK_CHARS, overlap: int = OVERLAP_CHARS) -> list[str]:
    """Fixed windows of `size` characters, each starting `size - overlap` after the last."""
    if size <= overlap:
        raise ValueError("chunk size must exceed the overlap")
    text = text.strip()
    step = size - overlap
    return [text[i:i + size] for i in range(0, max(len(text) - overlap, 1), step) if text[i:i + size].strip()]


def read_texts(files: list[Path]) -> list[str]:
    """What a plain loader would give: each file's text, or each JSONL line as its own text."""
    texts: list[str] = []
    for f in files:
        raw = f.read_text(encoding="utf-8")
        if f.suffix == ".jsonl":
            texts.extend(line for line in raw.splitlines() if line.strip())
        else:
            texts.append(raw)
    return texts


def _embeddings_class():
    from langchain_core.embeddings import Embeddings

    class MiniLMEmbeddings(Embeddings):
        """The project's Embedder behind LangChain's interface."""

        def __init__(self, embedder):
            self.embedder = embedder

        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            return self.embedder.encode(list(texts)).tolist()

        def embed_query(self, text: str) -> list[float]:
            return self.embedder.encode([text])[0].tolist()

    return MiniLMEmbeddings


def _client(settings):
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_host:
        return chromadb.HttpClient(host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings)
    path = Path(settings.data_dir) / STORE_SUBDIR
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=chroma_settings)


@dataclass
class Baseline:
    vectorstore: Any
    retriever: Any
    chunks: int
    split_s: float
    ingest_s: float          # split + embed + write

    def search(self, query: str) -> list:
        return self.retriever.invoke(query)


def langchain_baseline(settings, texts: list[str], *, embedder=None, k: int = RETRIEVER_K,
                       collection: str = COLLECTION) -> Baseline:
    """Build the baseline over `texts` (replacing any earlier one in the same place)."""
    from langchain_chroma import Chroma

    if embedder is None:
        from assistant.store.embedder import Embedder

        embedder = Embedder(settings)
    client = _client(settings)
    try:
        client.delete_collection(collection)
    except Exception:  # not there yet: Chroma raises its own NotFound types
        pass
    start = time.perf_counter()
    chunks = [piece for text in texts for piece in split_fixed(text)]
    split_s = time.perf_counter() - start
    store = Chroma(collection_name=collection, embedding_function=_embeddings_class()(embedder), client=client)
    batch = client.get_max_batch_size()
    for i in range(0, len(chunks), batch):
        store.add_texts(chunks[i:i + batch], ids=[f"lc-{j}" for j in range(i, min(i + batch, len(chunks)))])
    ingest_s = time.perf_counter() - start
    return Baseline(vectorstore=store, retriever=store.as_retriever(search_kwargs={"k": k}),
                    chunks=len(chunks), split_s=split_s, ingest_s=ingest_s)
