"""Cases and the classification structure: which cases use a class, and the old codes.

Before the structure, a case's classification was free text (``Case.classification_code``).
When a structure is imported, every case whose old code is the code of a process is linked
to it; the others stay "old code X, unclassified" until the admin gives them a class, one
by one or all cases of an old code at once. Every link is audited on the case.

The classification domain sits below cases and never asks about them: the functions here
are registered with it in ``caseflow.cases.init_app``.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, func, select

from caseflow.cases.models import Case
from caseflow.classification.models import ClassificationClass
from caseflow.classification.services import build_tree, require_process
from caseflow.common import audit
from caseflow.common.errors import ValidationError
from caseflow.common.timeutil import now


def count_cases_in_class(session: Session, class_id: int) -> int:
    """How many cases (voided ones too: they stay in the register) use a class."""
    return session.exec(select(func.count()).where(Case.class_id == class_id)).one()


def _unclassified():
    return sa.and_(
        Case.class_id.is_(None),
        Case.classification_code.is_not(None),
        Case.classification_code != "",
    )


def _link(session: Session, case: Case, cls: ClassificationClass, how: str) -> None:
    before = {"class_code": None, "old_code": case.classification_code}
    case.class_id = cls.id
    case.updated_at = now()
    session.flush()
    audit.record(
        session,
        "case.classify",
        case,
        case=case,
        before=before,
        after={"class_code": cls.code, "class_title": cls.title, "how": how},
    )


def link_matching_codes(session: Session) -> int:
    """Link every unclassified case whose old code is the code of an active process."""
    tree = build_tree(list(session.exec(select(ClassificationClass)).all()))
    processes = {
        row["cls"].code: row["cls"]
        for row in tree
        if row["kind"] == "process" and row["cls"].is_active
    }
    if not processes:
        return 0
    cases = session.exec(
        select(Case).where(_unclassified(), Case.classification_code.in_(list(processes)))
    ).all()
    for case in cases:
        _link(session, case, processes[case.classification_code], "import")
    return len(cases)


def unclassified_codes(session: Session) -> list[tuple[str, int]]:
    """The old codes no class matched, with how many cases carry each."""
    rows = session.exec(
        select(Case.classification_code, func.count())
        .where(_unclassified())
        .group_by(Case.classification_code)
        .order_by(Case.classification_code)
    ).all()
    return [(code, count) for code, count in rows]


def unclassified_cases(session: Session, limit: int = 100) -> list[Case]:
    """The unclassified cases, by old code and number (the first ``limit``)."""
    return list(
        session.exec(
            select(Case)
            .where(_unclassified())
            .order_by(Case.classification_code, Case.opened_on, Case.id)
            .limit(limit)
        ).all()
    )


def classify_case(session: Session, case: Case, class_id: int) -> Case:
    """Give one unclassified case its process."""
    cls = require_process(session, class_id)
    if case.class_id is not None:
        raise ValidationError(_l("Case %(number)s already has a class.", number=case.number))
    _link(session, case, cls, "admin")
    return case


def classify_old_code(session: Session, old_code: str, class_id: int) -> int:
    """Give every unclassified case of an old code the same process; how many were given."""
    cls = require_process(session, class_id)
    cases = session.exec(select(Case).where(_unclassified(), Case.classification_code == old_code))
    count = 0
    for case in cases.all():
        _link(session, case, cls, "admin")
        count += 1
    if not count:
        raise ValidationError(_l("No unclassified case has the old code %(code)s.", code=old_code))
    return count
