"""Ingest: load files (PDF, HTML, Markdown/text, JSONL), extract FOI metadata, chunk by headings."""
from .loaders import IngestError, SUPPORTED, load_file  # noqa: F401
