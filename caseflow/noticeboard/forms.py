"""The staff's forms for the notice board."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional


class OtherNoticeForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=500)])
    text = TextAreaField(_l("Text"), validators=[Optional(), Length(max=20_000)])
    posted_on = DateField(_l("First day on the board"), validators=[DataRequired()])
    take_down_on = DateField(_l("Last day on the board"), validators=[DataRequired()])
    attachment = FileField(_l("Attachment (PDF, optional)"))


class PostProtocolForm(FlaskForm):
    posted_on = DateField(_l("Posted on"), validators=[DataRequired()])


class AnnounceForm(FlaskForm):
    """Nothing to fill in: the button announces the meeting with its public agenda."""


class TakeDownForm(FlaskForm):
    reason = TextAreaField(
        _l("Why it comes down before its last day"),
        validators=[DataRequired(), Length(max=2000)],
    )
