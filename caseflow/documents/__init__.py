"""Documents (handlingar) and their files."""

from flask import Flask
from flask_babel import lazy_gettext as _l

#: How the case timeline names the audit events of documents.
AUDIT_LABELS = {
    "document.register": _l("Document registered"),
    "document.add_file": _l("File added"),
    "document.connect": _l("Document connected to the case"),
    "document.void": _l("Document voided"),
    "document.read_secret": _l("Secret document opened"),
}


def init_app(app: Flask) -> None:
    from caseflow.common import audit
    from caseflow.documents.views import bp

    app.register_blueprint(bp)
    audit.register_labels(app, AUDIT_LABELS)
