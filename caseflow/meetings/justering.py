"""Digital justering: the secretary sends the protocol to its chair and chosen attesters;
each attests while logged in (their own audited action); the last attestation attests
the protocol through the same :func:`caseflow.meetings.attestation.attest` the paper route
uses, in the same transaction.

The attesters are those elected under "val av justerare" and written on the meeting;
each is resolved to the body's register (through the list of those present once the roll
was called) and must have an account there. A change of the protocol after someone
attested withdraws the attestations given (:mod:`caseflow.meetings.signatures`); paper
justering closes a digital one in progress.
"""

from __future__ import annotations

from flask import current_app, has_request_context, url_for
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from caseflow.common import audit
from caseflow.common.errors import ValidationError
from caseflow.common.permissions import may_sign_protocol
from caseflow.common.timeutil import now, today
from caseflow.meetings import access, attestation, organs, state
from caseflow.meetings.justering_mail import notify_after_commit
from caseflow.meetings.justering_models import MeetingSignature, NoticeStatus
from caseflow.meetings.models import Meeting, MeetingStatus, MemberRole, OrganMember
from caseflow.meetings.signatures import signatures_of


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").split("\n") if line.strip()]


def _register_member(session: Session, meeting: Meeting, name: str) -> OrganMember | None:
    """The person of that name in the body's register on the meeting's day: through the
    list of those present once the roll was called (they must have been there)."""
    if meeting.attendees:
        attendee = next((a for a in meeting.attendees if a.name == name), None)
        if attendee is None or not attendee.is_present:
            raise ValidationError(
                _l(
                    "%(name)s is not among those present at the meeting: the attesters are "
                    "chosen among those present.",
                    name=name,
                )
            )
        return session.get(OrganMember, attendee.member_id) if attendee.member_id else None
    serving = organs.organ_members(session, meeting.organ, on=state.meeting_date(meeting))
    return next((m for m in serving if m.name == name and m.role != MemberRole.SECRETARY), None)


def resolve_signers(session: Session, meeting: Meeting) -> list[tuple[OrganMember, bool]]:
    """The chair and the chosen attesters as members of the register with an account,
    each with whether they are the chair; refused, naming who, when one cannot attest
    digitally."""
    wanted = [(meeting.chair, True)] + [(name, False) for name in _lines(meeting.attesters)]
    if len(wanted) < 2:
        raise ValidationError(
            _l("Choose the attesters first: the chair attests the protocol with them.")
        )
    signers = []
    for name, is_chair in wanted:
        member = _register_member(session, meeting, name)
        if member is None:
            raise ValidationError(
                _l(
                    "%(name)s is not in the register of %(organ)s: attesting in caseflow needs "
                    "the register's member with an account.",
                    name=name,
                    organ=meeting.organ.name,
                )
            )
        if member.user_id is None:
            raise ValidationError(
                _l(
                    "%(name)s has no account in caseflow: create one from the register of "
                    "members, or record the justering on paper.",
                    name=name,
                )
            )
        signers.append((member, is_chair))
    return signers


def meeting_link(meeting: Meeting) -> str:
    """The meeting's page as an attester reaches it from the e-mail."""
    if has_request_context():
        return url_for("meetings.show", meeting_id=meeting.id, _external=True)
    base = (current_app.config.get("BASE_URL") or "").rstrip("/")
    return f"{base}/meetings/{meeting.id}"


def send_for_justering(session: Session, meeting: Meeting, *, user) -> list[MeetingSignature]:
    """The secretary sends the finished protocol to the chair and the attesters, who are
    told by e-mail after the commit. Corrections remain possible, but withdraw the
    attestations given so far."""
    attestation.check_attestable(meeting)
    if meeting.sent_for_justering_at is not None:
        raise ValidationError(_l("The protocol has already been sent for justering."))
    signers = resolve_signers(session, meeting)
    meeting.sent_for_justering_at = now()
    rows = [
        MeetingSignature(
            meeting_id=meeting.id,
            member_id=member.id,
            name=member.name,
            is_chair=is_chair,
            position=position,
            notice_status=NoticeStatus.PENDING if member.email else NoticeStatus.NO_ADDRESS,
        )
        for position, (member, is_chair) in enumerate(signers)
    ]
    session.add_all(rows)
    session.flush()
    audit.record(
        session,
        "meeting.justering_sent",
        meeting,
        actor=user,
        after={"asked": [row.name for row in rows]},
    )
    notify_after_commit(session, meeting.id, meeting_link(meeting))
    return rows


