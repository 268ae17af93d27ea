"""How a Swedish protocol words what happened at a meeting: the one place for the phrases
the protocol and its excerpts share ("Ordföranden ställer proposition på …", "Med 5
ja-röster mot 5 nej-röster och ordförandens utslagsröst beslutar …").

The phrases are Swedish directly: they are the text of the authority's own documents, not
the interface. Functions here take the meeting's rows and give back strings or plain data,
so a template can use them as they are.
"""

from __future__ import annotations

from caseflow.common.timeutil import LOCAL_TZ
from caseflow.meetings.models import (
    VOTING_ROLES,
    AgendaItem,
    AttendeeRole,
    Ballot,
    DecisionKind,
    ItemPresence,
    Meeting,
    MeetingAttendee,
    Motion,
    StatementKind,
    Vote,
)

ROLE_WORDS = {
    AttendeeRole.CHAIR: "ordförande",
    AttendeeRole.VICE_CHAIR: "vice ordförande",
    AttendeeRole.MEMBER: "ledamot",
    AttendeeRole.SUBSTITUTE: "ersättare",
    AttendeeRole.SECRETARY: "sekreterare",
}

#: What a motion without a mover is called: the proposal of the memo.
PROPOSAL = "förslaget till beslut"


# -- people --------------------------------------------------------------------------------


def affiliation(value: str | None) -> str:
    """ "S", "(S)" → "(S)"; nothing → ""."""
    value = (value or "").strip().strip("()").strip()
    return f"({value})" if value else ""


def person(attendee: MeetingAttendee) -> str:
    """ "Anna Ordförande (S)"."""
    return " ".join(x for x in (attendee.name, affiliation(attendee.affiliation)) if x)


def genitive(name: str) -> str:
    """ "Bertil Justerare (M)" → "Bertil Justerares (M)"; a name ending in s, x or z takes
    no further s ("Hans" → "Hans")."""
    base, _, party = name.partition(" (")
    base = base if base[-1:].lower() in {"s", "x", "z"} else f"{base}s"
    return f"{base} ({party}" if party else base


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _by_id(meeting: Meeting) -> dict[int, MeetingAttendee]:
    return {a.id: a for a in meeting.attendees}


def deciding_members(meeting: Meeting) -> list[str]:
    """Beslutande: present members in their role, serving substitutes for whom they serve."""
    people = _by_id(meeting)
    lines = []
    for attendee in meeting.attendees:
        if not attendee.is_present:
            continue
        if attendee.role in VOTING_ROLES:
            lines.append(f"{person(attendee)}, {ROLE_WORDS[attendee.role]}")
        elif attendee.role == AttendeeRole.SUBSTITUTE and attendee.serving_for_id:
            absent = people.get(attendee.serving_for_id)
            whom = f" för {person(absent)}" if absent else ""
            lines.append(f"{person(attendee)}, tjänstgörande ersättare{whom}")
    # A meeting whose attendance was not recorded still names its chair.
    return lines or [f"{meeting.chair}, ordförande"]


def substitutes(meeting: Meeting) -> list[str]:
    """Ersättare: present substitutes who do not serve for the whole meeting."""
    return [
        person(a)
        for a in meeting.attendees
        if a.is_present and a.role == AttendeeRole.SUBSTITUTE and not a.serving_for_id
    ]


def others_present(meeting: Meeting) -> list[str]:
    """Övriga närvarande: the secretary, officials and others, each with their note."""
    lines = []
    for attendee in meeting.attendees:
        if not attendee.is_present or attendee.role not in {
            AttendeeRole.SECRETARY,
            AttendeeRole.OFFICIAL,
            AttendeeRole.OTHER,
        }:
            continue
        note = attendee.note or ROLE_WORDS.get(attendee.role)
        lines.append(", ".join(x for x in (person(attendee), note) if x))
    return lines


def absent_members(meeting: Meeting) -> list[str]:
    return [person(a) for a in meeting.attendees if a.role in VOTING_ROLES and not a.is_present]


