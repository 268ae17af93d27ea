"""``caseflow scheduler``: the periodic jobs, in one process of their own.

Never started inside ``create_app``: every gunicorn worker (and the reloader) would run
the jobs again. The jobs are defined here, in code, so a restart brings them back; each
job is safe to run twice (it claims its work in the database first) and a missed run is
made up once (``coalesce``) when the process comes back within the grace time.
"""

from __future__ import annotations

import logging

import click
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask, current_app
from flask.cli import with_appcontext

log = logging.getLogger("caseflow.scheduler")


def _in_app(app: Flask, job):
    def run():
        from caseflow.db import new_session

        with app.app_context():
            session = new_session(app.extensions["caseflow.engine"], write=True)
            try:
                result = job(session)
                log.info("%s: %s", job.__name__, result)
            finally:
                session.close()

    run.__name__ = job.__name__
    return run


def retry_dispatches(session):
    """Send failed dispatches again; give up on exports whose process is gone."""
    from caseflow.meetings.jobs import fail_stale_exports
    from caseflow.meetings.jobs import retry_dispatches as retry

    session.close()  # the jobs work in sessions of their own
    return {"dispatches": retry(), "stale_exports": fail_stale_exports()}


def poll_mailboxes(session):
    """Fetch every active IMAP mailbox, then finish what a crashed import left stored."""
    from caseflow.documents.storage import file_store
    from caseflow.mail.jobs import poll_all, process_stranded

    session.close()  # intake works in its own transactions, one message at a time
    app = current_app._get_current_object()
    results = poll_all(app, file_store())
    stranded = process_stranded(app, file_store())
    return {
        "mailboxes": {r.mailbox: {"counts": r.counts, "error": r.error} for r in results},
        "stranded": stranded,
    }


def daily_digest(session):
    from caseflow.common.timeutil import today
    from caseflow.reminders.jobs import send_daily_digests

    session.close()  # the job works in a session of its own
    return send_daily_digests(today())


def legal_force(session):
    """Record the decisions that gained legal force and tell their secretaries."""
    from caseflow.common.timeutil import today
    from caseflow.meetings.legal_force_jobs import remind_legal_force

    session.close()  # the job works in a session of its own
    return remind_legal_force(today())


def forget_sessions(session):
    """Forget logins that ended or were idle long ago (their cookies stopped working then)."""
    from caseflow.auth.sessions import forget_old_sessions

    forgotten = forget_old_sessions(session)
    session.commit()
    return {"forgotten": forgotten}


def audit_checkpoint(session):
    """Sign the audit trail's head and write it outside the database."""
    from caseflow.common.audit_checkpoints import take_checkpoint

    session.close()  # the checkpoint is taken in a session of its own
    entry = take_checkpoint(current_app._get_current_object())
    return {"seq": entry["seq"], "sealed_now": entry["sealed_now"]}


def extract_file_texts(session):
    """Read the text of files registered since the last run, for search."""
    from caseflow.search.jobs import extract_text_job

    return extract_text_job(session)


def notice_board(session):
    """Take down the notices whose time is up (they stay in the public history)."""
    from caseflow.common.timeutil import today
    from caseflow.noticeboard.jobs import take_down_expired

    session.close()  # the job works in a session of its own
    return {"taken_down": take_down_expired(today())}


def notice_pdfs(session):
    """Make the PDF/A of the protocols posted on the notice board since the last run."""
    from caseflow.common.timeutil import today
    from caseflow.noticeboard.jobs import make_protocol_pdfs

    session.close()  # the job works in sessions of its own
    return make_protocol_pdfs(today())


def build_scheduler(app: Flask) -> BlockingScheduler:
    scheduler = BlockingScheduler(
        timezone=app.config["BABEL_DEFAULT_TIMEZONE"],
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600},
    )
    scheduler.add_job(
        _in_app(app, retry_dispatches),
        IntervalTrigger(minutes=10),
        id="retry_dispatches",
        replace_existing=True,
    )
    scheduler.add_job(
        _in_app(app, poll_mailboxes),
        IntervalTrigger(minutes=app.config["MAIL_POLL_MINUTES"]),
        id="poll_mailboxes",
        replace_existing=True,
    )
    scheduler.add_job(
        _in_app(app, daily_digest),
        CronTrigger(hour=7, minute=0),
        id="daily_digest",
        replace_existing=True,
    )
    scheduler.add_job(
        _in_app(app, legal_force),
        CronTrigger(hour=6, minute=30),
        id="legal_force",
        replace_existing=True,
    )
    scheduler.add_job(
        _in_app(app, forget_sessions),
        CronTrigger(hour=3, minute=30),
        id="forget_sessions",
        replace_existing=True,
    )
    scheduler.add_job(
        _in_app(app, audit_checkpoint),
        IntervalTrigger(minutes=app.config["AUDIT_CHECKPOINT_MINUTES"]),
        id="audit_checkpoint",
        replace_existing=True,
    )
    scheduler.add_job(
        _in_app(app, extract_file_texts),
        IntervalTrigger(seconds=30),
        id="extract_file_texts",
        replace_existing=True,
    )
    scheduler.add_job(
        _in_app(app, notice_board),
        CronTrigger(hour=0, minute=5),
        id="notice_board",
        replace_existing=True,
    )
    scheduler.add_job(
        _in_app(app, notice_pdfs),
        IntervalTrigger(minutes=5),
        id="notice_pdfs",
        replace_existing=True,
    )
    return scheduler


@click.command("scheduler")
@click.option("--once", is_flag=True, help="Run every job once now and exit.")
@with_appcontext
def scheduler_command(once: bool):
    """Run the periodic jobs: mail polling every MAIL_POLL_MINUTES, dispatch retries every
    10 minutes, the digest at 07:00, an audit checkpoint every AUDIT_CHECKPOINT_MINUTES,
    the text of newly registered files (for search) every 30 seconds, the notice board's
    expired notices taken down at 00:05 and its protocols' PDF/A every 5 minutes."""
    logging.basicConfig(format="%(asctime)s %(name)s %(message)s")
    logging.getLogger().setLevel(logging.INFO)  # also when `caseflow` routed the log already
    app = current_app._get_current_object()
    scheduler = build_scheduler(app)
    if once:
        for job in scheduler.get_jobs():
            job.func()
        return
    click.echo("caseflow scheduler running (Ctrl+C stops it)")
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        scheduler.shutdown(wait=False)


def init_app(app: Flask) -> None:
    """Add ``caseflow scheduler`` to the app's commands (it starts nothing)."""
    app.cli.add_command(scheduler_command)
