"""Document templates (.docx with docxtpl tags): safe rendering, versions, uploads."""

from flask import Flask


def init_app(app: Flask) -> None:
    from caseflow.doctemplates.views import bp

    app.register_blueprint(bp)
