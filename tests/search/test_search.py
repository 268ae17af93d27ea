"""A registrar searches in Swedish: inflected forms, prefixes of compounds, phrases and
case numbers in any spelling — the same hits on SQLite and PostgreSQL (each test runs on
both, against the same expected sets)."""

from __future__ import annotations

from datetime import date

import pytest

from caseflow.search.query import COUNT_CAP
from tests.search.bulk import many_cases


@pytest.fixture
def registry(make):
    """A few cases and documents written the way the seeds are."""
    erik = make.user("official", name="Erik Noaksson")
    rs720 = make.case(
        "Projekt Test av coworking och hybridarbete inom Samverket i Östersund",
        officer=erik,
        description="Regionstyrelsen fattade beslutet om medfinansiering.",
        parties=[{"organisation": "Vinnova", "email": "registrator@vinnova.se"}],
        unit=make.unit("Näringsliv"),
    )
    other = make.case(
        "Inbjudan att ingå i Myndighetsnätverket",
        description="Nya samverkansformer mellan myndigheterna.",
        parties=[{"name": "Susanna Löfgren", "organisation": "Länsstyrelsen Jämtlands län"}],
    )
    third = make.case("Bidrag till föreningar", description="Besluten gäller Föreningarna i länet.")
    fourth = make.case("Lokalfrågor här i huset", year=2022)
    memo = make.document(
        rs720,
        direction="internal",
        title="Tjänsteskrivelse om hybridarbete",
        counterpart="Erik Noaksson",
        kind="Tjänsteskrivelse",
        received_on=date(2021, 11, 3),
    )
    return {
        "rs720": rs720, "other": other, "third": third, "fourth": fourth, "memo": memo,
        "registrar": make.user("registrar"), "erik": erik,
    }  # fmt: skip


def _numbers(found):
    return {number for _kind, number in found}


def test_inflected_forms_find_each_other(registry, find):
    registrar = registry["registrar"]
    # "beslut" finds "beslutet" (RS/1) and "Besluten" (RS/3).
    assert _numbers(find(registrar, "beslut")) == {"RS/1/2021", "RS/3/2021"}
    # "förening" finds "föreningar" and "Föreningarna": one case, found once.
    assert find(registrar, "förening") == {("case", "RS/3/2021")}
    assert find(registrar, "föreningarna") == {("case", "RS/3/2021")}


def test_a_ring_and_umlauts_are_distinct(registry, find):
    registrar = registry["registrar"]
    assert find(registrar, "har") == set()
    assert find(registrar, "här") == {("case", "RS/1/2022")}


def test_a_prefix_finds_compounds(registry, find):
    registrar = registry["registrar"]
    assert _numbers(find(registrar, "samverk*")) == {"RS/1/2021", "RS/2/2021"}
    assert _numbers(find(registrar, "SAMVERK*")) == {"RS/1/2021", "RS/2/2021"}


def test_words_are_all_required_and_phrases_kept_in_order(registry, find):
    registrar = registry["registrar"]
    assert find(registrar, "hybridarbete Östersund") == {("case", "RS/1/2021")}
    assert find(registrar, '"hybridarbete inom samverket"') == {("case", "RS/1/2021")}
    assert find(registrar, '"samverket inom hybridarbete"') == set()
    assert _numbers(find(registrar, "hybridarbete")) == {"RS/1/2021", "RS/1/2021-1"}


def test_documents_are_found_by_title_kind_counterpart_and_date(registry, find):
    registrar = registry["registrar"]
    assert find(registrar, "tjänsteskrivelse") == {("document", "RS/1/2021-1")}
    assert find(registrar, "2021-11-03") == {("document", "RS/1/2021-1")}
    assert ("case", "RS/2/2021") in find(registrar, "Löfgren")
    assert find(registrar, "Näringsliv Noaksson", kinds=("case",)) == {("case", "RS/1/2021")}


@pytest.mark.parametrize(
    "typed", ["RS/1/2021", "RS 1/2021", "rs-1-2021", "rs/1/2021", "Dnr RS/1/2021", "1/2021"]
)
def test_a_case_number_in_any_spelling_goes_straight_to_the_case(registry, find, typed):
    results = find.results(registry["registrar"], typed)
    assert results.direct is not None
    assert (results.direct.kind, results.direct.number) == ("case", "RS/1/2021")


