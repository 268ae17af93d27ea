"""An official takes RS/720/2021 from registered to approved in Chromium, memo and all.

Erik Noaksson drafts the memo (tjänsteskrivelse) in the browser's forms, generates it as a
.docx that appears among the case's documents, and submits the case; Hans Svensson finds it
in his review queue and approves it. A second story: Hans returns it with a comment instead.

As in ``test_registrar_flow``, elements are found by ids, names, values and hrefs, and the
visible text is matched in Swedish or English (some new msgids may not be translated yet).
"""

from __future__ import annotations

import io
import re
from datetime import date
from urllib.parse import urlsplit

import pytest
from sqlmodel import select

from caseflow.cases.models import Case
from caseflow.cases.numbering import raise_counter_to
from caseflow.cases.workflow import apply_transition
from caseflow.common.timeutil import today
from caseflow.db import new_session
from caseflow.documents.models import Document
from caseflow.memos.services import MemoData, get_memo, save_memo
from tests.browser.test_registrar_flow import expect, log_in

pytestmark = pytest.mark.browser

NUMBER = "RS/720/2021"
CASE_URL = f"/cases/{NUMBER}"
MEMO_URL = f"{CASE_URL}/memo"
CASE_TITLE = "Projekt Test av coworking och hybridarbete inom Samverket i Östersund"
SUPPORT_TITLE = "Ansökan om medfinansiering"
DESCRIPTION = (
    "Region Jämtland Härjedalen har 2021 antagit en plan för distans- & hybridarbete.\n"
    "\n"
    "Ansökan till Vinnova omfattar medel för:\n"
    "- medlemskap i Samverket <180 000 kr>\n"
    "Budget totalt: 536 400 kr, varav Vinnova 75 % & regionen resten."
)
POINT_1 = (
    "Region Jämtland Härjedalen avsätter arbetstid motsvarande 134 100 kronor för att "
    "medfinansiera projektet ”Test av coworking och hybridarbete inom Samverket i Östersund”."
)
POINT_2 = "Regiondirektören får i uppdrag att ansöka om finansiering från Vinnova."
MEMO_FILE = "Tjänsteskrivelse RS-720-2021.docx"

REGISTERED = re.compile(r"^\s*(Registrerat|Registered)\s*$")
IN_REVIEW = re.compile(r"^\s*(Under granskning|In review)\s*$")
APPROVED = re.compile(r"^\s*(Godkänt|Approved)\s*$")
IN_PREPARATION = re.compile(r"^\s*(Under beredning|In preparation)\s*$")
SUBMITTED_EVENT = re.compile(r"Skickat för granskning|Submitted for review")
APPROVED_EVENT = re.compile(r"Godkänt|Approved")
RETURNED_EVENT = re.compile(r"Återsänt|Återlämnat|Returned to the official")


