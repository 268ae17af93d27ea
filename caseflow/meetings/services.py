"""Meetings: creating, changing, cancelling and opening a meeting; the rules every change
of a protocol passes (``require_open``, ``before_change``)."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from caseflow.cases.models import Case, CaseStatus
from caseflow.common import audit
from caseflow.common.errors import ValidationError
from caseflow.common.timeutil import LOCAL_TZ, now
from caseflow.meetings.agenda_items import remove_item
from caseflow.meetings.models import (
    Meeting,
    MeetingStatus,
    Organ,
)
from caseflow.meetings.organs import member_names
from caseflow.meetings.paragraphs import (
    allocate_paragraph,
    check_order,
    is_last_numbered,
    when_text,
)
from caseflow.meetings.signatures import withdraw_signatures
from caseflow.meetings.state import has_begun, lines_of, meeting_date, require_open


def _check_members(session: Session, organ: Organ, day: date, chair: str, attesters: str) -> None:
    """The chair and the attesters are members of the body, serving on the meeting's day."""
    serving = member_names(session, organ, day)
    if not serving:
        raise ValidationError(
            _l(
                "%(organ)s has no members serving on %(day)s: register its members first.",
                organ=organ.name,
                day=day.isoformat(),
            )
        )
    for name in [chair.strip(), *lines_of(attesters)]:
        if name not in serving:
            raise ValidationError(
                _l(
                    "%(name)s is not a member of %(organ)s on %(day)s.",
                    name=name,
                    organ=organ.name,
                    day=day.isoformat(),
                )
            )


def _required(place: str, chair: str, secretary: str) -> None:
    required = (
        (place, _l("Give the place of the meeting.")),
        (chair, _l("Give the chair of the meeting.")),
        (secretary, _l("Give the secretary of the meeting.")),
    )
    for value, missing in required:
        if not (value or "").strip():
            raise ValidationError(missing)


def _local(starts_at: datetime) -> datetime:
    return starts_at.replace(tzinfo=LOCAL_TZ) if starts_at.tzinfo is None else starts_at


def create_meeting(
    session: Session,
    *,
    organ: Organ,
    starts_at: datetime,
    place: str,
    chair: str,
    secretary: str,
    attesters: str = "",
    user=None,
) -> Meeting:
    _required(place, chair, secretary)
    starts_at = _local(starts_at)
    _check_members(session, organ, starts_at.astimezone(LOCAL_TZ).date(), chair, attesters)
    meeting = Meeting(
        organ_id=organ.id,
        starts_at=starts_at,
        place=place.strip(),
        chair=chair.strip(),
        secretary=secretary.strip(),
        attesters="\n".join(lines_of(attesters)),
    )
    session.add(meeting)
    session.flush()
    check_order(session, meeting)
    audit.record(
        session,
        "meeting.create",
        meeting,
        actor=user,
        after={"organ": organ.name, "starts_at": starts_at, "place": meeting.place},
    )
    return meeting


