"""Meetings: the agenda and its § numbers, decisions per §, justering and the notice."""

from __future__ import annotations

import json
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import object_session
from sqlmodel import Session, select

from caseflow.cases.models import Case, CaseStatus
from caseflow.cases.workflow import MEETING, apply_transition
from caseflow.common import audit
from caseflow.common.counters import next_number
from caseflow.common.errors import NotFound, ValidationError
from caseflow.common.timeutil import LOCAL_TZ, now, today
from caseflow.meetings.deadlines import meeting_deadlines
from caseflow.meetings.models import (
    AgendaItem,
    DecidedBy,
    DecisionKind,
    DelegatedDecision,
    ItemKind,
    Meeting,
    MeetingStatus,
    Organ,
    ParagraphCounter,
    Vote,
    VoteBallot,
)
from caseflow.meetings.organs import member_names
from caseflow.meetings.signatures import close_digital_justering, withdraw_signatures
from caseflow.memos.services import get_memo


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").replace("\r\n", "\n").split("\n") if line.strip()]


def meeting_date(meeting: Meeting) -> date:
    return meeting.starts_at.astimezone(LOCAL_TZ).date()


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
    for name in [chair.strip(), *_lines(attesters)]:
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
        attesters="\n".join(_lines(attesters)),
    )
    session.add(meeting)
    session.flush()
    _check_order(session, meeting)
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
    _require_open(meeting)
    _required(place, chair, secretary)
    if meeting.sent_for_justering_at is not None and (
        chair.strip() != meeting.chair or _lines(attesters) != _lines(meeting.attesters)
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
        "attesters": _lines(meeting.attesters),
    }
    meeting.starts_at = starts_at
    meeting.ended_at = ended_at
    meeting.place = place.strip()
    meeting.chair = chair.strip()
    meeting.secretary = secretary.strip()
    meeting.attesters = "\n".join(_lines(attesters))
    session.flush()
    _check_order(session, meeting)
    after = {
        "starts_at": meeting.starts_at,
        "ended_at": meeting.ended_at,
        "place": meeting.place,
        "chair": meeting.chair,
        "secretary": meeting.secretary,
        "attesters": _lines(meeting.attesters),
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
    _require_open(meeting)
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


def get_meeting(session: Session, meeting_id: int) -> Meeting:
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound(_l("The meeting does not exist."))
    return meeting


def _require_open(meeting: Meeting) -> None:
    if meeting.is_cancelled:
        raise ValidationError(_l("The meeting is cancelled."))
    if meeting.is_attested:
        raise ValidationError(
            _l("The protocol is attested and locked; changes are made as corrections.")
        )


def _before_change(meeting: Meeting, user) -> None:
    """Every change of the protocol before justering passes here: allowed while the
    protocol is open, and it withdraws the digital attestations already given (they
    attested another text; see ``caseflow.meetings.justering``)."""
    _require_open(meeting)
    withdraw_signatures(object_session(meeting), meeting, user=user)


def _year_range(year: int) -> tuple[datetime, datetime]:
    return (
        datetime(year, 1, 1, tzinfo=LOCAL_TZ),
        datetime(year + 1, 1, 1, tzinfo=LOCAL_TZ),
    )


def _body_year(session: Session, meeting: Meeting) -> list[Meeting]:
    """The body's meetings in the meeting's year, in time order (the order of the §§)."""
    first, last = _year_range(meeting_date(meeting).year)
    return list(
        session.exec(
            select(Meeting)
            .where(
                Meeting.organ_id == meeting.organ_id,
                Meeting.status != MeetingStatus.CANCELLED,
                Meeting.starts_at >= first,
                Meeting.starts_at < last,
            )
            .order_by(Meeting.starts_at, Meeting.id)
        ).all()
    )


def _when(meeting: Meeting) -> str:
    return f"{meeting.starts_at.astimezone(LOCAL_TZ):%Y-%m-%d %H.%M}"


def _check_order(session: Session, meeting: Meeting) -> None:
    """A meeting never comes before one of the same body and year whose §§ are numbered
    while it has none, nor after one without §§ while it has them."""
    others = [m for m in _body_year(session, meeting) if m.id != meeting.id]
    for other in others:
        earlier = (other.starts_at, other.id) < (meeting.starts_at, meeting.id)
        if earlier and not other.is_opened and meeting.is_opened:
            raise ValidationError(
                _l(
                    "The meeting of %(when)s comes earlier and has not been opened: "
                    "open or cancel it first, so that the §§ follow the meetings' order.",
                    when=_when(other),
                )
            )
        if not earlier and other.is_opened and not meeting.is_opened:
            raise ValidationError(
                _l(
                    "The meeting of %(when)s comes later and its §§ are numbered already: "
                    "this meeting cannot be placed before it.",
                    when=_when(other),
                )
            )


def _is_last_numbered(session: Session, meeting: Meeting) -> bool:
    """No later meeting of the body has §§ this year: this one's may still change."""
    later = [
        m
        for m in _body_year(session, meeting)
        if m.id != meeting.id
        and m.is_opened
        and (m.starts_at, m.id) > (meeting.starts_at, meeting.id)
    ]
    return not later


def _allocate_paragraph(session: Session, organ_id: int, year: int) -> int:
    return next_number(session, ParagraphCounter, organ_id=organ_id, year=year)


def _renumber(session: Session, meeting: Meeting) -> None:
    """Give the opened meeting's items their §§ in agenda order, without gaps, and set the
    body's counter to the last; only while no later meeting has §§."""
    year = meeting_date(meeting).year
    numbered = [item.paragraph for item in meeting.items if item.paragraph is not None]
    counter = session.get(ParagraphCounter, (meeting.organ_id, year))
    first = min(numbered) if numbered else (counter.last_number + 1 if counter else 1)
    items = sorted(meeting.items, key=lambda each: each.position)
    # Clear first: two items swapping §§ must not meet on the way.
    for item in items:
        item.paragraph = None
    session.flush()
    for offset, item in enumerate(items):
        item.paragraph = first + offset
    last = first + len(items) - 1
    if counter is None:
        counter = ParagraphCounter(organ_id=meeting.organ_id, year=year, last_number=0)
        session.add(counter)
    counter.last_number = last
    session.flush()


def _require_changeable_numbers(session: Session, meeting: Meeting) -> None:
    if meeting.is_opened and not _is_last_numbered(session, meeting):
        raise ValidationError(
            _l(
                "A later meeting of %(organ)s has its §§ already, so the §§ here can no "
                "longer change: record under the § what happened instead.",
                organ=meeting.organ.name,
            )
        )


def _renumber_positions(meeting: Meeting) -> None:
    for position, item in enumerate(sorted(meeting.items, key=lambda e: e.position), start=1):
        item.position = position


def _append(session: Session, meeting: Meeting, item: AgendaItem) -> AgendaItem:
    _require_open(meeting)
    _require_changeable_numbers(session, meeting)
    item.position = len(meeting.items) + 1
    session.add(item)
    session.flush()
    session.refresh(meeting, ["items"])
    if meeting.is_opened:
        _renumber(session, meeting)
    return item


def add_case(session: Session, meeting: Meeting, case: Case, *, user) -> AgendaItem:
    """Put an approved case on the agenda; on an opened meeting it gets its § at once."""
    _before_change(meeting, user)
    if any(item.case_id == case.id for item in meeting.items):
        raise ValidationError(_l("%(number)s is already on the agenda.", number=case.number))
    _require_changeable_numbers(session, meeting)
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
    _before_change(meeting, user)
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
    _before_change(item.meeting, user)
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
    _before_change(meeting, user)
    if item.decision_kind is not None:
        raise ValidationError(
            _l("§ %(paragraph)s has a decision: undo the decision first.", paragraph=item.paragraph)
        )
    if not (reason or "").strip():
        raise ValidationError(_l("Give the reason."))
    _require_changeable_numbers(session, meeting)
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
    _renumber_positions(meeting)
    session.flush()
    if meeting.is_opened and meeting.items:
        _renumber(session, meeting)
    elif meeting.is_opened:
        counter = session.get(ParagraphCounter, (meeting.organ_id, meeting_date(meeting).year))
        counter.last_number -= 1
        session.flush()


def move_item(session: Session, meeting: Meeting, item: AgendaItem, offset: int, *, user) -> None:
    """Move an item up or down the agenda before justering; §§ follow the new order."""
    _before_change(meeting, user)
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
            _renumber(session, meeting)
        audit.record(
            session,
            "meeting.reorder",
            meeting,
            actor=user,
            after={"order": [each.case_id or each.title for each in items]},
        )


def has_begun(meeting: Meeting, at: datetime | None = None) -> bool:
    return (at or now()) >= meeting.starts_at


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
                when=_when(meeting),
            )
        )
    if not meeting.items:
        raise ValidationError(_l("The agenda is empty."))
    meeting.status = MeetingStatus.OPENED
    meeting.opened_at = now()
    session.flush()
    _check_order(session, meeting)
    if not _is_last_numbered(session, meeting):
        raise ValidationError(
            _l("A later meeting of %(organ)s has its §§ already.", organ=meeting.organ.name)
        )
    year = meeting_date(meeting).year
    for item in sorted(meeting.items, key=lambda each: each.position):
        item.paragraph = _allocate_paragraph(session, meeting.organ_id, year)
    session.flush()
    audit.record(
        session,
        "meeting.open",
        meeting,
        actor=user,
        after={"paragraphs": [i.paragraph for i in meeting.items]},
    )
    return meeting


