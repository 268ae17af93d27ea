"""Two elected members attest Regionstyrelsen's protocol digitally in Chromium.

Hans Svensson (the board's secretary) records the decision on RS/720/2021 and sends the
protocol for justering; the chair Anna Ordförande and the attester Bertil Justerare are
told by e-mail through a real SMTP server. Bertil logs in, finds the protocol waiting on
his home page and attests it; then Anna does, and with the last attestation the protocol
is attested. Hans downloads the excerpt as PDF/A, which names them and the day. axe-core
checks the member's pages.
"""

from __future__ import annotations

import io
import json
import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives.serialization import Encoding
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from sqlmodel import select

from caseflow.auth.passwords import hash_password
from caseflow.cli import cli
from caseflow.common.timeutil import today
from caseflow.meetings.member_accounts import create_member_account
from caseflow.meetings.models import OrganMember
from tests.browser.accessibility import assert_accessible
from tests.browser.test_decision_flow import at, status
from tests.browser.test_meeting_flow import (
    ATTESTED,
    SLOW_MS,
    approved_rs720,  # noqa: F401 - a fixture used by the test
    create_meeting,
    pdf_text,
    put_on_agenda_and_fix,
    record_decision,
    require_pdf_export,
)
from tests.browser.test_registrar_flow import expect, log_in
from tests.factories import PASSWORD
from tests.seal.conftest import pdf_reader, seal_files, sealing_app, test_ca  # noqa: F401

pytestmark = pytest.mark.browser

CHAIR, ATTESTER = "Anna Ordförande", "Bertil Justerare"
BOARD = [
    (CHAIR, "chair", "anna.ordforande@politik.regionjh.se", "S"),
    (ATTESTER, "member", "bertil.justerare@politik.regionjh.se", "M"),
    ("David Ledamot", "member", "david.ledamot@politik.regionjh.se", "C"),
    ("Cecilia Sekreterare", "secretary", None, None),
]
AWAITED = re.compile(r"Inväntas|Awaited")
SIGNED = re.compile(r"Justerat \d{4}-\d{2}-\d{2}|Attested \d{4}-\d{2}-\d{2}")


@pytest.fixture
def members(make, app):
    """Regionstyrelsen, its chair and Bertil with member accounts made from the register."""
    organ = make.session.merge(make.organ("Regionstyrelsen", members=BOARD))
    accounts = {}
    for name in (CHAIR, ATTESTER):
        row = make.session.exec(
            select(OrganMember).where(OrganMember.organ_id == organ.id, OrganMember.name == name)
        ).one()
        with app.app_context():
            account, _token = create_member_account(make.session, row, email=None, link_hours=24)
        account.password_hash = hash_password(PASSWORD)  # as if chosen through the link
        accounts[name] = account
    make.session.commit()
    return accounts


def log_out(page):
    page.locator('form[action="/logout"] button[type=submit]').click()
    page.wait_for_url(re.compile(r"/login"))


def attest_from_home(page, meeting_id: int):
    """A member finds the protocol on their home page and attests it."""
    waiting = page.locator("section[aria-labelledby=awaiting-h]")
    expect(waiting).to_contain_text("Regionstyrelsen 2021-11-24")
    # A member's menu has their meetings, not the cases.
    expect(page.locator('nav a[href="/cases/"]')).to_have_count(0)
    expect(page.locator('nav a[href="/meetings/"]')).to_have_count(1)
    assert_accessible(page, "a member's home page")
    waiting.locator(f'a[href="/meetings/{meeting_id}#justering"]').click()
    page.wait_for_url(at(f"/meetings/{meeting_id}"))
    justering = page.locator("section#justering")
    expect(justering.locator("tbody tr")).to_have_count(2)
    assert_accessible(page, "the meeting page of a member asked to attest")
    justering.locator(f'form[action="/meetings/{meeting_id}/justering/sign"] button').click()
    expect(page.locator(".flash-success")).to_have_count(1)
    return page.locator("section#justering")


