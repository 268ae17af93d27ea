"""Forms for the proceedings: the list of those present, and what happens under a §.

The per-§ forms repeat under every §, so the templates write their fields with ids of
their own; these classes validate what comes back. Choices that depend on the meeting
(attendees, motions) are checked by the services, so the selects here only coerce.
"""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from caseflow.common.forms import choices
from caseflow.meetings.models import AttendeeRole, Ballot, ItemPresence, StatementKind

ATTENDEE_ROLE_LABELS = {
    AttendeeRole.CHAIR: _l("Chair"),
    AttendeeRole.VICE_CHAIR: _l("Vice chair"),
    AttendeeRole.MEMBER: _l("Member"),
    AttendeeRole.SUBSTITUTE: _l("Substitute"),
    AttendeeRole.SECRETARY: _l("Secretary"),
    AttendeeRole.OFFICIAL: _l("Official (tjänsteperson)"),
    AttendeeRole.OTHER: _l("Others present"),
}
PRESENCE_LABELS = {
    ItemPresence.ABSENT: _l("absent in this §"),
    ItemPresence.RECUSED: _l("recused (jäv)"),
    ItemPresence.SERVING: _l("serving as substitute"),
}
BALLOT_LABELS = {Ballot.YES: _l("Yes"), Ballot.NO: _l("No"), Ballot.ABSTAIN: _l("Abstains")}
STATEMENT_LABELS = {
    StatementKind.RESERVATION: _l("Reservation"),
    StatementKind.NOTE: _l("Protocol note"),
}
_SIDES = choices([(Ballot.YES, _l("Yes")), (Ballot.NO, _l("No"))])


def _id_field(label):
    """A select of the meeting's attendees or motions; 0 (or nothing) means none."""
    return SelectField(label, coerce=int, validate_choice=False, validators=[Optional()])


class AttendeeForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    role = SelectField(
        _l("Takes part as"),
        choices=choices(
            (role, ATTENDEE_ROLE_LABELS[role])
            for role in (AttendeeRole.OFFICIAL, AttendeeRole.OTHER, AttendeeRole.SECRETARY)
        ),
        validators=[DataRequired()],
    )
    affiliation = StringField(_l("Title or affiliation"), validators=[Optional(), Length(max=100)])
    note = StringField(_l("Note"), validators=[Optional(), Length(max=200)])


class PresenceForm(FlaskForm):
    is_present = RadioField(
        _l("Present"), choices=choices([("1", _l("Present")), ("0", _l("Absent"))])
    )
    serving_for = _id_field(_l("Serves for"))
    note = StringField(_l("Note"), validators=[Optional(), Length(max=200)])


class ItemPresenceForm(FlaskForm):
    attendee = _id_field(_l("Who"))
    status = SelectField(
        _l("What changes"), choices=choices(PRESENCE_LABELS.items()), validators=[DataRequired()]
    )
    serving_for = _id_field(_l("Serves for"))


class MotionForm(FlaskForm):
    attendee = _id_field(_l("Moved by"))
    mover = StringField(_l("Or moved by (name)"), validators=[Optional(), Length(max=200)])
    text = TextAreaField(_l("Motion"), validators=[DataRequired(), Length(max=20000)])


class VoteForm(FlaskForm):
    yes_motion = _id_field(_l("Yes for"))
    no_motion = _id_field(_l("No for"))
    is_election = BooleanField(_l("An election (a tie is settled by lot)"))
    casting_vote = RadioField(
        _l("Chair's casting vote on a tie"), choices=_SIDES, validators=[Optional()]
    )
    lot = RadioField(_l("Outcome of the lot on a tie"), choices=_SIDES, validators=[Optional()])


def ballots_from(formdata) -> dict[int, str]:
    """The ballots as sent (``ballot-<attendee id>``); blank ones are left out, so the
    service names whoever is missing, and refuses anyone who holds no vote."""
    ballots = {}
    for key, choice in formdata.items():
        number = key.removeprefix("ballot-")
        if key.startswith("ballot-") and number.isdigit() and choice:
            ballots[int(number)] = choice
    return ballots


class AcclamationForm(FlaskForm):
    motion = _id_field(_l("Adopted motion"))


class StatementForm(FlaskForm):
    kind = RadioField(
        _l("Kind"), choices=choices(STATEMENT_LABELS.items()), validators=[DataRequired()]
    )
    attendee = _id_field(_l("By"))
    name = StringField(_l("Or by (name)"), validators=[Optional(), Length(max=200)])
    text = TextAreaField(_l("Text"), validators=[Optional(), Length(max=20000)])
