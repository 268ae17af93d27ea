"""Benchmark: the XLSX writer of the export helper, XlsxWriter against openpyxl.

100,000 rows of a case list (number, title, counterparts, status, officer, two dates,
a date-time), written as XLSX by

- XlsxWriter in ``constant_memory`` mode, as ``caseflow.common.export.to_xlsx`` does,
- openpyxl in ``write_only`` mode (its streaming writer),
- and the helper's CSV, for comparison.

Each is run in a fresh child process, so the peak memory (ru_maxrss) is its own.

    .venv/bin/python bench/export.py [--rows 100000]

Prints a table and writes bench/results/export.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import subprocess
import sys
import time
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
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with app.test_request_context():
        started = time.perf_counter()
        if kind == "xlsxwriter":
            size = len(export.to_xlsx(table))
        elif kind == "csv":
            size = len(export.to_csv(table))
        else:
            size = len(_openpyxl(table))
        seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "writer": kind,
        "rows": n,
        "seconds": round(seconds, 2),
        "rows_per_second": round(n / seconds),
        "bytes": size,
        "peak_rss_mib_above_data": round((peak - base) / 1024, 1),
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.rows)))
        return
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
            f"{r['bytes'] / 2**20:>9.1f} {r['peak_rss_mib_above_data']:>9}"
        )
    out_path = ROOT / "bench" / "results" / "export.json"
    out_path.write_text(
        json.dumps({"machine": platform.platform(), "results": results}, indent=2) + "\n"
    )


if __name__ == "__main__":
    main()
