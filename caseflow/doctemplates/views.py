"""Admin pages: template versions, upload with validation, preview, activation."""

import io

from flask import Blueprint, abort, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import StringField
from wtforms.validators import Length, Optional

from caseflow.common.errors import CaseflowError
from caseflow.common.permissions import require
from caseflow.db import get_session
from caseflow.doctemplates import services
from caseflow.doctemplates.models import DocumentTemplate
from caseflow.documents.formats import DOCX_MIME
from caseflow.documents.storage import file_store

bp = Blueprint("doctemplates", __name__, url_prefix="/admin/templates")


class UploadForm(FlaskForm):
    file = FileField(_l("Template (.docx)"), validators=[FileRequired()])
    note = StringField(_l("What changed"), validators=[Optional(), Length(max=500)])


@bp.route("/")
@require("template.manage")
def index():
    session = get_session()
    for kind in services.KINDS:
        services.active_template(session, file_store(), kind)  # shows the built-in version
    kinds = {kind: services.list_templates(session, kind) for kind in services.KINDS}
    return render_template(
        "doctemplates/index.html", kinds=kinds, specs=services.KINDS, form=UploadForm()
    )


@bp.route("/<kind>/upload", methods=["POST"])
@require("template.manage")
def upload(kind: str):
    if kind not in services.KINDS:
        abort(404)
    form = UploadForm()
    if not form.validate_on_submit():
        flash(_("Choose a .docx file."), "error")
        return redirect(url_for("doctemplates.index"))
    template = services.upload_template(
        get_session(),
        file_store(),
        kind,
        filename=form.file.data.filename,
        content=form.file.data.read(),
        user=current_user,
        note=form.note.data,
    )
    flash(
        _("Version %(v)s was checked and saved. Preview it, then activate it.", v=template.version),
        "success",
    )
    return redirect(url_for("doctemplates.index"))


def _template(template_id: int) -> DocumentTemplate:
    template = get_session().get(DocumentTemplate, template_id)
    if template is None:
        abort(404)
    return template


@bp.route("/<int:template_id>/preview")
@require("template.manage")
def preview(template_id: int):
    template = _template(template_id)
    try:
        content = services.preview(file_store(), template)
    except CaseflowError as exc:
        flash(str(exc), "error")
        return redirect(url_for("doctemplates.index"))
    return send_file(
        io.BytesIO(content),
        mimetype=DOCX_MIME,
        as_attachment=True,
        download_name=f"forhandsvisning-{template.kind}-v{template.version}.docx",
    )


@bp.route("/<int:template_id>/activate", methods=["POST"])
@require("template.manage")
def activate(template_id: int):
    template = _template(template_id)
    services.activate(get_session(), template, user=current_user)
    flash(_("Version %(v)s is now in use.", v=template.version), "success")
    return redirect(url_for("doctemplates.index"))
