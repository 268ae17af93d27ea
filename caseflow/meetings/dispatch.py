"""Expediering: the excerpt goes by e-mail to the "Utdrag till" recipients.

Order of work, so no mail is lost or sent twice:
1. In the request's transaction: register the excerpt as an outgoing document, record a
   ``Dispatch`` (status ``pending``) with a Message-ID on our own domain, move the case
   to dispatched. Commit.
2. After the commit: claim the dispatch (``pending``/``failed`` → ``sending``, one UPDATE
   that only one process can win), send through SMTP, record ``sent`` or ``failed`` with
   the error. A failed send is retried by hand or by the scheduler; a dispatch left in
   ``sending`` (a crash mid-send) is never retried automatically: a person checks it.
"""

from __future__ import annotations

import json
import smtplib
import ssl
import uuid
from datetime import timedelta
from email.message import EmailMessage
from email.utils import formatdate

import sqlalchemy as sa
from flask import current_app
from sqlmodel import Session, select

from caseflow.cases.models import Case
from caseflow.cases.workflow import DISPATCH, apply_transition
from caseflow.common import audit
from caseflow.common.errors import ValidationError
from caseflow.common.timeutil import now, today
from caseflow.documents.models import DocumentFile
from caseflow.documents.services import IncomingFile, register_document
from caseflow.documents.storage import FileStore
from caseflow.meetings.excerpts import DOCX_MIME, excerpt_context, excerpt_filename, render_excerpt
from caseflow.meetings.models import AgendaItem, Dispatch


def new_message_id(domain: str) -> str:
    return f"<caseflow.{uuid.uuid4().hex}@{domain}>"


def prepare_dispatch(
    session: Session, store: FileStore, item: AgendaItem, *, user, prefer_pdf: bool = True
) -> Dispatch:
    """Register the excerpt as an outgoing document and queue the mail (sent after commit)."""
    from caseflow.pdf import converter

    case = session.get(Case, item.case_id)
    context = excerpt_context(session, item)
    addresses = [r["email"] for r in context["recipients"] if r["email"]]
    if not addresses:
        raise ValidationError("Ingen mottagare i »Utdrag till« har en e-postadress.")
    content, template_id = render_excerpt(session, store, item, context)
    filename, mime = excerpt_filename(session, item, "docx"), DOCX_MIME
    if prefer_pdf and converter.is_available():
        content = converter.to_pdfa(content)
        filename, mime = excerpt_filename(session, item, "pdf"), "application/pdf"
    domain = current_app.config["MAIL_MESSAGE_ID_DOMAIN"]
    labels = "; ".join(r["label"] for r in context["recipients"])
    doc = register_document(
        session,
        store,
        case=case,
        direction="outgoing",
        kind="Protokollsutdrag",
        title=f"Protokollsutdrag {context['organ']} § {item.paragraph}: {context['title']}",
        counterpart=labels[:300],
        counterpart_email=addresses[0] if len(addresses) == 1 else None,
        received_on=today(),
        files=[IncomingFile(filename, content, mime)],
    )
    session.exec(
        sa.update(DocumentFile)
        .where(DocumentFile.document_id == doc.id)
        .values(template_id=template_id)
    )
    dispatch = Dispatch(
        case_id=case.id,
        agenda_item_id=item.id,
        document_id=doc.id,
        recipients=json.dumps(addresses),
        message_id=new_message_id(domain),
        subject=f"Protokollsutdrag {context['organ']} § {item.paragraph} – {case.number} "
        f"{context['title']}",
    )
    session.add(dispatch)
    doc.message_id = dispatch.message_id
    apply_transition(session, case, "dispatch", user=user, taken_by=DISPATCH)
    session.flush()
    audit.record(
        session,
        "case.dispatch",
        dispatch,
        case=case,
        actor=user,
        after={"recipients": addresses, "message_id": dispatch.message_id, "document_id": doc.id},
    )
    return dispatch


def _build_message(session: Session, store: FileStore, dispatch: Dispatch) -> EmailMessage:
    config = current_app.config
    item = session.exec(
        select(DocumentFile)
        .where(DocumentFile.document_id == dispatch.document_id)
        .order_by(DocumentFile.id.desc())
    ).first()
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = ", ".join(json.loads(dispatch.recipients))
    message["Subject"] = dispatch.subject
    message["Message-ID"] = dispatch.message_id
    message["Date"] = formatdate(localtime=True)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(
        "Hej,\n\nHär kommer protokollsutdrag enligt bifogad fil.\n"
        f"Ange diarienummer i ämnesraden om ni svarar: {dispatch.subject.split(' – ')[1]}\n\n"
        f"Med vänlig hälsning\n{config['ORGANISATION_NAME']}\n"
    )
    with store.open(item.sha256) as handle:
        maintype, subtype = item.mime_type.split("/", 1)
        message.add_attachment(
            handle.read(), maintype=maintype, subtype=subtype, filename=item.filename
        )
    return message


def _claim(session: Session, dispatch_id: int) -> bool:
    table = Dispatch.__table__
    claimed = session.execute(
        sa.update(table)
        .where(table.c.id == dispatch_id, table.c.status.in_(["pending", "failed"]))
        .values(status="sending", attempts=table.c.attempts + 1)
        .returning(table.c.id)
    ).first()
    session.commit()
    return claimed is not None


def send_dispatch(session: Session, store: FileStore, dispatch_id: int) -> str:
    """Send one dispatch after its commit; returns the final status. Commits on its own."""
    if not _claim(session, dispatch_id):
        return session.get(Dispatch, dispatch_id).status
    dispatch = session.get(Dispatch, dispatch_id)
    session.refresh(dispatch)
    config = current_app.config
    try:
        message = _build_message(session, store, dispatch)
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30) as smtp:
            if config.get("MAIL_USE_STARTTLS"):
                smtp.starttls(context=ssl.create_default_context())
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        dispatch.status, dispatch.error = "failed", f"{type(exc).__name__}: {exc}"
        audit.record(
            session,
            "dispatch.failed",
            dispatch,
            case=session.get(Case, dispatch.case_id),
            after={"error": dispatch.error, "attempt": dispatch.attempts},
        )
    else:
        dispatch.status, dispatch.error, dispatch.sent_at = "sent", None, now()
        audit.record(
            session,
            "dispatch.sent",
            dispatch,
            case=session.get(Case, dispatch.case_id),
            after={"message_id": dispatch.message_id, "attempt": dispatch.attempts},
        )
    session.commit()
    return dispatch.status


def retry_failed(session: Session, store: FileStore) -> dict[int, str]:
    """Send every failed dispatch again, and any left pending (the web process stopped
    between its commit and the send). The scheduler's job."""
    stale = now() - timedelta(minutes=5)
    ids = session.exec(
        select(Dispatch.id).where(
            (Dispatch.status == "failed")
            | ((Dispatch.status == "pending") & (Dispatch.created_at < stale))
        )
    ).all()
    session.commit()
    return {dispatch_id: send_dispatch(session, store, dispatch_id) for dispatch_id in ids}


def dispatches_for(session: Session, case: Case) -> list[Dispatch]:
    return list(
        session.exec(
            select(Dispatch).where(Dispatch.case_id == case.id).order_by(Dispatch.id)
        ).all()
    )