def own_signature(session: Session, meeting: Meeting, user) -> MeetingSignature | None:
    """``user``'s place among those asked to attest ``meeting``, if they have one."""
    if user is None or getattr(user, "id", None) is None:
        return None
    return session.exec(
        select(MeetingSignature)
        .join(OrganMember, OrganMember.id == MeetingSignature.member_id)
        .where(MeetingSignature.meeting_id == meeting.id, OrganMember.user_id == user.id)
    ).first()


def signer_user_ids(session: Session, meeting: Meeting) -> set[int]:
    """The accounts of those asked to attest ``meeting``."""
    rows = session.exec(
        select(OrganMember.user_id)
        .join(MeetingSignature, MeetingSignature.member_id == OrganMember.id)
        .where(MeetingSignature.meeting_id == meeting.id, OrganMember.user_id.is_not(None))
    ).all()
    return set(rows)


def sign_protocol(session: Session, meeting: Meeting, *, user) -> MeetingSignature:
    """``user`` attests the protocol as its chair or a chosen attester. The last one to
    attest attests the protocol: dated that day, in the names of all who attested."""
    if meeting.is_cancelled:
        raise ValidationError(_l("The meeting is cancelled."))
    if meeting.is_attested:
        raise ValidationError(_l("The protocol is already attested."))
    if meeting.sent_for_justering_at is None:
        raise ValidationError(
            _l("The protocol has not been sent for justering yet: the secretary sends it.")
        )
    signature = own_signature(session, meeting, user)
    if signature is None:
        raise ValidationError(_l("You are not among those chosen to attest this protocol."))
    if signature.signed_at is not None:
        raise ValidationError(_l("You have already attested this protocol."))
    signature.signed_at = now()
    signature.signed_by_id = user.id
    session.flush()
    audit.record(
        session,
        "meeting.attest_signature",
        meeting,
        actor=user,
        after={"name": signature.name, "as": "chair" if signature.is_chair else "attester"},
    )
    signatures = signatures_of(session, meeting)
    if all(s.signed_at is not None for s in signatures):
        attestation.attest(
            session,
            meeting,
            attested_on=today(),
            attested_by="\n".join(s.name for s in signatures),
            user=user,
        )
    return signature


def awaiting(session: Session, user) -> list[tuple[Meeting, MeetingSignature]]:
    """The protocols waiting for ``user``'s attestation, the oldest meeting first."""
    rows = session.exec(
        select(Meeting, MeetingSignature)
        .join(MeetingSignature, MeetingSignature.meeting_id == Meeting.id)
        .join(OrganMember, OrganMember.id == MeetingSignature.member_id)
        .where(
            OrganMember.user_id == user.id,
            MeetingSignature.signed_at.is_(None),
            Meeting.status == MeetingStatus.OPENED,
            Meeting.sent_for_justering_at.is_not(None),
        )
        .order_by(Meeting.starts_at, Meeting.id)
    ).all()
    return list(rows)


def member_home(session: Session, user) -> dict:
    """An elected member's home page: what awaits their attestation, and their meetings."""
    return {
        "awaiting": awaiting(session, user),
        "meetings": access.visible_meetings(session, user),
    }


def page_context(session: Session, meeting: Meeting, user) -> dict:
    """What the meeting page shows of digital justering, and what ``user`` may do."""
    signatures = signatures_of(session, meeting)
    mine = own_signature(session, meeting, user)
    may_sign = (
        mine is not None
        and mine.signed_at is None
        and meeting.status == MeetingStatus.OPENED
        and meeting.sent_for_justering_at is not None
        and may_sign_protocol(user, signer_user_ids(session, meeting))
    )
    return {
        "signatures": signatures,
        "own_signature": mine,
        "may_sign": may_sign,
        "justering_problem": _sending_problem(session, meeting),
    }


def _sending_problem(session: Session, meeting: Meeting) -> str | None:
    """Why the protocol cannot be sent for digital justering, in words (None: it can)."""
    if meeting.status != MeetingStatus.OPENED or meeting.sent_for_justering_at is not None:
        return None
    try:
        resolve_signers(session, meeting)
    except ValidationError as exc:
        return str(exc)
    return None
