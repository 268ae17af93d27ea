"""``caseflow meeting show`` without ``--json``: the meeting record as text to read."""

from __future__ import annotations

from flask_babel import gettext as _

from caseflow.meetings.forms import DECISION_LABELS, MEETING_STATUS_LABELS


def _when(iso: str | None) -> str:
    return iso[:16].replace("T", " ") if iso else ""


def _attendee(row: dict) -> str:
    details = ", ".join(filter(None, [row["role"], row["affiliation"]]))
    line = f"  {row['name']} ({details})"
    if not row["present"]:
        line += " – " + _("absent")
    if row["serving_for"]:
        line += " – " + _("serving for %(name)s", name=row["serving_for"])
    if row["note"]:
        line += f" – {row['note']}"
    return line


def _item(row: dict) -> list[str]:
    paragraph = f"§ {row['paragraph']}  " if row["paragraph"] else ""
    case = f"{row['case']}  " if row["case"] else ""
    lines = [f"{row['number']}. {paragraph}{case}{row['title']}"]
    decision = row["decision"]
    if decision:
        label = str(DECISION_LABELS.get(decision["kind"], decision["kind"]))
        lines.append("   " + _("Decision: %(kind)s", kind=label))
        lines += [f"     {n}. {point}" for n, point in enumerate(decision["points"], start=1)]
    for motion in row["motions"]:
        mover = motion["mover"] or _("the proposal")
        lines.append("   " + _("Motion (%(mover)s): %(text)s", mover=mover, text=motion["text"]))
    for vote in row["vote_rounds"]:
        lines.append(
            "   "
            + _(
                "Vote, round %(round)s: yes %(yes)s, no %(no)s, abstaining %(abstain)s;"
                " result: %(result)s",
                round=vote["round"],
                yes=vote["yes"],
                no=vote["no"],
                abstain=vote["abstain"],
                result=vote["result"] or "–",
            )
        )
        lines += [
            f"     {ballot['member']}: {ballot['vote']}"
            for ballot in row["votes"]
            if ballot["round"] == vote["round"]
        ]
    for reservation in row["reservations"]:
        text = f": {reservation['text']}" if reservation["text"] else ""
        lines.append("   " + _("Reservation by %(name)s", name=reservation["name"]) + text)
    for note in row["notes"]:
        text = f": {note['text']}" if note["text"] else ""
        lines.append("   " + _("Note by %(name)s", name=note["name"]) + text)
    return lines


def meeting_text(data: dict) -> str:
    """The record of :func:`caseflow.meetings.records.meeting_record` as lines of text."""
    status = str(MEETING_STATUS_LABELS.get(data["status"], data["status"]))
    ended = f"–{_when(data['ended_at'])[11:]}" if data["ended_at"] else ""
    lines = [
        f"{data['organ']} {_when(data['starts_at'])}{ended}, {data['place']} ({status})",
        _("Chair: %(name)s", name=data["chair"]),
        _("Secretary: %(name)s", name=data["secretary"]),
        _("Attesters: %(names)s", names=", ".join(data["attesters"]) or "–"),
    ]
    if data["attested_on"]:
        lines.append(_("Attested on %(date)s", date=data["attested_on"]))
    if data["notice_posted_on"]:
        lines.append(_("Notice posted on %(date)s", date=data["notice_posted_on"]))
    if data["attendance"]:
        lines += ["", _("Attendance:")] + [_attendee(row) for row in data["attendance"]]
    lines += ["", _("Agenda:")]
    for row in data["items"]:
        lines += _item(row)
    if not data["items"]:
        lines.append("  " + _("No items yet."))
    return "\n".join(lines)
