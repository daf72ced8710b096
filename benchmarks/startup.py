"""Start-up cost in a fresh process: the CLI's wall time, and (run as
`python -m benchmarks.startup`) import + Engine construction + first and
second query, printed as one JSON line for the parent to read."""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
CLI_RUNS = 3
SUBPROCESS_TIMEOUT_S = 600


def _cli_path() -> str:
    beside = Path(sys.executable).parent / "foi-assistant"
    return str(beside) if beside.exists() else (shutil.which("foi-assistant") or "foi-assistant")


def _store_args(data_dir: Path, host: str | None, port: int | None) -> list[str]:
    args = ["--data-dir", str(data_dir)]
    if host:
        args += ["--chroma-host", host, "--chroma-port", str(port)]
    return args


def _env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO_ROOT), env.get("PYTHONPATH", "")) if p)
    return env


def cli_wall_times(data_dir: Path, query: str, host: str | None = None, port: int | None = None,
                   runs: int = CLI_RUNS) -> dict:
    """`foi-assistant --data-dir D search QUERY`, wall time per run."""
    cmd = [_cli_path(), *_store_args(data_dir, host, port), "search", query]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(cmd, capture_output=True, text=True, env=_env(), cwd=REPO_ROOT,
                              timeout=SUBPROCESS_TIMEOUT_S)
        times.append(time.perf_counter() - start)
        if done.returncode != 0:
            return {"error": done.stderr.strip()[-500:], "command": " ".join(cmd)}
    return {"runs": runs, "seconds": [round(t, 3) for t in times], "median_s": round(sorted(times)[len(times) // 2], 3),
            "command": " ".join(cmd)}


def engine_startup(data_dir: Path, query: str, host: str | None = None, port: int | None = None) -> dict:
    """Import, Engine(), first and second query in a child process."""
    cmd = [sys.executable, "-m", "benchmarks.startup", *_store_args(data_dir, host, port), "--query", query]
    done = subprocess.run(cmd, capture_output=True, text=True, env=_env(), cwd=REPO_ROOT,
                          timeout=SUBPROCESS_TIMEOUT_S)
    lines = [ln for ln in done.stdout.splitlines() if ln.startswith("{")]
    if done.returncode != 0 or not lines:
        return {"error": done.stderr.strip()[-500:]}
    return json.loads(lines[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="measure Engine start-up in this fresh process")
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--chroma-host")
    parser.add_argument("--chroma-port", type=int)
    parser.add_argument("--query", required=True)
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    from assistant.config import Settings
    from assistant.engine import Engine
    t1 = time.perf_counter()
    engine = Engine(Settings.load(data_dir=args.data_dir, chroma_host=args.chroma_host, chroma_port=args.chroma_port))
    t2 = time.perf_counter()
    engine.search(args.query)
    t3 = time.perf_counter()
    engine.search(args.query)
    t4 = time.perf_counter()
    from .measure import peak_rss_mb, rss_mb

    print(json.dumps({"import_s": round(t1 - t0, 3), "engine_s": round(t2 - t1, 3),
                      "first_query_s": round(t3 - t2, 3), "second_query_s": round(t4 - t3, 3),
                      "engine_plus_first_query_s": round(t3 - t1, 3), "total_s": round(t3 - t0, 3),
                      "rss_mb": rss_mb(), "peak_rss_mb": peak_rss_mb()}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
