"""The officer's review of each document a request asks for: release in full, release
with redactions (the masked copy registered and linked), refuse under a provision of
secrecy, or answer that the authority does not hold it; and the request decided once every
document is.

A document marked secret is released only with the secrecy review confirmed: the marking
is where the review starts, not its answer.
"""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from sqlmodel import Session

from caseflow.cases.models import Case
from caseflow.common import audit
from caseflow.common.errors import PermissionDenied, ValidationError
from caseflow.common.permissions import may_decide_request
from caseflow.common.projection import document_number
from caseflow.common.timeutil import LOCAL_TZ, now
from caseflow.disclosure.models import DocumentRequest, DocumentRequestItem, Outcome, RequestStatus
from caseflow.documents.models import Document
from caseflow.documents.services import IncomingFile, register_document
from caseflow.documents.storage import FileStore

#: The kind a redacted copy is registered with.
REDACTED_KIND = "Maskerad kopia"

#: What a provision of secrecy looks like: it names OSL (or the act in full), a chapter
#: ("21 kap.") or a section ("§"), e.g. "OSL 21 kap. 1 §".
_PROVISION = re.compile(r"\bOSL\b|offentlighets- och sekretesslag|\d+\s*kap\b|§", re.IGNORECASE)


def looks_like_provision(text: str | None) -> bool:
    """Whether ``text`` names a provision of secrecy, not some other remark."""
    return bool(_PROVISION.search(text or ""))


def secrecy_marking(doc: Document | None) -> str | None:
    """The provision a document is marked secret under ("" when marked without one),
    None when nothing of it is marked secret."""
    if doc is None or not doc.has_secrets:
        return None
    return doc.secrecy_provision or ""


def decide_item(
    session: Session,
    store: FileStore,
    item: DocumentRequestItem,
    *,
    outcome: str,
    user,
    provision: str | None = None,
    redacted: IncomingFile | None = None,
    page_count: int | None = None,
    secrecy_reviewed: bool = False,
) -> DocumentRequestItem:
    """Decide one document asked for: release in full, release with redactions (the
    redacted copy registered as a document of the case), refuse with the provision, or
    answer that the authority does not hold what the requester described.

    A document marked secret is released (in full or redacted) only when the officer
    confirms the secrecy review (``secrecy_reviewed``)."""
    request = item.request
    if not may_decide_request(user, request):
        raise PermissionDenied(_l("Only the officer the request is assigned to may decide it."))
    if request.status not in (RequestStatus.RECEIVED, RequestStatus.UNDER_REVIEW):
        raise ValidationError(_l("The request has already been decided."))
    if outcome not in set(Outcome):
        raise ValidationError(_l("Choose release, release with redactions or refusal."))
    provision = (provision or "").strip() or None
    if outcome in (Outcome.REFUSED, Outcome.REDACTED) and not provision:
        raise ValidationError(
            _l("Give the provision of OSL the secrecy rests on (e.g. OSL 21 kap. 1 §).")
        )
    if outcome in (Outcome.REFUSED, Outcome.REDACTED) and not looks_like_provision(provision):
        raise ValidationError(
            _l(
                "»%(text)s« is not a provision of secrecy: give the provision of OSL "
                "(e.g. OSL 21 kap. 1 §).",
                text=provision,
            )
        )
    if page_count is not None and not 0 < page_count <= 100_000:
        raise ValidationError(_l("Give the number of pages as a whole number above zero."))
    doc = session.get(Document, item.document_id) if item.document_id else None
    if outcome == Outcome.NOT_HELD and doc is not None:
        raise ValidationError(
            _l("The document is registered: release it, release it with redactions or refuse.")
        )
    if outcome in (Outcome.RELEASED, Outcome.REDACTED) and doc is None:
        raise ValidationError(
            _l(
                "Link the item to a registered document (by its number) before releasing it, "
                "or answer that the authority does not hold it."
            )
        )
    marking = secrecy_marking(doc)
    releases = outcome in (Outcome.RELEASED, Outcome.REDACTED)
    if releases and marking is not None and not secrecy_reviewed:
        raise ValidationError(
            _l(
                "The document is marked secret (%(provision)s): confirm that you have reviewed "
                "the secrecy and that it can be released.",
                provision=marking or _l("no provision given"),
            )
        )
    if outcome == Outcome.REDACTED:
        if redacted is None:
            raise ValidationError(_l("Upload the redacted version of the document."))
        case = session.get(Case, doc.case_id) if doc.case_id else None
        number = document_number(doc, case) or f"#{doc.id}"
        copy = register_document(
            session,
            store,
            case=case,
            direction="internal",
            kind=REDACTED_KIND,
            title=f"Maskerad kopia av {number} ({request.number})",
            counterpart=getattr(user, "name", "") or "Registrator",
            received_on=now().astimezone(LOCAL_TZ).date(),
            files=[redacted],
        )
        item.redacted_document_id = copy.id
    kept = outcome in (Outcome.REFUSED, Outcome.REDACTED)
    item.outcome, item.provision = outcome, provision if kept else None
    item.page_count = page_count
    item.decided_at, item.decided_by_id = now(), getattr(user, "id", None)
    if request.status == RequestStatus.RECEIVED:
        request.status = RequestStatus.UNDER_REVIEW
    session.flush()
    after = {
        "number": request.number,
        "document": item.document_id,
        "outcome": outcome,
        "provision": item.provision,
        "redacted_document": item.redacted_document_id,
    }
    if marking is not None:
        # What the officer saw and confirmed: the marking and the review of it.
        after["secrecy_marking"] = marking
        after["secrecy_reviewed"] = bool(secrecy_reviewed) and releases
    audit.record(
        session,
        "disclosure.decide",
        request,
        case=session.get(Case, request.case_id) if request.case_id else None,
        after=after,
    )
    if all(i.outcome for i in request.items):
        _settle(session, store, request)
    return item


def _settle(session: Session, store: FileStore, request: DocumentRequest) -> None:
    """Every document decided: the request is decided, its pages and fee counted."""
    from caseflow.disclosure.fees import fee_for_delivery, released_files

    pages = sum(count for _f, count in released_files(session, store, request))
    request.pages, request.fee = pages, fee_for_delivery(pages, request.delivery)
    request.status, request.decided_at = RequestStatus.DECIDED, now()
    session.flush()
    audit.record(
        session,
        "disclosure.decided",
        request,
        after={"number": request.number, "pages": pages, "fee": request.fee},
    )
