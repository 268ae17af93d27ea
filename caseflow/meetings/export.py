"""Batch export: every excerpt of a meeting in one ZIP, built in the background."""

from __future__ import annotations

import tempfile
import threading
import zipfile

from flask import Flask
from sqlmodel import Session

from caseflow.common import audit
from caseflow.common.errors import ValidationError
from caseflow.db import new_session
from caseflow.documents.services import store_blob
from caseflow.documents.storage import FileStore
from caseflow.meetings import excerpts
from caseflow.meetings.models import ExportJob, Meeting
from caseflow.meetings.services import is_final


def exportable_items(meeting: Meeting) -> list:
    return [item for item in meeting.items if item.decision_kind and is_final(item)]


def start_export(session: Session, meeting: Meeting, fmt: str, *, user) -> ExportJob:
    if fmt not in ("docx", "pdf"):
        raise ValidationError("Välj .docx eller PDF.")
    items = exportable_items(meeting)
    if not items:
        raise ValidationError("Inga paragrafer är justerade än.")
    from caseflow.doctemplates.services import active_template
    from caseflow.documents.storage import file_store

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
    return job


def run_export(app: Flask, job_id: int, store: FileStore) -> None:
    """Build the ZIP, recording progress after each excerpt. Runs outside any request."""
    with app.app_context():
        engine = app.extensions["caseflow.engine"]
        session = new_session(engine)
        progress = new_session(engine, write=True)
        try:
            job = progress.get(ExportJob, job_id)
            meeting = session.get(Meeting, job.meeting_id)
            with tempfile.TemporaryFile() as buffer:
                with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                    for item in exportable_items(meeting):
                        if job.fmt == "pdf":
                            content = excerpts.excerpt_pdf(session, store, item)
                        else:
                            content, _template = excerpts.render_excerpt(session, store, item)
                        archive.writestr(excerpts.excerpt_filename(session, item, job.fmt), content)
                        job.done += 1
                        progress.commit()
                buffer.seek(0)
                job.sha256, _size = store_blob(progress, store, buffer)
            job.status = "done"
            progress.commit()
        except Exception as exc:  # recorded for the person waiting on the progress page
            progress.rollback()
            job = progress.get(ExportJob, job_id)
            job.status, job.error = "failed", f"{type(exc).__name__}: {exc}"
            progress.commit()
        finally:
            session.close()
            progress.close()


def run_in_background(app: Flask, job_id: int, store: FileStore) -> threading.Thread:
    thread = threading.Thread(
        target=run_export, args=(app, job_id, store), name=f"export-{job_id}", daemon=True
    )
    thread.start()
    return thread
