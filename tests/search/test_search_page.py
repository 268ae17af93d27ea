"""The search page as staff use it: the field in the top bar, numbers that lead straight to
their case or document, filters, paging, the capped count, hostile text shown as text,
secrets kept from those who do not hold them, and the results as CSV and Excel.

Each test runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import html
import re
from datetime import date

import pytest
from sqlmodel import select

from caseflow.common.models import AuditEvent
from caseflow.search.query import COUNT_CAP
from tests.export_reading import csv_rows, export_events, xlsx_rows
from tests.search.bulk import many_cases

SECRET = "OSL 21 kap. 1 §"


def _text(response) -> str:
    """The page as a reader sees it: tags dropped, entities read, white space collapsed."""
    page = re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))
    return re.sub(r"\s+", " ", html.unescape(page))


def _hits(response) -> list[str]:
    """The hits' headings (number and title) in order."""
    body = response.get_data(as_text=True)
    found = re.findall(r"<h3><a href=\"[^\"]+\">(.*?)</a></h3>", body, re.S)
    return [re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", h))).strip() for h in found]


@pytest.fixture
def registry(make):
    erik = make.user("official", name="Erik Noaksson")
    rs720 = make.case(
        "Projekt Test av coworking och hybridarbete inom Samverket i Östersund",
        officer=erik,
        description="Regionstyrelsen fattade beslutet om medfinansiering.",
        unit=make.unit("Näringsliv"),
    )
    other = make.case("Inbjudan att ingå i Myndighetsnätverket", year=2022)
    memo = make.document(
        rs720,
        direction="internal",
        title="Tjänsteskrivelse om hybridarbete",
        counterpart="Erik Noaksson",
        received_on=date(2021, 11, 3),
    )
    letter = make.document(
        other,
        direction="incoming",
        title="Inbjudan till hybridarbete i nätverket",
        received_on=date(2022, 2, 14),
    )
    return {"rs720": rs720, "other": other, "memo": memo, "letter": letter, "erik": erik}


def test_the_top_bar_has_the_search_field_for_staff_only(make, client, login):
    login(make.user("registrar"))
    page = client.get("/").get_data(as_text=True)
    assert '<form role="search" method="get" action="/search/"' in page
    assert '<label for="top-search-q"' in page and 'id="top-search-q" name="q"' in page
    client.post("/logout")
    login(make.user("member"))
    assert 'action="/search/"' not in client.get("/").get_data(as_text=True)


def test_an_empty_search_shows_the_form(make, client, login):
    login(make.user("registrar"))
    response = client.get("/search/")
    assert response.status_code == 200
    assert 'id="q"' in response.get_data(as_text=True)
    assert "träff" not in _text(response)


@pytest.mark.parametrize(
    "typed", ["RS/1/2021", "RS 1/2021", "rs/1/2021", "Dnr RS/1/2021", " 1/2021 ", "RS-1-2021"]
)
def test_a_case_number_in_any_spelling_goes_to_the_case(registry, make, client, login, typed):
    login(make.user("registrar"))
    response = client.get("/search/", query_string={"q": typed})
    assert response.status_code == 303
    assert response.headers["Location"] == "/cases/RS/1/2021"


@pytest.mark.parametrize("typed", ["RS/1/2021-1", "RS 1/2021-1", "rs/1/2021 - 1"])
def test_a_document_number_goes_to_the_document(registry, make, client, login, typed):
    login(make.user("official"))
    response = client.get("/search/", query_string={"q": typed})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/documents/{registry['memo'].id}"


def test_words_find_cases_and_documents_with_marked_snippets(registry, make, client, login):
    login(make.user("registrar"))
    response = client.get("/search/?q=hybridarbetet")
    assert response.status_code == 200
    assert set(_hits(response)) == {
        "RS/1/2021 Projekt Test av coworking och hybridarbete inom Samverket i Östersund",
        "RS/1/2021-1 Tjänsteskrivelse om hybridarbete",
        "RS/1/2022-1 Inbjudan till hybridarbete i nätverket",
    }
    assert "3 träffar" in _text(response)
    assert "<mark>hybridarbete</mark>" in response.get_data(as_text=True)


def test_filters_narrow_the_hits(registry, make, client, login):
    login(make.user("registrar"))

    def numbers(**args):
        response = client.get("/search/", query_string={"q": "hybridarbete", **args})
        assert response.status_code == 200
        return {h.split()[0] for h in _hits(response)}

    assert numbers(year="2022") == {"RS/1/2022-1"}
    assert numbers(kind="case") == {"RS/1/2021"}
    assert numbers(direction="internal") == {"RS/1/2021-1"}
    assert numbers(date_from="2022-01-01", date_to="2022-12-31") == {"RS/1/2022-1"}
    assert numbers(officer=str(registry["erik"].id)) == {"RS/1/2021", "RS/1/2021-1"}
    assert numbers(unit=str(registry["rs720"].unit_id), kind="case") == {"RS/1/2021"}
    assert numbers(series="RS", status="registered") == {"RS/1/2021", "RS/1/2021-1", "RS/1/2022-1"}


def test_a_filter_alone_lists_by_date_and_ordering_by_date_is_newest_first(
    registry, make, client, login
):
    login(make.user("registrar"))
    response = client.get("/search/?q=hybridarbete&kind=document&order=date")
    assert [h.split()[0] for h in _hits(response)] == ["RS/1/2022-1", "RS/1/2021-1"]
    response = client.get("/search/?kind=document")
    assert [h.split()[0] for h in _hits(response)] == ["RS/1/2022-1", "RS/1/2021-1"]


def test_nothing_found_says_so_and_suggests(registry, make, client, login):
    login(make.user("registrar"))
    text = _text(client.get("/search/?q=bostadsbidrag&year=2021"))
    assert "Inget hittades för »bostadsbidrag«." in text
    assert "samverk*" in text and "samma sökning utan filter" in text


@pytest.mark.parametrize(
    "query, message",
    [
        ("page=abc", None),
        ("page=99999999999999999999", None),
        ("page=-3", None),
        ("date_from=igår", "Datum från"),
        ("year=99999999999999999999999", "År"),
        ("year=tjugo", "År"),
        ("officer=99999999999", "Handläggare"),
        ("unit=x", "Enhet"),
        ("class_id=1e9", "Process"),
        ("kind=everything", "Typ"),
        ("order=random", "Sortera efter"),
    ],
)
def test_bad_parameters_give_the_page_with_a_message(registry, make, client, login, query, message):
    login(make.user("registrar"))
    response = client.get(f"/search/?q=hybridarbete&{query}")
    assert response.status_code == 200
    text = _text(response)
    assert "3 träffar" in text  # the search ran without the bad value
    if message:
        assert "kunde inte läsas" in text and message in text


def test_a_nul_is_refused_not_a_crash(make, client, login):
    login(make.user("registrar"))
    assert client.get("/search/?q=hybrid%00arbete").status_code == 400


def test_paging_walks_through_the_hits(make, client, login):
    case = make.case("Bredband på landsbygden")
    for n in range(25):
        make.document(case, title=f"Yttrande om bredband nummer {n}")
    login(make.user("registrar"))
    first = client.get("/search/?q=bredband")
    assert "26 träffar" in _text(first) and "Sida 1 av 2" in _text(first)
    assert len(_hits(first)) == 20
    second = client.get("/search/?q=bredband&page=2")
    assert len(_hits(second)) == 6
    assert not set(_hits(first)) & set(_hits(second))
    assert 'start="21"' in second.get_data(as_text=True)
    last = client.get("/search/?q=bredband&page=99999")
    assert _hits(last) == _hits(second)


def test_a_capped_count_says_more_than_1000_and_is_not_exported(make, client, login):
    many_cases(make, COUNT_CAP + 5)
    login(make.user("registrar"))
    response = client.get("/search/?q=vägunderhåll&page=3")
    assert "Fler än 1\u00a0000 träffar" in response.get_data(as_text=True)
    assert len(_hits(response)) == 20 and "Sida 3 av 50" in _text(response)
    # The file would leave hits out: the page comes back with the reason instead.
    response = client.get("/search/export.csv?q=vägunderhåll")
    assert response.status_code == 302
    assert response.headers["Location"] == "/search/?q=v%C3%A4gunderh%C3%A5ll"
    text = _text(client.get(response.headers["Location"]))
    assert "Fler än 1 000 träffar: begränsa sökningen och exportera igen." in text


def test_hostile_titles_are_shown_as_text(make, client, login):
    case = make.case(
        '<script>alert("x")</script> Skadlig titel',
        description='Beskrivningen <b onclick="x()">är</b> skadlig & lång',
    )
    make.document(case, title="<img src=x onerror=alert(1)> skadlig bilaga")
    login(make.user("registrar"))
    body = client.get("/search/?q=skadlig").get_data(as_text=True)
    assert "<script>alert" not in body and "<img src=x" not in body
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in body
    assert "&lt;img src=x onerror=alert(1)&gt;" in body
    # The snippet marks the word and escapes the rest of the description around it.
    assert "<b onclick" not in body
    assert "&lt;/b&gt; <mark>skadlig</mark> &amp; lång" in body


@pytest.fixture
def secrets(make):
    """A secret case (its title secret, a public variant shown instead) of Erik's, with a
    secret document whose file text has been extracted: words found nowhere else."""
    from caseflow.search.models import FileText

    erik = make.user("official", name="Erik Noaksson")
    case = make.case(
        "Utredning om Qwarnstigen",
        officer=erik,
        title_is_secret=True,
        public_title="Utredning om en enskild person",
        secrecy_provision=SECRET,
    )
    doc = make.document(
        case,
        title="Läkarintyg",
        is_secret=True,
        secrecy_provision="OSL 25 kap. 1 §",
        files=[("intyg.txt", b"Intyget om Blorkhagen")],
    )
    make.session.merge(
        FileText(sha256=doc.files[0].sha256, status="done", text="Intyget om Blorkhagen")
    )
    make.session.commit()
    return {"case": case, "doc": doc, "erik": erik}


def test_a_non_holder_finds_no_secret_word_and_sees_the_public_title(secrets, make, client, login):
    login(make.user("official"))  # not the case's officer
    for word in ("qwarnstigen", "blorkhagen", "blorkhag*"):
        response = client.get("/search/", query_string={"q": word})
        assert _hits(response) == [], word
        assert "0 träffar" in _text(response), word
    response = client.get("/search/?q=utredning")
    assert _hits(response) == ["RS/1/2021 Utredning om en enskild person"]
    assert "Qwarnstigen" not in response.get_data(as_text=True)
    # The secret document is found by its open registration, never with its text.
    response = client.get("/search/?q=läkarintyg")
    assert _hits(response) == ["RS/1/2021-1 Läkarintyg"]
    assert "Blorkhagen" not in response.get_data(as_text=True)


def test_a_holder_finds_the_secret_text_and_the_reading_is_recorded(secrets, make, client, login):
    login(secrets["erik"])
    response = client.get("/search/?q=blorkhagen")
    assert _hits(response) == ["RS/1/2021-1 Läkarintyg"]
    assert "Intyget om <mark>Blorkhagen</mark>" in response.get_data(as_text=True)
    response = client.get("/search/?q=qwarnstigen")
    assert _hits(response) == ["RS/1/2021 Utredning om Qwarnstigen"]
    reads = (
        make.fresh()
        .exec(select(AuditEvent).where(AuditEvent.action == "document.read_secret"))
        .all()
    )
    assert [(e.object_id, e.actor_id) for e in reads] == [(secrets["doc"].id, secrets["erik"].id)]


def test_the_results_are_exported_as_shown_and_the_export_audited(registry, make, client, login):
    login(make.user("registrar"))
    page = client.get("/search/?q=hybridarbete&year=2021").get_data(as_text=True)
    assert "/search/export.csv?q=hybridarbete&amp;year=2021" in page
    rows = csv_rows(client.get("/search/export.csv?q=hybridarbete&year=2021"))
    assert rows[0] == ["Diarienummer", "Typ", "Titel", "Datum", "Avsändare eller mottagare",
                       "Utdrag ur texten"]  # fmt: skip
    by_number = {row[0]: row for row in rows[1:]}
    assert set(by_number) == {"RS/1/2021", "RS/1/2021-1"}
    assert by_number["RS/1/2021-1"][1:5] == [
        "Handling, upprättad (intern)", "Tjänsteskrivelse om hybridarbete", "2021-11-03",
        "Erik Noaksson",
    ]  # fmt: skip
    assert "hybridarbete" in by_number["RS/1/2021-1"][5]
    sheet = xlsx_rows(client.get("/search/export.xlsx?q=hybridarbete&year=2021"))
    assert sorted(row[0] for row in sheet[1:]) == ["RS/1/2021", "RS/1/2021-1"]
    events = export_events(make.fresh(), "search.export")
    assert events == [
        {"page": "search", "filters": {"q_chars": 12, "year": "2021"}, "format": fmt, "rows": 2}
        for fmt in ("csv", "xlsx")
    ]


def test_the_export_masks_as_the_page_does(secrets, make, client, login):
    login(make.user("official"))
    rows = csv_rows(client.get("/search/export.csv?q=utredning"))
    assert [row[:3] for row in rows[1:]] == [
        ["RS/1/2021", "Ärende", "Utredning om en enskild person"]
    ]
    assert "Qwarnstigen" not in "".join(map(str, rows))
    assert csv_rows(client.get("/search/export.csv?q=blorkhagen"))[1:] == []


def test_the_mail_queue_is_searched_by_registrars_only(make, client, login):
    from tests.search import files

    mail = make.mail(files.INVITATION_EML)
    login(make.user("registrar"))
    response = client.get("/search/?q=nätverket säker")
    assert _hits(response) == ["Inbjudan till nätverket för säker information"]
    assert f'href="/mail/{mail.id}"' in response.get_data(as_text=True)
    assert "E-post i postkön" in _text(response)
    client.post("/logout")
    login(make.user("official"))
    assert _hits(client.get("/search/?q=nätverket säker")) == []


def test_the_typed_text_is_shown_as_text(make, client, login):
    login(make.user("registrar"))
    body = client.get("/search/", query_string={"q": "<script>alert(1)</script>"}).get_data(
        as_text=True
    )
    assert "<script>alert(1)" not in body
    assert "»&lt;script&gt;alert(1)&lt;/script&gt;«" in body
