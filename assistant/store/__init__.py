"""Storage: the bundled embedder, Chroma (dense) and BM25 (sparse) over the same chunks."""
