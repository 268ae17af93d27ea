"""Forms for the organisation profile and the units."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional


class ProfileForm(FlaskForm):
    name = StringField(_l("Name of the organisation"), validators=[DataRequired(), Length(max=200)])
    org_number = StringField(
        _l("Organisation number"),
        validators=[Optional(), Length(max=20)],
        description=_l("For example 232100-0214"),
    )
    postal_address = TextAreaField(_l("Postal address"), validators=[Optional(), Length(max=500)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=50)])
    email = StringField(_l("E-mail"), validators=[Optional(), Length(max=254)])
    web = StringField(_l("Website"), validators=[Optional(), Length(max=200)])
    logo = FileField(_l("Logo"), description=_l("PNG or JPEG, at most 512 kB."))
    remove_logo = BooleanField(_l("Remove the logo"))


class UnitForm(FlaskForm):
    name = StringField(_l("Name of the unit"), validators=[DataRequired(), Length(max=200)])
    parent = SelectField(_l("Part of"), coerce=int, validate_choice=True)
