"""Documents (handlingar) and their files."""

from flask import Flask


def init_app(app: Flask) -> None:
    from caseflow.documents.views import bp

    app.register_blueprint(bp)
