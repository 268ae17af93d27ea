"""A meeting as plain data for the ``caseflow meeting`` commands: what it was, who came,
and what happened under each §.

The data is an export: titles are given as the public may read them (the projection's
audience for publication), whoever runs the command; a § behind closed doors shows its
public heading.
"""

from __future__ import annotations

from sqlmodel import Session, func, select

from caseflow.cases.models import Case
from caseflow.common.projection import PUBLICATION, agenda_item_title
from caseflow.common.timeutil import local
from caseflow.meetings.legal_force import item_legal_force, legal_force_record
from caseflow.meetings.models import (
    AgendaItem,
    Meeting,
    MeetingAttendee,
    Motion,
    StatementKind,
)
from caseflow.meetings.organs import organ_by_name
from caseflow.meetings.state import decision_points


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def meetings_of(session: Session, organ_name: str | None = None) -> list[Meeting]:
    """Every meeting, the latest first; with ``organ_name``, that body's only (an unknown
    body is an error, not an empty list)."""
    query = select(Meeting).order_by(Meeting.starts_at.desc(), Meeting.id.desc())
    if organ_name is not None:
        query = query.where(Meeting.organ_id == organ_by_name(session, organ_name).id)
    return list(session.exec(query).all())


def meeting_summary(session: Session, meeting: Meeting) -> dict:
    """One row of the list: id, body, start (ISO, local time), place, status, items."""
    items = session.exec(
        select(func.count()).select_from(AgendaItem).where(AgendaItem.meeting_id == meeting.id)
    ).one()
    return {
        "id": meeting.id,
        "organ": meeting.organ.name,
        "starts_at": _iso(local(meeting.starts_at)),
        "place": meeting.place,
        "status": meeting.status,
        "items": items,
    }


def _attendance(attendees: list[MeetingAttendee]) -> list[dict]:
    names = {a.id: a.name for a in attendees}
    return [
        {
            "name": a.name,
            "role": a.role,
            "present": a.is_present,
            "serving_for": names.get(a.serving_for_id),
            "affiliation": a.affiliation,
            "note": a.note,
        }
        for a in attendees
    ]


def _motion_label(motion: Motion | None) -> str | None:
    if motion is None:
        return None
    return motion.mover or motion.text


def _item_record(session: Session, item: AgendaItem, names: dict[int, str]) -> dict:
    case = session.get(Case, item.case_id) if item.case_id else None
    motions = {m.id: m for m in item.motions}
    statements = [{"name": s.name, "text": s.text, "kind": s.kind} for s in item.statements]
    return {
        "number": item.position,
        "paragraph": item.paragraph,
        "kind": item.kind,
        "case": case.number if case else None,
        "title": agenda_item_title(item, case, PUBLICATION),
        "decision": (
            {"kind": item.decision_kind, "points": decision_points(item)}
            if item.decision_kind
            else None
        ),
        "decided_by": item.decided_by,
        # When the decision gains legal force: state, day, the appeal periods, the appeals.
        "legal_force": legal_force_record(item_legal_force(session, item)),
        "motions": [{"mover": m.mover, "text": m.text} for m in item.motions],
        # Each serving member's ballot, round by round (one round in most §§) …
        "votes": [
            {"round": v.round, "member": names.get(b.attendee_id), "vote": b.choice}
            for v in item.votes
            for b in v.ballots
        ],
        # … and what each round was between and how it ended.
        "vote_rounds": [
            {
                "round": v.round,
                "yes_motion": _motion_label(motions.get(v.yes_motion_id)),
                "no_motion": _motion_label(motions.get(v.no_motion_id)),
                "yes": v.yes_count,
                "no": v.no_count,
                "abstain": v.abstain_count,
                "result": v.result,
                "is_election": v.is_election,
                "casting_vote": v.casting_vote,
                "lot": v.lot,
            }
            for v in item.votes
        ],
        "reservations": [
            {"name": s["name"], "text": s["text"]}
            for s in statements
            if s["kind"] == StatementKind.RESERVATION
        ],
        "notes": [
            {"name": s["name"], "text": s["text"]}
            for s in statements
            if s["kind"] == StatementKind.NOTE
        ],
    }


def meeting_record(session: Session, meeting: Meeting) -> dict:
    """The whole meeting: its facts, the attendance and every item with what happened."""
    names = {a.id: a.name for a in meeting.attendees}
    return {
        "id": meeting.id,
        "organ": meeting.organ.name,
        "starts_at": _iso(local(meeting.starts_at)),
        "ended_at": _iso(local(meeting.ended_at)),
        "place": meeting.place,
        "status": meeting.status,
        "chair": meeting.chair,
        "secretary": meeting.secretary,
        "attesters": _lines(meeting.attesters),
        "attested_on": _iso(meeting.attested_on),
        "notice_posted_on": _iso(meeting.notice_posted_on),
        "attendance": _attendance(meeting.attendees),
        "items": [_item_record(session, item, names) for item in meeting.items],
    }
