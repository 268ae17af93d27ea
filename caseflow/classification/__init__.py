"""The classification structure (klassificeringsstruktur): a register below cases."""

from flask import Flask
from flask_babel import lazy_gettext as _l

#: How the audit trail names the structure's events.
AUDIT_LABELS = {
    "classification.create": _l("Class added"),
    "classification.update": _l("Class changed"),
    "classification.deactivate": _l("Class deactivated"),
    "classification.reactivate": _l("Class taken into use again"),
    "classification.remove": _l("Class removed"),
}


def init_app(app: Flask) -> None:
    from caseflow.classification.cli import classification_group
    from caseflow.classification.views import bp
    from caseflow.common import audit

    app.register_blueprint(bp)
    audit.register_labels(app, AUDIT_LABELS)
    app.cli.add_command(classification_group)
