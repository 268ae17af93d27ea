"""Registry benchmark: list, detail and search at 100k cases / 1M documents, and allocation.

What it measures
----------------
1. Generates a realistic diarium (default 100 000 cases and 10 documents per case on
   average, so about 1 000 000 documents): series RS, HSN, RUN, PAN and KTN, years
   2019–2026, every ``CaseStatus``, a few hundred officers, one to three counterparts per
   case (länsstyrelser, myndigheter, kommuner, companies, people), documents incoming,
   outgoing and internal, some of them secret. The schema comes from the Alembic
   migrations; rows are bulk-inserted with SQLAlchemy Core (no audit events).
2. Server time of the registrar's pages through the in-process Flask test client (so the
   time is Flask + ORM + templates + SQL, no network): the case list (page 1, a deeper
   page, filtered by status and by officer), the case page, and the search by number, by a
   word of the title and by a counterpart. For each it reports p50/p95, how many SQL
   statements a request runs and their time, and a "raw floor": the essential SQL of the
   page run bare with SQLAlchemy Core (e.g. ``SELECT … ORDER BY opened_on DESC, id DESC
   LIMIT 50``, ``SELECT … WHERE number = ?``), so app time can be told from database time.
3. The concurrent allocation rate: ``--writers`` threads (default 16) each open cases
   through the real service ``caseflow.cases.services.open_case``, every case in its own
   transaction (``new_session(engine, write=True)``), in series BENCH, year 2026.
   Afterwards the numbers must be exactly 1..N: no duplicates, no gaps.

Targets at 100k/1M: p95 ≤ 50 ms for the list, the case page and the search by number;
≥ 300 numbers/s with 16 writers on PostgreSQL.

How to run
----------
::

    .venv/bin/python bench/registry.py                      # SQLite in bench/data/
    .venv/bin/python bench/registry.py --keep               # reuse the generated file
    .venv/bin/python bench/registry.py --cases 10000 --requests 50      # a quick look
    .venv/bin/python bench/registry.py \\
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/cf_bench

The PostgreSQL database must exist and be empty (or, with ``--keep``, hold data this
script generated with the same ``--cases`` and ``--docs-per-case``). The table is printed
and the results are written to ``bench/results/registry.json``, one entry per backend.

Notes: on PostgreSQL the database is VACUUM ANALYZEd after loading and before the
allocation run (what autovacuum does in a live system; this makes results independent of
its timing or of it being switched off). SQLite is not ANALYZEd: the application never does.
"SQL ms" is the time spent in the driver's ``execute``; on SQLite rows after the first are
produced while fetching, so it slightly undercounts there.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import statistics
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event
from sqlmodel import select

from caseflow import create_app
from caseflow.auth.models import User
from caseflow.auth.services import create_user
from caseflow.cases.models import Case, CaseParty, CaseStatus, Series, SeriesCounter
from caseflow.cases.numbering import DEFAULT_FORMAT, format_number
from caseflow.cases.services import open_case
from caseflow.db import new_session
from caseflow.documents.models import Direction, Document
from caseflow.migrate import upgrade
from caseflow.organisation.models import Unit
from caseflow.organisation.services import unit_key

BENCH_DIR = Path(__file__).resolve().parent
DATA_DIR = BENCH_DIR / "data"
RESULTS_FILE = BENCH_DIR / "results" / "registry.json"

REGISTRAR_EMAIL = "registrator@bench.regionjh.se"
REGISTRAR_PASSWORD = "bench-registrar-password"
ALLOCATION_SERIES = "BENCH"
ALLOCATION_YEAR = 2026
FIRST_YEAR, LAST_YEAR = 2019, 2026
TARGET_P95_MS = 50.0
TARGET_ALLOCATIONS_PER_S = 300.0
CHUNK_CASES = 5000

# --------------------------------------------------------------------------- word lists


def words(text: str) -> list[str]:
    return text.split()


SERIES = [  # code, name, share of the cases
    ("RS", "Regionstyrelsen", 35),
    ("HSN", "Hälso- och sjukvårdsnämnden", 30),
    ("RUN", "Regionala utvecklingsnämnden", 20),
    ("PAN", "Patientnämnden", 8),
    ("KTN", "Kollektivtrafiknämnden", 7),
]

TITLE_FORMS = [
    "Remiss: {s}",
    "Ansökan om projektmedel för {s}",
    "Yttrande över förslag om {s}",
    "Avtal om {s}",
    "Uppföljning av {s}",
    "Begäran om utlämnande av allmän handling om {s}",
    "Motion om {s}",
    "Medborgarförslag om {s}",
    "Upphandling av {s}",
    "Överenskommelse om {s}",
    "Projekt {s}",
    "Rapport om {s}",
    "Skrivelse om {s}",
    "Beslut om {s}",
    "Handlingsplan för {s}",
    "Granskning av {s}",
    "Medfinansiering av {s}",
    "Samverkan kring {s}",
]

SUBJECTS = [
    "regional kompetensförsörjning",
    "bredbandsutbyggnad",
    "kollektivtrafik på landsbygden",
    "laddinfrastruktur vid vårdcentraler",
    "ambulansberedskap",
    "vårdplatser inom slutenvården",
    "nära vård och primärvård",
    "tandvård för barn och unga",
    "psykiatrisk heldygnsvård",
    "besöksnäringen",
    "kulturmiljövård",
    "folkhögskolornas verksamhet",
    "regional utvecklingsstrategi",
    "arbetshubbar",
    "digitalisering av journalhantering",
    "cykelväg Brunflo–Östersund",
    "skoterleder och friluftsliv",
    "regional livsmedelsstrategi",
    "klimatanpassning",
    "energieffektivisering i regionens fastigheter",
    "informationssäkerhet",
    "läkemedelsförsörjning",
    "hjälpmedel för personer med funktionsnedsättning",
    "sjukresor",
    "folkhälsoarbete",
    "rennäringens villkor",
    "samiska som minoritetsspråk",
    "forskning och innovation",
    "smart specialisering",
    "jämställd vård",
    "ungdomsmottagningar",
    "hemsjukvård",
    "ambulanshelikopter",
    "färdtjänst och riksfärdtjänst",
    "flygtrafik på Åre Östersund Airport",
    "underhåll av Mittbanan",
    "vattenförsörjning i fjällvärlden",
    "krisberedskap och civilt försvar",
    "hälsoundersökningar för nyanlända",
    "e-hälsa och digitala vårdbesök",
]

PLACES = [
    "i Härjedalen",
    "i Östersunds kommun",
    "i Strömsund",
    "i Krokom",
    "i Bergs kommun",
    "i Bräcke",
    "i Ragunda",
    "i Åre",
    "i Funäsdalen",
    "i Sveg",
    "i Jämtlands län",
    "i Mittnorden",
]

#: Words the title search looks for (each matches a few per cent of the cases).
TITLE_SEARCH_WORDS = [
    "bredbandsutbyggnad",
    "ambulansberedskap",
    "kollektivtrafik",
    "läkemedelsförsörjning",
    "sjukresor",
    "Härjedalen",
    "Östersund",
    "kompetensförsörjning",
    "hemsjukvård",
    "klimatanpassning",
]

SECRET_CASE_TITLES = [
    ("Anmälan enligt lex Maria", "Anmälan om vårdskada", "OSL 25 kap. 1 §"),
    ("Rehabiliteringsärende för anställd", "Personalärende", "OSL 39 kap. 1 §"),
    ("Begäran om skyddade personuppgifter", "Ärende om personuppgifter", "OSL 21 kap. 3 §"),
    ("Klagomål på vård och bemötande", "Patientärende", "OSL 25 kap. 1 §"),
]

LAN = [
    "Jämtlands",
    "Västernorrlands",
    "Västerbottens",
    "Norrbottens",
    "Gävleborgs",
    "Dalarnas",
    "Stockholms",
    "Uppsala",
    "Värmlands",
]

KOMMUNER = [
    "Östersunds",
    "Krokoms",
    "Strömsunds",
    "Ragunda",
    "Bräcke",
    "Bergs",
    "Härjedalens",
    "Åre",
    "Sundsvalls",
    "Umeå",
    "Ånge",
    "Örnsköldsviks",
]

ORGANISATIONS = (
    [
        "Länsstyrelsen Jämtlands län",
        "Vinnova",
        "Trafikverket",
        "Tillväxtverket",
        "Socialstyrelsen",
        "Folkhälsomyndigheten",
        "Inspektionen för vård och omsorg",
        "Sveriges Kommuner och Regioner",
        "Mittuniversitetet",
        "Energimyndigheten",
        "Naturvårdsverket",
        "Riksantikvarieämbetet",
        "Försäkringskassan",
        "Arbetsförmedlingen",
        "Sametinget",
        "Region Västernorrland",
        "Region Västerbotten",
        "Region Dalarna",
        "Umeå universitet",
        "Länstrafiken i Jämtlands län",
        "Interreg Aurora",
        "Europeiska kommissionen",
        "Almi Företagspartner Mitt AB",
        "Jämtkraft AB",
        "Stiftelsen Jamtli",
        "Östersunds-Posten",
        "Länstidningen Östersund",
        "Funäsdalen Destination AB",
        "Åre Destination AB",
        "Jämtlands Gymnasieförbund",
        "Skatteverket",
        "E-hälsomyndigheten",
        "Tandvårds- och läkemedelsförmånsverket",
        "Polismyndigheten region Mitt",
        "Räddningstjänsten Jämtland",
    ]
    + [f"Länsstyrelsen {lan} län" for lan in LAN[1:]]
    + [f"{k} kommun" for k in KOMMUNER]
)

#: Counterparts the counterpart search looks for.
COUNTERPART_SEARCHES = [
    "Länsstyrelsen Jämtlands län",
    "Vinnova",
    "Härjedalens kommun",
    "Trafikverket",
    "Mittuniversitetet",
    "Region Västernorrland",
    "Sametinget",
    "Jämtkraft",
]

FIRST_NAMES = words(
    "Anna Karin Eva Maria Sara Lena Kerstin Ingrid Emma Elin Johanna Malin Linnea Sofia "
    "Ida Maja Astrid Helena Ulrika Åsa Erik Lars Anders Johan Per Karl Nils Olof Mikael "
    "Jonas Henrik Magnus Fredrik Daniel Gustav Oskar Björn Sven Hans Jöns"
)
LAST_NAMES = words(
    "Andersson Johansson Karlsson Nilsson Eriksson Larsson Olsson Persson Svensson "
    "Gustafsson Pettersson Jonsson Jansson Hansson Bengtsson Jönsson Lindberg Jakobsson "
    "Magnusson Olofsson Lindström Lindqvist Lindgren Berg Axelsson Bergström Lundberg "
    "Lind Lundgren Lundqvist Mattsson Berglund Fredriksson Sandberg Henriksson Ek "
    "Noaksson Byström Sjöberg Wallin Engström Danielsson Håkansson Forsberg Åberg Öberg"
)

UNITS = [
    "Kansli",
    "Ledningsstab",
    "Näringsliv",
    "Regional utveckling",
    "Hälso- och sjukvårdsförvaltningen",
    "Primärvård",
    "Tandvård",
    "Folkhälsa",
    "Kultur",
    "Kollektivtrafik",
    "Ekonomi",
    "HR",
    "IT",
    "Fastighet",
    "Patientnämndens kansli",
]

CLASSIFICATION_CODES = ["1.1", "1.2", "1.4", "2.1", "2.3", "3.2.1", "4.5", "5.1", "6.1", "7.3"]

PROVISIONS = [
    "OSL 21 kap. 1 §",
    "OSL 25 kap. 1 §",
    "OSL 31 kap. 16 §",
    "OSL 19 kap. 3 §",
    "OSL 18 kap. 8 §",
    "OSL 39 kap. 1 §",
]

DOC_TITLES = {
    Direction.INCOMING: [
        "Kompletterande uppgifter",
        "Svar på begäran om komplettering",
        "Yttrande",
        "Inbjudan till samråd",
        "Faktura",
        "Lägesrapport",
        "E-post med frågor om ärendet",
        "Underlag inför beslut",
        "Slutrapport",
        "Protokoll från styrgruppsmöte",
        "Avtal, undertecknat av motparten",
        "Överklagande",
    ],
    Direction.OUTGOING: [
        "Begäran om komplettering",
        "Bekräftelse av mottagen ansökan",
        "Beslut",
        "Yttrande",
        "Protokollsutdrag",
        "Avtal för underskrift",
        "Svar på fråga",
        "Missiv",
        "Underrättelse om beslut",
        "Kallelse till möte",
    ],
    Direction.INTERNAL: [
        "Tjänsteskrivelse",
        "Beslutsförslag",
        "Minnesanteckningar",
        "PM",
        "Delegationsbeslut",
        "Kalkyl",
        "Riskbedömning",
        "Checklista inför beslut",
        "Arbetsmaterial",
    ],
}

DOC_KINDS = {
    Direction.INCOMING: ["Skrivelse", "E-post", "Ansökan", "Remiss", "Faktura", "Rapport"],
    Direction.OUTGOING: ["Skrivelse", "E-post", "Beslut", "Protokollsutdrag", "Avtal"],
    Direction.INTERNAL: ["Tjänsteskrivelse", "PM", "Anteckning", "Beslut"],
}

#: Status by the case's age in days: the older, the more likely closed.
STATUS_BY_AGE = [
    (90, {"registered": 30, "in_preparation": 40, "in_review": 10, "approved": 5,
          "on_agenda": 5, "decided": 4, "dispatched": 2, "closed": 3, "withdrawn": 1}),
    (365, {"registered": 7, "in_preparation": 25, "in_review": 8, "approved": 5,
           "on_agenda": 5, "decided": 12, "dispatched": 10, "closed": 25, "withdrawn": 3}),
    (730, {"registered": 4, "in_preparation": 8, "in_review": 3, "approved": 3,
           "on_agenda": 3, "decided": 10, "dispatched": 10, "closed": 55, "withdrawn": 4}),
    (10**6, {"registered": 1, "in_preparation": 2, "in_review": 1, "approved": 1,
             "on_agenda": 0, "decided": 4, "dispatched": 4, "closed": 82, "withdrawn": 5}),
]  # fmt: skip

_ASCII = str.maketrans("åäöéüÅÄÖÉÜ", "aaoeuAAOEU")


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.translate(_ASCII).lower()).strip("-")


def at_time(day: date, rng: random.Random) -> datetime:
    return datetime(
        day.year, day.month, day.day, rng.randint(6, 15), rng.randint(0, 59), tzinfo=UTC
    )


# --------------------------------------------------------------------------- generation


@dataclass
class Person:
    id: int
    name: str
    unit_id: int | None


@dataclass
class Generator:
    """Produces the rows of the diarium, chunk by chunk, reproducibly from a seed."""

    n_cases: int
    docs_per_case: int
    n_officers: int
    today: date
    seed: int = 2026
    rng: random.Random = field(init=False)
    #: (series id, year) → the highest seq planned, for the series counters.
    last_numbers: dict[tuple[int, int], int] = field(init=False, default_factory=dict)

    def __post_init__(self):
        self.rng = random.Random(self.seed)
        # Counterparts follow a long tail: a few organisations write very often.
        self.org_weights = [1 / (rank + 1) ** 0.8 for rank in range(len(ORGANISATIONS))]
        self.statuses = [
            (max_age, list(weights), list(weights.values())) for max_age, weights in STATUS_BY_AGE
        ]

    def officer_rows(self, unit_ids: dict[str, int]) -> list[dict]:
        names = self.rng.sample(
            [f"{f} {last}" for f in FIRST_NAMES for last in LAST_NAMES], self.n_officers
        )
        created = datetime(2018, 12, 1, 8, 0, tzinfo=UTC)
        taken: dict[str, int] = defaultdict(int)
        emails = []
        for name in names:  # Jonsson and Jönsson share an address; the second gets a digit
            local = slug(name).replace("-", ".")
            taken[local] += 1
            emails.append(f"{local}{taken[local] if taken[local] > 1 else ''}@regionjh.se")
        return [
            {
                "email": email,
                "name": name,
                "role": "manager" if i % 10 == 0 else "official",
                "unit_id": unit_ids[self.rng.choice(UNITS)],
                "phone": f"063-14{self.rng.randint(1000, 9999)}" if i % 3 else None,
                "password_hash": None,
                "is_enabled": i % 25 != 0,  # a few have left
                "created_at": created,
            }
            for i, (name, email) in enumerate(zip(names, emails, strict=True))
        ]

    def plan_cases(self, series_ids: dict[str, int]) -> list[tuple[date, str, int]]:
        """(opened_on, series code, seq) for every case, oldest first; seq runs per series/year."""
        start = date(FIRST_YEAR, 1, 1)
        end = min(self.today, date(LAST_YEAR, 12, 31))
        span = (end - start).days
        codes = [code for code, _, _ in SERIES]
        weights = [share for _, _, share in SERIES]
        days = sorted(self.rng.randint(0, span) for _ in range(self.n_cases))
        series = self.rng.choices(codes, weights=weights, k=self.n_cases)
        seqs: dict[tuple[str, int], int] = defaultdict(int)
        plan = []
        for offset, code in zip(days, series, strict=True):
            opened = start + timedelta(days=offset)
            seqs[code, opened.year] += 1
            plan.append((opened, code, seqs[code, opened.year]))
        self.last_numbers = {(series_ids[code], year): last for (code, year), last in seqs.items()}
        return plan

    def _status(self, age: int) -> str:
        for max_age, names, weights in self.statuses:
            if age <= max_age:
                return self.rng.choices(names, weights=weights)[0]
        raise AssertionError("unreachable")

    def _party(self) -> dict:
        rng = self.rng
        org = (
            rng.choices(ORGANISATIONS, weights=self.org_weights)[0] if rng.random() < 0.8 else None
        )
        person = (
            f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}" if rng.random() < 0.4 else None
        )
        if person is None and org is None:
            person = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        email = None
        if rng.random() < 0.6:
            local = slug(person).replace("-", ".") if person else "registrator"
            domain = f"{slug(org)}.se" if org else rng.choice(["gmail.com", "telia.com"])
            email = f"{local}@{domain}"
        return {"name": person, "organisation": org, "email": email}

    def chunk(
        self,
        plan: list[tuple[date, str, int]],
        first_id: int,
        series_ids: dict[str, int],
        officers: list[Person],
        officer_cum_weights: list[float],
        registrar_ids: list[int],
    ) -> tuple[list[dict], list[dict], list[dict]]:
        """The case, party and document rows of ``plan``, whose first case gets ``first_id``."""
        rng = self.rng
        cases, parties, documents = [], [], []
        closed_states = (CaseStatus.CLOSED, CaseStatus.WITHDRAWN)
        for offset, (opened, code, seq) in enumerate(plan):
            case_id = first_id + offset
            age = (self.today - opened).days
            status = self._status(age)
            closed_on = None
            if status in closed_states:
                closed_on = min(self.today, opened + timedelta(days=rng.randint(7, 500)))
            officer = None
            if rng.random() < 0.92:
                officer = rng.choices(officers, cum_weights=officer_cum_weights)[0]
            title = rng.choice(TITLE_FORMS).format(s=rng.choice(SUBJECTS))
            if rng.random() < 0.5:
                title += " " + rng.choice(PLACES)
            if rng.random() < 0.2:
                title += f" {opened.year}–{opened.year + rng.randint(1, 3)}"
            title_is_secret = rng.random() < 0.02
            public_title = provision = None
            if title_is_secret:
                title, public_title, provision = rng.choice(SECRET_CASE_TITLES)
            created_at = at_time(opened, rng)
            voided = rng.random() < 0.003
            case_parties = [self._party() for _ in range(rng.choices((1, 2, 3), (45, 35, 20))[0])]
            n_docs = rng.randint(1, 2 * self.docs_per_case - 1) if self.docs_per_case > 1 else 1
            cases.append(
                {
                    "id": case_id,
                    "series_id": series_ids[code],
                    "year": opened.year,
                    "seq": seq,
                    "number": format_number(DEFAULT_FORMAT, code, seq, opened.year),
                    "title": title,
                    "title_is_secret": title_is_secret,
                    "public_title": public_title,
                    "secrecy_provision": provision,
                    "description": (
                        f"Ärendet gäller {title[0].lower()}{title[1:]}."
                        if rng.random() < 0.3
                        else None
                    ),
                    "status": status,
                    "officer_id": officer.id if officer else None,
                    "unit_id": officer.unit_id if officer else None,
                    "classification_code": (
                        rng.choice(CLASSIFICATION_CODES) if rng.random() < 0.6 else None
                    ),
                    "opened_on": opened,
                    "closed_on": closed_on,
                    "due_on": (
                        opened + timedelta(days=rng.randint(30, 180))
                        if rng.random() < 0.6
                        else None
                    ),
                    "document_counter": n_docs,
                    "created_at": created_at,
                    "created_by_id": rng.choice(registrar_ids),
                    "updated_at": created_at,
                    "voided_at": created_at + timedelta(days=1) if voided else None,
                    "voided_by_id": registrar_ids[0] if voided else None,
                    "void_reason": "Felregistrering, dubblett" if voided else None,
                    "version": 1,
                }
            )
            parties.extend({"case_id": case_id, **p} for p in case_parties)
            documents.extend(
                self._documents(cases[-1], case_parties, officer, officers, registrar_ids)
            )
        return cases, parties, documents

    def _documents(
        self,
        case: dict,
        parties: list[dict],
        officer: Person | None,
        officers: list[Person],
        registrars: list[int],
    ) -> list[dict]:
        """The documents of ``case``: the first one opened it, the rest follow in date order."""
        rng = self.rng
        case_id, opened = case["id"], case["opened_on"]
        span = max(0, ((case["closed_on"] or self.today) - opened).days)
        offsets = [0] + sorted(rng.randint(0, span) for _ in range(case["document_counter"] - 1))
        rows = []
        for seq, offset in enumerate(offsets, start=1):
            received = opened + timedelta(days=offset)
            if seq == 1:
                direction = Direction.INCOMING if rng.random() < 0.75 else Direction.INTERNAL
            else:
                direction = rng.choices(list(Direction), weights=(45, 30, 25))[0]
            party = rng.choice(parties)
            party_label = ", ".join(v for v in (party["name"], party["organisation"]) if v)
            if direction == Direction.INTERNAL:
                counterpart = (officer or rng.choice(officers)).name
                email = None
            else:
                counterpart = party_label
                email = party["email"] if rng.random() < 0.5 else None
            title = case["title"] if seq == 1 else rng.choice(DOC_TITLES[direction])
            is_secret = rng.random() < 0.04
            title_secret = rng.random() < 0.01 or (seq == 1 and case["title_is_secret"])
            counterpart_secret = rng.random() < 0.02
            any_secret = is_secret or title_secret or counterpart_secret
            voided = rng.random() < 0.003
            registered_at = at_time(received, rng)
            message_id = None
            if direction == Direction.INCOMING and rng.random() < 0.25:
                message_id = f"<{rng.getrandbits(64):016x}.{case_id}.{seq}@{slug(party_label)}.se>"
            rows.append(
                {
                    "case_id": case_id,
                    "seq": seq,
                    "direction": direction.value,
                    "title": title,
                    "title_is_secret": title_secret,
                    "counterpart": counterpart,
                    "counterpart_email": email,
                    "counterpart_is_secret": counterpart_secret,
                    "is_secret": is_secret,
                    "secrecy_provision": (
                        case["secrecy_provision"] or rng.choice(PROVISIONS) if any_secret else None
                    ),
                    "kind": rng.choice(DOC_KINDS[direction]),
                    "document_date": (
                        received - timedelta(days=rng.randint(0, 5)) if rng.random() < 0.8 else None
                    ),
                    "received_on": received,
                    "message_id": message_id,
                    "registered_at": registered_at,
                    "registered_by_id": rng.choice(registrars),
                    "voided_at": registered_at + timedelta(hours=2) if voided else None,
                    "voided_by_id": registrars[0] if voided else None,
                    "void_reason": "Registrerad i fel ärende" if voided else None,
                    "version": 1,
                }
            )
        return rows


def bulk_engine(url: str) -> sa.Engine:
    """An engine for loading only: SQLite without journal or fsync (the file is disposable)."""
    if not url.startswith("sqlite"):
        return sa.create_engine(url)
    engine = sa.create_engine(url)

    @event.listens_for(engine, "connect")
    def _fast(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        for pragma in (
            "journal_mode=OFF",
            "synchronous=OFF",
            "cache_size=-524288",
            "temp_store=MEMORY",
        ):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    return engine


def settle(engine: sa.Engine, *tables: str) -> None:
    """PostgreSQL: VACUUM ANALYZE, the state autovacuum keeps a live database in.

    Done explicitly so results do not depend on whether autovacuum has got round to it yet
    (or is switched off, as on some development servers). SQLite is left as the app leaves it.
    """
    if engine.dialect.name != "postgresql":
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(sa.text("VACUUM (ANALYZE) " + ", ".join(tables)))


def marker_name(args) -> str:
    """The BENCH series' name records what was generated; it is created last."""
    return f"Benchmark: {args.cases} cases, {args.docs_per_case} documents per case"


