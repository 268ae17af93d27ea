"""Decision bodies, meetings, decisions, protocol excerpts and dispatch."""

from flask import Flask


def init_app(app: Flask) -> None:
    from caseflow.meetings.views import bp

    app.register_blueprint(bp)
