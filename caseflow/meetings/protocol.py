"""The protocol as .docx, in the order a Swedish protocol uses: who took part, then each §
with its motions, votes, decision, reservations and notes, then the signatures and the
justering and anslag.

It is the public version, meant for publication like the agenda: every text from a case
comes through the projection for publication, and a § handled behind closed doors shows
its public title only.
"""

from __future__ import annotations

from docx.shared import Pt
from flask_babel import force_locale
from sqlalchemy.orm import selectinload
from sqlmodel import Session, select

from caseflow.cases.models import Case
from caseflow.common.projection import PUBLICATION, agenda_item_title
from caseflow.meetings import wording
from caseflow.meetings.attestation import deadlines_of
from caseflow.meetings.excerpts import attestation_text, case_summary, supporting_documents
from caseflow.meetings.letterhead import add_heading, add_styled, docx_bytes, start_document
from caseflow.meetings.models import AgendaItem, ItemKind, Meeting, StatementKind, Vote
from caseflow.meetings.state import decision_points
from caseflow.memos.services import config_value, get_memo, text_parts

#: The heading of a § without a case when it has no title of its own.
KIND_TITLES = {
    ItemKind.OPENING: "Sammanträdets öppnande",
    ItemKind.ATTESTERS: "Val av justerare",
    ItemKind.AGENDA: "Godkännande av dagordningen",
    ItemKind.INFORMATION: "Information",
    ItemKind.DELEGATION_REPORT: "Anmälan av delegationsbeslut",
    ItemKind.CORRESPONDENCE: "Meddelanden",
    ItemKind.OTHER: "Övrigt",
}
SIGNATURE_LINE = "_" * 40


def item_heading(session: Session, item: AgendaItem) -> tuple[str, str | None]:
    """The §'s heading as it may be published, and its case's number (None without a case)."""
    case = session.get(Case, item.case_id) if item.has_case else None
    title = agenda_item_title(item, case, PUBLICATION) or KIND_TITLES.get(item.kind, "Övrigt")
    return title, case.number if case else None


def protocol_docx(session: Session, meeting: Meeting, viewer) -> bytes:
    """The protocol, meant for publication like the agenda: public titles only, in the
    organisation's language whoever makes it."""
    with force_locale(config_value("BABEL_DEFAULT_LOCALE", "sv")):
        doc = start_document(session, "PROTOKOLL", meeting)
        cases = _load_proceedings(session, meeting)  # noqa: F841 - kept in the session while used
        _who_and_when(doc, meeting)
        for item in meeting.items:
            _paragraph(doc, session, meeting, item)
        _signatures(doc, meeting)
        _attestation_and_notice(doc, meeting)
        return docx_bytes(doc)


def _load_proceedings(session: Session, meeting: Meeting) -> list[Case]:
    """Load every §'s motions, votes with ballots, statements and presence, and the cases,
    in a few queries rather than several per § (a long meeting's protocol spent a third of
    its time there). The session holds what it loaded only as long as someone refers to
    it: the caller keeps the returned cases."""
    meeting.items  # noqa: B018 - held by the meeting, so the loaded collections stay with them
    session.exec(
        select(AgendaItem)
        .where(AgendaItem.meeting_id == meeting.id)
        .options(
            selectinload(AgendaItem.motions),
            selectinload(AgendaItem.votes).selectinload(Vote.ballots),
            selectinload(AgendaItem.statements),
            selectinload(AgendaItem.presence),
        )
        # The items are already in the session: give them their collections too.
        .execution_options(populate_existing=True)
    ).all()
    case_ids = [item.case_id for item in meeting.items if item.case_id]
    return list(session.exec(select(Case).where(Case.id.in_(case_ids))).all()) if case_ids else []


def _section(doc, heading: str, lines: list[str], level: int = 2) -> None:
    if not lines:
        return
    add_heading(doc, heading, level)
    for line in lines:
        doc.add_paragraph(line)


def _who_and_when(doc, meeting: Meeting) -> None:
    _section(doc, "Tid och plats", [wording.time_and_place(meeting)])
    _section(doc, "Beslutande", wording.deciding_members(meeting))
    _section(doc, "Ersättare", wording.substitutes(meeting))
    _section(doc, "Övriga närvarande", wording.others_present(meeting))
    _section(doc, "Frånvarande", wording.absent_members(meeting))
    _section(doc, "Sekreterare", [meeting.secretary])
    _section(doc, "Justerare", _lines(meeting.attesters))
    if meeting.is_attested:
        _section(doc, "Justeringens tid och plats", [meeting.attested_on.isoformat()])
    _section(doc, "Paragrafer", [wording.paragraph_range(meeting)] if meeting.items else [])


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").split("\n") if line.strip()]


