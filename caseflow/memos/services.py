"""Drafting the memo, and generating it as a .docx document of the case."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from email_validator import EmailNotValidError, validate_email
from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, func, select

from caseflow.auth.models import User
from caseflow.cases.models import Case, CaseStatus, Series
from caseflow.cases.workflow import after_transition
from caseflow.common import audit, projection
from caseflow.common.errors import ConflictError, ValidationError
from caseflow.common.roles import Role
from caseflow.common.timeutil import now, today
from caseflow.doctemplates.services import active_template, render_with
from caseflow.documents.formats import DOCX_MIME
from caseflow.documents.models import Document, DocumentFile
from caseflow.documents.services import IncomingFile, add_file, document_number, register_document
from caseflow.documents.storage import FileStore
from caseflow.memos.models import Memo, MemoPoint, MemoRecipient, MemoSignatory, MemoSupport
from caseflow.organisation.services import profile_snapshot

EDITABLE_STATES = (CaseStatus.REGISTERED, CaseStatus.IN_PREPARATION)


@dataclass
class MemoData:
    memo_date: date
    title: str
    description: str = ""
    unit: str | None = None
    officer_name: str | None = None
    officer_phone: str | None = None
    officer_email: str | None = None
    decision_body: str | None = None
    proposer: str | None = None
    points: list[str] = field(default_factory=list)
    #: (name, title)
    signatories: list[tuple[str, str | None]] = field(default_factory=list)
    #: (name, organisation, email)
    recipients: list[tuple[str | None, str | None, str | None]] = field(default_factory=list)
    support_ids: list[int] = field(default_factory=list)


def config_value(key: str, default: str) -> str:
    return current_app.config.get(key, default) if has_app_context() else default


def get_memo(session: Session, case: Case) -> Memo | None:
    return session.exec(select(Memo).where(Memo.case_id == case.id)).first()


def proposal_point_count(session: Session, case: Case) -> int:
    return session.exec(
        select(func.count())
        .select_from(MemoPoint)
        .join(Memo, Memo.id == MemoPoint.memo_id)
        .where(Memo.case_id == case.id)
    ).one()


def may_edit_memo(user, case: Case) -> bool:
    """Only the responsible officer drafts the memo, while the case is being prepared."""
    return (
        user.is_authenticated
        and user.role == Role.OFFICIAL
        and case.officer_id == user.id
        and case.status in EDITABLE_STATES
        and not case.is_voided
    )


def has_proposal(session: Session, case: Case):
    """Guard of ``submit`` and ``decide_delegated``: the memo proposes at least one point."""
    if proposal_point_count(session, case) == 0:
        return _l("The memo has no proposal: write at least one proposal point.")
    return None


def memo_data(session: Session, case: Case) -> MemoData:
    """The memo as data: the saved draft, or a new one filled in from the case."""
    memo = get_memo(session, case)
    if memo is not None:
        return MemoData(
            memo_date=memo.memo_date,
            title=memo.title,
            description=memo.description,
            unit=memo.unit,
            officer_name=memo.officer_name,
            officer_phone=memo.officer_phone,
            officer_email=memo.officer_email,
            decision_body=memo.decision_body,
            proposer=memo.proposer,
            points=[p.text for p in memo.points],
            signatories=[(s.name, s.title) for s in memo.signatories],
            recipients=[(r.name, r.organisation, r.email) for r in memo.recipients],
            support_ids=[s.document_id for s in memo.supports],
        )
    officer = session.get(User, case.officer_id) if case.officer_id else None
    series = session.get(Series, case.series_id)
    return MemoData(
        memo_date=today(),
        title=case.title,
        unit=case.unit.name if case.unit_id and case.unit else None,
        officer_name=officer.name if officer else None,
        officer_phone=officer.phone if officer else None,
        officer_email=officer.email if officer else None,
        decision_body=series.name if series else None,
        proposer=config_value("MEMO_DEFAULT_PROPOSER", "Regiondirektören"),
    )


def _clean(text: str | None, limit: int, what: str) -> str | None:
    text = (text or "").replace("\r\n", "\n").strip()
    if len(text) > limit:
        raise ValidationError(
            _l("%(field)s may be at most %(limit)s characters long.", field=what, limit=limit)
        )
    return text or None


def _validate(session: Session, case: Case, data: MemoData) -> None:
    if not (data.title or "").strip():
        raise ValidationError(_l("The case memo needs a title."))
    if not isinstance(data.memo_date, date):
        raise ValidationError(_l("Give the date of the case memo."))
    for name, org, email in data.recipients:
        if not (name or org or email):
            raise ValidationError(
                _l("A recipient in »Excerpt to« needs a name, organisation or e-mail.")
            )
        if email:
            try:
                validate_email(email, check_deliverability=False)
            except EmailNotValidError as exc:
                raise ValidationError(
                    _l("»%(email)s« in »Excerpt to« is not a valid e-mail address.", email=email)
                ) from exc
    for name, _title in data.signatories:
        if not (name or "").strip():
            raise ValidationError(_l("Every signatory needs a name."))
    if data.support_ids:
        found = set(
            session.exec(
                select(Document.id).where(
                    Document.id.in_(data.support_ids), Document.case_id == case.id
                )
            ).all()
        )
        if found != set(data.support_ids):
            raise ValidationError(_l("The supporting documents can only be documents in the case."))


def memo_snapshot(memo: Memo) -> dict:
    return {
        "title": memo.title,
        "memo_date": memo.memo_date,
        "description": memo.description,
        "decision_body": memo.decision_body,
        "proposer": memo.proposer,
        "points": [p.text for p in memo.points],
        "signatories": [f"{s.name}, {s.title or ''}" for s in memo.signatories],
        "recipients": [r.email or r.organisation or r.name for r in memo.recipients],
        "supports": [s.document_id for s in memo.supports],
    }


def save_memo(session: Session, case: Case, data: MemoData, *, expected_version: int, user) -> Memo:
    """Save the draft; refused once submitted, or when someone else saved in between."""
    if case.status not in EDITABLE_STATES or case.is_voided:
        raise ValidationError(
            _l(
                "The case memo in %(number)s is locked: the case is %(status)s.",
                number=case.number,
                status=case.status,
            )
        )
    if expected_version != case.version:
        raise ConflictError(
            _l(
                "Someone else has changed case %(number)s since you opened it. "
                "Your changes are not saved: reload the page.",
                number=case.number,
            )
        )
    _validate(session, case, data)
    memo = get_memo(session, case)
    before = memo_snapshot(memo) if memo else None
    if memo is None:
        memo = Memo(case_id=case.id, memo_date=data.memo_date, title=data.title)
        session.add(memo)
    memo.memo_date = data.memo_date
    memo.title = _clean(data.title, 500, _l("The title"))
    memo.description = _clean(data.description, 50000, _l("The case description")) or ""
    memo.unit = _clean(data.unit, 200, _l("The unit"))
    memo.officer_name = _clean(data.officer_name, 200, _l("The officer's name"))
    memo.officer_phone = _clean(data.officer_phone, 50, _l("The phone number"))
    memo.officer_email = _clean(data.officer_email, 254, _l("The e-mail address"))
    memo.decision_body = _clean(data.decision_body, 200, _l("The deciding body"))
    memo.proposer = _clean(data.proposer, 200, _l("The proposer"))
    memo.points = [
        MemoPoint(position=i, text=_clean(t, 5000, _l("Point %(number)s", number=i)))
        for i, t in enumerate((t for t in data.points if (t or "").strip()), start=1)
    ]
    memo.signatories = [
        MemoSignatory(
            position=i, name=n.strip(), title=_clean(t, 200, _l("The title of a signatory"))
        )
        for i, (n, t) in enumerate(data.signatories, start=1)
    ]
    memo.recipients = [
        MemoRecipient(
            position=i,
            name=_clean(n, 200, _l("The name")),
            organisation=_clean(o, 200, _l("The organisation")),
            email=_clean(e, 254, _l("The e-mail address")),
        )
        for i, (n, o, e) in enumerate(data.recipients, start=1)
    ]
    memo.supports = [
        MemoSupport(position=i, document_id=d) for i, d in enumerate(data.support_ids, start=1)
    ]
    memo.updated_at = now()
    memo.updated_by_id = getattr(user, "id", None)
    case.updated_at = now()  # bumps the case version: the memo shares its optimistic lock
    session.flush()
    audit.record(
        session, "memo.save", memo, case=case, actor=user, before=before, after=memo_snapshot(memo)
    )
    return memo


def genitive(name: str) -> str:
    """Swedish genitive: Regiondirektören → Regiondirektörens, Kansliet → Kansliets."""
    name = name.strip()
    return name if re.search(r"[sxz]$", name, re.IGNORECASE) else name + "s"


def text_parts(text: str) -> list[dict]:
    parts = []
    for line in (text or "").split("\n"):
        line = line.strip()
        if not line:
            continue
        bullet = re.match(r"^[-•*]\s+(.*)$", line)
        parts.append({"text": bullet[1] if bullet else line, "bullet": bool(bullet)})
    return parts


def memo_context(session: Session, case: Case, memo: Memo) -> dict:
    """The template's context: plain data only."""
    supports = []
    for link in memo.supports:
        doc = session.get(Document, link.document_id)
        supports.append(
            {
                "title": doc.title,
                "date": doc.received_on.isoformat(),
                "number": document_number(doc, case),
            }
        )
    return {
        **profile_snapshot(session).as_context(),
        "memo_date": memo.memo_date.isoformat(),
        "unit": memo.unit or "",
        "officer_name": memo.officer_name or "",
        "officer_phone": memo.officer_phone or "",
        "officer_email": memo.officer_email or "",
        "case_number": case.number,
        "title": memo.title,
        "description": text_parts(memo.description),
        "supporting_documents": supports,
        "decision_body": memo.decision_body or "",
        "proposal_heading": f"{genitive(memo.proposer)} förslag" if memo.proposer else "Förslag",
        "proposal": [{"number": p.position, "text": p.text} for p in memo.points],
        "signatories": [{"name": s.name, "title": s.title or ""} for s in memo.signatories],
        "recipients": [
            {
                "name": r.name or "",
                "organisation": r.organisation or "",
                "email": r.email or "",
                "label": ", ".join(x for x in (r.organisation, r.name) if x) or r.email,
            }
            for r in memo.recipients
        ],
    }


