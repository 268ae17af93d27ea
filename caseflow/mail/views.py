"""The registrar's mail queue: list, safe preview, and the decisions on each mail."""

from __future__ import annotations

import io

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlmodel import select

from caseflow.auth.models import User
from caseflow.auth.services import responsible_officers
from caseflow.cases.models import Case
from caseflow.cases.series import active_series_choices
from caseflow.cases.services import get_case_by_number
from caseflow.classification.forms import process_choices
from caseflow.common.error_path import keep_form
from caseflow.common.errors import CaseflowError, NotFound
from caseflow.common.forms import choices
from caseflow.common.params import page_number
from caseflow.common.permissions import require
from caseflow.db import get_session, writes_on_get
from caseflow.documents.models import Document
from caseflow.documents.services import document_number, open_file_for
from caseflow.documents.storage import file_store
from caseflow.mail import queue
from caseflow.mail.actions import message_actions
from caseflow.mail.filing import file_stem, mail_title, propose_sender, proposed_registration
from caseflow.mail.forms import ReasonForm, RegisterMailForm
from caseflow.mail.models import WAITING, MailMessage, MailStatus
from caseflow.mail.store import is_oversized, read_mail, read_parsed

bp = Blueprint("mail", __name__, url_prefix="/mail")

STATUS_LABELS = {
    MailStatus.RECEIVED: _l("Received, not yet read"),
    MailStatus.FILED: _l("Filed"),
    MailStatus.QUEUED: _l("Waiting for the registrar"),
    MailStatus.DUPLICATE: _l("Duplicate"),
    MailStatus.AUTOREPLY: _l("Automatic reply"),
    MailStatus.BOUNCE: _l("Bounce"),
    MailStatus.DELAYED: _l("Delivery delayed"),
    MailStatus.RECEIPT: _l("Receipt"),
    MailStatus.REJECTED: _l("Not to be registered"),
    MailStatus.FAILED: _l("Could not be read"),
}

#: What the reading notes mean, for the registrar.
FLAG_LABELS = {
    "charset_guessed": _l("the character set was guessed"),
    "date_fallback": _l("no readable date: the time of receipt is used"),
    "message_id_derived": _l("no Message-ID: one was made from the content"),
    "message_id_collision": _l("an earlier mail has the same Message-ID but other content"),
    "oversized": _l("too large to be read automatically"),
    "mailing_list": _l("from a mailing list or a newsletter"),
    "autoreply_subject": _l("the subject looks like an automatic reply (no header says so)"),
    "html_only": _l("HTML only: the text was made from it"),
    "html_too_deep": _l("HTML too deeply nested: shown as text"),
    "html_unsanitisable": _l("HTML could not be cleaned: shown as text"),
    "mime_fallback": _l("damaged structure: read leniently"),
    "mime_unreadable": _l("damaged structure: only the headers could be read"),
    "mime_defects": _l("damaged or cut off: parts may be missing"),
    "mime_too_deep": _l("parts nested too deep were not read"),
    "tnef_unreadable": _l("a winmail.dat could not be opened (it is kept)"),
    "unparseable": _l("could not be read as e-mail"),
}


def _load(mail_id: int, *, for_update: bool = False) -> MailMessage:
    try:
        return queue.get_mail(get_session(), mail_id, for_update=for_update)
    except NotFound:
        abort(404)


def _parsed(mail: MailMessage):
    """(raw, parsed) of the stored mail (only headers when oversized), or (None, None) when
    it cannot be read."""
    try:
        return read_mail(file_store(), mail)
    except Exception:  # shown as "could not be read"; the raw bytes stay downloadable
        return None, None


@bp.route("/")
@require("mail.queue")
def index():
    show = queue.list_filter(request.args.get("show"))
    page = queue.mail_list(get_session(), show=show, page=page_number(request.args))
    return render_template(
        "mail/index.html",
        page=page,
        show=show,
        filters=queue.FILTERS,
        mail_status_labels=STATUS_LABELS,
        suggestions=queue.suggestions,
    )


