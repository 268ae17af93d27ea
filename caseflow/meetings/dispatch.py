"""Expediering: the excerpt (or a delegated decision's document) goes to its recipients,
by e-mail, or as a letter to those without an address.

Order of work, so no mail is lost or sent twice:
1. In the caller's transaction (:func:`prepare_dispatch`): register the excerpt as an
   outgoing document, record a ``Dispatch`` with a Message-ID on our own domain and one
   ``DispatchRecipient`` row per recipient (the letters made and stored), and ask for
   the send after the commit. The case stays *decided*.
2. After the commit (``caseflow.meetings.jobs.send_dispatch``, in sessions of its own):
   claim the dispatch and its waiting addresses (one UPDATE only one process can win),
   send through the mailer, record per address whether the server accepted it. A failure
   is retried by the scheduler when it may pass (unreachable, try later) or by hand; an
   address left "sending" by a process that died becomes *uncertain*, and a person
   decides.
3. When every recipient is served (accepted, or its letter posted), the case becomes
   dispatched (:mod:`caseflow.meetings.serving`).

The functions here only flush; the jobs module owns the sessions and the commits.
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from caseflow.cases.models import Case
from caseflow.common import audit
from caseflow.common.errors import ValidationError
from caseflow.common.mailer import new_message_id
from caseflow.common.timeutil import today
from caseflow.documents.formats import DOCX_MIME, PDF_MIME
from caseflow.documents.models import DocumentFile
from caseflow.documents.services import IncomingFile, register_document, store_blob
from caseflow.documents.storage import FileStore
from caseflow.meetings import serving
from caseflow.meetings.decisions import latest_decided_item
from caseflow.meetings.delegation_models import DelegatedDecision
from caseflow.meetings.dispatch_models import (
    Channel,
    Dispatch,
    DispatchRecipient,
    DispatchStatus,
    RecipientStatus,
)
from caseflow.meetings.dispatch_recipients import Candidate, default_choice
from caseflow.meetings.excerpts import (
    check_final,
    excerpt_context,
    excerpt_filename,
    render_excerpt,
    sealed_pdfa,
)
from caseflow.meetings.jobs import one_line, send_after_commit
from caseflow.meetings.letters import address_lines, make_letter
from caseflow.meetings.models import AgendaItem
from caseflow.organisation.services import profile_snapshot


def prepare_dispatch(
    session: Session,
    store: FileStore,
    item: AgendaItem,
    *,
    user,
    prefer_pdf: bool = True,
    recipients: list[Candidate] | None = None,
) -> Dispatch:
    """Register the excerpt as an outgoing document, record one row per recipient (the
    "Utdrag till" list unless ``recipients`` are chosen) and queue the mail (sent after
    the commit) and the letters."""
    from caseflow.pdf import converter

    check_final(item)  # the reason a person expects first: no decision, or not attested
    case = session.get(Case, item.case_id)
    latest = latest_decided_item(session, case)
    if latest is None or latest.id != item.id:
        # A tabled or referred-back §, or one a later meeting's decision replaced.
        raise ValidationError(
            _l(
                "§ %(paragraph)s is not the decision of the case to dispatch.",
                paragraph=item.paragraph,
            )
        )
    _check_open(session, case, item=item)
    chosen = _recipients(session, case, recipients)
    addresses = [c.email for c in chosen if c.email]
    context = excerpt_context(session, item)
    content, template_id = render_excerpt(session, store, item, context)
    filename, mime = excerpt_filename(session, item, "docx"), DOCX_MIME
    if prefer_pdf and converter.is_available():
        content = sealed_pdfa(session, content)
        filename, mime = excerpt_filename(session, item, "pdf"), PDF_MIME
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
    return _queue(
        session,
        store,
        case,
        doc,
        chosen,
        subject=f"Protokollsutdrag {context['organ']} § {item.paragraph} – {case.number} "
        f"{context['title']}",
        content=(content, mime),
        item=item,
        user=user,
    )


def _queue(
    session: Session,
    store: FileStore,
    case: Case,
    doc,
    recipients: list[Candidate],
    *,
    subject: str,
    content: tuple[bytes, str],
    item,
    user,
) -> Dispatch:
    """Record the dispatch of the registered ``doc``, one row per recipient, make the
    letters and ask for the e-mail after the commit. The case becomes dispatched only when
    every recipient is served (:mod:`caseflow.meetings.serving`)."""
    dispatch = Dispatch(
        case_id=case.id,
        agenda_item_id=item.id if item is not None else None,
        document_id=doc.id,
        recipients=json.dumps([r.email for r in recipients if r.email]),
        message_id=new_message_id(),
        subject=one_line(subject),
        created_by_id=getattr(user, "id", None),
    )
    session.add(dispatch)
    doc.message_id = dispatch.message_id
    session.flush()
    organisation = profile_snapshot(session)
    for position, chosen in enumerate(recipients, 1):
        row = DispatchRecipient(
            dispatch_id=dispatch.id,
            position=position,
            party_id=chosen.party_id,
            name=chosen.name[:300],
            email=(chosen.email or "").strip() or None,
            postal_address=chosen.postal_address,
            is_hidden=chosen.is_hidden,
        )
        if row.email is None:
            _make_letter(session, store, case, row, content, organisation, subject)
        session.add(row)
    session.flush()
    serving.settle(session, dispatch)
    audit.record(
        session,
        "case.dispatch",
        dispatch,
        case=case,
        actor=user,
        after={
            "recipients": [
                {"name": r.name, "email": r.email, "party_id": r.party_id} for r in recipients
            ],
            "message_id": dispatch.message_id,
            "document_id": doc.id,
        },
    )
    if dispatch.status == DispatchStatus.PENDING:
        send_after_commit(session, dispatch.id)
    return dispatch


def _make_letter(session, store, case, row, content, organisation, subject) -> None:
    """Turn ``row`` into a letter to print: the document behind its address page."""
    row.channel, row.status = Channel.LETTER, RecipientStatus.LETTER
    letter, mime = make_letter(
        *content,
        sender=organisation.name,
        sender_address=organisation.postal_address,
        lines=address_lines(row.name, row.postal_address),
        reference=one_line(subject, 300),
    )
    row.letter_sha256, _size = store_blob(session, store, letter)
    extension = "pdf" if mime == PDF_MIME else "docx"
    row.letter_filename = f"Brev {row.position} {case.number.replace('/', '-')}.{extension}"


def send_as_letter(
    session: Session, store: FileStore, row: DispatchRecipient, *, postal_address: str, user
) -> None:
    """A recipient whose e-mail failed gets the document as a letter instead."""
    if row.channel != Channel.EMAIL or row.status not in (
        RecipientStatus.FAILED,
        RecipientStatus.UNCERTAIN,
    ):
        raise ValidationError(_l("Only a recipient whose e-mail failed can get a letter instead."))
    dispatch = session.get(Dispatch, row.dispatch_id)
    case = session.get(Case, dispatch.case_id)
    source = session.exec(
        select(DocumentFile)
        .where(DocumentFile.document_id == dispatch.document_id)
        .order_by(DocumentFile.id.desc())
    ).first()
    with store.open(source.sha256) as handle:
        content = (handle.read(), source.mime_type)
    before = {"email": row.email, "status": row.status, "error": row.error_code}
    row.postal_address = postal_address.strip()
    row.next_retry_at = None
    _make_letter(session, store, case, row, content, profile_snapshot(session), dispatch.subject)
    audit.record(
        session,
        "dispatch.to_letter",
        row,
        case=case,
        actor=user,
        before=before,
        after={"postal_address": row.postal_address},
    )
    serving.settle(session, dispatch, user=user)


def _check_open(session: Session, case: Case, *, item) -> None:
    """One dispatch of a decision at a time: a second one would mail everyone again."""
    for found in dispatches_for(session, case):
        if found.completed_at is None and found.agenda_item_id == (item.id if item else None):
            raise ValidationError(
                _l(
                    "The decision is already being dispatched: see what became of each "
                    "recipient below."
                )
            )


def _recipients(session: Session, case: Case, chosen: list[Candidate] | None) -> list[Candidate]:
    recipients = chosen if chosen is not None else default_choice(session, case)
    if not recipients:
        raise ValidationError(_l("Choose at least one recipient."))
    return recipients


def prepare_decision_dispatch(
    session: Session,
    store: FileStore,
    decision: DelegatedDecision,
    *,
    user,
    recipients: list[Candidate] | None = None,
) -> Dispatch:
    """Send a delegated decision's document (its PDF/A when there is one) to the memo's
    "Utdrag till" recipients, registered as an outgoing document, like an excerpt."""
    from caseflow.meetings.delegated_decisions import decision_context, latest_file

    case = session.get(Case, decision.case_id)
    source = latest_file(session, decision)
    if source is None:
        raise ValidationError(_l("The delegated decision has no decision document to send."))
    _check_open(session, case, item=None)
    chosen = _recipients(session, case, recipients)
    addresses = [c.email for c in chosen if c.email]
    context = decision_context(session, case, decision)
    with store.open(source.sha256) as handle:
        content = handle.read()
    labels = "; ".join(r["label"] for r in context["recipients"])
    doc = register_document(
        session,
        store,
        case=case,
        direction="outgoing",
        kind="Delegationsbeslut",
        title=f"Delegationsbeslut enligt punkt {context['delegation_code']}: {context['title']}"[
            :500
        ],
        counterpart=labels[:300],
        counterpart_email=addresses[0] if len(addresses) == 1 else None,
        received_on=today(),
        files=[IncomingFile(source.filename, content, source.mime_type)],
    )
    return _queue(
        session,
        store,
        case,
        doc,
        chosen,
        subject=f"Delegationsbeslut – {case.number} {context['title']}",
        content=(content, source.mime_type),
        item=None,
        user=user,
    )


def resend(session: Session, dispatch: Dispatch, *, user) -> None:
    """Send again, by hand, to every address not yet served (failed, refused or uncertain),
    with the same Message-ID, after the caller's commit."""
    serving.mark_uncertain(session)  # a send left half done may not be marked yet
    session.refresh(dispatch)
    if dispatch.status not in (DispatchStatus.FAILED, DispatchStatus.UNCERTAIN):
        raise ValidationError(_l("Only a failed or uncertain dispatch can be sent again."))
    audit.record(
        session,
        "dispatch.resend",
        dispatch,
        case=session.get(Case, dispatch.case_id),
        actor=user,
        after={"message_id": dispatch.message_id},
    )
    send_after_commit(session, dispatch.id, by_hand=True)


def dispatches_for(session: Session, case: Case) -> list[Dispatch]:
    return list(
        session.exec(
            select(Dispatch).where(Dispatch.case_id == case.id).order_by(Dispatch.id)
        ).all()
    )