def proposal_points(session: Session, case: Case) -> list[str]:
    memo = get_memo(session, case)
    return [p.text for p in memo.points] if memo else []


def decision_points(item: AgendaItem) -> list[str]:
    return json.loads(item.decision_points) if item.decision_points else []


def record_decision(
    session: Session,
    item: AgendaItem,
    *,
    kind: str,
    user,
    points: list[str] | None = None,
    immediately_attested: bool = False,
    correction_reason: str | None = None,
) -> AgendaItem:
    """Record what the body decided under a §; the case moves on accordingly."""
    meeting = item.meeting
    correcting = meeting.is_attested
    if correcting and not (correction_reason or "").strip():
        raise ValidationError(
            _l("The protocol is attested: a change is a correction and needs a reason.")
        )
    if not meeting.is_opened:
        raise ValidationError(
            _l(
                "The meeting begins %(when)s and has not been opened: decisions are "
                "recorded once it has begun.",
                when=_when(meeting),
            )
        )
    if not item.has_case:
        raise ValidationError(_l("A § without a case has its text, not a decision of a case."))
    if not correcting:
        _before_change(meeting, user)
    if kind not in set(DecisionKind):
        raise ValidationError(_l("Choose what was decided."))
    case = session.get(Case, item.case_id)
    if kind == DecisionKind.ADOPTED:
        points = proposal_points(session, case)
    elif kind in (DecisionKind.RETURNED, DecisionKind.TABLED):
        points = []  # nothing is decided in the matter itself
    points = [p.strip() for p in (points or []) if p and p.strip()]
    if kind in (DecisionKind.ADOPTED, DecisionKind.AMENDED) and not points:
        raise ValidationError(_l("The decision needs at least one point."))
    before = {"kind": item.decision_kind, "points": decision_points(item)}
    if not correcting:
        if item.decision_kind is not None:
            raise ValidationError(
                _l("§ %(paragraph)s already has a decision.", paragraph=item.paragraph)
            )
        action = {
            DecisionKind.ADOPTED: "decide",
            DecisionKind.AMENDED: "decide",
            DecisionKind.RETURNED: "refer_back",
            DecisionKind.TABLED: "table",
        }[kind]
        # The timeline's label says "referred back" in the reader's language; the comment
        # only names the paragraph, so nothing stored is in one language.
        comment = f"§ {item.paragraph}" if kind == DecisionKind.RETURNED else None
        apply_transition(session, case, action, user=user, comment=comment, taken_by=MEETING)
    item.decision_kind = kind
    item.decision_points = json.dumps(points, ensure_ascii=False) if points else None
    item.decided_by = item.decided_by or DecidedBy.ACCLAMATION
    item.is_immediately_attested = bool(immediately_attested)
    item.decided_at = now()
    session.flush()
    audit.record(
        session,
        "meeting.correct_decision" if correcting else "meeting.decision",
        meeting,
        case=case,
        actor=user,
        before=before,
        after={
            "paragraph": item.paragraph,
            "kind": kind,
            "points": points,
            "immediately_attested": item.is_immediately_attested,
            "reason": correction_reason,
        },
    )
    if correcting:  # the excerpts already registered get a new, sealed version
        from caseflow.meetings.reissue import reissue_excerpts

        reissue_excerpts(session, item, reason=correction_reason, user=user)
    return item