def _register_form(session, mail: MailMessage, parsed, formdata=None) -> RegisterMailForm:
    form = RegisterMailForm(formdata=formdata)
    form.series.choices = choices(active_series_choices(session))
    form.class_id.choices = process_choices(session)
    officers = [(i, name) for i, name, _unit in responsible_officers(session)]
    form.officer_id.choices = choices([(0, "—"), *officers])
    sender = propose_sender(session, parsed) if parsed is not None else None
    form.party_choice.choices = _party_choices(sender, form.party_choice.data)
    if formdata is None and parsed is not None:
        reg = proposed_registration(mail, parsed, sender)
        form.title.data = reg.title
        form.counterpart.data = reg.counterpart
        form.counterpart_email.data = reg.counterpart_email
        form.received_on.data = reg.received_on
        form.document_date.data = reg.document_date
        form.case_title.data = mail_title(parsed)
        form.counterpart_name.data = sender.name
        form.counterpart_organisation.data = sender.organisation
        form.party_choice.data = str(sender.party.id) if sender.matched_by == "email" else "new"
        hints = queue.suggestions(mail)
        form.number.data = request.args.get("case") or (hints[0] if len(hints) == 1 else "")
        # Enter registers the way chosen here: into the suggested case when there is one.
        form.action.data = "file" if form.number.data else "new_case"
    return form


def _party_choices(sender, posted: str | None = None) -> list[tuple[str, str]]:
    """The sender as the register knows them, a new party as proposed, or none (and the
    party a refused form had chosen, shown again as chosen)."""
    options = []
    if sender is not None and sender.matched_by == "email":
        options.append((str(sender.party.id), _("%(label)s (in the register)", label=sender.label)))
    options.append(("new", _("A new party as written below")))
    if sender is not None and sender.matched_by == "domain":
        options.append((str(sender.party.id), _("%(name)s (organisation)", name=sender.party.name)))
    options.append(("none", _("Not linked to the register")))
    if posted and posted.isdigit() and posted not in {value for value, _label in options}:
        options.insert(0, (posted, _("Party number %(id)s in the register", id=posted)))
    return options


def _open_filed_document(mail: MailMessage, what: str) -> None:
    """A mail filed as a document is read under the document's rule, and logged as it is."""
    if not mail.document_id:
        return
    session = get_session()
    document = session.get(Document, mail.document_id)
    if document is not None:
        case = session.get(Case, document.case_id) if document.case_id else None
        open_file_for(session, document, case, current_user, purpose={"mail": what})


def _show(mail: MailMessage, form=None, status: int = 200):
    session = get_session()
    _open_filed_document(mail, "preview")
    _raw, parsed = _parsed(mail)
    form = form or _register_form(session, mail, parsed)
    hints = queue.suggestions(mail)
    is_waiting = mail.status in (*WAITING, MailStatus.RECEIVED)
    similar = (
        [n for n in queue.similar_cases(session, mail.subject) if n not in hints]
        if is_waiting
        else []
    )
    hints = hints + similar
    hint_cases = {
        c.number: c for c in session.exec(select(Case).where(Case.number.in_(hints))).all()
    }
    filed_in = session.get(Case, mail.case_id) if mail.case_id else None
    document = session.get(Document, mail.document_id) if mail.document_id else None
    return render_template(
        "mail/show.html",
        mail=mail,
        parsed=parsed,
        raw_size=mail.size,
        form=form,
        reason_form=ReasonForm(),
        hints=hints,
        hint_cases=hint_cases,
        filed_in=filed_in,
        document=document,
        document_label=document_number(document, filed_in) if document else None,
        similar=similar,
        is_waiting=is_waiting,
        is_oversized=is_oversized(mail),
        original=queue.original_of(session, mail) if mail.status == MailStatus.DUPLICATE else None,
        flag_labels=FLAG_LABELS,
        mail_status_labels=STATUS_LABELS,
        next_mail=queue.next_waiting(session, mail),
        actions=message_actions(session, mail, current_user),
    ), status


@bp.route("/<int:mail_id>")
@require("mail.queue")
@writes_on_get
def show(mail_id: int):
    return _show(_load(mail_id))


@bp.route("/<int:mail_id>/raw")
@require("mail.queue")
@writes_on_get
def raw(mail_id: int):
    mail = _load(mail_id)
    _open_filed_document(mail, "original")
    ext = ".msg" if mail.raw_format == "outlook-msg" else ".eml"
    return send_file(
        file_store().path_for(mail.sha256),
        mimetype="application/vnd.ms-outlook" if ext == ".msg" else "message/rfc822",
        as_attachment=True,
        download_name=file_stem(mail.subject) + ext,
        max_age=0,
    )


@bp.route("/<int:mail_id>/parts/<int:index>")
@require("mail.queue")
@writes_on_get
def part(mail_id: int, index: int):
    mail = _load(mail_id)
    _open_filed_document(mail, f"part {index}")
    try:  # the whole mail, also an oversized one: the registrar asked for this part
        _raw, parsed = read_parsed(file_store(), mail)
    except Exception:
        abort(404)
    if not 0 <= index < len(parsed.attachments):
        abort(404)
    attachment = parsed.attachments[index]
    # Always a download, never shown inline: an attached HTML file must not run as our page.
    return send_file(
        io.BytesIO(attachment.content),
        mimetype="application/octet-stream",
        as_attachment=True,
        download_name=attachment.filename,
        max_age=0,
    )