def is_generated(engine: sa.Engine, args) -> bool:
    if not sa.inspect(engine).has_table("series"):
        return False
    series = Series.__table__
    with engine.connect() as conn:
        name = conn.execute(
            sa.select(series.c.name).where(series.c.code == ALLOCATION_SERIES)
        ).scalar()
    return name == marker_name(args)


def is_empty(engine: sa.Engine) -> bool:
    if not sa.inspect(engine).has_table("case_file"):
        return True
    with engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(Case.__table__)).scalar() == 0


def database_url(given: str | None, sqlite_name: str) -> tuple[str, Path | None]:
    """The database a benchmark runs on: ``given``, or a SQLite file ``sqlite_name`` in
    DATA_DIR (made if missing); with the SQLite file, when there is one."""
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    if given:
        return given, None
    sqlite_file = DATA_DIR / sqlite_name
    return f"sqlite:///{sqlite_file}", sqlite_file


def start_afresh(url: str, sqlite_file: Path | None, *, reuse: bool) -> None:
    """Bring the database to the current schema, emptied first unless ``reuse``: a SQLite
    file is removed; a server database must be empty already (a benchmark never deletes
    what it did not make)."""
    if not reuse:
        if sqlite_file is not None:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{sqlite_file}{suffix}").unlink(missing_ok=True)
        else:
            probe = sa.create_engine(url)
            try:
                if not is_empty(probe):
                    raise SystemExit(
                        f"{url} already holds cases: give an empty database, or --keep to "
                        "reuse data this script generated with the same settings"
                    )
            finally:
                probe.dispose()
    upgrade(url)


