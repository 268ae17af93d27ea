"""Decision bodies, meetings, decisions, protocol excerpts and dispatch."""

from flask import Flask


def init_app(app: Flask) -> None:
    from caseflow.meetings.cli import excerpt_group
    from caseflow.meetings.views import bp

    app.register_blueprint(bp)
    app.cli.add_command(excerpt_group)
