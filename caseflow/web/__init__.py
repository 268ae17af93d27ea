"""The dashboard, error pages and what every template gets."""

from flask import Blueprint, Flask, current_app, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from caseflow.common.permissions import has_right
from caseflow.common.secrecy import case_title_for, document_counterpart_for, document_title_for
from caseflow.db import get_session
from caseflow.web import errors

bp = Blueprint("web", __name__)

MEETING_STATUS_LABELS = {
    "planned": _l("Planned"),
    "agenda_fixed": _l("Agenda fixed"),
    "attested": _l("Attested"),
}
DISPATCH_LABELS = {
    "pending": _l("waiting to be sent"),
    "sending": _l("being sent (check before sending again)"),
    "sent": _l("sent"),
    "failed": _l("failed"),
}

#: How the case timeline names each kind of audit event.
AUDIT_LABELS = {
    "case.open": _l("Case opened"),
    "case.update": _l("Case details corrected"),
    "case.void": _l("Case voided"),
    "case.add_party": _l("Counterpart added"),
    "case.import": _l("Case imported from the previous diarium"),
    "document.register": _l("Document registered"),
    "document.add_file": _l("File added"),
    "document.connect": _l("Document connected to the case"),
    "document.void": _l("Document voided"),
    "document.read_secret": _l("Secret document opened"),
    "memo.save": _l("Memo draft saved"),
    "memo.generate": _l("Memo generated"),
    "case.transition.start": _l("Preparation started"),
    "case.transition.submit": _l("Submitted for review"),
    "case.transition.approve": _l("Approved"),
    "case.transition.return": _l("Returned to the official"),
    "case.transition.decide_delegated": _l("Decided under delegation"),
    "case.transition.close": _l("Case closed"),
    "case.transition.withdraw": _l("Case withdrawn"),
    "case.transition.reopen": _l("Case reopened"),
    "case.transition.put_on_agenda": _l("Put on a meeting's agenda"),
    "case.transition.decide": _l("Decided at the meeting"),
    "case.transition.table": _l("Tabled at the meeting"),
    "case.transition.refer_back": _l("Referred back by the meeting"),
    "case.transition.dispatch": _l("Dispatched"),
    "meeting.add_case": _l("Put on the agenda"),
    "meeting.decision": _l("Decision recorded"),
    "meeting.correct_decision": _l("Decision corrected"),
    "case.dispatch": _l("Excerpt registered for dispatch"),
    "dispatch.sent": _l("Excerpt sent by e-mail"),
    "dispatch.failed": _l("Sending the excerpt failed"),
    "mail.filed": _l("E-mail filed into the case"),
    "mail.registered_loose": _l("E-mail registered without a case"),
    "mail.rejected": _l("E-mail marked as not to be registered"),
    "mail.undone": _l("Filing of an e-mail undone"),
    "mail.retried": _l("E-mail read again"),
    "mail.requeued": _l("E-mail put in the registrar's queue"),
    "mail.bounced": _l("An e-mail sent from the case could not be delivered"),
}


@bp.route("/")
@login_required
def dashboard():
    from caseflow.cases.queries import (
        long_undecided_cases,
        my_open_cases,
        overdue_cases,
        status_counts,
    )

    session = get_session()
    return render_template(
        "dashboard.html",
        mine=my_open_cases(session, current_user),
        overdue=overdue_cases(session),
        undecided=long_undecided_cases(session),
        counts=status_counts(session),
    )


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)

    @app.context_processor
    def _globals():
        from caseflow.cases.forms import ACTION_LABELS, STATUS_LABELS
        from caseflow.common.i18n import Labels, select_locale
        from caseflow.documents.forms import DIRECTION_LABELS
        from caseflow.mail.queue import waiting_count
        from caseflow.meetings.forms import DECISION_LABELS

        return {
            "organisation_name": current_app.config["ORGANISATION_NAME"],
            "has_right": lambda right: has_right(current_user, right),
            "case_title": lambda case: case_title_for(case, current_user),
            "doc_title": lambda doc, case: document_title_for(doc, case, current_user),
            "doc_counterpart": lambda doc, case: document_counterpart_for(doc, case, current_user),
            "status_labels": Labels(STATUS_LABELS),
            "action_labels": Labels(ACTION_LABELS),
            "direction_labels": Labels(DIRECTION_LABELS),
            "current_locale": select_locale(),
            "audit_labels": Labels(AUDIT_LABELS),
            "meeting_status_labels": Labels(MEETING_STATUS_LABELS),
            "decision_labels": Labels(DECISION_LABELS),
            "dispatch_labels": Labels(DISPATCH_LABELS),
            "mail_waiting": lambda: waiting_count(get_session()),
        }

    for code in (400, 403, 404, 405, 413, 429, 500):
        app.register_error_handler(code, _error_page)
    errors.init_app(app)


def _error_page(error):
    code = getattr(error, "code", 500) or 500
    if request.path.startswith("/static/"):
        return str(code), code
    return render_template("errors/error.html", code=code), code

