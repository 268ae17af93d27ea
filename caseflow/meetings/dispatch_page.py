"""What the meeting, decision and delegated-decision pages show of each dispatch: its
recipients in words a registrar understands, and the small forms they act with."""

from __future__ import annotations

from caseflow.cases.models import Case
from caseflow.common import projection
from caseflow.common.projection import Audience
from caseflow.common.timeutil import today
from caseflow.meetings import serving
from caseflow.meetings.dispatch_models import Channel, Dispatch, DispatchRecipient, RecipientStatus
from caseflow.meetings.forms import LetterForm, PostedForm


def recipient_label(row: DispatchRecipient, case: Case, audience) -> str:
    """A recipient as the reader may see it (a secret party or protected person masked)."""
    if not row.is_hidden or audience == Audience.HOLDER:
        return row.name
    if case.parties_are_secret:
        return projection.mask(case.secrecy_provision)
    return projection.protected_mask()


def dispatch_views(session, dispatches: list[Dispatch], user) -> list[dict]:
    """Each dispatch with its recipients in words, for the meeting and decision pages."""
    shown = []
    for dispatch in dispatches:
        case = session.get(Case, dispatch.case_id)
        audience = projection.audience_for(user, case)
        rows = []
        for row in serving.recipients_of(session, dispatch):
            status = serving.effective_status(row)
            rows.append(
                {
                    "row": row,
                    "status": status,
                    "label": recipient_label(row, case, audience),
                    "words": serving.describe(row, via=dispatch.sent_via),
                    "is_letter": row.channel == Channel.LETTER,
                    "may_post": status == RecipientStatus.LETTER,
                    "may_mark_sent": status == RecipientStatus.UNCERTAIN,
                    "may_take_letter": row.channel == Channel.EMAIL
                    and status in (RecipientStatus.FAILED, RecipientStatus.UNCERTAIN),
                }
            )
        shown.append(
            {
                "dispatch": dispatch,
                "rows": rows,
                "may_resend": any(r["may_take_letter"] for r in rows),
            }
        )
    return shown


def page_forms() -> dict:
    """The small forms every dispatch's recipients use."""
    return {"posted_form": PostedForm(data={"posted_on": today()}), "letter_form": LetterForm()}