def bench_app(url: str, tmp: str | Path, **config):
    """caseflow on ``url`` as the benchmarks run it: files in ``tmp``, no CSRF, and the
    audit key kept beside the data (a reused database's audit trail is keyed with it)."""
    return create_app(
        {
            "SECRET_KEY": "bench",
            "DATABASE_URL": url,
            "FILES_DIR": str(Path(tmp) / "files"),
            "WTF_CSRF_ENABLED": False,
            "SESSION_COOKIE_SECURE": False,
            "TESTING": True,
            "AUDIT_KEY_FILE": str(DATA_DIR / "audit.key"),
            **config,
        },
        instance_path=str(tmp),
    )


def generate(url: str, args, app) -> dict:
    """Fill the empty schema at ``url``; returns the timings of the phases."""
    timings: dict[str, float] = {}
    t_start = time.perf_counter()

    gen = Generator(
        args.cases, args.docs_per_case, args.officers, today=date.today(), seed=args.seed
    )
    engine = bulk_engine(url)
    users, series, units = User.__table__, Series.__table__, Unit.__table__
    with engine.begin() as conn:
        conn.execute(
            series.insert(),
            [{"code": code, "name": name, "is_active": True} for code, name, _ in SERIES],
        )
        series_ids = dict(conn.execute(sa.select(series.c.code, series.c.id)).all())
        conn.execute(
            units.insert(),
            [
                {"name": name, "name_key": unit_key(name), "is_active": True,
                 "created_at": datetime(2018, 12, 1, 8, 0, tzinfo=UTC)}
                for name in UNITS
            ],
        )  # fmt: skip
        unit_ids = dict(conn.execute(sa.select(units.c.name, units.c.id)).all())
        extra_registrars = [
            {
                "email": f"registrator{i}@bench.regionjh.se",
                "name": f"{gen.rng.choice(FIRST_NAMES)} {gen.rng.choice(LAST_NAMES)}",
                "role": "registrar",
                "unit_id": unit_ids["Kansli"],
                "phone": None,
                "password_hash": None,
                "is_enabled": True,
                "created_at": datetime(2018, 12, 1, 8, 0, tzinfo=UTC),
            }
            for i in range(1, 5)
        ]
        conn.execute(users.insert(), extra_registrars + gen.officer_rows(unit_ids))
        rows = conn.execute(
            sa.select(users.c.id, users.c.name, users.c.unit_id, users.c.role)
        ).all()
    registrar_ids = [r.id for r in rows if r.role == "registrar"]
    officers = [Person(r.id, r.name, r.unit_id) for r in rows if r.role != "registrar"]
    # A few officers carry many cases, most carry some.
    weights = [gen.rng.paretovariate(1.2) for _ in officers]
    cum_weights = list(accumulate(weights))
    timings["users_s"] = time.perf_counter() - t_start

    plan = gen.plan_cases(series_ids)
    n_parties = n_documents = 0
    t_cases = t_parties = t_documents = t_python = 0.0
    for start in range(0, len(plan), CHUNK_CASES):
        t0 = time.perf_counter()
        cases, parties, documents = gen.chunk(
            plan[start : start + CHUNK_CASES],
            start + 1,
            series_ids,
            officers,
            cum_weights,
            registrar_ids,
        )
        t1 = time.perf_counter()
        with engine.begin() as conn:
            conn.execute(Case.__table__.insert(), cases)
            t2 = time.perf_counter()
            conn.execute(CaseParty.__table__.insert(), parties)
            t3 = time.perf_counter()
            conn.execute(Document.__table__.insert(), documents)
        t4 = time.perf_counter()
        t_python += t1 - t0
        t_cases += t2 - t1
        t_parties += t3 - t2
        t_documents += t4 - t3
        n_parties += len(parties)
        n_documents += len(documents)
        done = start + len(cases)
        print(
            f"\r  generated {done:>7}/{len(plan)} cases, {n_documents:>8} documents "
            f"({time.perf_counter() - t_start:5.0f} s)",
            end="",
            flush=True,
        )
    print()
    timings.update(
        python_rows_s=t_python,
        insert_cases_s=t_cases,
        insert_parties_s=t_parties,
        insert_documents_s=t_documents,
    )

    t0 = time.perf_counter()
    with engine.begin() as conn:
        conn.execute(
            SeriesCounter.__table__.insert(),
            [
                {"series_id": sid, "year": year, "last_number": last}
                for (sid, year), last in sorted(gen.last_numbers.items())
            ],
        )
        if engine.dialect.name == "postgresql":
            # Ids were given explicitly: move the sequence past them for later inserts.
            conn.execute(
                sa.text(
                    "SELECT setval(pg_get_serial_sequence('case_file', 'id'), "
                    "(SELECT max(id) FROM case_file))"
                )
            )
    engine.dispose()  # before the app connects: SQLite's journal mode changes back to WAL

    # The registrar who logs in, through the real service so that the password works.
    with app.app_context():
        session = new_session(app.extensions["caseflow.engine"], write=True)
        create_user(
            session,
            email=REGISTRAR_EMAIL,
            name="Karin Registrator",
            role="registrar",
            password=REGISTRAR_PASSWORD,
            unit=session.exec(select(Unit).where(Unit.name == "Kansli")).one(),
        )
        session.commit()
        session.close()
    # Created last: its presence (and name) says the data set is complete.
    with app.extensions["caseflow.engine"].begin() as conn:
        conn.execute(series.insert().values(code=ALLOCATION_SERIES, name=marker_name(args)))
    timings["finish_s"] = time.perf_counter() - t0
    timings["total_s"] = time.perf_counter() - t_start
    timings["cases"] = len(plan)
    timings["parties"] = n_parties
    timings["documents"] = n_documents
    timings["officers"] = len(officers)
    return timings