def _after_decision(session, mail: MailMessage, message: str):
    flash(message, "success")
    following = queue.next_waiting(session, mail)
    if following is not None:
        return redirect(url_for("mail.show", mail_id=following.id))
    return redirect(url_for("mail.index"))


@bp.route("/<int:mail_id>/register", methods=["POST"])
@require("mail.queue")
def register(mail_id: int):
    session = get_session()
    mail = _load(mail_id, for_update=True)
    form = _register_form(session, mail, None, formdata=request.form)
    action = form.action.data
    if action not in ("file", "new_case", "loose"):
        abort(400)
    if not form.validate_on_submit():
        flash(_("Check the marked fields."), "error")
        return _show(mail, form, 422)
    store = file_store()
    try:
        registration = queue.choose_party(
            session,
            form.registration(),
            choice=form.party_choice.data,
            other_party_id=form.other_party_id.data,
            name=form.counterpart_name.data,
            organisation=form.counterpart_organisation.data,
        )
        if action == "file":
            if not (form.number.data or "").strip():
                raise CaseflowError(_("Give the number of the case to file the mail in."))
            case = get_case_by_number(session, form.number.data)
            doc = queue.file_into_case(session, store, mail, case, registration)
        elif action == "new_case":
            officer = session.get(User, form.officer_id.data) if form.officer_id.data else None
            case, doc = queue.open_case_from_mail(
                session,
                store,
                mail,
                registration,
                series_code=form.series.data,
                case_title=form.case_title.data or form.title.data,
                officer=officer,
                class_id=form.class_id.data or None,
                counterpart_name=form.counterpart_name.data,
                counterpart_organisation=form.counterpart_organisation.data,
            )
        else:
            case = None
            doc = queue.register_without_case(session, store, mail, registration)
    except CaseflowError as exc:
        keep_form(form, exc)
        return _show(queue.get_mail(session, mail_id), form, 422)
    if case is None:
        message = _("The mail has been registered without a case.")
    else:
        message = _(
            "The mail has been registered as %(number)s.", number=document_number(doc, case)
        )
    return _after_decision(session, mail, message)


@bp.route("/<int:mail_id>/reject", methods=["POST"])
@require("mail.queue")
def reject(mail_id: int):
    session = get_session()
    mail = _load(mail_id, for_update=True)
    form = ReasonForm()
    if not form.validate_on_submit():
        flash(_("Give a reason why the mail is not to be registered."), "error")
        return redirect(url_for("mail.show", mail_id=mail.id))
    queue.reject(session, mail, reason=form.reason.data)
    return _after_decision(session, mail, _("The mail is marked as not to be registered."))


@bp.route("/<int:mail_id>/undo", methods=["POST"])
@require("mail.queue")
def undo(mail_id: int):
    session = get_session()
    mail = _load(mail_id, for_update=True)
    form = ReasonForm()
    if not form.validate_on_submit():
        flash(_("Give a reason for undoing."), "error")
        return redirect(url_for("mail.show", mail_id=mail.id))
    emptied = queue.undo(session, mail, reason=form.reason.data)
    flash(_("Undone: the mail is back in the queue."), "success")
    if emptied is not None:
        flash(
            _("%(number)s now has no document left: withdraw the case if it was opened "
              "by mistake.", number=emptied.number),
            "info",
        )  # fmt: skip
    return redirect(url_for("mail.show", mail_id=mail.id))


@bp.route("/<int:mail_id>/requeue", methods=["POST"])
@require("mail.queue")
def requeue(mail_id: int):
    session = get_session()
    mail = _load(mail_id, for_update=True)
    form = ReasonForm()
    if not form.validate_on_submit():
        flash(_("Give a reason why the mail is to be handled."), "error")
    else:
        queue.requeue(session, mail, reason=form.reason.data)
        flash(_("The mail now waits in the queue."), "success")
    return redirect(url_for("mail.show", mail_id=mail_id))


@bp.route("/<int:mail_id>/retry", methods=["POST"])
@require("mail.queue")
def retry(mail_id: int):
    session = get_session()
    mail = _load(mail_id, for_update=True)
    try:
        status = queue.retry(session, file_store(), mail)
    except CaseflowError:
        raise  # the common error path
    except Exception as exc:  # the mail stays failed; say why
        session.rollback()
        flash(_("The mail still cannot be read: %(error)s", error=str(exc)), "error")
    else:
        flash(_("Read again: %(status)s.", status=STATUS_LABELS[status]), "success")
    return redirect(url_for("mail.show", mail_id=mail_id))
