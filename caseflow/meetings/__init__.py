"""Decision bodies, meetings, decisions, protocol excerpts and dispatch."""

from flask import Flask
from flask_babel import lazy_gettext as _l

#: How the case timeline names the audit events of meetings, decisions and dispatch.
AUDIT_LABELS = {
    "case.transition.put_on_agenda": _l("Put on a meeting's agenda"),
    "case.transition.decide": _l("Decided at the meeting"),
    "case.transition.table": _l("Tabled at the meeting"),
    "case.transition.refer_back": _l("Referred back by the meeting"),
    "case.transition.take_off_agenda": _l("Taken off the agenda"),
    "case.transition.undo_decision": _l("Decision undone before justering"),
    "case.transition.dispatch": _l("Dispatched"),
    "meeting.add_case": _l("Put on the agenda"),
    "meeting.decision": _l("Decision recorded"),
    "meeting.correct_decision": _l("Decision corrected"),
    "meeting.undo_decision": _l("Decision undone before justering"),
    "meeting.remove_item": _l("Taken off the agenda"),
    "case.dispatch": _l("Excerpt registered for dispatch"),
    "dispatch.sent": _l("Excerpt sent by e-mail"),
    "dispatch.failed": _l("Sending the excerpt failed"),
    "organ.create": _l("Decision body added"),
    "organ.update": _l("Decision body changed"),
    "organ.member_add": _l("Member added to a decision body"),
    "organ.member_update": _l("Member of a decision body changed"),
    "organ.member_remove": _l("Member removed from a decision body"),
}


def init_app(app: Flask) -> None:
    from caseflow.cases.workflow import register_guard
    from caseflow.common import audit
    from caseflow.meetings import (
        agenda_views,  # noqa: F401 - its routes join bp
        planning_views,  # noqa: F401 - its routes join bp
        services,
    )
    from caseflow.meetings.admin_views import bp as admin_bp
    from caseflow.meetings.cli import excerpt_group
    from caseflow.meetings.organ_cli import organ_group
    from caseflow.meetings.views import bp

    # The meeting owns the rule that only an attested decision is dispatched.
    register_guard("dispatch", services.decision_is_final)
    app.register_blueprint(bp)
    app.register_blueprint(admin_bp)
    app.cli.add_command(excerpt_group)
    app.cli.add_command(organ_group)
    audit.register_labels(app, AUDIT_LABELS)
