"""What a benchmark run does, parsed from the command line. Every tunable
number of the run is named here."""
from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

DEFAULT_SIZES = (1_000, 10_000)
DEFAULT_SEED = 7
DEFAULT_OUT = Path("bench-output")
QUERIES_PER_KIND = 30
WARMUP_CALLS = 2
QUICK_QUERIES_PER_KIND = 5
QUICK_WARMUP_CALLS = 1
QUICK_CLI_RUNS = 1
CLI_RUNS = 3


@dataclass(frozen=True)
class BenchOptions:
    sizes: tuple[int, ...] = DEFAULT_SIZES
    out: Path = DEFAULT_OUT
    seed: int = DEFAULT_SEED
    server: bool = False
    quick: bool = False
    langchain: bool = True
    encode_sample: int = 0          # 0: the encode-only baseline uses every chunk text
    work: Path | None = None        # scratch space (default: OUT/work, removed afterwards)
    keep: bool = False              # keep the generated corpora and indexes
    server_copy: bool = False       # fill the server from the embedded store (no second embedding pass)

    @property
    def queries(self) -> int:
        return QUICK_QUERIES_PER_KIND if self.quick else QUERIES_PER_KIND

    @property
    def warmup(self) -> int:
        return QUICK_WARMUP_CALLS if self.quick else WARMUP_CALLS

    @property
    def cli_runs(self) -> int:
        return QUICK_CLI_RUNS if self.quick else CLI_RUNS

    @property
    def work_dir(self) -> Path:
        return self.work or self.out / "work"


def _sizes(text: str) -> tuple[int, ...]:
    out = []
    for part in text.split(","):
        part = part.strip().lower().replace("_", "")
        mult = 1_000 if part.endswith("k") else 1
        out.append(int(float(part.rstrip("k")) * mult))
    if not out or min(out) <= 0:
        raise argparse.ArgumentTypeError("sizes must be positive chunk counts, e.g. 1000,10000 or 1k,10k")
    return tuple(out)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Ingest and query benchmarks of FOI Assistant on synthetic corpora, with a plain "
                    "LangChain pipeline side by side. Writes OUT/bench.json and OUT/bench.md.")
    p.add_argument("--sizes", type=_sizes, default=DEFAULT_SIZES,
                   help="target chunk counts, comma-separated (default 1000,10000; 1k,10k,100k also work)")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where bench.json and bench.md go (default ./bench-output)")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED, help="corpus and query seed (default 7)")
    p.add_argument("--server", action="store_true", help="also run against a Chroma server on loopback")
    p.add_argument("--server-copy", action="store_true",
                   help="fill the server by copying the embedded store's records (ids, vectors, text, metadata) "
                        "instead of a second full ingest: at 100k the ingest would embed everything again")
    p.add_argument("--quick", action="store_true", help=f"smoke mode: {QUICK_QUERIES_PER_KIND} queries per kind, one CLI run")
    p.add_argument("--no-langchain", dest="langchain", action="store_false", help="skip the LangChain baseline")
    p.add_argument("--encode-sample", type=int, default=0,
                   help="time the model alone on at most this many chunk texts (default 0: all of them)")
    p.add_argument("--work", type=Path, help="scratch directory (default OUT/work)")
    p.add_argument("--keep", action="store_true", help="keep the generated corpora and indexes")
    return p


def parse(argv: list[str] | None = None) -> BenchOptions:
    a = build_parser().parse_args(argv)
    return BenchOptions(sizes=a.sizes, out=a.out, seed=a.seed, server=a.server, quick=a.quick,
                        langchain=a.langchain, encode_sample=a.encode_sample, work=a.work, keep=a.keep,
                        server_copy=a.server_copy)
