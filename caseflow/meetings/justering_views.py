"""Digital justering on the meeting's page: the secretary sends the protocol for
justering, the chair and the attesters attest it while logged in.

Its routes join the meetings blueprint.
"""

from __future__ import annotations

from flask import abort, flash
from flask_babel import gettext as _
from flask_login import current_user

from caseflow.common.permissions import may_sign_protocol, require
from caseflow.db import get_session
from caseflow.meetings import justering
from caseflow.meetings.views import _back, _meeting, _run, bp


@bp.route("/<int:meeting_id>/justering/send", methods=["POST"])
@require("meeting.manage")
def send_for_justering(meeting_id: int):
    meeting = _meeting(meeting_id)
    _run(
        lambda: justering.send_for_justering(get_session(), meeting, user=current_user),
        _(
            "The protocol is sent for justering; the chair and the attesters are told by "
            "e-mail. Their attestations are shown below."
        ),
    )
    return _back(meeting.id, "#justering")


@bp.route("/<int:meeting_id>/justering/sign", methods=["POST"])
@require("protocol.sign")
def sign(meeting_id: int):
    session = get_session()
    meeting = _meeting(meeting_id)
    if not may_sign_protocol(current_user, justering.signer_user_ids(session, meeting)):
        abort(403)
    justering.sign_protocol(session, meeting, user=current_user)
    if meeting.is_attested:
        flash(
            _("You have attested the protocol. Everyone has: the protocol is attested."), "success"
        )
    else:
        flash(_("You have attested the protocol."), "success")
    return _back(meeting.id, "#justering")
