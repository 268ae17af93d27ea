"""Turning a received mail into a registered incoming document (handling).

Used the same way by the automatic routing and by the registrar's queue: the mail itself
(as received: .eml, or the original .msg) and every part become files of one incoming
document; the OSL 5 kap. 2 § fields are taken from the mail unless the registrar gave
other values.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from caseflow.common.timeutil import LOCAL_TZ
from caseflow.documents.filenames import safe_filename, without_folders
from caseflow.documents.models import Document
from caseflow.documents.services import IncomingFile, register_document
from caseflow.documents.storage import FileStore
from caseflow.mail.models import MailMessage
from caseflow.mail.numbers import strip_subject_prefixes
from caseflow.mail.parsing import ParsedMessage
from caseflow.parties.models import Party
from caseflow.parties.names import person_name, registrar_label
from caseflow.parties.services import match_sender


@dataclass
class Registration:
    """The registration fields of a mail, as proposed to (and perhaps edited by) the registrar."""

    title: str
    counterpart: str
    counterpart_email: str | None
    received_on: date
    document_date: date
    is_secret: bool = False
    title_is_secret: bool = False
    counterpart_is_secret: bool = False
    secrecy_provision: str | None = None
    #: The sender in the parties register, when known or chosen.
    party_id: int | None = None


@dataclass
class SenderProposal:
    """Who wrote the mail, as the register knows them or as a registrar would write them."""

    name: str | None
    organisation: str | None
    email: str | None
    #: The register's party for the address itself, or the organisation owning its domain.
    party: Party | None = None
    #: "email" (the address is the party's), "domain" (an organisation's domain) or None.
    matched_by: str | None = None

    @property
    def label(self) -> str:
        if self.matched_by == "email":
            return self.party.label
        return registrar_label(self.name, self.organisation, self.email)


def propose_sender(session: Session, parsed: ParsedMessage) -> SenderProposal:
    """Match the (original) sender to the register by address, then by the domain of an
    organisation; else propose "Susanna Löfgren, Länsstyrelsen Jämtlands län"."""
    display, address = original_sender(parsed)
    party, how = match_sender(session, address)
    if how == "email":
        return SenderProposal(
            party.name, party.organisation_name, address, party=party, matched_by=how
        )
    organisation = party.name if how == "domain" else None
    return SenderProposal(
        person_name(display, address), organisation, address, party=party, matched_by=how
    )


def mail_title(parsed: ParsedMessage) -> str:
    """What the mail concerns, in brief: the (original) subject without SV:/VB: prefixes."""
    subject = (
        parsed.forward.original_subject
        if parsed.forward and parsed.forward.original_subject
        else parsed.subject
    )
    return (strip_subject_prefixes(subject or "") or "(inget ämne)")[:500]


def original_sender(parsed: ParsedMessage) -> tuple[str | None, str | None]:
    """(name, address) of who wrote the mail: for a forward the original sender."""
    forward = parsed.forward
    if forward and (forward.original_from_address or forward.original_from_name):
        return forward.original_from_name, forward.original_from_address
    return parsed.from_name, parsed.from_address


def proposed_registration(
    mail: MailMessage, parsed: ParsedMessage, sender: SenderProposal | None = None
) -> Registration:
    """The OSL fields as the mail gives them: sender, date received, what it concerns.

    With the ``sender`` matched in the register, the registration links to that party
    (an organisation known only by its domain stands for its unknown writer).
    """
    if sender is None:
        name, address = original_sender(parsed)
        sender = SenderProposal(person_name(name, address), None, address)
    label = sender.label or "Okänd avsändare"
    original_date = parsed.forward.original_date if parsed.forward else None
    return Registration(
        title=mail_title(parsed),
        counterpart=label[:300],
        counterpart_email=sender.email,
        party_id=sender.party.id if sender.party is not None else None,
        # When the authority's mail system got it; the import may come days later.
        received_on=(mail.delivered_at or mail.received_at).astimezone(LOCAL_TZ).date(),
        document_date=(original_date or parsed.date).astimezone(LOCAL_TZ).date(),
    )


def file_stem(subject: str | None) -> str:
    """A filename for a mail from its subject."""
    return safe_filename(without_folders(subject or ""), fallback="e-post")[:150]


def mail_files(mail: MailMessage, parsed: ParsedMessage, raw: bytes) -> list[IncomingFile]:
    """The mail as received, then every part of it, each as a file of the document."""
    stem = file_stem(mail_title(parsed))
    if mail.raw_format == "outlook-msg":
        files = [IncomingFile(stem + ".msg", raw, "application/vnd.ms-outlook")]
    else:
        files = [IncomingFile(stem + ".eml", raw, "message/rfc822")]
    files += [
        IncomingFile(a.filename, a.content, a.content_type) for a in parsed.attachments if a.size
    ]
    return files


def register_mail(
    session: Session,
    store: FileStore,
    mail: MailMessage,
    parsed: ParsedMessage,
    raw: bytes,
    case,
    registration: Registration | None = None,
) -> Document:
    """Register the mail as an incoming document, in ``case`` or as löpande post (None)."""
    reg = registration or proposed_registration(mail, parsed, propose_sender(session, parsed))
    return register_document(
        session,
        store,
        case=case,
        direction="incoming",
        kind="E-post",
        title=reg.title,
        counterpart=reg.counterpart,
        counterpart_email=reg.counterpart_email,
        received_on=reg.received_on,
        document_date=reg.document_date,
        is_secret=reg.is_secret,
        title_is_secret=reg.title_is_secret,
        counterpart_is_secret=reg.counterpart_is_secret,
        secrecy_provision=reg.secrecy_provision,
        message_id=parsed.message_id,
        files=mail_files(mail, parsed, raw),
        party_id=reg.party_id,
    )
