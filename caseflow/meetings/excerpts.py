"""Protocol excerpts (protokollsutdrag): one § as its own document, .docx and PDF/A."""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlmodel import Session

from caseflow.cases.models import Case
from caseflow.common import projection
from caseflow.common.errors import ValidationError
from caseflow.common.projection import PUBLICATION
from caseflow.common.timeutil import today
from caseflow.doctemplates.services import active_template, render_with
from caseflow.documents.models import Document
from caseflow.documents.storage import FileStore
from caseflow.meetings import wording
from caseflow.meetings.models import AgendaItem, Meeting, StatementKind
from caseflow.meetings.state import decision_points, is_final, meeting_date
from caseflow.meetings.wording import attested_by_names, decision_intro
from caseflow.memos.services import config_value, get_memo, text_parts
from caseflow.organisation.services import profile_snapshot
from caseflow.seal import seal_pdf

__all__ = [
    "attestation_text",
    "decision_intro",
    "excerpt_context",
    "render_excerpt",
    "sealed_pdfa",
]

#: What the seal of each kind of document states. Anyone reads it in the signature, so it
#: never carries a case's text.
EXCERPT_REASON = "Protokollsutdrag ur justerat protokoll. Rätt utdraget intygas."
PROTOCOL_REASON = "Justerat protokoll"
DECISION_REASON = "Delegationsbeslut"


def attestation_text(meeting: Meeting, item: AgendaItem) -> str:
    if meeting.is_attested:
        return f"Justerat {meeting.attested_on.isoformat()} av {attested_by_names(meeting)}"
    return f"Paragrafen justerades omedelbart vid sammanträdet {meeting_date(meeting).isoformat()}"


def excerpt_title(case: Case, memo) -> str:
    """The case title an excerpt carries: it is sent and published, so never a secret one."""
    if case.title_is_secret or memo is None:
        return projection.case_title(case, PUBLICATION)
    return memo.title


def excerpt_context(session: Session, item: AgendaItem) -> dict:
    """Everything DESIGN.md lists for an excerpt, as plain data, in the organisation's
    language whoever makes it."""
    with force_locale(config_value("BABEL_DEFAULT_LOCALE", "sv")):
        return _excerpt_context(session, item)


def _excerpt_context(session: Session, item: AgendaItem) -> dict:
    """See :func:`excerpt_context`.

    An excerpt is sent by e-mail and may be published: every text from the case comes
    through the projection for publication.
    """
    meeting = item.meeting
    case = session.get(Case, item.case_id)
    memo = get_memo(session, case)
    organ = meeting.organ.name
    return {
        **profile_snapshot(session).as_context(),
        "organ": organ,
        "meeting_date": meeting_date(meeting).isoformat(),
        "meeting_place": meeting.place,
        "paragraph": item.paragraph,
        "case_number": case.number,
        "title": excerpt_title(case, memo),
        "summary": text_parts(case_summary(case, memo)),
        "supporting_documents": supporting_documents(session, memo),
        **proceedings_context(organ, item),
        "decision_intro": decision_intro(organ, item),
        "decision": [{"number": n, "text": t} for n, t in enumerate(decision_points(item), 1)],
        "immediately_attested": item.is_immediately_attested,
        "attestation": attestation_text(meeting, item),
        "certified_by": meeting.secretary,
        "certified_on": today().isoformat(),
        "recipients": [recipient_entry(case, r) for r in (memo.recipients if memo else [])],
    }


def case_summary(case: Case, memo) -> str:
    """The summary (ärendebeskrivning) as it may be published: the memo's, or the case's."""
    if case.description_is_secret:
        return projection.case_description(case, PUBLICATION) or ""
    return memo.description if memo else case.description or ""


def supporting_documents(session: Session, memo) -> list[dict]:
    """Beslutsunderlag: the memo's supporting documents by their public titles."""
    supports = []
    for link in memo.supports if memo else []:
        doc = session.get(Document, link.document_id)
        supports.append(
            {
                "title": projection.document_title(doc, PUBLICATION),
                "date": doc.received_on.isoformat(),
            }
        )
    return supports


