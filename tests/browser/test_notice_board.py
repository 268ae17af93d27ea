"""The notice of an attested protocol appears on the notice board, in Chromium.

Hans Svensson, Regionstyrelsen's secretary, records the justering of a meeting's protocol
on the meeting's page. The notice goes up the same day: an anonymous visitor (another
browser, no login) finds it on /anslagstavla/, opens it, reads when the protocol was
attested, how long the notice is posted, the last day to appeal and where the protocol is
kept, and finds neither the secret case title nor the closed § there. axe-core checks the
board, the notice and the history.
"""

from __future__ import annotations

import pytest

from caseflow.common.timeutil import today
from caseflow.meetings.attestation import deadlines_of
from caseflow.meetings.models import Meeting
from tests.browser.accessibility import assert_accessible
from tests.browser.conftest import TIMEOUT_MS
from tests.browser.test_registrar_flow import expect, log_in
from tests.markers import PUBLIC_TITLE, docx_text, found_markers
from tests.meetings.conftest import approved  # noqa: F401 - a fixture agenda uses
from tests.noticeboard.conftest import CLOSED_PUBLIC_TITLE, agenda, held  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser


@pytest.fixture
def visitor(browser, live_server):
    """A browser of someone who never logged in."""
    context = browser.new_context(base_url=live_server, locale="sv-SE", accept_downloads=True)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        yield context.new_page()
    finally:
        context.close()


def test_an_attested_protocols_notice_appears_on_the_board(
    make,
    app,
    page,
    visitor,
    held,  # noqa: F811 - the fixture imported above
):
    meeting = held()
    log_in(page, held.hans)

    page.goto(f"/meetings/{meeting.id}")
    attest = page.locator("section#attest")
    attest.locator("#attested_on").fill(today().isoformat())
    attest.locator(f'form[action="/meetings/{meeting.id}/attest"] button[type=submit]').click()
    expect(page.locator(".flash-success")).to_have_count(1)
    appeal_ends = deadlines_of(make.fresh().get(Meeting, meeting.id)).appeal_ends
    assert appeal_ends is not None  # the notice was posted at justering

    visitor.goto("/anslagstavla/")
    expect(visitor.locator("h1")).to_have_text("Anslagstavla")
    link = visitor.get_by_role(
        "link", name="Protokoll från Regionstyrelsen, sammanträde 2021-11-24"
    )
    expect(link).to_have_count(1)
    assert_accessible(visitor, "the notice board")
    link.click()

    facts = visitor.locator("section[aria-labelledby=facts-h]")
    expect(facts).to_contain_text(f"Protokollet justerades {today().isoformat()}.")
    expect(facts).to_contain_text(f"Anslaget {today().isoformat()} – {appeal_ends.isoformat()}.")
    expect(facts).to_contain_text(f"Sista dag att överklaga {appeal_ends.isoformat()}.")
    expect(facts).to_contain_text("Protokollet förvaras hos Region Jämtland Härjedalen")
    expect(visitor.get_by_role("link", name="Protokollet (Word)", exact=False)).to_have_count(1)
    assert_accessible(visitor, "a notice")
    assert found_markers(visitor.content()) == set()

    with visitor.expect_download() as downloaded:
        visitor.get_by_role("link", name="Protokollet (Word)", exact=False).click()
    with open(downloaded.value.path(), "rb") as handle:
        text = docx_text(handle.read())
    assert PUBLIC_TITLE in text and CLOSED_PUBLIC_TITLE in text
    assert found_markers(text) == set()

    visitor.get_by_role("link", name="English").click()
    expect(visitor.locator("section[aria-labelledby=facts-h]")).to_contain_text(
        f"The last day to appeal is {appeal_ends.isoformat()}."
    )
    visitor.goto("/anslagstavla/arkiv")
    expect(visitor.locator("h1")).to_have_text("Anslagstavlans arkiv")
    assert_accessible(visitor, "the history")
