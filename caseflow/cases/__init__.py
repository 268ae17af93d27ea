"""Cases (ärenden), series and case numbers."""

from flask import Flask
from flask_babel import lazy_gettext as _l

#: How the case timeline names the audit events of cases and their workflow.
AUDIT_LABELS = {
    "case.open": _l("Case opened"),
    "case.update": _l("Case details corrected"),
    "case.void": _l("Case voided"),
    "case.add_party": _l("Counterpart added"),
    "case.import": _l("Case imported from the previous diarium"),
    "case.transition.start": _l("Preparation started"),
    "case.transition.submit": _l("Submitted for review"),
    "case.transition.approve": _l("Approved"),
    "case.transition.return": _l("Returned to the official"),
    "case.transition.decide_delegated": _l("Decided under delegation"),
    "case.transition.close": _l("Case closed"),
    "case.transition.withdraw": _l("Case withdrawn"),
    "case.transition.reopen": _l("Case reopened"),
    "series.create": _l("Series added"),
    "series.update": _l("Series renamed"),
    "series.deactivate": _l("Series closed"),
    "series.reactivate": _l("Series opened again"),
}


def init_app(app: Flask) -> None:
    from caseflow.cases.admin_views import bp as admin_bp
    from caseflow.cases.cli import case_group
    from caseflow.cases.series_cli import series_group
    from caseflow.cases.views import bp
    from caseflow.common import audit

    app.register_blueprint(bp)
    app.register_blueprint(admin_bp)
    audit.register_labels(app, AUDIT_LABELS)
    app.cli.add_command(case_group)
    app.cli.add_command(series_group)
