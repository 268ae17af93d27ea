"""The rule for tests whose tools may be missing: skipped at a desk, failed under CI."""

import pytest

from tests.support import assert_linear, require_or_skip


def test_a_missing_tool_skips_the_test_outside_ci(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="Dovecot is not installed"):
        require_or_skip("Dovecot is not installed")


@pytest.mark.parametrize("value", ["", "false", "1"])
def test_only_ci_true_counts_as_ci(monkeypatch, value):
    monkeypatch.setenv("CI", value)
    with pytest.raises(pytest.skip.Exception):
        require_or_skip("LibreOffice is not installed")


def test_a_missing_tool_fails_the_test_under_ci(monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="must run under CI, but Dovecot"):
        require_or_skip("Dovecot is not installed")


def _pairs(text):
    # Every pair of positions: quadratic on purpose.
    return sum(1 for i in range(len(text)) for _j in range(i))


def test_linear_work_passes_the_linear_time_check():
    assert_linear(lambda text: text.count("a"), lambda n: "ab" * n, 50_000)


def test_quadratic_work_fails_the_linear_time_check():
    with pytest.raises(AssertionError, match="300 → .* s, 3000 → .* s"):
        assert_linear(_pairs, lambda n: "a" * n, 300)