def time_and_place(meeting: Meeting) -> str:
    """ "2021-11-24 kl. 09.00–11.30, Regionens hus, Östersund"."""
    start = meeting.starts_at.astimezone(LOCAL_TZ)
    hours = f"kl. {start:%H.%M}"
    if meeting.ended_at:
        hours += f"–{meeting.ended_at.astimezone(LOCAL_TZ):%H.%M}"
    return f"{start:%Y-%m-%d} {hours}, {meeting.place}"


def paragraph_range(meeting: Meeting) -> str:
    """ "§§ 12–20", "§ 12", or "" before the §§ are numbered."""
    numbers = [i.paragraph for i in meeting.items if i.paragraph]
    if not numbers:
        return ""
    low, high = min(numbers), max(numbers)
    return f"§ {low}" if low == high else f"§§ {low}–{high}"


def name_list(names: list[str]) -> str:
    """ "A", "A och B", "A, B och C"."""
    if len(names) < 2:
        return "".join(names)
    return f"{', '.join(names[:-1])} och {names[-1]}"


# -- one § ---------------------------------------------------------------------------------


def presence_changes(item: AgendaItem) -> list[str]:
    """Who does not take part in this §, and who serves in someone's place."""
    people = _by_id(item.meeting)
    lines = []
    for change in item.presence:
        who = people.get(change.attendee_id)
        if who is None:
            continue
        if change.status == ItemPresence.RECUSED:
            lines.append(f"{person(who)} deltar inte i handläggningen på grund av jäv.")
        elif change.status == ItemPresence.ABSENT:
            lines.append(f"{person(who)} är inte närvarande under paragrafen.")
        elif change.status == ItemPresence.SERVING:
            seat = people.get(change.serving_for_id)
            whom = f" för {person(seat)}" if seat else ""
            lines.append(f"{person(who)} tjänstgör{whom}.")
    return lines


def motion_name(motion: Motion) -> str:
    """How a proposition names a motion: "förslaget till beslut", "Bertil Justerares (M)
    yrkande"."""
    return f"{genitive(motion.mover)} yrkande" if motion.mover else PROPOSAL


def motion_line(motion: Motion) -> str:
    """One line under Yrkanden: "Bertil Justerare (M): Avslag på förslaget."."""
    return (
        f"{motion.mover}: {motion.text}" if motion.mover else f"Förslag till beslut: {motion.text}"
    )


def proposition(organ: str, first: Motion, second: Motion, found: Motion) -> str:
    return (
        f"Ordföranden ställer proposition på {motion_name(first)} och {motion_name(second)} "
        f"och finner att {organ} beslutar enligt {motion_name(found)}."
    )


def acclamation(organ: str, item: AgendaItem) -> str | None:
    """The chair's proposition on a § decided without a vote, when there were motions."""
    if not item.motions or item.votes or not item.decision_kind:
        return None
    if len(item.motions) == 1:
        name = motion_name(item.motions[0])
        return f"Ordföranden ställer proposition på {name} och finner att {organ} bifaller det."
    names = name_list([motion_name(m) for m in item.motions])
    if item.decision_kind == DecisionKind.RETURNED:
        found = "återremitterar ärendet"
    elif item.decision_kind == DecisionKind.TABLED:
        found = "bordlägger ärendet"
    else:
        found = "beslutar enligt beslutet nedan"
    return f"Ordföranden ställer proposition på {names} och finner att {organ} {found}."


def _counts(vote: Vote) -> tuple[int, int, int]:
    if vote.ballots:
        choices = [b.choice for b in vote.ballots]
        return choices.count(Ballot.YES), choices.count(Ballot.NO), choices.count(Ballot.ABSTAIN)
    return vote.yes_count, vote.no_count, vote.abstain_count


def _winning_side(vote: Vote, yes: int, no: int) -> str | None:
    if vote.result:
        return vote.result
    if yes != no:
        return Ballot.YES if yes > no else Ballot.NO
    return vote.lot if vote.is_election else vote.casting_vote


