"""The registrar's mail queue: what intake could not file with certainty, and the decisions.

Each decision is one service function; the view (or a script) commits once:
- ``file_into_case``: register the mail as an incoming document of a case;
- ``open_case_from_mail``: open a new case from it (title from the subject, counterpart
  from the original sender) and file it there;
- ``register_without_case``: register it as löpande post, to be connected later;
- ``reject``: not to be registered, with a reason (e.g. of minor importance, OSL 5:1);
- ``undo``: take a decision back: a filing's document is voided (makulerad, it stays
  visible), and the mail is back in the queue. Every step is in the audit trail.
- ``retry``: run intake's parse and route again for a message that failed;
- ``requeue``: put a mail intake set aside (auto-reply, bounce, duplicate) in the queue.
"""

from __future__ import annotations

import json
import re

import sqlalchemy as sa
from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l
from sqlalchemy import func
from sqlmodel import Session, select

from caseflow.cases.models import Case, CaseStatus
from caseflow.cases.queries import Page, fold
from caseflow.cases.services import PartyCreate, open_case
from caseflow.common import audit
from caseflow.common.errors import NotFound, ValidationError
from caseflow.common.timeutil import now
from caseflow.documents.models import Document
from caseflow.documents.services import void_document
from caseflow.documents.storage import FileStore
from caseflow.mail.filing import Registration, register_mail
from caseflow.mail.intake import process
from caseflow.mail.models import SET_ASIDE, WAITING, MailMessage, MailStatus
from caseflow.mail.numbers import strip_subject_prefixes
from caseflow.mail.reasons import Reason
from caseflow.mail.store import read_parsed
from caseflow.parties.services import find_or_register, get_party

#: What the queue's filter offers: waiting (queued and failed), or one status.
FILTERS = ("waiting", *MailStatus)


def list_filter(asked: str | None) -> str:
    """The queue list's filter: one of ``FILTERS``, "waiting" when none or an unknown one."""
    return asked if asked in FILTERS else "waiting"


