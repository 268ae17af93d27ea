"""The dashboard, error pages and what every template gets."""

from flask import Blueprint, Flask, current_app, render_template, request
from flask_login import current_user, login_required

from caseflow.common import audit, corrections, error_path
from caseflow.common.permissions import has_member_home, has_right
from caseflow.common.secrecy import (
    audience_for,
    case_description_for,
    case_parties_for,
    case_parties_visible_to,
    case_title_for,
    document_counterpart_for,
    document_title_for,
    file_name_for,
    mask,
)
from caseflow.db import get_session

bp = Blueprint("web", __name__)

#: Boxes higher domains add to the dashboard: (template, provider(session, user) -> context
#: or None when the box is not for this user).
_dashboard_boxes: list[tuple[str, object]] = []


def register_dashboard_box(template: str, provider) -> None:
    """Let a domain show a box of its own on the dashboard (from its ``init_app``), so that
    the dashboard calls it without importing it. The same box is registered once."""
    if (template, provider) not in _dashboard_boxes:
        _dashboard_boxes.append((template, provider))


@bp.route("/")
@login_required
def dashboard():
    from caseflow.cases.queries import (
        long_undecided_cases,
        my_open_cases,
        overdue_cases,
        status_counts,
    )

    session = get_session()
    if has_member_home(current_user):
        from caseflow.meetings.justering import member_home

        return render_template("meetings/member_home.html", **member_home(session, current_user))
    return render_template(
        "dashboard.html",
        mine=my_open_cases(session, current_user),
        overdue=overdue_cases(session),
        undecided=long_undecided_cases(session),
        counts=status_counts(session),
        boxes=[
            (template, context)
            for template, provider in _dashboard_boxes
            if (context := provider(session, current_user)) is not None
        ],
    )


def _organisation():
    """The profile for the page header, read once per request."""
    from flask import g
    from sqlalchemy.exc import SQLAlchemyError

    from caseflow.organisation.services import ProfileSnapshot, profile_snapshot

    if "organisation" not in g:
        try:
            g.organisation = profile_snapshot(get_session())
        except SQLAlchemyError:  # an error page must render even when the database fails
            get_session().rollback()
            g.organisation = ProfileSnapshot(
                name=current_app.config["ORGANISATION_NAME"],
                org_number="",
                postal_address="",
                phone="",
                email="",
                web="",
                has_logo=False,
            )
    return g.organisation


def init_app(app: Flask) -> None:
    from flask_babel import lazy_gettext as _l

    from caseflow.web.admin import bp as admin_bp
    from caseflow.web.audit_views import bp as audit_bp

    app.register_blueprint(bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(audit_bp)
    audit.register_labels(app, {"audit.export": _l("Audit trail exported")})

    @app.context_processor
    def _globals():
        from caseflow.cases.forms import ACTION_LABELS, STATUS_LABELS
        from caseflow.common.i18n import Labels, select_locale
        from caseflow.documents.forms import DIRECTION_LABELS
        from caseflow.mail.queue import waiting_count
        from caseflow.meetings.forms import (
            DECISION_LABELS,
            DISPATCH_LABELS,
            ITEM_KIND_LABELS,
            MEETING_STATUS_LABELS,
        )

        return {
            # Called by the page header only: e-mail bodies rendered in a job never touch
            # the request's session (a job's own write session may hold the lock).
            "organisation_profile": _organisation,
            "has_right": lambda right: has_right(current_user, right),
            "case_title": lambda case: case_title_for(case, current_user),
            "case_description": lambda case: case_description_for(case, current_user),
            "case_parties_visible": lambda case: case_parties_visible_to(case, current_user),
            "case_parties": lambda case: case_parties_for(case, current_user),
            "secrecy_mask": mask,
            "doc_title": lambda doc, case: document_title_for(doc, case, current_user),
            "doc_counterpart": lambda doc, case: document_counterpart_for(doc, case, current_user),
            "file_name": lambda doc, case, f: file_name_for(doc, case, f, current_user),
            "status_labels": Labels(STATUS_LABELS),
            "action_labels": Labels(ACTION_LABELS),
            "direction_labels": Labels(DIRECTION_LABELS),
            "current_locale": select_locale(),
            "audit_labels": Labels(audit.action_labels(current_app)),
            "actor_name": audit.actor_name,
            # A correction's sentence for the timeline, its secrets masked for this reader.
            "audit_detail": lambda event, case: corrections.describe(
                current_app, event, audience_for(current_user, case)
            ),
            "meeting_status_labels": Labels(MEETING_STATUS_LABELS),
            "decision_labels": Labels(DECISION_LABELS),
            "item_kind_labels": Labels(ITEM_KIND_LABELS),
            "dispatch_labels": Labels(DISPATCH_LABELS),
            "mail_waiting": lambda: waiting_count(get_session()),
        }

    for code in (400, 403, 404, 405, 413, 429, 500):
        app.register_error_handler(code, _error_page)
    error_path.init_app(app)
    app.register_error_handler(OverflowError, _too_large_a_number)


def _too_large_a_number(_error):
    """An id or page number beyond what the database can hold names nothing there."""
    error_path.rollback_request()
    return render_template("errors/error.html", code=404), 404


def _error_page(error):
    code = getattr(error, "code", 500) or 500
    if request.path.startswith("/static/"):
        return str(code), code
    if request.blueprint is None and not current_user.is_authenticated:
        # An address that names nothing, asked by someone not logged in (a mistyped link,
        # a crawler's /favicon.ico): the public frame, which sets no cookie.
        from caseflow.public.site import error_page

        return error_page(error)
    return render_template("errors/error.html", code=code), code
