"""Finding cases: the filtered, paged, secrecy-aware list and the dashboard figures."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import current_app, has_app_context
from sqlmodel import Session, func, select

from caseflow.auth.models import Role
from caseflow.cases.models import Case, CaseParty, CaseStatus, Series
from caseflow.cases.services import number_format
from caseflow.cases.spellings import read_mention
from caseflow.common.calendar import latest_opening_too_long
from caseflow.common.params import clamp_page
from caseflow.common.permissions import SECRET_READERS
from caseflow.common.timeutil import today
from caseflow.parties.models import Party

_NUMBERISH = re.compile(r"^[A-Za-zÅÄÖåäö]{0,20}[\s/-]*\d+(/\d{0,4})?$")


@dataclass
class CaseFilter:
    status: str | None = None
    officer_id: int | None = None
    series: str | None = None
    year: int | None = None
    q: str | None = None


@dataclass
class Page:
    items: list
    total: int
    page: int
    per_page: int
    pages: int = field(init=False)

    def __post_init__(self):
        self.pages = max(1, math.ceil(self.total / self.per_page))


def fold(session: Session, column):
    """Case-folded text for searching: SQLite's lower() ignores å, ä, ö, so we bring our own."""
    if session.get_bind().dialect.name == "sqlite":
        return func.casefold(column)
    return func.lower(column)


def sees_secrets_clause(viewer):
    """SQL truth of "viewer may see this case's secret fields" (mirrors permissions)."""
    if viewer is None or not getattr(viewer, "is_authenticated", False):
        return sa.false()
    if viewer.role in SECRET_READERS:
        return sa.true()
    if viewer.role == Role.OFFICIAL:
        return Case.officer_id == viewer.id
    return sa.false()


def _number_clause(q: str):
    """Search by number: exact when complete, else by its beginning or its digits."""
    normalised = re.sub(r"[\s-]+", "/", q.upper()).replace("//", "/")
    if normalised[0].isalpha():
        return Case.number.startswith(normalised, autoescape=True)
    return Case.number.contains("/" + normalised, autoescape=True)


def _search_clause(session: Session, viewer, q: str):
    q = re.sub(r"\s+", " ", q.strip())
    # A whole number in any spelling (RS/720/2021, rs-720-2021, RS 2021/720, 2021/720).
    mention = read_mention(q, number_format())
    if mention is not None and mention.series is not None:
        return Case.number == mention.format(number_format())
    text_clause = _text_clause(session, viewer, q)
    if mention is not None:  # year first without a series: that number in any series
        return sa.or_(sa.and_(Case.seq == mention.seq, Case.year == mention.year), text_clause)
    if _NUMBERISH.match(q):
        # "RS 720" is probably a number, "nummer 42" is probably words: try both.
        return sa.or_(_number_clause(q), text_clause)
    return text_clause


_is_protected_party = (
    select(Party.id).where(Party.id == CaseParty.party_id, Party.is_protected.is_(True)).exists()
)


_TEXT_SEARCH = "caseflow.cases.text_search"


def register_text_search(app, provider) -> None:
    """Let a higher domain (search) find cases by their words: ``provider(session, viewer,
    q)`` returns a SQL truth over ``Case`` (secrecy applied) or None to fall back to the
    plain scan below. Cases never import the provider."""
    app.extensions[_TEXT_SEARCH] = provider


def _text_clause(session: Session, viewer, q: str):
    provider = current_app.extensions.get(_TEXT_SEARCH) if has_app_context() else None
    clause = provider(session, viewer, q) if provider is not None else None
    return clause if clause is not None else _scan_clause(session, viewer, q)


def _scan_clause(session: Session, viewer, q: str):
    """Words anywhere in the visible title or counterparts, by LIKE: without an index."""
    pattern = "%" + q.casefold().replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_") + "%"
    title_visible = sa.or_(Case.title_is_secret.is_(False), sees_secrets_clause(viewer))
    parties_visible = sa.or_(Case.parties_are_secret.is_(False), sees_secrets_clause(viewer))
    party_match = (
        select(CaseParty.id)
        .where(CaseParty.case_id == Case.id)
        # A protected person is found only by those who may see them.
        .where(sa.or_(sees_secrets_clause(viewer), ~_is_protected_party))
        .where(
            sa.or_(
                fold(session, CaseParty.name).like(pattern, escape="\\"),
                fold(session, CaseParty.organisation).like(pattern, escape="\\"),
                fold(session, CaseParty.email).like(pattern, escape="\\"),
            )
        )
        .exists()
    )
    return sa.or_(
        sa.and_(title_visible, fold(session, Case.title).like(pattern, escape="\\")),
        fold(session, Case.public_title).like(pattern, escape="\\"),
        sa.and_(parties_visible, party_match),
    )


def filtered_cases(session: Session, viewer, filters: CaseFilter):
    stmt = select(Case)
    if filters.status:
        stmt = stmt.where(Case.status == filters.status)
    if filters.officer_id:
        stmt = stmt.where(Case.officer_id == filters.officer_id)
    if filters.series:
        series_id = session.exec(
            select(Series.id).where(Series.code == filters.series.upper())
        ).first()
        stmt = stmt.where(Case.series_id == (series_id or -1))
    if filters.year:
        stmt = stmt.where(Case.year == filters.year)
    if filters.q and filters.q.strip():
        stmt = stmt.where(_search_clause(session, viewer, filters.q))
    return stmt


def list_cases(
    session: Session, viewer, filters: CaseFilter, page: int = 1, per_page: int = 50
) -> Page:
    """One page of cases, newest first, with the total for paging (a page beyond the
    last is the last)."""
    stmt = filtered_cases(session, viewer, filters)
    total = session.exec(select(func.count()).select_from(stmt.subquery())).one()
    page = clamp_page(page, total, per_page)
    items = session.exec(
        stmt.order_by(Case.opened_on.desc(), Case.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    return Page(list(items), total, page, per_page)


def status_counts(session: Session) -> dict[str, int]:
    rows = session.exec(
        select(Case.status, func.count()).where(Case.voided_at.is_(None)).group_by(Case.status)
    ).all()
    counts = dict.fromkeys(CaseStatus, 0)
    counts.update({status: n for status, n in rows})
    return counts


def my_open_cases(session: Session, user, limit: int = 20) -> list[Case]:
    return list(
        session.exec(
            select(Case)
            .where(Case.officer_id == user.id)
            .where(Case.status.in_(CaseStatus.open_states()), Case.voided_at.is_(None))
            .order_by(Case.due_on.is_(None), Case.due_on, Case.opened_on.desc())
            .limit(limit)
        ).all()
    )


def overdue_cases(session: Session, limit: int = 20) -> list[Case]:
    return list(
        session.exec(
            select(Case)
            .where(Case.due_on < today())
            .where(Case.status.in_(CaseStatus.open_states()), Case.voided_at.is_(None))
            .order_by(Case.due_on)
            .limit(limit)
        ).all()
    )


def long_undecided_cases(session: Session, limit: int = 20) -> list[Case]:
    """Undecided cases whose six months under FL 12 § have run out, oldest first.

    The rule is :func:`caseflow.common.calendar.undecided_too_long`, the digest's too.
    """
    return list(
        session.exec(
            select(Case)
            .where(Case.opened_on <= latest_opening_too_long(today()))
            .where(Case.status.in_(CaseStatus.undecided_states()), Case.voided_at.is_(None))
            .order_by(Case.opened_on)
            .limit(limit)
        ).all()
    )
