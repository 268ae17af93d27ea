"""Login and user administration forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length

from caseflow.auth.models import Role
from caseflow.common.forms import choices

ROLE_LABELS = {
    Role.REGISTRAR: _l("Registrar"),
    Role.OFFICIAL: _l("Official"),
    Role.MANAGER: _l("Manager"),
    Role.ADMIN: _l("Administrator"),
}


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
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(min=10, max=1024)])
    is_enabled = BooleanField(_l("Active"), default=True)