def update_meeting(
    session: Session,
    meeting: Meeting,
    *,
    starts_at: datetime,
    place: str,
    chair: str,
    secretary: str,
    attesters: str = "",
    ended_at: datetime | None = None,
    user,
) -> Meeting:
    """Correct the meeting's date, time, place, chair, secretary or attesters before justering.

    Once opened, the meeting has begun: it cannot move into the future, nor past another
    meeting of the body whose §§ are numbered (the §§ follow the meetings' order).
    """
    require_open(meeting)
    _required(place, chair, secretary)
    if meeting.sent_for_justering_at is not None and (
        chair.strip() != meeting.chair or lines_of(attesters) != lines_of(meeting.attesters)
    ):
        raise ValidationError(
            _l(
                "The protocol has been sent for justering to its chair and attesters: they "
                "stay as they are. Record the justering on paper if they cannot attest."
            )
        )
    starts_at = _local(starts_at)
    if ended_at is not None:
        ended_at = _local(ended_at)
        if ended_at <= starts_at:
            raise ValidationError(_l("The meeting cannot end before it begins."))
    day = starts_at.astimezone(LOCAL_TZ).date()
    _check_members(session, meeting.organ, day, chair, attesters)
    if meeting.is_opened:
        if starts_at > now():
            raise ValidationError(
                _l("The meeting has been opened: it cannot be moved to a time still to come.")
            )
        if day.year != meeting_date(meeting).year:
            raise ValidationError(
                _l(
                    "The §§ are numbered for %(year)s: the meeting stays in that year.",
                    year=meeting_date(meeting).year,
                )
            )
    before = {
        "starts_at": meeting.starts_at,
        "ended_at": meeting.ended_at,
        "place": meeting.place,
        "chair": meeting.chair,
        "secretary": meeting.secretary,
        "attesters": lines_of(meeting.attesters),
    }
    meeting.starts_at = starts_at
    meeting.ended_at = ended_at
    meeting.place = place.strip()
    meeting.chair = chair.strip()
    meeting.secretary = secretary.strip()
    meeting.attesters = "\n".join(lines_of(attesters))
    session.flush()
    check_order(session, meeting)
    after = {
        "starts_at": meeting.starts_at,
        "ended_at": meeting.ended_at,
        "place": meeting.place,
        "chair": meeting.chair,
        "secretary": meeting.secretary,
        "attesters": lines_of(meeting.attesters),
    }
    changed = {k: v for k, v in after.items() if before[k] != v}
    if changed:
        withdraw_signatures(session, meeting, user=user)
        audit.record(
            session,
            "meeting.update",
            meeting,
            actor=user,
            before={k: before[k] for k in changed},
            after=changed,
        )
    return meeting


def cancel_meeting(session: Session, meeting: Meeting, *, reason: str, user) -> None:
    """Cancel a meeting that was never opened: its cases go back to be put on another;
    the meeting stays in the list, marked cancelled."""
    require_open(meeting)
    if meeting.is_opened:
        raise ValidationError(_l("The meeting has been opened and has §§: it cannot be cancelled."))
    if not (reason or "").strip():
        raise ValidationError(_l("Give the reason."))
    for item in list(meeting.items):
        remove_item(session, item, reason=reason, user=user)
    audit.record(
        session,
        "meeting.cancel",
        meeting,
        actor=user,
        before={"organ": meeting.organ.name, "starts_at": meeting.starts_at},
        after={"reason": reason.strip()},
    )
    # Kept, marked cancelled with its reason in the audit trail: the secretary's record
    # that the meeting was planned (and perhaps called) and did not take place.
    meeting.status = MeetingStatus.CANCELLED
    session.flush()


def open_meeting(session: Session, meeting: Meeting, *, user) -> Meeting:
    """Open the meeting: it has begun, and its items get their §§ in agenda order.

    §§ are fixed at the meeting, as in a real protocol: not when the agenda is sent out
    (items may still be added or dropped), and in the order of the body's meetings.
    """
    if meeting.is_opened:
        raise ValidationError(_l("The meeting is already opened."))
    if not has_begun(meeting):
        raise ValidationError(
            _l(
                "The meeting begins %(when)s: it is opened, and decisions are recorded, "
                "once it has begun.",
                when=when_text(meeting),
            )
        )
    if not meeting.items:
        raise ValidationError(_l("The agenda is empty."))
    meeting.status = MeetingStatus.OPENED
    meeting.opened_at = now()
    session.flush()
    check_order(session, meeting)
    if not is_last_numbered(session, meeting):
        raise ValidationError(
            _l("A later meeting of %(organ)s has its §§ already.", organ=meeting.organ.name)
        )
    year = meeting_date(meeting).year
    for item in sorted(meeting.items, key=lambda each: each.position):
        item.paragraph = allocate_paragraph(session, meeting.organ_id, year)
    session.flush()
    audit.record(
        session,
        "meeting.open",
        meeting,
        actor=user,
        after={"paragraphs": [i.paragraph for i in meeting.items]},
    )
    return meeting


def list_meetings(session: Session) -> list[Meeting]:
    return list(session.exec(select(Meeting).order_by(Meeting.starts_at.desc())).all())


def approved_cases(session: Session) -> list[Case]:
    return list(
        session.exec(
            select(Case)
            .where(Case.status == CaseStatus.APPROVED, Case.voided_at.is_(None))
            .order_by(Case.updated_at)
        ).all()
    )
