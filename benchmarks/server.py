"""A Chroma server on loopback for the --server comparison: started with
the `chroma` CLI beside this Python, waited for, and stopped at the end."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

HOST = "127.0.0.1"
START_TIMEOUT_S = 60.0
POLL_S = 0.25
STOP_TIMEOUT_S = 15.0
HEARTBEAT_PATHS = ("/api/v2/heartbeat", "/api/v1/heartbeat")


def free_port(host: str = HOST) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def chroma_cli() -> str:
    beside = Path(sys.executable).parent / "chroma"
    found = str(beside) if beside.exists() else shutil.which("chroma")
    if not found:
        raise FileNotFoundError("the chroma CLI is not installed beside this Python")
    return found


def _alive(host: str, port: int) -> bool:
    for path in HEARTBEAT_PATHS:
        try:
            with urllib.request.urlopen(f"http://{host}:{port}{path}", timeout=2) as r:
                if r.status == 200:
                    return True
        except (urllib.error.URLError, OSError):
            continue
    return False


class ChromaServer:
    """with ChromaServer(path) as server: ... server.port ..."""

    def __init__(self, path: Path, host: str = HOST, port: int | None = None):
        self.path, self.host, self.port = path, host, port or free_port(host)
        self.process: subprocess.Popen | None = None
        self.log_path = path.parent / f"{path.name}-server.log"
        self.start_s: float | None = None

    def start(self) -> "ChromaServer":
        self.path.mkdir(parents=True, exist_ok=True)
        env = dict(os.environ, ANONYMIZED_TELEMETRY="False", CHROMA_ANONYMIZED_TELEMETRY="False")
        log = self.log_path.open("wb")
        begin = time.perf_counter()
        self.process = subprocess.Popen(
            [chroma_cli(), "run", "--path", str(self.path), "--host", self.host, "--port", str(self.port)],
            stdout=log, stderr=subprocess.STDOUT, env=env)
        log.close()
        deadline = begin + START_TIMEOUT_S
        while time.perf_counter() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"chroma server exited with {self.process.returncode}; see {self.log_path}")
            if _alive(self.host, self.port):
                self.start_s = time.perf_counter() - begin
                return self
            time.sleep(POLL_S)
        self.stop()
        raise TimeoutError(f"chroma server did not answer within {START_TIMEOUT_S:.0f}s; see {self.log_path}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def __enter__(self) -> "ChromaServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