# --------------------------------------------------------------------------- measuring


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(1, round(pct / 100 * len(ordered) + 0.5 - 1e-9))
    return ordered[min(rank, len(ordered)) - 1]


class SqlRecorder:
    """Records the statements the app runs (and their execute time) while ``active``."""

    def __init__(self, engine: sa.Engine):
        self.engine = engine
        self.active = False
        self.statements: list[tuple[str, float]] = []
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, conn, _cursor, _statement, _params, _context, _executemany):
        conn.info.setdefault("bench_started", []).append(time.perf_counter())

    def _after(self, conn, _cursor, statement, _params, _context, _executemany):
        started = conn.info["bench_started"].pop()
        if self.active:
            self.statements.append((statement, time.perf_counter() - started))

    def take(self) -> list[tuple[str, float]]:
        taken, self.statements = self.statements, []
        return taken

    def close(self):
        event.remove(self.engine, "before_cursor_execute", self._before)
        event.remove(self.engine, "after_cursor_execute", self._after)


@dataclass
class Op:
    """One measured page and the bare SQL that is its floor."""

    name: str
    url: Callable[[], str] | None
    raw: Callable[[sa.Connection], object] | None = None
    raw_sql: str = ""
    target_ms: float | None = None
    check: Callable[[str, bytes], bool] | None = None


