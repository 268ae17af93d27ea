"""The daily digest as a job: it owns its session and commits each claim before it sends."""

from __future__ import annotations

from datetime import date

from flask import current_app
from flask_babel import force_locale

from caseflow.common.mailer import MailNotSent, send
from caseflow.db import get_engine, new_session
from caseflow.reminders.digest import (
    claim_digest,
    digest_lines,
    digest_message,
    digest_recipients,
    release_claim,
)


def send_daily_digests(day: date) -> dict[str, int]:
    """Send today's digest to each officer and manager once; a second run sends nothing.

    Each claim is committed before its mail is sent: a crash after the claim skips one
    digest, never repeats it. A digest the mail server refused is unclaimed, so the next
    run tries again.
    """
    counts = {"sent": 0, "skipped": 0, "empty": 0, "failed": 0}
    session = new_session(get_engine(), write=True)
    try:
        for user in digest_recipients(session):
            with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
                lines = digest_lines(session, user, day)
            if not lines:
                counts["empty"] += 1
                continue
            claimed = claim_digest(session, user, day)
            session.commit()
            if not claimed:
                counts["skipped"] += 1
                continue
            try:
                send(digest_message(user, day, lines))
            except MailNotSent:
                release_claim(session, user, day)
                session.commit()
                counts["failed"] += 1
            else:
                counts["sent"] += 1
    finally:
        session.close()
    return counts
