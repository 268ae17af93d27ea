"""The written decision on a refused request (OSL 6 kap. 3 §), with how to appeal it.

Made from the template kind ``disclosure_refusal`` (``document_templates/avslagsbeslut.docx``)
with the house's sandboxed render, and registered as an outgoing document of the case.
Everything in it is as the public may read it: the requester receives it.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlmodel import Session

from caseflow.auth.models import User
from caseflow.cases.models import Case
from caseflow.common import audit
from caseflow.common.errors import ValidationError
from caseflow.common.timeutil import LOCAL_TZ, now
from caseflow.disclosure.delivery import released_list
from caseflow.disclosure.models import DocumentRequest, Outcome
from caseflow.doctemplates.services import Kind, active_template, render_with
from caseflow.documents.formats import DOCX_MIME
from caseflow.documents.models import DocumentFile
from caseflow.documents.services import IncomingFile, register_document
from caseflow.documents.storage import FileStore
from caseflow.organisation.services import profile_snapshot

TEMPLATE_KIND = "disclosure_refusal"
DOCUMENT_KIND = "Avslagsbeslut"
#: Who the decision is addressed to when the requester gave no name.
ANONYMOUS = "Anonym sökande"

SAMPLE = {
    "organisation_name": "Region Jämtland Härjedalen",
    "organisation_address": "Box 654, 831 27 Östersund",
    "organisation_number": "232100-0214",
    "organisation_phone": "063-14 75 00",
    "organisation_email": "region@regionjh.se",
    "organisation_web": "https://www.regionjh.se",
    "organisation_logo": "",
    "decision_date": "2026-12-04",
    "request_number": "BEG-2026-0001",
    "case_number": "RS/720/2021",
    "received_on": "2026-12-03",
    "requester": ANONYMOUS,
    "refused": [
        {"number": "RS/720/2021-2", "title": "Affärsplan", "provision": "OSL 31 kap. 16 §"}
    ],
    "released": [{"number": "RS/720/2021-1", "title": "Ansökan", "provision": None}],
    "decided_by": "Erik Noaksson, handläggare",
}

TEMPLATE = Kind(
    _l("Refusal of a request for documents (avslagsbeslut)"),
    "avslagsbeslut.docx",
    set(SAMPLE),
    {"request_number", "refused", "decided_by"},
    SAMPLE,
)


def decision_context(session: Session, request: DocumentRequest) -> dict:
    """Plain data for the template, every title as the public may read it."""
    case = session.get(Case, request.case_id) if request.case_id else None
    rows = released_list(session, request)
    deciders = [session.get(User, i.decided_by_id) for i in request.refused_items]
    names = sorted({u.name for u in deciders if u is not None})
    return {
        **profile_snapshot(session).as_context(),
        "decision_date": now().astimezone(LOCAL_TZ).date().isoformat(),
        "request_number": request.number,
        "case_number": case.number if case else "",
        "received_on": request.received_on.isoformat(),
        "requester": request.requester_name or ANONYMOUS,
        "refused": [
            {"number": r["number"] or "", "title": r["title"] or "", "provision": r["provision"]}
            for r in rows
            if r["outcome"] == Outcome.REFUSED
        ],
        "released": [
            {"number": r["number"] or "", "title": r["title"] or "", "provision": r["provision"]}
            for r in rows
            if r["outcome"] in (Outcome.RELEASED, Outcome.REDACTED)
        ],
        "decided_by": ", ".join(names) or profile_snapshot(session).name,
    }


def ask_for_written_decision(session: Session, request: DocumentRequest) -> None:
    """The requester (on their private page) or staff for them asks for the decision."""
    if not request.refused_items:
        raise ValidationError(_l("Nothing was refused, so there is no decision to appeal."))
    if request.written_decision_asked_at is None:
        request.written_decision_asked_at = now()
        session.flush()
        audit.record(session, "disclosure.ask_decision", request, after={"number": request.number})


def make_written_decision(session: Session, store: FileStore, request: DocumentRequest):
    """Render the decision and register it as an outgoing document (once per request)."""
    ask_for_written_decision(session, request)
    if request.written_decision_id is not None:
        return request.written_decision_id
    case = session.get(Case, request.case_id) if request.case_id else None
    template = active_template(session, store, TEMPLATE_KIND)
    content = render_with(
        store, template, decision_context(session, request), profile_snapshot(session).images
    )
    name = f"Beslut {request.number}.docx"
    doc = register_document(
        session,
        store,
        case=case,
        direction="outgoing",
        kind=DOCUMENT_KIND,
        title=f"Beslut om avslag på begäran om allmän handling, {request.number}",
        counterpart=request.requester_name or ANONYMOUS,
        counterpart_email=request.email,
        received_on=now().astimezone(LOCAL_TZ).date(),
        files=[IncomingFile(name, content, DOCX_MIME)],
    )
    for f in doc.files:
        session.get(DocumentFile, f.id).template_id = template.id
    request.written_decision_id = doc.id
    session.flush()
    audit.record(
        session,
        "disclosure.written_decision",
        request,
        case=case,
        after={"number": request.number, "document": doc.id},
    )
    return doc.id