def build_ops(engine: sa.Engine, rng: random.Random, n_cases: int, per_page: int) -> list[Op]:
    case = Case.__table__
    party = CaseParty.__table__
    doc = Document.__table__
    users = User.__table__
    with engine.connect() as conn:
        ids = rng.sample(range(1, n_cases + 1), min(n_cases, 2000))
        numbers = list(conn.execute(sa.select(case.c.number).where(case.c.id.in_(ids))).scalars())
        officer_ids = list(
            conn.execute(
                sa.select(case.c.officer_id)
                .where(case.c.officer_id.is_not(None))
                .group_by(case.c.officer_id)
            ).scalars()
        )
    deep_page = max(2, n_cases // per_page // 10)
    sqlite = engine.dialect.name == "sqlite"
    # The raw floor folds with the database's own lower(): the app's casefold() is a Python
    # function on SQLite, and the difference is worth seeing.
    lower = sa.func.lower

    def page_query(*where, offset=0):
        return (
            sa.select(case)
            .where(*where)
            .order_by(case.c.opened_on.desc(), case.c.id.desc())
            .offset(offset)
            .limit(per_page)
        )

    def run(stmt):
        return lambda conn: conn.execute(stmt).all()

    def run_detail(conn):
        number = rng.choice(numbers)
        row = conn.execute(sa.select(case).where(case.c.number == number)).one()
        conn.execute(sa.select(party).where(party.c.case_id == row.id)).all()
        conn.execute(sa.select(doc).where(doc.c.case_id == row.id).order_by(doc.c.seq)).all()

    def run_like(column_of, words):
        def raw(conn):
            pattern = f"%{rng.choice(words).lower()}%"
            conn.execute(page_query(lower(column_of()).like(pattern))).all()

        return raw

    def run_party_like(conn):
        pattern = f"%{rng.choice(COUNTERPART_SEARCHES).lower()}%"
        matching = sa.select(party.c.id).where(
            party.c.case_id == case.c.id, lower(party.c.organisation).like(pattern)
        )
        conn.execute(page_query(matching.exists())).all()

    status = CaseStatus.IN_PREPARATION.value
    return [
        Op(
            "list page 1",
            lambda: "/cases/",
            run(page_query()),
            "SELECT … ORDER BY opened_on DESC, id DESC LIMIT 50",
            TARGET_P95_MS,
        ),
        Op(
            f"list page {deep_page}",
            lambda: f"/cases/?page={deep_page}",
            run(page_query(offset=(deep_page - 1) * per_page)),
            f"same, OFFSET {(deep_page - 1) * per_page}",
            TARGET_P95_MS,
        ),
        Op(
            "list status filter",
            lambda: f"/cases/?status={status}",
            run(page_query(case.c.status == status)),
            "WHERE status = ? ORDER BY … LIMIT 50",
            TARGET_P95_MS,
        ),
        Op(
            "list officer filter",
            lambda: f"/cases/?officer={rng.choice(officer_ids)}",
            lambda conn: conn.execute(
                page_query(case.c.officer_id == rng.choice(officer_ids))
            ).all(),
            "WHERE officer_id = ? ORDER BY … LIMIT 50",
            TARGET_P95_MS,
        ),
        Op(
            "case detail",
            lambda: f"/cases/{rng.choice(numbers)}",
            run_detail,
            "case by number + its parties + its documents",
            TARGET_P95_MS,
        ),
        Op(
            "search number",
            lambda: f"/cases/?q={rng.choice(numbers)}",
            lambda conn: conn.execute(
                sa.select(case).where(case.c.number == rng.choice(numbers))
            ).all(),
            "SELECT … WHERE number = ?",
            TARGET_P95_MS,
            check=lambda url, body: url.split("q=", 1)[1].encode() in body,
        ),
        Op(
            "search title word",
            lambda: f"/cases/?q={rng.choice(TITLE_SEARCH_WORDS)}",
            run_like(lambda: case.c.title, TITLE_SEARCH_WORDS),
            "WHERE lower(title) LIKE ? ORDER BY … LIMIT 50",
        ),
        Op(
            "search counterpart",
            lambda: f"/cases/?q={rng.choice(COUNTERPART_SEARCHES)}",
            run_party_like,
            "WHERE EXISTS(party lower(organisation) LIKE ?) … LIMIT 50",
        ),
        Op(
            "(raw) count(*) all cases",
            None,
            run(sa.select(sa.func.count()).select_from(case)),
            "SELECT count(*) FROM case_file",
        ),
        Op(
            "(raw) users for officer filter",
            None,
            run(sa.select(users).where(users.c.role.in_(["official", "manager"]))),
            "SELECT … FROM user_account WHERE role IN (…)",
        ),
    ] + (
        []
        if not sqlite
        else [
            Op(
                "(raw) title LIKE via casefold()",
                None,
                lambda conn: conn.execute(
                    page_query(
                        sa.func.casefold(case.c.title).like(
                            f"%{rng.choice(TITLE_SEARCH_WORDS).casefold()}%"
                        )
                    )
                ).all(),
                "as the title search, with the app's Python casefold()",
            )
        ]
    )


def summarise(times: list[float]) -> dict:
    ms = [t * 1000 for t in times]
    return {
        "n": len(ms),
        "p50_ms": round(percentile(ms, 50), 2),
        "p95_ms": round(percentile(ms, 95), 2),
        "max_ms": round(max(ms), 2),
        "mean_ms": round(statistics.fmean(ms), 2),
    }


def measure_op(client, recorder, engine, op: Op, args) -> dict:
    """Time ``op`` through the app (unless it is raw only) and its raw floor."""
    result: dict = {"name": op.name, "raw_sql": op.raw_sql, "target_p95_ms": op.target_ms}
    if op.url is not None:
        for _ in range(3):  # warm up templates, caches and the connection pool
            client.get(op.url())
        times, sql_counts, sql_times = [], [], []
        by_statement: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])
        deadline = time.perf_counter() + args.max_seconds_per_op
        for i in range(args.requests):
            url = op.url()
            recorder.take()
            recorder.active = True
            started = time.perf_counter()
            response = client.get(url)
            elapsed = time.perf_counter() - started
            recorder.active = False
            if response.status_code != 200:
                raise SystemExit(f"{op.name}: GET {url} answered {response.status_code}")
            if op.check and not op.check(url, response.data):
                raise SystemExit(f"{op.name}: GET {url} did not show what was asked for")
            statements = recorder.take()
            times.append(elapsed)
            sql_counts.append(len(statements))
            sql_times.append(sum(t for _, t in statements))
            for sql, t in statements:
                entry = by_statement[" ".join(sql.split())]
                entry[0] += 1
                entry[1] += t
            if time.perf_counter() > deadline and i >= 19:
                break
        result["app"] = summarise(times)
        result["sql_per_request"] = round(statistics.fmean(sql_counts), 1)
        result["sql_ms_p50"] = round(percentile([t * 1000 for t in sql_times], 50), 2)
        result["sql_share"] = round(sum(sql_times) / sum(times), 3)
        top = sorted(by_statement.items(), key=lambda kv: kv[1][1], reverse=True)[:3]
        result["top_statements"] = [
            {
                "sql": sql,
                "per_request": round(count / len(times), 1),
                "ms_per_request": round(total * 1000 / len(times), 2),
            }
            for sql, (count, total) in top
        ]
    if op.raw is not None:
        times = []
        deadline = time.perf_counter() + args.max_seconds_per_op / 2
        with engine.connect() as conn:
            op.raw(conn)  # warm up
            for i in range(args.requests):
                started = time.perf_counter()
                op.raw(conn)
                times.append(time.perf_counter() - started)
                conn.rollback()
                if time.perf_counter() > deadline and i >= 19:
                    break
        result["raw"] = summarise(times)
    return result


