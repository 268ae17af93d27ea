"""A registrar in Chromium: log in, open a case, register an incoming document with a file.

The UI is Swedish by default; the msgids are English, and the Swedish catalogue may not be
compiled, so elements are found by field ids, hrefs and labels in either language.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import urlsplit

import pytest
from sqlmodel import select

from caseflow.cases.models import Case
from caseflow.common.timeutil import today
from caseflow.db import new_session
from caseflow.documents.models import Document
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

CASE_TITLE = "Projekt Test av coworking och hybridarbete inom Samverket i Östersund"
COUNTERPART = "Länsstyrelsen Jämtlands län"
DOC_TITLE = "Inbjudan att ingå i Myndighetsnätverket"
FILE_NAME = "Inbjudan myndighetsnätverket.pdf"
FILE_BYTES = (
    b"%PDF-1.4\n% caseflow test\n1 0 obj << /Type /Catalog >> endobj\n"
    + "Inbjudan till Myndighetsnätverket – Östersund\n".encode()
    + b"%%EOF\n"
)
NUMBER = re.compile(r"RS/\d+/\d{4}")


def expect(locator):
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


def on_dashboard(url: str) -> bool:
    """The dashboard, whatever fragment the browser carried along (``/#main``)."""
    return urlsplit(url).path == "/"


def log_in(page, user):
    page.goto("/login")
    page.get_by_label(re.compile(r"E-post|E-mail", re.I)).fill(user.email)
    page.locator("#password").fill(PASSWORD)
    page.locator("form:has(#password) button[type=submit]").click()
    page.wait_for_url(on_dashboard)


def test_registrar_registers_an_incoming_document_with_a_file(make, page, app, tmp_path):
    make.series("RS")
    registrar = make.user("registrar")
    make.user("official", name="Erik Noaksson", unit="Näringsliv")
    upload = tmp_path / FILE_NAME
    upload.write_bytes(FILE_BYTES)

    # 1. Log in and land on the dashboard.
    log_in(page, registrar)
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("header .user")).to_contain_text(registrar.name)

    # 2. Open a case from the main menu.
    page.locator('nav a[href="/cases/new"]').click()
    page.wait_for_url(re.compile(r"/cases/new$"))
    page.locator("#series").select_option("RS")
    page.locator("#title").fill(CASE_TITLE)
    page.locator("#officer_id").select_option(label="Erik Noaksson (Näringsliv)")
    page.locator("#party_organisation").fill("Vinnova")
    page.locator("form.stack button[type=submit]").click()

    page.wait_for_url(re.compile(r"/cases/RS/\d+/\d{4}$"))
    expect(page.locator(".case-number")).to_have_text(NUMBER)
    number = NUMBER.search(page.locator(".case-number").inner_text()).group(0)
    expect(page.locator("h1")).to_have_text(CASE_TITLE)
    expect(page.locator("dl.facts")).to_contain_text("Erik Noaksson")
    expect(page.locator("dl.facts")).to_contain_text("Vinnova")

    # 3. Register an incoming document with a file in the case.
    page.locator('.actions a[href^="/documents/new?case="]').click()
    page.wait_for_url(re.compile(r"/documents/new\?case="))
    expect(page.locator("h1")).to_contain_text(number)
    page.locator('input[name="direction"][value="incoming"]').check()
    page.locator("#received_on").fill(today().isoformat())
    page.locator("#counterpart").fill(COUNTERPART)
    page.locator("#title").fill(DOC_TITLE)
    page.locator("#files").set_input_files(upload)
    page.locator("form.stack button[type=submit]").click()

    # 4. Back on the case: the document, its number and its file are listed.
    page.wait_for_url(re.compile(r"/cases/RS/\d+/\d{4}$"))
    expect(page.locator(".flash-success")).to_contain_text(f"{number}-1")
    row = page.locator("table.documents tbody tr:not(.row-actions)").filter(has_text=f"{number}-1")
    expect(row).to_have_count(1)
    cells = row.locator("td")
    expect(cells.nth(0)).to_have_text(f"{number}-1")
    expect(cells.nth(3)).to_have_text(COUNTERPART)
    expect(cells.nth(4)).to_have_text(DOC_TITLE)
    link = row.get_by_role("link", name=FILE_NAME, exact=True)
    expect(link).to_have_attribute("href", re.compile(r"^/documents/\d+/files/\d+$"))

    page.screenshot(path=tmp_path / "case.png", full_page=True)

    # 5. The download gives back the very bytes that were uploaded, under the same name.
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.failure() is None
    assert download.suggested_filename == FILE_NAME
    saved = tmp_path / "downloaded.pdf"
    download.save_as(saved)
    assert saved.read_bytes() == FILE_BYTES

    # 6. And the database holds the document with the file's checksum.
    session = new_session(app.extensions["caseflow.engine"])
    try:
        case = session.exec(select(Case).where(Case.number == number)).one()
        doc = session.exec(select(Document).where(Document.case_id == case.id)).one()
        assert (doc.seq, doc.direction, doc.counterpart, doc.title) == (
            1,
            "incoming",
            COUNTERPART,
            DOC_TITLE,
        )
        assert doc.received_on == today()
        assert doc.registered_by_id == registrar.id
        assert [(f.filename, f.sha256, f.size) for f in doc.files] == [
            (FILE_NAME, hashlib.sha256(FILE_BYTES).hexdigest(), len(FILE_BYTES))
        ]
    finally:
        session.close()


def test_keyboard_only_login_lands_on_the_dashboard(make, page):
    registrar = make.user("registrar")
    page.goto("/login")
    expect(page.locator("html")).to_have_attribute("lang", "sv")

    # A keyboard user reaches the skip link (hidden until focused); following it moves focus
    # to <main>, so the next Tab lands on the e-mail field.
    skip = page.locator("a.skip-link")
    skip.focus()
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(page.locator("#email")).to_be_focused()
    page.keyboard.type(registrar.email)
    page.keyboard.press("Tab")
    expect(page.locator("#password")).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")

    page.wait_for_url(on_dashboard)
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page.locator("main h1")).to_have_count(1)
    expect(page.locator("header .user")).to_contain_text(registrar.name)
