"""A manager takes RS/720/2021 through a Regionstyrelsen meeting in Chromium.

Hans Svensson creates the meeting, puts the approved case on the agenda, fixes the agenda
(§ 1), records the decision and the justering, downloads the excerpt as PDF/A and
dispatches it by e-mail to a real SMTP server on loopback; the case then shows the
outgoing excerpt and is dispatched. A second story: before justering there is no excerpt.

As in ``test_registrar_flow``, elements are found by ids, names, values and hrefs, and the
visible text is matched in Swedish or English (some new msgids may not be translated yet).
"""

from __future__ import annotations

import io
import re

import pytest
from sqlmodel import select

from caseflow.cases.models import Case
from caseflow.cases.numbering import raise_counter_to
from caseflow.cases.workflow import apply_transition
from caseflow.db import new_session
from caseflow.documents.models import Document
from caseflow.meetings.dispatch_models import Dispatch
from caseflow.memos.services import save_memo
from tests.browser.test_decision_flow import at, status
from tests.browser.test_registrar_flow import expect, log_in
from tests.memos.conftest import memo_of_rs720
from tests.pdf.test_converter import pdfa_identification
from tests.support import require_or_skip

pytestmark = pytest.mark.browser

NUMBER = "RS/720/2021"
CASE_URL = f"/cases/{NUMBER}"
CASE_TITLE = "Projekt Test av coworking och hybridarbete inom Samverket i Östersund"
PLACE = "Regionens hus, Östersund"
CHAIR = "Anna Ordförande"
SECRETARY = "Cecilia Sekreterare"
ATTESTER = "Bertil Justerare"
MOTION = "Ordföranden yrkar bifall."
POINTS = memo_of_rs720().points
EXCERPT_FILE = "Protokollsutdrag Regionstyrelsen § 1 RS-720-2021.pdf"
#: One-off LibreOffice conversions take seconds; these steps may take longer than the default.
SLOW_MS = 90_000

PLANNED = re.compile(r"^\s*(Planerat|Planerad|Planned)\s*$")
OPENED = re.compile(r"^\s*(Pågår \(öppnat\)|In progress \(opened\))\s*$")
ATTESTED = re.compile(r"^\s*(Justerat|Justerad|Attested)\s*$")
DISPATCHED = re.compile(r"^\s*(Expedierat|Dispatched)\s*$")
ADOPTED = re.compile(r"proposal as it stands|förslag|bifall", re.I)
SENT = re.compile(r"\b(skickad|skickat|sent)\b", re.I)
OUTGOING = re.compile(r"^\s*(Utgående|Outgoing)\s*$")
DISPATCH_EVENT = re.compile(r"^(?!.*(utdrag|excerpt)).*(Expedierat|Dispatched)", re.I | re.S)
SENT_EVENT = re.compile(r"Excerpt sent by e-mail|(skickat|skickad).*e-post|e-post", re.I)
ONLY_ATTESTED = re.compile(r"justera|attested", re.I)
PAGES = re.compile(r"Sida \d+ \(\d+\)")


def require_pdf_export() -> None:
    """Skip without LibreOffice (fail under CI), as the PDF tests do."""
    from caseflow.pdf import converter

    reason = converter.unavailable_reason()
    if reason is None:
        return
    require_or_skip(f"PDF export is unavailable: {reason}")


def pdf_text(content: bytes) -> str:
    """All pages' text with runs of whitespace collapsed to one space."""
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(content))
    return " ".join(" ".join(p.extract_text().split()) for p in reader.pages)


@pytest.fixture
def approved_rs720(make, app):
    """RS/720/2021 with the seed memo, submitted by Erik and approved by Hans."""
    series = make.series("RS")
    make.organ("Regionstyrelsen")  # with its members: the chair, an attester, the secretary
    raise_counter_to(make.session, series, 2021, 719)
    make.session.commit()
    erik = make.user(
        "official", name="Erik Noaksson", unit="Näringsliv", email="erik.noaksson@regionjh.se"
    )
    hans = make.user("manager", name="Hans Svensson", email="hans.svensson@regionjh.se")
    case = make.session.merge(make.case(CASE_TITLE, officer=erik, year=2021))
    assert case.number == NUMBER
    save_memo(make.session, case, memo_of_rs720(), expected_version=case.version, user=erik)
    with app.app_context():
        apply_transition(make.session, case, "submit", user=erik)
        apply_transition(make.session, case, "approve", user=hans)
    make.session.commit()
    assert case.status == "approved"
    return case, erik, hans


# --- steps shared by both stories ----------------------------------------------------------


