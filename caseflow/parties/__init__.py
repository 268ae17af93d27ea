"""The parties register (kontaktregister): organisations and persons, reused by cases
(their counterparts), documents (sender or recipient) and mail intake (who wrote).

It sits below cases, documents and mail: they refer to a party by ``party_id``; the
register never imports them (a merge finds the referring columns in the metadata).
"""

from flask import Flask
from flask_babel import lazy_gettext as _l

#: How the audit trail names the register's events.
AUDIT_LABELS = {
    "party.create": _l("Party added to the register"),
    "party.update": _l("Party corrected in the register"),
    "party.merge": _l("Duplicate parties merged"),
}


def init_app(app: Flask) -> None:
    from caseflow.common import audit, publicity
    from caseflow.db import CaseflowSession
    from caseflow.parties import publicity as organisations
    from caseflow.parties.cli import party_group
    from caseflow.parties.views import bp

    publicity.register_organisation_lookup(organisations.names_an_organisation)
    organisations.register(CaseflowSession)

    app.register_blueprint(bp)
    app.cli.add_command(party_group)
    audit.register_labels(app, AUDIT_LABELS)
