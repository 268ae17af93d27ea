"""Corrections of documents: registration data, a new version of a file, a move.

Each is one service function, called the same way from the web and the CLI; each writes
one audit event with its reason. Nothing is overwritten: a corrected field keeps its old
value in the audit trail, an older file version stays stored and downloadable, and a
moved document's old number stays in its old case as a voided entry that points on.
"""

from __future__ import annotations

import mimetypes
import re
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, select

from caseflow.cases.models import Case
from caseflow.cases.services import get_case_by_number
from caseflow.common import audit
from caseflow.common.corrections import record_correction, refuse_if_unchanged, require_reason
from caseflow.common.errors import ConflictError, NotFound, ValidationError
from caseflow.common.models import AuditEvent
from caseflow.common.projection import document_number
from caseflow.common.timeutil import now
from caseflow.documents.filenames import safe_filename
from caseflow.documents.models import Document, DocumentFile
from caseflow.documents.services import IncomingFile, _next_document_seq, _validate, store_blob
from caseflow.documents.storage import FileStore

#: The registration data a registrar may correct, with the longest text each may hold
#: (None: not text).
CORRECTABLE_FIELDS: dict[str, int | None] = {
    "direction": None,
    "received_on": None,
    "counterpart": 300,
    "counterpart_email": 254,
    "title": 500,
    "kind": 100,
    "document_date": None,
    "is_secret": None,
    "title_is_secret": None,
    "counterpart_is_secret": None,
    "secrecy_provision": 200,
}
DATE_FIELDS = frozenset({"received_on", "document_date"})
FLAG_FIELDS = frozenset({"is_secret", "title_is_secret", "counterpart_is_secret"})
#: Fields that may be emptied; the others are required by OSL 5 kap. 2 §.
OPTIONAL_FIELDS = frozenset({"counterpart_email", "kind", "document_date", "secrecy_provision"})
_TRUE = {"yes", "true", "1", "ja"}
_FALSE = {"no", "false", "0", "nej"}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_STALE = _l(
    "Someone else has changed the document since you opened it. "
    "Reload the page and make your correction again."
)


def registration(doc: Document) -> dict:
    """The document's correctable registration data, as the audit trail records it."""
    return {name: getattr(doc, name) for name in CORRECTABLE_FIELDS}


def parse_field_value(name: str, text: str):
    """A value given as text (the CLI) in the field's own type, or ValidationError."""
    if name not in CORRECTABLE_FIELDS:
        raise ValidationError(
            _l(
                "Unknown field “%(name)s”; choose one of %(fields)s.",
                name=name,
                fields=", ".join(CORRECTABLE_FIELDS),
            )
        )
    text = (text or "").strip()
    if name in DATE_FIELDS:
        if not text and name in OPTIONAL_FIELDS:
            return None
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise ValidationError(
                _l("“%(value)s” is not a date; write it like 2021-11-03.", value=text)
            ) from None
    if name in FLAG_FIELDS:
        if text.lower() in _TRUE | _FALSE:
            return text.lower() in _TRUE
        raise ValidationError(_l("“%(value)s” is not yes or no.", value=text))
    return text or None


def _normalised(name: str, value):
    if name in FLAG_FIELDS:
        return bool(value)
    if name in DATE_FIELDS:
        if value is not None and not isinstance(value, date):
            raise ValidationError(
                _l("“%(value)s” is not a date; write it like 2021-11-03.", value=value)
            )
        return value
    value = (str(value) if value is not None else "").strip() or None
    limit = CORRECTABLE_FIELDS[name]
    if value and limit and len(value) > limit:
        raise ValidationError(_l("The value may be at most %(max)s characters long.", max=limit))
    return value


def _refuse_voided(doc: Document) -> None:
    if doc.is_voided:
        raise ValidationError(_l("The document is void and cannot be changed."))