def test_two_members_attest_the_protocol_digitally(
    make,
    app,
    mailbox,
    page,
    tmp_path,
    members,
    approved_rs720,  # noqa: F811 - the fixture imported above
    runner,
    sealing_app,  # noqa: F811 - fixtures imported from the seal tests
    seal_files,  # noqa: F811
    test_ca,  # noqa: F811
):
    require_pdf_export()
    case, _erik, hans = approved_rs720

    # 1. Hans records the meeting and its decision, then sends the protocol for justering.
    log_in(page, hans)
    meeting_id = create_meeting(page)
    item_id = put_on_agenda_and_fix(page, meeting_id, case)
    section = record_decision(page, meeting_id, item_id)
    justering = page.locator("section#justering")
    justering.locator(f'form[action="/meetings/{meeting_id}/justering/send"] button').click()
    page.wait_for_url(at(f"/meetings/{meeting_id}"))
    expect(page.locator(".flash-success")).to_have_count(1)
    rows = justering.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text(CHAIR)
    expect(rows.nth(1)).to_contain_text(ATTESTER)
    expect(rows.nth(0)).to_contain_text(AWAITED)
    expect(rows.nth(0)).to_contain_text(re.compile(r"underrättad per e-post|told by e-mail"))
    assert_accessible(page, "a protocol sent for justering")
    told = sorted(rcpt for rcpts, _message in mailbox.messages for rcpt in rcpts)
    assert told == sorted(BOARD[i][2] for i in (0, 1))
    body = mailbox.messages[0][1].get_body().get_content()
    assert f"/meetings/{meeting_id}" in body
    log_out(page)

    # 2. Bertil attests first: the protocol still awaits the chair.
    log_in(page, members[ATTESTER])
    justering = attest_from_home(page, meeting_id)
    expect(justering.locator("tbody tr").nth(1)).to_contain_text(SIGNED)
    expect(justering.locator("tbody tr").nth(0)).to_contain_text(AWAITED)
    expect(justering.locator("form[action$='/justering/sign']")).to_have_count(0)
    expect(status(page)).not_to_have_text(ATTESTED)
    log_out(page)

    # 3. Anna attests: everyone has, and the protocol is attested this day in both names.
    log_in(page, members[CHAIR])
    attest_from_home(page, meeting_id)
    expect(status(page)).to_have_text(ATTESTED)
    attested_on = today().isoformat()
    expect(page.locator("dl.facts")).to_contain_text(f"{attested_on} – {CHAIR}, {ATTESTER}")
    assert_accessible(page, "a protocol attested digitally")
    log_out(page)

    # 4. Hans produces the excerpt as PDF/A: it names the justering.
    log_in(page, hans)
    page.goto(f"/meetings/{meeting_id}")
    section = page.locator(f"section#item-{item_id}")
    with page.expect_download(timeout=SLOW_MS) as info:
        section.locator(f'a[href="/meetings/items/{item_id}/excerpt.pdf"]').click()
    download = info.value
    assert download.failure() is None
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    content = saved.read_bytes()
    assert content.startswith(b"%PDF-")
    text = pdf_text(content)
    assert f"Justerat {attested_on} av {CHAIR} och {ATTESTER}" in text, text
    import pypdf

    assert len(pypdf.PdfReader(io.BytesIO(content)).pages) >= 1
    # 5. The excerpt is sealed: anyone can check "Rätt utdraget intygar" without caseflow.
    saved_seal = tmp_path / "utdrag.pdf"
    saved_seal.write_bytes(content)
    # Checked as a recipient would, outside the browser's thread: Playwright runs an event
    # loop there, and pyHanko's validation runs one of its own.
    with ThreadPoolExecutor(max_workers=1) as outside:
        verified = outside.submit(
            runner.invoke,
            cli,
            ["excerpt", "verify", str(saved_seal), "--trust", str(seal_files["root"]), "--json"],
        ).result()
        assert verified.exit_code == 0, verified.output
        assert json.loads(verified.output)["signer"]["common_name"] == "Region Testland sigill"
        root = asn1_x509.Certificate.load(test_ca.root.public_bytes(Encoding.DER))
        (signature,) = pdf_reader(content).embedded_signatures
        checked = outside.submit(
            validate_pdf_signature, signature, ValidationContext(trust_roots=[root])
        ).result()
    assert checked.intact and checked.valid and checked.trusted
    assert checked.coverage == SignatureCoverageLevel.ENTIRE_FILE
