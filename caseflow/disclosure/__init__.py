"""Requests for public documents (begäran om allmän handling): the public form and the
requester's private page (blueprint ``disclosure_public``, /diarium/begaran), and the
registrar's and officer's handling (blueprint ``disclosure``, /begaran)."""

from flask import Flask
from flask_babel import lazy_gettext as _l

#: How timelines and the audit page name the events of a request.
AUDIT_LABELS = {
    "disclosure.receive": _l("Request for documents received"),
    "disclosure.assign": _l("Request for documents assigned"),
    "disclosure.note": _l("Note on a request for documents saved"),
    "disclosure.add_document": _l("Document added to a request"),
    "disclosure.link_document": _l("Item of a request linked to a registered document"),
    "disclosure.decide": _l("Request for documents: document decided"),
    "disclosure.decided": _l("Request for documents decided"),
    "disclosure.send": _l("Attempt to send the requested documents by e-mail"),
    "disclosure.delivered": _l("Requested documents delivered"),
    "disclosure.not_delivered": _l("Requested documents could not be delivered"),
    "disclosure.ask_decision": _l("Written decision asked for"),
    "disclosure.written_decision": _l("Written decision on a request made"),
    "disclosure.close": _l("Request for documents closed"),
    "disclosure.paid": _l("Fee for a request for documents recorded as paid"),
    "disclosure.receipt_sent": _l("Receipt of a request e-mailed"),
    "disclosure.receipt_not_sent": _l("Receipt of a request could not be e-mailed"),
}

STATUS_TEXTS = {
    "received": _l("Received: waiting for the secrecy review."),
    "under_review": _l("Being reviewed for secrecy."),
    "decided": _l("Decided: the documents are being made ready for you."),
    "refused": _l("Decided: nothing could be released."),
    "delivered": _l("Delivered."),
    "closed": _l("Closed."),
}


def request_status_text(found) -> str:
    """The request's state in words, for the requester and the registrar alike."""
    from caseflow.disclosure.delivery import any_released

    if found.status == "decided" and not any_released(found):
        return str(STATUS_TEXTS["refused"])  # nothing is on its way: never say it is
    return str(STATUS_TEXTS[found.status])


def _dashboard_box(session, user):
    from caseflow.common.permissions import has_right
    from caseflow.common.timeutil import today
    from caseflow.disclosure.queries import open_requests

    if not has_right(user, "disclosure.handle"):
        return None
    found = open_requests(session, user)
    return {"requests": found, "today": today()}


def _mail_action(session, mail, user):
    from flask import url_for

    from caseflow.common.permissions import has_right
    from caseflow.disclosure.queries import request_of_mail
    from caseflow.mail.actions import MessageAction

    if not has_right(user, "mail.queue"):
        return []
    found = request_of_mail(session, mail.id)
    if found is not None:
        return [
            MessageAction(
                str(_l("Request for documents %(number)s", number=found.number)),
                url_for("disclosure.show", number=found.number),
                done=True,
            )
        ]
    return [
        MessageAction(
            str(_l("Make a request for documents of this mail")),
            url_for("disclosure.from_mail", mail_id=mail.id),
        )
    ]


def init_app(app: Flask) -> None:
    from caseflow.common import audit
    from caseflow.disclosure import decision, digest, payment
    from caseflow.disclosure.public_views import bp as public_bp
    from caseflow.disclosure.staff_views import bp as staff_bp
    from caseflow.disclosure.staff_views import outcome_labels
    from caseflow.doctemplates.services import register_kind
    from caseflow.mail.actions import register_message_action
    from caseflow.reminders.digest import register_digest_recipients, register_digest_section
    from caseflow.web import register_dashboard_box

    #: "Skyndsamt": working days after the day of receipt a request is to be decided by.
    app.config.setdefault("DISCLOSURE_DEADLINE_WORKING_DAYS", 1)
    #: Avgiftsförordningen 15–16 §§: pages free, the tenth page's fee, each page after.
    app.config.setdefault(
        "DISCLOSURE_FEES", {"free_pages": 9, "first_paid_page": 50, "per_page_after": 2}
    )
    #: Whether copies with a fee wait for staff to record the payment before delivery
    #: (the authority's choice; by default they go out with an invoice).
    app.config.setdefault("DISCLOSURE_REQUIRE_PAYMENT_BEFORE_DELIVERY", False)
    #: How long the public request form may stay open before it must be sent again.
    app.config.setdefault("DISCLOSURE_FORM_TOKEN_SECONDS", 2 * 3600)
    app.register_blueprint(public_bp)
    app.register_blueprint(staff_bp)
    audit.register_labels(app, AUDIT_LABELS)
    register_kind(decision.TEMPLATE_KIND, decision.TEMPLATE)
    register_dashboard_box("disclosure/dashboard_box.html", _dashboard_box)
    register_digest_section(digest.digest_lines)
    register_digest_recipients(digest.registrars)
    register_message_action(_mail_action)
    app.add_template_global(request_status_text, "request_status_text")
    app.add_template_global(outcome_labels, "outcome_labels")
    app.add_template_global(payment.waits_for_payment, "waits_for_payment")

    @app.context_processor
    def _labels():
        from caseflow.disclosure.forms import DELIVERY_LABELS

        return {"delivery_labels": {k: str(v) for k, v in DELIVERY_LABELS.items()}}
