"""The memo form: fixed fields plus lists that grow and shrink without JavaScript."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from caseflow.common.forms import CheckboxesField


class SignatoryForm(Form):
    name = StringField(_l("Name"), validators=[Optional(), Length(max=200)])
    title = StringField(_l("Title"), validators=[Optional(), Length(max=200)])


class RecipientForm(Form):
    organisation = StringField(_l("Organisation"), validators=[Optional(), Length(max=200)])
    name = StringField(_l("Person"), validators=[Optional(), Length(max=200)])
    email = StringField(_l("E-mail"), validators=[Optional(), Length(max=254)])


class MemoForm(FlaskForm):
    version = HiddenField()
    memo_date = DateField(_l("Date"), validators=[DataRequired()])
    unit = StringField(_l("Unit"), validators=[Optional(), Length(max=200)])
    officer_name = StringField(_l("Officer"), validators=[Optional(), Length(max=200)])
    officer_phone = StringField(_l("Phone"), validators=[Optional(), Length(max=50)])
    officer_email = StringField(_l("E-mail"), validators=[Optional(), Length(max=254)])
    title = StringField(_l("Heading"), validators=[DataRequired(), Length(max=500)])
    description = TextAreaField(
        _l("Case description"),
        validators=[Optional(), Length(max=50000)],
        description=_l("Blank lines separate paragraphs; lines starting with “- ” form a list."),
    )
    supports = CheckboxesField(_l("Supporting documents"), coerce=int, validate_choice=True)
    decision_body = StringField(
        _l("Decision body"),
        validators=[Optional(), Length(max=200)],
        description=_l("For example Regionstyrelsen"),
    )
    proposer = StringField(
        _l("Whose proposal"),
        validators=[Optional(), Length(max=200)],
        description=_l("For example Regiondirektören"),
    )
    points = FieldList(
        TextAreaField(_l("Proposal point"), validators=[Optional(), Length(max=5000)])
    )
    signatories = FieldList(FormField(SignatoryForm))
    recipients = FieldList(FormField(RecipientForm))
