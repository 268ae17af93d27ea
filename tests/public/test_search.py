"""Searching the e-diarium: by number, words, series, body, organisation and dates; the
hits link to the cases' public pages, and the pages keep the reader's language."""

from __future__ import annotations

from tests.public.conftest import case_url


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200 and "Set-Cookie" not in response.headers, url
    return response.get_data(as_text=True)


def test_a_typed_number_goes_straight_to_its_case(client, register):
    answer = client.get("/diarium/?q=RS 1/2021")
    assert answer.status_code == 303
    assert answer.headers["Location"] == case_url(register["case"])
    english = client.get("/diarium/?q=RS/1/2021-1&lang=en")
    assert english.headers["Location"] == case_url(register["case"]) + "?lang=en"


def test_words_series_organisation_and_dates_narrow_the_hits(client, make, register):
    make.case("Vägunderhåll i Bergs kommun", series="KS", year=2021)
    case_link = f'href="{case_url(register["case"])}"'
    assert case_link in _page(client, "/diarium/?q=bostadsanpassning")
    assert case_link in _page(client, "/diarium/?q=bostadsanpassning&series=RS")
    assert "0 träffar" in _page(client, "/diarium/?q=bostadsanpassning&series=KS")
    assert case_link in _page(client, "/diarium/?q=bostadsanpassning&party=Vinnova")
    assert "0 träffar" in _page(client, "/diarium/?q=bostadsanpassning&party=Tillväxtverket")
    assert "Vägunderhåll" in _page(client, "/diarium/?series=KS")
    registered = register["case"].opened_on.isoformat()
    assert case_link in _page(client, f"/diarium/?date_from={registered}&series=RS")
    assert "0 träffar" in _page(client, "/diarium/?q=bostadsanpassning&date_to=2000-01-01")


def test_a_body_narrows_to_its_series(client, make, register):
    organ = make.organ("Kommunstyrelsen")
    make.case("Vägunderhåll i Bergs kommun", series="KS", year=2021)
    ks = make.series("KS").id
    organ = make.session.merge(organ)
    organ.series_id = ks
    make.session.commit()
    page = _page(client, f"/diarium/?organ={organ.id}")
    assert "Vägunderhåll" in page and "bostadsanpassning" not in page
    assert f'<option value="{organ.id}" selected>Kommunstyrelsen</option>' in page


def test_the_pages_of_hits_keep_the_language(client, make, register):
    for number in range(25):
        make.case(f"Bidrag till förening {number}")
    first = _page(client, "/diarium/?q=förening&lang=en")
    assert "25 hits" in first
    assert 'href="/diarium/?q=f%C3%B6rening&amp;page=2&amp;lang=en"' in first
    second = _page(client, "/diarium/?q=förening&page=2&lang=en")
    assert "Page 2 of 2" in second
