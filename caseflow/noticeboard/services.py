"""Posting notices on the board, taking them down, and reading the board.

A notice is *current* from its first day to its last (``posted_on`` … ``take_down_on``)
unless it was taken down early; after that it is in the public history. The scheduler's
job records the taking down (:func:`take_down_expired`), but the board never waits for
it: what is current is decided by the dates.

The notice of an attested protocol is posted through ``caseflow.meetings.attestation``'s
``post_notice``, which records the meeting's ``notice_posted_on``: the appeal period, and
with it legal force, keep running from that one date.
"""

from __future__ import annotations

import json
from datetime import date

import sqlalchemy as sa
from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from caseflow.common import audit
from caseflow.common.calendar import deadline
from caseflow.common.errors import NotFound, ValidationError
from caseflow.common.timeutil import now, today
from caseflow.documents.storage import FileStore
from caseflow.meetings.attestation import deadlines_of
from caseflow.meetings.models import Meeting
from caseflow.meetings.state import meeting_date
from caseflow.meetings.summons import agenda_entries
from caseflow.meetings.wording import paragraph_range
from caseflow.noticeboard import files
from caseflow.noticeboard.models import Notice, NoticeKind
from caseflow.organisation.services import profile_snapshot


def protocol_kept_at(session: Session) -> str:
    """Where attested protocols are kept: the configured place, else the organisation."""
    configured = (
        current_app.config.get("NOTICEBOARD_PROTOCOL_KEPT_AT") if has_app_context() else None
    )
    if configured:
        return str(configured)
    profile = profile_snapshot(session)
    address = ", ".join(
        line.strip() for line in profile.postal_address.splitlines() if line.strip()
    )
    return f"{profile.name}, {address}" if address else profile.name


def _posted(session: Session, notice: Notice, user) -> Notice:
    session.add(notice)
    session.flush()
    audit.record(
        session,
        "notice.post",
        notice,
        actor=user,
        after={
            "kind": notice.kind,
            "title": notice.title,
            "meeting_id": notice.meeting_id,
            "posted_on": notice.posted_on,
            "take_down_on": notice.take_down_on,
            "appeal_ends_on": notice.appeal_ends_on,
        },
    )
    return notice


def current_notice_of(session: Session, meeting: Meeting, kind: str) -> Notice | None:
    """The meeting's notice of ``kind`` that has not been taken down."""
    return session.exec(
        select(Notice).where(
            Notice.meeting_id == meeting.id, Notice.kind == kind, Notice.taken_down_at.is_(None)
        )
    ).first()


# -- the protocol ------------------------------------------------------------------------------


def post_protocol_notice(session: Session, store: FileStore, meeting: Meeting, *, user) -> Notice:
    """Put up the notice that ``meeting``'s protocol was attested, from the day recorded as
    the meeting's ``notice_posted_on`` until its appeal period ends. Called when that day
    is recorded; a current notice of the protocol is brought up to date instead."""
    if not meeting.is_attested or meeting.notice_posted_on is None:
        raise ValidationError(
            _l("The protocol must be attested before it is posted on the notice board.")
        )
    appeal_ends = deadlines_of(meeting).appeal_ends
    notice = current_notice_of(session, meeting, NoticeKind.PROTOCOL)
    if notice is not None:
        before = {"posted_on": notice.posted_on, "take_down_on": notice.take_down_on}
        notice.posted_on, notice.take_down_on = meeting.notice_posted_on, appeal_ends
        notice.appeal_ends_on = appeal_ends
        session.flush()
        audit.record(
            session,
            "notice.redate",
            notice,
            actor=user,
            before=before,
            after={"posted_on": notice.posted_on, "take_down_on": notice.take_down_on},
        )
        return notice
    notice = Notice(
        kind=NoticeKind.PROTOCOL,
        organ_id=meeting.organ_id,
        organ_name=meeting.organ.name,
        title=f"Protokoll {meeting.organ.name} {meeting_date(meeting).isoformat()}",
        meeting_id=meeting.id,
        meeting_starts_at=meeting.starts_at,
        meeting_place=meeting.place,
        paragraphs=paragraph_range(meeting) or None,
        attested_on=meeting.attested_on,
        posted_on=meeting.notice_posted_on,
        take_down_on=appeal_ends,
        appeal_ends_on=appeal_ends,
        kept_at=protocol_kept_at(session),
        posted_by_id=getattr(user, "id", None),
    )
    _posted(session, notice, user)
    files.attach_protocol(session, store, notice, meeting)
    return notice


