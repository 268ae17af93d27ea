"""The case list as a file: the same filter and order as the page, the same masks."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy.orm import selectinload
from sqlmodel import Session, func, select

from caseflow.auth.models import User
from caseflow.cases.labels import STATUS_LABELS
from caseflow.cases.models import Case, CaseParty
from caseflow.cases.queries import CaseFilter, filtered_cases
from caseflow.common import export
from caseflow.common.audit import record
from caseflow.common.projection import audience_for, case_parties, case_parties_visible, mask
from caseflow.common.projection import case_title as projected_title


def case_list_table(
    session: Session, viewer, filters: CaseFilter, *, fmt: str, described: dict
) -> export.Table:
    """Every case the list shows ``viewer`` for ``filters``, newest first, as a table; the
    export is recorded with ``described`` (the page's query) and the number of rows.

    Raises :class:`export.ExportTooLarge` above ``EXPORT_MAX_ROWS`` (nothing recorded)."""
    stmt = filtered_cases(session, viewer, filters)
    export.check_row_count(session.exec(select(func.count()).select_from(stmt.subquery())).one())
    cases = session.exec(
        stmt.options(selectinload(Case.parties).selectinload(CaseParty.party)).order_by(
            Case.opened_on.desc(), Case.id.desc()
        )
    ).all()
    officer_ids = {c.officer_id for c in cases if c.officer_id}
    officers = (
        dict(session.exec(select(User.id, User.name).where(User.id.in_(officer_ids))).all())
        if officer_ids
        else {}
    )
    # Per row, the proxy of the logged-in user and a lazy label cost more than the row.
    viewer = viewer._get_current_object() if hasattr(viewer, "_get_current_object") else viewer
    statuses = {code: str(label) for code, label in STATUS_LABELS.items()}
    voided = _("Voided")
    rows = [_row(case, viewer, officers, statuses, voided) for case in cases]
    record(
        session, "case.export", None, after=export.event_values("cases", fmt, len(rows), described)
    )
    return export.Table(
        headings=[_("Case number"), _("Case title"), _("Counterparts"), _("Status"),
                  _("Officer"), _("Opened"), _("Due"), _("Voided")],
        rows=rows,
        sheet=_("Cases"),
        widths=(16, 60, 40, 18, 24, 12, 12, 10),
    )  # fmt: skip


def _row(case: Case, viewer, officers: dict, statuses: dict, voided: str) -> list:
    # The audience is the list's: the title and parties exactly as this reader sees them.
    audience = audience_for(viewer, case)
    return [
        case.number,
        projected_title(case, audience),
        _parties_text(case, audience),
        statuses.get(case.status, case.status),
        officers.get(case.officer_id),
        case.opened_on,
        case.due_on,
        voided if case.is_voided else None,
    ]


def _parties_text(case: Case, audience) -> str | None:
    """The counterparts as the case page names them, or the mask where they are secret."""
    if not case_parties_visible(case, audience):
        return mask(case.secrecy_provision)
    labels = [
        ", ".join(p for p in (party["name"], party["organisation"]) if p) or party["email"] or ""
        for party in case_parties(case, audience)
    ]
    return "; ".join(label for label in labels if label) or None
