"""Who is at a meeting, and who holds a vote in each §.

The list is filled from the body's register by the roll call (upprop); officials and
others present are added by hand. A substitute (ersättare) serves for an absent member
for the whole meeting, or for one § where a member is absent or recused (jäv).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from caseflow.common import audit
from caseflow.common.errors import ValidationError
from caseflow.meetings import organs, state
from caseflow.meetings.models import (
    VOTING_ROLES,
    AgendaItem,
    AttendeeRole,
    ItemAttendance,
    ItemPresence,
    Meeting,
    MeetingAttendee,
)

#: The order of the protocol's list: members first, then substitutes, then the others.
_ROLE_ORDER = {role.value: index for index, role in enumerate(AttendeeRole)}


def require_open(meeting: Meeting) -> None:
    """Nothing of the proceedings changes once the protocol is attested; a change before
    withdraws the digital attestations already given (the actor is the request's user)."""
    state.before_change(meeting, None)


def display_name(attendee: MeetingAttendee) -> str:
    """The name as the protocol prints it, e.g. "Bertil Justerare (M)"."""
    affiliation = (attendee.affiliation or "").strip()
    if not affiliation:
        return attendee.name
    if not affiliation.startswith("("):
        affiliation = f"({affiliation})"
    return f"{attendee.name} {affiliation}"


def _record(session: Session, event: str, meeting: Meeting, user, **after) -> None:
    audit.record(session, f"meeting.{event}", meeting, actor=user, after=after)


def _reorder(meeting: Meeting) -> None:
    ordered = sorted(meeting.attendees, key=lambda a: (_ROLE_ORDER.get(a.role, 99), a.position))
    for position, attendee in enumerate(ordered, start=1):
        attendee.position = position


def call_roll(session: Session, meeting: Meeting, *, user) -> list[MeetingAttendee]:
    """Put the body's members serving on the meeting's day on the list, present.

    Members already on the list and entries added by hand stay as they are, so calling
    the roll again only adds who is missing. Substitutes are present but serve for no one
    until the secretary says so. Returns those added.
    """
    require_open(meeting)
    day = state.meeting_date(meeting)
    listed = {a.member_id for a in meeting.attendees if a.member_id is not None}
    added = []
    for offset, member in enumerate(organs.organ_members(session, meeting.organ, on=day)):
        if member.id in listed:
            continue
        attendee = MeetingAttendee(
            meeting_id=meeting.id,
            member_id=member.id,
            name=member.name,
            role=member.role,
            affiliation=member.affiliation,
            is_present=True,
            position=1000 + offset,
        )
        session.add(attendee)
        meeting.attendees.append(attendee)
        added.append(attendee)
    if not added and not meeting.attendees:
        raise ValidationError(
            _l(
                "%(organ)s has no members serving on %(day)s: register its members first.",
                organ=meeting.organ.name,
                day=day.isoformat(),
            )
        )
    _reorder(meeting)
    session.flush()
    if added:
        _record(session, "roll_call", meeting, user, added=[a.name for a in added])
    return added


def add_attendee(
    session: Session,
    meeting: Meeting,
    *,
    name: str,
    role: str = AttendeeRole.OFFICIAL,
    affiliation: str | None = None,
    note: str | None = None,
    user,
) -> MeetingAttendee:
    """Add someone present who is not on the body's register: an official, others."""
    require_open(meeting)
    name = (name or "").strip()
    if not name:
        raise ValidationError(_l("Give the name."))
    if role not in set(AttendeeRole):
        raise ValidationError(_l("Choose how they take part in the meeting."))
    if any(a.name == name and a.role == role for a in meeting.attendees):
        raise ValidationError(_l("%(name)s is already on the list.", name=name))
    attendee = MeetingAttendee(
        meeting_id=meeting.id,
        name=name[:200],
        role=role,
        affiliation=(affiliation or "").strip()[:100] or None,
        note=(note or "").strip()[:200] or None,
        position=1000 + len(meeting.attendees),
    )
    session.add(attendee)
    meeting.attendees.append(attendee)
    _reorder(meeting)
    session.flush()
    _record(session, "attendee_add", meeting, user, name=attendee.name, role=role)
    return attendee


def _is_referenced(session: Session, attendee: MeetingAttendee) -> bool:
    from caseflow.meetings.models import Motion, Statement, VoteBallot

    for model in (ItemAttendance, Motion, Statement, VoteBallot):
        if session.exec(select(model).where(model.attendee_id == attendee.id)).first():
            return True
    taken = select(ItemAttendance).where(ItemAttendance.serving_for_id == attendee.id)
    return session.exec(taken).first() is not None


def remove_attendee(session: Session, attendee: MeetingAttendee, *, user) -> None:
    """Take someone entered by mistake off the list, while nothing under a § names them."""
    meeting = session.get(Meeting, attendee.meeting_id)
    require_open(meeting)
    if any(a.serving_for_id == attendee.id for a in meeting.attendees) or _is_referenced(
        session, attendee
    ):
        raise ValidationError(
            _l(
                "%(name)s is named in the proceedings (a vote, a motion, a § or a substitute): "
                "they stay on the list; mark them absent instead.",
                name=attendee.name,
            )
        )
    meeting.attendees.remove(attendee)
    session.delete(attendee)
    _reorder(meeting)
    session.flush()
    _record(session, "attendee_remove", meeting, user, name=attendee.name, role=attendee.role)


def _same_meeting(attendee: MeetingAttendee | None, meeting_id: int) -> None:
    if attendee is not None and attendee.meeting_id != meeting_id:
        raise ValidationError(_l("%(name)s is not on this meeting's list.", name=attendee.name))


def set_presence(
    session: Session,
    attendee: MeetingAttendee,
    *,
    is_present: bool,
    serving_for: MeetingAttendee | None = None,
    note: str | None = None,
    user,
) -> MeetingAttendee:
    """Mark someone present or absent for the meeting, and a substitute as serving for an
    absent member (one substitute per seat). ``note=None`` keeps the note; "" clears it."""
    meeting = session.get(Meeting, attendee.meeting_id)
    require_open(meeting)
    _same_meeting(serving_for, meeting.id)
    substitute = next((a for a in meeting.attendees if a.serving_for_id == attendee.id), None)
    if is_present and substitute is not None:
        raise ValidationError(
            _l(
                "%(substitute)s serves for %(name)s: end that first, then mark %(name)s present.",
                substitute=substitute.name,
                name=attendee.name,
            )
        )
    if serving_for is not None:
        if attendee.role != AttendeeRole.SUBSTITUTE:
            raise ValidationError(_l("Only a substitute serves for a member."))
        if not is_present:
            raise ValidationError(
                _l("%(name)s is absent and cannot serve for anyone.", name=attendee.name)
            )
        if serving_for.role not in VOTING_ROLES:
            raise ValidationError(_l("%(name)s holds no seat with a vote.", name=serving_for.name))
        if serving_for.is_present:
            raise ValidationError(
                _l(
                    "%(name)s is present: a substitute serves only for an absent member.",
                    name=serving_for.name,
                )
            )
        taken = next(
            (
                a
                for a in meeting.attendees
                if a.serving_for_id == serving_for.id and a.id != attendee.id
            ),
            None,
        )
        if taken is not None:
            raise ValidationError(
                _l(
                    "%(substitute)s already serves for %(name)s.",
                    substitute=taken.name,
                    name=serving_for.name,
                )
            )
    before = {
        "present": attendee.is_present,
        "serving_for": attendee.serving_for_id,
        "note": attendee.note,
    }
    attendee.is_present = bool(is_present)
    attendee.serving_for_id = serving_for.id if serving_for is not None else None
    if note is not None:
        attendee.note = note.strip()[:200] or None
    session.flush()
    audit.record(
        session,
        "meeting.presence",
        meeting,
        actor=user,
        before=before,
        after={
            "name": attendee.name,
            "present": attendee.is_present,
            "serving_for": serving_for.name if serving_for is not None else None,
            "note": attendee.note,
        },
    )
    return attendee


def _changes(item: AgendaItem) -> dict[int, ItemAttendance]:
    return {change.attendee_id: change for change in item.presence}


def _is_away(attendee: MeetingAttendee, changes: dict[int, ItemAttendance]) -> bool:
    change = changes.get(attendee.id)
    away = change is not None and change.status in (ItemPresence.ABSENT, ItemPresence.RECUSED)
    return not attendee.is_present or away


def _holder(meeting: Meeting, seat: MeetingAttendee, changes) -> MeetingAttendee | None:
    """Who holds ``seat`` in the § without a substitute serving in that § only."""
    if not _is_away(seat, changes):
        return seat
    for attendee in meeting.attendees:
        if attendee.serving_for_id == seat.id and not _is_away(attendee, changes):
            return attendee
    return None


def serving_members(session: Session, item: AgendaItem) -> list[MeetingAttendee]:
    """Who holds a vote in the §: the members present and taking part, and the substitutes
    serving for a seat whose member is away (for the meeting or in this §)."""
    meeting = item.meeting
    changes = _changes(item)
    by_seat = {
        change.serving_for_id: change.attendee_id
        for change in item.presence
        if change.status == ItemPresence.SERVING
    }
    by_id = {a.id: a for a in meeting.attendees}
    serving = []
    for seat in meeting.attendees:
        if seat.role not in VOTING_ROLES:
            continue
        holder = _holder(meeting, seat, changes)
        if holder is None and seat.id in by_seat:
            holder = by_id[by_seat[seat.id]]
        if holder is not None:
            serving.append(holder)
    return serving


def set_item_presence(
    session: Session,
    item: AgendaItem,
    attendee: MeetingAttendee,
    status: str,
    *,
    serving_for: MeetingAttendee | None = None,
    user,
) -> ItemAttendance:
    """Record a change for one §: someone absent, recused (jäv), or a substitute serving."""
    meeting = item.meeting
    require_open(meeting)
    _same_meeting(attendee, meeting.id)
    _same_meeting(serving_for, meeting.id)
    if status not in set(ItemPresence):
        raise ValidationError(_l("Choose what changes for the §."))
    if not attendee.is_present:
        raise ValidationError(_l("%(name)s is not at the meeting.", name=attendee.name))
    changes = _changes(item)
    others = {k: v for k, v in changes.items() if k != attendee.id}
    if status == ItemPresence.SERVING:
        if attendee.role != AttendeeRole.SUBSTITUTE or attendee.serving_for_id is not None:
            raise ValidationError(
                _l("Only a substitute who serves for no one at the meeting can serve in a §.")
            )
        if serving_for is None or serving_for.role not in VOTING_ROLES:
            raise ValidationError(_l("Choose the member whose seat the substitute takes."))
        if _holder(meeting, serving_for, others) is not None or any(
            c.serving_for_id == serving_for.id for c in others.values()
        ):
            raise ValidationError(
                _l(
                    "The seat of %(name)s is taken in this §: a substitute serves only for "
                    "a member who is absent or recused.",
                    name=serving_for.name,
                )
            )
    elif serving_for is not None:
        raise ValidationError(_l("Only a substitute serving in the § serves for someone."))
    change = changes.get(attendee.id)
    if change is None:
        change = ItemAttendance(item_id=item.id, attendee_id=attendee.id, status=status)
        item.presence.append(change)
    change.status = status
    change.serving_for_id = serving_for.id if serving_for is not None else None
    session.flush()
    _record(
        session,
        "item_presence",
        meeting,
        user,
        paragraph=item.paragraph,
        name=attendee.name,
        status=status,
        serving_for=serving_for.name if serving_for is not None else None,
    )
    return change


def _require_no_stand_in(item: AgendaItem, attendee: MeetingAttendee, others) -> None:
    """A member whose seat a substitute holds in the § keeps away until that ends."""
    stand_in = next((c for c in others.values() if c.serving_for_id == attendee.id), None)
    if stand_in is not None:
        name = next(a.name for a in item.meeting.attendees if a.id == stand_in.attendee_id)
        raise ValidationError(
            _l(
                "%(substitute)s serves for %(name)s in this §: end that first.",
                substitute=name,
                name=attendee.name,
            )
        )


def clear_item_presence(
    session: Session, item: AgendaItem, attendee: MeetingAttendee, *, user
) -> None:
    """Take back a change for one §: the attendee takes part as at the rest of the meeting."""
    meeting = item.meeting
    require_open(meeting)
    changes = _changes(item)
    change = changes.get(attendee.id)
    if change is None:
        raise ValidationError(_l("Nothing is recorded for %(name)s in this §.", name=attendee.name))
    if change.status != ItemPresence.SERVING:
        _require_no_stand_in(item, attendee, changes)
    item.presence.remove(change)
    session.delete(change)
    session.flush()
    _record(
        session,
        "item_presence_clear",
        meeting,
        user,
        paragraph=item.paragraph,
        name=attendee.name,
        status=change.status,
    )
