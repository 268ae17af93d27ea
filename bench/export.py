"""Benchmark: the XLSX writer of the export helper, XlsxWriter against openpyxl.

100,000 rows of a case list (number, title, counterparts, status, officer, two dates,
a date-time), written as XLSX by

- XlsxWriter in ``constant_memory`` mode, as ``caseflow.common.export.to_xlsx`` does,
- openpyxl in ``write_only`` mode (its streaming writer),
- and the helper's CSV, for comparison.

Each runs in a fresh child process; the memory figure is the most the writer had
allocated at once (tracemalloc, in a second, untimed run), the rows themselves excluded.

With ``--pages N``, also the whole export of the case list as a registrar and as an
official (who sees one case in ten masked), through the in-process test client, on N
generated cases: the query, the projection per row, the file and the audit event.

    .venv/bin/python bench/export.py [--rows 100000] [--pages 100000]

Prints a table and writes bench/results/export.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import time
import tracemalloc
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HEADINGS = ["Diarienummer", "Ärendemening", "Motpart", "Status", "Handläggare",
            "Öppnat", "Bevakas", "Registrerat"]  # fmt: skip


def rows(n: int):
    start = date(2021, 1, 1)
    at = datetime(2021, 1, 1, 8, tzinfo=UTC)
    return [
        [
            f"RS/{i + 1}/2021",
            f"Projekt Test av coworking och hybridarbete inom Samverket i Östersund {i}",
            "Länsstyrelsen Jämtlands län; Vinnova",
            "Under beredning",
            "Erik Noaksson",
            start + timedelta(days=i % 365),
            None if i % 3 else start + timedelta(days=i % 365 + 30),
            at + timedelta(minutes=i),
        ]
        for i in range(n)
    ]


def run_one(kind: str, n: int) -> dict:
    from flask import Flask

    from caseflow.common import export

    data = rows(n)
    table = export.Table(HEADINGS, data, sheet="Ärenden")
    app = Flask(__name__)  # the writers need no more of caseflow than the helper
    writers = {
        "xlsxwriter": export.to_xlsx,
        "openpyxl": _openpyxl,
        "csv": export.to_csv,
    }
    write = writers[kind]
    with app.test_request_context():
        started = time.perf_counter()
        size = len(write(table))
        seconds = time.perf_counter() - started
        # Again under tracemalloc (slower, not timed): the most the writer held at once.
        tracemalloc.start()
        write(table)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return {
        "writer": kind,
        "rows": n,
        "seconds": round(seconds, 2),
        "rows_per_second": round(n / seconds),
        "bytes": size,
        "peak_mib_allocated": round(peak / 2**20, 1),
    }


def _openpyxl(table) -> bytes:
    import io

    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    from caseflow.common.export import _local, is_formula_like

    book = Workbook(write_only=True)
    sheet = book.create_sheet(table.sheet)
    bold = Font(bold=True)
    heading = []
    for title in table.headings:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        heading.append(cell)
    sheet.append(heading)
    for row in table.rows:
        out = []
        for value in row:
            if isinstance(value, datetime):
                cell = WriteOnlyCell(sheet, value=_local(value).replace(tzinfo=None))
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(value, date):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = "yyyy-mm-dd"
            else:
                cell = WriteOnlyCell(sheet, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"  # openpyxl makes "=…" a formula otherwise
                    cell.quotePrefix = is_formula_like(value)
            out.append(cell)
        sheet.append(out)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _generate(engine, n_cases: int) -> None:
    """``n_cases`` cases of 2021 in RS with one counterpart each, one in ten with a secret
    title and secret parties, officers among 300 officials (SQLAlchemy Core, quickly)."""
    import sqlalchemy as sa

    from caseflow.auth.models import User
    from caseflow.cases.models import Case, CaseParty, Series

    with engine.begin() as conn:
        series_id = conn.execute(
            sa.insert(Series.__table__).values(code="RS", name="Regionstyrelsen", is_active=True)
        ).inserted_primary_key[0]
        conn.execute(
            sa.insert(User.__table__),
            [{"email": f"handlaggare{i}@regionjh.se", "name": f"Handläggare {i}",
              "role": "official", "is_enabled": True} for i in range(300)],
        )  # fmt: skip
        officers = [r.id for r in conn.execute(sa.select(User.__table__.c.id))]
        for start in range(0, n_cases, 10_000):
            batch = range(start, min(start + 10_000, n_cases))
            rows = [_case(i, series_id, officers[i % 300]) for i in batch]
            conn.execute(sa.insert(Case.__table__), rows)
        case_ids = [r.id for r in conn.execute(sa.select(Case.__table__.c.id))]
        conn.execute(
            sa.insert(CaseParty.__table__),
            [{"case_id": cid, "name": "Åsa Öberg", "organisation": "Länsstyrelsen Jämtlands län"}
             for cid in case_ids],
        )  # fmt: skip


def _case(i: int, series_id: int, officer_id: int) -> dict:
    secret = i % 10 == 0
    return {
        "series_id": series_id,
        "year": 2021,
        "seq": i + 1,
        "number": f"RS/{i + 1}/2021",
        "title": f"Projekt coworking och hybridarbete i Östersund {i}",
        "title_is_secret": secret,
        "public_title": "Personalärende",
        "secrecy_provision": "OSL 39 kap. 3 §",
        "parties_are_secret": secret,
        "description_is_secret": False,
        "status": "closed" if i % 4 else "registered",
        "officer_id": officer_id,
        "opened_on": date(2021, 1, 1) + timedelta(i % 365),
        "document_counter": 0,
        "created_at": datetime(2021, 1, 1, tzinfo=UTC),
        "updated_at": datetime(2021, 1, 1, tzinfo=UTC),
        "version": 1,
    }


def measure_pages(n_cases: int) -> list[dict]:
    """The case list's export end to end on ``n_cases`` generated cases (SQLite)."""
    import tempfile

    from caseflow import create_app
    from caseflow.auth.services import create_user
    from caseflow.db import new_session
    from caseflow.migrate import upgrade

    results = []
    with tempfile.TemporaryDirectory(prefix="caseflow-bench-export-") as tmp:
        url = f"sqlite:///{tmp}/export.sqlite"
        upgrade(url)
        app = create_app(
            {"SECRET_KEY": "bench", "DATABASE_URL": url, "FILES_DIR": f"{tmp}/files",
             "WTF_CSRF_ENABLED": False, "SESSION_COOKIE_SECURE": False, "TESTING": True,
             "EXPORT_MAX_ROWS": max(n_cases, 100_000)},
            instance_path=tmp,
        )  # fmt: skip
        engine = app.extensions["caseflow.engine"]
        _generate(engine, n_cases)
        with app.app_context():
            session = new_session(engine)
            for role in ("registrar", "official"):
                create_user(session, email=f"{role}@regionjh.se", name=role, role=role,
                            password="bench-export-password-1")  # fmt: skip
            session.commit()
            session.close()
        for role in ("registrar", "official"):
            client = app.test_client()
            client.post("/login", data={"email": f"{role}@regionjh.se",
                                        "password": "bench-export-password-1"})  # fmt: skip
            for fmt in ("csv", "xlsx"):
                for query in ("", "?status=registered"):
                    started = time.perf_counter()
                    response = client.get(f"/cases/export.{fmt}{query}")
                    body = response.get_data()
                    seconds = time.perf_counter() - started
                    assert response.status_code == 200, response.status_code
                    results.append(
                        {"as": role, "export": f"/cases/export.{fmt}{query}",
                         "seconds": round(seconds, 2), "bytes": len(body)}
                    )  # fmt: skip
        engine.dispose()
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--pages", type=int, default=0, help="cases for the end-to-end run")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.rows)))
        return
    pages = measure_pages(args.pages) if args.pages else []
    for p in pages:
        print(f"{p['as']:<10} {p['export']:<32} {p['seconds']:>6} s  {p['bytes'] / 2**20:.1f} MiB")
    results = []
    for kind in ("xlsxwriter", "openpyxl", "csv"):
        out = subprocess.run(  # a child each: its own peak memory
            [sys.executable, __file__, "--one", kind, "--rows", str(args.rows)],
            check=True,
            capture_output=True,
            text=True,
        )
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    print(f"{'writer':<12} {'rows':>8} {'s':>7} {'rows/s':>9} {'MiB file':>9} {'MiB peak':>9}")
    for r in results:
        print(
            f"{r['writer']:<12} {r['rows']:>8} {r['seconds']:>7} {r['rows_per_second']:>9} "
            f"{r['bytes'] / 2**20:>9.1f} {r['peak_mib_allocated']:>9}"
        )
    out_path = ROOT / "bench" / "results" / "export.json"
    out_path.write_text(
        json.dumps({"machine": platform.platform(), "results": results, "pages": pages}, indent=2)
        + "\n"
    )


if __name__ == "__main__":
    main()
