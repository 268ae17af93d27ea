"""The printable agenda (föredragningslista) and the full protocol as .docx."""

from __future__ import annotations

from flask_babel import force_locale
from sqlmodel import Session

from caseflow.meetings.letterhead import docx_bytes, start_document
from caseflow.meetings.models import Meeting
from caseflow.meetings.protocol import item_heading, protocol_docx
from caseflow.memos.services import config_value

__all__ = ["agenda_docx", "protocol_docx"]


def agenda_docx(session: Session, meeting: Meeting, viewer) -> bytes:
    """The agenda in its order. It is meant for publication: secret titles are shown as
    their public variant, whoever downloads it, in the organisation's language."""
    doc = start_document(session, "FÖREDRAGNINGSLISTA", meeting)
    with force_locale(config_value("BABEL_DEFAULT_LOCALE", "sv")):
        for item in meeting.items:
            label = f"§ {item.paragraph}" if item.paragraph else f"{item.position}."
            title, number = item_heading(session, item)
            doc.add_paragraph(f"{label}  {title}" + (f"  (Dnr {number})" if number else ""))
    return docx_bytes(doc)
