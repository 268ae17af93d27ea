"""The public side of the register: the e-diarium at ``/diarium/``.

A higher domain: it reads cases, documents, parties and series through the public
projection (``Audience.PUBLIC``); none of them imports it. Its ``init_app`` registers the
anonymous pages (``views``, ``site``: no login, no cookie, the language in the URL), the
registrar's form that publishes a document's files (``staff``), the listeners that keep
the response cache honest (``generation``), and the template globals ``public_url``.
"""

from flask import Flask
from flask_babel import lazy_gettext as _l

#: How the audit trail names the e-diarium's events.
AUDIT_LABELS = {
    "document.files_published": _l("Files published in the e-diarium"),
    "document.files_unpublished": _l("Files taken down from the e-diarium"),
}


def init_app(app: Flask) -> None:
    """Register the public pages, the publishing form and the cache's listeners."""
    from caseflow.common import audit
    from caseflow.public import generation, site  # noqa: F401 - site adds its routes to bp
    from caseflow.public.staff import bp as staff_bp
    from caseflow.public.views import bp
    from caseflow.public.web import language_switch_url, public_url, public_url_if_any

    generation.register_listeners()
    app.register_blueprint(bp)
    app.register_blueprint(staff_bp)
    audit.register_labels(app, AUDIT_LABELS)
    app.add_template_global(public_url)
    app.add_template_global(public_url_if_any)
    app.add_template_global(language_switch_url)

    @app.context_processor
    def _publication():
        def files_publication(doc, case):
            from caseflow.db import get_session
            from caseflow.public.services import publication_state

            return publication_state(get_session(), doc, case)

        return {"files_publication": files_publication}
