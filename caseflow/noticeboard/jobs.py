"""The notice board's scheduled work: take down the notices whose time is up, and make
the PDF/A of the protocols posted since the last run. Each job works in a session of its
own and commits once; both are safe to run twice."""

from __future__ import annotations

import logging
from datetime import date

from flask import current_app
from sqlmodel import select

from caseflow.db import new_session
from caseflow.documents.storage import file_store
from caseflow.noticeboard import files, services
from caseflow.noticeboard.models import Notice, NoticeFile, NoticeFileKind, NoticeKind

log = logging.getLogger("caseflow.noticeboard")


def take_down_expired(on: date) -> int:
    """Record as taken down every notice whose last day was before ``on``: it stays in the
    public history."""
    session = new_session(current_app.extensions["caseflow.engine"], write=True)
    try:
        count = services.take_down_expired(session, on)
        session.commit()
        return count
    finally:
        session.close()


def make_protocol_pdfs(on: date) -> dict:
    """Make the PDF/A (sealed where a seal is configured) of each current protocol notice
    that has none yet. A failure (LibreOffice missing) is logged and tried again next run:
    the notice offers the .docx meanwhile."""
    engine = current_app.extensions["caseflow.engine"]
    reader = new_session(engine, write=False)
    try:
        has_pdf = select(NoticeFile.notice_id).where(NoticeFile.kind == NoticeFileKind.PROTOCOL_PDF)
        waiting = reader.exec(
            select(Notice.id).where(
                Notice.kind == NoticeKind.PROTOCOL,
                Notice.taken_down_at.is_(None),
                Notice.take_down_on >= on,
                Notice.id.not_in(has_pdf),
            )
        ).all()
    finally:
        reader.close()
    made, failed = 0, 0
    for notice_id in waiting:
        session = new_session(engine, write=True)
        try:
            notice = session.get(Notice, notice_id)
            if files.make_protocol_pdf(session, file_store(), notice) is not None:
                made += 1
            session.commit()
        except Exception:  # noqa: BLE001 - one notice's failure must not stop the others
            session.rollback()
            failed += 1
            log.exception("the PDF/A of notice %s could not be made", notice_id)
        finally:
            session.close()
    return {"made": made, "failed": failed}