def correct_document(
    session: Session,
    document: Document,
    changes: dict,
    reason: str,
    actor=None,
    *,
    expected_version: int | None = None,
) -> Document:
    """Correct a document's registration data (a rättelse): one audited event with the reason.

    ``changes`` maps field names of :data:`CORRECTABLE_FIELDS` to their new values; the
    rules of registration (OSL 5 kap. 2 §) hold for the result. A form passes the
    ``expected_version`` it was opened at: a correction based on an older one is refused.
    """
    reason = require_reason(reason)
    _refuse_voided(document)
    if expected_version is not None and expected_version != document.version:
        raise ConflictError(_STALE)
    unknown = set(changes) - set(CORRECTABLE_FIELDS)
    if unknown:
        raise ValidationError(_l("Unknown fields: %(fields)s", fields=", ".join(sorted(unknown))))
    before = registration(document)
    merged = dict(before)
    merged.update({name: _normalised(name, value) for name, value in changes.items()})
    if merged["counterpart_email"] and not _EMAIL.match(merged["counterpart_email"]):
        raise ValidationError(_l("Give a valid e-mail address."))
    _validate(
        merged["direction"],
        merged["title"],
        merged["counterpart"],
        merged["received_on"],
        (merged["is_secret"], merged["title_is_secret"], merged["counterpart_is_secret"]),
        merged["secrecy_provision"],
    )
    refuse_if_unchanged(before, merged)
    for name, value in merged.items():
        setattr(document, name, value)
    try:
        session.flush()
    except StaleDataError as exc:
        raise ConflictError(_STALE) from exc
    case = session.get(Case, document.case_id) if document.case_id else None
    secret = set()
    if before["title_is_secret"] or document.title_is_secret:
        secret.add("title")
    if (
        before["counterpart_is_secret"]
        or document.counterpart_is_secret
        or (case is not None and case.parties_are_secret)
    ):
        secret |= {"counterpart", "counterpart_email"}
    record_correction(
        session,
        "document.correct",
        document,
        case=case,
        before=before,
        after=registration(document),
        reason=reason,
        secret_fields=secret,
        provision=document.secrecy_provision
        or before["secrecy_provision"]
        or (case.secrecy_provision if case is not None else None),
        actor=actor,
    )
    return document


def current_files(document: Document) -> list[DocumentFile]:
    """The files no newer version has replaced."""
    replaced = {f.replaces_id for f in document.files if f.replaces_id}
    return [f for f in document.files if f.id not in replaced]


def replace_file(
    session: Session,
    store: FileStore,
    document: Document,
    old: DocumentFile,
    incoming: IncomingFile,
    *,
    reason: str,
    actor=None,
) -> DocumentFile:
    """Store a new version of ``old`` ("Ersätt fil"); the old version stays, listed and
    downloadable. The reason is required: the file others read changes, and the audit
    trail says why (it is not a correction of the registration data)."""
    reason = require_reason(reason)
    _refuse_voided(document)
    if old.document_id != document.id:
        raise NotFound(_l("The file does not belong to the document."))
    if old not in current_files(document):
        raise ValidationError(_l("A newer version of this file exists; replace that one."))
    filename = safe_filename(incoming.filename)
    sha, size = store_blob(session, store, incoming.content)
    if size == 0:
        raise ValidationError(_l("The file »%(name)s« is empty.", name=filename))
    if sha == old.sha256:
        raise ValidationError(_l("The new file is the same as the current version."))
    mime = incoming.mime_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
    actor = actor if actor is not None else audit.current_actor()
    item = DocumentFile(
        document_id=document.id,
        sha256=sha,
        filename=filename,
        mime_type=mime,
        size=size,
        file_version=old.file_version + 1,
        uploaded_by_id=getattr(actor, "id", None),
        replaces_id=old.id,
    )
    session.add(item)
    session.flush()
    session.refresh(document, ["files"])
    audit.record(
        session,
        "document.replace_file",
        document,
        case=session.get(Case, document.case_id) if document.case_id else None,
        before={"file": old.filename, "version": old.file_version, "sha256": old.sha256},
        after={
            "file": item.filename,
            "version": item.file_version,
            "sha256": item.sha256,
            "reason": reason,
        },
        actor=actor,
    )
    return item


