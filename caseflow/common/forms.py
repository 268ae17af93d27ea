"""Form helpers shared by every domain."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectMultipleField, StringField, widgets
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional


def choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as the option objects WTForms 3.3+ expects."""
    return [SelectChoice(value=value, label=label) for value, label in pairs]


def secrecy_provision_field() -> StringField:
    """The legal provision (OSL) a secret case title, field or document is withheld under."""
    return StringField(
        _l("Secrecy provision"),
        validators=[Optional(), Length(max=200)],
        description=_l("For example OSL 21 kap. 1 §"),
    )


class CheckboxesField(SelectMultipleField):
    """A multiple choice shown as a list of checkboxes (usable without JavaScript)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()
