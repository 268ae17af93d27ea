"""Forms for the delegationsordning and for a decision taken under delegation."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, FieldList, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional


class DelegationForm(FlaskForm):
    code = StringField(
        _l("Number in the delegationsordning"),
        validators=[DataRequired(), Length(max=20)],
        description=_l("E.g. 3.2"),
    )
    matter = TextAreaField(
        _l("Kind of decision"),
        validators=[DataRequired(), Length(max=500)],
        description=_l("E.g. Beslut om medfinansiering av projekt upp till 500 000 kr"),
    )
    delegate = StringField(
        _l("Delegated to"),
        validators=[DataRequired(), Length(max=200)],
        description=_l("A role or a person, e.g. Regiondirektör"),
    )
    limits = TextAreaField(_l("Limits and conditions"), validators=[Optional(), Length(max=5000)])
    resting_on = StringField(
        _l("The body's decision it rests on"),
        validators=[DataRequired(), Length(max=200)],
        description=_l("E.g. RS 2024-02-06 § 12"),
    )
    valid_from = DateField(_l("Valid from"), validators=[DataRequired()])
    valid_to = DateField(_l("Valid until"), validators=[Optional()])


class DelegatedDecisionForm(FlaskForm):
    delegation_id = SelectField(
        _l("Delegation"), coerce=int, validate_choice=True, validators=[DataRequired()]
    )
    points = FieldList(
        TextAreaField(_l("Decision point"), validators=[Optional(), Length(max=5000)])
    )
    decided_on = DateField(_l("Date of the decision"), validators=[DataRequired()])
    decided_by_name = StringField(
        _l("Decided by (name and title)"),
        validators=[DataRequired(), Length(max=200)],
        description=_l("As the decision document is signed, e.g. Hans Svensson, Regiondirektör"),
    )
