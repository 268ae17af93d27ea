"""The start every meeting document shares: the organisation's letterhead, the heading,
the body and the time of the meeting."""

from __future__ import annotations

import io

from docx import Document as Docx
from docx.shared import Pt
from sqlmodel import Session

from caseflow.common.timeutil import LOCAL_TZ
from caseflow.doctemplates.render import IMAGE_HEIGHT
from caseflow.meetings.models import Meeting
from caseflow.organisation.services import profile_snapshot


def start_document(session: Session, title: str, meeting: Meeting) -> Docx:
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


def docx_bytes(doc: Docx) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
