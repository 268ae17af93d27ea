"""The demo's registers, as an admin would set them up: the organisation's profile, its
units, a part of its classification structure, the series and the two boards with their
members (made-up people)."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from caseflow.cases.models import Series
from caseflow.cases.series import create_series
from caseflow.classification.services import create_class
from caseflow.common.timeutil import today
from caseflow.meetings.models import MemberRole
from caseflow.meetings.organs import add_member, create_organ
from caseflow.organisation.services import create_unit, get_unit, update_profile

#: The demo's organisation: units (inside their parents) and the board with its members.
DEMO_UNITS = [
    ("Regionledningsförvaltningen", None),
    ("Ledningsstab", "Regionledningsförvaltningen"),
    ("Kansli", "Ledningsstab"),
    ("IT", "Regionledningsförvaltningen"),
    ("Regional utveckling", None),
    ("Näringsliv", "Regional utveckling"),
]
#: A part of the demo region's classification structure (area › process group › process).
DEMO_CLASSES = [
    ("1", "Styra och leda", None),
    ("1.1", "Planera och följa upp", None),
    ("1.1.1", "Ta fram budget och verksamhetsplan", ("dispose", 10, "RA-FS 1991:6")),
    ("2", "Utveckla regionen", None),
    ("2.3", "Främja näringsliv och samverkan", None),
    ("2.3.1", "Handlägga projekt och projektmedel", ("preserve", None, None)),
    ("2.3.2", "Delta i nätverk och samarbeten", ("preserve", None, None)),
]
#: Regionstyrelsen: a chair, a vice chair, seven members and substitutes from the parties
#: (made-up people), and the board's secretary from the kansli.
DEMO_MEMBERS = [
    ("Marie Hallberg", MemberRole.CHAIR, "S"),
    ("Per-Olof Lundgren", MemberRole.VICE_CHAIR, "C"),
    ("Jonas Wiklund", MemberRole.MEMBER, "M"),
    ("Ingrid Sundqvist", MemberRole.MEMBER, "S"),
    ("Mikael Persson", MemberRole.MEMBER, "V"),
    ("Lena Åström", MemberRole.MEMBER, "KD"),
    ("Tomas Berglund", MemberRole.MEMBER, "SD"),
    ("Helena Nordin", MemberRole.SUBSTITUTE, "S"),
    ("Ola Karlsson", MemberRole.SUBSTITUTE, "M"),
    ("Sofia Hedlund", MemberRole.SUBSTITUTE, "C"),
    ("Cecilia Strand", MemberRole.SECRETARY, None),
]
#: Hälso- och sjukvårdsnämnden, smaller.
DEMO_HSN_MEMBERS = [
    ("Birgitta Olofsson", MemberRole.CHAIR, "S"),
    ("Anders Holm", MemberRole.VICE_CHAIR, "M"),
    ("Karin Dahl", MemberRole.MEMBER, "C"),
    ("Johan Sjöberg", MemberRole.MEMBER, "V"),
    ("Emma Lindqvist", MemberRole.SUBSTITUTE, "S"),
    ("Cecilia Strand", MemberRole.SECRETARY, None),
]


def member_email(name: str) -> str:
    """A made-up address on the demo region's domain (the demo never mails anyone)."""
    local = name.lower().translate(str.maketrans("åäöé ", "aaoe."))
    return f"{local}@politiker.regionjh.se"


def demo_registers(session: Session) -> Series:
    """The profile, units, classes, series and Regionstyrelsen with its members, as an
    admin would set them up."""
    update_profile(
        session,
        name="Region Jämtland Härjedalen",
        org_number="232100-0214",
        postal_address="Box 654\n831 27 Östersund",
        phone="063-14 75 00",
        email="region@regionjh.se",
        web="https://www.regionjh.se",
    )
    for name, parent in DEMO_UNITS:
        create_unit(session, name=name, parent=get_unit(session, parent) if parent else None)
    for code, title, rule in DEMO_CLASSES:
        action, years, decision = rule or ("preserve", None, None)
        create_class(
            session,
            code=code,
            title=title,
            retention_action=action,
            retention_years=years,
            retention_decision=decision,
        )
    # Both series publish the files a registrar marks published, for documents from 2021 on.
    series = create_series(
        session, code="RS", name="Regionstyrelsen", publish_files_from=date(2021, 1, 1)
    )
    create_series(
        session,
        code="HSN",
        name="Hälso- och sjukvårdsnämnden",
        publish_files_from=date(2021, 1, 1),
    )
    board = create_organ(session, name="Regionstyrelsen", short_name="RS", series_code="RS")
    term_from = date(today().year - 1, 1, 1)
    hsn = create_organ(
        session, name="Hälso- och sjukvårdsnämnden", short_name="HSN", series_code="HSN"
    )
    for body, members in ((board, DEMO_MEMBERS), (hsn, DEMO_HSN_MEMBERS)):
        for name, role, affiliation in members:
            add_member(
                session,
                body,
                name=name,
                role=role,
                term_from=term_from,
                affiliation=affiliation,
                email=member_email(name) if role != MemberRole.SECRETARY else None,
            )
    return series
