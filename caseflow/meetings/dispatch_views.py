"""The dispatch of a decision on its pages: choosing the recipients, what became of each
one, resending, letters to print and mark posted, an uncertain message marked sent.

Its routes join the meetings blueprint. The recipient routes serve an excerpt's dispatch
and a delegated decision's alike, and go back to the page the dispatch is shown on.
"""

from __future__ import annotations

import io

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from caseflow.cases.models import Case
from caseflow.common import projection
from caseflow.common.error_path import back_to
from caseflow.common.mailer import uses_outbox
from caseflow.common.permissions import require
from caseflow.db import get_session
from caseflow.documents.storage import file_store
from caseflow.meetings import dispatch as dispatching
from caseflow.meetings import serving
from caseflow.meetings.dispatch_models import Dispatch, DispatchRecipient
from caseflow.meetings.dispatch_recipients import candidates, chosen
from caseflow.meetings.forms import DispatchForm, LetterForm, PostedForm
from caseflow.meetings.views import _item, _run, bp


def choose_page(case: Case, *, action: str, back: str, heading: str, form=None):
    """The form before sending: "Utdrag till" chosen, the case's parties and a search of
    the register offered."""
    session = get_session()
    query = request.args.get("q", "")
    audience = projection.audience_for(current_user, case)
    found = candidates(session, case, audience=audience, query=query)
    form = form or DispatchForm(data={"recipients": [c.key for c in found if c.is_default]})
    return render_template(
        "meetings/dispatch_choose.html",
        case=case,
        candidates=found,
        form=form,
        query=query,
        action=action,
        back=back,
        heading=heading,
        mail_uses_outbox=uses_outbox(),
    )


def chosen_recipients(case: Case, form: DispatchForm):
    audience = projection.audience_for(current_user, case)
    return chosen(get_session(), case, form.recipients.data or [], audience=audience)


@bp.route("/items/<int:item_id>/dispatch", methods=["GET", "POST"])
@require("dispatch.send")
def dispatch(item_id: int):
    session = get_session()
    item = _item(item_id)
    case = session.get(Case, item.case_id)
    back = url_for("meetings.show", meeting_id=item.meeting_id) + f"#item-{item.id}"
    form = DispatchForm()
    if request.method == "GET" or not form.validate_on_submit():
        return choose_page(
            case,
            action=url_for("meetings.dispatch", item_id=item.id),
            back=back,
            heading=_("Dispatch the excerpt of § %(n)s", n=item.paragraph),
            form=form if request.method == "POST" else None,
        )
    _run(
        lambda: dispatching.prepare_dispatch(
            session,
            file_store(),
            item,
            user=current_user,
            recipients=chosen_recipients(case, form),
        ),
        sending_message(_("The excerpt")),
    )
    return redirect(back)


def _dispatch(dispatch_id: int) -> Dispatch:
    found = get_session().get(Dispatch, dispatch_id)
    if found is None:
        abort(404)
    back_to(_page_of(found))
    return found


def _page_of(found: Dispatch) -> str:
    if found.agenda_item_id is not None:
        item = _item(found.agenda_item_id)
        return url_for("meetings.show", meeting_id=item.meeting_id) + f"#item-{item.id}"
    case = get_session().get(Case, found.case_id)
    return url_for("delegation.decide", number=case.number)


def _recipient(found: Dispatch, recipient_id: int) -> DispatchRecipient:
    row = get_session().get(DispatchRecipient, recipient_id)
    if row is None or row.dispatch_id != found.id:
        abort(404)
    return row


@bp.route("/dispatches/<int:dispatch_id>/retry", methods=["POST"])
@require("dispatch.send")
def retry(dispatch_id: int):
    found = _dispatch(dispatch_id)
    _run(
        lambda: dispatching.resend(get_session(), found, user=current_user),
        sending_message(_("The document")),
    )
    return redirect(_page_of(found))


@bp.route("/dispatches/<int:dispatch_id>/recipients/<int:recipient_id>/letter")
@require("dispatch.send")
def letter(dispatch_id: int, recipient_id: int):
    row = _recipient(_dispatch(dispatch_id), recipient_id)
    if row.letter_sha256 is None:
        abort(404)
    with file_store().open(row.letter_sha256) as handle:
        content = handle.read()
    return send_file(io.BytesIO(content), as_attachment=True, download_name=row.letter_filename)


@bp.route("/dispatches/<int:dispatch_id>/recipients/<int:recipient_id>/posted", methods=["POST"])
@require("dispatch.send")
def posted(dispatch_id: int, recipient_id: int):
    found = _dispatch(dispatch_id)
    row = _recipient(found, recipient_id)
    form = PostedForm()
    if not form.validate_on_submit():
        flash(_("Give the date the letter was posted."), "error")
        return redirect(_page_of(found))
    _run(
        lambda: serving.mark_posted(
            get_session(), row, posted_on=form.posted_on.data, user=current_user
        ),
        _("The letter is recorded as posted."),
    )
    return redirect(_page_of(found))


@bp.route("/dispatches/<int:dispatch_id>/recipients/<int:recipient_id>/sent", methods=["POST"])
@require("dispatch.send")
def mark_sent(dispatch_id: int, recipient_id: int):
    found = _dispatch(dispatch_id)
    row = _recipient(found, recipient_id)
    _run(
        lambda: serving.mark_sent(get_session(), row, user=current_user),
        _("The message is recorded as sent."),
    )
    return redirect(_page_of(found))


@bp.route("/dispatches/<int:dispatch_id>/recipients/<int:recipient_id>/as-letter", methods=["POST"])
@require("dispatch.send")
def as_letter(dispatch_id: int, recipient_id: int):
    found = _dispatch(dispatch_id)
    row = _recipient(found, recipient_id)
    form = LetterForm()
    if not form.validate_on_submit():
        flash(_("Give the postal address the letter goes to."), "error")
        return redirect(_page_of(found))
    _run(
        lambda: dispatching.send_as_letter(
            get_session(),
            file_store(),
            row,
            postal_address=form.postal_address.data,
            user=current_user,
        ),
        _("The recipient gets a letter: print it, post it and record the date."),
    )
    return redirect(_page_of(found))


def sending_message(what: str) -> str:
    # Said before the mail leaves (after the commit): each recipient's line on the page
    # tells what became of it.
    if uses_outbox():
        return _(
            "%(what)s is registered as an outgoing document. No mail server is configured: "
            "messages are written to the outbox folder. Each recipient below shows what "
            "became of it.",
            what=what,
        )
    return _(
        "%(what)s is registered as an outgoing document and handed to the mail server. "
        "Each recipient below shows whether the server accepted it; letters are printed "
        "from here.",
        what=what,
    )