def login(client) -> None:
    response = client.post(
        "/login", data={"email": REGISTRAR_EMAIL, "password": REGISTRAR_PASSWORD}
    )
    if response.status_code != 302:
        raise SystemExit(f"login failed: {response.status_code}")


# --------------------------------------------------------------------------- allocation


def reset_allocation_series(engine: sa.Engine) -> int:
    """Remove the cases of earlier allocation runs (bench data only) and zero the counter."""
    case, party, series = Case.__table__, CaseParty.__table__, Series.__table__
    counter = SeriesCounter.__table__
    with engine.begin() as conn:
        series_id = conn.execute(
            sa.select(series.c.id).where(series.c.code == ALLOCATION_SERIES)
        ).scalar_one()
        bench_cases = sa.select(case.c.id).where(case.c.series_id == series_id)
        conn.execute(party.delete().where(party.c.case_id.in_(bench_cases)))
        conn.execute(case.delete().where(case.c.series_id == series_id))
        conn.execute(counter.delete().where(counter.c.series_id == series_id))
    return series_id


def measure_allocation(app, writers: int, per_writer: int) -> dict:
    engine: sa.Engine = app.extensions["caseflow.engine"]
    series_id = reset_allocation_series(engine)
    settle(engine, "series_counter", "audit_head", "audit_event", "case_file")
    barrier = threading.Barrier(writers + 1)
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def writer(index: int) -> None:
        mine, failed = [], []
        with app.app_context():
            barrier.wait()
            for i in range(per_writer):
                session = new_session(engine, write=True)
                started = time.perf_counter()
                try:
                    open_case(
                        session,
                        series_code=ALLOCATION_SERIES,
                        title=f"Bänkprov: skrivare {index}, ärende {i}",
                        year=ALLOCATION_YEAR,
                    )
                    session.commit()
                    mine.append(time.perf_counter() - started)
                except Exception as exc:  # noqa: BLE001 - counted and reported
                    session.rollback()
                    failed.append(f"{type(exc).__name__}: {exc}"[:200])
                finally:
                    session.close()
        with lock:
            latencies.extend(mine)
            errors.extend(failed)

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(writers)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started

    case, counter = Case.__table__, SeriesCounter.__table__
    with engine.connect() as conn:
        seqs = list(
            conn.execute(
                sa.select(case.c.seq).where(
                    case.c.series_id == series_id, case.c.year == ALLOCATION_YEAR
                )
            ).scalars()
        )
        numbers = set(
            conn.execute(sa.select(case.c.number).where(case.c.series_id == series_id)).scalars()
        )
        last_number = conn.execute(
            sa.select(counter.c.last_number).where(
                counter.c.series_id == series_id, counter.c.year == ALLOCATION_YEAR
            )
        ).scalar()
    duplicates = len(seqs) - len(set(seqs)) + (len(seqs) - len(numbers))
    gaps = len(set(range(1, (max(seqs) if seqs else 0) + 1)) - set(seqs))
    ok = sorted(seqs) == list(range(1, len(latencies) + 1)) and last_number == len(latencies)
    return {
        "writers": writers,
        "attempted": writers * per_writer,
        "allocated": len(latencies),
        "errors": len(errors),
        "error_examples": sorted(set(errors))[:5],
        "seconds": round(elapsed, 3),
        "per_second": round(len(latencies) / elapsed, 1),
        "latency_p50_ms": round(percentile(latencies, 50) * 1000, 2) if latencies else None,
        "latency_p95_ms": round(percentile(latencies, 95) * 1000, 2) if latencies else None,
        "duplicates": duplicates,
        "gaps": gaps,
        "counter_last_number": last_number,
        "numbers_exactly_1_to_n": ok,
    }