def create_meeting(page) -> int:
    """From the main menu, create a Regionstyrelsen meeting; returns its id."""
    page.locator('nav a[href="/meetings/"]').click()
    page.wait_for_url(at("/meetings/"))
    expect(page.locator("nav a[href='/meetings/']")).to_have_text(
        re.compile(r"Sammanträden|Meetings")
    )
    # The body comes from the register; its members fill the next step.
    page.locator("#organ").select_option(label="Regionstyrelsen")
    page.locator('form[action="/meetings/new"] button[type=submit]').click()
    page.wait_for_url(re.compile(r"/meetings/new\?organ=\d+$"))
    expect(page.locator("#chair")).to_have_value(CHAIR)  # the body's ordförande
    expect(page.locator("#secretary")).to_have_value(SECRETARY)
    page.locator("#starts_at").fill("2021-11-24T09:00")
    page.locator("#place").fill(PLACE)
    page.get_by_label(ATTESTER, exact=True).check()
    page.locator('form[action="/meetings/new"] button[type=submit]').click()
    page.wait_for_url(re.compile(r"/meetings/\d+(#.*)?$"))
    meeting_id = int(re.search(r"/meetings/(\d+)", page.url).group(1))
    expect(page.locator(".flash-success")).to_have_count(1)
    expect(page.locator("h1")).to_have_text("Regionstyrelsen 2021-11-24 09:00")
    expect(status(page)).to_have_text(PLANNED)
    expect(page.locator("dl.facts")).to_contain_text(PLACE)
    expect(page.locator("dl.facts")).to_contain_text(SECRETARY)
    return meeting_id


