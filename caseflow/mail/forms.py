"""Forms of the registrar's mail queue and of the admin's mailbox pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional

from caseflow.classification.forms import process_field
from caseflow.common.forms import choices
from caseflow.documents.forms import DocumentSecrecyFields
from caseflow.mail.filing import Registration
from caseflow.mail.mailboxes import FIELDS


class RegisterMailForm(DocumentSecrecyFields, FlaskForm):
    """One form, three ways to register: into a case, into a new case, without a case.

    The OSL 5 kap. 2 § fields come filled from the mail and stay editable.
    """

    action = RadioField(
        _l("Register"),
        choices=choices(
            [
                ("file", _l("into an existing case")),
                ("new_case", _l("into a new case")),
                ("loose", _l("without a case (unfiled)")),
            ]
        ),
        default="file",
    )
    number = StringField(
        _l("Case number"),
        validators=[Optional(), Length(max=40)],
        description=_l("For example RS/720/2021"),
    )
    title = StringField(
        _l("What it concerns, in brief"), validators=[DataRequired(), Length(max=500)]
    )
    counterpart = StringField(_l("Sender"), validators=[DataRequired(), Length(max=300)])
    counterpart_email = StringField(
        _l("E-mail of the sender"), validators=[Optional(), Email(), Length(max=254)]
    )
    received_on = DateField(_l("Date received"), validators=[DataRequired()])
    document_date = DateField(_l("Date of the document"), validators=[Optional()])
    counterpart_is_secret = BooleanField(_l("The sender is secret"))  # mail is always incoming
    # A new case from the mail.
    series = SelectField(_l("Series"), validate_choice=False)
    case_title = StringField(_l("Case title"), validators=[Optional(), Length(max=500)])
    officer_id = SelectField(_l("Responsible officer"), coerce=int, validate_choice=True)
    class_id = process_field()
    # The sender in the parties register: the match, a new party as proposed (and perhaps
    # edited here), another party by its number, or none.
    party_choice = SelectField(_l("Sender in the register"), validate_choice=False)
    counterpart_name = StringField(_l("Contact person"), validators=[Optional(), Length(max=200)])
    counterpart_organisation = StringField(
        _l("Organisation"), validators=[Optional(), Length(max=200)]
    )
    other_party_id = IntegerField(
        _l("Or another party: its number in the register"),
        validators=[Optional(), NumberRange(min=1)],
    )

    def registration(self) -> Registration:
        return Registration(
            title=self.title.data,
            counterpart=self.counterpart.data,
            counterpart_email=self.counterpart_email.data or None,
            received_on=self.received_on.data,
            document_date=self.document_date.data,
            is_secret=self.is_secret.data,
            title_is_secret=self.title_is_secret.data,
            counterpart_is_secret=self.counterpart_is_secret.data,
            secrecy_provision=self.secrecy_provision.data or None,
        )


class ReasonForm(FlaskForm):
    """Reject a mail, or undo a decision: either way a reason is kept."""

    reason = StringField(_l("Reason"), validators=[DataRequired(), Length(max=500)])


SECURITY_LABELS = {
    "ssl": _l("SSL/TLS (IMAPS, port 993)"),
    "starttls": _l("STARTTLS (port 143)"),
    "none": _l("None (only on a trusted local network)"),
}


class MailboxForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)])
    address = StringField(
        _l("The mailbox's e-mail address"), validators=[Optional(), Email(), Length(max=254)]
    )
    host = StringField(_l("IMAP server"), validators=[DataRequired(), Length(max=255)])
    port = IntegerField(_l("Port"), default=993, validators=[DataRequired(), NumberRange(1, 65535)])
    security = SelectField(
        _l("Connection security"), choices=choices(SECURITY_LABELS.items()), default="ssl"
    )
    username = StringField(_l("User name"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(
        _l("Password"),
        validators=[Optional(), Length(max=500)],
        description=_l(
            "Stored encrypted and never shown. Leave empty to keep the stored one; needed "
            "again when the server, port, security or user name changes."
        ),
    )
    folder = StringField(_l("Folder to read"), default="INBOX", validators=[DataRequired()])
    processed_folder = StringField(
        _l("Folder for handled mail"), default="caseflow-processed", validators=[DataRequired()]
    )
    failed_folder = StringField(
        _l("Folder for mail that could not be read"),
        default="caseflow-failed",
        validators=[DataRequired()],
    )
    is_active = BooleanField(_l("Fetch mail from this mailbox"), default=True)

    def values(self) -> dict:
        return {name: getattr(self, name).data for name in FIELDS}
