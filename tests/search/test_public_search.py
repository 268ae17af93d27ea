"""The e-diarium's search: anyone finds what the public may read, and nothing else.

Words are matched only in what the PUBLIC projection shows (public titles, organisations,
registration data of the documents in cases); a secret title, description, party,
counterpart, a protected person and any file's text are never found, counted or quoted —
on SQLite and PostgreSQL alike."""

from __future__ import annotations

import pytest

from caseflow.search.query import SearchQuery, public_search
from tests.markers import MARKERS, PUBLIC_TITLE, found_markers

#: Every marker the index holds: none of them is public.
SEARCHED = ("title", "description", "party", "document_title", "sender", "file", "protected")


@pytest.fixture
def public_find(app, make):
    def run(text, **filters):
        filters.setdefault("per_page", 100)
        with app.test_request_context():
            return public_search(make.fresh(), SearchQuery(text=text, **filters))

    return run


def _shown(results) -> str:
    parts = [str(results.total)]
    for hit in results.hits:
        parts += [hit.number or "", hit.title, hit.counterpart or ""]
        parts += [segment.text for segment in hit.snippet]
    return "\n".join(parts)


@pytest.mark.parametrize("name", SEARCHED)
def test_the_public_never_finds_a_secret(secret_case, public_find, name):
    for typed in (MARKERS[name], MARKERS[name][:6] + "*", f'"{MARKERS[name]}"'):
        results = public_find(typed)
        assert results.total == 0 and results.hits == [], (name, typed)


def test_what_the_public_finds_shows_no_secret(secret_case, public_find):
    for typed in ("utredning", "läkarintyg", "person", "skyddad", "färdtjänst", "brev", "svar"):
        assert found_markers(_shown(public_find(typed))) == set(), typed


def test_a_secret_case_is_found_by_its_public_title(secret_case, public_find):
    word = PUBLIC_TITLE.split()[0]
    results = public_find(word)
    assert (("case", secret_case["case"].number)) in {(h.kind, h.number) for h in results.hits}
    assert all(MARKERS["title"] not in h.title for h in results.hits)


def test_words_are_stemmed_and_numbers_go_straight_to_the_case(make, public_find):
    case = make.case("Projekt Test av coworking och hybridarbete inom Samverket i Östersund")
    make.document(case, title="Beslutet om projektbidraget", counterpart="Vinnova")
    found = {(h.kind, h.number) for h in public_find("beslut").hits}
    assert ("document", f"{case.number}-1") in found
    assert ("case", case.number) in {(h.kind, h.number) for h in public_find("samverk*").hits}
    assert public_find("här").total == 0  # "har" and "här" are different words
    series, seq, year = case.number.split("/")
    for typed in (case.number, f"{series} {seq}/{year}", f"{case.number}-1"):
        direct = public_find(typed).direct
        assert direct is not None and direct.number.startswith(case.number), typed


def test_loose_post_and_the_mail_queue_are_not_public(make, public_find):
    make.document(None, title="Faktura från Leverantören", counterpart="Leverantören AB")
    assert public_find("leverantören").total == 0
    assert public_find("faktura").hits == []
