"""The parties register pages (/parties/): list and search, add, correct, merge."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from caseflow.common.error_path import keep_form
from caseflow.common.errors import CaseflowError, NotFound
from caseflow.common.forms import choices
from caseflow.common.permissions import has_right, may_see_secrets, require
from caseflow.common.projection import Audience, party_label, party_to_dict
from caseflow.db import get_session
from caseflow.parties import services
from caseflow.parties.forms import KIND_LABELS, MergeForm, PartyForm, SearchForm

bp = Blueprint("parties", __name__, url_prefix="/parties")


def _audience() -> Audience:
    """Outside a case, only those who see every secret see protected persons."""
    return Audience.HOLDER if may_see_secrets(current_user, None) else Audience.STAFF


def _load(party_id: int):
    try:
        return services.get_party(get_session(), party_id)
    except NotFound:
        abort(404)


def _form(party=None, formdata=None) -> PartyForm:
    form = PartyForm(formdata=formdata, obj=party)
    orgs = [(p.id, p.name) for p in services.organisations(get_session()) if p is not party]
    form.organisation_id.choices = choices([(0, "—"), *orgs])
    if party is not None and formdata is None:
        form.organisation_id.data = party.organisation_id or 0
        form.is_foreign.data = party.is_foreign
        form.domains.data = " ".join(d.domain for d in party.domains)
    return form


@bp.route("/")
@require("party.view")
def index():
    form = SearchForm(request.args)
    audience = _audience()
    found = services.search_parties(
        get_session(), form.q.data, sees_protected=audience == Audience.HOLDER
    )
    return render_template(
        "parties/index.html",
        form=form,
        rows=[(p, party_to_dict(p, audience), party_label(p, audience)) for p in found],
        kind_labels=KIND_LABELS,
        may_manage=has_right(current_user, "party.manage"),
    )


@bp.route("/new", methods=["GET", "POST"])
@require("party.manage")
def new():
    form = _form(formdata=request.form if request.method == "POST" else None)
    if form.validate_on_submit():
        try:
            party = services.create_party(get_session(), kind=form.kind.data, **form.values())
        except CaseflowError as exc:
            keep_form(form, exc)
        else:
            flash(_("%(name)s has been added to the register.", name=party.name), "success")
            return redirect(url_for("parties.index"))
    status = 422 if form.is_submitted() else 200
    return render_template("parties/form.html", form=form, party=None), status


@bp.route("/<int:party_id>/edit", methods=["GET", "POST"])
@require("party.manage")
def edit(party_id: int):
    party = _load(party_id)
    form = _form(party, formdata=request.form if request.method == "POST" else None)
    form.kind.data = party.kind  # the kind is not changed by a correction
    if form.validate_on_submit():
        try:
            services.update_party(get_session(), party, **form.values())
        except CaseflowError as exc:
            keep_form(form, exc)
        else:
            flash(_("%(name)s has been corrected.", name=party.name), "success")
            return redirect(url_for("parties.index"))
    status = 422 if form.is_submitted() else 200
    return render_template("parties/form.html", form=form, party=party), status


@bp.route("/duplicates")
@require("party.manage")
def duplicates():
    audience = Audience.HOLDER  # party.manage is the registrar's: they see every party
    groups = [
        [(p, party_to_dict(p, audience)) for p in group]
        for group in services.duplicate_groups(get_session())
    ]
    return render_template("parties/duplicates.html", groups=groups, form=MergeForm())


@bp.route("/merge", methods=["POST"])
@require("party.manage")
def merge():
    form = MergeForm()
    if not form.validate_on_submit():
        flash(_("Choose the party to keep and the one to merge into it."), "error")
        return redirect(url_for("parties.duplicates"))
    session = get_session()
    keep, duplicate = _load(form.keep_id.data), _load(form.duplicate_id.data)
    services.merge_parties(session, keep, duplicate)  # errors: the common error path
    flash(
        _("%(duplicate)s has been merged into %(keep)s.", duplicate=duplicate.id, keep=keep.id),
        "success",
    )
    return redirect(url_for("parties.duplicates"))
