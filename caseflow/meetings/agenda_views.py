"""Correcting a meeting before justering: its facts, the agenda's items, a decision.

Its routes join the meetings blueprint. Every change is a service call with its rules
and audit; after justering the services refuse and only audited corrections remain.
"""

from __future__ import annotations

from flask import flash, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from caseflow.common.error_path import keep_form
from caseflow.common.errors import CaseflowError
from caseflow.common.permissions import require
from caseflow.common.timeutil import LOCAL_TZ
from caseflow.db import get_session
from caseflow.meetings import agenda_items, decisions, services, state
from caseflow.meetings.forms import EditMeetingForm, ItemForm, ReasonForm
from caseflow.meetings.planning_views import _meeting_form
from caseflow.meetings.views import _back, _item, _meeting, _run, bp


def _reason():
    """The reason a form gave, or None after telling the user it is missing."""
    form = ReasonForm()
    if form.validate_on_submit():
        return form.reason.data
    flash(_("Give the reason."), "error")
    return None


@bp.route("/<int:meeting_id>/edit", methods=["GET", "POST"])
@require("meeting.manage")
def edit(meeting_id: int):
    session = get_session()
    meeting = _meeting(meeting_id)
    if meeting.is_attested:
        flash(_("The protocol is attested and locked; changes are made as corrections."), "error")
        return _back(meeting.id)
    posted = request.method == "POST"
    form = EditMeetingForm()
    if not posted:
        form.starts_at.data = meeting.starts_at.astimezone(LOCAL_TZ).replace(tzinfo=None)
        form.ended_at.data = (
            meeting.ended_at.astimezone(LOCAL_TZ).replace(tzinfo=None) if meeting.ended_at else None
        )
        form.place.data = meeting.place
        form.chair.data = meeting.chair
        form.secretary.data = meeting.secretary
        form.attesters.data = [a for a in meeting.attesters.split("\n") if a]
    _meeting_form(session, meeting.organ, form, day=state.meeting_date(meeting))
    if meeting.attendees:
        # Once the roll is called the attesters are chosen among those present.
        present = {a.name for a in meeting.attendees if a.is_present}
        chosen = set(meeting.attesters.split("\n"))
        form.attesters.choices = [c for c in form.attesters.choices if c.value in present | chosen]
    if posted and form.validate_on_submit():
        try:
            services.update_meeting(
                session,
                meeting,
                starts_at=form.starts_at.data,
                ended_at=form.ended_at.data,
                place=form.place.data,
                chair=form.chair.data,
                secretary=form.secretary.data,
                attesters="\n".join(form.attesters.data or []),
                user=current_user,
            )
        except CaseflowError as exc:
            keep_form(form, exc)
        else:
            flash(_("The meeting has been changed."), "success")
            return _back(meeting.id)
    status = 422 if form.errors or form.form_errors else 200
    return render_template("meetings/edit.html", form=form, meeting=meeting), status


@bp.route("/<int:meeting_id>/cancel", methods=["POST"])
@require("meeting.manage")
def cancel(meeting_id: int):
    meeting = _meeting(meeting_id)
    reason = _reason()
    if reason is None:
        return _back(meeting.id)
    _run(
        lambda: services.cancel_meeting(get_session(), meeting, reason=reason, user=current_user),
        _("The meeting is cancelled; its cases can be put on another meeting's agenda."),
    )
    return _back(meeting.id)


@bp.route("/<int:meeting_id>/items", methods=["POST"])
@require("meeting.manage")
def add_item(meeting_id: int):
    meeting = _meeting(meeting_id)
    form = ItemForm(prefix="new")
    if not form.validate_on_submit():
        flash(_("Give the item a heading."), "error")
        return _back(meeting.id, "#agenda")
    _run(
        lambda: agenda_items.add_item(
            get_session(),
            meeting,
            kind=form.kind.data,
            title=form.title.data,
            body=form.body.data,
            is_closed=form.is_closed.data,
            public_title=form.public_title.data,
            user=current_user,
        ),
        _("The item is on the agenda."),
    )
    return _back(meeting.id, "#agenda")


@bp.route("/<int:meeting_id>/items/<int:item_id>/edit", methods=["POST"])
@require("meeting.manage")
def update_item(meeting_id: int, item_id: int):
    item = _item(item_id, meeting_id)
    form = ItemForm(prefix=f"edit{item.id}")
    if not form.validate_on_submit():
        flash(_("Check the item's heading and text."), "error")
        return _back(meeting_id, f"#item-{item.id}")
    _run(
        lambda: agenda_items.update_item(
            get_session(),
            item,
            title=form.title.data,
            body=form.body.data,
            is_closed=form.is_closed.data,
            public_title=form.public_title.data,
            user=current_user,
        ),
        _("The item has been changed."),
    )
    return _back(meeting_id, f"#item-{item.id}")


@bp.route("/<int:meeting_id>/items/<int:item_id>/remove", methods=["POST"])
@require("meeting.manage")
def remove_item(meeting_id: int, item_id: int):
    item = _item(item_id, meeting_id)
    reason = _reason()
    if reason is not None:
        _run(
            lambda: agenda_items.remove_item(get_session(), item, reason=reason, user=current_user),
            _("The item is taken off the agenda; the numbers have closed up."),
        )
    return _back(meeting_id, "#agenda")


@bp.route("/<int:meeting_id>/items/<int:item_id>/undo", methods=["POST"])
@require("meeting.manage")
def undo_decision(meeting_id: int, item_id: int):
    item = _item(item_id, meeting_id)
    reason = _reason()
    if reason is not None:
        _run(
            lambda: decisions.undo_decision(get_session(), item, reason=reason, user=current_user),
            _("The decision is undone; the § waits for its decision again."),
        )
    return _back(meeting_id, f"#item-{item.id}")