def post_protocol_by_hand(session: Session, meeting: Meeting, *, posted_on: date, user) -> Meeting:
    """The secretary posts an attested protocol's notice (when it was not posted at
    justering): the meeting's notice date is recorded, and the notice follows from it."""
    from caseflow.meetings.attestation import post_notice

    if meeting.notice_posted_on is not None:
        raise ValidationError(_l("The notice of this protocol has already been posted."))
    return post_notice(session, meeting, posted_on=posted_on, user=user)


# -- a delegated decision ------------------------------------------------------------------------


def post_delegated_notice(session: Session, decision, *, user) -> Notice:
    """Put up the notice of a decision taken under delegation, from the day recorded as its
    ``notice_posted_on`` until its appeal period ends. The case is named as the public may
    read it; the decision's document is not attached (it may hold what is secret)."""
    from caseflow.cases.models import Case
    from caseflow.common.projection import PUBLICATION, case_title
    from caseflow.meetings.deadlines import APPEAL_DAYS
    from caseflow.meetings.models import Organ

    case = session.get(Case, decision.case_id)
    organ = session.get(Organ, decision.delegation.organ_id)
    appeal_ends = deadline(decision.notice_posted_on, APPEAL_DAYS)
    notice = Notice(
        kind=NoticeKind.DELEGATED_DECISION,
        organ_id=organ.id,
        organ_name=organ.name,
        title=f"Delegationsbeslut {case.number}: {case_title(case, PUBLICATION)}"[:500],
        delegated_decision_id=decision.id,
        case_number=case.number,
        decided_on=decision.decided_on,
        decided_by=decision.decided_by_name[:200],
        delegation_code=decision.delegation.code,
        posted_on=decision.notice_posted_on,
        take_down_on=appeal_ends,
        appeal_ends_on=appeal_ends,
        kept_at=protocol_kept_at(session),
        posted_by_id=getattr(user, "id", None),
    )
    return _posted(session, notice, user)


# -- a coming meeting ----------------------------------------------------------------------------


def public_agenda(session: Session, meeting: Meeting) -> list[dict]:
    """The agenda as the public may read it: public titles, closed items masked."""
    return [
        {"number": e.number, "title": e.title, "case_number": e.case_number}
        for e in agenda_entries(session, meeting)
    ]


def announce_meeting(session: Session, store: FileStore, meeting: Meeting, *, user) -> Notice:
    """Post the kungörelse of a coming meeting with its public agenda, until the meeting's
    day. An earlier announcement of the same meeting is replaced (a revised kallelse)."""
    if meeting.is_attested or meeting.is_cancelled:
        raise ValidationError(_l("Only a coming meeting is announced."))
    held_on = meeting_date(meeting)
    if held_on < today():
        raise ValidationError(_l("The meeting has already been held."))
    earlier = current_notice_of(session, meeting, NoticeKind.ANNOUNCEMENT)
    if earlier is not None:
        take_down(session, earlier, reason="Ersatt av en reviderad kungörelse.", user=user)
    notice = Notice(
        kind=NoticeKind.ANNOUNCEMENT,
        organ_id=meeting.organ_id,
        organ_name=meeting.organ.name,
        title=f"Sammanträde {meeting.organ.name} {held_on.isoformat()}",
        meeting_id=meeting.id,
        meeting_starts_at=meeting.starts_at,
        meeting_place=meeting.place,
        posted_on=today(),
        take_down_on=held_on,
        agenda=json.dumps(public_agenda(session, meeting), ensure_ascii=False),
        posted_by_id=getattr(user, "id", None),
    )
    _posted(session, notice, user)
    files.attach_agenda(session, store, notice, meeting)
    return notice


# -- other notices -------------------------------------------------------------------------------


