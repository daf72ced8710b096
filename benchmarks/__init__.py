"""Benchmarks of FOI Assistant: ingest throughput (against the embedding
model alone), query latency, start-up, memory, a plain LangChain pipeline
side by side and an optional Chroma server run, on synthetic corpora.

    python -m benchmarks --sizes 1000,10000 --out bench-output [--server]
    python -m benchmarks --sizes 200 --quick          # smoke run, about a minute
"""
