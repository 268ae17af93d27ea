"""The e-diarium in Chromium: every public page type is axe-clean (WCAG 2.1 AA), in
Swedish and English, and a visitor reaches a case from /diarium/ with the keyboard only."""

from __future__ import annotations

import re

import pytest

from caseflow.common.timeutil import today
from tests.browser.accessibility import assert_accessible
from tests.public.conftest import case_url, register  # noqa: F401 - the register fixture

pytestmark = pytest.mark.browser


def test_every_public_page_type_is_accessible(page, register):  # noqa: F811
    day = today().isoformat()
    for url in (
        "/diarium/",
        "/diarium/?q=bostadsanpassning",
        "/diarium/?q=finns-inte",
        case_url(register["case"]),
        case_url(register["case"]) + "?lang=en",
        f"/diarium/postlista?date={day}",
        "/diarium/postlista?date=2020-01-01",
        "/tillganglighet",
        "/diarium/no-such-page",
    ):
        page.goto(url)
        assert_accessible(page, url)


def _tab_to(page, matches, limit: int = 40) -> None:
    """Press Tab until the focused element is the one ``matches`` (a JS predicate)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(el => {matches})(document.activeElement)"):
            return
    raise AssertionError(f"never reached {matches} with Tab")


def test_a_visitor_reaches_a_case_with_the_keyboard_only(page, register):  # noqa: F811
    page.goto("/diarium/")
    # The skip link comes first and lands in the main content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    _tab_to(page, "el.id === 'q'")
    page.keyboard.type("bostadsanpassning")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/diarium/\?q=bostadsanpassning"))
    target = case_url(register["case"])
    _tab_to(page, f"el.tagName === 'A' && el.getAttribute('href') === '{target}'")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(target) + "$"))
    assert "bostadsanpassning" in page.locator("h1").inner_text()
