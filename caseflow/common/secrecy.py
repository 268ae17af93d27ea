"""What a viewer may see of a case or document: secret fields masked everywhere.

Every list, search result, export and JSON output goes through these functions, so a
masked value has only one way out and it is closed.
"""

from __future__ import annotations

from caseflow.common.permissions import may_see_secrets


def mask(provision: str | None) -> str:
    return f"[Sekretess: {provision}]" if provision else "[Sekretess]"


def case_title_for(case, viewer) -> str:
    if case.title_is_secret and not may_see_secrets(viewer, case):
        return case.public_title or mask(case.secrecy_provision)
    return case.title


def document_title_for(doc, case, viewer) -> str:
    if doc.title_is_secret and not may_see_secrets(viewer, case):
        return mask(doc.secrecy_provision)
    return doc.title


def document_counterpart_for(doc, case, viewer) -> str:
    if doc.counterpart_is_secret and not may_see_secrets(viewer, case):
        return mask(doc.secrecy_provision)
    return doc.counterpart


def may_open_files(doc, case, viewer) -> bool:
    return not doc.is_secret or may_see_secrets(viewer, case)


def document_to_dict(doc, case, viewer) -> dict:
    from caseflow.documents.services import document_number

    sees_counterpart = not doc.counterpart_is_secret or may_see_secrets(viewer, case)
    return {
        "number": document_number(doc, case),
        "direction": doc.direction,
        "title": document_title_for(doc, case, viewer),
        "date": doc.received_on.isoformat(),
        "document_date": doc.document_date.isoformat() if doc.document_date else None,
        "counterpart": document_counterpart_for(doc, case, viewer),
        "counterpart_email": doc.counterpart_email if sees_counterpart else None,
        "kind": doc.kind,
        "is_secret": doc.is_secret,
        "secrecy_provision": doc.secrecy_provision,
        "voided": doc.is_voided,
        "void_reason": doc.void_reason,
        "message_id": doc.message_id,
        "files": [
            {
                "filename": f.filename,
                "version": f.file_version,
                "size": f.size,
                "mime_type": f.mime_type,
                "sha256": f.sha256,
            }
            for f in doc.files
        ]
        if may_open_files(doc, case, viewer)
        else [],
    }


def case_to_dict(case, viewer, *, officer=None, documents=None) -> dict:
    data = {
        "number": case.number,
        "title": case_title_for(case, viewer),
        "title_is_secret": case.title_is_secret,
        "status": case.status,
        "officer": officer.email if officer else None,
        "officer_name": officer.name if officer else None,
        "unit": case.unit,
        "opened": case.opened_on.isoformat(),
        "closed": case.closed_on.isoformat() if case.closed_on else None,
        "due": case.due_on.isoformat() if case.due_on else None,
        "classification_code": case.classification_code,
        "parties": [
            {"name": p.name, "organisation": p.organisation, "email": p.email} for p in case.parties
        ],
        "voided": case.is_voided,
        "void_reason": case.void_reason,
        "version": case.version,
    }
    if documents is not None:
        data["documents"] = [document_to_dict(d, case, viewer) for d in documents]
    return data