def memo_filename(case: Case) -> str:
    return f"Tjänsteskrivelse {case.number.replace('/', '-')}.docx"


def memo_secrecy(session: Session, case: Case, memo: Memo) -> dict:
    """The secrecy the memo's document must carry: the case's own, or a supporting
    document's whose secret title it lists. Empty when the memo holds no secret text."""
    provision = None
    if projection.case_has_secrets(case):
        provision = case.secrecy_provision
    else:
        for link in memo.supports:
            doc = session.get(Document, link.document_id)
            if doc.title_is_secret:
                provision = doc.secrecy_provision
                break
        else:
            return {}
    return {
        "is_secret": True,
        "title_is_secret": True,
        "secrecy_provision": provision,
    }


def generate_memo(session: Session, store: FileStore, case: Case, *, user) -> DocumentFile:
    """Render the memo and store it as a new version of the case's memo document."""
    memo = get_memo(session, case)
    if memo is None:
        raise ValidationError(_l("Save the case memo before you create the document."))
    template = active_template(session, store, "memo")
    content = render_with(
        store, template, memo_context(session, case, memo), profile_snapshot(session).images
    )
    incoming = IncomingFile(
        memo_filename(case),
        content,
        DOCX_MIME,
    )
    # The memo is written for those who hold the case's secrets and may carry them: it is
    # then registered as secret under the case's provision (see caseflow.common.projection).
    secrecy = memo_secrecy(session, case, memo)
    if memo.document_id is None:
        doc = register_document(
            session,
            store,
            case=case,
            direction="internal",
            kind="Tjänsteskrivelse",
            title=f"Tjänsteskrivelse: {memo.title}",
            counterpart=memo.officer_name or user.name,
            received_on=today(),
            document_date=memo.memo_date,
            files=[incoming],
            **secrecy,
        )
        memo.document_id = doc.id
        item = doc.files[-1]
    else:
        doc = session.get(Document, memo.document_id)
        item = add_file(session, store, doc, incoming, case=case)
        for name, value in secrecy.items():
            setattr(doc, name, value)
    item.template_id = template.id
    session.flush()
    audit.record(
        session,
        "memo.generate",
        memo,
        case=case,
        actor=user,
        after={"file_version": item.file_version, "template_version": template.version},
    )
    return item


@after_transition("submit")
def freeze_memo_on_submission(session: Session, case: Case, user) -> None:
    """The memo that goes to review is generated once more and that version is frozen."""
    from caseflow.documents.storage import file_store

    item = generate_memo(session, file_store(), case, user=user)
    memo = get_memo(session, case)
    memo.submitted_file_id = item.id
    session.flush()
