"""Forms of the classification pages, and the process picker the case form uses."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from caseflow.classification import services
from caseflow.common.forms import choices

RETENTION_LABELS = {
    "": _l("Not decided"),
    "preserve": _l("Preserve (bevara)"),
    "dispose": _l("Dispose of (gallra)"),
}


class ClassForm(FlaskForm):
    """A class's values; its code is given once, when it is added."""

    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=20000)])
    parent_code = StringField(
        _l("Parent class (code)"),
        validators=[Optional(), Length(max=50)],
        description=_l("Leave empty to place the class under the code its own code implies."),
    )
    retention_action = SelectField(
        _l("Retention"), choices=choices(RETENTION_LABELS.items()), validate_choice=True
    )
    retention_years = StringField(
        _l("Dispose of after (years)"),
        validators=[Optional(), Length(max=3)],
        description=_l("Years after the case is closed; only when the records are disposed of."),
    )
    retention_decision = StringField(
        _l("Decision the retention rests on"),
        validators=[Optional(), Length(max=200)],
        description=_l("For example RA-MS 2020:1 or the authority's own gallringsbeslut"),
    )
    secrecy_note = StringField(
        _l("Usual secrecy"),
        validators=[Optional(), Length(max=200)],
        description=_l("For example OSL 21 kap. 1 §"),
    )

    def values(self) -> dict:
        """The admin's values as the services take them."""
        return {
            "title": self.title.data,
            "description": self.description.data,
            "parent_code": self.parent_code.data,
            "retention_action": self.retention_action.data,
            "retention_years": self.retention_years.data,
            "retention_decision": self.retention_decision.data,
            "secrecy_note": self.secrecy_note.data,
        }


class ClassCreateForm(ClassForm):
    code = StringField(
        _l("Code"),
        validators=[DataRequired(), Length(max=50)],
        description=_l("Segments of digits or letters separated by dots, e.g. 2.3.1"),
    )


def process_choices(session, *, keep_id: int | None = None) -> list[SelectChoice]:
    """The case form's picker: "—", then every process under an <optgroup> of its area and
    group. A plain <select>: it works without JavaScript, a screen reader announces the
    group, and typing the code jumps to it."""
    return [SelectChoice(value=0, label="—")] + [
        SelectChoice(value=class_id, label=label, optgroup=group)
        for class_id, label, group in services.process_options(session, keep_id=keep_id)
    ]


class ProcessField(SelectField):
    """A case's process: 0 (shown as "—") stands for none, also for a case without one."""

    def process_data(self, value):
        super().process_data(0 if value is None else value)


def grouped_processes(session) -> list[tuple[str, list[tuple[int, str]]]]:
    """The active processes as (group, [(id, label), …]) in tree order, for a page that
    writes its own <select> (one per row of a list)."""
    groups: dict[str, list[tuple[int, str]]] = {}
    for class_id, label, group in services.process_options(session):
        groups.setdefault(group, []).append((class_id, label))
    return list(groups.items())


def process_field() -> ProcessField:
    """The class field of a case form (its choices come from :func:`process_choices`)."""
    return ProcessField(
        _l("Process (classification)"),
        coerce=int,
        default=0,
        validate_choice=True,
        description=_l("The process of the classification structure the case belongs to."),
    )
