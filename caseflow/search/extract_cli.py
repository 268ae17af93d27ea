"""``caseflow search status [--json]``: how far file text extraction has come, and the
files whose text could not be read, with the reason and what they belong to.

The ``search`` group lives in ``caseflow/search/cli.py``, which adds
:data:`status_command`; ``caseflow search reindex`` calls :func:`queue_missing` and
:func:`extract_pending` (from ``jobs``, re-exported here).
"""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask.cli import with_appcontext
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from caseflow.common.cli import echo_json
from caseflow.common.projection import document_number
from caseflow.db import get_session
from caseflow.search.extract_reasons import reason_label, status_label
from caseflow.search.jobs import (  # noqa: F401 - for reindex
    extract_pending,
    pending_count,
    queue_missing,
)
from caseflow.search.models import FileText, TextStatus

#: The statuses of files whose text could not be read (listed one by one).
UNREAD = (TextStatus.FAILED, TextStatus.TOO_LARGE, TextStatus.UNSUPPORTED, TextStatus.NO_TEXT)
_CHUNK = 500


def _owners(session: Session, shas: list[str]) -> dict[str, list[dict]]:
    """For each sha256: the documents (number, filename) and messages it belongs to."""
    from caseflow.cases.models import Case
    from caseflow.documents.models import Document, DocumentFile
    from caseflow.mail.models import MailMessage

    owners: dict[str, list[dict]] = {sha: [] for sha in shas}
    for start in range(0, len(shas), _CHUNK):
        chunk = shas[start : start + _CHUNK]
        files = session.execute(
            sa.select(DocumentFile.sha256, DocumentFile.filename, Document, Case)
            .join(Document, Document.id == DocumentFile.document_id)
            .outerjoin(Case, Case.id == Document.case_id)
            .where(DocumentFile.sha256.in_(chunk))
            .order_by(DocumentFile.id)
        ).all()
        for sha, filename, doc, case in files:
            owners[sha].append(
                {
                    "document_id": doc.id,
                    "number": document_number(doc, case),
                    "filename": filename,
                }
            )
        mails = session.execute(
            sa.select(MailMessage.sha256, MailMessage.id, MailMessage.subject)
            .where(MailMessage.sha256.in_(chunk))
            .order_by(MailMessage.id)
        ).all()
        for sha, mail_id, subject in mails:
            owners[sha].append({"message_id": mail_id, "subject": subject or ""})
    return owners


def text_status(session: Session) -> dict:
    """Counts per status and the files whose text could not be read, as plain data."""
    counts = {status.value: 0 for status in TextStatus}
    for status, count in session.execute(
        sa.select(FileText.status, sa.func.count()).group_by(FileText.status)
    ):
        counts[status] = count
    rows = session.execute(
        sa.select(
            FileText.sha256,
            FileText.status,
            FileText.reason,
            FileText.mime_type,
            FileText.size,
            FileText.attempts,
            FileText.extracted_at,
        )
        .where(FileText.status.in_(UNREAD))
        .order_by(FileText.status, FileText.sha256)
    ).all()
    owners = _owners(session, [row.sha256 for row in rows])
    unread = [
        {
            "sha256": row.sha256,
            "status": row.status,
            "status_label": status_label(row.status),
            "reason": row.reason,
            "reason_label": reason_label(row.reason),
            "mime_type": row.mime_type,
            "size": row.size,
            "attempts": row.attempts,
            "extracted_at": row.extracted_at.isoformat() if row.extracted_at else None,
            "belongs_to": owners.get(row.sha256, []),
        }
        for row in rows
    ]
    return {"counts": counts, "unread": unread}


def _owner_line(owner: dict) -> str:
    if "message_id" in owner:
        return _("e-mail %(id)s »%(subject)s«", id=owner["message_id"], subject=owner["subject"])
    number = owner["number"] or _("löpande post, document %(id)s", id=owner["document_id"])
    return f"{number} {owner['filename']}"


@click.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
@with_appcontext
def status_command(as_json: bool) -> None:
    """How many files' text was read, is waiting or could not be read; and each file
    whose text could not be read, with the reason and the documents and e-mails it
    belongs to."""
    session = get_session()
    report = text_status(session)
    if as_json:
        echo_json(report)
        return
    click.echo(_("File text for search:"))
    for status, count in report["counts"].items():
        click.echo(f"  {status_label(status)}: {count}")
    if not report["unread"]:
        return
    click.echo(_("Files whose text could not be read:"))
    for item in report["unread"]:
        owners = "; ".join(_owner_line(o) for o in item["belongs_to"]) or item["sha256"]
        reason = item["reason_label"] or item["status_label"]
        click.echo(f"  {owners}: {item['status_label']}. {reason}")
