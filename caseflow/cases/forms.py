"""Forms for opening and correcting cases."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional

from caseflow.cases.labels import ACTION_LABELS, STATUS_LABELS  # noqa: F401 - the forms' too
from caseflow.classification.forms import process_field
from caseflow.common.forms import choices, secrecy_provision_field


class _CaseFields(FlaskForm):
    title = StringField(_l("Case title"), validators=[DataRequired(), Length(max=500)])
    title_is_secret = BooleanField(_l("The case title is secret"))
    public_title = StringField(_l("Public case title"), validators=[Optional(), Length(max=500)])
    secrecy_provision = secrecy_provision_field()
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=20000)])
    description_is_secret = BooleanField(_l("The description is secret"))
    parties_are_secret = BooleanField(_l("The counterparts are secret"))
    officer_id = SelectField(_l("Responsible officer"), coerce=int, validate_choice=True)
    unit_id = SelectField(_l("Unit"), coerce=int, default=0, validate_choice=True)
    class_id = process_field()
    due_on = DateField(_l("Due date"), validators=[Optional()])


class CaseCreateForm(_CaseFields):
    series = SelectField(_l("Series"), validate_choice=True)
    party_name = StringField(_l("Counterpart, person"), validators=[Optional(), Length(max=200)])
    party_organisation = StringField(
        _l("Counterpart, organisation"), validators=[Optional(), Length(max=200)]
    )
    party_email = StringField(
        _l("Counterpart, e-mail"), validators=[Optional(), Email(), Length(max=254)]
    )


class CaseEditForm(_CaseFields):
    version = HiddenField()
    #: A correction (rättelse) of registration data always says why.
    reason = StringField(
        _l("Reason for the correction"),
        validators=[DataRequired(), Length(max=500)],
        description=_l("Saved in the case's timeline, e.g. “Misspelt when registered”."),
    )


class PartyForm(FlaskForm):
    name = StringField(_l("Person"), validators=[Optional(), Length(max=200)])
    organisation = StringField(_l("Organisation"), validators=[Optional(), Length(max=200)])
    email = StringField(_l("E-mail"), validators=[Optional(), Email(), Length(max=254)])


class VoidForm(FlaskForm):
    reason = StringField(_l("Reason for voiding"), validators=[DataRequired(), Length(max=500)])


class CaseFilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Search"), validators=[Optional(), Length(max=200)])
    status = SelectField(
        _l("Status"),
        choices=choices([("", _l("All")), *STATUS_LABELS.items()]),
        validators=[Optional()],
    )
    officer = SelectField(_l("Officer"), coerce=str, validators=[Optional()], validate_choice=False)
    series = SelectField(_l("Series"), validators=[Optional()], validate_choice=False)
    year = IntegerField(_l("Year"), validators=[Optional(), NumberRange(1900, 2999)])


def publish_files_from_field() -> StringField:
    """Typed as text and read by the series register, so the web and the CLI refuse a bad
    date with the same message."""
    return StringField(
        _l("Publishes files from"),
        validators=[Optional(), Length(max=20)],
        description=_l(
            "The public register shows the files a registrar marks published for documents "
            "received or drawn up on or after this date, e.g. 2021-01-01. Empty: the series "
            "publishes no files."
        ),
        render_kw={"placeholder": "2021-01-01", "inputmode": "numeric"},
    )


class SeriesForm(FlaskForm):
    code = StringField(
        _l("Code"),
        validators=[DataRequired(), Length(max=6)],
        description=_l(
            "One to six letters, e.g. KS. Part of every case number; cannot be changed."
        ),
    )
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    publish_files_from = publish_files_from_field()


class SeriesEditForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    publish_files_from = publish_files_from_field()
