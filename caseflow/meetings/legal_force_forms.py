"""Forms for an appeal that came in, its end, and a delegated decision's own notice."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from caseflow.common.forms import choices
from caseflow.meetings.appeal_models import AppealEnd, AppealKind


class AppealForm(FlaskForm):
    kind = RadioField(
        _l("How the decision is appealed"),
        choices=choices(
            [
                (AppealKind.LEGALITY, _l("Laglighetsprövning (KL 13 kap.), by a member")),
                (AppealKind.ADMINISTRATIVE, _l("Förvaltningsbesvär (FL 44 §), by a party")),
            ]
        ),
        validators=[DataRequired()],
    )
    case_party_id = SelectField(_l("A counterpart of the case"), coerce=int, default=0)
    appellant = StringField(
        _l("Or who appealed"),
        validators=[Optional(), Length(max=200)],
        description=_l("The name as the appeal is signed, when it is not one of the counterparts."),
    )
    received_on = DateField(_l("Received on"), validators=[DataRequired()])
    document_id = SelectField(
        _l("The registered appeal (incoming document)"), coerce=int, default=0
    )

    def fill_choices(self, parties, documents, number: str) -> None:
        self.case_party_id.choices = choices(
            [(0, _l("— none —"))] + [(p.id, label) for p, label in parties]
        )
        self.document_id.choices = choices(
            [(0, _l("— not registered yet —"))]
            + [(d.id, f"{number}-{d.seq} {label}") for d, label in documents]
        )


class EndAppealForm(FlaskForm):
    how = RadioField(
        _l("How the appeal ended"),
        choices=choices(
            [
                (AppealEnd.WITHDRAWN, _l("Withdrawn by the appellant")),
                (AppealEnd.DECIDED, _l("Decided by the court")),
            ]
        ),
        validators=[DataRequired()],
    )
    ended_on = DateField(_l("Ended on"), validators=[DataRequired()])
    outcome = TextAreaField(
        _l("The court's outcome"),
        validators=[Optional(), Length(max=2000)],
        description=_l("For example: Förvaltningsrätten avslår överklagandet."),
    )


class DelegatedNoticeForm(FlaskForm):
    posted_on = DateField(_l("Notice of the decision posted on"), validators=[DataRequired()])
