"""The registration form: the OSL 5 kap. 2 § fields first, then secrecy and files."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired, MultipleFileField
from wtforms import BooleanField, DateField, HiddenField, RadioField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from caseflow.common.forms import choices, secrecy_provision_field

DIRECTION_LABELS = {
    "incoming": _l("Incoming"),
    "outgoing": _l("Outgoing"),
    "internal": _l("Drawn up (internal)"),
}


class DocumentSecrecyFields:
    """The secrecy of a registration: the whole document or single fields, under a provision.

    A mixin for every form that registers a document (by hand, or a mail).
    """

    is_secret = BooleanField(_l("The document is secret"))
    title_is_secret = BooleanField(_l("What it concerns is secret"))
    counterpart_is_secret = BooleanField(_l("The sender or recipient is secret"))
    secrecy_provision = secrecy_provision_field()


class DocumentForm(DocumentSecrecyFields, FlaskForm):
    direction = RadioField(
        _l("Direction"),
        choices=choices(DIRECTION_LABELS.items()),
        default="incoming",
        validators=[DataRequired()],
    )
    received_on = DateField(_l("Date received or drawn up"), validators=[DataRequired()])
    counterpart = StringField(
        _l("Sender or recipient"), validators=[DataRequired(), Length(max=300)]
    )
    counterpart_email = StringField(
        _l("E-mail of sender or recipient"), validators=[Optional(), Email(), Length(max=254)]
    )
    title = StringField(
        _l("What it concerns, in brief"), validators=[DataRequired(), Length(max=500)]
    )
    kind = StringField(
        _l("Kind of document"),
        validators=[Optional(), Length(max=100)],
        description=_l("For example letter, application, e-mail"),
    )
    document_date = DateField(_l("Date of the document"), validators=[Optional()])
    files = MultipleFileField(_l("Files"))


class ConnectForm(FlaskForm):
    number = StringField(_l("Case number"), validators=[DataRequired(), Length(max=40)])


def reason_field(label=None, description=None) -> StringField:
    """The reason a correction must give; it is kept in the audit trail and the timeline."""
    return StringField(
        label or _l("Reason for the correction"),
        validators=[DataRequired(), Length(max=500)],
        description=description or _l("Saved in the timeline, e.g. “Misspelt when registered”."),
    )


class DocumentCorrectForm(DocumentSecrecyFields, FlaskForm):
    """A rättelse of the registration data: the registration fields and a reason."""

    direction = DocumentForm.direction
    received_on = DocumentForm.received_on
    counterpart = DocumentForm.counterpart
    counterpart_email = DocumentForm.counterpart_email
    title = DocumentForm.title
    kind = DocumentForm.kind
    document_date = DocumentForm.document_date
    reason = reason_field()
    #: The document's version when the form was opened (optimistic locking).
    version = HiddenField()


class ReplaceFileForm(FlaskForm):
    file = FileField(_l("New version of the file"), validators=[FileRequired()])
    reason = reason_field(
        _l("Why a new version"), _l("For example “The sender sent a corrected version”.")
    )


class MoveForm(FlaskForm):
    number = StringField(
        _l("Move to case"),
        validators=[Length(max=40)],
        description=_l("The case number, e.g. RS/412/2021."),
    )
    loose = BooleanField(_l("Make it unfiled (no case) instead"))
    reason = reason_field(_l("Why it is moved"), _l("For example “Registered in the wrong case”."))

    def validate_number(self, field):
        if not (field.data or "").strip() and not self.loose.data:
            raise ValidationError(_l("Give the case number, or choose to make it unfiled."))
        if (field.data or "").strip() and self.loose.data:
            raise ValidationError(_l("Give a case number or choose unfiled, not both."))
