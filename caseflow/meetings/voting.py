"""What is moved and decided under a §: motions (yrkanden) and votes (reservations and
notes: :mod:`caseflow.meetings.statements`).

A decision without a vote is by acclamation: the chair finds one motion adopted. The
schema keeps no column for that motion, so :func:`record_acclamation` puts it first among
the §'s motions; :func:`winning_motion` then reads it back (a vote's winner comes first).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlmodel import Session

from caseflow.cases.models import Case
from caseflow.common.errors import ValidationError
from caseflow.meetings import decisions
from caseflow.meetings.attendance import (
    _record,
    display_name,
    require_open,
    serving_members,
)
from caseflow.meetings.models import (
    AgendaItem,
    AttendeeRole,
    Ballot,
    DecidedBy,
    MeetingAttendee,
    Motion,
    Vote,
    VoteBallot,
)


def speaker_name(
    attendee: MeetingAttendee | None, mover: str | None, meeting_id: int
) -> str | None:
    """Who moved or said something: an attendee of this meeting, or a name as typed."""
    if attendee is not None:
        if attendee.meeting_id != meeting_id:
            raise ValidationError(_l("%(name)s is not on this meeting's list.", name=attendee.name))
        return display_name(attendee)
    return (mover or "").strip()[:200] or None


def _renumber(item: AgendaItem, first: Motion | None = None) -> None:
    ordered = sorted(item.motions, key=lambda m: (m is not first, m.position))
    for position, motion in enumerate(ordered, start=1):
        motion.position = position


def add_motion(
    session: Session,
    item: AgendaItem,
    *,
    text: str,
    attendee: MeetingAttendee | None = None,
    mover: str | None = None,
    user,
) -> Motion:
    """A motion (yrkande) under the §, moved by someone on the list or named in free text."""
    require_open(item.meeting)
    text = (text or "").strip()
    if not text:
        raise ValidationError(_l("Give the text of the motion."))
    name = speaker_name(attendee, mover, item.meeting_id)
    if name is None:
        raise ValidationError(_l("Give who moved the motion."))
    motion = Motion(
        item_id=item.id,
        position=len(item.motions) + 1,
        mover=name,
        text=text,
        attendee_id=attendee.id if attendee is not None else None,
    )
    item.motions.append(motion)
    session.flush()
    _record(session, "motion_add", item.meeting, user, paragraph=item.paragraph, mover=name)
    return motion


def add_proposal_motion(session: Session, item: AgendaItem, *, user) -> Motion:
    """The proposal of the memo (förslaget till beslut) as a motion without a mover."""
    require_open(item.meeting)
    if not item.has_case:
        raise ValidationError(_l("A § without a case has no proposal to vote on."))
    if any(m.mover is None for m in item.motions):
        raise ValidationError(_l("The proposal is already among the motions."))
    points = decisions.proposal_points(session, session.get(Case, item.case_id))
    if not points:
        raise ValidationError(_l("The case's memo has no proposed decision."))
    motion = Motion(item_id=item.id, position=len(item.motions) + 1, text="\n".join(points))
    item.motions.append(motion)
    session.flush()
    _record(session, "motion_add", item.meeting, user, paragraph=item.paragraph, mover=None)
    return motion


def _voted_on(item: AgendaItem, motion: Motion) -> bool:
    return any(motion.id in (v.yes_motion_id, v.no_motion_id) for v in item.votes)


def update_motion(
    session: Session,
    motion: Motion,
    *,
    text: str,
    attendee: MeetingAttendee | None = None,
    mover: str | None = None,
    user,
) -> Motion:
    """Correct a motion's text or mover before justering (the proposal keeps no mover)."""
    item = session.get(AgendaItem, motion.item_id)
    require_open(item.meeting)
    text = (text or "").strip()
    if not text:
        raise ValidationError(_l("Give the text of the motion."))
    if motion.mover is not None or attendee is not None or (mover or "").strip():
        name = speaker_name(attendee, mover, item.meeting_id)
        if name is None:
            raise ValidationError(_l("Give who moved the motion."))
        motion.mover = name
        motion.attendee_id = attendee.id if attendee is not None else None
    motion.text = text
    session.flush()
    _record(
        session, "motion_update", item.meeting, user, paragraph=item.paragraph, mover=motion.mover
    )
    return motion


