"""Telling the chair and the attesters that a protocol awaits their attestation.

One message each, after the commit that sent the protocol for justering, through the one
mailer, in a session of its own. What became of each is kept on the attester's row and
shown to the secretary in words; a failure never undoes the sending.
"""

from __future__ import annotations

import logging
from email.message import EmailMessage
from email.utils import formatdate

from flask_babel import lazy_gettext as _l
from sqlmodel import Session

from caseflow.common import audit
from caseflow.common.mailer import MailNotSent, default_sender, new_message_id, render_body, send
from caseflow.db import after_commit, get_engine, new_session
from caseflow.meetings.attestation import deadlines_of
from caseflow.meetings.justering_models import MeetingSignature, NoticeStatus
from caseflow.meetings.models import Meeting, OrganMember
from caseflow.meetings.signatures import signatures_of
from caseflow.meetings.state import meeting_date
from caseflow.organisation.services import profile_snapshot

log = logging.getLogger("caseflow.meetings")

#: A failed notice in words for the secretary, by the mailer's code.
NOTICE_PROBLEMS = {
    "unreachable": _l("the mail server could not be reached or did not take the message"),
    "refused": _l("the mail server refused the address"),
    "login": _l("the mail server did not accept caseflow's login"),
    "outbox": _l("the message could not be written to the outbox folder"),
}


def notice_problem(signature: MeetingSignature) -> str | None:
    """Why the attester was not told by e-mail, in words; None when they were (or will be)."""
    if signature.notice_status == NoticeStatus.NO_ADDRESS:
        return str(_l("The register has no e-mail address: tell them another way."))
    if signature.notice_status == NoticeStatus.FAILED:
        reason = NOTICE_PROBLEMS.get(signature.notice_error or "", _l("an unknown error"))
        return str(
            _l("The e-mail could not be sent (%(reason)s): tell them another way.", reason=reason)
        )
    return None


def notify_after_commit(session: Session, meeting_id: int, link: str) -> None:
    """Tell those asked to attest once ``session``'s transaction has committed."""
    after_commit(lambda: notify(meeting_id, link), session=session)


def _message(session: Session, meeting: Meeting, signature: MeetingSignature, link: str):
    member = session.get(OrganMember, signature.member_id)
    message = EmailMessage()
    message["From"] = default_sender()
    message["To"] = member.email
    message["Subject"] = (
        f"Protokoll för justering: {meeting.organ.name} {meeting_date(meeting).isoformat()}"
    )
    message["Message-ID"] = new_message_id()
    message["Date"] = formatdate(localtime=True)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(
        render_body(
            "justering.txt",
            name=signature.name,
            organ=meeting.organ.name,
            day=meeting_date(meeting).isoformat(),
            is_chair=signature.is_chair,
            link=link,
            due=deadlines_of(meeting).attestation_due.isoformat(),
            secretary=meeting.secretary,
            organisation=profile_snapshot(session),
        )
    )
    return message


def notify(meeting_id: int, link: str) -> dict[str, str]:
    """Send each pending notice of ``meeting_id`` and record what became of it; returns
    the status by name. Needs an application context."""
    session = new_session(get_engine(), write=True)
    outcome = {}
    try:
        meeting = session.get(Meeting, meeting_id)
        for signature in signatures_of(session, meeting):
            if signature.notice_status != NoticeStatus.PENDING:
                outcome[signature.name] = signature.notice_status
                continue
            try:
                message = _message(session, meeting, signature, link)
                sent = send(message)
            except MailNotSent as exc:
                _record(session, meeting, signature, NoticeStatus.FAILED, exc.code)
                log.warning("justering notice to %s not sent: %s", signature.name, exc.detail)
            else:
                if sent.refused:
                    _record(session, meeting, signature, NoticeStatus.FAILED, "refused")
                else:
                    status = NoticeStatus.SENT if sent.via == "smtp" else NoticeStatus.OUTBOX
                    _record(session, meeting, signature, status, None)
            outcome[signature.name] = signature.notice_status
            session.commit()
        return outcome
    finally:
        session.close()


def _record(session, meeting, signature: MeetingSignature, status: str, code: str | None):
    signature.notice_status, signature.notice_error = status, code
    session.flush()
    after = {"name": signature.name, "status": status}
    if code:
        after["error"] = code
    audit.record(session, "meeting.justering_notice", meeting, after=after)
