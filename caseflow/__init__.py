"""caseflow — a diarium and case-management system for Swedish public authorities."""

from flask import Flask


def create_app(test_config=None, *, instance_path=None):
    """Build the Flask application. Creates no tables and starts no scheduler."""
    from pathlib import Path

    import caseflow.models  # noqa: F401 - every table known before the first query
    from caseflow import (
        auth,
        backup,
        cases,
        classification,
        demo,
        disclosure,
        doctemplates,
        documents,
        imports,
        mail,
        meetings,
        memos,
        noticeboard,
        organisation,
        parties,
        pdf,
        public,
        reminders,
        scheduler,
        seal,
        search,
        web,
    )
    from caseflow.common import audit, audit_checkpoints, i18n, params, ratelimit, security
    from caseflow.config import NotConfigured, load_config
    from caseflow.config import instance_path as default_instance_path
    from caseflow.db import init_app as init_db

    root = Path(__file__).resolve().parent.parent
    app = Flask(
        __name__,
        instance_path=instance_path or default_instance_path(),
        instance_relative_config=True,
        template_folder=str(root / "templates"),
    )
    load_config(app, test_config)
    if not app.config.get("SECRET_KEY"):
        raise NotConfigured("SECRET_KEY is not set: run `caseflow init` or set CASEFLOW_SECRET_KEY")

    init_db(app)
    audit.init_app(app)
    audit_checkpoints.init_app(app)
    security.init_app(app)
    params.init_app(app)
    i18n.init_app(app)
    organisation.init_app(app)
    auth.init_app(app)
    classification.init_app(app)
    parties.init_app(app)
    cases.init_app(app)
    documents.init_app(app)
    imports.init_app(app)
    memos.init_app(app)
    doctemplates.init_app(app)
    meetings.init_app(app)
    noticeboard.init_app(app)
    mail.init_app(app)
    disclosure.init_app(app)
    search.init_app(app)
    reminders.init_app(app)
    pdf.init_app(app)
    seal.init_app(app)
    public.init_app(app)
    web.init_app(app)
    demo.init_app(app)
    backup.init_app(app)
    scheduler.init_app(app)
    # Last: it limits endpoints by name, those of every blueprint above included.
    ratelimit.init_app(app)
    return app
