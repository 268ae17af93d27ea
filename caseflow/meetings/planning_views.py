"""Planning a meeting: the list of meetings, and a new meeting of a body from the register.

Its routes join the meetings blueprint (``meetings.index``, ``meetings.new``).
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from caseflow.common.error_path import keep_form
from caseflow.common.errors import CaseflowError
from caseflow.common.forms import choices
from caseflow.common.permissions import require
from caseflow.common.timeutil import today
from caseflow.db import get_session
from caseflow.meetings import access, organs, services
from caseflow.meetings.forms import ChooseOrganForm, MeetingForm
from caseflow.meetings.models import MemberRole, Organ
from caseflow.meetings.views import _back, bp


@bp.route("/")
@require("meeting.read")
def index():
    session = get_session()
    choose = ChooseOrganForm()
    choose.organ.choices = choices(
        (o.id, o.name) for o in organs.list_organs(session, active_only=True)
    )
    meetings = access.visible_meetings(session, current_user)
    return render_template("meetings/index.html", meetings=meetings, choose=choose)


def _meeting_form(session, organ, form=None, day=None) -> MeetingForm:
    """The meeting form for one body: chair and attesters among its members (those whose
    term has not ended by ``day``, today for a new meeting)."""
    form = form or MeetingForm()
    day = day or today()
    # Members whose term has not ended: a meeting may be planned for the next term, whose
    # members begin later; create_meeting checks each one against the meeting's own day.
    members = [
        m for m in organs.organ_members(session, organ) if m.term_to is None or day <= m.term_to
    ]
    seated = sorted(
        {m.name: m for m in members if m.role != MemberRole.SECRETARY}.values(),
        key=lambda m: (not m.serves_on(day), members.index(m)),
    )
    form.organ.data = str(organ.id)
    form.chair.choices = choices((m.name, m.name) for m in seated)
    form.attesters.choices = choices((m.name, m.name) for m in seated)
    if request.method == "GET" and not form.chair.data:
        serving = [m for m in members if m.serves_on(day)]
        chair = next((m for m in serving if m.role == MemberRole.CHAIR), None)
        form.chair.data = chair.name if chair else None
        secretary = next((m for m in serving if m.role == MemberRole.SECRETARY), None)
        form.secretary.data = secretary.name if secretary else ""
    return form


@bp.route("/new", methods=["GET", "POST"])
@require("meeting.manage")
def new():
    session = get_session()
    organ_id = request.values.get("organ", type=int)
    organ = session.get(Organ, organ_id) if organ_id else None
    if organ is None or not organ.is_active:
        flash(_("Choose the decision body from the register."), "error")
        return redirect(url_for("meetings.index"))
    form = _meeting_form(session, organ, MeetingForm() if request.method == "POST" else None)
    if request.method == "POST" and form.validate_on_submit():
        try:
            meeting = services.create_meeting(
                session,
                organ=organs.organ_for_meeting(session, organ.id),
                starts_at=form.starts_at.data,
                place=form.place.data,
                chair=form.chair.data,
                secretary=form.secretary.data,
                attesters="\n".join(form.attesters.data or []),
                user=current_user,
            )
        except CaseflowError as exc:
            keep_form(form, exc)
        else:
            flash(_("The meeting has been created."), "success")
            return _back(meeting.id)
    status = 422 if form.errors or form.form_errors else 200
    return render_template("meetings/new.html", form=form, organ=organ), status
