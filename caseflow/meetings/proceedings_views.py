"""The proceedings on the meeting page: the list of those present, and per § the changes
of attendance, motions, votes, reservations and notes.

Its routes join the meetings blueprint; each posts to a service and goes back to the
meeting page (a broken rule takes the common error path).
"""

from __future__ import annotations

from flask import abort, flash, request
from flask_babel import gettext as _
from flask_login import current_user

from caseflow.common.permissions import require
from caseflow.db import get_session
from caseflow.meetings import proceedings
from caseflow.meetings.models import MeetingAttendee, Motion, Statement
from caseflow.meetings.proceedings_forms import (
    AcclamationForm,
    AttendeeForm,
    ItemPresenceForm,
    MotionForm,
    PresenceForm,
    StatementForm,
    VoteForm,
    ballots_from,
)
from caseflow.meetings.views import _back, _item, _meeting, _run, bp


def _attendee(meeting_id: int, attendee_id: int | None) -> MeetingAttendee | None:
    """The attendee on this meeting's list; None when none was chosen, 404 when unknown."""
    if not attendee_id:
        return None
    attendee = get_session().get(MeetingAttendee, attendee_id)
    if attendee is None or attendee.meeting_id != meeting_id:
        abort(404)
    return attendee


def _motion(item, motion_id: int | None) -> Motion:
    motion = get_session().get(Motion, motion_id or 0)
    if motion is None or motion.item_id != item.id:
        abort(404)
    return motion


def _invalid(form, meeting_id: int, anchor: str):
    first = next(iter(form.errors.values()), [_("Check the form.")])
    flash(first[0] if isinstance(first, list) else str(first), "error")
    return _back(meeting_id, anchor)


@bp.route("/<int:meeting_id>/roll-call", methods=["POST"])
@require("meeting.manage")
def roll_call(meeting_id: int):
    meeting = _meeting(meeting_id)
    _run(
        lambda: proceedings.call_roll(get_session(), meeting, user=current_user),
        _("The body's members are on the list."),
    )
    return _back(meeting.id, "#attendance")


@bp.route("/<int:meeting_id>/attendees", methods=["POST"])
@require("meeting.manage")
def add_attendee(meeting_id: int):
    meeting = _meeting(meeting_id)
    form = AttendeeForm()
    if not form.validate_on_submit():
        return _invalid(form, meeting.id, "#attendance")
    _run(
        lambda: proceedings.add_attendee(
            get_session(),
            meeting,
            name=form.name.data,
            role=form.role.data,
            affiliation=form.affiliation.data,
            note=form.note.data,
            user=current_user,
        ),
        _("%(name)s is on the list.", name=form.name.data),
    )
    return _back(meeting.id, "#attendance")


@bp.route("/<int:meeting_id>/attendees/<int:attendee_id>/presence", methods=["POST"])
@require("meeting.manage")
def presence(meeting_id: int, attendee_id: int):
    meeting = _meeting(meeting_id)
    attendee = _attendee(meeting.id, attendee_id) or abort(404)
    form = PresenceForm()
    if not form.validate_on_submit():
        return _invalid(form, meeting.id, "#attendance")
    _run(
        lambda: proceedings.set_presence(
            get_session(),
            attendee,
            is_present=form.is_present.data == "1",
            serving_for=_attendee(meeting.id, form.serving_for.data),
            note=form.note.data or "",
            user=current_user,
        ),
        _("The attendance of %(name)s is recorded.", name=attendee.name),
    )
    return _back(meeting.id, "#attendance")


@bp.route("/<int:meeting_id>/attendees/<int:attendee_id>/remove", methods=["POST"])
@require("meeting.manage")
def remove_attendee(meeting_id: int, attendee_id: int):
    meeting = _meeting(meeting_id)
    attendee = _attendee(meeting.id, attendee_id) or abort(404)
    _run(
        lambda: proceedings.remove_attendee(get_session(), attendee, user=current_user),
        _("%(name)s is off the list.", name=attendee.name),
    )
    return _back(meeting.id, "#attendance")


@bp.route("/<int:meeting_id>/items/<int:item_id>/presence", methods=["POST"])
@require("meeting.manage")
def item_presence(meeting_id: int, item_id: int):
    item = _item(item_id, meeting_id)
    form = ItemPresenceForm()
    if not form.validate_on_submit() or not form.attendee.data:
        flash(_("Choose who and what changes for the §."), "error")
        return _back(meeting_id, f"#item-{item.id}")
    attendee = _attendee(meeting_id, form.attendee.data)
    _run(
        lambda: proceedings.set_item_presence(
            get_session(),
            item,
            attendee,
            form.status.data,
            serving_for=_attendee(meeting_id, form.serving_for.data),
            user=current_user,
        ),
        _("The attendance under § %(n)s is recorded.", n=item.paragraph),
    )
    return _back(meeting_id, f"#item-{item.id}")


@bp.route(
    "/<int:meeting_id>/items/<int:item_id>/presence/<int:attendee_id>/clear", methods=["POST"]
)
@require("meeting.manage")
def clear_item_presence(meeting_id: int, item_id: int, attendee_id: int):
    item = _item(item_id, meeting_id)
    attendee = _attendee(meeting_id, attendee_id) or abort(404)
    _run(
        lambda: proceedings.clear_item_presence(get_session(), item, attendee, user=current_user),
        _("The attendance under § %(n)s is recorded.", n=item.paragraph),
    )
    return _back(meeting_id, f"#item-{item.id}")


