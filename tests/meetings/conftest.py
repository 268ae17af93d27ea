import json
import threading
from datetime import date

import pytest

from caseflow.cases.workflow import apply_transition
from caseflow.meetings.delegation import add_delegation
from caseflow.meetings.delegation_models import DelegatedDecision
from caseflow.memos.services import save_memo
from tests.memos.conftest import memo_of_rs720


@pytest.fixture
def approved(make, app):
    """Builder: a case with the seed memo, submitted and approved, ready for a meeting."""
    erik = make.user("official", name="Erik Noaksson", email="erik.noaksson@regionjh.se")
    hans = make.user("manager", name="Hans Svensson", email="hans.svensson@regionjh.se")

    def build(
        title="Projekt Test av coworking och hybridarbete inom Samverket i Östersund",
        **memo_changes,
    ):
        case = make.session.merge(make.case(title, officer=erik))
        save_memo(
            make.session,
            case,
            memo_of_rs720(**memo_changes),
            expected_version=case.version,
            user=erik,
        )
        with app.app_context():
            apply_transition(make.session, case, "submit", user=erik)
            apply_transition(make.session, case, "approve", user=hans)
        make.session.commit()
        return case

    build.erik, build.hans = erik, hans
    return build


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Mailbox:
    """A real SMTP server on loopback (aiosmtpd) that keeps what it receives."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        self.messages: list = []
        self.lock = threading.Lock()
        self.refuse = False
        mailbox = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd API
                if mailbox.refuse:
                    return "451 Try again later"
                from email import message_from_bytes
                from email.policy import default

                with mailbox.lock:
                    mailbox.messages.append(
                        (envelope.rcpt_tos, message_from_bytes(envelope.content, policy=default))
                    )
                return "250 OK"

        self.port = _free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)

    def start(self):
        self.controller.start()
        return self.port

    def stop(self):
        self.controller.stop()


@pytest.fixture
def smtp(app):
    mailbox = Mailbox()
    port = mailbox.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    yield mailbox
    mailbox.stop()


MEETING_DAY = date(2021, 11, 24)


#: The board's decision Regionstyrelsen's delegationsordning rests on.
RESTING_ON = "RS 2021-02-06 § 12"


@pytest.fixture
def board(make, app):
    """Regionstyrelsen with delegation 3.2 (co-financing of projects) to the Regiondirektör."""
    organ = make.session.merge(make.organ("Regionstyrelsen"))
    with app.app_context():
        delegation = add_delegation(
            make.session,
            organ,
            code="3.2",
            matter="Beslut om medfinansiering av projekt upp till 500 000 kr",
            delegate="Regiondirektör",
            limits="Högst 500 000 kr per projekt",
            resting_on=RESTING_ON,
            valid_from=date(2021, 3, 1),
        )
    make.session.commit()
    return organ, delegation


@pytest.fixture
def preparing(make, app):
    """Builder: a case of Erik Noaksson's with the seed memo, in preparation."""
    erik = make.user("official", name="Erik Noaksson", email="erik.noaksson@regionjh.se")
    hans = make.user("manager", name="Hans Svensson", email="hans.svensson@regionjh.se")

    def build(
        title="Projekt Test av coworking och hybridarbete inom Samverket i Östersund", **case
    ):
        found = make.session.merge(make.case(title, officer=erik, **case))
        memo_title = title if not case.get("title_is_secret") else case["public_title"]
        save_memo(
            make.session,
            found,
            memo_of_rs720(title=memo_title),
            expected_version=found.version,
            user=erik,
        )
        with app.app_context():
            apply_transition(make.session, found, "start", user=erik)
        make.session.commit()
        return found

    build.erik, build.hans = erik, hans
    return build


#: A counterpart of a decided case, reached by e-mail.
VINNOVA = {"name": "Anna Andersson", "organisation": "Vinnova", "email": "info@vinnova.se"}


@pytest.fixture
def decided(make):
    """Builder: a case decided under § 12 of the attested meeting, its notice posted."""

    def build(*, notice=date(2021, 12, 1), parties=(), **case_fields):
        case = make.case(parties=list(parties), **case_fields)
        meeting = make.session.merge(make.meeting_with(case))
        (item,) = meeting.items
        item.paragraph, item.decision_kind = 12, "adopted"
        item.decision_points = json.dumps(["Regionstyrelsen beviljar medfinansiering."])
        meeting.status, meeting.attested_on = "attested", date(2021, 11, 30)
        meeting.attested_by, meeting.notice_posted_on = "Anna Ordförande", notice
        make.session.merge(case).status = "decided"
        make.session.commit()
        return make.session.merge(case), item

    return build


def delegated_decision(make, case, *, reported_item=None, notice=None):
    """A decision under delegation 3.2 taken 10 November 2021 in ``case``, as recorded."""
    organ = make.session.merge(make.organ("Regionstyrelsen"))
    delegation = make.delegation(organ)
    decision = DelegatedDecision(
        case_id=case.id,
        delegation_id=delegation.id,
        decided_on=date(2021, 11, 10),
        decided_by_name="Hans Svensson, regiondirektör",
        points=json.dumps(["Beviljar medfinansiering."]),
        reported_item_id=reported_item.id if reported_item else None,
        notice_posted_on=notice,
    )
    make.session.add(decision)
    make.session.commit()
    return decision