def remove_motion(session: Session, motion: Motion, *, user) -> None:
    """Withdraw a motion (or one entered by mistake) that no vote was taken on."""
    item = session.get(AgendaItem, motion.item_id)
    require_open(item.meeting)
    if _voted_on(item, motion):
        raise ValidationError(_l("The motion was voted on: remove the vote first."))
    item.motions.remove(motion)
    session.delete(motion)
    _renumber(item)
    session.flush()
    _record(
        session, "motion_remove", item.meeting, user, paragraph=item.paragraph, mover=motion.mover
    )


def motion_label(motion: Motion) -> str:
    return motion.mover or str(_l("the proposal"))


def _loser(vote: Vote) -> int:
    return vote.no_motion_id if vote.result == Ballot.YES else vote.yes_motion_id


def _winner(vote: Vote) -> int:
    return vote.yes_motion_id if vote.result == Ballot.YES else vote.no_motion_id


def open_motions(item: AgendaItem) -> list[Motion]:
    """The motions that may still be put in a round: none that lost an earlier one."""
    lost = {_loser(vote) for vote in item.votes}
    return [m for m in item.motions if m.id not in lost]


def meeting_chair(item: AgendaItem) -> MeetingAttendee | None:
    """The attendee chairing: the one named the meeting's chair, else the body's chair
    or vice chair present."""
    attendees = [a for a in item.meeting.attendees if a.is_present]
    named = [a for a in attendees if a.name == item.meeting.chair]
    by_role = [a for a in attendees if a.role == AttendeeRole.CHAIR] + [
        a for a in attendees if a.role == AttendeeRole.VICE_CHAIR
    ]
    return next(iter(named + by_role), None)


def _side(value: str | None) -> str | None:
    return value if value in (Ballot.YES, Ballot.NO) else None


def _check_ballots(item: AgendaItem, ballots: dict, serving: list[MeetingAttendee]) -> None:
    by_id = {a.id: a for a in item.meeting.attendees}
    serving_ids = {a.id for a in serving}
    for attendee_id, choice in ballots.items():
        attendee = by_id.get(attendee_id)
        if attendee is None:
            raise ValidationError(_l("Someone who voted is not on this meeting's list."))
        if attendee_id not in serving_ids:
            raise ValidationError(
                _l(
                    "%(name)s holds no vote in § %(paragraph)s.",
                    name=attendee.name,
                    paragraph=item.paragraph,
                )
            )
        if choice not in set(Ballot):
            raise ValidationError(_l("Choose ja, nej or avstår for %(name)s.", name=attendee.name))
    missing = [a.name for a in serving if a.id not in ballots]
    if missing:
        raise ValidationError(
            _l(
                "No vote recorded for %(names)s: every serving member votes (ja, nej or avstår).",
                names=", ".join(missing),
            )
        )


def _tie_result(
    item, ballots, *, is_election, casting_vote, lot
) -> tuple[str, str | None, str | None]:
    """The winning side on a tie, with the casting vote and lot to store."""
    if is_election:
        if _side(lot) is None:
            raise ValidationError(
                _l("The votes are tied in an election: give the outcome of the lot (ja or nej).")
            )
        return lot, None, lot
    chair = meeting_chair(item)
    own = _side(ballots.get(chair.id)) if chair is not None else None
    if own is not None:
        return own, own, None
    if _side(casting_vote) is None:
        raise ValidationError(
            _l(
                "The votes are tied and the chair abstained or did not vote: give the side "
                "the chair's casting vote took (ja or nej)."
            )
        )
    return casting_vote, casting_vote, None


