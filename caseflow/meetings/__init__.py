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
    "dispatch.accepted": _l("The mail server accepted the dispatch for a recipient"),
    "dispatch.refused": _l("A recipient of the dispatch was refused or not reached"),
    "dispatch.uncertain": _l("Whether a dispatch reached the mail server is uncertain"),
    "dispatch.resend": _l("Dispatch sent again by hand"),
    "dispatch.marked_sent": _l("Dispatch marked as sent by hand"),
    "dispatch.posted": _l("Dispatch letter marked as posted"),
    "dispatch.to_letter": _l("Dispatch recipient to get a letter instead"),
    "dispatch.completed": _l("Every recipient of the dispatch served"),
    "organ.create": _l("Decision body added"),
    "organ.update": _l("Decision body changed"),
    "organ.member_add": _l("Member added to a decision body"),
    "organ.member_update": _l("Member of a decision body changed"),
    "organ.member_remove": _l("Member removed from a decision body"),
    "organ.member_account": _l("Account made for a member of a decision body"),
    # Digital justering.
    "meeting.justering_sent": _l("Protocol sent for justering"),
    "meeting.justering_notice": _l("Attester told by e-mail that the protocol awaits them"),
    "meeting.attest_signature": _l("Protocol attested by the chair or an attester"),
    "meeting.attest_withdrawn": _l("Attestations withdrawn: the protocol changed"),
    "meeting.justering_closed": _l("Digital justering closed: justering recorded"),
    # The proceedings: attendance, motions, votes, reservations and notes.
    "meeting.roll_call": _l("Roll call: members put on the list"),
    "meeting.attendee_add": _l("Added to the list of those present"),
    "meeting.attendee_remove": _l("Taken off the list of those present"),
    "meeting.presence": _l("Attendance at the meeting changed"),
    "meeting.item_presence": _l("Attendance under a § changed"),
    "meeting.item_presence_clear": _l("Attendance under a § restored"),
    "meeting.motion_add": _l("Motion recorded"),
    "meeting.motion_update": _l("Motion changed"),
    "meeting.motion_remove": _l("Motion removed"),
    "meeting.vote": _l("Vote recorded"),
    "meeting.vote_remove": _l("Vote removed"),
    "meeting.acclamation": _l("Motion adopted by acclamation"),
    "meeting.reservation_add": _l("Reservation recorded"),
    "meeting.reservation_remove": _l("Reservation removed"),
    "meeting.note_add": _l("Protocol note recorded"),
    "meeting.note_remove": _l("Protocol note removed"),
    # The kallelse.
    "meeting.summons": _l("Kallelse recorded for sending"),
    "meeting.summons_sent": _l("Kallelse sent by e-mail"),
    "meeting.summons_failed": _l("Sending the kallelse failed"),
    "delegation.create": _l("Delegation added"),
    "delegation.update": _l("Delegation changed"),
    "delegation.deactivate": _l("Delegation taken out of use"),
    "delegation.decide": _l("Decision under delegation registered"),
    "delegation.report": _l("Delegated decisions reported to the body"),
    "delegation.notice": _l("Notice of the delegated decision posted"),
    "appeal.record": _l("Appeal recorded"),
    "appeal.end": _l("Appeal ended"),
    "decision.legal_force": _l("The decision gained legal force"),
}


def _decision_page(session, case) -> str:
    from flask import url_for

    return url_for("delegation.decide", number=case.number)


def _decision_dispatch_page(session, case) -> str | None:
    """The dispatch of a case decided under delegation is made from its decision's page."""
    from flask import url_for

    from caseflow.meetings.decisions import latest_decided_item
    from caseflow.meetings.delegated_decisions import decision_of

    if decision_of(session, case) is None or latest_decided_item(session, case) is not None:
        return None
    return url_for("delegation.decide", number=case.number)


def init_app(app: Flask) -> None:
    from caseflow.cases.workflow import register_action_link, register_guard
    from caseflow.common import audit
    from caseflow.meetings import (
        agenda_views,  # noqa: F401 - its routes join bp
        decisions,
        dispatch_views,  # noqa: F401 - its routes join bp
        justering_views,  # noqa: F401 - its routes join bp
        planning_views,  # noqa: F401 - its routes join bp
        proceedings_views,  # noqa: F401 - its routes join bp
        summons_views,  # noqa: F401 - its routes join bp
    )
    from caseflow.meetings.admin_views import bp as admin_bp
    from caseflow.meetings.cli import excerpt_group, meeting_group
    from caseflow.meetings.delegation_cli import delegation_group
    from caseflow.meetings.delegation_views import bp as delegation_bp
    from caseflow.meetings.legal_force_views import bp as appeals_bp
    from caseflow.meetings.legal_force_views import case_section
    from caseflow.meetings.organ_cli import organ_group
    from caseflow.meetings.views import bp

    # The meeting owns the rule that only an attested decision is dispatched.
    register_guard("dispatch", decisions.decision_is_final)
    # The meeting says the next step of a case on its agenda and of its decisions.
    from caseflow.cases.next_step import register_next_step
    from caseflow.meetings import next_step

    register_next_step("on_agenda", next_step.on_agenda_step)
    register_next_step("decided", next_step.decided_step)
    register_next_step("dispatched", next_step.dispatched_step)
    # The case page links to the delegated decision's page, which names the delegation and
    # makes the decision document, instead of a bare button (see delegated_decisions).
    register_action_link("decide_delegated", _decision_page)
    register_action_link("dispatch", _decision_dispatch_page, _l("Send the delegated decision"))
    app.register_blueprint(bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(delegation_bp)
    app.register_blueprint(appeals_bp)
    # The case page shows when the decision gains legal force, and its appeals.
    from caseflow.cases.sections import register_case_section

    register_case_section(case_section)
    app.cli.add_command(excerpt_group)
    app.cli.add_command(meeting_group)
    app.cli.add_command(organ_group)
    app.cli.add_command(delegation_group)
    audit.register_labels(app, AUDIT_LABELS)
