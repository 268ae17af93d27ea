"""Decision bodies, meetings, decisions, protocol excerpts and dispatch."""

from flask import Flask


def init_app(app: Flask) -> None:
    from caseflow.cases.workflow import register_guard
    from caseflow.meetings import services
    from caseflow.meetings.views import bp

    # The meeting owns the rule that only an attested decision is dispatched.
    register_guard("dispatch", services.decision_is_final)
    app.register_blueprint(bp)
