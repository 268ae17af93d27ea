"""A decision taken under delegation (delegationsbeslut): it names its delegation, takes the
case to decided, and makes its decision document from the built-in template kind
``delegated_decision``, registered as an internal document of the case (.docx, and
PDF/A when LibreOffice is there).

The transition ``decide_delegated`` is taken only here (``taken_by=DELEGATION``): a button
or a command alone cannot decide a case under delegation without the delegation named and
the document made.
"""

from __future__ import annotations

import json
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from caseflow.cases.models import Case
from caseflow.cases.workflow import BY_ACTION, DELEGATION, apply_transition, may_act
from caseflow.common import audit
from caseflow.common.errors import ValidationError
from caseflow.common.timeutil import today
from caseflow.doctemplates.services import active_template, render_with
from caseflow.documents.formats import DOCX_MIME, PDF_MIME
from caseflow.documents.models import Document, DocumentFile
from caseflow.documents.services import IncomingFile, register_document
from caseflow.documents.storage import FileStore
from caseflow.meetings.delegation import is_valid_on
from caseflow.meetings.delegation_models import DelegatedDecision, Delegation
from caseflow.meetings.excerpts import (
    DECISION_REASON,
    excerpt_title,
    recipient_entry,
    sealed_pdfa,
)
from caseflow.memos.services import genitive, get_memo
from caseflow.organisation.services import profile_snapshot

#: The kind a decision document is registered with.
DOCUMENT_KIND = "Delegationsbeslut"


def is_decider(user, case: Case) -> bool:
    """Whether ``user`` is among those who decide ``case`` under delegation (the actors of
    the transition ``decide_delegated``: the case's officer), whatever its state now."""
    return may_act(user, case, BY_ACTION["decide_delegated"])


def may_decide(user, case: Case) -> bool:
    """Whether ``user`` may decide ``case`` under delegation now."""
    transition = BY_ACTION["decide_delegated"]
    return not case.is_voided and case.status in transition.sources and is_decider(user, case)


def proposal_points(session: Session, case: Case) -> list[str]:
    """The memo's proposal points: what the decision says unless the decider changes it."""
    memo = get_memo(session, case)
    return [p.text for p in memo.points] if memo else []


def decision_of(session: Session, case: Case) -> DelegatedDecision | None:
    """The latest decision taken under delegation in ``case``."""
    return session.exec(
        select(DelegatedDecision)
        .where(DelegatedDecision.case_id == case.id)
        .order_by(DelegatedDecision.id.desc())
    ).first()


def points_of(decision: DelegatedDecision) -> list[str]:
    return list(json.loads(decision.points))


def default_decider(user) -> str:
    """The name (and title) the decision is signed with, unless the decider writes another."""
    return getattr(user, "name", "") or ""


def _clean_points(points: list[str]) -> list[str]:
    cleaned = [(p or "").replace("\r\n", "\n").strip() for p in points]
    cleaned = [p for p in cleaned if p]
    if not cleaned:
        raise ValidationError(_l("Write at least one decision point."))
    if any(len(p) > 5000 for p in cleaned):
        raise ValidationError(_l("A decision point may be at most 5000 characters long."))
    return cleaned


def decision_context(session: Session, case: Case, decision: DelegatedDecision) -> dict:
    """The decision document's context: plain data, every case text as it may be published
    (the document is sent and may be published, like an excerpt)."""
    delegation = decision.delegation
    memo = get_memo(session, case)
    return {
        **profile_snapshot(session).as_context(),
        "decision_date": decision.decided_on.isoformat(),
        "case_number": case.number,
        "title": excerpt_title(case, memo),
        "decision": [{"number": n, "text": t} for n, t in enumerate(points_of(decision), 1)],
        "organ": delegation.organ.name,
        "organ_genitive": genitive(delegation.organ.name),
        "delegation_code": delegation.code,
        "delegation_matter": delegation.matter,
        "resting_on": delegation.resting_on,
        "decided_by": decision.decided_by_name,
        "recipients": [recipient_entry(case, r) for r in (memo.recipients if memo else [])],
    }