#: The state each decision leaves its case in: an undo needs the case still there.
_LEFT_IN = {
    DecisionKind.ADOPTED: CaseStatus.DECIDED,
    DecisionKind.AMENDED: CaseStatus.DECIDED,
    DecisionKind.TABLED: CaseStatus.APPROVED,
    DecisionKind.RETURNED: CaseStatus.IN_PREPARATION,
}


def undo_decision(session: Session, item: AgendaItem, *, reason: str, user) -> AgendaItem:
    """Undo a decision recorded by mistake, before justering: the case is back on the
    agenda of this meeting and the § waits for its decision."""
    meeting = item.meeting
    _before_change(meeting, user)
    if item.decision_kind is None:
        raise ValidationError(_l("§ %(paragraph)s has no decision.", paragraph=item.paragraph))
    if item.is_immediately_attested:
        raise ValidationError(
            _l(
                "§ %(paragraph)s was declared immediately attested: it is corrected after "
                "justering, with a reason.",
                paragraph=item.paragraph,
            )
        )
    if not (reason or "").strip():
        raise ValidationError(_l("Give the reason."))
    case = session.get(Case, item.case_id)
    if case.status != _LEFT_IN[item.decision_kind]:
        raise ValidationError(
            _l(
                "%(number)s has moved on since the decision: it cannot be undone here.",
                number=case.number,
            )
        )
    apply_transition(
        session, case, "undo_decision", user=user, comment=reason.strip(), taken_by=MEETING
    )
    before = {
        "paragraph": item.paragraph,
        "kind": item.decision_kind,
        "points": decision_points(item),
    }
    item.decision_kind = None
    item.decision_points = None
    item.decided_by = None
    item.decided_at = None
    session.flush()
    audit.record(
        session,
        "meeting.undo_decision",
        meeting,
        case=case,
        actor=user,
        before=before,
        after={"reason": reason.strip()},
    )
    return item


