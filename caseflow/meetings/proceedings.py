"""The proceedings of a meeting: who was there, and what was moved, voted and said per §.

The services live in :mod:`caseflow.meetings.attendance` (the list, presence per §, who
holds a vote) and :mod:`caseflow.meetings.voting` (motions, votes, reservations and
notes); this module gathers them for callers, and reads the proceedings back for the
meeting page, the protocol and the CLI.
"""

from __future__ import annotations

from sqlmodel import Session

from caseflow.meetings.attendance import (
    add_attendee,
    call_roll,
    clear_item_presence,
    display_name,
    remove_attendee,
    serving_members,
    set_item_presence,
    set_presence,
)
from caseflow.meetings.models import (
    VOTING_ROLES,
    AgendaItem,
    AttendeeRole,
    Meeting,
    StatementKind,
)
from caseflow.meetings.statements import add_statement, remove_statement
from caseflow.meetings.voting import (
    add_motion,
    add_proposal_motion,
    meeting_chair,
    motion_label,
    open_motions,
    record_acclamation,
    record_vote,
    remove_last_vote,
    remove_motion,
    update_motion,
    winning_motion,
)

__all__ = [
    "add_attendee",
    "add_motion",
    "add_proposal_motion",
    "add_statement",
    "attendance_rows",
    "call_roll",
    "clear_item_presence",
    "item_record",
    "meeting_chair",
    "open_motions",
    "page_context",
    "record_acclamation",
    "record_vote",
    "remove_attendee",
    "remove_last_vote",
    "remove_motion",
    "remove_statement",
    "serving_members",
    "set_item_presence",
    "set_presence",
    "update_motion",
    "winning_motion",
]


def attendance_rows(meeting: Meeting) -> list[dict]:
    """The meeting's list in the protocol's order, one dict per person."""
    names = {a.id: a.name for a in meeting.attendees}
    return [
        {
            "name": a.name,
            "role": a.role,
            "affiliation": a.affiliation,
            "present": a.is_present,
            "serving_for": names.get(a.serving_for_id),
            "note": a.note,
        }
        for a in meeting.attendees
    ]


def item_record(session: Session, item: AgendaItem) -> dict:
    """What the protocol says under a § beside the decision: motions, votes, statements
    and changes of attendance. A vote's "yes" and "no" name the motions' movers (None
    for the proposal), "yes_text" and "no_text" give their text."""
    names = {a.id: a.name for a in item.meeting.attendees}
    motions = {m.id: m for m in item.motions}

    def mover(motion_id: int) -> str | None:
        return motions[motion_id].mover

    return {
        "motions": [{"mover": m.mover, "text": m.text} for m in item.motions],
        "votes": [
            {
                "round": v.round,
                "yes": mover(v.yes_motion_id),
                "no": mover(v.no_motion_id),
                "yes_text": motions[v.yes_motion_id].text,
                "no_text": motions[v.no_motion_id].text,
                "result": v.result,
                "yes_count": v.yes_count,
                "no_count": v.no_count,
                "abstain_count": v.abstain_count,
                "is_election": v.is_election,
                "casting_vote": v.casting_vote,
                "lot": v.lot,
                "ballots": [{"member": names[b.attendee_id], "vote": b.choice} for b in v.ballots],
            }
            for v in item.votes
        ],
        "reservations": [
            {"name": s.name, "text": s.text}
            for s in item.statements
            if s.kind == StatementKind.RESERVATION
        ],
        "notes": [
            {"name": s.name, "text": s.text}
            for s in item.statements
            if s.kind == StatementKind.NOTE
        ],
        "presence": [
            {
                "name": names[p.attendee_id],
                "status": p.status,
                "serving_for": names.get(p.serving_for_id),
            }
            for p in item.presence
        ],
        "decided_by": item.decided_by,
    }


def page_context(session: Session, meeting: Meeting) -> dict:
    """What the meeting page's attendance section and each §'s proceedings need."""
    from caseflow.meetings import proceedings_forms as forms

    attendees = list(meeting.attendees)
    numbered = [item for item in meeting.items if item.paragraph]
    seats = [a for a in attendees if a.role in VOTING_ROLES]
    return {
        "attendees": attendees,
        "attendee_by_id": {a.id: a for a in attendees},
        "attendee_names": {a.id: display_name(a) for a in attendees},
        "attendee_role_labels": forms.ATTENDEE_ROLE_LABELS,
        "presence_labels": forms.PRESENCE_LABELS,
        "ballot_labels": forms.BALLOT_LABELS,
        "absent_seats": [a for a in seats if not a.is_present],
        "substitutes": [a for a in attendees if a.role == AttendeeRole.SUBSTITUTE],
        "attendee_form": forms.AttendeeForm(),
        "serving": {item.id: serving_members(session, item) for item in numbered},
        "open_motions": {item.id: open_motions(item) for item in numbered},
        "motion_by_id": {m.id: m for item in numbered for m in item.motions},
        "motion_label": motion_label,
        "winners": {item.id: winning_motion(item) for item in numbered},
        "chair_attendee": {item.id: meeting_chair(item) for item in numbered},
        "seats": seats,
    }
