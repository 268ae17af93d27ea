"""The official's case memo (tjänsteskrivelse): drafting, the .docx, review."""

from flask import Flask


def init_app(app: Flask) -> None:
    from caseflow.cases.workflow import register_guard
    from caseflow.memos import services
    from caseflow.memos.views import bp

    # The memo owns the rule that nothing goes to review or is decided without a proposal.
    register_guard("submit", services.has_proposal)
    register_guard("decide_delegated", services.has_proposal)
    app.register_blueprint(bp)
