"""Forms for meetings, decisions and justering."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from caseflow.common.forms import choices
from caseflow.meetings.models import DispatchStatus

DECISION_LABELS = {
    "adopted": _l("The proposal as it stands"),
    "amended": _l("Amended"),
    "returned": _l("Referred back (återremiss)"),
    "tabled": _l("Tabled (bordläggning)"),
}

MEETING_STATUS_LABELS = {
    "planned": _l("Planned"),
    "agenda_fixed": _l("Agenda fixed"),
    "attested": _l("Attested"),
}
DISPATCH_LABELS = {
    DispatchStatus.PENDING: _l("waiting to be sent"),
    DispatchStatus.SENDING: _l("being sent (check before sending again)"),
    DispatchStatus.SENT: _l("sent"),
    DispatchStatus.FAILED: _l("failed"),
}


class MeetingForm(FlaskForm):
    organ = StringField(
        _l("Decision body"), default="Regionstyrelsen", validators=[DataRequired(), Length(max=200)]
    )
    starts_at = DateTimeLocalField(
        _l("Date and time"), format="%Y-%m-%dT%H:%M", validators=[DataRequired()]
    )
    place = StringField(_l("Place"), validators=[DataRequired(), Length(max=200)])
    chair = StringField(_l("Chair"), validators=[DataRequired(), Length(max=200)])
    secretary = StringField(_l("Secretary"), validators=[DataRequired(), Length(max=200)])
    attesters = TextAreaField(
        _l("Attesters (one per line)"), validators=[Optional(), Length(max=2000)]
    )
    attendees = TextAreaField(
        _l("Present (one per line)"), validators=[Optional(), Length(max=10000)]
    )


class AddCaseForm(FlaskForm):
    case_id = SelectField(_l("Approved case"), coerce=int, validate_choice=True)


class DecisionForm(FlaskForm):
    kind = RadioField(
        _l("Decision"),
        choices=choices(DECISION_LABELS.items()),
        default="adopted",
        validators=[DataRequired()],
    )
    points = TextAreaField(
        _l("Decision points (one per line; used when amended)"),
        validators=[Optional(), Length(max=20000)],
    )
    motions = TextAreaField(_l("Motions (yrkanden)"), validators=[Optional(), Length(max=5000)])
    reservations = TextAreaField(_l("Reservations"), validators=[Optional(), Length(max=5000)])
    protocol_notes = TextAreaField(_l("Protocol notes"), validators=[Optional(), Length(max=5000)])
    immediately_attested = BooleanField(_l("The paragraph is declared immediately attested"))
    correction_reason = StringField(
        _l("Reason for the correction"), validators=[Optional(), Length(max=500)]
    )


class AttestForm(FlaskForm):
    attested_on = DateField(_l("Attested on"), validators=[DataRequired()])
    attested_by = TextAreaField(
        _l("Attested by (one per line)"), validators=[DataRequired(), Length(max=2000)]
    )
    notice_posted_on = DateField(_l("Notice posted on the notice board"), validators=[Optional()])


class NoticeForm(FlaskForm):
    posted_on = DateField(_l("Notice posted on"), validators=[DataRequired()])
