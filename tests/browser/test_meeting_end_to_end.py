"""A board secretary runs a whole Regionstyrelsen meeting in Chromium.

Hans Svensson (manager, the board's secretary here) plans the meeting for next week, puts
RS/720/2021 and a § without a case (val av justerare) on the agenda and sends the
kallelse to the members through a real SMTP server. He cannot open the meeting before it
has begun, so — the meeting was in fact this morning — he corrects its date, opens it
(§§ 1–2), calls the roll (David Ledamot absent, the substitute Fredrik Ersättare serves
for him), records the motions and a vote that ties 2–2 and is settled by the chair's
casting vote, the decision and Bertil Justerare's reservation, records the justering,
and reads the protocol and the excerpt back from their .docx files. axe-core checks the
meeting page at each stage.
"""

from __future__ import annotations

import io
import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from docx import Document as Docx

from caseflow.cases.numbering import raise_counter_to
from caseflow.cases.workflow import apply_transition
from caseflow.common.timeutil import LOCAL_TZ, today
from caseflow.memos.services import save_memo
from tests.browser.accessibility import assert_accessible
from tests.browser.test_decision_flow import at, status
from tests.browser.test_registrar_flow import expect, log_in
from tests.memos.conftest import memo_of_rs720

pytestmark = pytest.mark.browser

NUMBER = "RS/720/2021"
CHAIR, ATTESTER, ABSENT, MEMBER, SUBSTITUTE = (
    "Anna Ordförande",
    "Bertil Justerare",
    "David Ledamot",
    "Eva Ledamot",
    "Fredrik Ersättare",
)
BOARD = [
    (CHAIR, "chair", "anna.ordforande@politik.regionjh.se", "S"),
    (ATTESTER, "member", "bertil.justerare@politik.regionjh.se", "M"),
    (ABSENT, "member", "david.ledamot@politik.regionjh.se", "C"),
    (MEMBER, "member", "eva.ledamot@politik.regionjh.se", "V"),
    (SUBSTITUTE, "substitute", "fredrik.ersattare@politik.regionjh.se", "S"),
    ("Cecilia Sekreterare", "secretary", None, None),
]
COUNTER_MOTION = "Bertil Justerare yrkar avslag på förslaget."
RESERVATION = "Reservationen gäller beslutet att avsätta arbetstid."
ELECTED = f"{ATTESTER} utses att jämte ordföranden justera protokollet."
OPENED = re.compile(r"^\s*(Pågår \(öppnat\)|In progress \(opened\))\s*$")
ATTESTED = re.compile(r"^\s*(Justerat|Justerad|Attested)\s*$")


@pytest.fixture
def approved_case(make, app):
    series = make.series("RS")
    make.organ("Regionstyrelsen", members=BOARD)
    raise_counter_to(make.session, series, 2021, 719)
    make.session.commit()
    erik = make.user(
        "official", name="Erik Noaksson", unit="Näringsliv", email="erik.noaksson@regionjh.se"
    )
    hans = make.user("manager", name="Hans Svensson", email="hans.svensson@regionjh.se")
    case = make.session.merge(
        make.case(
            "Projekt Test av coworking och hybridarbete inom Samverket i Östersund", officer=erik
        )
    )
    save_memo(make.session, case, memo_of_rs720(), expected_version=case.version, user=erik)
    with app.app_context():
        apply_transition(make.session, case, "submit", user=erik)
        apply_transition(make.session, case, "approve", user=hans)
    make.session.commit()
    return case, hans


def _post(page, section, action: str):
    section.locator(f'form[action="{action}"] button[type=submit]').click()


def _open_details(scope, summary: str):
    scope.locator("summary").filter(has_text=re.compile(summary)).first.click()


