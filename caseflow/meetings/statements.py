"""What members have entered in the protocol under a §: reservations and protocol notes."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlmodel import Session

from caseflow.common.errors import ValidationError
from caseflow.meetings.attendance import _record, require_open
from caseflow.meetings.models import AgendaItem, MeetingAttendee, Statement, StatementKind
from caseflow.meetings.voting import speaker_name


def add_statement(
    session: Session,
    item: AgendaItem,
    *,
    kind: str,
    text: str | None = None,
    attendee: MeetingAttendee | None = None,
    name: str | None = None,
    user,
) -> Statement:
    """A reservation (its written text optional) or a protocol note (text required)."""
    require_open(item.meeting)
    if kind not in set(StatementKind):
        raise ValidationError(_l("Choose a reservation or a protocol note."))
    who = speaker_name(attendee, name, item.meeting_id)
    if who is None:
        raise ValidationError(_l("Give who made it."))
    text = (text or "").strip() or None
    if kind == StatementKind.NOTE and text is None:
        raise ValidationError(_l("Give the text of the protocol note."))
    statement = Statement(
        item_id=item.id,
        kind=kind,
        attendee_id=attendee.id if attendee is not None else None,
        name=who,
        text=text,
    )
    item.statements.append(statement)
    session.flush()
    _record(session, f"{kind}_add", item.meeting, user, paragraph=item.paragraph, name=who)
    return statement


def remove_statement(session: Session, statement: Statement, *, user) -> None:
    item = session.get(AgendaItem, statement.item_id)
    require_open(item.meeting)
    item.statements.remove(statement)
    session.delete(statement)
    session.flush()
    _record(
        session,
        f"{statement.kind}_remove",
        item.meeting,
        user,
        paragraph=item.paragraph,
        name=statement.name,
    )
