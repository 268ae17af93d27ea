"""The authority itself: its profile (name, address, logo) and its organisational units."""

from flask import Flask
from flask_babel import lazy_gettext as _l

AUDIT_LABELS = {
    "organisation.update": _l("Organisation profile changed"),
    "unit.create": _l("Unit added"),
    "unit.update": _l("Unit changed"),
    "unit.deactivate": _l("Unit closed"),
    "unit.reactivate": _l("Unit in use again"),
}


def init_app(app: Flask) -> None:
    from caseflow.common import audit, mailer
    from caseflow.organisation.cli import organisation_group, unit_group
    from caseflow.organisation.services import profile_sender
    from caseflow.organisation.views import bp

    app.register_blueprint(bp)
    audit.register_labels(app, AUDIT_LABELS)
    mailer.register_sender_lookup(app, profile_sender)
    app.cli.add_command(unit_group)
    app.cli.add_command(organisation_group)