def _docx_text(content: bytes) -> str:
    doc = Docx(io.BytesIO(content))
    parts = [p.text for section in doc.sections for p in section.header.paragraphs]
    parts += [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def _download(page, link) -> bytes:
    with page.expect_download() as info:
        link.click()
    return Path(info.value.path()).read_bytes()


def test_a_secretary_runs_a_meeting_from_kallelse_to_excerpt(
    make,
    app,
    page,
    mailbox,
    approved_case,
):
    case, hans = approved_case
    log_in(page, hans)

    # 1. The meeting, planned for next week from the body's register.
    page.goto("/meetings/")
    page.locator("#organ").select_option(label="Regionstyrelsen")
    page.locator('form[action="/meetings/new"] button[type=submit]').click()
    next_week = today() + timedelta(days=7)
    page.locator("#starts_at").fill(f"{next_week.isoformat()}T09:00")
    page.locator("#place").fill("Regionens hus, sal Storsjön")
    page.get_by_label(ATTESTER, exact=True).check()
    page.locator('form[action="/meetings/new"] button[type=submit]').click()
    page.wait_for_url(re.compile(r"/meetings/\d+(#.*)?$"))
    meeting_id = int(re.search(r"/meetings/(\d+)", page.url).group(1))
    base = f"/meetings/{meeting_id}"

    # 2. The agenda: the case, and the election of attesters first, as protocols have it.
    agenda = page.locator("#agenda")
    agenda.locator("#case_id").select_option(str(case.id))
    _post(page, agenda, f"{base}/cases")
    _open_details(agenda, "Lägg till en punkt utan ärende|Add an item without a case")
    agenda.locator("#new-kind").select_option("attesters")
    agenda.locator("#new-title").fill("Val av justerare")
    agenda.locator("#new-body").fill(ELECTED)
    _post(page, agenda, f"{base}/items")
    rows = page.locator("#agenda table tbody tr")
    expect(rows).to_have_count(2)
    rows.nth(1).locator("form[action$='/move/up'] button").click()
    expect(rows.nth(0)).to_contain_text("Val av justerare")
    expect(rows.nth(1)).to_contain_text(NUMBER)

    # 3. The kallelse reaches the members and the substitute with the agenda and papers.
    summons = page.locator("#summons")
    _post(page, summons, f"{base}/summons")
    expect(page.locator(".flash-error")).to_have_count(0)
    expect(summons.locator("li").first).to_contain_text(re.compile(r"skickad|sent", re.I))
    with mailbox.lock:
        messages = list(mailbox.messages)
    assert len(messages) == 1
    rcpt_tos, message = messages[0]
    assert set(rcpt_tos) == {email for _n, role, email, _a in BOARD if email}
    assert "Kallelse" in message["Subject"] and "Regionstyrelsen" in message["Subject"]
    attached = {part.get_filename(): part.get_content() for part in message.iter_attachments()}
    kallelse = next(content for name, content in attached.items() if name.startswith("Kallelse"))
    summons_text = _docx_text(kallelse)
    assert "KALLELSE" in summons_text and NUMBER in summons_text
    assert "Val av justerare" in summons_text
    assert_accessible(page, "a planned meeting with its kallelse")

    # 4. Not before the meeting has begun: the message says so.
    _post(page, agenda, f"{base}/open")
    expect(page.locator(".flash-error")).to_contain_text(re.compile(r"börjar|begins"))
    expect(status(page)).not_to_have_text(OPENED)

    # 5. The meeting was this morning: a correction before justering.
    page.goto(f"{base}/edit")
    began = datetime.now(LOCAL_TZ) - timedelta(hours=1)
    page.locator("#starts_at").fill(began.strftime("%Y-%m-%dT%H:%M"))
    page.locator('form[action$="/edit"] button[type=submit]').click()
    page.wait_for_url(at(base))
    expect(page.locator(".flash-success")).to_have_count(1)

    # 6. Opened: the §§ follow the agenda.
    _post(page, page.locator("#agenda"), f"{base}/open")
    expect(status(page)).to_have_text(OPENED)
    expect(rows.nth(0).locator("td").nth(1)).to_have_text("1")
    expect(rows.nth(1).locator("td").nth(1)).to_have_text("2")
    item_id = int(rows.nth(1).locator("a[href^='#item-']").get_attribute("href")[6:])
    paragraph = page.locator(f"section#item-{item_id}")

    # 7. The roll: David Ledamot absent, Fredrik Ersättare serves for him.
    attendance = page.locator("#attendance")
    _post(page, attendance, f"{base}/roll-call")
    roster = attendance.locator("table tbody tr")
    expect(roster).to_have_count(6)  # the members, the substitute and the secretary
    absent = roster.filter(has_text=ABSENT)
    _open_details(absent, "Ändra|Change")
    absent.locator('input[name="is_present"][value="0"]').check()
    absent.locator("form[action$='/presence'] button[type=submit]").click()
    substitute = page.locator("#attendance table tbody tr").filter(has_text=SUBSTITUTE)
    _open_details(substitute, "Ändra|Change")
    substitute.locator("select[name=serving_for]").select_option(label=f"{ABSENT} (C)")
    substitute.locator("form[action$='/presence'] button[type=submit]").click()
    expect(page.locator("#attendance table tbody tr").filter(has_text=SUBSTITUTE)).to_contain_text(
        ABSENT
    )

    # 8. The motions, and a vote that ties: the chair's casting vote decides (KL 5:57).
    _post(page, paragraph, f"{base}/items/{item_id}/motions/proposal")
    _open_details(paragraph, "Lägg till ett yrkande|Add a motion")
    paragraph.locator(f"#i{item_id}-mover-att").select_option(label=f"{ATTESTER} (M)")
    paragraph.locator(f"#i{item_id}-text").fill(COUNTER_MOTION)
    _post(page, paragraph, f"{base}/items/{item_id}/motions")
    expect(paragraph.locator(".proceedings ol > li")).to_have_count(2)
    _open_details(paragraph, "Anteckna en omröstning|Record a round of votes")
    ballots = {CHAIR: "ja", SUBSTITUTE: "ja", ATTESTER: "nej", MEMBER: "nej"}
    votes = paragraph.locator("fieldset.radio-row")
    expect(votes).to_have_count(4)
    for name, choice in ballots.items():
        votes.filter(has_text=name).locator(f'input[value="{choice}"]').check()
    _post(page, paragraph, f"{base}/items/{item_id}/votes")
    expect(page.locator(".flash-error")).to_have_count(0)
    outcome = paragraph.locator("[id^=vote-]")
    expect(outcome).to_contain_text(re.compile(r"utslagsröst|casting vote"))
    expect(outcome.locator("tbody tr")).to_have_count(4)

    # 9. The decision, and the reservation of the one who lost.
    paragraph.locator(f'input[name="item{item_id}-kind"][value="adopted"]').check()
    _post(page, paragraph, f"{base}/items/{item_id}/decision")
    expect(paragraph.locator("ol.decision > li")).to_have_count(2)
    _open_details(paragraph, "Lägg till en reservation|Add a reservation")
    paragraph.locator(f"#i{item_id}-st-att").select_option(label=f"{ATTESTER} (M)")
    paragraph.locator(f"#i{item_id}-st-text").fill(RESERVATION)
    _post(page, paragraph, f"{base}/items/{item_id}/statements")
    expect(paragraph.locator(".proceedings")).to_contain_text(RESERVATION)
    assert_accessible(page, "an opened meeting with attendance, a vote and a reservation")

    # 10. Justering today.
    attest = page.locator("section#attest")
    attest.locator("#attested_on").fill(today().isoformat())
    _post(page, attest, f"{base}/attest")
    expect(status(page)).to_have_text(ATTESTED)

    # 11. The protocol and the excerpt carry all of it.
    protocol = _docx_text(_download(page, page.locator(f'a[href="{base}/protocol.docx"]')))
    for expected in (
        "PROTOKOLL",
        "§ 1",
        "Val av justerare",
        ELECTED,
        "§ 2",
        f"Dnr {NUMBER}",
        SUBSTITUTE,
        ABSENT,
        COUNTER_MOTION,
        "utslagsröst",
        RESERVATION,
    ):
        assert expected in protocol, (expected, protocol)
    # The ballots table: Ledamot | Ja | Nej | Avstår, each member's vote marked X.
    assert re.search(rf"{CHAIR}[^\n]*\| X \|  \| ", protocol), protocol
    assert re.search(rf"{ATTESTER}[^\n]*\|  \| X \| ", protocol), protocol
    assert protocol.index("Val av justerare") < protocol.index(f"Dnr {NUMBER}")

    excerpt = _docx_text(
        _download(page, paragraph.locator(f'a[href="/meetings/items/{item_id}/excerpt.docx"]'))
    )
    for expected in (
        "PROTOKOLLSUTDRAG",
        "§ 2",
        COUNTER_MOTION,
        "utslagsröst",
        RESERVATION,
        "Rätt utdraget intygar",
    ):
        assert expected in excerpt, (expected, excerpt)
    assert_accessible(page, "an attested meeting")
