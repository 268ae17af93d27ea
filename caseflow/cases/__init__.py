"""Cases (ärenden), series and case numbers."""

from flask import Flask


def init_app(app: Flask) -> None:
    from caseflow.cases.views import bp

    app.register_blueprint(bp)
