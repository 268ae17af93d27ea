"""``caseflow demo``: a living diarium for a newcomer to look around in.

Region Jämtland Härjedalen with series RS, one user per role, the two cases of the seed
material (RS/412/2021, the Myndighetsnätverket invitation; RS/720/2021, the coworking
project) and about twenty cases of this year in different states.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _
from sqlmodel import Session, func, select

from caseflow.auth.services import create_user
from caseflow.cases.models import Case, CaseParty, CaseStatus, Series
from caseflow.cases.numbering import raise_counter_to
from caseflow.cases.services import PartyCreate, case_snapshot, open_case, void_case
from caseflow.cases.workflow import apply_transition
from caseflow.classification.services import process_by_code
from caseflow.common import audit
from caseflow.common.cli import CliError, transaction
from caseflow.common.roles import Role
from caseflow.common.timeutil import today
from caseflow.demo_meeting import (
    CHAIR,
    RECENT_ATTESTERS,
    decide_delegated,
    delegation_register,
    held_meeting,
    member_accounts,
    recent_meeting,
    upcoming_meeting,
)
from caseflow.demo_paths import walk
from caseflow.demo_registers import demo_registers, member_email
from caseflow.demo_requests import REQUESTS_SUMMARY, load_demo_requests
from caseflow.documents.services import IncomingFile, register_document
from caseflow.documents.storage import FileStore, file_store
from caseflow.memos.services import MemoData, generate_memo, save_memo
from caseflow.organisation.services import get_unit
from caseflow.parties.services import find_or_register

DEMO_PASSWORD = "demo-caseflow"

DEMO_USERS = [
    # email, name, role, unit, phone
    ("karin.ek@regionjh.se", "Karin Ek", "registrar", "Kansli", None),
    ("erik.noaksson@regionjh.se", "Erik Noaksson", "official", "Näringsliv", "063146562"),
    ("anders.bystrom@regionjh.se", "Anders Byström", "official", "Ledningsstab", None),
    ("hans.svensson@regionjh.se", "Hans Svensson", "manager", "Ledningsstab", None),
    ("sara.nilsson@regionjh.se", "Sara Nilsson", "admin", "IT", None),
]

GENERATED_TITLES = [
    ("Remiss: Regional handlingsplan för kompetensförsörjning", "Länsstyrelsen Jämtlands län"),
    ("Ansökan om projektmedel för bredbandsutbyggnad i Härjedalen", "Härjedalens kommun"),
    ("Yttrande över förslag till nationell plan för transportsystemet", "Trafikverket"),
    ("Medfinansiering av Interreg-projekt Nordic Green Mobility", "Interreg Aurora"),
    ("Avtal om samverkan kring kollektivtrafik 2027", "Länstrafiken"),
    ("Revisionsrapport: Granskning av intern kontroll", "Revisorerna"),
    ("Motion om fler laddstolpar vid regionens vårdcentraler", None),
    ("Delårsrapport januari–augusti", None),
    ("Begäran om utlämnande av allmän handling", "Östersunds-Posten"),
    ("Uppföljning av regional utvecklingsstrategi", None),
    ("Ansökan om stöd till besöksnäringen i Funäsfjällen", "Funäsdalen Destination AB"),
    ("Överenskommelse om vårdplatser med Östersunds kommun", "Östersunds kommun"),
    ("Remiss: Ändrade föreskrifter om kulturmiljövård", "Riksantikvarieämbetet"),
    ("Investeringsbudget för fastigheter 2027–2029", None),
    ("Projekt Arbetshubbar i länets kommuner", "Vinnova"),
    ("Svar på medborgarförslag om cykelväg Brunflo–Östersund", None),
    ("Samverkansavtal med Mittuniversitetet om forskning", "Mittuniversitetet"),
    ("Upphandling av konsulttjänster inom digitalisering", None),
    ("Årsredovisning för stiftelsen Jamtli", "Stiftelsen Jamtli"),
    ("Skrivelse om ambulansberedskap i Strömsund", "Strömsunds kommun"),
]

GENERATED_STATES = [
    CaseStatus.REGISTERED,
    CaseStatus.IN_PREPARATION,
    CaseStatus.IN_PREPARATION,
    CaseStatus.IN_REVIEW,
    CaseStatus.APPROVED,
    CaseStatus.ON_AGENDA,
    CaseStatus.DECIDED,
    CaseStatus.DISPATCHED,
    CaseStatus.CLOSED,
    CaseStatus.WITHDRAWN,
]


def _coworking_memo() -> MemoData:
    """The facts of the seed memo for RS/720/2021, as an official would type them."""
    return MemoData(
        memo_date=date(2021, 11, 3),
        title="Projekt Test av coworking och hybridarbete inom Samverket i Östersund",
        unit="Näringsliv",
        officer_name="Erik Noaksson",
        officer_phone="063146562",
        officer_email="erik.noaksson@regionjh.se",
        decision_body="Regionstyrelsen",
        proposer="Regiondirektören",
        description=(
            "Region Jämtland Härjedalen har 2021 antagit en plan för utveckling av distans- "
            "och hybridarbete som stöd för etablering av regionala arbetshubbar. Regionen "
            "föreslås därför söka medel från Vinnova för en lärandeprocess inom Samverket.\n\n"
            "Ansökan omfattar medel för:\n"
            "- medlemskap (180 000 kr)\n"
            "- personalkostnader för spridning av lärande (187 000 kr)\n"
            "- projektledning (137 000 kr) och indirekta kostnader (32 400 kr)\n\n"
            "Budget totalt: 536 400 kr varav Vinnova 402 300 kr (75 %), med medfinansiering "
            "från Region Jämtland Härjedalen: 134 100 kr (25 %)."
        ),
        points=[
            "Region Jämtland Härjedalen avsätter arbetstid motsvarande 134 100 kronor för att "
            "medfinansiera och genomföra projektet ”Test av coworking och hybridarbete inom "
            "Samverket i Östersund” under perioden 1 december 2021 till 30 maj 2023. "
            "Finansiering sker inom befintlig budgetram.",
            "Regiondirektören får i uppdrag att ansöka om finansiering från Vinnova i enlighet "
            "med upprättat förslag.",
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


def _as_party(fields: dict) -> dict:
    return {key: fields.get(key) for key in ("name", "organisation", "email")}


def _seed_case(session: Session, series: Series, *, number_seq: int, year: int, **fields) -> Case:
    parties = fields.pop("parties", [])
    case = Case(
        series_id=series.id,
        year=year,
        seq=number_seq,
        number=f"{series.code}/{number_seq}/{year}",
        **fields,
    )
    case.parties = [
        CaseParty(**p, party_id=getattr(find_or_register(session, **_as_party(p)), "id", None))
        for p in parties
    ]
    session.add(case)
    session.flush()
    raise_counter_to(session, series, year, number_seq)
    audit.record(session, "case.import", case, case=case, after=case_snapshot(case))
    return case


def load_demo(session: Session, store: FileStore) -> dict:
    """Create the demo organisation's registers, users and cases; return the logins."""
    series = demo_registers(session)
    users = {
        email: create_user(
            session,
            email=email,
            name=name,
            role=role,
            unit=get_unit(session, unit),
            phone=phone,
            password=DEMO_PASSWORD,
        )
        for email, name, role, unit, phone in DEMO_USERS
    }
    erik, anders = users["erik.noaksson@regionjh.se"], users["anders.bystrom@regionjh.se"]

    invitation = _seed_case(
        session,
        series,
        number_seq=412,
        year=2021,
        title="Inbjudan att ingå i Myndighetsnätverket",
        status=CaseStatus.IN_PREPARATION,
        opened_on=date(2021, 3, 19),
        officer_id=anders.id,
        unit_id=anders.unit_id,
        class_id=process_by_code(session, "2.3.2").id,
        parties=[
            {
                "name": "Susanna Löfgren",
                "organisation": "Länsstyrelsen Jämtlands län",
                "email": "susanna.lofgren@lansstyrelsen.se",
            }
        ],
    )
    register_document(
        session,
        store,
        case=invitation,
        direction="incoming",
        title="Inbjudan att ingå i Myndighetsnätverket (vidarebefordrad av Emma Borg)",
        counterpart="Länsstyrelsen Jämtlands län, Susanna Löfgren",
        counterpart_email="susanna.lofgren@lansstyrelsen.se",
        kind="E-post",
        received_on=date(2021, 3, 19),
        document_date=date(2021, 3, 17),
        files=[
            IncomingFile(
                "inbjudan-myndighetsnatverket.txt",
                (
                    "Från: Löfgren Susanna <susanna.lofgren@lansstyrelsen.se>\n"
                    "Skickat: den 17 mars 2021 18:20\nÄmne: myndighetsnätverket\n\n"
                    "Här kommer en inbjudan att ingå i Myndighetsnätverket.\n"
                ).encode(),
            )
        ],
    )

    coworking = _seed_case(
        session,
        series,
        number_seq=720,
        year=2021,
        title="Projekt Test av coworking och hybridarbete inom Samverket i Östersund",
        status=CaseStatus.IN_PREPARATION,
        opened_on=date(2021, 11, 3),
        officer_id=erik.id,
        unit_id=erik.unit_id,
        class_id=process_by_code(session, "2.3.1").id,
        description=(
            "Region Jämtland Härjedalen föreslås söka medel från Vinnova för en lärandeprocess "
            "om coworking och hybridarbete inom Samverket i Östersund. Budget totalt 536 400 kr, "
            "varav Vinnova 402 300 kr (75 %) och regionen 134 100 kr (25 %)."
        ),
        parties=[{"organisation": "Vinnova", "email": "vinnova@vinnova.se"}],
    )
    application = register_document(
        session,
        store,
        case=coworking,
        direction="incoming",
        title="Ansökan: Regionen testar coworking och hybridarbete inom Samverket",
        counterpart="Vinnova",
        kind="Ansökan",
        received_on=date(2021, 11, 1),
        files=[
            IncomingFile(
                "ansokan-samverket.txt",
                "Svensk projektsammanfattning: coworking och hybridarbete "
                "inom Samverket i Östersund.\n".encode(),
            )
        ],
    )
    memo = _coworking_memo()
    memo.support_ids = [application.id]
    save_memo(session, coworking, memo, expected_version=coworking.version, user=erik)
    generate_memo(session, store, coworking, user=erik)

    rng = random.Random(720)
    this_year = today().year
    start = date(this_year, 1, 7)
    # Officials own the generated cases: only the case's own official submits its memo.
    officers = [erik, anders]
    manager = users["hans.svensson@regionjh.se"]
    walked = {}
    for i, (title, organisation) in enumerate(GENERATED_TITLES):
        opened = min(start + timedelta(days=i * 15 + rng.randint(0, 5)), today())
        officer = officers[i % len(officers)]
        secret = i == 8
        case = open_case(
            session,
            # HSN's cases stay before review: the demo's meetings are Regionstyrelsen's.
            series_code="HSN" if i in (1, 3, 11, 13) else "RS",
            title=title,
            officer=officer,
            year=this_year,
            opened_on=opened,
            due_on=opened + timedelta(days=rng.choice([30, 60, 90])),
            parties=[PartyCreate(organisation=organisation)] if organisation else [],
            title_is_secret=secret,
            public_title="Begäran om utlämnande av allmän handling" if secret else None,
            secrecy_provision="OSL 21 kap. 1 §" if secret else None,
        )
        if organisation:
            register_document(
                session,
                store,
                case=case,
                direction="incoming",
                title=title,
                counterpart=organisation,
                received_on=opened,
                kind="Skrivelse",
            )
        if i == 17:
            void_case(session, case, reason="Registrerat två gånger; se tidigare ärende.")
            continue
        target = GENERATED_STATES[i % len(GENERATED_STATES)]
        walk(session, case, target, official=officer, manager=manager)
        walked.setdefault(target, []).append(case)
    session.flush()
    delegation_register(session, manager)
    for case in walked[CaseStatus.DECIDED] + walked[CaseStatus.CLOSED]:
        official = erik if case.officer_id == erik.id else anders
        decide_delegated(session, store, case, official, "7.4" if case.title_is_secret else "3.2")
    for case in walked[CaseStatus.CLOSED]:
        apply_transition(session, case, "close", user=manager)
    held_meeting(session, store, erik, manager, more=walked[CaseStatus.DISPATCHED])
    members = member_accounts(session, DEMO_PASSWORD)
    recent_meeting(session, manager)
    upcoming_meeting(session, store, manager, walked[CaseStatus.ON_AGENDA])
    from caseflow.demo_mail import load_demo_mail

    load_demo_mail(session, store)
    load_demo_requests(session, store, coworking, erik)
    return {u.email: u.role for u in [*users.values(), *members]}