def mail_list(session: Session, *, show: str = "waiting", page: int = 1, per_page: int = 50):
    """One page of the queue, oldest first: the registrar works from the top."""
    statuses = WAITING if show == "waiting" else (show,)
    where = MailMessage.status.in_(statuses)
    total = session.exec(select(func.count()).select_from(MailMessage).where(where)).one()
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    order = (MailMessage.received_at, MailMessage.id)
    if show not in WAITING and show != "waiting":
        order = (MailMessage.received_at.desc(), MailMessage.id.desc())
    rows = session.exec(
        select(MailMessage)
        .where(where)
        .order_by(*order)
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    return Page(items=list(rows), total=total, page=page, per_page=per_page)


def waiting_count(session: Session) -> int:
    return session.exec(
        select(func.count()).select_from(MailMessage).where(MailMessage.status.in_(WAITING))
    ).one()


def get_mail(session: Session, mail_id: int, *, for_update: bool = False) -> MailMessage:
    """A mail; ``for_update`` locks it for a decision (two clicks, two registrars: one wins,
    the other finds it decided)."""
    mail = session.get(
        MailMessage, mail_id, with_for_update=for_update, populate_existing=for_update
    )
    if mail is None:
        raise NotFound(_l("The message does not exist."))
    return mail


def original_of(session: Session, mail: MailMessage) -> MailMessage | None:
    """For a duplicate: the first mail with the same bytes."""
    return session.exec(
        select(MailMessage)
        .where(MailMessage.sha256 == mail.sha256, MailMessage.id != mail.id)
        .order_by(MailMessage.id)
        .limit(1)
    ).first()


#: Words too common in subjects to say which case a mail belongs to.
_COMMON_WORDS = frozenset(
    {"angående", "gällande", "ärende", "ärendet", "fråga", "frågor", "inbjudan", "about"}
)


_SIMILAR_TITLES = "caseflow.mail.similar_titles"


def register_similar_titles(app, provider) -> None:
    """Let a higher domain (search) find the similar titles: ``provider(session, words,
    limit=…)`` returns ``[(case number, words shared)]`` best first. Mail never imports it."""
    app.extensions[_SIMILAR_TITLES] = provider


def similar_cases(session: Session, subject: str | None, *, limit: int = 3) -> list[str]:
    """Open cases whose title shares the most longer words with the subject (shown, not
    routed: a similar title is a hint for the registrar, never a reason to file)."""
    words = [
        w
        for w in dict.fromkeys(
            re.findall(r"\w{5,}", strip_subject_prefixes(subject or "").casefold())
        )
        if w not in _COMMON_WORDS and not w.isdigit()
    ][:6]
    if not words:
        return []
    needed = 2 if len(words) > 2 else 1
    provider = current_app.extensions.get(_SIMILAR_TITLES) if has_app_context() else None
    if provider is not None:
        found = provider(session, words, limit=limit)
        return [number for number, count in found if count >= needed]
    title = fold(session, Case.title)
    hits = sum((sa.case((title.contains(word), 1), else_=0) for word in words), sa.literal(0))
    rows = session.exec(
        select(Case.number, hits.label("hits"))
        .where(
            Case.status.in_(CaseStatus.open_states()),
            Case.voided_at.is_(None),
            Case.title_is_secret.is_(False),
            sa.or_(*(title.contains(word) for word in words)),
        )
        .order_by(sa.desc("hits"), Case.id.desc())
        .limit(limit)
    ).all()
    return [number for number, count in rows if count >= needed]


def requeue(session: Session, mail: MailMessage, *, reason: str) -> None:
    """Put a mail intake set aside (an auto-reply, a bounce, a duplicate) in the queue: a
    real invitation may come with Precedence: bulk or from a mailing system."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_l("Say why the message is to be handled."))
    if mail.status not in SET_ASIDE:
        raise ValidationError(
            _l(
                "Only mail intake set aside (automatic replies, notices, duplicates) is put "
                "in the queue this way."
            )
        )
    _decided(
        session, mail, MailStatus.QUEUED, Reason("requeued", reason=reason[:1000]), "mail.requeued"
    )


def next_waiting(session: Session, after: MailMessage) -> MailMessage | None:
    """The next mail in the queue after ``after`` (oldest first), for working down the list."""
    return session.exec(
        select(MailMessage)
        .where(
            MailMessage.status.in_(WAITING),
            MailMessage.id != after.id,
            (MailMessage.received_at > after.received_at)
            | ((MailMessage.received_at == after.received_at) & (MailMessage.id > after.id)),
        )
        .order_by(MailMessage.received_at, MailMessage.id)
        .limit(1)
    ).first()


def suggestions(mail: MailMessage) -> list[str]:
    return json.loads(mail.suggested_cases or "[]")


def _must_wait(mail: MailMessage) -> None:
    if mail.status not in (*WAITING, MailStatus.RECEIVED):
        raise ValidationError(
            _l("The message is already handled; undo that first if it is to be handled again.")
        )


def _decided(
    session: Session, mail: MailMessage, status: str, reason: Reason, action: str, **after
):
    before = {"status": mail.status, "case_id": mail.case_id, "document_id": mail.document_id}
    actor = audit.current_actor()
    mail.status, mail.reason = status, reason
    mail.handled_by_id, mail.handled_at = getattr(actor, "id", None), now()
    case = session.get(Case, mail.case_id) if mail.case_id else None
    audit.record(
        session,
        action,
        mail,
        case=case,
        before=before,
        after={"status": status, "message_id": mail.message_id, "reason": reason, **after},
    )
    session.flush()


def _file(session, store, mail, case, registration: Registration) -> Document:
    _must_wait(mail)
    raw, parsed = read_parsed(store, mail)
    doc = register_mail(session, store, mail, parsed, raw, case, registration)
    mail.case_id = case.id if case else None
    mail.document_id = doc.id
    return doc


def file_into_case(
    session: Session, store: FileStore, mail: MailMessage, case: Case, registration: Registration
) -> Document:
    """File the mail as an incoming document of ``case`` (which must be open)."""
    if case.is_voided or not case.is_open:
        raise ValidationError(
            _l("Case %(number)s is not open; choose another case.", number=case.number)
        )
    doc = _file(session, store, mail, case, registration)
    _decided(
        session, mail, MailStatus.FILED, Reason("filed_by_registrar", case=case.number),
        "mail.filed", case=case.number, document_id=doc.id,
    )  # fmt: skip
    return doc


def open_case_from_mail(
    session: Session,
    store: FileStore,
    mail: MailMessage,
    registration: Registration,
    *,
    series_code: str,
    case_title: str,
    officer=None,
    class_id: int | None = None,
    counterpart_name: str | None = None,
    counterpart_organisation: str | None = None,
) -> tuple[Case, Document]:
    """Open a new case from the mail and file it there as the case's first document."""
    _must_wait(mail)
    party = PartyCreate(
        name=counterpart_name or None,
        organisation=counterpart_organisation or None,
        email=registration.counterpart_email or None,
        party_id=registration.party_id,
    )
    case = open_case(
        session,
        series_code=series_code,
        title=case_title,
        officer=officer,
        class_id=class_id,
        parties=[party],
    )
    doc = file_into_case(session, store, mail, case, registration)
    return case, doc


def register_without_case(
    session: Session, store: FileStore, mail: MailMessage, registration: Registration
) -> Document:
    """Register the mail as löpande post: a registered document not yet in a case."""
    doc = _file(session, store, mail, None, registration)
    _decided(
        session, mail, MailStatus.FILED, Reason("registered_without_case"),
        "mail.registered_loose", document_id=doc.id,
    )  # fmt: skip
    return doc


def reject(session: Session, mail: MailMessage, *, reason: str) -> None:
    """Mark the mail as not to be registered; the reason is kept with it."""
    _must_wait(mail)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_l("Say why the message is not to be registered."))
    _decided(
        session,
        mail,
        MailStatus.REJECTED,
        Reason("rejected", reason=reason[:1000]),
        "mail.rejected",
    )


