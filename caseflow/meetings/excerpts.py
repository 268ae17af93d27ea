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
from caseflow.meetings.models import AgendaItem, DecisionKind, Meeting
from caseflow.meetings.services import decision_points, is_final, meeting_date
from caseflow.memos.services import config_value, get_memo, text_parts
from caseflow.organisation.services import profile_snapshot


def decision_intro(organ: str, item: AgendaItem) -> str:
    return {
        DecisionKind.RETURNED: f"{organ} beslutar att återremittera ärendet.",
        DecisionKind.TABLED: f"{organ} beslutar att bordlägga ärendet.",
    }.get(item.decision_kind, f"{organ} beslutar")


def attestation_text(meeting: Meeting, item: AgendaItem) -> str:
    if meeting.is_attested:
        names = " och ".join(", ".join(meeting.attested_by.split("\n")).rsplit(", ", 1))
        return f"Justerat {meeting.attested_on.isoformat()} av {names}"
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
    supports = []
    for link in memo.supports if memo else []:
        doc = session.get(Document, link.document_id)
        supports.append(
            {
                "title": projection.document_title(doc, PUBLICATION),
                "date": doc.received_on.isoformat(),
            }
        )
    if case.description_is_secret:
        summary = projection.case_description(case, PUBLICATION)
    else:
        summary = memo.description if memo else case.description or ""
    organ = meeting.organ.name
    return {
        **profile_snapshot(session).as_context(),
        "organ": organ,
        "meeting_date": meeting_date(meeting).isoformat(),
        "meeting_place": meeting.place,
        "paragraph": item.paragraph,
        "case_number": case.number,
        "title": excerpt_title(case, memo),
        "summary": text_parts(summary),
        "supporting_documents": supports,
        "motions": "\n".join(_motion_line(m) for m in item.motions),
        "decision_intro": decision_intro(organ, item),
        "decision": [{"number": n, "text": t} for n, t in enumerate(decision_points(item), 1)],
        "reservations": "\n".join(
            _statement_line(s) for s in item.statements if s.kind == "reservation"
        ),
        "protocol_notes": "\n".join(
            _statement_line(s) for s in item.statements if s.kind == "note"
        ),
        "immediately_attested": item.is_immediately_attested,
        "attestation": attestation_text(meeting, item),
        "certified_by": meeting.secretary,
        "certified_on": today().isoformat(),
        "recipients": [recipient_entry(case, r) for r in (memo.recipients if memo else [])],
    }


def _motion_line(motion) -> str:
    return f"{motion.mover}: {motion.text}" if motion.mover else motion.text


def _statement_line(statement) -> str:
    return ": ".join(x for x in (statement.name, statement.text) if x)


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
    """The excerpt as PDF/A-2b through LibreOffice."""
    from caseflow.pdf import converter

    content, _template_id = render_excerpt(session, store, item)
    return converter.to_pdfa(content)
