"""The audit page for holders of ``audit.view``: the trail filtered by user, case, kind of
event and date, newest first, and the same events as CSV or XLSX."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlmodel import select
from wtforms import DateField, SelectField, StringField
from wtforms.validators import Length, Optional

from caseflow.auth.models import User
from caseflow.common import export as exports
from caseflow.common.forms import choices
from caseflow.common.params import args_without_page
from caseflow.common.permissions import require
from caseflow.common.timeutil import today
from caseflow.db import get_session, writes_on_get
from caseflow.web import audit_log
from caseflow.web.audit_log import AuditFilter

bp = Blueprint("audit", __name__, url_prefix="/audit")

PER_PAGE = 50


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False

    user = SelectField(_l("User"), validators=[Optional()], validate_choice=False)
    case = StringField(_l("Case number"), validators=[Optional(), Length(max=40)])
    kind = SelectField(_l("Kind of event"), validators=[Optional()], validate_choice=False)
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("To"), validators=[Optional()])


def _form() -> tuple[AuditFilterForm, AuditFilter]:
    session = get_session()
    form = AuditFilterForm(request.args)
    users = session.exec(select(User.id, User.name).order_by(User.name)).all()
    form.user.choices = choices([("", _("All")), *((str(i), name) for i, name in users)])
    form.kind.choices = choices([("", _("All")), *audit_log.kinds(session, current_app)])
    if not form.validate():
        return form, AuditFilter()
    user = form.user.data or ""
    return form, AuditFilter(
        actor_id=int(user) if user.isdigit() else None,
        case_number=(form.case.data or "").strip() or None,
        action=form.kind.data or None,
        date_from=form.date_from.data,
        date_to=form.date_to.data,
    )


@bp.route("/")
@require("audit.view")
def index():
    session = get_session()
    form, filters = _form()
    page = audit_log.list_events(session, filters, request.args.get("page", 1, type=int), PER_PAGE)
    rows = audit_log.present(session, current_app, page.items, current_user)
    return render_template(
        "audit/index.html", form=form, page=page, rows=rows, args=args_without_page(request.args)
    )


@bp.route("/export.<any(csv, xlsx):fmt>")
@require("audit.view")
@writes_on_get
def export(fmt: str):
    """The filtered events as CSV or XLSX; the export itself is an event in the trail."""
    session = get_session()
    _unused, filters = _form()
    return exports.respond(
        lambda: audit_log.export_table(
            session,
            current_app,
            filters,
            current_user,
            fmt=fmt,
            described=args_without_page(request.args),
        ),
        fmt,
        f"{_('Audit trail')} {today().isoformat()}",
        back=url_for("audit.index", **args_without_page(request.args)),
    )
