"""Incoming e-mail: reading raw messages into plain data for the intake pipeline.

``parsing.parse_message`` turns the stored raw bytes into a ``ParsedMessage`` (headers,
text, sanitised HTML, every attachment, classification, forward and case-number
suggestions). It never touches the database or Flask and never raises. It reads headers
with ``headerread`` and parts with ``partread``. Its other helpers:
``classify`` (the kind of message, by the standards), ``canonical`` (the form "the same
message" is decided on), ``numbers`` (case numbers, subject prefixes), ``forwards``
(forwarded header blocks and their dates), ``decoding`` (charsets), ``parts`` (single MIME
parts), ``htmlsafe`` (HTML to text, sanitising) and ``tnef`` (winmail.dat).

Intake (``store`` for step 1, ``intake``, ``sources``, ``imap``) stores every message
before it reads it;
``filing`` registers a mail as an incoming document; ``queue`` holds the registrar's
decisions; ``views`` and ``admin_views`` are the queue and the mailbox pages.
"""

from flask_babel import lazy_gettext as _l

#: How the case timeline names the audit events of mail filing.
AUDIT_LABELS = {
    "mail.filed": _l("E-mail filed into the case"),
    "mail.registered_loose": _l("E-mail registered without a case"),
    "mail.rejected": _l("E-mail marked as not to be registered"),
    "mail.undone": _l("Filing of an e-mail undone"),
    "mail.retried": _l("E-mail read again"),
    "mail.requeued": _l("E-mail put in the registrar's queue"),
    "mail.bounced": _l("An e-mail sent from the case could not be delivered"),
    "mail.delayed": _l(
        "Delivery of an e-mail sent from the case is delayed; the mail server is still trying"
    ),
}


def init_app(app) -> None:
    from caseflow.common import audit
    from caseflow.mail.admin_views import bp as admin_bp
    from caseflow.mail.cli import mail_group
    from caseflow.mail.views import bp

    app.register_blueprint(bp)
    app.register_blueprint(admin_bp)
    app.cli.add_command(mail_group)
    audit.register_labels(app, AUDIT_LABELS)