@bp.route("/<int:meeting_id>/items/<int:item_id>/motions", methods=["POST"])
@require("meeting.manage")
def add_motion(meeting_id: int, item_id: int):
    item = _item(item_id, meeting_id)
    form = MotionForm()
    if not form.validate_on_submit():
        flash(_("Give the text of the motion."), "error")
        return _back(meeting_id, f"#item-{item.id}")
    _run(
        lambda: proceedings.add_motion(
            get_session(),
            item,
            text=form.text.data,
            attendee=_attendee(meeting_id, form.attendee.data),
            mover=form.mover.data,
            user=current_user,
        ),
        _("The motion is recorded under § %(n)s.", n=item.paragraph),
    )
    return _back(meeting_id, f"#item-{item.id}")


@bp.route("/<int:meeting_id>/items/<int:item_id>/motions/proposal", methods=["POST"])
@require("meeting.manage")
def add_proposal_motion(meeting_id: int, item_id: int):
    item = _item(item_id, meeting_id)
    _run(
        lambda: proceedings.add_proposal_motion(get_session(), item, user=current_user),
        _("The motion is recorded under § %(n)s.", n=item.paragraph),
    )
    return _back(meeting_id, f"#item-{item.id}")


@bp.route("/<int:meeting_id>/items/<int:item_id>/motions/<int:motion_id>", methods=["POST"])
@require("meeting.manage")
def update_motion(meeting_id: int, item_id: int, motion_id: int):
    item = _item(item_id, meeting_id)
    motion = _motion(item, motion_id)
    form = MotionForm()
    if not form.validate_on_submit():
        flash(_("Give the text of the motion."), "error")
        return _back(meeting_id, f"#item-{item.id}")
    _run(
        lambda: proceedings.update_motion(
            get_session(),
            motion,
            text=form.text.data,
            attendee=_attendee(meeting_id, form.attendee.data),
            mover=form.mover.data,
            user=current_user,
        ),
        _("The motion is changed."),
    )
    return _back(meeting_id, f"#item-{item.id}")


@bp.route("/<int:meeting_id>/items/<int:item_id>/motions/<int:motion_id>/remove", methods=["POST"])
@require("meeting.manage")
def remove_motion(meeting_id: int, item_id: int, motion_id: int):
    item = _item(item_id, meeting_id)
    motion = _motion(item, motion_id)
    _run(
        lambda: proceedings.remove_motion(get_session(), motion, user=current_user),
        _("The motion is removed."),
    )
    return _back(meeting_id, f"#item-{item.id}")


@bp.route("/<int:meeting_id>/items/<int:item_id>/votes", methods=["POST"])
@require("meeting.manage")
def vote(meeting_id: int, item_id: int):
    item = _item(item_id, meeting_id)
    form = VoteForm()
    if not form.validate_on_submit() or not (form.yes_motion.data and form.no_motion.data):
        flash(_("Choose the two motions the vote is between."), "error")
        return _back(meeting_id, f"#item-{item.id}")
    recorded = _run(
        lambda: proceedings.record_vote(
            get_session(),
            item,
            yes_motion=_motion(item, form.yes_motion.data),
            no_motion=_motion(item, form.no_motion.data),
            ballots=ballots_from(request.form),
            is_election=form.is_election.data,
            casting_vote=form.casting_vote.data,
            lot=form.lot.data,
            user=current_user,
        ),
        _("The vote is recorded under § %(n)s.", n=item.paragraph),
    )
    return _back(meeting_id, f"#vote-{recorded.id}")


@bp.route("/<int:meeting_id>/items/<int:item_id>/votes/last/remove", methods=["POST"])
@require("meeting.manage")
def remove_last_vote(meeting_id: int, item_id: int):
    item = _item(item_id, meeting_id)
    _run(
        lambda: proceedings.remove_last_vote(get_session(), item, user=current_user),
        _("The last round of votes is removed."),
    )
    return _back(meeting_id, f"#item-{item.id}")


@bp.route("/<int:meeting_id>/items/<int:item_id>/acclamation", methods=["POST"])
@require("meeting.manage")
def acclamation(meeting_id: int, item_id: int):
    item = _item(item_id, meeting_id)
    form = AcclamationForm()
    if not form.validate_on_submit() or not form.motion.data:
        flash(_("Choose one of the motions under this §."), "error")
        return _back(meeting_id, f"#item-{item.id}")
    _run(
        lambda: proceedings.record_acclamation(
            get_session(), item, _motion(item, form.motion.data), user=current_user
        ),
        _("The motion the chair found adopted is recorded."),
    )
    return _back(meeting_id, f"#item-{item.id}")


@bp.route("/<int:meeting_id>/items/<int:item_id>/statements", methods=["POST"])
@require("meeting.manage")
def add_statement(meeting_id: int, item_id: int):
    item = _item(item_id, meeting_id)
    form = StatementForm()
    if not form.validate_on_submit():
        flash(_("Choose a reservation or a protocol note."), "error")
        return _back(meeting_id, f"#item-{item.id}")
    _run(
        lambda: proceedings.add_statement(
            get_session(),
            item,
            kind=form.kind.data,
            text=form.text.data,
            attendee=_attendee(meeting_id, form.attendee.data),
            name=form.name.data,
            user=current_user,
        ),
        _("It is recorded under § %(n)s.", n=item.paragraph),
    )
    return _back(meeting_id, f"#item-{item.id}")


@bp.route(
    "/<int:meeting_id>/items/<int:item_id>/statements/<int:statement_id>/remove",
    methods=["POST"],
)
@require("meeting.manage")
def remove_statement(meeting_id: int, item_id: int, statement_id: int):
    item = _item(item_id, meeting_id)
    statement = get_session().get(Statement, statement_id)
    if statement is None or statement.item_id != item.id:
        abort(404)
    _run(
        lambda: proceedings.remove_statement(get_session(), statement, user=current_user),
        _("It is removed."),
    )
    return _back(meeting_id, f"#item-{item.id}")
