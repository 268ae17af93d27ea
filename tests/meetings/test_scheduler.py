"""The scheduler's jobs: the daily digest goes once a day; jobs run in their own process."""

from datetime import date

from caseflow.reminders.digest import digest_lines
from caseflow.reminders.jobs import send_daily_digests
from caseflow.scheduler import build_scheduler

TODAY = date(2021, 12, 1)


def test_the_digest_names_overdue_upcoming_and_long_undecided_cases(make, app):
    erik = make.user("official", name="Erik Noaksson")
    make.case(
        "Försenat ärende", officer=erik, due_on=date(2021, 11, 20), opened_on=date(2021, 11, 1)
    )
    make.case("Snart aktuellt", officer=erik, due_on=date(2021, 12, 5), opened_on=date(2021, 11, 1))
    make.case("Gammalt ärende", officer=erik, opened_on=date(2021, 3, 19))
    make.case("Långt fram", officer=erik, due_on=date(2022, 3, 1), opened_on=date(2021, 11, 1))
    with app.app_context():
        lines = digest_lines(make.session, erik, TODAY)
    assert any(line.startswith("Försenat: RS/1/2021") for line in lines)
    assert any(line.startswith("Snart: RS/2/2021") for line in lines)
    assert any("sex månader (FL 12 §): RS/3/2021" in line for line in lines)
    assert not any("RS/4/2021" in line for line in lines)


def test_the_digest_is_sent_once_however_often_the_job_runs(make, app, smtp):
    erik = make.user("official", name="Erik Noaksson", email="erik.noaksson@regionjh.se")
    make.user("official", name="Utan ärenden")
    make.case("Försenat ärende", officer=erik, due_on=date(2021, 11, 20))
    with app.app_context():
        first = send_daily_digests(TODAY)
        second = send_daily_digests(TODAY)
    assert first == {"sent": 1, "skipped": 0, "empty": 1, "failed": 0}
    assert second == {"sent": 0, "skipped": 1, "empty": 1, "failed": 0}
    ((recipients, message),) = smtp.messages
    assert recipients == ["erik.noaksson@regionjh.se"]
    assert "Försenat: RS/1/2021" in message.get_content()


def test_a_failed_digest_is_tried_again_next_run(make, app, smtp):
    erik = make.user("official")
    make.case("Försenat", officer=erik, due_on=date(2021, 11, 20))
    smtp.refuse = True
    with app.app_context():
        assert send_daily_digests(TODAY)["failed"] == 1
        smtp.refuse = False
        assert send_daily_digests(TODAY)["sent"] == 1


def test_the_scheduler_has_its_jobs_and_is_not_started_by_the_app(app):
    scheduler = build_scheduler(app)
    assert {job.id for job in scheduler.get_jobs()} == {
        "retry_dispatches",
        "daily_digest",
        "poll_mailboxes",
        "forget_sessions",
        "legal_force",
        "audit_checkpoint",
        "extract_file_texts",
        "notice_board",
        "notice_pdfs",
    }
    assert not scheduler.running
    assert "apscheduler" not in str(app.extensions)


def test_scheduler_once_runs_every_job(make, app, runner, smtp):
    from caseflow.cli import cli

    erik = make.user("official")
    make.case("Försenat", officer=erik, due_on=date(2021, 11, 20))
    result = runner.invoke(cli, ["scheduler", "--once"])
    assert result.exit_code == 0, result.output
    assert len(smtp.messages) == 1
