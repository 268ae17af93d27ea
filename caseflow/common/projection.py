"""What text of a case, document or party may appear, and for whom: the one place.

Every page, JSON output, generated document, file name, e-mail, export and timeline entry
takes the text of a case, a document or a party from here. An *audience* says who will
read the artefact:

``HOLDER``
    a person who holds the right to the secrets of this case (registrars, managers, the
    responsible officer): everything, as registered.
``STAFF``
    other staff: secret fields masked (the public title, or "[Sekretess: provision]"); in
    a case whose parties are secret, every document's sender or recipient too.
``PARTY``
    an external party of the case. Partsinsyn (FL 10 §, OSL 10 kap. 3 §) is decided per
    request by a person; until then a party sees what the public sees.
``PUBLIC``
    anything that may travel or be published: e-mail subjects and bodies, file names,
    agendas, protocols and excerpts meant for publication, the e-diarium. Stricter than
    STAFF (:mod:`caseflow.common.publicity`): a secret field reads "Sekretessmarkerad
    (provision)", a secret document's title and counterpart too; personal identity
    numbers are masked in every text; private persons are not named unless configured.

Artefacts made for the holder (the memo, the internal protocol) may carry secret text and
are then registered as secret with the same provision: see :func:`secrecy_of`.
"""

from __future__ import annotations

from enum import StrEnum

from flask_babel import lazy_gettext as _l

from caseflow.common import publicity
from caseflow.common.permissions import may_see_secrets
from caseflow.common.publicity import mask_identity_numbers


class Audience(StrEnum):
    HOLDER = "holder"
    STAFF = "staff"
    PARTY = "party"
    PUBLIC = "public"


#: Whoever reads an e-mail, a file name or a published document.
EMAIL = FILE_NAME = PUBLICATION = Audience.PUBLIC


def audience_for(user, case) -> Audience:
    """The audience a logged-in ``user`` belongs to for ``case`` (None: löpande post)."""
    if may_see_secrets(user, case):
        return Audience.HOLDER
    if user is not None and getattr(user, "is_authenticated", False):
        return Audience.STAFF
    return Audience.PUBLIC


def mask(provision: str | None) -> str:
    """What stands in place of a secret value, in the current language (documents made
    for publication are made in the organisation's)."""
    if provision:
        return str(_l("[Secret: %(provision)s]", provision=provision))
    return str(_l("[Secret]"))


def _sees(audience: Audience) -> bool:
    return audience == Audience.HOLDER


def _public(audience: Audience) -> bool:
    return audience == Audience.PUBLIC


def _secret_text(provision: str | None, audience: Audience) -> str:
    return publicity.secret_label(provision) if _public(audience) else mask(provision)


def _published(text: str | None, audience: Audience) -> str | None:
    """``text`` as the audience reads it: personal identity numbers masked for the public."""
    return mask_identity_numbers(text) if _public(audience) else text


# -- cases ---------------------------------------------------------------------------------


def case_title(case, audience: Audience) -> str:
    if case.title_is_secret and not _sees(audience):
        title = case.public_title or _secret_text(case.secrecy_provision, audience)
    else:
        title = case.title
    return _published(title, audience)


def case_description(case, audience: Audience) -> str | None:
    if case.description and case.description_is_secret and not _sees(audience):
        return _secret_text(case.secrecy_provision, audience)
    return _published(case.description, audience)


def case_parties_visible(case, audience: Audience) -> bool:
    return not case.parties_are_secret or _sees(audience)


def case_parties(case, audience: Audience) -> list[dict]:
    """The case's counterparts as the audience may see them (none when they are secret;
    a protected person masked, organisation and address included)."""
    if not case_parties_visible(case, audience):
        return []
    return [case_party(p, audience) for p in case.parties]


def case_party(row, audience: Audience) -> dict:
    """One counterpart of a case (a ``CaseParty``) as the audience may see it."""
    party = getattr(row, "party", None)
    if is_protected(party) and not _sees(audience):
        return {"name": protected_mask(), "organisation": None, "email": None}
    if _public(audience):
        return publicity.public_case_party(row, party)
    return {"name": row.name, "organisation": row.organisation, "email": row.email}


# -- parties (the register) ----------------------------------------------------------------


def protected_mask() -> str:
    """What stands in place of a protected person's name and contact details."""
    return str(_l("[Protected identity]"))


def is_protected(party) -> bool:
    """A person with skyddade personuppgifter (or an organisation holding one, never)."""
    return bool(party is not None and party.is_protected)