def _member_logins() -> dict:
    return {member_email(name): Role.MEMBER.value for name in (CHAIR, *RECENT_ATTESTERS)}


@click.command("demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database has cases.")
@with_appcontext
def demo_command(if_empty: bool):
    """Load the demo organisation, users and cases."""
    with transaction() as session:
        if session.exec(select(func.count()).select_from(Case)).one():
            if if_empty:
                click.echo(_("The database already has cases; the demo is not loaded again."))
                _print_logins(
                    {email: role for email, _n, role, _u, _p in DEMO_USERS} | _member_logins()
                )
                _print_seal()
                return
            raise CliError(_("The database already has cases; the demo goes into an empty one."))
        # The demo's people have real-looking addresses: whatever the instance's mail
        # settings, the demo's dispatch goes to the outbox folder, never to a server.
        current_app.config["MAIL_SERVER"] = None
        logins = load_demo(session, file_store())
    click.echo(
        _(
            "Demo loaded: %(organisation)s, series RS and HSN, 25 cases, Regionstyrelsen's "
            "attested meeting, one awaiting digital justering by its chair and attesters "
            "(log in as them) and its next one, decisions under delegation, mail waiting in "
            "the registrar's queue.",
            organisation="Region Jämtland Härjedalen",
        )
    )
    click.echo(str(REQUESTS_SUMMARY))
    click.echo(
        _(
            "Without logging in: the public register at /diarium/ and the notice board at "
            "/anslagstavla/."
        )
    )
    _print_logins(logins)
    _print_seal()


def _print_seal() -> None:
    """Whether the PDFs the demo shows are sealed, said plainly."""
    from caseflow.seal import SealError, current_sealer, unconfigured_reason

    try:
        sealer = current_sealer()
    except SealError:
        sealer = None
    if sealer is None:
        click.echo(unconfigured_reason())
    else:
        click.echo(
            _("PDF documents are sealed with: %(subject)s.", subject=sealer.describe().subject)
        )


def _print_logins(logins: dict) -> None:
    click.echo(_("Demo logins (password for all: %(password)s):", password=DEMO_PASSWORD))
    for email, role in logins.items():
        click.echo(f"  {role:<10} {email}")


def init_app(app) -> None:
    """Add ``caseflow demo`` to the app's commands."""
    app.cli.add_command(demo_command)
