"""A registrar in Chromium filters the case list and löpande post and downloads them as
Excel; the pages with their export links are axe-clean (WCAG 2.1 AA)."""

from __future__ import annotations

import io
import re
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.browser.accessibility import assert_accessible
from tests.browser.test_first_run import log_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def _book(path):
    # The download has no extension on disk, and openpyxl judges a path by it.
    return load_workbook(io.BytesIO(Path(path).read_bytes()))


def test_a_registrar_downloads_the_filtered_case_list_and_loose_post(make, page):
    registrar = make.user("registrar")
    wanted = make.case("Projekt coworking i Östersund", due_on=date(2021, 12, 20))
    make.case("Inbjudan att ingå i Myndighetsnätverket")
    make.document(None, title="Faktura från Samverket", received_on=date(2021, 10, 4))
    log_in(page, registrar.email, PASSWORD)

    base = re.match(r"https?://[^/]+", page.url)[0]
    page.goto(base + "/cases/")
    page.locator("#q").fill("coworking")
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_url(re.compile(r"/cases/\?"))
    assert_accessible(page, "the case list with its export links")
    with page.expect_download() as download:
        page.get_by_role("link", name="Exportera som Excel").click()
    assert download.value.suggested_filename.startswith("Ärenden ")
    sheet = _book(download.value.path()).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [wanted.number]
    assert sheet["G2"].value == datetime(2021, 12, 20)

    page.goto(base + "/documents/loose")
    assert_accessible(page, "löpande post with its export links")
    with page.expect_download() as download:
        page.get_by_role("link", name="Exportera som Excel").click()
    sheet = _book(download.value.path()).active
    assert sheet["D2"].value == "Faktura från Samverket"
    assert sheet["A2"].value == datetime(2021, 10, 4)