def party_label(party, audience: Audience) -> str:
    """A party of the register as the audience may see it: "Susanna Löfgren,
    Länsstyrelsen Jämtlands län", or the mask for a protected person."""
    if is_protected(party) and not _sees(audience):
        return protected_mask()
    if _public(audience) and _private_hidden(party):
        return publicity.private_person_label()
    return _published(party.label, audience)


def _private_hidden(party) -> bool:
    return publicity.is_private_party(party) and not publicity.show_private_persons()


def party_to_dict(party, audience: Audience) -> dict:
    """A party of the register for JSON output; a protected person's details masked."""
    hidden = (is_protected(party) and not _sees(audience)) or (
        _public(audience) and _private_hidden(party)
    )
    organisation = getattr(party, "organisation", None)
    return {
        "id": party.id,
        "kind": party.kind,
        "name": party_label(party, audience) if hidden else _published(party.name, audience),
        "label": party_label(party, audience),
        "email": None if hidden else party.email,
        "phone": None if hidden else party.phone,
        "organisation": None if hidden or organisation is None else organisation.name,
        "is_protected": bool(party.is_protected),
        "org_number": party.org_number,
        "country": party.country,
        "postal_address": None if hidden else party.postal_address,
        "domains": [d.domain for d in getattr(party, "domains", [])],
        "merged_into": party.merged_into_id,
    }


def case_has_secrets(case) -> bool:
    return bool(case.title_is_secret or case.description_is_secret or case.parties_are_secret)


def secrecy_of(case) -> dict:
    """The secrecy a document made for the holder from ``case``'s secret text must carry."""
    if not case_has_secrets(case):
        return {}
    return {"title_is_secret": bool(case.title_is_secret), "provision": case.secrecy_provision}


# -- agenda items (§§) -----------------------------------------------------------------------


def closed_item_mask() -> str:
    return str(_l("Item handled behind closed doors"))


def agenda_item_title(item, case, audience: Audience) -> str:
    """The heading of a § for ``audience``: a case's § carries the case's title; a §
    without a case its own heading. For the public, a § handled behind closed doors shows
    the heading given for the public, else a neutral phrase."""
    public = audience == Audience.PUBLIC
    if item.is_closed and public and item.public_title:
        return _published(item.public_title, audience)
    if case is not None:
        return case_title(case, audience)
    if item.is_closed and public:
        return closed_item_mask()
    return _published(item.title or "", audience)


# -- documents -----------------------------------------------------------------------------


def document_number(doc, case) -> str | None:
    """RS/720/2021-3, or None for löpande post."""
    if case is None or doc.seq is None:
        return None
    return f"{case.number}-{doc.seq}"


def document_title(doc, audience: Audience) -> str:
    """What the document concerns; for the public, a secret document reads
    "Sekretessmarkerad (provision)" in place of its title."""
    if (doc.title_is_secret or (_public(audience) and doc.is_secret)) and not _sees(audience):
        return _secret_text(doc.secrecy_provision, audience)
    return _published(doc.title, audience)


def _counterpart_hidden(doc, case, audience: Audience) -> bool:
    """A document's sender or recipient is secret on its own, or because the case's
    parties are: in such a case any counterpart may name one of them. A protected
    person's name and address are hidden as well."""
    if _sees(audience):
        return False
    return bool(
        doc.counterpart_is_secret
        or (_public(audience) and doc.is_secret)
        or (case is not None and case.parties_are_secret)
        or _from_protected(doc)
    )


def _private_counterpart(doc, audience: Audience) -> bool:
    """A sender or recipient the public may not read by name: a private person."""
    return (
        _public(audience)
        and publicity.is_private_counterpart(doc)
        and not publicity.show_private_persons()
    )


def _from_protected(doc) -> bool:
    return is_protected(getattr(doc, "party", None))


def document_counterpart(doc, audience: Audience, case=None) -> str | None:
    """The sender or recipient as registered (the text is never rewritten), or a mask."""
    if _counterpart_hidden(doc, case, audience):
        if _from_protected(doc) and not doc.counterpart_is_secret:
            return protected_mask()
        secret = doc.counterpart_is_secret or (_public(audience) and doc.is_secret)
        provision = doc.secrecy_provision if secret else None
        return _secret_text(
            provision or (case.secrecy_provision if case is not None else None), audience
        )
    if _private_counterpart(doc, audience):
        return publicity.private_person_label()
    return _published(doc.counterpart, audience)


def document_counterpart_email(doc, audience: Audience, case=None) -> str | None:
    if _counterpart_hidden(doc, case, audience) or _private_counterpart(doc, audience):
        return None
    return doc.counterpart_email


