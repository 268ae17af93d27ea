"""Pages for the delegationsordning (under the body's admin page), the decision taken under
delegation (from the case page), its dispatch, and the report of the decisions to the body."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from caseflow.cases.models import Case
from caseflow.cases.services import get_case_by_number
from caseflow.common.error_path import keep_form
from caseflow.common.errors import CaseflowError, ValidationError
from caseflow.common.forms import choices
from caseflow.common.permissions import has_right, require
from caseflow.common.timeutil import today
from caseflow.db import get_session
from caseflow.documents.storage import file_store
from caseflow.meetings import delegated_decisions as deciding
from caseflow.meetings import delegation as register
from caseflow.meetings import dispatch as dispatching
from caseflow.meetings.delegation_forms import DelegatedDecisionForm, DelegationForm
from caseflow.meetings.delegation_models import Delegation
from caseflow.meetings.dispatch_models import Dispatch
from caseflow.meetings.dispatch_page import dispatch_views, page_forms
from caseflow.meetings.dispatch_views import choose_page, chosen_recipients, sending_message
from caseflow.meetings.forms import DispatchForm
from caseflow.meetings.models import Organ
from caseflow.meetings.state import get_meeting

bp = Blueprint("delegation", __name__)


# --- the delegationsordning ------------------------------------------------------------


def _organ(organ_id: int) -> Organ:
    organ = get_session().get(Organ, organ_id)
    if organ is None:
        abort(404)
    return organ


def _delegation(organ: Organ, delegation_id: int) -> Delegation:
    delegation = get_session().get(Delegation, delegation_id)
    if delegation is None or delegation.organ_id != organ.id:
        abort(404)
    return delegation


def _values(form: DelegationForm) -> dict:
    return {
        "code": form.code.data,
        "matter": form.matter.data,
        "delegate": form.delegate.data,
        "limits": form.limits.data,
        "resting_on": form.resting_on.data,
        "valid_from": form.valid_from.data,
        "valid_to": form.valid_to.data,
    }


@bp.route("/admin/bodies/<int:organ_id>/delegations", methods=["GET", "POST"])
@require("organ.manage")
def delegations(organ_id: int):
    session = get_session()
    organ = _organ(organ_id)
    form = DelegationForm()
    if form.validate_on_submit():
        try:
            delegation = register.add_delegation(session, organ, **_values(form), user=current_user)
        except CaseflowError as exc:
            keep_form(form, exc)
        else:
            flash(_("Delegation %(code)s has been added.", code=delegation.code), "success")
            return redirect(url_for("delegation.delegations", organ_id=organ.id))
    status = 422 if form.errors or form.form_errors else 200
    rows = register.delegations_of(session, organ)
    return (
        render_template("admin/delegations.html", organ=organ, form=form, delegations=rows),
        status,
    )


@bp.route("/admin/bodies/<int:organ_id>/delegations/<int:delegation_id>", methods=["GET", "POST"])
@require("organ.manage")
def edit_delegation(organ_id: int, delegation_id: int):
    session = get_session()
    organ = _organ(organ_id)
    delegation = _delegation(organ, delegation_id)
    form = DelegationForm(obj=delegation if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            register.update_delegation(session, delegation, **_values(form), user=current_user)
        except CaseflowError as exc:
            keep_form(form, exc)
        else:
            flash(_("Delegation %(code)s has been saved.", code=delegation.code), "success")
            return redirect(url_for("delegation.delegations", organ_id=organ.id))
    status = 422 if form.errors or form.form_errors else 200
    return (
        render_template("admin/delegation.html", organ=organ, delegation=delegation, form=form),
        status,
    )


@bp.route(
    "/admin/bodies/<int:organ_id>/delegations/<int:delegation_id>/deactivate", methods=["POST"]
)
@require("organ.manage")
def deactivate_delegation(organ_id: int, delegation_id: int):
    organ = _organ(organ_id)
    delegation = _delegation(organ, delegation_id)
    register.deactivate_delegation(get_session(), delegation, user=current_user)
    flash(_("Delegation %(code)s is no longer in use.", code=delegation.code), "success")
    return redirect(url_for("delegation.delegations", organ_id=organ.id))


# --- the decision under delegation -----------------------------------------------------


def _case(number: str) -> Case:
    try:
        return get_case_by_number(get_session(), number)
    except CaseflowError:
        abort(404)


def _delegation_choices(session) -> list[tuple[int, str]]:
    organs = {}
    found = []
    for d in register.delegations_for(session, None, today()):
        organ = organs.setdefault(d.organ_id, session.get(Organ, d.organ_id))
        found.append((d.id, f"{organ.name} {d.code}: {d.matter} ({d.delegate})"))
    return found


def _decision_page(case: Case, form, status: int = 200):
    session = get_session()
    decision = deciding.decision_of(session, case)
    dispatches = [
        d
        for d in dispatching.dispatches_for(session, case)
        if d.agenda_item_id is None and decision is not None
    ]
    return (
        render_template(
            "meetings/delegated_decision.html",
            case=case,
            form=form,
            may_decide=form is not None,
            is_decider=deciding.is_decider(current_user, case),
            decision=decision,
            points=deciding.points_of(decision) if decision else [],
            document=deciding.decision_document(session, decision) if decision else None,
            may_dispatch=decision is not None
            and case.status == "decided"
            and all(d.completed_at is not None for d in dispatches)
            and has_right(current_user, "dispatch.send"),
            dispatches=dispatch_views(session, dispatches, current_user),
            **page_forms(),
            **_legal_force_context(session, case, decision),
        ),
        status,
    )


def _legal_force_context(session, case: Case, decision) -> dict:
    """When the decision gains legal force, and the form for its own notice."""
    from caseflow.common.projection import audience_for
    from caseflow.meetings import legal_force_text as words
    from caseflow.meetings.legal_force import delegated_legal_force
    from caseflow.meetings.legal_force_forms import DelegatedNoticeForm

    if decision is None:
        return {"legal_force": None}
    found = delegated_legal_force(session, decision, audience=audience_for(current_user, case))
    may_post = has_right(current_user, "meeting.manage") and decision.notice_posted_on is None
    return {
        "legal_force": words.summary(found),
        "legal_force_periods": [words.period_line(p) for p in found.periods],
        "notice_form": DelegatedNoticeForm(posted_on=today()) if may_post else None,
    }


@bp.route("/cases/<path:number>/delegated-decision", methods=["GET", "POST"])
@require("case.view")
def decide(number: str):
    session = get_session()
    case = _case(number)
    if request.method == "POST" and not deciding.is_decider(current_user, case):
        abort(403)
    if not deciding.may_decide(current_user, case) and request.method == "GET":
        return _decision_page(case, None)
    form = DelegatedDecisionForm()
    form.delegation_id.choices = choices(_delegation_choices(session))
    if request.method == "GET":
        for text in [*deciding.proposal_points(session, case), ""]:
            form.points.append_entry(text)
        form.decided_on.data = today()
        form.decided_by_name.data = deciding.default_decider(current_user)
        return _decision_page(case, form)
    if not form.validate_on_submit():
        return _decision_page(case, form, 422)
    try:
        deciding.decide_under_delegation(
            session,
            file_store(),
            case,
            delegation=register.get_delegation(session, form.delegation_id.data),
            points=[p.data or "" for p in form.points],
            decided_on=form.decided_on.data,
            decided_by_name=form.decided_by_name.data,
            user=current_user,
        )
    except CaseflowError as exc:
        keep_form(form, exc)
        return _decision_page(case, form, 422)
    flash(_("The case has been decided under delegation; the decision is registered."), "success")
    return redirect(url_for("delegation.decide", number=case.number))


@bp.route("/cases/<path:number>/delegated-decision/dispatch", methods=["GET", "POST"])
@require("dispatch.send")
def dispatch(number: str):
    session = get_session()
    case = _case(number)
    decision = deciding.decision_of(session, case)
    back = url_for("delegation.decide", number=case.number)
    if decision is None:
        nothing = _l("%(number)s has no decision under delegation to send.", number=case.number)
        if request.method == "GET":
            flash(str(nothing), "error")
            return redirect(back)
        raise ValidationError(nothing)
    form = DispatchForm()
    if request.method == "GET" or not form.validate_on_submit():
        return choose_page(
            case,
            action=url_for("delegation.dispatch", number=case.number),
            back=back,
            heading=_("Send the delegated decision"),
            form=form if request.method == "POST" else None,
        )
    dispatching.prepare_decision_dispatch(
        session,
        file_store(),
        decision,
        user=current_user,
        recipients=chosen_recipients(case, form),
    )
    flash(sending_message(_("The decision")), "success")
    return redirect(back)


@bp.route("/cases/<path:number>/delegated-decision/dispatches/<int:dispatch_id>", methods=["POST"])
@require("dispatch.send")
def retry(number: str, dispatch_id: int):
    session = get_session()
    case = _case(number)
    found = session.get(Dispatch, dispatch_id)
    if found is None or found.case_id != case.id:
        abort(404)
    if found.agenda_item_id is not None:
        raise ValidationError(_l("An excerpt's dispatch is sent again from the meeting's page."))
    dispatching.resend(session, found, user=current_user)
    flash(sending_message(_("The decision")), "success")
    return redirect(url_for("delegation.decide", number=case.number))


# --- anmälan av delegationsbeslut ------------------------------------------------------


@bp.route("/meetings/<int:meeting_id>/delegation-report", methods=["POST"])
@require("meeting.manage")
def report(meeting_id: int):
    session = get_session()
    meeting = get_meeting(session, meeting_id)
    item = register.report_delegated_decisions(session, meeting, user=current_user)
    flash(
        _("The delegated decisions are reported under item %(position)s.", position=item.position),
        "success",
    )
    return redirect(url_for("meetings.show", meeting_id=meeting.id))
