"""The audit trail as Excel: the page's filter and masks, the export itself audited."""

from __future__ import annotations

from datetime import datetime

from tests.export_reading import csv_rows, export_events, xlsx_rows, xlsx_sheet

SECRET_TITLE = "Omplacering av Karin Lindqvist"


def test_a_registrar_exports_a_cases_trail_as_excel(make, client, login):
    case = make.case('=HYPERLINK("http://evil.example/";"klicka")')
    make.document(case, title="Ansökan från Östersund")
    make.case("Annat ärende")
    login(make.user("registrar"))
    sheet = xlsx_sheet(client.get(f"/audit/export.xlsx?case={case.number}"))
    assert [c.value for c in sheet[1]][:6] == ["Nr", "Tid", "Användare", "Händelse",
                                               "Händelsekod", "Diarienummer"]  # fmt: skip
    rows = xlsx_rows(client.get(f"/audit/export.xlsx?case={case.number}"))
    assert [r[4] for r in rows[1:]] == ["document.register", "case.open"]  # newest first
    assert isinstance(rows[1][0], int) and isinstance(rows[1][1], datetime)
    assert sheet["B2"].is_date and sheet["B2"].number_format == "yyyy-mm-dd hh:mm"
    assert "Östersund" in rows[1][8]
    # The CSV export has the same rows.
    assert [r[4] for r in csv_rows(client.get(f"/audit/export.csv?case={case.number}"))[1:]] == [
        "document.register",
        "case.open",
    ]
    assert export_events(make.fresh(), "audit.export")[0] == {
        "page": "audit",
        "filters": {"case": case.number},
        "format": "xlsx",
        "rows": 2,
    }


def test_an_admin_gets_the_secret_values_masked_in_excel(make, client, login):
    case = make.case(
        SECRET_TITLE,
        title_is_secret=True,
        public_title="Personalärende",
        secrecy_provision="OSL 39 kap. 3 §",
    )
    login(make.user("admin"))
    response = client.get(f"/audit/export.xlsx?case={case.number}")
    assert SECRET_TITLE.encode() not in response.get_data()
    (_head, opened) = xlsx_rows(response)
    assert opened[7] is None and opened[8] == "[Sekretess: OSL 39 kap. 3 §]"


def test_too_many_events_send_the_reader_back_with_the_count(make, app, client, login):
    app.config["EXPORT_MAX_ROWS"] = 1
    case = make.case("Projekt coworking")
    make.document(case)
    login(make.user("manager"))
    response = client.get(f"/audit/export.xlsx?case={case.number}")
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "2 rader matchar" in page and "Exportera som Excel" in page
    assert client.get("/audit/export.xlsx").status_code == 302  # logins and all: too many


def test_officials_may_not_export_the_trail(make, client, login):
    login(make.user("official"))
    assert client.get("/audit/export.xlsx").status_code == 403