def proceedings_context(organ: str, item: AgendaItem) -> dict:
    """What happened under the §, as plain data and as whole texts (the string keys are
    what templates registered before the structured ones use)."""
    votes = [wording.vote_account(organ, item, vote) for vote in item.votes]
    motions = [wording.motion_line(m) for m in item.motions]
    acclamation = wording.acclamation(organ, item)
    reservations = wording.statements(item, StatementKind.RESERVATION)
    notes = wording.statements(item, StatementKind.NOTE)
    vote_texts = [
        line
        for v in votes
        for line in (
            v["proposition"],
            v["request"],
            *(
                f"{r['name']}: " + ("Ja" if r["yes"] else "Nej" if r["no"] else "Avstår")
                for r in v["rows"]
            ),
            v["result"],
        )
    ]
    return {
        "attendance": wording.deciding_members(item.meeting),
        "presence_changes": wording.presence_changes(item),
        "motion_list": motions,
        "acclamation": acclamation or "",
        "votes": votes,
        "reservation_list": reservations,
        "note_list": notes,
        "is_closed": item.is_closed,
        "closed_doors": wording.CLOSED_DOORS if item.is_closed else "",
        "motions": "\n".join([*motions, *([acclamation] if acclamation else []), *vote_texts]),
        "reservations": wording.statement_text(reservations),
        "protocol_notes": wording.statement_text(notes),
    }


def recipient_entry(case: Case, recipient) -> dict:
    """One line of "Utdrag till". A recipient who is one of a case's secret parties is not
    named in the excerpt, which is sent to the others and may be published."""
    if case.parties_are_secret and _is_party(case, recipient):
        hidden = projection.mask(case.secrecy_provision)
        return {"name": hidden, "organisation": "", "email": "", "label": hidden}
    return {
        "name": recipient.name or "",
        "organisation": recipient.organisation or "",
        "email": recipient.email or "",
        "label": ", ".join(x for x in (recipient.organisation, recipient.name) if x)
        or recipient.email,
    }


def _is_party(case: Case, recipient) -> bool:
    def keys(*values):
        return {v.strip().casefold() for v in values if v and v.strip()}

    mine = keys(recipient.name, recipient.email)
    return any(mine & keys(p.name, p.email) for p in case.parties)


def check_final(item: AgendaItem) -> None:
    if item.decision_kind is None:
        raise ValidationError(_l("§ %(paragraph)s has no decision yet.", paragraph=item.paragraph))
    if not is_final(item):
        raise ValidationError(
            _l(
                "Excerpts are made only from an attested protocol or a paragraph "
                "declared immediately attested."
            )
        )


def excerpt_filename(session: Session, item: AgendaItem, extension: str) -> str:
    case = session.get(Case, item.case_id)
    return (
        f"Protokollsutdrag {item.meeting.organ.name} § {item.paragraph} "
        f"{case.number.replace('/', '-')}.{extension}"
    )


def render_excerpt(
    session: Session, store: FileStore, item: AgendaItem, context: dict | None = None
) -> tuple[bytes, int]:
    """The excerpt as .docx bytes, and the id of the template version used."""
    check_final(item)
    template = active_template(session, store, "excerpt")
    images = profile_snapshot(session).images
    content = render_with(store, template, context or excerpt_context(session, item), images)
    return content, template.id


def excerpt_pdf(session: Session, store: FileStore, item: AgendaItem) -> bytes:
    """The excerpt as PDF/A-2b through LibreOffice, sealed."""
    content, _template_id = render_excerpt(session, store, item)
    return sealed_pdfa(session, content)


def sealed_pdfa(session: Session, docx: bytes, *, reason: str = EXCERPT_REASON) -> bytes:
    """A final document (.docx) as PDF/A-2b with the organisation's seal: every PDF of a
    decision caseflow makes comes through here. Unsealed when no seal is configured."""
    from caseflow.pdf import converter

    return seal_pdf(converter.to_pdfa(docx), reason=reason, location=profile_snapshot(session).name)
