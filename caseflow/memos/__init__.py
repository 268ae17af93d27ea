"""The official's case memo (tjänsteskrivelse): drafting, the .docx, review."""

from flask import Flask


def init_app(app: Flask) -> None:
    from caseflow.memos import services  # noqa: F401 - registers the submission hook
    from caseflow.memos.views import bp

    app.register_blueprint(bp)
