"""The notice board for managers, at /anslagstavla/hantera: every notice, posting an
attested protocol's notice, announcing a meeting, posting an other notice, and taking a
notice down before its last day (with the reason)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from caseflow.common.error_path import back_to
from caseflow.common.permissions import require
from caseflow.common.timeutil import today
from caseflow.db import get_session
from caseflow.documents.storage import file_store
from caseflow.meetings.models import Meeting
from caseflow.noticeboard import services, text
from caseflow.noticeboard.forms import AnnounceForm, OtherNoticeForm, PostProtocolForm, TakeDownForm
from caseflow.noticeboard.models import Notice

bp = Blueprint("noticeboard_manage", __name__, url_prefix="/anslagstavla/hantera")


def _home():
    return redirect(url_for("noticeboard_manage.index"))


def _meeting(meeting_id: int) -> Meeting:
    meeting = get_session().get(Meeting, meeting_id)
    if meeting is None:
        abort(404)
    return meeting


def _notice(notice_id: int) -> Notice:
    notice = get_session().get(Notice, notice_id)
    if notice is None:
        abort(404)
    return notice


@bp.route("/")
@require("notice.manage")
def index(other_form=None):
    session, on = get_session(), today()
    notices = services.notices_for_staff(session)
    awaiting = services.meetings_awaiting_notice(session)
    to_announce = services.meetings_to_announce(session, on)
    return render_template(
        "noticeboard/manage.html",
        notices=notices,
        awaiting=awaiting,
        to_announce=to_announce,
        other_form=other_form or OtherNoticeForm(posted_on=on),
        # One form per row, each with its own prefix: the ids on the page stay unique.
        post_forms={m.id: PostProtocolForm(prefix=f"p{m.id}", posted_on=on) for m in awaiting},
        announce_forms={m.id: AnnounceForm(prefix=f"a{m.id}") for m in to_announce},
        take_down_forms={n.id: TakeDownForm(prefix=f"t{n.id}") for n in notices},
        is_current=lambda n: services.is_current(n, on),
        text=text,
        on=on,
    )


@bp.route("/ny", methods=["POST"])
@require("notice.manage")
def post_other():
    form = OtherNoticeForm()
    if not form.validate_on_submit():
        return index(other_form=form), 422
    upload = form.attachment.data
    attachment = (upload.filename, upload.read()) if upload and upload.filename else None
    back_to(url_for("noticeboard_manage.index"))
    services.post_other_notice(
        get_session(),
        file_store(),
        title=form.title.data,
        text=form.text.data,
        posted_on=form.posted_on.data,
        take_down_on=form.take_down_on.data,
        attachment=attachment,
        user=current_user,
    )
    flash(_("The notice is posted."), "success")
    return _home()


@bp.route("/protokoll/<int:meeting_id>", methods=["POST"])
@require("notice.manage")
def post_protocol(meeting_id: int):
    meeting = _meeting(meeting_id)
    form = PostProtocolForm(prefix=f"p{meeting_id}")
    if not form.validate_on_submit():
        flash(_("Give the day the notice is posted."), "error")
        return _home()
    back_to(url_for("noticeboard_manage.index"))
    services.post_protocol_by_hand(
        get_session(), meeting, posted_on=form.posted_on.data, user=current_user
    )
    flash(_("The notice of the protocol is posted."), "success")
    return _home()


@bp.route("/kungorelse/<int:meeting_id>", methods=["POST"])
@require("notice.manage")
def announce(meeting_id: int):
    meeting = _meeting(meeting_id)
    if AnnounceForm(prefix=f"a{meeting_id}").validate_on_submit():
        back_to(url_for("noticeboard_manage.index"))
        services.announce_meeting(get_session(), file_store(), meeting, user=current_user)
        flash(_("The meeting is announced on the notice board."), "success")
    return _home()


@bp.route("/<int:notice_id>/ta-ned", methods=["POST"])
@require("notice.manage")
def take_down(notice_id: int):
    notice = _notice(notice_id)
    form = TakeDownForm(prefix=f"t{notice_id}")
    if not form.validate_on_submit():
        flash(_("Give the reason for taking the notice down early."), "error")
        return _home()
    back_to(url_for("noticeboard_manage.index"))
    services.take_down(get_session(), notice, reason=form.reason.data, user=current_user)
    flash(_("The notice is taken down."), "success")
    return _home()
