"""Forms of the parties register pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional

from caseflow.common.forms import choices
from caseflow.parties.models import PartyKind

KIND_LABELS = {
    PartyKind.ORGANISATION: _l("Organisation"),
    PartyKind.PERSON: _l("Person"),
}


class PartyForm(FlaskForm):
    """One form for both kinds; the fields of the other kind are ignored."""

    kind = SelectField(_l("Kind"), choices=choices(KIND_LABELS.items()), default="person")
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    email = StringField(_l("E-mail"), validators=[Optional(), Email(), Length(max=254)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=50)])
    # Checked by the service: it must be an organisation in the register.
    organisation_id = SelectField(
        _l("Organisation (for a person)"), coerce=int, default=0, validate_choice=False
    )
    is_protected = BooleanField(
        _l("Protected identity (skyddade personuppgifter)"),
        description=_l("Name and contact details are shown only to those who may see secrets."),
    )
    org_number = StringField(
        _l("Organisation number"),
        validators=[Optional(), Length(max=30)],
        description=_l("NNNNNN-NNNN for a Swedish organisation"),
    )
    is_foreign = BooleanField(_l("Foreign organisation"))
    country = StringField(
        _l("Country (foreign organisation)"),
        validators=[Optional(), Length(max=2)],
        description=_l("Two-letter code, e.g. NO"),
    )
    domains = StringField(
        _l("E-mail domains"),
        validators=[Optional(), Length(max=1000)],
        description=_l("Separated by spaces or commas, e.g. lansstyrelsen.se"),
    )
    postal_address = TextAreaField(_l("Postal address"), validators=[Optional(), Length(max=1000)])

    def values(self) -> dict:
        return {
            "name": self.name.data,
            "email": self.email.data,
            "phone": self.phone.data,
            "organisation_id": self.organisation_id.data or None,
            "is_protected": self.is_protected.data,
            "org_number": self.org_number.data,
            "is_foreign": self.is_foreign.data,
            "country": self.country.data,
            "domains": (self.domains.data or "").replace(",", " ").split(),
            "postal_address": self.postal_address.data,
        }


class SearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Search"), validators=[Optional(), Length(max=200)])


class MergeForm(FlaskForm):
    keep_id = IntegerField(_l("Keep party number"), validators=[DataRequired()])
    duplicate_id = IntegerField(_l("Merge party number"), validators=[DataRequired()])
