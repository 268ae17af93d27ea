"""Users, roles and logging in."""

from flask import Flask, current_app
from flask import session as flask_session
from flask_babel import lazy_gettext as _l

#: What the audit trail says of logging in and out (the audit page shows these).
AUDIT_LABELS = {
    "user.login": _l("Logged in"),
    "user.logout": _l("Logged out"),
    "user.login_failed": _l("Failed login"),
    "user.login_throttled": _l("Login refused: too many failures, wait first"),
}


def init_app(app: Flask) -> None:
    from caseflow.auth.admin_views import bp as admin_bp
    from caseflow.auth.cli import user_group
    from caseflow.auth.services import get_user_by_email
    from caseflow.auth.sessions import SESSION_KEY, active_session_user
    from caseflow.auth.views import bp
    from caseflow.common import audit
    from caseflow.common.cli import register_actor_lookup
    from caseflow.db import get_session
    from caseflow.extensions import csrf, login_manager

    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_user(user_id: str):
        # The signed cookie alone is not enough: its login must still be open on the server.
        if not user_id.isdigit():
            return None
        return active_session_user(
            get_session(),
            flask_session.get(SESSION_KEY),
            int(user_id),
            idle_minutes=current_app.config["SESSION_IDLE_MINUTES"],
        )

    audit.register_labels(app, AUDIT_LABELS)
    app.register_blueprint(bp)
    app.register_blueprint(admin_bp)
    app.cli.add_command(user_group)
    register_actor_lookup(app, get_user_by_email)