def move_document(
    session: Session, document: Document, target: Case | None, reason: str, actor=None
) -> Document:
    """Move a misfiled document to ``target`` (None: back to löpande post).

    It gets the next running number there. Its old number stays in the old case as a
    voided entry pointing to the document, so the register keeps every number it ever gave
    and the old number still finds the document. Documents caseflow made itself (a memo,
    an excerpt) belong to the case they were made from and are not moved.
    """
    reason = require_reason(reason)
    _refuse_voided(document)
    source = session.get(Case, document.case_id) if document.case_id else None
    old_number = document_number(document, source)
    if document.is_generated:
        raise ValidationError(
            _l(
                "%(number)s was made by caseflow from its case (a memo or an excerpt) and "
                "cannot be moved; void it and make it again in the right case.",
                number=old_number or "",
            )
        )
    if target is None and source is None:
        raise ValidationError(_l("The document is already unfiled."))
    if target is not None and source is not None and target.id == source.id:
        raise ValidationError(
            _l("The document already belongs to %(number)s.", number=target.number)
        )
    if target is not None and target.is_voided:
        raise ValidationError(_l("Case %(number)s is void.", number=target.number))
    actor = actor if actor is not None else audit.current_actor()
    old_seq = document.seq
    new_seq = _next_document_seq(session, target) if target else None
    document.case_id, document.seq = (target.id if target else None), new_seq
    session.flush()  # frees the old (case, seq) for the entry left behind
    new_number = document_number(document, target)
    if source is not None:
        left = Document(
            case_id=source.id,
            seq=old_seq,
            **{name: getattr(document, name) for name in CORRECTABLE_FIELDS},
            registered_at=document.registered_at,
            registered_by_id=document.registered_by_id,
            voided_at=now(),
            voided_by_id=getattr(actor, "id", None),
            void_reason=reason,
            moved_to_id=document.id,
            moved_to_number=new_number,
        )
        session.add(left)
        session.flush()
    for case in (c for c in (source, target) if c is not None):
        record_correction(
            session,
            "document.move",
            document,
            case=case,
            before={"number": old_number},
            after={"number": new_number},
            reason=reason,
            actor=actor,
        )
    return document


_DOC_NUMBER = re.compile(r"^(?P<case>.+)-(?P<seq>\d{1,9})$")


def get_document_by_number(session: Session, number: str) -> Document:
    """The document a number names, RS/720/2021-3; an old number of a moved document
    names the document it was moved as."""
    match = _DOC_NUMBER.match((number or "").strip())
    if not match:
        raise ValidationError(
            _l("“%(text)s” is not a document number; write it like RS/720/2021-3.", text=number)
        )
    case = get_case_by_number(session, match["case"])
    doc = session.exec(
        select(Document).where(Document.case_id == case.id, Document.seq == int(match["seq"]))
    ).first()
    if doc is None:
        raise NotFound(_l("Document %(number)s does not exist.", number=number.strip()))
    seen = set()
    while doc.moved_to_id is not None and doc.id not in seen:
        seen.add(doc.id)
        doc = session.get(Document, doc.moved_to_id)
    return doc


def document_events(session: Session, document: Document) -> list[AuditEvent]:
    """The audit events of one document, oldest first (one per case for a move)."""
    events = session.exec(
        select(AuditEvent)
        .where(AuditEvent.object_type == "document", AuditEvent.object_id == document.id)
        .order_by(AuditEvent.seq)
    ).all()
    shown, moves = [], set()
    for event in events:
        if event.action == "document.move":  # recorded in both cases' timelines
            if (event.before, event.after) in moves:
                continue
            moves.add((event.before, event.after))
        shown.append(event)
    return shown
