"""Forms for meetings, decisions and justering."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from caseflow.common.forms import CheckboxesField, choices
from caseflow.meetings.dispatch_models import DispatchStatus
from caseflow.meetings.models import MemberRole

DECISION_LABELS = {
    "adopted": _l("The proposal as it stands"),
    "amended": _l("Amended"),
    "returned": _l("Referred back (återremiss)"),
    "tabled": _l("Tabled (bordläggning)"),
}

MEETING_STATUS_LABELS = {
    "planned": _l("Planned"),
    "opened": _l("In progress (opened)"),
    "attested": _l("Attested"),
    "cancelled": _l("Cancelled"),
}
DISPATCH_LABELS = {
    DispatchStatus.PENDING: _l("waiting to be sent"),
    DispatchStatus.SENDING: _l("being sent (check before sending again)"),
    DispatchStatus.SENT: _l("sent"),
    DispatchStatus.FAILED: _l("failed"),
    DispatchStatus.UNCERTAIN: _l("uncertain"),
}

#: What became of the e-mail telling an attester the protocol awaits them.
NOTICE_LABELS = {
    "pending": _l("to be told by e-mail"),
    "sent": _l("told by e-mail"),
    "outbox": _l("written to the outbox folder (no mail server is configured)"),
    "failed": _l("the e-mail failed"),
    "no_address": _l("no e-mail address"),
}


class DispatchForm(FlaskForm):
    """Who the decision goes to; the choices are the candidates shown on the page."""

    recipients = CheckboxesField(_l("Recipients"), validate_choice=False)


class PostedForm(FlaskForm):
    posted_on = DateField(_l("Posted on"), validators=[DataRequired()])


class LetterForm(FlaskForm):
    """A recipient whose address was refused gets the document as a letter instead."""

    postal_address = TextAreaField(
        _l("Postal address"), validators=[DataRequired(), Length(max=500)]
    )


class ChooseOrganForm(FlaskForm):
    """The first step of a new meeting: which body meets (its members fill the next step)."""

    class Meta:
        csrf = False  # a GET form that only chooses what to show

    organ = SelectField(_l("Decision body"), coerce=int, validate_choice=True)


class MeetingForm(FlaskForm):
    organ = HiddenField(validators=[DataRequired()])
    starts_at = DateTimeLocalField(
        _l("Date and time"), format="%Y-%m-%dT%H:%M", validators=[DataRequired()]
    )
    place = StringField(_l("Place"), validators=[DataRequired(), Length(max=200)])
    chair = SelectField(_l("Chair"), validators=[DataRequired()], validate_choice=True)
    secretary = StringField(_l("Secretary"), validators=[DataRequired(), Length(max=200)])
    attesters = CheckboxesField(
        _l("Attesters (justerare)"),
        validate_choice=True,
        description=_l("Chosen among the body's members."),
    )


class EditMeetingForm(MeetingForm):
    ended_at = DateTimeLocalField(
        _l("Ended at"),
        format="%Y-%m-%dT%H:%M",
        validators=[Optional()],
        description=_l("As the protocol states it; fill in after the meeting."),
    )


ITEM_KIND_LABELS = {
    "opening": _l("Opening of the meeting"),
    "attesters": _l("Election of attesters (val av justerare)"),
    "agenda": _l("Approval of the agenda"),
    "information": _l("Information"),
    "delegation_report": _l("Report of delegated decisions"),
    "correspondence": _l("Incoming letters for the record (meddelanden)"),
    "other": _l("Other item"),
}


class ItemForm(FlaskForm):
    """A § without a case, or (title and body left out) closed doors for a case's §."""

    # The service checks the kind; an edit form leaves it out.
    kind = SelectField(
        _l("Kind of item"), choices=choices(ITEM_KIND_LABELS.items()), validate_choice=False
    )
    title = StringField(_l("Heading"), validators=[Optional(), Length(max=500)])
    body = TextAreaField(
        _l("Text of the §"),
        validators=[Optional(), Length(max=20000)],
        description=_l("E.g. who was elected to attest, what was reported."),
    )
    is_closed = BooleanField(_l("Handled behind closed doors"))
    public_title = StringField(
        _l("Heading the public sees"),
        validators=[Optional(), Length(max=500)],
        description=_l("Needed for an item without a case handled behind closed doors."),
    )


class ReasonForm(FlaskForm):
    reason = StringField(_l("Reason"), validators=[DataRequired(), Length(max=500)])


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


MEMBER_ROLE_LABELS = {
    MemberRole.CHAIR: _l("Chair (ordförande)"),
    MemberRole.VICE_CHAIR: _l("Vice chair (vice ordförande)"),
    MemberRole.MEMBER: _l("Member (ledamot)"),
    MemberRole.SUBSTITUTE: _l("Substitute (ersättare)"),
    MemberRole.SECRETARY: _l("Secretary (sekreterare)"),
}


class OrganForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    short_name = StringField(
        _l("Short name"), validators=[Optional(), Length(max=40)], description=_l("E.g. RS")
    )
    series = SelectField(_l("Series its cases usually belong to"), validate_choice=True)
    chair_title = StringField(
        _l("Title of the chair in signatures"),
        default="Ordförande",
        validators=[Optional(), Length(max=100)],
    )
    is_active = BooleanField(_l("In use"), default=True)


class MemberForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    role = SelectField(
        _l("Role"), choices=choices(MEMBER_ROLE_LABELS.items()), validate_choice=True
    )
    affiliation = StringField(
        _l("Party or affiliation"),
        validators=[Optional(), Length(max=100)],
        description=_l("E.g. S"),
    )
    email = StringField(_l("E-mail"), validators=[Optional(), Length(max=254)])
    term_from = DateField(_l("Term of office from"), validators=[DataRequired()])
    term_to = DateField(_l("Term of office until"), validators=[Optional()])


class MemberAccountForm(FlaskForm):
    """Skapa konto: the e-mail address an elected member logs in with."""

    email = StringField(
        _l("E-mail to log in with"),
        validators=[Optional(), Length(max=254)],
        description=_l("The address in the register unless another is given."),
    )
