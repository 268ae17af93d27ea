"""What tests share beyond fixtures: the rule for tests whose tools may be missing."""

from __future__ import annotations

import os
import time

import pytest


def in_ci() -> bool:
    """Whether this run is CI's, where every tool the tests talk to must be installed."""
    return os.environ.get("CI") == "true"


def require_or_skip(reason: str) -> None:
    """Skip the test because ``reason``; under CI (``CI=true``) fail it instead.

    A developer without LibreOffice, Dovecot or Chromium still gets a green run of the
    rest, while CI can never pass by quietly skipping what it is there to check.
    """
    if in_ci():
        pytest.fail(f"must run under CI, but {reason}", pytrace=False)
    pytest.skip(reason)


def assert_linear(run, make_input, size: int, *, ratio: float = 30) -> None:
    """Assert that ``run`` on an input ten times larger takes less than ``ratio`` times longer.

    Linear work takes about 10 times as long, quadratic about 100 times; 30 sits between
    with room for a loaded machine. No fixed number of seconds: that fails on a slow CI
    runner and passes a quadratic algorithm on a fast one. The small input runs three
    times (the first warms caches up) and counts its best time; the large one runs a
    second time only when the first was too slow, in case another process had the CPU.
    """
    small, large = make_input(size), make_input(10 * size)
    small_time = min(_timed(run, small) for _ in range(3))
    # Below a millisecond the clock's noise is larger than the work being measured.
    limit = ratio * max(small_time, 0.001)
    large_time = _timed(run, large)
    if large_time >= limit:
        large_time = min(large_time, _timed(run, large))
    assert large_time < limit, f"{size} → {small_time:.4f} s, {10 * size} → {large_time:.4f} s"


def _timed(run, data) -> float:
    started = time.perf_counter()
    run(data)
    return time.perf_counter() - started
