"""The start every meeting document shares: the organisation's letterhead, the heading,
the body and the time of the meeting."""

from __future__ import annotations

import io

from docx import Document as Docx
from docx.shared import Pt
from docx.text.paragraph import Paragraph
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
    add_heading(doc, title, 1)
    local = meeting.starts_at.astimezone(LOCAL_TZ)
    doc.add_paragraph(f"{meeting.organ.name}\n{local:%Y-%m-%d kl. %H.%M}, {meeting.place}")
    return doc


def add_heading(doc: Docx, text: str, level: int) -> Paragraph:
    """``doc.add_heading``, without its cost: python-docx looks a style up by name through
    every style of the document (and again for the default style) on each call, which was
    half the time of a long protocol. The style's id is resolved once per document."""
    return add_styled(doc, text, f"Heading {level}")


def add_styled(doc: Docx, text: str, style: str) -> Paragraph:
    """A paragraph in the named style (see :func:`add_heading`)."""
    ids = doc.__dict__.setdefault("_caseflow_style_ids", {})
    if style not in ids:
        ids[style] = doc.styles[style].style_id
    paragraph = doc.add_paragraph(text)
    paragraph._p.style = ids[style]  # the w:pStyle python-docx itself writes
    return paragraph


def docx_bytes(doc: Docx) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
