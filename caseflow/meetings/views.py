"""Meeting pages: agenda, §, decisions, justering, excerpts and dispatch."""

from __future__ import annotations

import io

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from caseflow.cases.models import Case
from caseflow.common.error_path import back_to
from caseflow.common.errors import CaseflowError
from caseflow.common.forms import choices
from caseflow.common.mailer import uses_outbox
from caseflow.common.permissions import require
from caseflow.db import get_session
from caseflow.documents.formats import DOCX_MIME, PDF_MIME
from caseflow.documents.storage import file_store
from caseflow.meetings import (
    access,
    agenda_items,
    attestation,
    decisions,
    excerpts,
    justering,
    services,
    state,
)
from caseflow.meetings import dispatch as dispatching
from caseflow.meetings.dispatch_models import ExportStatus
from caseflow.meetings.forms import (
    NOTICE_LABELS,
    AddCaseForm,
    AttestForm,
    DecisionForm,
    ItemForm,
    NoticeForm,
    ReasonForm,
)
from caseflow.meetings.justering_mail import notice_problem
from caseflow.meetings.models import AgendaItem
from caseflow.seal import unconfigured_reason

bp = Blueprint("meetings", __name__, url_prefix="/meetings")


def _meeting(meeting_id: int):
    try:
        meeting = state.get_meeting(get_session(), meeting_id)
    except CaseflowError:
        abort(404)
    if not access.may_view(get_session(), current_user, meeting):
        abort(403)
    back_to(url_for("meetings.show", meeting_id=meeting.id))
    return meeting


def _item(item_id: int, meeting_id: int | None = None) -> AgendaItem:
    """The agenda item; 404 when it does not exist or is not on the meeting the URL names."""
    item = get_session().get(AgendaItem, item_id)
    if item is None or (meeting_id is not None and item.meeting_id != meeting_id):
        abort(404)
    back_to(url_for("meetings.show", meeting_id=item.meeting_id) + f"#item-{item.id}")
    return item


def _back(meeting_id: int, anchor: str = ""):
    return redirect(url_for("meetings.show", meeting_id=meeting_id) + anchor)


def _run(action, success: str):
    """Run a service call and flash ``success``; a broken rule takes the common error path."""
    result = action()
    flash(success, "success")
    return result


@bp.route("/<int:meeting_id>")
@require("meeting.read")
def show(meeting_id: int):
    session = get_session()
    meeting = _meeting(meeting_id)
    add_form = AddCaseForm()
    add_form.case_id.choices = choices(
        (c.id, f"{c.number} {c.title}") for c in services.approved_cases(session)
    )
    cases = {
        item.case_id: session.get(Case, item.case_id) for item in meeting.items if item.has_case
    }
    decision_forms = {}
    item_forms = {}
    for item in meeting.items:
        item_forms[item.id] = ItemForm(prefix=f"edit{item.id}", obj=item)
        if not item.has_case:
            continue
        form = DecisionForm(prefix=f"item{item.id}")
        points = state.decision_points(item) or decisions.proposal_points(
            session, cases[item.case_id]
        )
        form.points.data = "\n".join(points)
        if item.decision_kind:
            form.kind.data = item.decision_kind
        decision_forms[item.id] = form
    attest_form = AttestForm()
    attest_form.attested_by.data = "\n".join([meeting.chair] + meeting.attesters.split("\n"))
    from caseflow.meetings import delegation, legal_force_text, proceedings, summons
    from caseflow.meetings.dispatch_page import dispatch_views, page_forms
    from caseflow.pdf import converter

    sections = {}
    for part in (proceedings, summons, delegation, legal_force_text):
        sections.update(part.page_context(session, meeting))
    sections.update(justering.page_context(session, meeting, current_user))
    return render_template(
        "meetings/show.html",
        **sections,
        meeting=meeting,
        cases=cases,
        add_form=add_form,
        decision_forms=decision_forms,
        item_forms=item_forms,
        new_item_form=ItemForm(prefix="new"),
        reason_form=ReasonForm(),
        has_begun=state.has_begun(meeting),
        attest_form=attest_form,
        notice_form=NoticeForm(),
        deadlines=attestation.deadlines_of(meeting),
        meeting_date=state.meeting_date(meeting),
        final={item.id: state.is_final(item) for item in meeting.items},
        decided_points={item.id: state.decision_points(item) for item in meeting.items},
        dispatches={
            item.id: dispatch_views(
                session,
                [
                    d
                    for d in dispatching.dispatches_for(session, cases[item.case_id])
                    if d.agenda_item_id == item.id
                ],
                current_user,
            )
            for item in meeting.items
            if item.has_case
        },
        **page_forms(),
        mail_uses_outbox=uses_outbox(),
        pdf_problem=converter.unavailable_reason(),
        seal_problem=unconfigured_reason(),
        notice_problem=notice_problem,
        notice_labels=NOTICE_LABELS,
    )


