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
    "case.classify": _l("Process (classification) given"),
    "case.export": _l("Case list exported"),
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
    "series.files_from": _l("Date from which the series publishes files changed"),
    "series.deactivate": _l("Series closed"),
    "series.reactivate": _l("Series opened again"),
}


#: How a correction (rättelse) of a case names its fields in the timeline.
FIELD_LABELS = {
    "title": _l("Case title"),
    "title_is_secret": _l("Case title secret"),
    "public_title": _l("Public case title"),
    "secrecy_provision": _l("Secrecy provision"),
    "description": _l("Description"),
    "description_is_secret": _l("Description secret"),
    "parties_are_secret": _l("Counterparts secret"),
    "officer": _l("Responsible officer"),
    "unit": _l("Unit"),
    "class_code": _l("Classification"),
    "due_on": _l("Due date"),
}


def init_app(app: Flask) -> None:
    from caseflow.cases import classes
    from caseflow.cases.admin_views import bp as admin_bp
    from caseflow.cases.classify_views import bp as unclassified_bp
    from caseflow.cases.cli import case_group
    from caseflow.cases.series_cli import series_group
    from caseflow.cases.views import bp
    from caseflow.classification import services as classification
    from caseflow.common import audit, corrections

    app.register_blueprint(bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(unclassified_bp)
    audit.register_labels(app, AUDIT_LABELS)
    corrections.register_field_labels(app, "case", FIELD_LABELS)
    app.cli.add_command(case_group)
    app.cli.add_command(series_group)
    # The structure below asks cases how a class is used and to link old codes to it.
    classification.register_usage_check(app, classes.count_cases_in_class)
    classification.register_after_import(app, classes.link_matching_codes)
