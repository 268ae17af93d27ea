"""What the e-diarium shows, read through the public projection only.

Every text of a case, a document or a party on the public pages comes from
:mod:`caseflow.common.projection` with ``Audience.PUBLIC``; these functions decide only
which rows are read, in which order, and which files may be downloaded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, selectinload
from sqlmodel import Session, select

from caseflow.cases.labels import STATUS_LABELS
from caseflow.cases.models import Case, CaseParty, Series
from caseflow.cases.series import files_published_from
from caseflow.common import projection
from caseflow.common.projection import Audience
from caseflow.common.timeutil import LOCAL_TZ
from caseflow.documents.forms import DIRECTION_LABELS
from caseflow.documents.models import Document, DocumentFile
from caseflow.parties.models import Party
from caseflow.public.models import PublishedFile

PUBLIC = Audience.PUBLIC


@dataclass(frozen=True)
class CaseRef:
    """What a link to a case's public page needs."""

    series: str
    seq: int
    year: int

    def url_values(self) -> dict:
        return {"series": self.series, "seq": self.seq, "year": self.year}


def case_ref(case: Case) -> CaseRef:
    return CaseRef(case.series.code, case.seq, case.year)


def case_refs(session: Session, case_ids) -> dict[int, CaseRef]:
    """The link values of many cases, in one query."""
    ids = {i for i in case_ids if i is not None}
    if not ids:
        return {}
    rows = session.exec(
        select(Case.id, Series.code, Case.seq, Case.year)
        .join(Series, Series.id == Case.series_id)
        .where(Case.id.in_(ids))
    ).all()
    return {row[0]: CaseRef(row[1], row[2], row[3]) for row in rows}


def find_case(session: Session, series: str, seq: int, year: int) -> Case | None:
    """The case RS/720/2021 by its parts, its series, unit and parties loaded."""
    return session.exec(
        select(Case)
        .join(Series, Series.id == Case.series_id)
        .where(Series.code == series.upper(), Case.seq == seq, Case.year == year)
        .options(
            joinedload(Case.series),
            joinedload(Case.unit),
            selectinload(Case.parties).joinedload(CaseParty.party).joinedload(Party.organisation),
        )
        .limit(1)
    ).first()


def case_status(case: Case) -> str:
    """The case's status in words (voided cases say so)."""
    if case.is_voided:
        return str(_l("Voided"))
    return str(STATUS_LABELS.get(case.status, case.status))


def public_case(case: Case) -> dict:
    """A case's public registration data."""
    return {
        "number": case.number,
        "title": projection.case_title(case, PUBLIC),
        "status": case_status(case),
        "is_voided": case.is_voided,
        "opened": case.opened_on,
        "closed": case.closed_on,
        "unit": case.unit.name if case.unit_id and case.unit else None,
        "parties": projection.case_parties(case, PUBLIC),
    }


def public_document(doc: Document, case: Case | None, *, published: bool = False) -> dict:
    """A document's public registration data; a voided entry shows only its number."""
    data = {
        "id": doc.id,
        "number": projection.document_number(doc, case),
        "date": doc.received_on,
        "registered": doc.registered_at.astimezone(LOCAL_TZ).date(),
        "direction": doc.direction,
        "direction_label": str(DIRECTION_LABELS.get(doc.direction, doc.direction)),
        "is_voided": doc.is_voided,
        "is_secret": bool(doc.is_secret or doc.title_is_secret),
        "title": None,
        "counterpart": None,
        "files": [],
    }
    if doc.is_voided:
        return data
    data["title"] = projection.document_title(doc, PUBLIC)
    data["counterpart"] = projection.document_counterpart(doc, PUBLIC, case)
    if published and files_publishable(doc, case):
        data["files"] = [
            {"id": f.id, "name": projection.file_name(doc, case, f, PUBLIC), "size": f.size}
            for f in current_files(doc)
        ]
    return data


def case_documents(session: Session, case: Case) -> list[dict]:
    """The case's documents in number order, as the public sees them."""
    docs = session.exec(
        select(Document)
        .where(Document.case_id == case.id)
        .order_by(Document.seq, Document.id)
        .options(selectinload(Document.party), selectinload(Document.files))
    ).all()
    published = published_ids(session, [d.id for d in docs])
    return [public_document(d, case, published=d.id in published) for d in docs]


