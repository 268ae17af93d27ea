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
    "document.correct": _l("Document corrected"),
    "document.replace_file": _l("New version of a file"),
    "document.move": _l("Document moved"),
    "document.loose_export": _l("Unfiled documents exported"),
}

#: How a correction (rättelse) of a document names its fields in the timeline.
FIELD_LABELS = {
    "direction": _l("Direction"),
    "received_on": _l("Date received or drawn up"),
    "counterpart": _l("Sender or recipient"),
    "counterpart_email": _l("E-mail of sender or recipient"),
    "title": _l("What it concerns"),
    "kind": _l("Kind of document"),
    "document_date": _l("Date of the document"),
    "is_secret": _l("Document secret"),
    "title_is_secret": _l("What it concerns secret"),
    "counterpart_is_secret": _l("Sender or recipient secret"),
    "secrecy_provision": _l("Secrecy provision"),
    "number": _l("Document number"),
}


def init_app(app: Flask) -> None:
    from caseflow.common import audit, corrections
    from caseflow.documents import page  # noqa: F401 - adds the document page to bp
    from caseflow.documents.cli import document_group
    from caseflow.documents.views import bp

    app.register_blueprint(bp)
    audit.register_labels(app, AUDIT_LABELS)
    corrections.register_field_labels(app, "document", FIELD_LABELS)
    app.cli.add_command(document_group)
