"""Meetings: the agenda and its § numbers, decisions per §, justering and the notice."""

from __future__ import annotations

import json
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from caseflow.cases.models import Case, CaseStatus
from caseflow.cases.workflow import MEETING, apply_transition
from caseflow.common import audit
from caseflow.common.counters import next_number
from caseflow.common.errors import NotFound, ValidationError
from caseflow.common.timeutil import LOCAL_TZ, now
from caseflow.meetings.deadlines import meeting_deadlines
from caseflow.meetings.models import (
    AgendaItem,
    DecisionKind,
    Meeting,
    MeetingStatus,
    Organ,
    ParagraphCounter,
)
from caseflow.meetings.organs import member_names
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


def create_meeting(
    session: Session,
    *,
    organ: Organ,
    starts_at: datetime,
    place: str,
    chair: str,
    secretary: str,
    attesters: str = "",
    attendees: str = "",
    user=None,
) -> Meeting:
    required = (
        (place, _l("Give the place of the meeting.")),
        (chair, _l("Give the chair of the meeting.")),
        (secretary, _l("Give the secretary of the meeting.")),
    )
    for value, missing in required:
        if not (value or "").strip():
            raise ValidationError(missing)
    if starts_at.tzinfo is None:
        starts_at = starts_at.replace(tzinfo=LOCAL_TZ)
    _check_members(session, organ, starts_at.astimezone(LOCAL_TZ).date(), chair, attesters)
    meeting = Meeting(
        organ_id=organ.id,
        starts_at=starts_at,
        place=place.strip(),
        chair=chair.strip(),
        secretary=secretary.strip(),
        attesters="\n".join(_lines(attesters)),
        attendees="\n".join(_lines(attendees)),
    )
    session.add(meeting)
    session.flush()
    audit.record(
        session,
        "meeting.create",
        meeting,
        actor=user,
        after={"organ": organ.name, "starts_at": starts_at, "place": meeting.place},
    )
    return meeting


def get_meeting(session: Session, meeting_id: int) -> Meeting:
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound(_l("The meeting does not exist."))
    return meeting


def _require_open(meeting: Meeting) -> None:
    if meeting.is_attested:
        raise ValidationError(
            _l("The protocol is attested and locked; changes are made as corrections.")
        )


def _allocate_paragraph(session: Session, organ_id: int, year: int) -> int:
    return next_number(session, ParagraphCounter, organ_id=organ_id, year=year)


def add_case(session: Session, meeting: Meeting, case: Case, *, user) -> AgendaItem:
    """Put an approved case on the agenda; once the agenda is fixed it gets its § at once."""
    _require_open(meeting)
    if any(item.case_id == case.id for item in meeting.items):
        raise ValidationError(_l("%(number)s is already on the agenda.", number=case.number))
    apply_transition(session, case, "put_on_agenda", user=user, taken_by=MEETING)
    item = AgendaItem(meeting_id=meeting.id, case_id=case.id, position=len(meeting.items) + 1)
    if meeting.status == MeetingStatus.AGENDA_FIXED:
        item.paragraph = _allocate_paragraph(session, meeting.organ_id, meeting_date(meeting).year)
    session.add(item)
    session.flush()
    session.refresh(meeting, ["items"])
    audit.record(
        session,
        "meeting.add_case",
        meeting,
        actor=user,
        after={"case": case.number, "position": item.position, "paragraph": item.paragraph},
    )
    return item


def move_item(session: Session, meeting: Meeting, item: AgendaItem, offset: int, *, user) -> None:
    if meeting.status != MeetingStatus.PLANNED:
        raise ValidationError(_l("The agenda is settled; its order cannot be changed."))
    items = list(meeting.items)
    i = items.index(item)
    j = i + offset
    if 0 <= j < len(items):
        items[i], items[j] = items[j], items[i]
        for position, each in enumerate(items, start=1):
            each.position = position
        session.flush()
        session.refresh(meeting, ["items"])
        audit.record(
            session,
            "meeting.reorder",
            meeting,
            actor=user,
            after={"order": [each.case_id for each in items]},
        )


def fix_agenda(session: Session, meeting: Meeting, *, user) -> Meeting:
    """Fix the agenda: every item gets the next § of the organ and year, in order."""
    if meeting.status != MeetingStatus.PLANNED:
        raise ValidationError(_l("The agenda is already settled."))
    if not meeting.items:
        raise ValidationError(_l("The agenda is empty."))
    year = meeting_date(meeting).year
    for item in sorted(meeting.items, key=lambda each: each.position):
        item.paragraph = _allocate_paragraph(session, meeting.organ_id, year)
    meeting.status = MeetingStatus.AGENDA_FIXED
    session.flush()
    audit.record(
        session,
        "meeting.fix_agenda",
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
    motions: str | None = None,
    reservations: str | None = None,
    protocol_notes: str | None = None,
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
    if item.paragraph is None:
        raise ValidationError(_l("Settle the agenda before decisions are recorded."))
    if kind not in set(DecisionKind):
        raise ValidationError(_l("Choose what was decided."))
    case = session.get(Case, item.case_id)
    if kind == DecisionKind.ADOPTED:
        points = proposal_points(session, case)
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
    item.motions = (motions or "").strip() or None
    item.reservations = (reservations or "").strip() or None
    item.protocol_notes = (protocol_notes or "").strip() or None
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
    return item


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
    _require_open(meeting)
    if meeting.status != MeetingStatus.AGENDA_FIXED:
        raise ValidationError(_l("Settle the agenda first."))
    undecided = [i.paragraph for i in meeting.items if i.decision_kind is None]
    if undecided:
        raise ValidationError(
            _l("No decision for § %(paragraphs)s.", paragraphs=", ".join(map(str, undecided)))
        )
    if attested_on < meeting_date(meeting):
        raise ValidationError(_l("The protocol cannot be attested before the meeting."))
    names = _lines(attested_by)
    if not names:
        raise ValidationError(_l("Give who attested the protocol."))
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
