"""Hybrid retrieval: dense + BM25, fused by reciprocal rank, with filters and a section boost."""
from .hybrid import Filters, Retriever, rrf  # noqa: F401
