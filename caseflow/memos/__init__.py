"""The official's case memo (tjänsteskrivelse): drafting, the .docx, review."""

from flask import Flask
from flask_babel import lazy_gettext as _l

#: How the case timeline names the audit events of the memo.
AUDIT_LABELS = {
    "memo.save": _l("Memo draft saved"),
    "memo.generate": _l("Memo generated"),
}


def init_app(app: Flask) -> None:
    from caseflow.cases.workflow import register_guard
    from caseflow.common import audit
    from caseflow.memos import services
    from caseflow.memos.views import bp

    # The memo owns the rule that nothing goes to review or is decided without a proposal.
    register_guard("submit", services.has_proposal)
    register_guard("decide_delegated", services.has_proposal)
    app.register_blueprint(bp)
    audit.register_labels(app, AUDIT_LABELS)
