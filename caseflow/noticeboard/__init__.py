"""The official digital notice board (anslagstavla, KL 8 kap. 9–10 §§): the notices of
attested protocols, from which the appeal period runs, announcements of coming meetings
(kungörelser) and other notices; current ones at /anslagstavla/, the rest in its public
history. Managers keep it at /anslagstavla/hantera."""

from flask import Flask
from flask_babel import lazy_gettext as _l

AUDIT_LABELS = {
    "notice.post": _l("Notice posted on the notice board"),
    "notice.redate": _l("Dates of a notice on the notice board changed"),
    "notice.take_down": _l("Notice taken down early from the notice board"),
    "notice.expire": _l("Notice taken down from the notice board: its time was up"),
}


def init_app(app: Flask) -> None:
    from caseflow.common import audit
    from caseflow.meetings.hooks import register_meeting_hook
    from caseflow.noticeboard import hooks
    from caseflow.noticeboard.manage_views import bp as manage_bp
    from caseflow.noticeboard.views import bp

    # Meetings announce what happens to them; the board posts and announces in reply.
    register_meeting_hook(app, "attested", hooks.post_at_justering)
    register_meeting_hook(app, "notice_posted", hooks.post_with_notice_date)
    register_meeting_hook(app, "summons_sent", hooks.announce_with_summons)
    register_meeting_hook(app, "delegated_notice_posted", hooks.post_delegated_decision)
    app.register_blueprint(bp)
    app.register_blueprint(manage_bp)
    audit.register_labels(app, AUDIT_LABELS)
