"""Redirect targets from the request: only paths on this site, whatever the spelling."""

import pytest

from caseflow.common.redirects import safe_target

DEFAULT = "/"

#: Known ways to make a "local" target leave the site, from open-redirect write-ups
#: (OWASP's cheat sheet, PortSwigger's lists) and browser quirks.
BYPASSES = [
    "https://evil.example/",
    "http://evil.example",
    "//evil.example",
    "///evil.example",
    "////evil.example/",
    "/\\evil.example",
    "\\\\evil.example",
    "\\/evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "\t//evil.example",
    " //evil.example",
    "/ /evil.example",
    "/%2F/evil.example",
    "/%2f%2fevil.example",
    "%2F%2Fevil.example",
    "/%5Cevil.example",
    "/%5cevil.example",
    "/%252F%252Fevil.example",
    "/%09/evil.example",
    "/%0d%0a/evil.example",
    "/%00/evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "https:evil.example",
    "http:/evil.example",
    "//user:pass@evil.example",
    "https://caseflow.regionjh.se@evil.example/",
    "/\u2215\u2215evil.example",  # division slashes
    "/\uff0f\uff0fevil.example",  # full-width solidus
    "/\u3002evil.example",  # ideographic full stop
    "/\u200b/evil.example",  # zero-width space
    "/\u202e/elpmaxe.live",  # right-to-left override
    "/\x7f/evil.example",
    "/%e2%88%95%e2%88%95evil.example",  # encoded division slashes
    "/%ff",  # not UTF-8
    "evil.example",
    "",
    None,
    ["/"],
    "/" + "a" * 5000,
]

GOOD = [
    ("/", "/"),
    ("/cases/", "/cases/"),
    ("/cases/RS/720/2021", "/cases/RS/720/2021"),
    ("/cases/?q=RS&status=registered&page=2", "/cases/?q=RS&status=registered&page=2"),
    ("/documents/new?case=RS%2F720%2F2021", "/documents/new?case=RS%2F720%2F2021"),
    ("/parties/?q=Region%20J%C3%A4mtland", "/parties/?q=Region%20J%C3%A4mtland"),
    ("/parties/?q=Östersund", "/parties/?q=%C3%96stersund"),
    ("/meetings/3#item-4", "/meetings/3#item-4"),
]


@pytest.mark.parametrize("target", BYPASSES)
def test_a_target_that_could_leave_the_site_falls_back_to_the_default(target):
    assert safe_target(target, DEFAULT) == DEFAULT


@pytest.mark.parametrize("target, expected", GOOD)
def test_a_path_on_this_site_is_kept(target, expected):
    assert safe_target(target, DEFAULT) == expected


def test_the_list_of_bypasses_is_long_enough_to_mean_something():
    assert len(BYPASSES) >= 25
