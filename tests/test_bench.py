"""The benchmark runs end to end at its smallest size (a smoke test: speed is
measured by `make bench`, never asserted here)."""
import json
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow


def test_bench_smoke(tmp_path):
    out = tmp_path / "bench"
    subprocess.run([sys.executable, "-m", "benchmarks", "--sizes", "200", "--quick", "--out", str(out)],
                   check=True, capture_output=True, text=True, timeout=900)
    result = json.loads((out / "bench.json").read_text())
    assert result
    table = (out / "bench.md").read_text()
    assert "chunks/s" in table and "p50" in table