# --------------------------------------------------------------------------- reporting


def print_table(backend: str, results: list[dict], allocation: dict | None) -> None:
    header = (
        f"{'operation':<32}{'n':>5}{'app p50':>9}{'app p95':>9}{'SQL/req':>8}{'SQL p50':>9}"
        f"{'raw p50':>9}{'raw p95':>9}{'target':>8}  ok"
    )
    print(f"\n{backend}: times in ms (app = Flask test client, server time in process)")
    print(header)
    print("-" * len(header))
    for r in results:
        app, raw = r.get("app"), r.get("raw")

        def cell(d, key, width=9):
            return f"{d[key]:>{width}.1f}" if d else " " * (width - 1) + "–"

        ok = ""
        if r["target_p95_ms"] is not None and app:
            ok = "✓" if app["p95_ms"] <= r["target_p95_ms"] else "✗"
        print(
            f"{r['name']:<32}{(app or raw)['n']:>5}{cell(app, 'p50_ms')}"
            f"{cell(app, 'p95_ms')}"
            f"{r['sql_per_request'] if app else '–':>8}"
            f"{r['sql_ms_p50'] if app else '–':>9}"
            f"{cell(raw, 'p50_ms')}{cell(raw, 'p95_ms')}"
            f"{r['target_p95_ms'] or '':>8}  {ok}"
        )
    print("\nraw floors:")
    for r in results:
        if r.get("raw_sql"):
            print(f"  {r['name']:<32}{r['raw_sql']}")
    print("\nslowest statement per page (ms per request, statements per request):")
    for r in results:
        if r.get("top_statements"):
            top = r["top_statements"][0]
            print(
                f"  {r['name']:<24}{top['ms_per_request']:>8.2f} ms ×{top['per_request']:<4} "
                f"{top['sql'][:110]}"
            )
    if allocation:
        a = allocation
        verdict = "no duplicates, no gaps" if a["numbers_exactly_1_to_n"] else "NUMBERS BROKEN"
        print(
            f"\nallocation: {a['writers']} writers, {a['allocated']}/{a['attempted']} numbers in "
            f"{a['seconds']} s = {a['per_second']} numbers/s "
            f"(target ≥ {TARGET_ALLOCATIONS_PER_S:.0f} on PostgreSQL); "
            f"per case p50 {a['latency_p50_ms']} ms, p95 {a['latency_p95_ms']} ms; "
            f"{a['errors']} errors; duplicates {a['duplicates']}, gaps {a['gaps']}: {verdict}"
        )
        for example in a["error_examples"]:
            print(f"  error: {example}")


