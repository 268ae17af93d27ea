"""Batch export: every excerpt of a meeting in one ZIP, built in the background."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlmodel import Session

from caseflow.common import audit
from caseflow.common.errors import ValidationError
from caseflow.doctemplates.services import active_template
from caseflow.documents.storage import file_store
from caseflow.meetings.decisions import exportable_items
from caseflow.meetings.dispatch_models import ExportJob
from caseflow.meetings.jobs import start_export_after_commit
from caseflow.meetings.models import Meeting


def start_export(session: Session, meeting: Meeting, fmt: str, *, user) -> ExportJob:
    """Record an export of the meeting's attested excerpts; it is built after the commit."""
    if fmt not in ("docx", "pdf"):
        raise ValidationError(_l("Choose .docx or PDF."))
    items = exportable_items(meeting)
    if not items:
        raise ValidationError(_l("No paragraph is attested yet."))
    active_template(session, file_store(), "excerpt")  # the job itself only reads
    job = ExportJob(
        meeting_id=meeting.id, fmt=fmt, total=len(items), created_by_id=getattr(user, "id", None)
    )
    session.add(job)
    session.flush()
    audit.record(
        session,
        "meeting.export",
        meeting,
        actor=user,
        after={"format": fmt, "excerpts": len(items)},
    )
    start_export_after_commit(session, job.id)
    return job
