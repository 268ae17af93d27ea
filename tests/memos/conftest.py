import pytest

from caseflow.memos.services import MemoData, save_memo


@pytest.fixture
def coworking(make):
    """RS/720/2021 with Erik Noaksson as officer and Hans Svensson as manager."""
    erik = make.user(
        "official", name="Erik Noaksson", unit="Näringsliv", email="erik.noaksson@regionjh.se"
    )
    hans = make.user("manager", name="Hans Svensson", email="hans.svensson@regionjh.se")
    case = make.case(
        "Projekt Test av coworking och hybridarbete inom Samverket i Östersund",
        officer=erik,
        parties=[{"organisation": "Vinnova"}],
    )
    return case, erik, hans


def memo_of_rs720(**changes) -> MemoData:
    from datetime import date

    data = MemoData(
        memo_date=date(2021, 11, 3),
        title="Projekt Test av coworking och hybridarbete inom Samverket i Östersund",
        description=(
            "Region Jämtland Härjedalen har 2021 antagit en plan för distans- & hybridarbete.\r\n"
            "\r\n"
            "Ansökan omfattar medel för:\n"
            "- medlemskap (180 000 kr)\n"
            "- projektledning (137 000 kr)\n"
            "Budget totalt: 536 400 kr <varav Vinnova 75 %>."
        ),
        unit="Näringsliv",
        officer_name="Erik Noaksson",
        officer_phone="063146562",
        officer_email="erik.noaksson@regionjh.se",
        decision_body="Regionstyrelsen",
        proposer="Regiondirektören",
        points=[
            "Region Jämtland Härjedalen avsätter arbetstid motsvarande 134 100 kronor för att "
            "medfinansiera projektet ”Test av coworking och hybridarbete inom Samverket i "
            "Östersund”.",
            "Regiondirektören får i uppdrag att ansöka om finansiering från Vinnova.",
        ],
        signatories=[
            ("Hans Svensson", "Regiondirektör"),
            ("Anders Byström", "Verksamhetsområde/Ledningsstab"),
        ],
        recipients=[
            (None, "Vinnova", "registrator@vinnova.se"),
            ("Erik Noaksson", "Näringsliv", "erik.noaksson@regionjh.se"),
        ],
    )
    for key, value in changes.items():
        setattr(data, key, value)
    return data


@pytest.fixture
def drafted(make, coworking):
    """The coworking case with the memo drafted as in the seed."""
    case, erik, hans = coworking
    case = make.session.merge(case)
    save_memo(make.session, case, memo_of_rs720(), expected_version=case.version, user=erik)
    make.session.commit()
    return case, erik, hans