def record_vote(
    session: Session,
    item: AgendaItem,
    *,
    yes_motion: Motion,
    no_motion: Motion,
    ballots: dict[int, str],
    is_election: bool = False,
    casting_vote: str | None = None,
    lot: str | None = None,
    user,
) -> Vote:
    """Record a round of votes (omröstning) between two motions, as the chair set it up.

    Every member serving in the § votes once: ja, nej or avstår. A tie is settled by the
    chair's casting vote (KL 5 kap. 57 §), in an election by lot. Each call is a new round;
    a motion that lost a round is not voted on again.
    """
    meeting = item.meeting
    require_open(meeting)
    if not meeting.is_opened:
        raise ValidationError(_l("Open the meeting first."))
    if yes_motion.item_id != item.id or no_motion.item_id != item.id:
        raise ValidationError(_l("Choose two of the motions under this §."))
    if yes_motion.id == no_motion.id:
        raise ValidationError(_l("A vote is between two different motions."))
    for vote in item.votes:
        if _loser(vote) in (yes_motion.id, no_motion.id):
            lost = yes_motion if _loser(vote) == yes_motion.id else no_motion
            raise ValidationError(
                _l(
                    "The motion of %(mover)s lost in round %(round)s and is not voted on again.",
                    mover=motion_label(lost),
                    round=vote.round,
                )
            )
    serving = serving_members(session, item)
    if not serving:
        raise ValidationError(_l("No one holds a vote in this §: call the roll first."))
    ballots = {int(k): v for k, v in ballots.items()}
    _check_ballots(item, ballots, serving)
    counts = {side: sum(1 for v in ballots.values() if v == side) for side in Ballot}
    cast, drawn = None, None
    if counts[Ballot.YES] > counts[Ballot.NO]:
        result = Ballot.YES
    elif counts[Ballot.NO] > counts[Ballot.YES]:
        result = Ballot.NO
    else:
        result, cast, drawn = _tie_result(
            item, ballots, is_election=is_election, casting_vote=casting_vote, lot=lot
        )
    vote = Vote(
        item_id=item.id,
        round=max((v.round for v in item.votes), default=0) + 1,
        yes_motion_id=yes_motion.id,
        no_motion_id=no_motion.id,
        is_election=bool(is_election),
        casting_vote=cast,
        lot=drawn,
        result=result,
        yes_count=counts[Ballot.YES],
        no_count=counts[Ballot.NO],
        abstain_count=counts[Ballot.ABSTAIN],
    )
    vote.ballots = [VoteBallot(attendee_id=k, choice=v) for k, v in ballots.items()]
    item.votes.append(vote)
    item.decided_by = DecidedBy.VOTE
    session.flush()
    _record(
        session,
        "vote",
        meeting,
        user,
        paragraph=item.paragraph,
        round=vote.round,
        yes=motion_label(yes_motion),
        no=motion_label(no_motion),
        result=result,
        counts=[vote.yes_count, vote.no_count, vote.abstain_count],
        casting_vote=cast,
        lot=drawn,
    )
    return vote


def remove_last_vote(session: Session, item: AgendaItem, *, user) -> None:
    """Take back the last round (recorded by mistake) before justering."""
    require_open(item.meeting)
    if not item.votes:
        raise ValidationError(_l("No vote is recorded under this §."))
    vote = item.votes[-1]
    session.delete(vote)  # its ballots go with it
    session.flush()
    session.expire(item, ["votes"])
    if not item.votes:
        item.decided_by = DecidedBy.ACCLAMATION if item.decision_kind else None
    session.flush()
    _record(session, "vote_remove", item.meeting, user, paragraph=item.paragraph, round=vote.round)


def winning_motion(item: AgendaItem) -> Motion | None:
    """The motion the body adopted: the winner of the last round, or the one the chair
    found adopted by acclamation (kept first among the motions)."""
    by_id = {m.id: m for m in item.motions}
    if item.votes:
        return by_id.get(_winner(item.votes[-1]))
    if item.decided_by == DecidedBy.ACCLAMATION and item.motions:
        return min(item.motions, key=lambda m: m.position)
    return None


def record_acclamation(session: Session, item: AgendaItem, motion: Motion, *, user) -> Motion:
    """The chair finds ``motion`` adopted without a vote: it is put first among the motions."""
    require_open(item.meeting)
    if motion.item_id != item.id:
        raise ValidationError(_l("Choose one of the motions under this §."))
    if item.votes:
        raise ValidationError(
            _l("The § was decided by a vote: remove the votes to record an acclamation.")
        )
    _renumber(item, first=motion)
    item.decided_by = DecidedBy.ACCLAMATION
    session.flush()
    _record(
        session,
        "acclamation",
        item.meeting,
        user,
        paragraph=item.paragraph,
        motion=motion_label(motion),
    )
    return motion