def undo(session: Session, mail: MailMessage, *, reason: str) -> Case | None:
    """Take a filing or rejection back: the document is voided, the mail waits again.

    Returns the case the mail was filed in when nothing else of it is left unvoided (a
    case opened from the mail by mistake, to be withdrawn by whoever may).
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_l("Say why the decision is undone."))
    if mail.status not in (MailStatus.FILED, MailStatus.REJECTED):
        raise ValidationError(_l("Only filed or rejected messages can be undone."))
    if mail.document_id:
        doc = session.get(Document, mail.document_id)
        case = session.get(Case, doc.case_id) if doc and doc.case_id else None
        if doc is not None and not doc.is_voided:
            void_document(
                session, doc, reason=f"Felaktigt diarieförd e-post: {reason}"[:500], case=case
            )
    previous_case = mail.case_id
    _decided(
        session, mail, MailStatus.QUEUED, Reason("undone", reason=reason[:1000]), "mail.undone",
        previous_document_id=mail.document_id, previous_case_id=previous_case,
    )  # fmt: skip
    mail.case_id = mail.document_id = None
    session.flush()
    if previous_case is None:
        return None
    left = session.exec(
        select(func.count())
        .select_from(Document)
        .where(Document.case_id == previous_case, Document.voided_at.is_(None))
    ).one()
    return None if left else session.get(Case, previous_case)


def retry(session: Session, store: FileStore, mail: MailMessage) -> str:
    """Parse and route a failed message again; returns its new status."""
    if mail.status not in (MailStatus.FAILED, MailStatus.RECEIVED):
        raise ValidationError(_l("Only messages that could not be read can be run again."))
    mail.error = None
    process(session, store, mail)
    audit.record(session, "mail.retried", mail, after={"status": mail.status})
    return mail.status


def choose_party(
    session: Session,
    registration: Registration,
    *,
    choice: str | None,
    other_party_id: int | None = None,
    name: str | None = None,
    organisation: str | None = None,
) -> Registration:
    """Link the registration to the sender the registrar chose in the parties register.

    ``choice`` is a party's id (the match), "new" (register the proposal, as edited:
    ``name``, ``organisation`` and the sender's address) or "none". A number typed in
    ``other_party_id`` wins: the registrar picked another party. A merged party stands
    for the one it was merged into.
    """
    if other_party_id:
        party = get_party(session, other_party_id)
    elif choice == "new":
        party = find_or_register(
            session,
            name=name or (None if organisation else registration.counterpart),
            organisation=organisation,
            email=registration.counterpart_email,
        )
    elif choice and choice.isdigit():
        party = get_party(session, int(choice))
    else:
        party = None
    while party is not None and party.merged_into_id is not None:
        party = get_party(session, party.merged_into_id)
    registration.party_id = party.id if party is not None else None
    return registration
