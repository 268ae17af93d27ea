"""Search in Chromium (issue 13's "done when"): a registrar finds a document by a word that
is only inside its PDF, from the field in the top bar, and opens it; an official who does
not hold a secret case's secrets searches for the words of its secret title and of its
secret document's PDF and finds nothing — no hit, no count, no snippet — while the
registrar finds both. The search page and its results are axe-clean (WCAG 2.1 AA)."""

from __future__ import annotations

import re

import pytest

from caseflow.db import new_session
from caseflow.search import extract_runner
from caseflow.search.jobs import extract_pending
from tests.browser.accessibility import assert_accessible
from tests.browser.test_first_run import log_in, log_out
from tests.factories import PASSWORD
from tests.search import files

pytestmark = pytest.mark.browser

#: Words found nowhere else: one only in a PDF's text, two only in a secret case.
PDF_WORD = "Vindelkvistarna"
SECRET_TITLE_WORD = "Grusbackenärendet"
SECRET_FILE_WORD = "Myrstackhultsintyget"


def expect(locator):
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


@pytest.fixture(autouse=True)
def no_extraction_child_left():
    yield
    extract_runner.shutdown()


def _extract(app) -> dict:
    """Read the text of every stored file now, as the scheduler's job would."""
    with app.app_context():
        session = new_session(app.extensions["caseflow.engine"], write=True)
        try:
            return extract_pending(session)
        finally:
            session.close()


def _search_from_the_top_bar(page, text: str) -> None:
    field = page.get_by_role("search", name="Sök i ärenden och handlingar").get_by_label(
        "Sök i ärenden och handlingar"
    )
    field.fill(text)
    field.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q="))


@pytest.fixture
def registry(make, app):
    """A public document whose PDF alone holds PDF_WORD, and a secret case of Erik's with a
    secret document whose PDF alone holds SECRET_FILE_WORD; their text extracted."""
    erik = make.user("official", name="Erik Noaksson")
    public_case = make.case("Projekt coworking i Östersund")
    public_doc = make.document(
        public_case,
        title="Ansökan om medfinansiering",
        files=[("ansokan.pdf", files.text_pdf([["Projektet gäller", f"{PDF_WORD} i Åre"]]))],
    )
    secret_case = make.case(
        f"Utredning om {SECRET_TITLE_WORD}",
        officer=erik,
        title_is_secret=True,
        public_title="Utredning om en enskild person",
        secrecy_provision="OSL 26 kap. 1 §",
    )
    secret_doc = make.document(
        secret_case,
        title="Läkarintyg",
        is_secret=True,
        secrecy_provision="OSL 25 kap. 1 §",
        files=[("intyg.pdf", files.text_pdf([["Intyg", f"{SECRET_FILE_WORD} gäller"]]))],
    )
    assert _extract(app).get("done") == 2
    return {"public_doc": public_doc, "secret_case": secret_case, "secret_doc": secret_doc}


def test_a_registrar_finds_a_document_by_a_word_only_in_its_pdf(registry, make, page):
    registrar = make.user("registrar")
    log_in(page, registrar.email, PASSWORD)
    page.goto("/search/")
    assert_accessible(page, "the empty search page")

    _search_from_the_top_bar(page, PDF_WORD.lower())
    expect(page.get_by_role("heading", name="1 träff")).to_be_visible()
    hit = page.locator("ol.results li")
    expect(hit).to_have_count(1)
    expect(hit.locator("mark")).to_have_text(PDF_WORD)
    assert_accessible(page, "the search results")
    hit.get_by_role("link", name=re.compile("Ansökan om medfinansiering")).click()
    page.wait_for_url(f"**/documents/{registry['public_doc'].id}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("RS/1/2021-1")
    expect(page.locator("main")).to_contain_text("Ansökan om medfinansiering")

    # The registrar holds every secret: the secret title and the secret file's words.
    _search_from_the_top_bar(page, SECRET_TITLE_WORD)
    expect(page.locator("ol.results li")).to_have_count(1)
    expect(page.locator("ol.results")).to_contain_text(f"Utredning om {SECRET_TITLE_WORD}")
    _search_from_the_top_bar(page, SECRET_FILE_WORD)
    expect(page.locator("ol.results li")).to_have_count(1)
    expect(page.locator("ol.results mark")).to_have_text(SECRET_FILE_WORD)


def test_an_official_without_the_right_finds_nothing_secret(registry, make, page):
    other = make.user("official", name="Karin Ek")
    log_in(page, other.email, PASSWORD)
    for word in (SECRET_TITLE_WORD, SECRET_FILE_WORD, SECRET_FILE_WORD[:8] + "*"):
        _search_from_the_top_bar(page, word)
        expect(page.get_by_role("heading", name="0 träffar")).to_be_visible()
        expect(page.locator("ol.results")).to_have_count(0)
        expect(page.locator("mark")).to_have_count(0)
        expect(page.locator("main")).to_contain_text("Inget hittades")
    assert_accessible(page, "a search that finds nothing")
    # What the official may see of the case: its public title, without the secret word.
    _search_from_the_top_bar(page, "utredning")
    expect(page.locator("ol.results li")).to_have_count(1)
    expect(page.locator("ol.results")).to_contain_text("Utredning om en enskild person")
    assert SECRET_TITLE_WORD not in page.content()
    log_out(page)

    log_in(page, make.user("registrar").email, PASSWORD)
    _search_from_the_top_bar(page, SECRET_FILE_WORD)
    expect(page.locator("ol.results li")).to_have_count(1)