def file_name(doc, case, f, audience: Audience) -> str:
    """A file's name as the audience may see it. A file is often named after what the
    document concerns (a mail after its subject): with a secret title, those without the
    right see the document's number and the version instead."""
    if doc.title_is_secret and not _sees(audience):
        stem = (document_number(doc, case) or "handling").replace("/", "-")
        extension = f.filename.rsplit(".", 1)[-1] if "." in f.filename else ""
        return f"{stem} v{f.file_version}" + (f".{extension[:10]}" if extension else "")
    return _published(f.filename, audience)


def may_open_files(doc, audience: Audience) -> bool:
    return not doc.is_secret or _sees(audience)


def document_to_dict(doc, case, audience: Audience) -> dict:
    """A document's registration data for JSON output."""
    return {
        "number": document_number(doc, case),
        "direction": doc.direction,
        "title": document_title(doc, audience),
        "date": doc.received_on.isoformat(),
        "document_date": doc.document_date.isoformat() if doc.document_date else None,
        "counterpart": document_counterpart(doc, audience, case),
        "counterpart_email": document_counterpart_email(doc, audience, case),
        "kind": doc.kind,
        "is_secret": doc.is_secret,
        "secrecy_provision": doc.secrecy_provision,
        "voided": doc.is_voided,
        "void_reason": doc.void_reason,
        # A Message-ID often names the sender's host: it goes with the counterpart.
        "message_id": None if _counterpart_hidden(doc, case, audience) else doc.message_id,
        "files": [
            {
                "filename": file_name(doc, case, f, audience),
                "version": f.file_version,
                "size": f.size,
                "mime_type": f.mime_type,
                "sha256": f.sha256,
            }
            for f in doc.files
        ]
        if may_open_files(doc, audience)
        else [],
    }


def case_to_dict(case, audience: Audience, *, officer=None, documents=None) -> dict:
    """A case's registration data for JSON output."""
    data = {
        "number": case.number,
        "title": case_title(case, audience),
        "title_is_secret": case.title_is_secret,
        "status": case.status,
        "officer": officer.email if officer else None,
        "officer_name": officer.name if officer else None,
        "unit": case.unit.name if case.unit_id and case.unit else None,
        "opened": case.opened_on.isoformat(),
        "closed": case.closed_on.isoformat() if case.closed_on else None,
        "due": case.due_on.isoformat() if case.due_on else None,
        "classification_code": case.classification_code,  # the old free-text code
        "class_code": case.classification.code if case.classification else None,
        "class_title": case.classification.title if case.classification else None,
        "description": case_description(case, audience),
        "parties": case_parties(case, audience),
        "parties_are_secret": case.parties_are_secret,
        "voided": case.is_voided,
        "void_reason": case.void_reason,
        "version": case.version,
    }
    if documents is not None:
        data["documents"] = [document_to_dict(doc, case, audience) for doc in documents]
    return data


# -- the audit trail -------------------------------------------------------------------------

#: Events that tell who opened a secret document, and when: part of that secret's
#: protection, so only those who hold the case's secrets (and the audit page) see them.
SECRET_READING_ACTIONS = frozenset({"document.read_secret"})


def timeline_events(events, audience: Audience) -> list:
    """The audit events of a case's or a document's timeline the audience may see.

    The events themselves are named by their labels, which carry no registered text, and
    corrections mask their secret values (``corrections.describe``); what is left out for
    those without the case's secrets is the reading of secret documents.
    """
    if _sees(audience):
        return list(events)
    return [e for e in events if e.action not in SECRET_READING_ACTIONS]


def timeline_comments_visible(case, audience: Audience) -> bool:
    """A transition's comment (a manager's reason for returning a memo) is free text that
    may quote the case's secrets: shown to others only in a case without secrets."""
    return _sees(audience) or not case_has_secrets(case)


def audit_values_visible(audience: Audience, *, case=None, document=None, party=None) -> bool:
    """Whether an audit event's before and after values may be shown as recorded: always
    to the holder of the case's secrets; to others only when the case, the document and
    the party the event is about have no secrets and name no protected person."""
    if _sees(audience):
        return True
    return not (
        (case is not None and (case_has_secrets(case) or _names_protected(case)))
        or (document is not None and (document.has_secrets or _from_protected(document)))
        or is_protected(party)
    )


def _names_protected(case) -> bool:
    return any(is_protected(getattr(row, "party", None)) for row in case.parties)