def post_other_notice(
    session: Session,
    store: FileStore,
    *,
    title: str,
    text: str | None,
    posted_on: date,
    take_down_on: date,
    attachment: tuple[str, bytes] | None = None,
    user,
) -> Notice:
    """A notice a manager writes: a title, a text, its days on the board, a PDF if any."""
    title = (title or "").strip()
    if not title:
        raise ValidationError(_l("Give the notice a title."))
    if posted_on < today():
        raise ValidationError(_l("A notice cannot be posted in the past."))
    if take_down_on < posted_on:
        raise ValidationError(_l("The last day on the board cannot be before the first."))
    notice = Notice(
        kind=NoticeKind.OTHER,
        title=title[:500],
        text=(text or "").strip() or None,
        posted_on=posted_on,
        take_down_on=take_down_on,
        posted_by_id=getattr(user, "id", None),
    )
    _posted(session, notice, user)
    if attachment is not None:
        files.attach_pdf(session, store, notice, *attachment)
    return notice


# -- taking down ---------------------------------------------------------------------------------


def take_down(session: Session, notice: Notice, *, reason: str | None, user) -> Notice:
    """Take a notice down before its last day; the reason is required and audited."""
    if notice.taken_down_at is not None:
        raise ValidationError(_l("The notice has already been taken down."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_l("Give the reason for taking the notice down early."))
    notice.taken_down_at = now()
    notice.taken_down_by_id = getattr(user, "id", None)
    notice.take_down_reason = reason
    session.flush()
    audit.record(session, "notice.take_down", notice, actor=user, after={"reason": reason})
    return notice


def take_down_expired(session: Session, on: date) -> int:
    """Record as taken down every notice whose last day was before ``on``."""
    expired = session.exec(
        select(Notice).where(Notice.taken_down_at.is_(None), Notice.take_down_on < on)
    ).all()
    for notice in expired:
        notice.taken_down_at = now()
        audit.record(session, "notice.expire", notice, after={"take_down_on": notice.take_down_on})
    session.flush()
    return len(expired)


# -- reading the board ---------------------------------------------------------------------------


def _is_current(on: date):
    return sa.and_(
        Notice.taken_down_at.is_(None), Notice.posted_on <= on, Notice.take_down_on >= on
    )


def is_current(notice: Notice, on: date) -> bool:
    return notice.taken_down_at is None and notice.posted_on <= on <= notice.take_down_on


def current_notices(session: Session, on: date) -> list[Notice]:
    """What the board shows on ``on``, the newest first."""
    return list(
        session.exec(
            select(Notice)
            .where(_is_current(on))
            .order_by(Notice.posted_on.desc(), Notice.id.desc())
        ).all()
    )


def past_notices(session: Session, on: date, *, limit: int = 200, offset: int = 0) -> list[Notice]:
    """The history: notices that were on the board and are no longer, the latest first."""
    return list(
        session.exec(
            select(Notice)
            .where(Notice.posted_on <= on, sa.not_(_is_current(on)))
            .order_by(Notice.posted_on.desc(), Notice.id.desc())
            .offset(offset)
            .limit(limit)
        ).all()
    )


def public_notice(session: Session, notice_id: int, on: date) -> Notice:
    """A notice the public may open: current or in the history, never one not yet posted."""
    notice = session.get(Notice, notice_id)
    if notice is None or notice.posted_on > on:
        raise NotFound(_l("No such notice."))
    return notice


def notices_for_staff(session: Session, *, limit: int = 100) -> list[Notice]:
    """Every notice, planned ones too, the latest first."""
    return list(
        session.exec(
            select(Notice).order_by(Notice.posted_on.desc(), Notice.id.desc()).limit(limit)
        ).all()
    )


def meetings_awaiting_notice(session: Session) -> list[Meeting]:
    """Attested protocols whose notice has not been posted: the secretary posts them."""
    from caseflow.meetings.models import MeetingStatus

    return list(
        session.exec(
            select(Meeting)
            .where(Meeting.status == MeetingStatus.ATTESTED, Meeting.notice_posted_on.is_(None))
            .order_by(Meeting.starts_at)
        ).all()
    )


def meetings_to_announce(session: Session, on: date) -> list[Meeting]:
    """Coming meetings without a current announcement."""
    from caseflow.meetings.models import MeetingStatus

    announced = select(Notice.meeting_id).where(
        Notice.kind == NoticeKind.ANNOUNCEMENT,
        Notice.taken_down_at.is_(None),
        Notice.meeting_id.is_not(None),
    )
    rows = session.exec(
        select(Meeting)
        .where(
            Meeting.status.in_((MeetingStatus.PLANNED, MeetingStatus.OPENED)),
            Meeting.id.not_in(announced),
        )
        .order_by(Meeting.starts_at)
    ).all()
    return [m for m in rows if meeting_date(m) >= on]
