"""Timing helpers shared by the benchmarks: medians, nearest-rank percentiles, summaries."""

from __future__ import annotations

import statistics
import time


def percentile(values: list[float], p: float) -> float:
    """The nearest-rank ``p``-th percentile."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def summary(values: list[float]) -> dict:
    """Median, p95 and min in milliseconds of timings in seconds."""
    return {
        "median_ms": statistics.median(values) * 1000,
        "p95_ms": percentile(values, 95) * 1000,
        "min_ms": min(values) * 1000,
        "runs": len(values),
    }


def timed(fn, runs: int) -> list[float]:
    """Seconds each of ``runs`` calls of ``fn`` took."""
    values = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        values.append(time.perf_counter() - start)
    return values