@bp.route("/<int:meeting_id>/cases", methods=["POST"])
@require("meeting.manage")
def add_case(meeting_id: int):
    session = get_session()
    meeting = _meeting(meeting_id)
    case = session.get(Case, request.form.get("case_id", type=int) or 0)
    if case is None:
        flash(_("Choose an approved case."), "error")
        return _back(meeting.id)
    _run(
        lambda: agenda_items.add_case(session, meeting, case, user=current_user),
        _("%(number)s is on the agenda.", number=case.number),
    )
    return _back(meeting.id, "#agenda")


@bp.route("/<int:meeting_id>/items/<int:item_id>/move/<direction>", methods=["POST"])
@require("meeting.manage")
def move(meeting_id: int, item_id: int, direction: str):
    meeting, item = _meeting(meeting_id), _item(item_id, meeting_id)
    if direction not in ("up", "down"):
        abort(404)
    offset = -1 if direction == "up" else 1
    _run(
        lambda: agenda_items.move_item(get_session(), meeting, item, offset, user=current_user),
        _("The order has been changed."),
    )
    return _back(meeting.id, "#agenda")


@bp.route("/<int:meeting_id>/open", methods=["POST"])
@require("meeting.manage")
def open_meeting(meeting_id: int):
    meeting = _meeting(meeting_id)
    _run(
        lambda: services.open_meeting(get_session(), meeting, user=current_user),
        _("The meeting is opened and every item has its §."),
    )
    return _back(meeting.id, "#agenda")


@bp.route("/<int:meeting_id>/items/<int:item_id>/decision", methods=["POST"])
@require("meeting.manage")
def decide(meeting_id: int, item_id: int):
    item = _item(item_id, meeting_id)
    form = DecisionForm(prefix=f"item{item.id}")
    if not form.validate_on_submit():
        flash(_("Choose what was decided."), "error")
        return _back(meeting_id, f"#item-{item.id}")
    _run(
        lambda: decisions.record_decision(
            get_session(),
            item,
            kind=form.kind.data,
            user=current_user,
            points=(form.points.data or "").splitlines(),
            immediately_attested=form.immediately_attested.data,
            correction_reason=form.correction_reason.data,
        ),
        _("The decision under § %(n)s has been recorded.", n=item.paragraph),
    )
    return _back(meeting_id, f"#item-{item.id}")


@bp.route("/<int:meeting_id>/attest", methods=["POST"])
@require("meeting.manage")
def attest(meeting_id: int):
    meeting = _meeting(meeting_id)
    form = AttestForm()
    if not form.validate_on_submit():
        flash(_("Give the date and who attested."), "error")
        return _back(meeting.id, "#attest")
    _run(
        lambda: attestation.attest(
            get_session(),
            meeting,
            attested_on=form.attested_on.data,
            attested_by=form.attested_by.data,
            notice_posted_on=form.notice_posted_on.data,
            user=current_user,
        ),
        _("The protocol is attested and locked."),
    )
    return _back(meeting.id, "#attest")


