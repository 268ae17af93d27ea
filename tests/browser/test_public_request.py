"""In Chromium: an anonymous visitor finds RS/720/2021 in the e-diarium and asks for its
application without giving a name, the registrar sees the request, the officer releases
it, and the visitor's mailbox receives the document. The form, the receipt and the
private page pass axe-core."""

from __future__ import annotations

import re

import pytest

from tests.browser.accessibility import assert_accessible
from tests.browser.test_registrar_flow import expect, log_in
from tests.disclosure.conftest import rs720  # noqa: F401 - the case and its documents

pytestmark = pytest.mark.browser


def test_visitor_asks_without_a_name_and_receives_the_document(page, rs720, mailbox):  # noqa: F811
    # The browser's own favicon request would be answered by the staff 404 page, which
    # starts a session (its language form): not this page's doing, so left out here.
    page.route("**/favicon.ico", lambda route: route.abort())
    cookies_set = []
    page.on(
        "response",
        lambda r: (
            "/diarium/" in r.url and r.header_value("set-cookie") and cookies_set.append(r.url)
        ),
    )
    # The visitor finds the case in the e-diarium by its number, and asks for the
    # application from the case's public page.
    page.goto("/diarium/")
    page.get_by_label("Ord eller nummer").fill("RS/720/2021")
    page.get_by_role("button", name="Sök", exact=True).click()
    expect(page.get_by_text("Projekt Test av coworking och hybridarbete")).to_be_visible()
    assert page.url.endswith("/diarium/arende/RS/720/2021")  # a number goes straight there
    page.get_by_role("link", name="Begär ut RS/720/2021-1").click()
    expect(page.get_by_role("heading", name="Begär ut allmänna handlingar")).to_be_visible()
    expect(page.get_by_text("RS/720/2021-1 Ansökan om medfinansiering")).to_be_visible()
    assert_accessible(page, "the request form")
    page.get_by_role("radio", name="Med e-post").check()
    page.get_by_label(re.compile("E-postadress")).fill("nyfiken@example.org")
    page.get_by_role("button", name="Skicka begäran").click()

    expect(page.get_by_role("heading", name="Din begäran har tagits emot")).to_be_visible()
    number = page.locator("strong").first.inner_text()
    assert re.fullmatch(r"BEG-\d{4}-0001", number)
    assert_accessible(page, "the receipt")
    private = page.locator("main a[href*='/diarium/begaran/']").get_attribute("href")
    page.goto(private)
    expect(page.get_by_text("Mottagen: väntar på sekretessprövning.")).to_be_visible()
    assert_accessible(page, "the private status page")
    assert cookies_set == []  # not one cookie from the public pages

    # The registrar sees it on the list of requests, assigned to the case's officer.
    log_in(page, rs720.registrar)
    page.goto("/begaran/")
    row = page.get_by_role("row", name=re.compile(number))
    expect(row).to_contain_text("Erik Noaksson")
    page.context.clear_cookies()

    # Erik Noaksson reviews it and releases the application in full.
    log_in(page, rs720.erik)
    page.goto(f"/begaran/{number}")
    page.get_by_role("radio", name="Lämna ut i sin helhet").check()
    page.get_by_role("button", name="Registrera beslutet").click()
    expect(page.locator("#request-status")).to_have_text(
        "Avgjord: handlingarna görs i ordning åt dig."
    )
    page.get_by_role("button", name="Skicka med e-post").click()
    expect(page.locator("#request-status")).to_have_text("Levererad.")

    ((recipients, message),) = mailbox.messages
    assert recipients == ["nyfiken@example.org"]
    attachment = next(message.iter_attachments())
    assert attachment.get_filename() == "Ansokan.pdf"
    assert attachment.get_content().startswith(b"%PDF")

    page.context.clear_cookies()
    page.goto(private)
    expect(page.get_by_text("Levererad.")).to_be_visible()
    expect(page.get_by_text("lämnas ut i sin helhet")).to_be_visible()
