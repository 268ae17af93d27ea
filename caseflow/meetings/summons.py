"""Kallelse: the notice of a meeting, sent to the members and substitutes with the papers.

The kallelse is e-mail and may be published, so everything in it comes through the
projection for e-mail: public case titles, masked document titles, and secret documents
only listed ("Sekretessmarkerad handling … – tillhandahålls av sekreteraren"), never
attached. Each sending is a ``MeetingSummons`` row with its version; a later sending is a
revised kallelse ("REVIDERAD KALLELSE") that replaces the earlier one.

This module makes the kallelse and tells of its sendings on the meeting's page; sending it
(``caseflow.meetings.summons_mail``) records a row (``pending``) and sends after the
caller's commit, recording ``sent`` or ``failed`` with a code.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import StrEnum

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from caseflow.cases.models import Case
from caseflow.common import projection
from caseflow.common.errors import ValidationError
from caseflow.common.projection import EMAIL
from caseflow.common.timeutil import LOCAL_TZ
from caseflow.documents.models import Document, DocumentFile
from caseflow.meetings.letterhead import add_heading, add_styled, docx_bytes, start_document
from caseflow.meetings.models import AgendaItem, Meeting, MeetingSummons, MemberRole, OrganMember
from caseflow.meetings.organs import organ_members
from caseflow.meetings.protocol import item_heading
from caseflow.meetings.state import meeting_date
from caseflow.memos.models import Memo
from caseflow.memos.services import config_value, get_memo

#: Who is summoned (ledamöter) and who gets the kallelse for their information (ersättare).
MEMBER_ROLES = (MemberRole.CHAIR, MemberRole.VICE_CHAIR, MemberRole.MEMBER)
SUMMONED_ROLES = (*MEMBER_ROLES, MemberRole.SUBSTITUTE)
_ROLE_WORDS = {MemberRole.CHAIR: "ordförande", MemberRole.VICE_CHAIR: "vice ordförande"}

CLOSED_ITEM = "Ärende som behandlas inom stängda dörrar"


class SummonsStatus(StrEnum):
    PENDING = "pending"  #: recorded; handed to the mail server after the commit
    SENT = "sent"  #: the mail server accepted the message
    FAILED = "failed"  #: it did not; ``error_code`` says why
    OUTBOX = "outbox"  #: no mail server configured: written to the outbox folder instead


#: Sendings that may have reached someone: a later one is a revised kallelse.
_DELIVERED = (SummonsStatus.PENDING, SummonsStatus.SENT)


@dataclass
class Paper:
    """A handling listed under an agenda item, with the files that may travel by e-mail."""

    label: str
    files: list[DocumentFile] = field(default_factory=list)
    is_secret: bool = False


@dataclass
class AgendaEntry:
    number: int
    title: str
    case_number: str | None = None
    is_closed: bool = False
    #: The heading is the neutral phrase for a closed item (it needs no mark of its own).
    is_masked: bool = False
    papers: list[Paper] = field(default_factory=list)


# -- what the kallelse contains -------------------------------------------------------------


def summoned_members(session: Session, meeting: Meeting) -> list[OrganMember]:
    """The members and substitutes serving on the meeting's day, in role order."""
    members = organ_members(session, meeting.organ, on=meeting_date(meeting))
    return [m for m in members if m.role in SUMMONED_ROLES]


def _current_files(doc: Document) -> list[DocumentFile]:
    """The files of a document without those a newer version replaced."""
    replaced = {f.replaces_id for f in doc.files if f.replaces_id}
    return [f for f in doc.files if f.id not in replaced]


def _paper(doc: Document, case: Case, files: list[DocumentFile]) -> Paper:
    number = projection.document_number(doc, case)
    if not projection.may_open_files(doc, EMAIL):
        provision = f" ({doc.secrecy_provision})" if doc.secrecy_provision else ""
        label = f"Sekretessmarkerad handling{provision} – tillhandahålls av sekreteraren"
        return Paper(f"{label} ({number})" if number else label, is_secret=True)
    title = projection.document_title(doc, EMAIL)
    return Paper(f"{title} ({number})" if number else title, files=files)


def _memo_paper(session: Session, case: Case, memo: Memo) -> Paper | None:
    doc = session.get(Document, memo.document_id) if memo.document_id else None
    if doc is None or doc.is_voided:
        return None
    # The version that went to review and was approved is what the body decides on.
    submitted = (
        session.get(DocumentFile, memo.submitted_file_id) if memo.submitted_file_id else None
    )
    files = [submitted] if submitted else _current_files(doc)[-1:]
    return _paper(doc, case, files)


