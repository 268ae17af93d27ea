"""A registrar in Chromium finds what happened in a case on the audit page, filters it and
downloads it as CSV; the page is axe-clean (WCAG 2.1 AA)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from tests.browser.accessibility import assert_accessible
from tests.browser.test_first_run import log_in
from tests.browser.test_registrar_flow import expect
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def test_a_registrar_filters_the_audit_trail_and_downloads_it(make, page):
    registrar = make.user("registrar", name="Rut Registrator")
    case = make.case("Projekt Test av coworking och hybridarbete")
    make.document(case, title="Ansökan om medfinansiering")
    make.case("Ett annat ärende")
    log_in(page, registrar.email, PASSWORD)

    page.locator('nav a[href="/audit/"]').click()
    page.wait_for_url(re.compile(r"/audit/$"))
    assert_accessible(page, "the audit trail")

    page.locator("#case").fill(case.number)
    page.locator("#kind").select_option(label="Handling registrerades")
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_url(re.compile(r"/audit/\?"))
    expect(page.locator("table.audit tbody tr")).to_have_count(1)
    expect(page.locator("table.audit tbody")).to_contain_text("Ansökan om medfinansiering")
    assert_accessible(page, "the audit trail, filtered")

    with page.expect_download() as download:
        page.get_by_role("link", name="Exportera som CSV").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert [row[4] for row in rows[1:]] == ["document.register"]
    assert rows[1][5] == case.number