def decision_filename(case: Case, extension: str) -> str:
    return f"Delegationsbeslut {case.number.replace('/', '-')}.{extension}"


def render_decision(
    session: Session, store: FileStore, case: Case, decision: DelegatedDecision
) -> tuple[bytes, int]:
    """The decision document as .docx bytes, and the id of the template version used."""
    template = active_template(session, store, "delegated_decision")
    content = render_with(
        store,
        template,
        decision_context(session, case, decision),
        profile_snapshot(session).images,
    )
    return content, template.id


def decide_under_delegation(
    session: Session,
    store: FileStore,
    case: Case,
    *,
    delegation: Delegation,
    points: list[str],
    decided_on: date,
    decided_by_name: str,
    user,
    with_pdf: bool = True,
) -> DelegatedDecision:
    """Decide ``case`` under ``delegation``: take it to decided, record the decision and
    register its decision document (.docx, and PDF/A when LibreOffice is available and
    ``with_pdf``)."""
    from caseflow.pdf import converter

    if not isinstance(decided_on, date):
        raise ValidationError(_l("Give the date of the decision."))
    if decided_on > today():
        raise ValidationError(_l("A decision cannot be dated in the future."))
    if not is_valid_on(delegation, decided_on):
        raise ValidationError(
            _l(
                "Delegation %(code)s of %(organ)s is not valid on %(date)s.",
                code=delegation.code,
                organ=delegation.organ.name,
                date=decided_on.isoformat(),
            )
        )
    decider = " ".join((decided_by_name or "").split())
    if not decider:
        raise ValidationError(_l("Give the name and title of the one who decides."))
    if len(decider) > 200:
        raise ValidationError(_l("The decider's name and title may be at most 200 characters."))
    cleaned = _clean_points(points)
    # The table's rules first (status, the officer, a proposal in the memo, the setting).
    apply_transition(session, case, "decide_delegated", user=user, taken_by=DELEGATION)
    decision = DelegatedDecision(
        case_id=case.id,
        delegation_id=delegation.id,
        decided_on=decided_on,
        decided_by_id=getattr(user, "id", None),
        decided_by_name=decider,
        points=json.dumps(cleaned, ensure_ascii=False),
    )
    session.add(decision)
    session.flush()
    session.refresh(decision)
    content, template_id = render_decision(session, store, case, decision)
    files = [IncomingFile(decision_filename(case, "docx"), content, DOCX_MIME)]
    if with_pdf and converter.is_available():
        pdf = sealed_pdfa(session, content, reason=DECISION_REASON)
        files.append(IncomingFile(decision_filename(case, "pdf"), pdf, PDF_MIME))
    title = excerpt_title(case, get_memo(session, case))
    doc = register_document(
        session,
        store,
        case=case,
        direction="internal",
        kind=DOCUMENT_KIND,
        title=f"Delegationsbeslut enligt punkt {delegation.code}: {title}"[:500],
        counterpart=decider,
        received_on=today(),
        document_date=decided_on,
        files=files,
    )
    session.exec(
        sa.update(DocumentFile)
        .where(DocumentFile.document_id == doc.id)
        .values(template_id=template_id)
    )
    decision.document_id = doc.id
    session.flush()
    audit.record(
        session,
        "delegation.decide",
        decision,
        case=case,
        actor=user,
        after={
            "delegation": delegation.code,
            "organ": delegation.organ.name,
            "decided_on": decided_on.isoformat(),
            "decided_by": decider,
            "points": cleaned,
            "document_id": doc.id,
        },
    )
    return decision


def decision_document(session: Session, decision: DelegatedDecision) -> Document | None:
    return session.get(Document, decision.document_id) if decision.document_id else None


def latest_file(session: Session, decision: DelegatedDecision) -> DocumentFile | None:
    """The file of the decision document to send: its PDF/A when there is one, else the .docx."""
    if decision.document_id is None:
        return None
    files = session.exec(
        select(DocumentFile)
        .where(DocumentFile.document_id == decision.document_id)
        .order_by(DocumentFile.id)
    ).all()
    pdfs = [f for f in files if f.mime_type == PDF_MIME]
    return (pdfs or files or [None])[-1]