def _paragraph(doc, session: Session, meeting: Meeting, item: AgendaItem) -> None:
    title, number = item_heading(session, item)
    add_heading(doc, f"§ {item.paragraph or '–'} {title}", 2)
    if number:
        doc.add_paragraph(f"Dnr {number}")
    if item.is_closed:
        doc.add_paragraph(wording.CLOSED_DOORS)
        _immediately_attested(doc, item)
        return
    organ = meeting.organ.name
    if item.has_case:
        _case_material(doc, session, item)
    for line in wording.presence_changes(item):
        doc.add_paragraph(line)
    _section(doc, "Yrkanden", [wording.motion_line(m) for m in item.motions], level=3)
    acclamation = wording.acclamation(organ, item)
    if acclamation:
        _section(doc, "Propositionsordning", [acclamation], level=3)
    for vote in item.votes:
        _vote(doc, wording.vote_account(organ, item, vote))
    _decision(doc, organ, item)
    _statements(doc, "Reservationer", wording.statements(item, StatementKind.RESERVATION))
    _statements(doc, "Protokollsanteckningar", wording.statements(item, StatementKind.NOTE))
    _immediately_attested(doc, item)


def _case_material(doc, session: Session, item: AgendaItem) -> None:
    case = session.get(Case, item.case_id)
    memo = get_memo(session, case)
    summary = text_parts(case_summary(case, memo)) if memo else []
    if summary:
        add_heading(doc, "Ärendebeskrivning", 3)
        for part in summary:
            add_styled(doc, part["text"], "List Bullet" if part["bullet"] else "Normal")
    supports = supporting_documents(session, memo)
    _section(doc, "Beslutsunderlag", [f"{d['title']}, {d['date']}" for d in supports], level=3)


def _vote(doc, account: dict) -> None:
    heading = account["heading"].replace("Omröstning", "Propositionsordning")
    _section(doc, heading, [account["proposition"]], level=3)
    add_heading(doc, account["heading"], 3)
    doc.add_paragraph(account["request"])
    table = doc.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("Ledamot", "Ja", "Nej", "Avstår"), strict=True):
        cell.text = text
    for row in account["rows"]:
        cells = table.add_row().cells
        for cell, text in zip(
            cells, (row["name"], row["yes"], row["no"], row["abstain"]), strict=True
        ):
            cell.text = text
    totals = account["totals"]
    cells = table.add_row().cells
    for cell, text in zip(
        cells, ("Summa", totals["yes"], totals["no"], totals["abstain"]), strict=True
    ):
        cell.text = str(text)
    doc.add_paragraph(account["result"])


def _decision(doc, organ: str, item: AgendaItem) -> None:
    if item.decision_kind:
        add_heading(doc, "Beslut", 3)
        doc.add_paragraph(wording.decision_intro(organ, item))
        for n, point in enumerate(decision_points(item), start=1):
            doc.add_paragraph(f"{n}. {point}")
    elif not item.has_case and item.body:
        add_heading(doc, "Beslut", 3)
        for part in text_parts(item.body):
            add_styled(doc, part["text"], "List Bullet" if part["bullet"] else "Normal")
    elif item.has_case:
        doc.add_paragraph("Beslut ej fattat.")


def _statements(doc, heading: str, entries: list[dict]) -> None:
    if not entries:
        return
    add_heading(doc, heading, 3)
    for entry in entries:
        doc.add_paragraph(entry["line"])
        if entry["text"]:
            doc.add_paragraph(entry["text"])


def _immediately_attested(doc, item: AgendaItem) -> None:
    if item.is_immediately_attested:
        doc.add_paragraph().add_run(wording.IMMEDIATELY_ATTESTED).bold = True


def _signatures(doc, meeting: Meeting) -> None:
    add_heading(doc, "Underskrifter", 2)
    signers = [
        ("Sekreterare", meeting.secretary),
        (meeting.organ.chair_title or "Ordförande", meeting.chair),
        *(("Justerare", name) for name in _lines(meeting.attesters)),
    ]
    for role, name in signers:
        doc.add_paragraph(role).paragraph_format.space_before = Pt(18)
        doc.add_paragraph(SIGNATURE_LINE)
        doc.add_paragraph(name)


def _attestation_and_notice(doc, meeting: Meeting) -> None:
    add_heading(doc, "Justering", 2)
    if meeting.is_attested:
        doc.add_paragraph(attestation_text(meeting, None))
    else:
        due = deadlines_of(meeting).attestation_due
        doc.add_paragraph(f"Protokollet är inte justerat. Det ska justeras senast {due}.")
    add_heading(doc, "Anslag", 2)
    deadlines = deadlines_of(meeting)
    if meeting.notice_posted_on:
        lines = [
            f"Justeringen har tillkännagivits genom anslag på anslagstavlan "
            f"{meeting.notice_posted_on.isoformat()}.",
            "Sista dag för överklagande (laglighetsprövning): "
            f"{deadlines.appeal_ends.isoformat()}.",
        ]
    elif deadlines.notice_due:
        lines = [f"Anslaget sätts upp senast {deadlines.notice_due.isoformat()}."]
    else:
        lines = ["Anslaget sätts upp när protokollet har justerats."]
    for line in lines:
        doc.add_paragraph(line)
