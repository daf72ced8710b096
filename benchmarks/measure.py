"""Clocks, percentiles and memory readings. Memory comes from /proc (Linux)
with resource.getrusage as the fallback; psutil is not needed.

`Stages` times named stages of code it does not own by wrapping functions
for the length of a `with` block and restoring them afterwards."""
from __future__ import annotations

import contextlib
import os
import resource
import sys
import time
import types
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

KIB_PER_MIB = 1024
MS = 1000.0


def percentile(values: list[float], q: float) -> float:
    """Linear interpolation between closest ranks (q in [0, 100])."""
    if not values:
        return float("nan")
    s = sorted(values)
    pos = (len(s) - 1) * q / 100.0
    lo = int(pos)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (pos - lo)


def latency_summary(seconds: list[float], keep_samples: bool = True) -> dict:
    out = {"n": len(seconds), "p50_ms": round(percentile(seconds, 50) * MS, 2),
            "p95_ms": round(percentile(seconds, 95) * MS, 2),
            "mean_ms": round(sum(seconds) / len(seconds) * MS, 2) if seconds else None,
            "max_ms": round(max(seconds) * MS, 2) if seconds else None}
    if keep_samples:
        out["samples_ms"] = [round(x * MS, 2) for x in seconds]
    return out


def _status_kib(field_name: str) -> int | None:
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith(field_name + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def rss_mb() -> float:
    kib = _status_kib("VmRSS")
    if kib is None:  # no /proc: the peak is the best we have
        return peak_rss_mb()
    return round(kib / KIB_PER_MIB, 1)


def peak_rss_mb() -> float:
    kib = _status_kib("VmHWM")
    if kib is None:
        kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        if sys.platform == "darwin":
            kib //= 1024
    return round(kib / KIB_PER_MIB, 1)


def reset_peak_rss() -> bool:
    """Start a new peak window (Linux: writing 5 to clear_refs resets VmHWM)."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as f:
            f.write("5")
        return True
    except OSError:
        return False


def cpu_seconds() -> float:
    """User + system CPU time of this process, all threads: less sensitive than
    wall time to other work on the machine."""
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


def load_average() -> list[float]:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return []


class GcClock:
    """Time spent in Python's garbage collector while the block runs."""

    def __init__(self):
        self.seconds = 0.0
        self.collections = 0
        self._start = 0.0

    def _callback(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._start = time.perf_counter()
        else:
            self.seconds += time.perf_counter() - self._start
            self.collections += 1

    def __enter__(self) -> "GcClock":
        import gc

        gc.callbacks.append(self._callback)
        return self

    def __exit__(self, *exc) -> None:
        import gc

        gc.callbacks.remove(self._callback)


@dataclass
class Clock:
    seconds: float = 0.0

    @contextlib.contextmanager
    def run(self) -> Iterator["Clock"]:
        start = time.perf_counter()
        try:
            yield self
        finally:
            self.seconds += time.perf_counter() - start


def timed(fn: Callable, *args, **kwargs) -> tuple[Any, float]:
    start = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - start


@dataclass
class Stages:
    """Seconds and calls per stage; `captured` keeps one argument of the
    stages asked to capture it (e.g. the texts given to the embedder)."""
    seconds: dict[str, float] = field(default_factory=dict)
    calls: dict[str, int] = field(default_factory=dict)
    captured: dict[str, list] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    _depth: dict[str, int] = field(default_factory=dict)

    def _add(self, stage: str, dt: float) -> None:
        self.seconds[stage] = self.seconds.get(stage, 0.0) + dt

    def wrap(self, fn: Callable, stage: str, capture: int | None = None) -> Callable:
        """capture: the position of an iterable argument to keep (None: keep nothing)."""
        def timed_call(*args, **kwargs):
            if capture is not None and len(args) > capture:
                self.captured.setdefault(stage, []).extend(args[capture])
            if self._depth.get(stage):   # a wrapped function calling another of the same stage
                return fn(*args, **kwargs)
            self.calls[stage] = self.calls.get(stage, 0) + 1
            self._depth[stage] = 1
            start = time.perf_counter()
            try:
                out = fn(*args, **kwargs)
            finally:
                self._depth[stage] = 0
                self._add(stage, time.perf_counter() - start)
            if isinstance(out, types.GeneratorType):
                return self._timed_generator(out, stage)
            return out
        timed_call.__wrapped__ = fn
        return timed_call

    def _timed_generator(self, gen, stage: str):
        while True:
            start = time.perf_counter()
            try:
                item = next(gen)
            except StopIteration:
                self._add(stage, time.perf_counter() - start)
                return
            self._add(stage, time.perf_counter() - start)
            yield item

    @contextlib.contextmanager
    def patched(self, targets: list[tuple[Any, str, str, int | None]]) -> Iterator["Stages"]:
        """targets: (object, attribute, stage, position of an argument to capture or None).
        An object may be a module, a class (its function is wrapped, so self
        comes first) or an instance (its bound method is shadowed). Targets
        that do not exist are listed in `missing`; optional ones (stage names
        ending in '?') are skipped silently."""
        undo: list[tuple[Any, str, Any, bool]] = []
        try:
            for obj, attr, stage, capture in targets:
                optional = stage.endswith("?")
                stage = stage.rstrip("?")
                if obj is None or not hasattr(obj, attr):
                    if not optional:
                        self.missing.append(f"{getattr(obj, '__name__', type(obj).__name__)}.{attr}")
                    continue
                had_own = attr in getattr(obj, "__dict__", {})
                original = obj.__dict__.get(attr, getattr(obj, attr)) if isinstance(obj, type) else getattr(obj, attr)
                if isinstance(original, (staticmethod, classmethod)):
                    self.missing.append(f"{obj.__name__}.{attr} (static)")
                    continue
                setattr(obj, attr, self.wrap(original, stage, capture))
                undo.append((obj, attr, original, had_own))
            yield self
        finally:
            for obj, attr, original, had_own in reversed(undo):
                if had_own or isinstance(obj, (type, types.ModuleType)):
                    setattr(obj, attr, original)
                else:
                    delattr(obj, attr)   # an instance attribute shadowing its class's method

    def total(self) -> float:
        return sum(self.seconds.values())