def docx_text(content: bytes) -> str:
    """Body paragraphs, table cells, headers and footers of a .docx, one per line."""
    from docx import Document as Docx

    doc = Docx(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    for section in doc.sections:
        parts += [p.text for p in section.header.paragraphs + section.footer.paragraphs]
    return "\n".join(parts)


def at(path: str, query: str = ""):
    """A URL predicate on path and query: the browser may carry a fragment along."""

    def matches(url: str) -> bool:
        parts = urlsplit(url)
        return parts.path == path and parts.query == query

    return matches


def log_out(page):
    page.locator('header form[action="/logout"] button[type=submit]').click()
    page.wait_for_url(at("/login"))


def status(page):
    return page.locator(".case-number .status")


def timeline(page):
    return page.locator("section[aria-labelledby=timeline-h] ol.timeline > li")


def workflow_button(page, action: str):
    """The submit button of the case page's form for one workflow action."""
    return page.locator(
        f'section.workflow form:has(input[name=action][value="{action}"]) button[type=submit]'
    )


@pytest.fixture
def rs720(make):
    """RS/720/2021 with Erik as officer, Hans as manager and Vinnova's application in it."""
    series = make.series("RS")
    raise_counter_to(make.session, series, 2021, 719)
    make.session.commit()
    erik = make.user(
        "official", name="Erik Noaksson", unit="Näringsliv", email="erik.noaksson@regionjh.se"
    )
    hans = make.user("manager", name="Hans Svensson", email="hans.svensson@regionjh.se")
    case = make.case(CASE_TITLE, officer=erik, year=2021)
    assert case.number == NUMBER
    make.document(case, title=SUPPORT_TITLE, counterpart="Vinnova")
    return case, erik, hans


def test_an_official_takes_the_case_from_registered_to_approved(make, page, app, tmp_path, rs720):
    case, erik, hans = rs720

    # 1. Erik opens the case and follows the link to the memo.
    log_in(page, erik)
    page.goto(CASE_URL)
    expect(status(page)).to_have_text(REGISTERED)
    page.locator(f'section.workflow a[href="{MEMO_URL}"]').click()
    page.wait_for_url(at(MEMO_URL))
    expect(page.locator("h1")).to_contain_text(CASE_TITLE)

    # 2. The header comes filled in from the case; Erik writes the rest.
    expect(page.locator("#memo_date")).to_have_value(today().isoformat())
    expect(page.locator("#unit")).to_have_value("Näringsliv")
    expect(page.locator("#officer_name")).to_have_value("Erik Noaksson")
    expect(page.locator("#officer_email")).to_have_value("erik.noaksson@regionjh.se")
    expect(page.locator("#title")).to_have_value(CASE_TITLE)
    expect(page.locator("#decision_body")).to_have_value("Regionstyrelsen")
    expect(page.locator("#proposer")).to_have_value("Regiondirektören")
    expect(page.locator("textarea[name^=points-]")).to_have_count(1)

    page.locator("#description").fill(DESCRIPTION)
    page.get_by_label(re.compile(rf"{re.escape(NUMBER)}-1 {SUPPORT_TITLE}")).check()
    page.locator("#points-0").fill(POINT_1)
    page.locator("button[name=action][value=add-point]").click()
    page.wait_for_url(at(MEMO_URL, "add=point"))
    expect(page.locator("#points-0")).to_have_value(POINT_1)
    page.locator("#points-1").fill(POINT_2)

    page.locator("button[name=action][value=add-signatory]").click()
    page.wait_for_url(at(MEMO_URL, "add=signatory"))
    page.locator("#signatories-0-name").fill("Hans Svensson")
    page.locator("#signatories-0-title").fill("Regiondirektör")

    page.locator("button[name=action][value=add-recipient]").click()
    page.wait_for_url(at(MEMO_URL, "add=recipient"))
    page.locator("#recipients-0-organisation").fill("Vinnova")
    page.locator("#recipients-0-email").fill("registrator@vinnova.se")

    page.locator("button[name=action][value=save]").first.click()
    page.wait_for_url(at(MEMO_URL))
    expect(page.locator(".flash-success")).to_have_count(1)
    # Everything survived the four round trips, "&" and "<" included.
    expect(page.locator("#description")).to_have_value(DESCRIPTION)
    expect(page.get_by_label(re.compile(rf"{SUPPORT_TITLE}$"))).to_be_checked()
    expect(page.locator("textarea[name^=points-]")).to_have_count(2)
    expect(page.locator("#signatories-0-name")).to_have_value("Hans Svensson")
    expect(page.locator("#signatories-0-title")).to_have_value("Regiondirektör")
    expect(page.locator("#recipients-0-organisation")).to_have_value("Vinnova")
    expect(page.locator("#recipients-0-email")).to_have_value("registrator@vinnova.se")

    # Point 2 moves up, and back down again.
    page.locator("button[name=action][value=up-point-1]").click()
    expect(page.locator("#points-0")).to_have_value(POINT_2)
    expect(page.locator("#points-1")).to_have_value(POINT_1)
    page.locator("button[name=action][value=down-point-0]").click()
    expect(page.locator("#points-0")).to_have_value(POINT_1)
    expect(page.locator("#points-1")).to_have_value(POINT_2)
    page.screenshot(path=tmp_path / "memo.png", full_page=True)

    # 3. Generate the memo (the button saves the form first): it becomes a document of
    # the case, with a .docx to download.
    page.locator("button[name=action][value=generate]").click()
    page.wait_for_url(at(CASE_URL))
    expect(page.locator(".flash-success")).to_have_count(1)
    row = page.locator("table.documents tbody tr:not(.row-actions)").filter(
        has_text=f"Tjänsteskrivelse: {CASE_TITLE}"
    )
    expect(row).to_have_count(1)
    expect(row.locator("td").nth(0)).to_have_text(f"{NUMBER}-2")
    link = row.get_by_role("link", name=MEMO_FILE, exact=True)
    expect(link).to_have_attribute("href", re.compile(r"^/documents/\d+/files/\d+$"))

    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.failure() is None
    assert download.suggested_filename == MEMO_FILE
    saved = tmp_path / MEMO_FILE
    download.save_as(saved)
    text = docx_text(saved.read_bytes())
    for expected in (
        f"Dnr {NUMBER}",
        CASE_TITLE,
        "Regiondirektörens förslag",
        f"1. {POINT_1}",
        f"2. {POINT_2}",
        "distans- & hybridarbete",
        "medlemskap i Samverket <180 000 kr>",
        "varav Vinnova 75 % & regionen resten",
        SUPPORT_TITLE,
        "Hans Svensson",
        "Regiondirektör",
        "Vinnova",
    ):
        assert expected in text, expected
    assert "&amp;" not in text and "&lt;" not in text

    # 4. Erik submits the case for review; the memo is locked from now on.
    workflow_button(page, "submit").click()
    expect(status(page)).to_have_text(IN_REVIEW)
    expect(page.locator(f'a[href="{MEMO_URL}"]')).to_have_count(0)
    expect(workflow_button(page, "approve")).to_have_count(0)

    # 5. Hans finds it in his review queue and approves it.
    log_out(page)
    log_in(page, hans)
    page.locator('nav a[href="/review"]').click()
    page.wait_for_url(at("/review"))
    queued = page.locator(f'main table a[href="{CASE_URL}"]')
    expect(queued).to_have_text(NUMBER)
    queued.click()
    page.wait_for_url(at(CASE_URL))
    expect(status(page)).to_have_text(IN_REVIEW)
    workflow_button(page, "approve").click()
    expect(status(page)).to_have_text(APPROVED)
    expect(page.locator(".flash-success")).to_have_count(1)
    expect(
        timeline(page).filter(has_text=SUBMITTED_EVENT).filter(has_text="Erik Noaksson")
    ).to_have_count(1)
    expect(
        timeline(page).filter(has_text=APPROVED_EVENT).filter(has_text="Hans Svensson")
    ).to_have_count(1)
    page.screenshot(path=tmp_path / "approved.png", full_page=True)

    # The queue is empty again.
    page.locator('nav a[href="/review"]').click()
    page.wait_for_url(at("/review"))
    expect(page.locator(f'main table a[href="{CASE_URL}"]')).to_have_count(0)

    # 6. The database: approved, and the memo's document has the hand-made version and the
    # one frozen at submission.
    session = new_session(app.extensions["caseflow.engine"])
    try:
        stored = session.exec(select(Case).where(Case.number == NUMBER)).one()
        assert stored.status == "approved"
        memo = get_memo(session, stored)
        assert [p.text for p in memo.points] == [POINT_1, POINT_2]
        assert [s.document_id for s in memo.supports] == [
            session.exec(
                select(Document.id).where(
                    Document.case_id == stored.id, Document.title == SUPPORT_TITLE
                )
            ).one()
        ]
        assert memo.submitted_file_id is not None
        doc = session.get(Document, memo.document_id)
        assert [f.file_version for f in doc.files] == [1, 2]
        assert {f.filename for f in doc.files} == {MEMO_FILE}
        assert memo.submitted_file_id == doc.files[-1].id
    finally:
        session.close()


def test_a_manager_returns_the_case_with_a_comment(make, page, app, rs720):
    case, erik, hans = rs720
    comment = "Förtydliga budgeten & ange <medfinansieringsgrad> för Vinnova."
    case = make.session.merge(case)
    save_memo(
        make.session,
        case,
        MemoData(
            memo_date=date(2021, 11, 3),
            title=CASE_TITLE,
            proposer="Regiondirektören",
            points=[POINT_1],
        ),
        expected_version=case.version,
        user=erik,
    )
    with app.app_context():
        apply_transition(make.session, case, "submit", user=erik)
    make.session.commit()

    log_in(page, hans)
    page.goto(CASE_URL)
    expect(status(page)).to_have_text(IN_REVIEW)
    page.locator("#comment-return").fill(comment)
    workflow_button(page, "return").click()
    expect(status(page)).to_have_text(IN_PREPARATION)

    log_out(page)
    log_in(page, erik)
    page.goto(CASE_URL)
    expect(status(page)).to_have_text(IN_PREPARATION)
    returned = timeline(page).filter(has=page.locator("q"))
    expect(returned).to_have_count(1)
    expect(returned).to_contain_text(RETURNED_EVENT)
    expect(returned).to_contain_text("Hans Svensson")
    expect(returned.locator("q")).to_have_text(comment)
    # The memo can be edited again.
    expect(page.locator(f'section.workflow a[href="{MEMO_URL}"]')).to_have_count(1)

    make.fresh()
    assert make.session.get(Case, case.id).status == "in_preparation"
