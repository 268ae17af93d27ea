"""Many cases at once, for the tests of the capped count."""

from __future__ import annotations

from datetime import date


def many_cases(make, count: int, title: str = "Ärende om vägunderhåll") -> None:
    """``count`` cases with the same title, written straight to the register and indexed in
    one go (the index's own rebuild): quicker than opening each through the service."""
    from caseflow.cases.models import Case
    from caseflow.search.sync import reindex

    series = make.series("RS")
    for n in range(1, count + 1):
        make.session.add(
            Case(series_id=series.id, year=2020, seq=n, number=f"RS/{n}/2020",
                 title=title, opened_on=date(2020, 1, 1))
        )  # fmt: skip
    make.session.commit()
    reindex(make.session)
    make.session.commit()
