"""The registrar's side of the e-diarium: publishing a document's files (a form on the
staff document page, ``templates/public/staff_publish.html``)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from caseflow.common.permissions import require
from caseflow.db import get_session
from caseflow.documents.models import Document
from caseflow.public.services import set_files_published

bp = Blueprint("public_staff", __name__, url_prefix="/diarium/hantera")


@bp.route("/handling/<int:doc_id>/filer", methods=["POST"])
@require("document.publish_files")
def publish_files(doc_id: int):
    """Publish the document's files in the e-diarium, or take them down (``publish=0``)."""
    session = get_session()
    doc = session.get(Document, doc_id)
    if doc is None:
        abort(404)
    published = request.form.get("publish") != "0"
    set_files_published(session, doc, published=published, user=current_user)
    flash(_("The files are published.") if published else _("The files are no longer published."))
    return redirect(url_for("documents.show", doc_id=doc.id))
