"""Login and user administration forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from caseflow.auth.models import Role
from caseflow.common.forms import choices

ROLE_LABELS = {
    Role.REGISTRAR: _l("Registrar"),
    Role.OFFICIAL: _l("Official"),
    Role.MANAGER: _l("Manager"),
    Role.ADMIN: _l("Administrator"),
    Role.MEMBER: _l("Elected member"),
}

PASSWORD_HELP = _l(
    "At least 12 characters and not a common password: a few words that do not "
    "belong together are easy to remember and hard to guess."
)


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=1024)])


class UserForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    role = SelectField(
        _l("Role"), choices=choices((r.value, label) for r, label in ROLE_LABELS.items())
    )
    unit_id = SelectField(_l("Unit"), coerce=int, default=0, validate_choice=True)
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(), Length(max=1024)],
        description=PASSWORD_HELP,
    )
    is_enabled = BooleanField(_l("Active"), default=True)


def _password_field(label):
    # The length rule is checked by the service (one rule for every path), not here.
    return PasswordField(
        label, validators=[DataRequired(), Length(max=1024)], description=PASSWORD_HELP
    )


class UserEditForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    role = SelectField(
        _l("Role"), choices=choices((r.value, label) for r, label in ROLE_LABELS.items())
    )
    unit_id = SelectField(_l("Unit"), coerce=int, default=0, validate_choice=True)
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=50)])


class DeactivateForm(FlaskForm):
    successor = SelectField(
        _l("Who takes over the open cases and reminders"),
        choices=[],
        validate_choice=False,
        description=_l("Each case moved is recorded in its history."),
    )


class SetPasswordForm(FlaskForm):
    password = _password_field(_l("New password"))
    confirm = PasswordField(
        _l("The new password again"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )


class OwnPasswordForm(SetPasswordForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=1024)])