def vote_result(organ: str, vote: Vote, yes_motion: Motion, no_motion: Motion) -> str:
    """ "Med 6 ja-röster mot 4 nej-röster beslutar …", with the casting vote or the lot."""
    yes, no, abstain = _counts(vote)
    side = _winning_side(vote, yes, no)
    winner = {Ballot.YES: yes_motion, Ballot.NO: no_motion}.get(side)
    tally = (
        f"Med {_plural(yes, 'ja-röst', 'ja-röster')} mot {_plural(no, 'nej-röst', 'nej-röster')}"
    )
    if abstain:
        tally += f", {_plural(abstain, 'ledamot', 'ledamöter')} avstår,"
    if winner is None:
        return f"{tally} är omröstningen inte avgjord."
    if yes == no and vote.is_election:
        return f"{tally} avgörs valet genom lottning. Lotten faller på {motion_name(winner)}."
    if yes == no:
        tally += " och ordförandens utslagsröst"
    return f"{tally} beslutar {organ} enligt {motion_name(winner)}."


def vote_account(organ: str, item: AgendaItem, vote: Vote) -> dict:
    """One round of votes as plain data: the proposition, the vote's set-up, the ballots
    (a row per member: Ja, Nej or Avstår marked "X") with their totals, and the result."""
    motions = {m.id: m for m in item.motions}
    yes_motion, no_motion = motions[vote.yes_motion_id], motions[vote.no_motion_id]
    people = _by_id(item.meeting)
    rows = []
    ballots = sorted(vote.ballots, key=lambda b: getattr(people.get(b.attendee_id), "position", 0))
    for ballot in ballots:
        who = people.get(ballot.attendee_id)
        rows.append(
            {
                "name": person(who) if who else "",
                "yes": "X" if ballot.choice == Ballot.YES else "",
                "no": "X" if ballot.choice == Ballot.NO else "",
                "abstain": "X" if ballot.choice == Ballot.ABSTAIN else "",
            }
        )
    yes, no, abstain = _counts(vote)
    heading = "Omröstning" if len(item.votes) == 1 else f"Omröstning {vote.round}"
    return {
        "heading": heading,
        "proposition": proposition(organ, yes_motion, no_motion, yes_motion),
        "request": (
            "Omröstning begärs och verkställs. "
            f"Ja-röst för {motion_name(yes_motion)}, nej-röst för {motion_name(no_motion)}."
        ),
        "rows": rows,
        "totals": {"yes": yes, "no": no, "abstain": abstain},
        "result": vote_result(organ, vote, yes_motion, no_motion),
    }


def reservation_line(name: str) -> str:
    return f"{name} reserverar sig mot beslutet."


def note_line(name: str) -> str:
    return f"{name} lämnar följande protokollsanteckning:"


def statements(item: AgendaItem, kind: str) -> list[dict]:
    """Reservations or notes as {"line", "text"}: who, and their written text ("" if none)."""
    opener = reservation_line if kind == StatementKind.RESERVATION else note_line
    return [
        {"line": opener(s.name), "text": (s.text or "").strip()}
        for s in item.statements
        if s.kind == kind
    ]


def statement_text(entries: list[dict]) -> str:
    """Reservations or notes as one text, each with its written words."""
    return "\n".join(" ".join(x for x in (e["line"], e["text"]) if x) for e in entries)


def decision_intro(organ: str, item: AgendaItem) -> str:
    return {
        DecisionKind.RETURNED: f"{organ} beslutar att återremittera ärendet.",
        DecisionKind.TABLED: f"{organ} beslutar att bordlägga ärendet.",
    }.get(item.decision_kind, f"{organ} beslutar")


def attested_by_names(meeting: Meeting) -> str:
    return name_list([n.strip() for n in (meeting.attested_by or "").split("\n") if n.strip()])


CLOSED_DOORS = "Ärendet behandlades inom stängda dörrar."
IMMEDIATELY_ATTESTED = "Paragrafen förklaras omedelbart justerad."
