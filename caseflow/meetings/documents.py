"""The printable agenda (föredragningslista) and the full protocol as .docx."""

from __future__ import annotations

import io

from docx import Document as Docx
from docx.shared import Pt
from sqlmodel import Session

from caseflow.cases.models import Case
from caseflow.common.projection import PUBLICATION, case_title
from caseflow.common.timeutil import LOCAL_TZ
from caseflow.doctemplates.render import IMAGE_HEIGHT
from caseflow.meetings.excerpts import attestation_text, decision_intro
from caseflow.meetings.models import Meeting
from caseflow.meetings.services import decision_points
from caseflow.organisation.services import profile_snapshot


def _start(session: Session, title: str, meeting: Meeting) -> Docx:
    organisation = profile_snapshot(session)
    doc = Docx()
    doc.styles["Normal"].font.name = "Calibri"
    doc.styles["Normal"].font.size = Pt(11)
    head = doc.sections[0].header.paragraphs[0]
    if organisation.logo:
        head.add_run().add_picture(io.BytesIO(organisation.logo), height=IMAGE_HEIGHT)
        head.add_run(" ")
    head.add_run(organisation.name)
    doc.add_heading(title, level=1)
    local = meeting.starts_at.astimezone(LOCAL_TZ)
    doc.add_paragraph(f"{meeting.organ.name}\n{local:%Y-%m-%d kl. %H.%M}, {meeting.place}")
    return doc


def _bytes(doc: Docx) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def agenda_docx(session: Session, meeting: Meeting, viewer) -> bytes:
    """The agenda in its order. It is meant for publication: secret titles are shown as
    their public variant, whoever downloads it."""
    doc = _start(session, "FÖREDRAGNINGSLISTA", meeting)
    for item in meeting.items:
        case = session.get(Case, item.case_id)
        label = f"§ {item.paragraph}" if item.paragraph else f"{item.position}."
        doc.add_paragraph(f"{label}  {case_title(case, PUBLICATION)}  (Dnr {case.number})")
    return _bytes(doc)


def protocol_docx(session: Session, meeting: Meeting, viewer) -> bytes:
    """The protocol, meant for publication like the agenda: public titles only."""
    doc = _start(session, "PROTOKOLL", meeting)
    attendees = ", ".join(a.name for a in meeting.attendees if a.is_present) or "–"
    doc.add_paragraph(f"Närvarande: {attendees}")
    doc.add_paragraph(
        f"Ordförande: {meeting.chair}\nSekreterare: {meeting.secretary}\n"
        f"Justerare: {meeting.attesters.replace(chr(10), ', ') or '–'}"
    )
    for item in meeting.items:
        case = session.get(Case, item.case_id)
        doc.add_heading(f"§ {item.paragraph or '–'} {case_title(case, PUBLICATION)}", level=2)
        doc.add_paragraph(f"Dnr {case.number}")
        for motion in item.motions:
            doc.add_paragraph(f"Yrkande: {motion.mover or ''} {motion.text}".strip())
        if item.decision_kind:
            doc.add_paragraph(decision_intro(meeting.organ.name, item))
            for n, point in enumerate(decision_points(item), start=1):
                doc.add_paragraph(f"{n}. {point}")
        else:
            doc.add_paragraph("Beslut ej fattat.")
        for statement in item.statements:
            doc.add_paragraph(f"{statement.name} {statement.text or ''}".strip())
        if item.is_immediately_attested:
            doc.add_paragraph("Paragrafen förklaras omedelbart justerad.")
    doc.add_heading("Justering", level=2)
    doc.add_paragraph(
        attestation_text(meeting, meeting.items[0])
        if meeting.is_attested
        else "Protokollet är inte justerat."
    )
    if meeting.notice_posted_on:
        doc.add_paragraph(f"Anslaget på anslagstavlan {meeting.notice_posted_on.isoformat()}.")
    return _bytes(doc)