def put_on_agenda_and_fix(page, meeting_id: int, case) -> int:
    """Add the case to the agenda and fix it; returns the agenda item's id."""
    add_form = page.locator(f'form[action="/meetings/{meeting_id}/cases"]')
    add_form.locator("#case_id").select_option(str(case.id))
    add_form.locator("button[type=submit]").click()
    page.wait_for_url(at(f"/meetings/{meeting_id}"))
    rows = page.locator("#agenda table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.locator(f'a[href="{CASE_URL}"]')).to_have_text(NUMBER)
    expect(rows.locator("td").nth(0)).to_have_text("1")  # its agenda number
    expect(rows.locator("td").nth(1)).to_have_text("–")  # no § before the meeting is opened

    page.locator(f'form[action="/meetings/{meeting_id}/open"] button[type=submit]').click()
    expect(status(page)).to_have_text(OPENED)
    expect(rows.locator("td").nth(1)).to_have_text("1")
    expect(rows.locator("td").nth(2)).to_have_text(NUMBER)
    expect(page.locator(f'form[action="/meetings/{meeting_id}/open"]')).to_have_count(0)
    section = page.locator("section.paragraph")
    expect(section).to_have_count(1)
    expect(section.locator("h2")).to_contain_text(f"§ 1 {NUMBER}")
    return int(section.get_attribute("id").removeprefix("item-"))


def record_decision(page, meeting_id: int, item_id: int):
    """Adopt the proposal under § 1 after the chair's motion; returns the § section."""
    section = page.locator(f"section#item-{item_id}")
    prefix = f"item{item_id}-"
    # The chair's motion, by a name typed in (no roll was called in this story).
    add_motion = re.compile("Lägg till ett yrkande|Add a motion")
    section.locator("summary").filter(has_text=add_motion).click()
    page.locator(f"#i{item_id}-mover").fill(CHAIR)
    page.locator(f"#i{item_id}-text").fill(MOTION)
    section.locator(f'form[action="/meetings/{meeting_id}/items/{item_id}/motions"] button').click()
    page.wait_for_url(at(f"/meetings/{meeting_id}"))
    expect(section.locator(".proceedings ol > li")).to_contain_text(MOTION)
    expect(page.locator(f"#{prefix}points")).to_have_value("\n".join(POINTS))
    section.locator(f'input[name="{prefix}kind"][value="adopted"]').check()
    expect(page.locator(f"#{prefix}immediately_attested")).not_to_be_checked()
    section.locator(
        f'form[action="/meetings/{meeting_id}/items/{item_id}/decision"] button[type=submit]'
    ).click()
    expect(section.locator("strong").first).to_have_text(ADOPTED)
    expect(section.locator("ol.decision > li")).to_have_text(POINTS)
    expect(page.locator(".flash-success")).to_contain_text("§ 1")
    # The decision form is gone until the protocol is attested (then it is a correction).
    expect(section.locator("form[action$='/decision']")).to_have_count(0)
    expect(page.locator("#agenda table tbody tr td").nth(4)).to_have_text(ADOPTED)
    return section


# --- the stories ---------------------------------------------------------------------------


def test_a_manager_takes_the_case_through_a_meeting_to_dispatch(
    make, app, mailbox, page, tmp_path, approved_rs720
):
    require_pdf_export()
    case, erik, hans = approved_rs720

    # 1. Hans creates the meeting from the meetings page.
    log_in(page, hans)
    meeting_id = create_meeting(page)

    # 2. RS/720/2021 goes on the agenda, and the agenda is fixed: § 1.
    item_id = put_on_agenda_and_fix(page, meeting_id, case)

    # 3. The board adopts the proposal; the motion goes into the protocol.
    section = record_decision(page, meeting_id, item_id)
    expect(section.locator("a[href*='/excerpt.']")).to_have_count(0)

    # 4. Justering, with the notice posted the day after.
    attest = page.locator("section#attest")
    expect(attest.locator("#attested_by")).to_have_value(f"{CHAIR}\n{ATTESTER}")
    attest.locator("#attested_on").fill("2021-11-30")
    attest.locator("#notice_posted_on").fill("2021-12-01")
    attest.locator(f'form[action="/meetings/{meeting_id}/attest"] button[type=submit]').click()
    expect(status(page)).to_have_text(ATTESTED)
    expect(page.locator(".flash-success")).to_have_count(1)
    expect(page.locator("dl.facts")).to_contain_text(f"2021-11-30 – {CHAIR}, {ATTESTER}")
    deadlines = page.locator("section.deadlines")
    expect(deadlines.locator("li").nth(0)).to_contain_text("2021-12-08")  # 14 days
    expect(deadlines.locator("li").nth(1)).to_contain_text("2021-12-01")  # posted
    expect(deadlines.locator("li").nth(2)).to_contain_text("2021-12-22")  # 3 weeks
    expect(page.locator("section#attest form")).to_have_count(0)  # notice already posted
    page.screenshot(path=tmp_path / "meeting-attested.png", full_page=True)

    # 5. The excerpt as PDF/A.
    pdf_link = section.locator(f'a[href="/meetings/items/{item_id}/excerpt.pdf"]')
    expect(pdf_link).to_have_count(1)
    expect(section.locator(f'a[href="/meetings/items/{item_id}/excerpt.docx"]')).to_have_count(1)
    with page.expect_download(timeout=SLOW_MS) as info:
        pdf_link.click()
    download = info.value
    assert download.failure() is None
    assert download.suggested_filename == EXCERPT_FILE
    saved = tmp_path / EXCERPT_FILE
    download.save_as(saved)
    content = saved.read_bytes()
    assert content.startswith(b"%PDF-")
    import pypdf

    assert pdfa_identification(pypdf.PdfReader(io.BytesIO(content)))[0] == "2"
    text = pdf_text(content)
    for expected in (
        "PROTOKOLLSUTDRAG",
        "Regionstyrelsen",
        "§ 1",
        f"Dnr {NUMBER}",
        MOTION,
        "Regionstyrelsen beslutar",
        "1. Region Jämtland Härjedalen avsätter",
        "2. Regiondirektören får i uppdrag",
        "Justerat 2021-11-30 av Anna Ordförande och Bertil Justerare",
        "Rätt utdraget intygar",
        SECRETARY,
        "Utdrag till",
        "Vinnova",
        "Erik Noaksson",
    ):
        assert expected in text, (expected, text)
    assert PAGES.search(text), text

    # 6. Dispatch: the recipients chosen ("Utdrag till"), registered as an outgoing
    # document and sent by e-mail; each recipient shows that the server accepted it.
    dispatch_url = f"/meetings/items/{item_id}/dispatch"
    section.locator(f'a[href="{dispatch_url}"]').click()
    page.wait_for_url(at(dispatch_url))
    chosen = page.locator("input[name=recipients]:checked")
    expect(chosen).to_have_count(2)
    with page.expect_response(
        lambda r: r.request.method == "POST" and r.url.endswith(dispatch_url), timeout=SLOW_MS
    ) as posted:
        page.locator(f'form[action="{dispatch_url}"][method=post] button[type=submit]').click(
            timeout=SLOW_MS
        )
    assert posted.value.status == 302, f"POST {dispatch_url} answered {posted.value.status}"
    page.wait_for_url(at(f"/meetings/{meeting_id}"))
    sent = section.locator("div.dispatch")
    expect(sent).to_have_count(1)
    expect(sent).to_have_class(re.compile(r"\bdispatch-sent\b"))
    recipients = sent.locator("li.recipient")
    expect(recipients).to_have_count(2)
    expect(recipients.filter(has_text=SENT)).to_have_count(2)
    expect(sent).to_contain_text("registrator@vinnova.se")
    expect(sent).to_contain_text("erik.noaksson@regionjh.se")
    expect(page.locator(".flash-success")).to_have_count(1)
    # The case is dispatched: nothing more to send.
    expect(section.locator(f'a[href="{dispatch_url}"]')).to_have_count(0)

    with mailbox.lock:
        messages = list(mailbox.messages)
    assert len(messages) == 1
    rcpt_tos, message = messages[0]
    addresses = {"registrator@vinnova.se", "erik.noaksson@regionjh.se"}
    assert set(rcpt_tos) == addresses
    assert {a.addr_spec for a in message["To"].addresses} == addresses
    assert NUMBER in message["Subject"] and "§ 1" in message["Subject"]
    attachments = list(message.iter_attachments())
    assert [a.get_content_type() for a in attachments] == ["application/pdf"]
    assert attachments[0].get_filename() == EXCERPT_FILE
    attached = attachments[0].get_content()
    assert pdfa_identification(pypdf.PdfReader(io.BytesIO(attached)))[0] == "2"
    assert "Rätt utdraget intygar" in pdf_text(attached)

    # 7. The case: dispatched, with the excerpt as an outgoing document.
    page.goto(CASE_URL)
    expect(status(page)).to_have_text(DISPATCHED)
    row = page.locator("table.documents tbody tr:not(.row-actions)").filter(
        has_text=f"Protokollsutdrag Regionstyrelsen § 1: {CASE_TITLE}"
    )
    expect(row).to_have_count(1)
    expect(row.locator("td").nth(0)).to_have_text(f"{NUMBER}-2")
    expect(row.locator("td").nth(1)).to_have_text(OUTGOING)
    link = row.get_by_role("link", name=EXCERPT_FILE, exact=True)
    expect(link).to_have_attribute("href", re.compile(r"^/documents/\d+/files/\d+$"))
    events = page.locator("section[aria-labelledby=timeline-h] ol.timeline > li")
    dispatched_by_hans = events.filter(has_text=DISPATCH_EVENT).filter(has_text="Hans Svensson")
    expect(dispatched_by_hans).to_have_count(1)
    expect(events.filter(has_text=SENT_EVENT)).to_have_count(1)
    page.screenshot(path=tmp_path / "case-dispatched.png", full_page=True)

    # The database: the dispatch is sent, and the outgoing document carries its Message-ID.
    session = new_session(app.extensions["caseflow.engine"])
    try:
        stored = session.exec(select(Case).where(Case.number == NUMBER)).one()
        assert stored.status == "dispatched"
        dispatch = session.exec(select(Dispatch).where(Dispatch.case_id == stored.id)).one()
        assert dispatch.status == "sent"
        assert dispatch.error is None and dispatch.sent_at is not None
        assert dispatch.message_id.endswith("@caseflow.regionjh.se>")
        assert message["Message-ID"] == dispatch.message_id
        doc = session.get(Document, dispatch.document_id)
        assert (doc.case_id, doc.seq, doc.direction) == (stored.id, 2, "outgoing")
        assert doc.message_id == dispatch.message_id
        files = [(f.filename, f.mime_type) for f in doc.files]
        assert files == [(EXCERPT_FILE, "application/pdf")]
    finally:
        session.close()


def test_no_excerpt_before_justering(make, app, page, approved_rs720):
    case, erik, hans = approved_rs720
    log_in(page, hans)
    meeting_id = create_meeting(page)
    item_id = put_on_agenda_and_fix(page, meeting_id, case)
    section = record_decision(page, meeting_id, item_id)

    # No excerpt links, no dispatch, and a note why.
    expect(status(page)).to_have_text(OPENED)
    expect(page.locator("a[href*='/excerpt.']")).to_have_count(0)
    expect(page.locator("a[href$='/dispatch'], form[action$='/dispatch']")).to_have_count(0)
    expect(section.locator("p.muted")).to_have_text(ONLY_ATTESTED)

    # Asking for the excerpt anyway leads back to the § with the reason.
    for fmt in ("pdf", "docx"):
        page.goto(f"/meetings/items/{item_id}/excerpt.{fmt}")
        page.wait_for_url(at(f"/meetings/{meeting_id}"))
        expect(page.locator(".flash-error")).to_contain_text("justerat protokoll")

    make.fresh()
    assert make.session.get(Case, case.id).status == "decided"
    assert make.session.exec(select(Dispatch)).all() == []
