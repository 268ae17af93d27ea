"""The files a notice offers: the protocol's and the agenda's public versions, and the
PDF an other notice carries.

Everything stored here is made for publication: the protocol and the agenda come from
``caseflow.meetings`` builders that read every text of a case through the projection for
the public (closed §§ and secret titles masked). The PDF/A of a protocol is made later,
by the scheduler's job (:func:`make_protocol_pdf`), because LibreOffice takes a second
and justering should not wait for it.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlmodel import Session

from caseflow.common.errors import ValidationError
from caseflow.documents.formats import DOCX_MIME
from caseflow.documents.services import store_blob
from caseflow.documents.storage import FileStore
from caseflow.meetings.documents import agenda_docx, protocol_docx
from caseflow.meetings.excerpts import PROTOCOL_REASON, sealed_pdfa
from caseflow.meetings.models import Meeting
from caseflow.meetings.state import meeting_date
from caseflow.noticeboard.models import Notice, NoticeFile, NoticeFileKind

PDF_MIME = "application/pdf"
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024


def _base_name(label: str, meeting: Meeting) -> str:
    return f"{label} {meeting.organ.name} {meeting_date(meeting).isoformat()}"


def _add(session: Session, store: FileStore, notice: Notice, kind, name, mime, content, **extra):
    sha256, size = store_blob(session, store, content)
    row = NoticeFile(
        notice_id=notice.id,
        kind=kind,
        filename=name,
        mime_type=mime,
        sha256=sha256,
        size=size,
        **extra,
    )
    notice.files.append(row)
    session.flush()
    return row


def attach_protocol(session: Session, store: FileStore, notice: Notice, meeting: Meeting):
    """The protocol's public version (.docx) as it stood when the notice was posted."""
    content = protocol_docx(session, meeting, None)
    name = _base_name("Protokoll", meeting) + ".docx"
    return _add(session, store, notice, NoticeFileKind.PROTOCOL, name, DOCX_MIME, content)


def attach_agenda(session: Session, store: FileStore, notice: Notice, meeting: Meeting):
    """The agenda's public version (.docx) for an announcement."""
    content = agenda_docx(session, meeting, None)
    name = _base_name("Föredragningslista", meeting) + ".docx"
    return _add(session, store, notice, NoticeFileKind.AGENDA, name, DOCX_MIME, content)


def attach_pdf(session: Session, store: FileStore, notice: Notice, filename: str, content: bytes):
    """A PDF a manager posts with an other notice: checked to be a PDF, and not too large."""
    if not content.startswith(b"%PDF-"):
        raise ValidationError(_l("The attachment must be a PDF file."))
    if len(content) > MAX_ATTACHMENT_BYTES:
        raise ValidationError(_l("The attachment is too large (at most 20 MB)."))
    name = (filename or "bilaga.pdf").replace("/", "-").replace("\\", "-").strip()[:200]
    if not name.lower().endswith(".pdf"):
        name += ".pdf"
    return _add(session, store, notice, NoticeFileKind.ATTACHMENT, name, PDF_MIME, content)


def file_of(notice: Notice, kind: str) -> NoticeFile | None:
    return next((f for f in notice.files if f.kind == kind), None)


def make_protocol_pdf(session: Session, store: FileStore, notice: Notice) -> NoticeFile | None:
    """The stored public protocol as PDF/A-2b, sealed where a seal is configured. None when
    the notice has no protocol or already has its PDF. Raises the converter's error when
    LibreOffice is unavailable."""
    from caseflow import seal

    docx = file_of(notice, NoticeFileKind.PROTOCOL)
    if docx is None or file_of(notice, NoticeFileKind.PROTOCOL_PDF) is not None:
        return None
    with store.open(docx.sha256) as handle:
        content = sealed_pdfa(session, handle.read(), reason=PROTOCOL_REASON)
    name = docx.filename.rsplit(".", 1)[0] + ".pdf"
    return _add(
        session,
        store,
        notice,
        NoticeFileKind.PROTOCOL_PDF,
        name,
        PDF_MIME,
        content,
        is_sealed=seal.current_sealer() is not None,
    )
