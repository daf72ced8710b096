"""python -m benchmarks.api_load [--data-dir D] [--clients 20]: start the app (API, MCP and
web page in one process) on loopback, send N requests at once from N separate clients
(questions, searches, drafts, explanations), and report how many were answered and how long
they took. Bounded: one round of N requests, each with a time limit."""
from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LETTER = ("We withhold the contract prices under section 43(2) because disclosure would be likely to prejudice "
          "the supplier's commercial interests. We considered the public interest. You may ask for an internal "
          "review, and complain to the Information Commissioner.")
JOBS = [("POST", "/api/ask", {"question": "how long does a council have to answer an FOI request?"}),
        ("POST", "/api/ask", {"question": "what does section 31(3) mean?"}),
        ("POST", "/api/ask", {"question": "can they refuse because it would cost too much?"}),
        ("GET", "/api/search?q=legal+advice+privilege&k=5", None),
        ("POST", "/api/draft", {"request": "The salaries of the council's senior managers", "authority": "Eastshire Council"}),
        ("POST", "/api/explain", {"text": LETTER})]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def one(base: str, job, timeout: float) -> tuple[int, float]:
    method, path, body = job
    req = urllib.request.Request(base + path, method=method, data=json.dumps(body).encode() if body else None,
                                 headers={"Content-Type": "application/json"})
    t = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            r.read()
            return r.status, time.perf_counter() - t
    except Exception:   # counted as not answered
        return 0, time.perf_counter() - t


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.api_load", description=__doc__)
    ap.add_argument("--data-dir", type=Path, default=ROOT / "data")
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--timeout", type=float, default=300.0, help="seconds each request may take")
    args = ap.parse_args(argv)
    port = free_port()
    env = dict(os.environ, GRADIO_ANALYTICS_ENABLED="False")
    args.data_dir.mkdir(parents=True, exist_ok=True)
    log = open(args.data_dir / "api-load-server.log", "w")         # beside the index, not in the checkout
    proc = subprocess.Popen([sys.executable, "app.py", "--port", str(port), "--data-dir", str(args.data_dir)], cwd=ROOT,
                            stdout=log, stderr=subprocess.STDOUT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(base + "/api/health", timeout=5).read()
                break
            except OSError:
                time.sleep(0.5)
        jobs = [JOBS[i % len(JOBS)] for i in range(args.clients)]
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.clients) as pool:
            results = list(pool.map(lambda j: one(base, j, args.timeout), jobs))
        wall = time.perf_counter() - started
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    ok = [s for s, _ in results if s == 200]
    times = sorted(t for _, t in results)
    out = {"clients": args.clients, "answered": len(ok), "wall_s": round(wall, 2),
           "latency_s": {"p50": round(statistics.median(times), 2), "p95": round(times[int(0.95 * (len(times) - 1))], 2),
                         "max": round(times[-1], 2)}}
    print(json.dumps(out, indent=2))
    return 0 if len(ok) == args.clients else 1


if __name__ == "__main__":
    sys.exit(main())
