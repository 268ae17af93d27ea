"""Cases (ärenden), series and case numbers."""

from flask import Flask


def init_app(app: Flask) -> None:
    from caseflow.cases.cli import case_group, import_group
    from caseflow.cases.views import bp

    app.register_blueprint(bp)
    app.cli.add_command(case_group)
    app.cli.add_command(import_group)
