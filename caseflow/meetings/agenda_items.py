"""The items on a meeting's agenda: adding cases and other items, changing, moving and
removing them while the protocol is open."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlmodel import Session

from caseflow.cases.models import Case
from caseflow.cases.workflow import MEETING, apply_transition
from caseflow.common import audit
from caseflow.common.errors import ValidationError
from caseflow.meetings.delegation_models import DelegatedDecision
from caseflow.meetings.models import (
    AgendaItem,
    ItemKind,
    Meeting,
    ParagraphCounter,
    Vote,
    VoteBallot,
)
from caseflow.meetings.paragraphs import renumber, renumber_positions, require_changeable_numbers
from caseflow.meetings.state import before_change, meeting_date, require_open


def _append(session: Session, meeting: Meeting, item: AgendaItem) -> AgendaItem:
    require_open(meeting)
    require_changeable_numbers(session, meeting)
    item.position = len(meeting.items) + 1
    session.add(item)
    session.flush()
    session.refresh(meeting, ["items"])
    if meeting.is_opened:
        renumber(session, meeting)
    return item


def add_case(session: Session, meeting: Meeting, case: Case, *, user) -> AgendaItem:
    """Put an approved case on the agenda; on an opened meeting it gets its § at once."""
    before_change(meeting, user)
    if any(item.case_id == case.id for item in meeting.items):
        raise ValidationError(_l("%(number)s is already on the agenda.", number=case.number))
    require_changeable_numbers(session, meeting)
    apply_transition(session, case, "put_on_agenda", user=user, taken_by=MEETING)
    item = _append(session, meeting, AgendaItem(meeting_id=meeting.id, case_id=case.id, position=0))
    audit.record(
        session,
        "meeting.add_case",
        meeting,
        actor=user,
        after={"case": case.number, "position": item.position, "paragraph": item.paragraph},
    )
    return item


def add_item(
    session: Session,
    meeting: Meeting,
    *,
    kind: str,
    title: str,
    body: str | None = None,
    is_closed: bool = False,
    public_title: str | None = None,
    user,
) -> AgendaItem:
    """Add a § without a case: opening, val av justerare, information, meddelanden, …."""
    before_change(meeting, user)
    if kind not in set(ItemKind) or kind == ItemKind.CASE:
        raise ValidationError(_l("Choose what kind of item it is."))
    if not (title or "").strip():
        raise ValidationError(_l("Give the item a heading."))
    if is_closed and not (public_title or "").strip():
        raise ValidationError(
            _l("An item behind closed doors needs the heading the public may see.")
        )
    item = _append(
        session,
        meeting,
        AgendaItem(
            meeting_id=meeting.id,
            kind=kind,
            title=title.strip()[:500],
            body=(body or "").strip() or None,
            is_closed=bool(is_closed),
            public_title=(public_title or "").strip()[:500] or None,
            position=0,
        ),
    )
    audit.record(
        session,
        "meeting.add_item",
        meeting,
        actor=user,
        after={"kind": kind, "title": item.title, "position": item.position},
    )
    return item


def update_item(
    session: Session,
    item: AgendaItem,
    *,
    title: str | None = None,
    body: str | None = None,
    is_closed: bool = False,
    public_title: str | None = None,
    user,
) -> AgendaItem:
    """Change a §'s heading and text (items without a case) or whether it is handled
    behind closed doors; before justering."""
    before_change(item.meeting, user)
    if not item.has_case:
        if not (title or "").strip():
            raise ValidationError(_l("Give the item a heading."))
        item.title = title.strip()[:500]
        item.body = (body or "").strip() or None
    if is_closed and not item.has_case and not (public_title or "").strip():
        raise ValidationError(
            _l("An item behind closed doors needs the heading the public may see.")
        )
    item.is_closed = bool(is_closed)
    item.public_title = (public_title or "").strip()[:500] or None
    session.flush()
    audit.record(
        session,
        "meeting.update_item",
        item.meeting,
        actor=user,
        after={"item": item.id, "title": item.title, "is_closed": item.is_closed},
    )
    return item


def remove_item(session: Session, item: AgendaItem, *, reason: str, user) -> None:
    """Take an item off the agenda before justering; agenda numbers and §§ close up."""
    meeting = item.meeting
    before_change(meeting, user)
    if item.decision_kind is not None:
        raise ValidationError(
            _l("§ %(paragraph)s has a decision: undo the decision first.", paragraph=item.paragraph)
        )
    if not (reason or "").strip():
        raise ValidationError(_l("Give the reason."))
    require_changeable_numbers(session, meeting)
    case = session.get(Case, item.case_id) if item.has_case else None
    if case is not None:
        apply_transition(
            session, case, "take_off_agenda", user=user, comment=reason.strip(), taken_by=MEETING
        )
    audit.record(
        session,
        "meeting.remove_item",
        meeting,
        case=case,
        actor=user,
        before={
            "case": case.number if case else None,
            "title": item.title,
            "position": item.position,
            "paragraph": item.paragraph,
        },
        after={"reason": reason.strip()},
    )
    if item.kind == ItemKind.DELEGATION_REPORT:
        # Its decisions are unreported again, to be reported under another §.
        session.execute(
            sa.update(DelegatedDecision)
            .where(DelegatedDecision.reported_item_id == item.id)
            .values(reported_item_id=None)
        )
    # The votes name the motions: they go first (the mapper does not know that order).
    votes = sa.select(Vote.id).where(Vote.item_id == item.id)
    session.execute(sa.delete(VoteBallot).where(VoteBallot.vote_id.in_(votes)))
    session.execute(sa.delete(Vote).where(Vote.item_id == item.id))
    session.expire(item, ["votes"])
    session.delete(item)
    session.flush()
    session.refresh(meeting, ["items"])
    renumber_positions(meeting)
    session.flush()
    if meeting.is_opened and meeting.items:
        renumber(session, meeting)
    elif meeting.is_opened:
        counter = session.get(ParagraphCounter, (meeting.organ_id, meeting_date(meeting).year))
        counter.last_number -= 1
        session.flush()


def move_item(session: Session, meeting: Meeting, item: AgendaItem, offset: int, *, user) -> None:
    """Move an item up or down the agenda before justering; §§ follow the new order."""
    before_change(meeting, user)
    items = list(meeting.items)
    i = items.index(item)
    j = i + offset
    if 0 <= j < len(items):
        if items[i].decision_kind or items[j].decision_kind:
            raise ValidationError(
                _l("Items with a decision keep their §; move the others around them.")
            )
        items[i], items[j] = items[j], items[i]
        for position, each in enumerate(items, start=1):
            each.position = position
        session.flush()
        session.refresh(meeting, ["items"])
        if meeting.is_opened:
            renumber(session, meeting)
        audit.record(
            session,
            "meeting.reorder",
            meeting,
            actor=user,
            after={"order": [each.case_id or each.title for each in items]},
        )
