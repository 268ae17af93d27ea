"""The digital attestations of a protocol as the meeting's own services see them: read,
and withdrawn when the protocol changes after someone attested it.

Kept apart from :mod:`caseflow.meetings.justering` (which builds on the meeting services)
so that those services can withdraw attestations without importing it.
"""

from __future__ import annotations

from sqlmodel import Session, select

from caseflow.common import audit
from caseflow.common.timeutil import now
from caseflow.meetings.justering_models import MeetingSignature
from caseflow.meetings.models import Meeting


def signatures_of(session: Session, meeting: Meeting) -> list[MeetingSignature]:
    """Those asked to attest ``meeting`` digitally, the chair first; empty on the paper route."""
    return list(
        session.exec(
            select(MeetingSignature)
            .where(MeetingSignature.meeting_id == meeting.id)
            .order_by(MeetingSignature.position, MeetingSignature.id)
        ).all()
    )


def withdraw_signatures(session: Session, meeting: Meeting, *, user=None) -> list[str]:
    """A change of the protocol after someone attested it: they attested another text, so
    their attestations are withdrawn (audited) and they are asked to attest again. Returns
    the names whose attestation was withdrawn."""
    if meeting.sent_for_justering_at is None:
        return []
    signed = [s for s in signatures_of(session, meeting) if s.signed_at is not None]
    if not signed:
        return []
    at = now()
    for signature in signed:
        signature.signed_at = None
        signature.signed_by_id = None
        signature.withdrawn_at = at
    session.flush()
    names = [s.name for s in signed]
    audit.record(
        session, "meeting.attest_withdrawn", meeting, actor=user, before={"attested_by": names}
    )
    return names


def close_digital_justering(session: Session, meeting: Meeting, *, user=None) -> list[str]:
    """Justering is recorded (on paper, or by the last digital attestation): whoever was
    still awaited is no longer asked (audited when anyone was). Returns their names."""
    if meeting.sent_for_justering_at is None:
        return []
    awaited = [s.name for s in signatures_of(session, meeting) if s.signed_at is None]
    if awaited:
        audit.record(
            session, "meeting.justering_closed", meeting, actor=user, after={"awaited": awaited}
        )
    return awaited
