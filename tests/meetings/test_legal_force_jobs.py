"""The scheduler tells the meeting's secretary, once, when a decision has gained legal force.

The notice of 1 December 2021 makes the period end on Wednesday 22 December: the decision
gains legal force on Thursday 23 December, and the secretary hears of it that morning.
"""

from datetime import date

from sqlmodel import select

from caseflow.common.audit import AuditEvent
from caseflow.meetings.appeal_models import LegalForceNotice
from caseflow.meetings.legal_force_jobs import remind_legal_force


def test_the_secretary_hears_once_on_the_day_the_decision_gains_legal_force(
    make,
    app,
    smtp,
    decided,
):
    case, _item = decided()
    make.user("manager", name="Cecilia Sekreterare", email="cecilia@regionjh.se")
    make.user("manager", name="Hans Svensson", email="hans.svensson@regionjh.se")
    with app.app_context():
        assert remind_legal_force(date(2021, 12, 22)) == {"recorded": 0, "sent": 0, "failed": 0}
        assert remind_legal_force(date(2021, 12, 23)) == {"recorded": 1, "sent": 1, "failed": 0}
        assert remind_legal_force(date(2021, 12, 24)) == {"recorded": 0, "sent": 0, "failed": 0}
    ((recipients, message),) = smtp.messages
    assert recipients == ["cecilia@regionjh.se"]  # the meeting's secretary, no other manager
    assert message["Subject"] == "caseflow: beslut som har vunnit laga kraft 2021-12-23"
    body = message.get_content()
    assert f"{case.number} " in body
    assert "Regionstyrelsen 2021-11-24 § 12: vann laga kraft 2021-12-23" in body
    events = make.session.exec(select(AuditEvent.action).where(AuditEvent.case_id == case.id)).all()
    assert events.count("decision.legal_force") == 1


def test_a_refused_reminder_is_sent_on_the_next_run(make, app, smtp, decided):
    decided()
    make.user("manager", name="Hans Svensson", email="hans.svensson@regionjh.se")
    smtp.refuse = True
    with app.app_context():
        # No user is named as the secretary: every manager is told.
        assert remind_legal_force(date(2021, 12, 23))["failed"] == 1
        smtp.refuse = False
        assert remind_legal_force(date(2021, 12, 23)) == {"recorded": 0, "sent": 1, "failed": 0}
    ((recipients, _message),) = smtp.messages
    assert recipients == ["hans.svensson@regionjh.se"]
    assert make.session.exec(select(LegalForceNotice.mailed_at)).one() is not None


def test_an_appealed_decision_is_not_reported_as_final(make, app, smtp, decided):
    case, _item = decided()
    make.user("manager", name="Cecilia Sekreterare", email="cecilia@regionjh.se")
    from caseflow.meetings.appeals import record_appeal

    with app.app_context():
        record_appeal(
            make.session, case, kind="legality", received_on=date(2021, 12, 21),
            appellant="Gunnel Kommunmedlem", user=None,
        )  # fmt: skip
        make.session.commit()
        assert remind_legal_force(date(2022, 2, 1))["recorded"] == 0
    assert smtp.messages == []
