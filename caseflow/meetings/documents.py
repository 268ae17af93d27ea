"""The printable agenda (föredragningslista) and the full protocol as .docx."""

from __future__ import annotations

from sqlmodel import Session

from caseflow.cases.models import Case
from caseflow.common.projection import PUBLICATION, case_title
from caseflow.meetings.letterhead import docx_bytes, start_document
from caseflow.meetings.models import Meeting
from caseflow.meetings.protocol import item_heading, protocol_docx

__all__ = ["agenda_docx", "protocol_docx"]


def agenda_docx(session: Session, meeting: Meeting, viewer) -> bytes:
    """The agenda in its order. It is meant for publication: secret titles are shown as
    their public variant, whoever downloads it."""
    doc = start_document(session, "FÖREDRAGNINGSLISTA", meeting)
    for item in meeting.items:
        label = f"§ {item.paragraph}" if item.paragraph else f"{item.position}."
        if item.has_case:
            case = session.get(Case, item.case_id)
            doc.add_paragraph(f"{label}  {case_title(case, PUBLICATION)}  (Dnr {case.number})")
        else:
            doc.add_paragraph(f"{label}  {item_heading(session, item)[0]}")
    return docx_bytes(doc)
