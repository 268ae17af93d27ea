"""Case pages: the list, a case with its documents and timeline, opening and correcting."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlmodel import select

from caseflow.auth.models import User
from caseflow.auth.services import responsible_officers
from caseflow.cases import services
from caseflow.cases.exports import case_list_table
from caseflow.cases.forms import CaseCreateForm, CaseEditForm, CaseFilterForm, PartyForm, VoidForm
from caseflow.cases.models import Series
from caseflow.cases.next_step import next_step
from caseflow.cases.queries import CaseFilter, list_cases
from caseflow.cases.sections import case_sections
from caseflow.cases.workflow import action_links, available_transitions
from caseflow.classification.forms import process_choices
from caseflow.common import audit, export
from caseflow.common.error_path import keep_form
from caseflow.common.errors import CaseflowError, ConflictError
from caseflow.common.forms import choices
from caseflow.common.params import args_without_page, page_number
from caseflow.common.permissions import has_right, may_register_document, may_see_secrets, require
from caseflow.common.projection import audience_for, timeline_comments_visible, timeline_events
from caseflow.common.timeutil import today
from caseflow.db import get_session, writes_on_get
from caseflow.documents.services import case_documents
from caseflow.memos.services import get_memo, may_edit_memo
from caseflow.organisation.services import unit_by_id, unit_choices

bp = Blueprint("cases", __name__, url_prefix="/cases")


def _officer_choices(session):
    """(id, label) of everyone who can be responsible for a case; columns only, no ORM rows."""
    rows = responsible_officers(session)
    return [(0, "—")] + [(i, f"{name} ({unit})" if unit else name) for i, name, unit in rows]


def _unit_choices(session, current=None):
    return [(0, "—"), *unit_choices(session, current=current)]


def _changed_unit(session, case, unit_id: int) -> int | None:
    """The chosen unit's id; a closed unit may stay on a case that has it, not be newly given."""
    if unit_id and unit_id == case.unit_id:
        return unit_id
    unit = unit_by_id(session, unit_id)
    return unit.id if unit else None


def _with_all(pairs):
    return choices([("", _("All")), *pairs])


def _load(number: str):
    try:
        return services.get_case_by_number(get_session(), number)
    except CaseflowError:  # a number that does not parse is a page that does not exist
        abort(404)


def _users_by_id(session, ids) -> dict:
    ids = {i for i in ids if i}
    if not ids:
        return {}
    return {u.id: u for u in session.exec(select(User).where(User.id.in_(ids))).all()}


def _list_filter(session) -> tuple[CaseFilterForm, CaseFilter]:
    """The list's filter form from the query string, and the filter it gives (the page's
    and its export's alike)."""
    form = CaseFilterForm(request.args)
    form.officer.choices = _with_all((str(i), label) for i, label in _officer_choices(session)[1:])
    form.series.choices = _with_all(
        (s.code, s.code) for s in session.exec(select(Series).order_by(Series.code)).all()
    )
    if not form.validate():
        return form, CaseFilter()
    return form, CaseFilter(
        status=form.status.data or None,
        officer_id=int(form.officer.data) if (form.officer.data or "").isdigit() else None,
        series=form.series.data or None,
        year=form.year.data,
        q=form.q.data,
    )


@bp.route("/")
@require("case.view")
def index():
    session = get_session()
    form, filters = _list_filter(session)
    page = list_cases(
        session,
        current_user,
        filters,
        page=page_number(request.args),
        per_page=current_app.config["CASES_PER_PAGE"],
    )
    officers = _users_by_id(session, [c.officer_id for c in page.items])
    return render_template(
        "cases/index.html",
        form=form,
        page=page,
        officers=officers,
        args=args_without_page(request.args),
    )


@bp.route("/export.<any(csv, xlsx):fmt>")
@require("case.view")
@writes_on_get
def export_list(fmt: str):
    """The filtered list, every page of it, as CSV or XLSX; the export is audited."""
    session = get_session()
    _form, filters = _list_filter(session)
    return export.respond(
        lambda: case_list_table(
            session, current_user, filters, fmt=fmt, described=args_without_page(request.args)
        ),
        fmt,
        f"{_('Cases')} {today().isoformat()}",
        back=url_for("cases.index", **args_without_page(request.args)),
    )


@bp.route("/new", methods=["GET", "POST"])
@require("case.create")
def new():
    session = get_session()
    form = CaseCreateForm()
    form.officer_id.choices = choices(_officer_choices(session))
    form.unit_id.choices = choices(_unit_choices(session))
    form.class_id.choices = process_choices(session)
    form.series.choices = choices(
        (s.code, f"{s.code} – {s.name}")
        for s in session.exec(select(Series).where(Series.is_active).order_by(Series.code)).all()
    )
    if form.validate_on_submit():
        try:
            case = services.open_case(
                session,
                series_code=form.series.data,
                title=form.title.data,
                officer=session.get(User, form.officer_id.data) if form.officer_id.data else None,
                unit=unit_by_id(session, form.unit_id.data),
                description=form.description.data or None,
                title_is_secret=form.title_is_secret.data,
                public_title=form.public_title.data,
                secrecy_provision=form.secrecy_provision.data,
                description_is_secret=form.description_is_secret.data,
                parties_are_secret=form.parties_are_secret.data,
                class_id=form.class_id.data or None,
                due_on=form.due_on.data,
                parties=[
                    services.PartyCreate(
                        name=form.party_name.data or None,
                        organisation=form.party_organisation.data or None,
                        email=form.party_email.data or None,
                    )
                ],
            )
        except CaseflowError as exc:
            keep_form(form, exc)
        else:
            flash(_("Case %(number)s has been opened.", number=case.number), "success")
            return redirect(url_for("cases.show", number=case.number))
    status = 422 if form.errors or form.form_errors else 200
    return render_template("cases/new.html", form=form), status