def case_papers(session: Session, case: Case) -> list[Paper]:
    """The memo and the supporting documents (beslutsunderlag) of a case on the agenda."""
    memo = get_memo(session, case)
    if memo is None:
        return []
    papers = [p for p in [_memo_paper(session, case, memo)] if p is not None]
    for link in memo.supports:
        doc = session.get(Document, link.document_id)
        if doc is not None and not doc.is_voided:
            papers.append(_paper(doc, case, _current_files(doc)))
    return papers


def _entry(session: Session, item: AgendaItem) -> AgendaEntry:
    # The heading the agenda and the protocol publish (public title, closed doors masked).
    title, number = item_heading(session, item)
    case = session.get(Case, item.case_id) if item.has_case else None
    return AgendaEntry(
        item.position,
        title,
        case_number=number,
        is_closed=item.is_closed,
        is_masked=item.is_closed and title == projection.closed_item_mask(),
        papers=case_papers(session, case) if case is not None else [],
    )


def agenda_entries(session: Session, meeting: Meeting) -> list[AgendaEntry]:
    """The agenda by agenda number, as the kallelse shows it, in the organisation's
    language (masks of secret titles included) whoever sends it."""
    with force_locale(config_value("BABEL_DEFAULT_LOCALE", "sv")):
        return [_entry(session, item) for item in meeting.items]


def _sendings(session: Session, meeting: Meeting) -> list[MeetingSummons]:
    return list(
        session.exec(
            select(MeetingSummons)
            .where(MeetingSummons.meeting_id == meeting.id)
            .order_by(MeetingSummons.id)
        ).all()
    )


def next_version(session: Session, meeting: Meeting) -> int:
    """1 for the first kallelse; a failed sending reached nobody and is not counted."""
    delivered = [s.version for s in _sendings(session, meeting) if s.status in _DELIVERED]
    return max(delivered, default=0) + 1


def _member_line(member: OrganMember) -> str:
    role = _ROLE_WORDS.get(member.role)
    affiliation = f" ({member.affiliation.strip('()')})" if member.affiliation else ""
    return f"{member.name}{affiliation}" + (f", {role}" if role else "")


def summons_docx(session: Session, meeting: Meeting, *, version: int | None = None) -> bytes:
    """The kallelse as .docx, for the next sending unless ``version`` is given."""
    version = version or next_version(session, meeting)
    doc = start_document(session, "REVIDERAD KALLELSE" if version > 1 else "KALLELSE", meeting)
    if version > 1:
        earlier = [
            s for s in _sendings(session, meeting) if s.status in _DELIVERED and s.version < version
        ]
        sent_on = f" av {earlier[-1].created_at.astimezone(LOCAL_TZ):%Y-%m-%d}" if earlier else ""
        doc.add_paragraph(
            f"Denna reviderade kallelse (version {version}) ersätter tidigare utskickad "
            f"kallelse{sent_on}."
        )
    doc.add_paragraph(
        "Ledamöter kallas till sammanträde. Ersättare för kännedom. "
        f"Förhinder anmäls till sekreteraren, {meeting.secretary}."
    )
    members = summoned_members(session, meeting)
    for heading, roles in (("Ledamöter", MEMBER_ROLES), ("Ersättare", (MemberRole.SUBSTITUTE,))):
        names = [_member_line(m) for m in members if m.role in roles]
        if names:
            add_heading(doc, heading, 2)
            for name in names:
                add_styled(doc, name, "List Bullet")
    add_heading(doc, "Föredragningslista", 2)
    for entry in agenda_entries(session, meeting):
        number = f" (Dnr {entry.case_number})" if entry.case_number else ""
        doc.add_paragraph(f"{entry.number}. {entry.title}{number}")
        if entry.is_closed and not entry.is_masked:
            doc.add_paragraph(CLOSED_ITEM + ".")
        if entry.papers:
            doc.add_paragraph("Handlingar:")
            for paper in entry.papers:
                add_styled(doc, paper.label, "List Bullet")
    return docx_bytes(doc)


# -- who is sent to ------------------------------------------------------------------------------


