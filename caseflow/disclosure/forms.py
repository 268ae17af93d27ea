"""The staff's forms on a request's page (Flask-WTF, CSRF on), and the ways of delivery.

The anonymous request form is not here: it has no session for a CSRF token and is
protected by a signed form token instead (:mod:`.tokens`, :mod:`.public_views`).
"""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, Regexp
from wtforms.validators import ValidationError as FieldError

from caseflow.common.forms import choices
from caseflow.disclosure.models import Delivery, Outcome
from caseflow.disclosure.review import looks_like_provision

#: The ways of delivery the public form offers, in its order.
DELIVERY_LABELS = {
    Delivery.EMAIL: _l("By e-mail"),
    Delivery.POST: _l("By post"),
    Delivery.PICKUP: _l("I will pick up copies"),
    Delivery.ON_SITE: _l("I will look at them on site"),
}

#: How staff say the documents reached the requester.
HANDED_OVER_LABELS = {
    Delivery.POST: _l("Posted as a letter"),
    Delivery.PICKUP: _l("Picked up"),
    Delivery.ON_SITE: _l("Looked at on site"),
    Delivery.EMAIL: _l("Sent by e-mail outside caseflow"),
}

OUTCOME_LABELS = {
    Outcome.RELEASED: _l("Release in full"),
    Outcome.REDACTED: _l("Release with redactions"),
    Outcome.REFUSED: _l("Refuse"),
    Outcome.NOT_HELD: _l("The authority does not hold it"),
}

#: The words that make the officer's secrecy review of a document marked secret explicit.
SECRECY_REVIEWED_LABEL = _l("I have reviewed the secrecy: the document can be released")

PAGES_MESSAGE = _l("Give the number of pages as a whole number above zero.")


class DecideForm(FlaskForm):
    """The decision on one document asked for (one form per item, prefixed by its id)."""

    outcome = RadioField(
        _l("Decision"),
        choices=choices(OUTCOME_LABELS.items()),
        invalid_choice_message=_l("Choose release, release with redactions or refusal."),
    )
    provision = StringField(
        _l("OSL provision (for redaction or refusal)"),
        validators=[Optional(), Length(max=200)],
        render_kw={"placeholder": "OSL 21 kap. 1 §"},
    )
    redacted = FileField(_l("Redacted version (for release with redactions)"))
    #: Shown only for a document marked secret: releasing it needs the box ticked.
    secrecy_reviewed = BooleanField(SECRECY_REVIEWED_LABEL)
    page_count = StringField(
        _l("Pages, where the file is not a PDF"),
        validators=[Optional(), Regexp(r"^\s*[1-9][0-9]{0,5}\s*$", message=PAGES_MESSAGE)],
        render_kw={"inputmode": "numeric", "maxlength": 6},
    )

    def validate_provision(self, field):
        # Said at the field, before the service refuses it with the same words.
        if (
            self.outcome.data in (Outcome.REFUSED, Outcome.REDACTED)
            and not (field.data or "").strip()
        ):
            raise FieldError(
                _l("Give the provision of OSL the secrecy rests on (e.g. OSL 21 kap. 1 §).")
            )
        if self.outcome.data in (Outcome.REFUSED, Outcome.REDACTED) and not looks_like_provision(
            field.data
        ):
            raise FieldError(
                _l(
                    "»%(text)s« is not a provision of secrecy: give the provision of OSL "
                    "(e.g. OSL 21 kap. 1 §).",
                    text=field.data.strip(),
                )
            )

    def validate_redacted(self, field):
        upload = field.data
        if self.outcome.data == Outcome.REDACTED and not (upload and upload.filename):
            raise FieldError(_l("Upload the redacted version of the document."))

    @property
    def pages(self) -> int | None:
        return int(self.page_count.data) if (self.page_count.data or "").strip() else None


class AddDocumentForm(FlaskForm):
    document = StringField(
        _l("Add a registered document (number)"),
        validators=[
            DataRequired(_l("Write the document's number, e.g. RS/720/2021-3.")),
            Length(max=60),
        ],
        render_kw={"placeholder": "RS/720/2021-3"},
    )


class LinkDocumentForm(FlaskForm):
    """Link an item in the requester's own words to the registered document it means."""

    document = StringField(
        _l("The registered document it means (number)"),
        validators=[
            DataRequired(_l("Write the document's number, e.g. RS/720/2021-3.")),
            Length(max=60),
        ],
        render_kw={"placeholder": "RS/720/2021-3"},
    )


class HandedOverForm(FlaskForm):
    how = SelectField(
        _l("Handed over"),
        choices=choices(HANDED_OVER_LABELS.items()),
        invalid_choice_message=_l("Say how the documents were handed over."),
    )


class AssignForm(FlaskForm):
    """The officer to review secrecy; empty: the registrars. The view sets the choices."""

    officer_id = SelectField(
        _l("Secrecy review by"), invalid_choice_message=_l("Choose an officer.")
    )


class NoteForm(FlaskForm):
    note = TextAreaField(
        _l("Note (never shown to the requester)"),
        validators=[Optional(), Length(max=5000)],
        render_kw={"rows": 3},
    )


class PaymentForm(FlaskForm):
    paid_on = DateField(
        _l("Fee paid on"),
        validators=[DataRequired(_l("Give the day the fee was paid, e.g. 2026-12-03."))],
    )
