"""The e-diarium's search form: what the URL asks for, read safely, and the hits linked
to the cases' public pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

from caseflow.cases.models import Series
from caseflow.meetings.models import Organ
from caseflow.public.queries import case_refs


@dataclass
class PublicQuery:
    """The search form as the URL gives it; bad values are left out, never an error (a
    date that cannot be read is named on the page)."""

    q: str = ""
    series: str = ""
    organ: int | None = None
    party: str = ""
    date_from: date | None = None
    date_to: date | None = None
    page: int = 1

    #: The date fields whose values could not be read (left out, and the page says so).
    unreadable: tuple[str, ...] = ()

    @classmethod
    def from_args(cls, args) -> PublicQuery:
        dates = {name: _date(args.get(name)) for name in ("date_from", "date_to")}
        return cls(
            q=(args.get("q") or "").strip()[:500],
            series=(args.get("series") or "").strip()[:20],
            organ=_int(args.get("organ")),
            party=(args.get("party") or "").strip()[:200],
            date_from=dates["date_from"],
            date_to=dates["date_to"],
            page=max(1, min(_int(args.get("page")) or 1, 1000)),
            unreadable=tuple(name for name, day in dates.items() if day is None and args.get(name)),
        )

    @property
    def is_empty(self) -> bool:
        return not (
            self.q or self.series or self.organ or self.party or self.date_from or self.date_to
        )

    def args(self, **changes) -> dict:
        """The query as URL parameters (empty ones left out), e.g. for the next page."""
        values = {
            "q": self.q,
            "series": self.series,
            "organ": self.organ,
            "party": self.party,
            "date_from": self.date_from.isoformat() if self.date_from else None,
            "date_to": self.date_to.isoformat() if self.date_to else None,
            "page": self.page if self.page > 1 else None,
        } | changes
        return {k: v for k, v in values.items() if v not in (None, "")}


def _int(value) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


def _date(value) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def search_query(session: Session, query: PublicQuery):
    """The search index's ``SearchQuery`` for the form. A body (organ) narrows to the
    series its cases are registered in; a party (an organisation) to entries whose public
    text names it (its words are added to the query's)."""
    from caseflow.search.query import SearchQuery

    series = query.series or None
    if query.organ is not None:
        organ = session.get(Organ, query.organ)
        found = session.get(Series, organ.series_id) if organ and organ.series_id else None
        series = found.code if found is not None else "-"  # no series: nothing to find
    return SearchQuery(
        text=f"{query.q} {query.party}".strip(),
        series=series,
        date_from=query.date_from,
        date_to=query.date_to,
        page=query.page,
        per_page=20,
    )


def run_search(session: Session, query: PublicQuery):
    """(results, the link values of each hit's case) for the form, or (None, {})."""
    if query.is_empty:
        return None, {}
    from caseflow.search.query import public_search

    results = public_search(session, search_query(session, query))
    case_ids = [h.target_id if h.kind == "case" else h.case_id for h in results.hits]
    return results, case_refs(session, case_ids)


def direct_case(session: Session, results) -> int | None:
    """The case a typed number names (a document number: its case), for a redirect."""
    direct = getattr(results, "direct", None)
    if direct is None:
        return None
    if direct.kind == "case":
        return direct.target_id
    from caseflow.documents.models import Document

    doc = session.get(Document, direct.target_id)
    return doc.case_id if doc is not None else None


def choices(session: Session) -> dict:
    """The series and bodies to narrow by."""
    series = session.exec(select(Series).order_by(Series.code)).all()
    organs = session.exec(select(Organ).where(Organ.is_active).order_by(Organ.name)).all()
    return {"series": series, "organs": organs}
