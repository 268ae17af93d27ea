"""Reading an export back the way a spreadsheet would: CSV with the csv module, XLSX with
openpyxl; and the audit events exports leave."""

from __future__ import annotations

import csv
import io
import json

import sqlalchemy as sa
from openpyxl import load_workbook

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def csv_rows(response) -> list[list[str]]:
    """The rows of a CSV export (headings first); checks it is what Swedish Excel reads."""
    assert response.status_code == 200, response.status_code
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    data = response.get_data()
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data[3:].decode("utf-8"), newline=""), delimiter=";"))


def xlsx_sheet(response):
    """The sheet of an XLSX export."""
    assert response.status_code == 200, response.status_code
    assert response.headers["Content-Type"] == XLSX_TYPE
    return load_workbook(io.BytesIO(response.get_data())).active


def xlsx_rows(response) -> list[list]:
    """The values of an XLSX export's rows (headings first)."""
    return [list(row) for row in xlsx_sheet(response).iter_rows(values_only=True)]


def export_events(session, action: str) -> list[dict]:
    """The ``after`` values of the audit events ``action``, oldest first."""
    rows = session.execute(
        sa.text("SELECT after FROM audit_event WHERE action = :a ORDER BY seq"), {"a": action}
    ).all()
    return [json.loads(row.after) for row in rows]
