"""The search page's form: the text and its filters, read from the query string.

Whatever a URL sends is checked here (a date that is no date, a page that is no number, an
officer who does not exist): a value that does not fit is left out of the search and named
in a message on the page, so a hostile or mistyped URL never reaches the database.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlmodel import Session, select
from wtforms import DateField, IntegerField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, NumberRange, Optional

from caseflow.auth.services import responsible_officers
from caseflow.cases.labels import STATUS_LABELS
from caseflow.cases.models import Series
from caseflow.classification.services import process_options
from caseflow.common.forms import choices
from caseflow.common.permissions import searchable_kinds
from caseflow.documents.forms import DIRECTION_LABELS
from caseflow.organisation.services import unit_choices
from caseflow.search.models import EntryKind
from caseflow.search.query import SearchQuery
from caseflow.search.tokens import MAX_QUERY_CHARS

#: Hits on one page of results.
PER_PAGE = 20

KIND_LABELS = {
    EntryKind.CASE: _l("Case"),
    EntryKind.DOCUMENT: _l("Document"),
    EntryKind.MESSAGE: _l("Message in the mail queue"),
}
ORDER_LABELS = {"relevance": _l("Relevance"), "date": _l("Date, newest first")}
#: The query-string names of the filters, as the page's links and the export carry them.
FILTERS = ("kind", "series", "year", "status", "direction", "date_from", "date_to")
FILTERS += ("officer", "unit", "class_id")


def _all(pairs) -> list[SelectChoice]:
    return choices([("", _l("All")), *pairs])


class SearchForm(FlaskForm):
    class Meta:
        csrf = False  # a GET form: bookmarkable, nothing changes

    q = StringField(_l("Search for"), validators=[Optional(), Length(max=MAX_QUERY_CHARS)])
    kind = SelectField(_l("Type"), validators=[Optional()])
    series = SelectField(_l("Series"), validators=[Optional()])
    year = IntegerField(_l("Year"), validators=[Optional(), NumberRange(1900, 2999)])
    status = SelectField(_l("Case status"), validators=[Optional()])
    direction = SelectField(_l("Direction"), validators=[Optional()])
    date_from = DateField(_l("Date from"), validators=[Optional()])
    date_to = DateField(_l("Date to"), validators=[Optional()])
    officer = SelectField(_l("Officer"), validators=[Optional()])
    unit = SelectField(_l("Unit"), validators=[Optional()])
    class_id = SelectField(_l("Process"), validators=[Optional()])
    order = SelectField(_l("Order by"), validators=[Optional()])


def search_form(session: Session, viewer, args) -> SearchForm:
    """The form filled from ``args``, its choices what ``viewer`` may search among."""
    form = SearchForm(args)
    may = searchable_kinds(viewer)
    form.kind.choices = _all(
        (kind.value, label) for kind, label in KIND_LABELS.items() if may.get(kind.value)
    )
    codes = session.exec(select(Series.code).order_by(Series.code)).all()
    form.series.choices = _all((code, code) for code in codes)
    form.status.choices = _all(STATUS_LABELS.items())
    form.direction.choices = _all(DIRECTION_LABELS.items())
    form.officer.choices = _all(
        (str(i), f"{name} ({unit})" if unit else name)
        for i, name, unit in responsible_officers(session)
    )
    form.unit.choices = _all((str(i), path) for i, path in unit_choices(session))
    form.class_id.choices = _all([]) + [
        SelectChoice(value=str(i), label=label, optgroup=group)
        for i, label, group in process_options(session)
    ]
    form.order.choices = choices(ORDER_LABELS.items())
    return form


def grouped(number: int) -> str:
    """``number`` with its thousands grouped by a no-break space (1 000), as Swedish writes
    it; the English page too, to stay unambiguous."""
    return f"{number:,}".replace(",", "\u00a0")


def _int(value) -> int | None:
    return int(value) if value not in (None, "") else None


def read_query(form: SearchForm, *, page: int, per_page: int = PER_PAGE) -> SearchQuery:
    """The search ``form`` asks for; a field that did not validate is left out (its error
    stays on the field for the page to show)."""
    form.validate()

    def ok(field):
        return None if field.errors else (field.data or None)

    return SearchQuery(
        text=ok(form.q) or "",
        kinds=(form.kind.data,) if ok(form.kind) else (),
        series=ok(form.series),
        year=ok(form.year),
        status=ok(form.status),
        direction=ok(form.direction),
        date_from=ok(form.date_from),
        date_to=ok(form.date_to),
        officer_id=_int(ok(form.officer)),
        unit_id=_int(ok(form.unit)),
        class_id=_int(ok(form.class_id)),
        order=ok(form.order) or "relevance",
        page=page,
        per_page=per_page,
    )


def has_input(form: SearchForm) -> bool:
    """Whether anything was asked: a text or a filter (an empty form shows just the form)."""
    return bool((form.q.data or "").strip()) or any(
        form[name].raw_data and form[name].raw_data[0] for name in FILTERS
    )
