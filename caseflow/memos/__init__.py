"""The official's case memo (tjänsteskrivelse): drafting, the .docx, review."""

from flask import Flask
from flask_babel import lazy_gettext as _l

#: How the case timeline names the audit events of the memo.
AUDIT_LABELS = {
    "memo.save": _l("Memo draft saved"),
    "memo.generate": _l("Memo generated"),
}


def init_app(app: Flask) -> None:
    from caseflow.common import audit
    from caseflow.memos import services  # noqa: F401 - registers the submission hook
    from caseflow.memos.views import bp

    app.register_blueprint(bp)
    audit.register_labels(app, AUDIT_LABELS)
