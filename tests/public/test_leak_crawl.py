"""The leak crawl: with a marker in every secret-capable field, protected and private
persons, and identity numbers in titles, every page, JSON and CSV reachable from
/diarium/ holds none of them — and no GET sets a cookie.

The crawler starts at the search page, the postlista of the day everything was
registered, searches for each marker and for the words around them, and follows every
link that stays on the public side (any language).
"""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import quote, unquote_plus, urljoin, urlsplit

from caseflow.common.timeutil import today
from tests.markers import MARKERS, PUBLIC_TITLE
from tests.public.conftest import IDENTITY_NUMBERS, PRIVATE, case_url

#: Where the public side lives; anything else (the staff pages, the login) is not crawled.
PUBLIC_PREFIXES = ("/diarium/", "/tillganglighet", "/robots.txt", "/anslagstavla/")
#: Pages that may hold nothing but what they did (the crawl ends there).
MAX_PAGES = 400
_HREF = re.compile(r'(?:href|action)="([^"]+)"')

#: Everything the public must never read.
FORBIDDEN = (
    *MARKERS.values(),
    *PRIVATE.values(),
    *IDENTITY_NUMBERS,
    "person@example.se",  # the secret party's address
    "mrkprot8b51@example.se",  # the protected person's
    "070-000 00 00",
)


_ECHO = re.compile(r'(?:href|value)="[^"]*"')


def leaks_in(url: str, text: str) -> set[str]:
    """The forbidden words in a page. What the visitor typed comes back in the search
    field and in the page's own links: those attributes are left out where the URL holds
    the word (that the search finds nothing for it is checked on its own)."""
    typed = {w for w in FORBIDDEN if w in unquote_plus(url)}
    if typed:
        text = _ECHO.sub("", text)
    return {w for w in FORBIDDEN if w in text}


def _links(page: str, base: str) -> list[str]:
    found = []
    for raw in _HREF.findall(page):
        url = urljoin(base, unescape(raw))
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if path.startswith(PUBLIC_PREFIXES):
            found.append(path)
    return found


def crawl(client, seeds) -> dict[str, str]:
    """Every public URL reachable from ``seeds``: {url: what it answered}."""
    seen, queue = {}, list(seeds)
    while queue and len(seen) < MAX_PAGES:
        url = queue.pop(0)
        if url in seen:
            continue
        with client.get(url) as response:
            body = response.get_data()
        assert "Set-Cookie" not in response.headers, url
        assert response.status_code in (200, 303, 404), (url, response.status_code)
        text = body.decode("utf-8", "replace")
        seen[url] = text
        if response.status_code == 303:
            queue.append(response.headers["Location"])
        elif response.mimetype == "text/html":
            queue += [link for link in _links(text, url) if link not in seen]
    return seen


def _seeds() -> list[str]:
    day = today().isoformat()
    words = [*MARKERS.values(), *PRIVATE.values(), *IDENTITY_NUMBERS]
    words += ["Utredning", "Läkarintyg", "Skyddad", "Person", "Doktor", "Privat", "Fri"]
    return [
        "/diarium/",
        "/diarium/?lang=en",
        f"/diarium/postlista?date={day}",
        f"/diarium/postlista.json?date={day}",
        f"/diarium/postlista.csv?date={day}",
        "/diarium/?series=RS",
        *(f"/diarium/?q={quote(word)}" for word in words),
        *(f"/diarium/?party={quote(word)}" for word in PRIVATE.values()),
    ]


def test_no_public_page_leaks_a_marker(client, secret_case, register):
    pages = crawl(client, _seeds())
    # The crawl reached the secret case, the protected person's case and the register's.
    for case in (secret_case["case"], secret_case["protected_case"], register["case"]):
        assert any(url.startswith(case_url(case)) for url in pages), case.number
    assert any("lang=en" in url and "/arende/" in url for url in pages)
    leaks = {(url, word) for url, text in pages.items() for word in leaks_in(url, text)}
    assert leaks == set()
    # What the public may read is there (so the crawl read real pages).
    secret_page = pages[case_url(secret_case["case"])]
    assert PUBLIC_TITLE in secret_page and "Sekretessmarkerad (OSL 25 kap. 1 §)" in secret_page
    assert "Vinnova" in pages[case_url(register["case"])]


def test_a_search_for_a_hidden_word_finds_nothing(client, secret_case, register):
    """Not even the number of hits tells that a hidden word is in the register."""
    for word in (*MARKERS.values(), *PRIVATE.values(), "811218"):
        page = client.get(f"/diarium/?q={quote(word)}").get_data(as_text=True)
        assert "0 träffar" in page, word
    found = client.get("/diarium/?q=bostadsanpassning").get_data(as_text=True)
    assert "1 träff" in found or "träffar" in found
    assert case_url(register["case"]) in found