def test_a_number_without_series_is_direct_only_when_one_case_has_it(registry, find, make):
    make.series("HSN", "Hälso- och sjukvårdsnämnden")
    make.case("Ett annat ärende", series="HSN")  # HSN/1/2021
    assert find.results(registry["registrar"], "1/2021").direct is None


def test_a_document_number_goes_straight_to_the_document(registry, find):
    results = find.results(registry["registrar"], "RS/1/2021-1")
    assert (results.direct.kind, results.direct.number) == ("document", "RS/1/2021-1")
    assert find.results(registry["registrar"], "RS/1/2021-9").direct is None


@pytest.mark.parametrize(
    "typed",
    [
        'NEAR(hybridarbete coworking) AND "',
        "hybridarbete OR -beslut ^x",
        "'; DROP TABLE search_entry; --",
        "{open_text held_text} : coworking",
        "open_text:coworking",
        "(((",
        "*",
        '""',
        "coworking " * 300,
        "\x00",
    ],
)
def test_hostile_queries_never_fail(registry, find, typed):
    results = find.results(registry["registrar"], typed)
    assert results.total >= 0


def test_filters_narrow_the_hits(registry, find):
    registrar, erik = registry["registrar"], registry["erik"]
    assert _numbers(find(registrar, "hybridarbete", kinds=("document",))) == {"RS/1/2021-1"}
    assert _numbers(find(registrar, "hybridarbete", direction="internal")) == {"RS/1/2021-1"}
    assert _numbers(find(registrar, "här", year=2021)) == set()
    assert _numbers(find(registrar, "beslut", officer_id=erik.id)) == {"RS/1/2021"}
    # The cases were opened today; the memo was drawn up on 2021-11-03.
    in_2021 = {"date_from": date(2021, 11, 2), "date_to": date(2021, 12, 31)}
    assert _numbers(find(registrar, "hybridarbete", **in_2021)) == {"RS/1/2021-1"}
    assert _numbers(find(registrar, "", series="rs", year=2022)) == {"RS/1/2022"}


def test_ordering_by_date_puts_the_newest_first(registry, find):
    results = find.results(registry["registrar"], "hybridarbete", order="date")
    dates = [h.dated_on for h in results.hits]
    assert dates == sorted(dates, reverse=True)


def test_snippets_mark_the_matching_words_as_plain_segments(registry, find):
    (hit,) = find.results(registry["registrar"], "förening").hits
    marked = [s.text for s in hit.snippet if s.is_match]
    assert marked == ["Föreningarna"]
    assert all(isinstance(s.text, str) and "<" not in s.text for s in hit.snippet)


def test_the_count_is_capped(make, find):
    many_cases(make, COUNT_CAP + 5, title="Ärende om vägar")
    results = find.results(make.user("registrar"), "vägar", per_page=10, page=3)
    assert results.total == COUNT_CAP and results.is_capped
    assert results.page == 3 and len(results.hits) == 10


def test_who_may_search(registry, find, make):
    assert find(make.user("member"), "hybridarbete") == set()
    assert find.results(make.user("member"), "RS/1/2021").direct is None
    # An admin has case.view: cases and their documents, no secrets, no löpande post.
    assert _numbers(find(make.user("admin"), "hybridarbete")) == {"RS/1/2021", "RS/1/2021-1"}


def test_loose_documents_are_found_by_those_who_work_them(make, find):
    make.document(None, title="Faktura från Samverket", counterpart="Samverket AB")
    assert find(make.user("registrar"), "faktura") == {("document", None)}
    for role in ("official", "manager", "admin"):
        assert find(make.user(role), "faktura") == set(), role


def test_a_common_word_ranks_the_newest_matches_by_relevance(make, find):
    many_cases(make, COUNT_CAP + 5, title="Ärende om vägar i länet")
    strong = make.case("Vägar, vägar och vägar")
    for n in range(3):
        make.case(f"Ärende om vägar i kommun {n}")
    results = find.results(make.user("registrar"), "vägar", per_page=10)
    assert results.is_capped
    assert results.hits[0].number == strong.number
