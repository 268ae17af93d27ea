"""The case page's "Legal force" section, and the forms that record an appeal that came
in, its end, and a delegated decision's own notice on the notice board."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup

from caseflow.cases.models import Case
from caseflow.cases.services import get_case_by_number
from caseflow.common import projection
from caseflow.common.errors import CaseflowError, ValidationError
from caseflow.common.permissions import has_right, require
from caseflow.common.timeutil import today
from caseflow.db import get_session
from caseflow.meetings import appeals as appealing
from caseflow.meetings import legal_force_text as words
from caseflow.meetings.delegated_decisions import decision_of
from caseflow.meetings.legal_force import case_decision, decision_legal_force, party_name
from caseflow.meetings.legal_force_forms import AppealForm, DelegatedNoticeForm, EndAppealForm

bp = Blueprint("appeals", __name__)


def _case(number: str) -> Case:
    try:
        return get_case_by_number(get_session(), number)
    except CaseflowError:
        abort(404)


def _section_url(case: Case) -> str:
    return url_for("cases.show", number=case.number, _anchor="legal-force")


def appeal_form(session, case: Case, user) -> AppealForm:
    """The form to record an appeal, its choices as ``user`` may read them."""
    audience = projection.audience_for(user, case)
    form = AppealForm(prefix="appeal")
    parties = []
    if projection.case_parties_visible(case, audience):
        parties = [(p, party_name(projection.case_party(p, audience))) for p in case.parties]
    documents = [
        (d, projection.document_title(d, audience))
        for d in appealing.incoming_documents(session, case)
    ]
    form.fill_choices(parties, documents, case.number)
    if form.received_on.data is None:
        form.received_on.data = today()
    return form


def case_section(session, case: Case, user) -> Markup | None:
    """The case page's section: when the case's decision gains legal force, its appeal
    periods, the appeals recorded and (for registrars and managers) the forms."""
    decision = case_decision(session, case)
    if decision is None:
        return None
    audience = projection.audience_for(user, case)
    legal_force = decision_legal_force(session, decision, audience=audience)
    may_record = has_right(user, "appeal.record")
    # The template escapes every value it shows: its output is safe HTML.
    return Markup(  # noqa: S704
        render_template(
            "meetings/_legal_force.html",
            case=case,
            decision=decision,
            summary=words.summary(legal_force),
            periods=[words.period_line(p) for p in legal_force.periods],
            appeals=[(a, words.appeal_line(a, legal_force)) for a in legal_force.appeals],
            may_record=may_record,
            appeal_form=appeal_form(session, case, user) if may_record else None,
            end_forms={
                a.id: EndAppealForm(prefix=f"end{a.id}", ended_on=today())
                for a in legal_force.appeals
                if a.is_open
            }
            if may_record
            else {},
        )
    )


def _refused(form) -> None:
    for errors in form.errors.values():
        for error in errors:
            flash(error, "error")


@bp.route("/cases/<path:number>/appeals", methods=["POST"])
@require("appeal.record")
def record(number: str):
    session = get_session()
    case = _case(number)
    form = appeal_form(session, case, current_user)
    if not form.validate_on_submit():
        _refused(form)
        return redirect(_section_url(case))
    appealing.record_appeal(
        session,
        case,
        kind=form.kind.data,
        received_on=form.received_on.data,
        appellant=form.appellant.data,
        case_party_id=form.case_party_id.data or None,
        document_id=form.document_id.data or None,
        user=current_user,
    )
    flash(
        _("The appeal is recorded: the decision does not gain legal force while it is tried."),
        "success",
    )
    return redirect(_section_url(case))


@bp.route("/cases/<path:number>/appeals/<int:appeal_id>/end", methods=["POST"])
@require("appeal.record")
def end(number: str, appeal_id: int):
    session = get_session()
    case = _case(number)
    appeal = appealing.get_appeal(session, case, appeal_id)
    form = EndAppealForm(prefix=f"end{appeal.id}")
    if not form.validate_on_submit():
        _refused(form)
        return redirect(_section_url(case))
    appealing.end_appeal(
        session,
        appeal,
        how=form.how.data,
        ended_on=form.ended_on.data,
        outcome=form.outcome.data,
        user=current_user,
    )
    flash(_("The end of the appeal is recorded."), "success")
    return redirect(_section_url(case))


@bp.route("/cases/<path:number>/delegated-decision/notice", methods=["POST"])
@require("meeting.manage")
def delegated_notice(number: str):
    session = get_session()
    case = _case(number)
    back = url_for("delegation.decide", number=case.number)
    form = DelegatedNoticeForm()
    if not form.validate_on_submit():
        _refused(form)
        return redirect(back)
    decision = decision_of(session, case)
    if decision is None:
        raise ValidationError(
            _l("%(number)s has no decision under delegation.", number=case.number)
        )
    appealing.record_delegated_notice(
        session, decision, posted_on=form.posted_on.data, user=current_user
    )
    flash(_("The notice of the decision is recorded."), "success")
    return redirect(back)