@bp.route("/<int:meeting_id>/notice", methods=["POST"])
@require("meeting.manage")
def notice(meeting_id: int):
    meeting = _meeting(meeting_id)
    form = NoticeForm()
    if form.validate_on_submit():
        _run(
            lambda: attestation.post_notice(
                get_session(), meeting, posted_on=form.posted_on.data, user=current_user
            ),
            _("The notice date is recorded."),
        )
    return _back(meeting.id, "#attest")


@bp.route("/items/<int:item_id>/excerpt.<fmt>")
@require("excerpt.export")
def excerpt(item_id: int, fmt: str):
    session = get_session()
    item = _item(item_id)
    if fmt not in ("docx", "pdf"):
        abort(404)
    try:
        if fmt == "pdf":
            content = excerpts.excerpt_pdf(session, file_store(), item)
            mime = PDF_MIME
        else:
            content, _template = excerpts.render_excerpt(session, file_store(), item)
            mime = DOCX_MIME
    except CaseflowError as exc:
        flash(str(exc), "error")
        return _back(item.meeting_id, f"#item-{item.id}")
    return send_file(
        io.BytesIO(content),
        mimetype=mime,
        as_attachment=True,
        download_name=excerpts.excerpt_filename(session, item, fmt),
    )


@bp.route("/<int:meeting_id>/export", methods=["POST"])
@require("excerpt.export")
def export(meeting_id: int):
    from caseflow.meetings.export import start_export

    meeting = _meeting(meeting_id)
    job = _run(
        lambda: start_export(
            get_session(), meeting, request.form.get("fmt", "pdf"), user=current_user
        ),
        _("The export has started."),
    )
    return redirect(url_for("meetings.export_status", job_id=job.id))


@bp.route("/exports/<int:job_id>")
@require("excerpt.export")
def export_status(job_id: int):
    from caseflow.meetings.dispatch_models import ExportJob

    job = get_session().get(ExportJob, job_id)
    if job is None:
        abort(404)
    return render_template("meetings/export.html", job=job)


@bp.route("/exports/<int:job_id>/download")
@require("excerpt.export")
def export_download(job_id: int):
    from caseflow.meetings.dispatch_models import ExportJob

    session = get_session()
    job = session.get(ExportJob, job_id)
    if job is None or job.status != ExportStatus.DONE:
        abort(404)
    meeting = state.get_meeting(session, job.meeting_id)
    name = f"Protokollsutdrag {meeting.organ.name} {state.meeting_date(meeting)}.zip"
    return send_file(
        file_store().path_for(job.sha256),
        mimetype="application/zip",
        as_attachment=True,
        download_name=name,
    )


@bp.route("/<int:meeting_id>/<kind>.docx")
@require("meeting.read")
def meeting_document(meeting_id: int, kind: str):
    from caseflow.meetings.documents import agenda_docx, protocol_docx

    builders = {
        "agenda": (agenda_docx, "Föredragningslista"),
        "protocol": (protocol_docx, "Protokoll"),
    }
    if kind not in builders:
        abort(404)
    meeting = _meeting(meeting_id)
    build, label = builders[kind]
    content = build(get_session(), meeting, current_user)
    name = f"{label} {meeting.organ.name} {state.meeting_date(meeting)}.docx"
    return send_file(
        io.BytesIO(content), mimetype=DOCX_MIME, as_attachment=True, download_name=name
    )


@bp.route("/<int:meeting_id>/protocol.pdf")
@require("meeting.read")
def protocol_pdf(meeting_id: int):
    from caseflow.meetings.documents import protocol_pdf as sealed_protocol

    meeting = _meeting(meeting_id)
    try:
        content = sealed_protocol(get_session(), meeting, current_user)
    except CaseflowError as exc:
        flash(str(exc), "error")
        return _back(meeting.id)
    name = f"Protokoll {meeting.organ.name} {state.meeting_date(meeting)}.pdf"
    return send_file(io.BytesIO(content), mimetype=PDF_MIME, as_attachment=True, download_name=name)