def check_attestable(meeting: Meeting) -> None:
    """The protocol may be attested: the meeting was opened, is not attested or cancelled,
    and every case on it has its decision."""
    _require_open(meeting)
    if not meeting.is_opened:
        raise ValidationError(_l("Open the meeting first."))
    undecided = [i.paragraph for i in meeting.items if i.has_case and i.decision_kind is None]
    if undecided:
        raise ValidationError(
            _l("No decision for § %(paragraphs)s.", paragraphs=", ".join(map(str, undecided)))
        )


def attest(
    session: Session,
    meeting: Meeting,
    *,
    attested_on: date,
    attested_by: str,
    notice_posted_on: date | None = None,
    user,
) -> Meeting:
    """Record justering: who attested and when. The protocol is then locked."""
    check_attestable(meeting)
    if attested_on < meeting_date(meeting):
        raise ValidationError(_l("The protocol cannot be attested before the meeting."))
    if attested_on > today():
        raise ValidationError(_l("Justering is recorded once it has taken place, not ahead."))
    if notice_posted_on is not None and notice_posted_on < attested_on:
        raise ValidationError(_l("The notice cannot be posted before the attestation."))
    if notice_posted_on is not None and notice_posted_on > today():
        raise ValidationError(_l("The notice is recorded once it is posted, not ahead."))
    names = _lines(attested_by)
    if not names:
        raise ValidationError(_l("Give who attested the protocol."))
    close_digital_justering(session, meeting, user=user)
    meeting.status = MeetingStatus.ATTESTED
    meeting.attested_on = attested_on
    meeting.attested_by = "\n".join(names)
    meeting.notice_posted_on = notice_posted_on
    session.flush()
    audit.record(
        session,
        "meeting.attest",
        meeting,
        actor=user,
        after={
            "attested_on": attested_on,
            "attested_by": names,
            "notice_posted_on": notice_posted_on,
        },
    )
    return meeting


def post_notice(session: Session, meeting: Meeting, *, posted_on: date, user) -> Meeting:
    if not meeting.is_attested:
        raise ValidationError(
            _l("The protocol must be attested before it is posted on the notice board.")
        )
    if posted_on < meeting.attested_on:
        raise ValidationError(_l("The notice cannot be posted before the attestation."))
    if posted_on > today():
        raise ValidationError(_l("The notice is recorded once it is posted, not ahead."))
    meeting.notice_posted_on = posted_on
    session.flush()
    audit.record(session, "meeting.notice", meeting, actor=user, after={"posted_on": posted_on})
    return meeting


def deadlines_of(meeting: Meeting):
    return meeting_deadlines(meeting_date(meeting), meeting.attested_on, meeting.notice_posted_on)


def latest_decided_item(session: Session, case: Case) -> AgendaItem | None:
    """The case's latest § with a decision (adopted or amended)."""
    return session.exec(
        select(AgendaItem)
        .join(Meeting)
        .where(
            AgendaItem.case_id == case.id,
            AgendaItem.decision_kind.in_([DecisionKind.ADOPTED, DecisionKind.AMENDED]),
        )
        .order_by(Meeting.starts_at.desc(), AgendaItem.id.desc())
    ).first()


def is_final(item: AgendaItem) -> bool:
    """An excerpt may be made: the protocol is attested or the § was declared so at once."""
    return item.meeting.is_attested or item.is_immediately_attested


def exportable_items(meeting: Meeting) -> list[AgendaItem]:
    """The §§ of ``meeting`` an excerpt may be made of: decided, and attested."""
    return [item for item in meeting.items if item.decision_kind and is_final(item)]


def decision_is_final(session: Session, case: Case):
    """Guard of ``dispatch``: the decision's protocol is attested (or the § immediately)."""
    item = latest_decided_item(session, case)
    if item is not None and not is_final(item):
        return _l("The protocol is not attested: the decision cannot be dispatched yet.")
    return None


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
