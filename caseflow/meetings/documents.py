"""The printable agenda (föredragningslista), the full protocol as .docx, and the attested
protocol as sealed PDF/A."""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlmodel import Session

from caseflow.common.errors import ValidationError
from caseflow.meetings.excerpts import PROTOCOL_REASON, sealed_pdfa
from caseflow.meetings.letterhead import docx_bytes, start_document
from caseflow.meetings.models import Meeting
from caseflow.meetings.protocol import item_heading, protocol_docx
from caseflow.memos.services import config_value

__all__ = ["agenda_docx", "protocol_docx", "protocol_pdf"]


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


def protocol_pdf(session: Session, meeting: Meeting, viewer) -> bytes:
    """The attested protocol as PDF/A-2b with the organisation's seal. A draft is never
    sealed: a seal says the text is final."""
    if not meeting.is_attested:
        raise ValidationError(
            _l("The protocol is not attested yet: only an attested protocol is made as PDF/A.")
        )
    return sealed_pdfa(session, protocol_docx(session, meeting, viewer), reason=PROTOCOL_REASON)