def _collapse_drafts(events):
    """Show a run of draft saves by one person as one line (the audit trail keeps them all)."""
    shown = []
    for event in events:
        last = shown[-1] if shown else None
        if (
            last
            and event.action == last[0].action == "memo.save"
            and event.actor_id == last[0].actor_id
        ):
            shown[-1] = (event, last[1] + 1)
        else:
            shown.append((event, 1))
    return shown


@bp.route("/<path:number>")
@require("case.view")
def show(number: str):
    session = get_session()
    case = _load(number)
    documents = case_documents(session, case)
    audience = audience_for(current_user, case)
    events = _collapse_drafts(timeline_events(audit.events_for_case(session, case.id), audience))
    users = _users_by_id(
        session,
        [case.officer_id]
        + [d.registered_by_id for d in documents]
        + [e.actor_id for e, _count in events],
    )
    return render_template(
        "cases/show.html",
        case=case,
        documents=documents,
        events=events,
        users=users,
        void_form=VoidForm(),
        party_form=PartyForm(),
        may_register=may_register_document(current_user, case),
        case_secrets_visible=may_see_secrets(current_user, case),
        comments_visible=timeline_comments_visible(case, audience),
        may_edit=has_right(current_user, "case.edit") and not case.is_voided,
        transitions=available_transitions(session, case, current_user),
        action_links=action_links(session, case, current_user),
        memo=get_memo(session, case),
        may_edit_memo=may_edit_memo(current_user, case),
        next_step=next_step(session, case),
        sections=case_sections(session, case, current_user),
    )


@bp.route("/<path:number>/edit", methods=["GET", "POST"])
@require("case.edit")
def edit(number: str):
    session = get_session()
    case = _load(number)
    form = CaseEditForm(obj=case)
    form.officer_id.choices = choices(_officer_choices(session))
    form.unit_id.choices = choices(_unit_choices(session, case.unit))
    if form.unit_id.data is None:  # no unit: the "—" choice
        form.unit_id.data = 0
    form.class_id.choices = process_choices(session, keep_id=case.class_id)
    if request.method == "GET":
        form.version.data = case.version
        form.officer_id.data = case.officer_id or 0
        form.class_id.data = case.class_id or 0
    if form.validate_on_submit():
        try:
            services.update_case(
                session,
                case,
                expected_version=int(form.version.data or 0),
                reason=form.reason.data,
                title=form.title.data,
                title_is_secret=form.title_is_secret.data,
                public_title=form.public_title.data or None,
                secrecy_provision=form.secrecy_provision.data or None,
                description=form.description.data or None,
                description_is_secret=form.description_is_secret.data,
                parties_are_secret=form.parties_are_secret.data,
                officer_id=form.officer_id.data or None,
                unit_id=_changed_unit(session, case, form.unit_id.data),
                class_id=form.class_id.data or None,
                due_on=form.due_on.data,
            )
        except CaseflowError as exc:
            keep_form(form, exc)
            status = 409 if isinstance(exc, ConflictError) else 422
            return render_template("cases/edit.html", form=form, case=case), status
        flash(_("The case has been saved."), "success")
        return redirect(url_for("cases.show", number=case.number))
    status = 422 if form.errors else 200
    return render_template("cases/edit.html", form=form, case=case), status


@bp.route("/<path:number>/parties", methods=["POST"])
@require("case.edit")
def add_party(number: str):
    session = get_session()
    case = _load(number)
    form = PartyForm()
    if not form.validate_on_submit():
        flash(_("Give a name, an organisation or a valid e-mail address."), "error")
        return redirect(url_for("cases.show", number=case.number))
    services.add_party(
        session,
        case,
        name=form.name.data,
        organisation=form.organisation.data,
        email=form.email.data,
        user=current_user,
    )
    flash(_("The counterpart has been added."), "success")
    return redirect(url_for("cases.show", number=case.number))


@bp.route("/<path:number>/void", methods=["POST"])
@require("case.void")
def void(number: str):
    case = _load(number)
    form = VoidForm()
    if not form.validate_on_submit():
        flash(_("Give a reason for voiding."), "error")
        return redirect(url_for("cases.show", number=case.number))
    services.void_case(get_session(), case, reason=form.reason.data)
    flash(_("The case has been voided."), "success")
    return redirect(url_for("cases.show", number=case.number))