# -- files ---------------------------------------------------------------------------------------


def published_ids(session: Session, document_ids) -> set[int]:
    ids = list(document_ids)
    if not ids:
        return set()
    query = select(PublishedFile.document_id).where(PublishedFile.document_id.in_(ids))
    return set(session.exec(query).all())


@dataclass(frozen=True)
class FilesWithheld:
    """Why a document's files are not (or may not be) published: ``voided``, ``secret``
    (the whole document), ``secret_details`` (its title or counterpart), ``series`` (the
    series publishes no files), ``before`` (the document is dated before the series' date)
    or ``no_case``."""

    reason: str
    provision: str | None = None
    series_code: str | None = None
    since: date | None = None
    dated: date | None = None


def files_withheld(doc: Document, case: Case | None) -> FilesWithheld | None:
    """None when the document's files may be published: a public, unvoided document of a
    case whose series publishes files from a date on or before the document's."""
    if case is None:
        return FilesWithheld("no_case")
    if doc.is_voided:
        return FilesWithheld("voided")
    if doc.is_secret:
        return FilesWithheld("secret", provision=doc.secrecy_provision)
    if doc.has_secrets:
        return FilesWithheld("secret_details", provision=doc.secrecy_provision)
    since = files_published_from(case.series)
    if since is None:
        return FilesWithheld("series", series_code=case.series.code)
    if doc.received_on < since:
        return FilesWithheld(
            "before", series_code=case.series.code, since=since, dated=doc.received_on
        )
    return None


def files_publishable(doc: Document, case: Case | None) -> bool:
    """Whether a document's files may be published at all (:func:`files_withheld`)."""
    return files_withheld(doc, case) is None


def current_files(doc: Document) -> list[DocumentFile]:
    """The document's files without those a newer version replaced."""
    replaced = {f.replaces_id for f in doc.files if f.replaces_id}
    return [f for f in doc.files if f.id not in replaced]


def published_file(session: Session, doc_id: int, file_id: int):
    """(document, case, file) when anyone may download it, else None."""
    doc = session.get(Document, doc_id)
    if doc is None or doc.case_id is None or not published_ids(session, [doc.id]):
        return None
    case = session.get(Case, doc.case_id)
    if not files_publishable(doc, case):
        return None
    item = next((f for f in current_files(doc) if f.id == file_id), None)
    return (doc, case, item) if item is not None else None


# -- the postlista -----------------------------------------------------------------------------


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """A local calendar day as an interval of moments."""
    start = datetime.combine(day, time(0), tzinfo=LOCAL_TZ)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=LOCAL_TZ)
    return start, end


def postlista(session: Session, day: date) -> list[dict]:
    """Every document registered in a case on ``day``, in the order registered."""
    start, end = day_bounds(day)
    docs = session.exec(
        select(Document)
        .where(
            Document.case_id.is_not(None),
            Document.registered_at >= start,
            Document.registered_at < end,
        )
        .order_by(Document.registered_at, Document.id)
        .options(selectinload(Document.party), selectinload(Document.files))
    ).all()
    cases = {
        c.id: c
        for c in session.exec(
            select(Case)
            .where(Case.id.in_({d.case_id for d in docs}))
            .options(selectinload(Case.series))
        )
    }
    published = published_ids(session, [d.id for d in docs])
    rows = []
    for doc in docs:
        case = cases[doc.case_id]
        row = public_document(doc, case, published=doc.id in published)
        row["case_number"] = case.number
        row["case_title"] = projection.case_title(case, PUBLIC)
        row["case"] = case_ref(case)
        rows.append(row)
    return rows


def neighbour_days(session: Session, day: date) -> tuple[date | None, date | None]:
    """The nearest earlier and later days with something registered in a case."""
    start, end = day_bounds(day)
    in_case = Document.case_id.is_not(None)
    before = session.exec(
        select(sa.func.max(Document.registered_at)).where(in_case, Document.registered_at < start)
    ).one()
    after = session.exec(
        select(sa.func.min(Document.registered_at)).where(in_case, Document.registered_at >= end)
    ).one()
    return _local_day(before), _local_day(after)


def _local_day(moment) -> date | None:
    return None if moment is None else moment.astimezone(LOCAL_TZ).date()