def write_results(backend: str, entry: dict) -> None:
    RESULTS_FILE.parent.mkdir(parents=True, exist_ok=True)
    try:
        everything = json.loads(RESULTS_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        everything = {}
    everything[backend] = entry
    RESULTS_FILE.write_text(
        json.dumps(everything, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8"
    )


# --------------------------------------------------------------------------- main


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--docs-per-case", type=int, default=10, help="average")
    parser.add_argument("--officers", type=int, default=300)
    parser.add_argument("--requests", type=int, default=200, help="per measured operation")
    parser.add_argument(
        "--max-seconds-per-op",
        type=float,
        default=60,
        help="stop measuring an operation after this long (at least 20 requests)",
    )
    parser.add_argument("--writers", type=int, default=16)
    parser.add_argument("--allocations", type=int, default=100, help="per writer")
    parser.add_argument("--database-url", help="default: SQLite under bench/data/")
    parser.add_argument(
        "--keep", action="store_true", help="reuse data generated earlier with the same size"
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--skip-pages", action="store_true", help="measure allocation only")
    parser.add_argument("--skip-allocation", action="store_true")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    load, cpus = os.getloadavg()[0], os.cpu_count() or 1
    if load > cpus / 2:
        print(f"warning: load average {load:.1f} on {cpus} CPUs, other work will skew the times")
    url, sqlite_file = database_url(
        args.database_url, f"registry-{args.cases}x{args.docs_per_case}.sqlite"
    )
    probe = sa.create_engine(url)
    backend = probe.dialect.name
    reuse = args.keep and is_generated(probe, args)
    probe.dispose()
    start_afresh(url, sqlite_file, reuse=reuse)

    with tempfile.TemporaryDirectory(prefix="caseflow-bench-") as tmp:
        app = bench_app(url, tmp)
        engine: sa.Engine = app.extensions["caseflow.engine"]
        print(f"{backend}: {url}")
        if reuse:
            print(f"reusing the data generated earlier ({marker_name(args)})")
            generation = None
            settle(engine)
        else:
            print(f"generating {args.cases} cases, ~{args.cases * args.docs_per_case} documents")
            generation = generate(url, args, app)
            if backend == "postgresql":
                t0 = time.perf_counter()
                settle(engine)
                generation["vacuum_analyze_s"] = round(time.perf_counter() - t0, 1)
            print(
                f"generated in {generation['total_s']:.1f} s: {generation['cases']} cases, "
                f"{generation['parties']} counterparts, {generation['documents']} documents"
            )

        results = []
        if not args.skip_pages:
            rng = random.Random(args.seed)
            ops = build_ops(engine, rng, args.cases, app.config["CASES_PER_PAGE"])
            recorder = SqlRecorder(engine)
            with app.test_client() as client:
                login(client)
                for op in ops:
                    print(f"  measuring {op.name} …", flush=True)
                    results.append(measure_op(client, recorder, engine, op, args))
            recorder.close()

        allocation = None
        if not args.skip_allocation:
            print(f"  allocating with {args.writers} writers × {args.allocations} …", flush=True)
            allocation = measure_allocation(app, args.writers, args.allocations)
        engine.dispose()

    print_table(backend, results, allocation)
    print("load average (1, 5, 15 min): " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))
    entry = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": re.sub(r"//[^@/]*@", "//…@", url),
        "python": sys.version.split()[0],
        "sqlalchemy": sa.__version__,
        "machine": platform.platform(),
        "cpus": os.cpu_count(),
        "load_average_at_end": os.getloadavg(),
        "cases": args.cases,
        "docs_per_case": args.docs_per_case,
        "generation": generation,
        "database_bytes": sqlite_file.stat().st_size if sqlite_file else None,
        "operations": results,
        "allocation": allocation,
    }
    write_results(backend, entry)
    print(f"\nresults written to {RESULTS_FILE.relative_to(BENCH_DIR.parent)}")
    failed = [
        r["name"]
        for r in results
        if r["target_p95_ms"] and r.get("app") and r["app"]["p95_ms"] > r["target_p95_ms"]
    ]
    if allocation and not allocation["numbers_exactly_1_to_n"]:
        failed.append("allocation numbering")
    if allocation and allocation["errors"]:
        failed.append(f"allocation errors ({allocation['errors']})")
    if (
        allocation
        and backend == "postgresql"
        and allocation["per_second"] < TARGET_ALLOCATIONS_PER_S
    ):
        failed.append("allocation rate")
    if failed:
        print("targets missed: " + ", ".join(failed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
