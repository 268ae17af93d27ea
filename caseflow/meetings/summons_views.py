"""The kallelse on the meeting page: send it, download what was sent, preview the next one.

Its routes join the meetings blueprint (``meetings.send_summons`` and its siblings).
"""

from __future__ import annotations

import io

from flask import abort, flash, send_file
from flask_babel import gettext as _
from flask_login import current_user

from caseflow.common.mailer import uses_outbox
from caseflow.common.permissions import require
from caseflow.db import get_session
from caseflow.documents.formats import DOCX_MIME
from caseflow.documents.storage import file_store
from caseflow.meetings import summons, summons_mail
from caseflow.meetings.models import MeetingSummons
from caseflow.meetings.state import meeting_date
from caseflow.meetings.views import _back, _meeting, bp


def _download_name(meeting, version: int) -> str:
    word = "Reviderad kallelse" if version > 1 else "Kallelse"
    return f"{word} {meeting.organ.name} {meeting_date(meeting).isoformat()} v{version}.docx"


@bp.route("/<int:meeting_id>/summons", methods=["POST"])
@require("meeting.manage")
def send_summons(meeting_id: int):
    meeting = _meeting(meeting_id)
    summons_mail.send_summons(get_session(), file_store(), meeting, user=current_user)
    # Said before the mail leaves (after the commit): the sending's line tells the outcome.
    if uses_outbox():
        flash(
            _(
                "The kallelse is recorded. No mail server is configured: it is to be written "
                "to the outbox folder, not sent; its line under Kallelse shows what became of it."
            ),
            "success",
        )
    else:
        flash(
            _(
                "The kallelse is recorded and handed to the mail server; its line under "
                "Kallelse shows whether the server took it."
            ),
            "success",
        )
    return _back(meeting.id, "#summons")


@bp.route("/<int:meeting_id>/summons/<int:summons_id>.docx")
@require("meeting.view")
def summons_document(meeting_id: int, summons_id: int):
    meeting = _meeting(meeting_id)
    sent = get_session().get(MeetingSummons, summons_id)
    if sent is None or sent.meeting_id != meeting.id or not sent.sha256:
        abort(404)
    return send_file(
        file_store().path_for(sent.sha256),
        mimetype=DOCX_MIME,
        as_attachment=True,
        download_name=_download_name(meeting, sent.version),
    )


@bp.route("/<int:meeting_id>/summons/preview.docx")
@require("meeting.view")
def summons_preview(meeting_id: int):
    session = get_session()
    meeting = _meeting(meeting_id)
    version = summons.next_version(session, meeting)
    content = summons.summons_docx(session, meeting, version=version)
    return send_file(
        io.BytesIO(content),
        mimetype=DOCX_MIME,
        as_attachment=True,
        download_name=_download_name(meeting, version),
    )
