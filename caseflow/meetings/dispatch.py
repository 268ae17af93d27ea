"""Expediering: the excerpt (or a delegated decision's document) goes by e-mail to the
"Utdrag till" recipients.

Order of work, so no mail is lost or sent twice:
1. In the caller's transaction (:func:`prepare_dispatch`): register the excerpt as an
   outgoing document, record a ``Dispatch`` (status ``pending``) with a Message-ID on our
   own domain, move the case to dispatched, and ask for the send after the commit.
2. After the commit (``caseflow.meetings.jobs.send_dispatch``, in sessions of its own):
   claim the dispatch (``pending``/``failed`` → ``sending``, one UPDATE that only one
   process can win), send through the mailer, record ``sent`` or ``failed`` with the
   reason. A failed send is retried by hand or by the scheduler; a dispatch left in
   ``sending`` (a crash mid-send) is never retried automatically: a person checks it.

The functions here only flush; the jobs module owns the sessions and the commits.
"""

from __future__ import annotations

import json
import uuid

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from caseflow.cases.models import Case
from caseflow.cases.workflow import DISPATCH, apply_transition
from caseflow.common import audit
from caseflow.common.errors import ValidationError
from caseflow.common.timeutil import today
from caseflow.documents.formats import DOCX_MIME, PDF_MIME
from caseflow.documents.models import DocumentFile
from caseflow.documents.services import IncomingFile, register_document
from caseflow.documents.storage import FileStore
from caseflow.meetings.excerpts import (
    check_final,
    excerpt_context,
    excerpt_filename,
    render_excerpt,
)
from caseflow.meetings.jobs import send_after_commit
from caseflow.meetings.models import AgendaItem, DelegatedDecision, Dispatch, DispatchStatus
from caseflow.meetings.services import latest_decided_item
from caseflow.memos.services import get_memo


def new_message_id(domain: str) -> str:
    return f"<caseflow.{uuid.uuid4().hex}@{domain}>"


def prepare_dispatch(
    session: Session, store: FileStore, item: AgendaItem, *, user, prefer_pdf: bool = True
) -> Dispatch:
    """Register the excerpt as an outgoing document and queue the mail (sent after commit)."""
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
    context = excerpt_context(session, item)
    addresses = _addresses(session, case)
    content, template_id = render_excerpt(session, store, item, context)
    filename, mime = excerpt_filename(session, item, "docx"), DOCX_MIME
    if prefer_pdf and converter.is_available():
        content = converter.to_pdfa(content)
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
        case,
        doc,
        addresses,
        subject=f"Protokollsutdrag {context['organ']} § {item.paragraph} – {case.number} "
        f"{context['title']}",
        item=item,
        user=user,
    )


def _queue(
    session: Session, case: Case, doc, addresses: list[str], *, subject: str, item, user
) -> Dispatch:
    """Record the dispatch of the registered ``doc``, take the case to dispatched and ask
    for the send after the commit."""
    domain = current_app.config["MAIL_MESSAGE_ID_DOMAIN"]
    dispatch = Dispatch(
        case_id=case.id,
        agenda_item_id=item.id if item is not None else None,
        document_id=doc.id,
        recipients=json.dumps(addresses),
        message_id=new_message_id(domain),
        subject=subject[:500],
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
    send_after_commit(session, dispatch.id)
    return dispatch


def prepare_decision_dispatch(
    session: Session, store: FileStore, decision: DelegatedDecision, *, user
) -> Dispatch:
    """Send a delegated decision's document (its PDF/A when there is one) to the memo's
    "Utdrag till" recipients, registered as an outgoing document, like an excerpt."""
    from caseflow.meetings.delegated_decisions import decision_context, latest_file

    case = session.get(Case, decision.case_id)
    source = latest_file(session, decision)
    if source is None:
        raise ValidationError(_l("The delegated decision has no decision document to send."))
    addresses = _addresses(session, case)
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
        case,
        doc,
        addresses,
        subject=f"Delegationsbeslut – {case.number} {context['title']}",
        item=None,
        user=user,
    )


def _addresses(session: Session, case: Case) -> list[str]:
    """Every "Utdrag till" recipient with an address, the secret parties too; the document
    itself names only those it may (``excerpts.recipient_entry``)."""
    memo = get_memo(session, case)
    addresses = [r.email for r in (memo.recipients if memo else []) if r.email]
    if not addresses:
        raise ValidationError(_l("No recipient in “Utdrag till” has an e-mail address."))
    return addresses


def resend(session: Session, dispatch: Dispatch, *, user) -> None:
    """Send a failed dispatch again, after the caller's commit."""
    if dispatch.status != DispatchStatus.FAILED:
        raise ValidationError(_l("Only a failed dispatch can be sent again."))
    send_after_commit(session, dispatch.id)


#: What a registrar reads when a send failed, by the mailer's failure code.
FAILURES = {
    "unreachable": _l(
        "The mail server could not be reached or did not take the message. "
        "caseflow tries again every ten minutes; you can also send it again now."
    ),
    "login": _l(
        "The mail server did not accept caseflow's login. Ask the administrator to check "
        "the mail settings, then send it again."
    ),
    "refused": _l("The mail server refused the recipients. Check the addresses in “Utdrag till”."),
    "outbox": _l(
        "No mail server is configured and the message could not be written to the outbox "
        "folder. Ask the administrator to check that caseflow may write there, then send it "
        "again."
    ),
    "unknown": _l("Sending failed. caseflow tries again every ten minutes."),
}


def describe_failure(dispatch: Dispatch) -> tuple[str, str] | None:
    """What to tell a registrar about a failed dispatch: a sentence, and the detail behind it."""
    if not dispatch.error:
        return None
    try:
        stored = json.loads(dispatch.error)
        code, detail = stored["code"], stored.get("detail", "")
    except (ValueError, TypeError, KeyError):
        code, detail = "unknown", dispatch.error  # recorded before failures had codes
    return str(FAILURES.get(code, FAILURES["unknown"])), detail


def dispatches_for(session: Session, case: Case) -> list[Dispatch]:
    return list(
        session.exec(
            select(Dispatch).where(Dispatch.case_id == case.id).order_by(Dispatch.id)
        ).all()
    )
