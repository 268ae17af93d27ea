"""Admin pages for the functional mailboxes read over IMAP (admins only)."""

from __future__ import annotations

import logging
import ssl

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from imapclient.exceptions import IMAPClientError
from sqlmodel import select

from caseflow.common.error_path import keep_form
from caseflow.common.errors import CaseflowError
from caseflow.common.permissions import require
from caseflow.db import get_session
from caseflow.mail import mailboxes
from caseflow.mail.forms import SECURITY_LABELS, MailboxForm
from caseflow.mail.models import Mailbox

log = logging.getLogger("caseflow.mail")

bp = Blueprint("admin_mailboxes", __name__, url_prefix="/admin/mailboxes")


def _load(mailbox_id: int) -> Mailbox:
    mailbox = get_session().get(Mailbox, mailbox_id)
    if mailbox is None:
        abort(404)
    return mailbox


@bp.route("/")
@require("mailbox.manage")
def index():
    rows = get_session().exec(select(Mailbox).order_by(Mailbox.name)).all()
    return render_template("mail/mailboxes.html", mailboxes=rows, security_labels=SECURITY_LABELS)


@bp.route("/new", methods=["GET", "POST"])
@require("mailbox.manage")
def new():
    form = MailboxForm()
    if form.validate_on_submit():
        try:
            mailbox = mailboxes.create_mailbox(
                get_session(), password=form.password.data or "", **form.values()
            )
        except CaseflowError as exc:
            keep_form(form, exc)
        else:
            flash(_("Mailbox %(name)s has been added.", name=mailbox.name), "success")
            return redirect(url_for("admin_mailboxes.index"))
    status = 422 if form.errors or form.is_submitted() else 200
    return render_template("mail/mailbox_form.html", form=form, mailbox=None), status


@bp.route("/<int:mailbox_id>/edit", methods=["GET", "POST"])
@require("mailbox.manage")
def edit(mailbox_id: int):
    mailbox = _load(mailbox_id)
    form = MailboxForm(obj=mailbox)
    if form.validate_on_submit():
        try:
            mailboxes.update_mailbox(
                get_session(), mailbox, password=form.password.data or None, **form.values()
            )
        except CaseflowError as exc:
            keep_form(form, exc)
        else:
            flash(_("Mailbox %(name)s has been saved.", name=mailbox.name), "success")
            return redirect(url_for("admin_mailboxes.index"))
    status = 422 if form.errors or form.is_submitted() else 200
    return render_template("mail/mailbox_form.html", form=form, mailbox=mailbox), status


@bp.route("/<int:mailbox_id>/test", methods=["POST"])
@require("mailbox.manage")
def test(mailbox_id: int):
    """Log in and look at the folder, without fetching or moving anything."""
    mailbox = _load(mailbox_id)
    # A copy outside the session, and the transaction ended: no lock is held while the
    # network is slow (on SQLite the write lock would stop intake and every registrar).
    mailbox = Mailbox(
        **{name: getattr(mailbox, name) for name in ("name", "host", "port", "security",
                                                     "username", "password_encrypted", "folder")}
    )  # fmt: skip
    get_session().rollback()
    flash(*_test_outcome(mailbox))
    return redirect(url_for("admin_mailboxes.index"))


def _test_outcome(mailbox: Mailbox) -> tuple[str, str]:
    """The connection test in the words of its four outcomes (connected, login refused,
    unreachable, TLS failed): never the server's banner or an exception's text."""
    from caseflow.mail.imap import HostNotAllowed, check_connection

    try:
        count = check_connection(mailbox)
    except HostNotAllowed:
        return _(
            "%(name)s was not tested: its server is not among the mail servers caseflow may "
            "use (MAILBOX_ALLOWED_HOSTS in the configuration).", name=mailbox.name
        ), "error"  # fmt: skip
    except CaseflowError as exc:  # a sentence of ours (e.g. the password cannot be read)
        return _("Could not reach %(name)s: %(error)s", name=mailbox.name, error=str(exc)), "error"
    except IMAPClientError as exc:  # the server answered: the login or the folder
        log.info("mailbox test of %s: %s", mailbox.name, type(exc).__name__)
        return _(
            "%(name)s answered but refused the login or the folder: check the user name, "
            "the password and the folder.", name=mailbox.name
        ), "error"  # fmt: skip
    except (ssl.SSLError, ssl.CertificateError) as exc:  # before OSError: they are OSErrors
        log.info("mailbox test of %s: %s", mailbox.name, type(exc).__name__)
        return _(
            "%(name)s was reached but the secure connection (TLS) failed: check the security "
            "setting and the port, or the server's certificate.", name=mailbox.name
        ), "error"  # fmt: skip
    except OSError as exc:  # no answer: the name, the port or the network
        log.info("mailbox test of %s: %s", mailbox.name, type(exc).__name__)
        return _(
            "Could not reach %(name)s: check the server's name, the port and the security "
            "setting, or whether the server is up.", name=mailbox.name
        ), "error"  # fmt: skip
    return _(
        "%(name)s answers: %(count)s messages wait in %(folder)s.",
        name=mailbox.name, count=count, folder=mailbox.folder,
    ), "success"  # fmt: skip