def check_sendable(session: Session, meeting: Meeting) -> list[OrganMember]:
    """The members to send to; a broken rule raises with what to do about it."""
    if meeting.is_attested:
        raise ValidationError(
            _l("The protocol is attested: a kallelse is sent before the meeting, not after.")
        )
    if not meeting.items:
        raise ValidationError(_l("The agenda is empty: put the items on it before the kallelse."))
    members = summoned_members(session, meeting)
    if not any(m.email for m in members):
        raise ValidationError(
            _l(
                "No member or substitute of %(organ)s serving on the meeting's day has an "
                "e-mail address: add the addresses under the decision body, or send the "
                "kallelse another way.",
                organ=meeting.organ.name,
            )
        )
    return members


def split_recipients(members: list[OrganMember]) -> tuple[list[dict], list[dict]]:
    """The members with an address (each address once), and those without one."""
    reachable, unreachable, seen = [], [], set()
    for member in members:
        if not member.email:
            unreachable.append({"name": member.name, "role": member.role, "reason": "no_address"})
        elif member.email.casefold() not in seen:
            seen.add(member.email.casefold())
            reachable.append({"name": member.name, "email": member.email, "role": member.role})
    return reachable, unreachable


def subject(meeting: Meeting, version: int) -> str:
    local = meeting.starts_at.astimezone(LOCAL_TZ)
    word = "Reviderad kallelse" if version > 1 else "Kallelse"
    return f"{word}: {meeting.organ.name} {local:%Y-%m-%d kl. %H.%M}"


# -- the meeting page ---------------------------------------------------------------------

#: What a secretary reads about a sending, by its status.
STATUS_WORDS = {
    SummonsStatus.PENDING: _l("being handed to the mail server"),
    SummonsStatus.SENT: _l("sent: the mail server accepted it"),
    SummonsStatus.FAILED: _l("not sent"),
    SummonsStatus.OUTBOX: _l(
        "written to the outbox folder, not sent: no mail server is configured"
    ),
}

#: What went wrong and what to do, by the failure code a sending records.
FAILURES = {
    "unreachable": _l(
        "The mail server could not be reached or did not take the message, so nobody has "
        "received this kallelse. Ask the administrator whether the mail server is working, "
        "then send the kallelse again."
    ),
    "timeout": _l(
        "The mail server did not answer in time, so nobody has received this kallelse. "
        "Send it again in a while; if it happens again, tell the administrator."
    ),
    "refused": _l(
        "The mail server refused every address. Check the members' e-mail addresses under "
        "the decision body, then send the kallelse again."
    ),
    "login": _l(
        "The mail server did not accept caseflow's login. Ask the administrator to check "
        "the mail settings, then send the kallelse again."
    ),
    "too_large": _l(
        "The mail server refused the message as too large. Ask the administrator to lower "
        "the limit for the papers attached to a kallelse, then send it again."
    ),
    "outbox": _l(
        "No mail server is configured and the message could not be written to the outbox "
        "folder. Ask the administrator to check that caseflow may write there."
    ),
    "unknown": _l(
        "The kallelse could not be sent. Send it again; if it fails again, tell the "
        "administrator (the cause is in caseflow's log)."
    ),
}

_UNREACHABLE_WORDS = {
    "no_address": _l("no e-mail address"),
    "refused": _l("the mail server refused the address"),
}


def describe_failure(summons: MeetingSummons) -> str | None:
    if summons.status != SummonsStatus.FAILED:
        return None
    return str(FAILURES.get(summons.error_code or "unknown", FAILURES["unknown"]))


def _sending_view(summons: MeetingSummons) -> dict:
    unreachable = json.loads(summons.unreachable or "[]")
    return {
        "id": summons.id,
        "version": summons.version,
        "created_at": summons.created_at,
        "sent_at": summons.sent_at,
        "status": summons.status,
        "status_words": str(STATUS_WORDS.get(summons.status, summons.status)),
        "problem": describe_failure(summons),
        "recipient_count": len(json.loads(summons.recipients or "[]")),
        "unreachable": [
            f"{u['name']} ({_UNREACHABLE_WORDS.get(u.get('reason'), u.get('reason'))})"
            for u in unreachable
        ],
    }


def page_context(session: Session, meeting: Meeting) -> dict:
    """What the meeting page's summons sections need."""
    try:
        members = check_sendable(session, meeting)
        refusal = None
    except ValidationError as exc:
        members, refusal = summoned_members(session, meeting), str(exc)
    _reachable, unreachable = split_recipients(members)
    version = next_version(session, meeting)
    return {
        "summons": {
            "sendings": [_sending_view(s) for s in reversed(_sendings(session, meeting))],
            "can_send": refusal is None,
            "refusal": refusal,
            "is_update": version > 1,
            "without_address": [u["name"] for u in unreachable],
        }
    }
