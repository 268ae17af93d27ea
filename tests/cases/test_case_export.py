"""A registrar exports the case list as CSV or Excel: the same filter as the page, every
page of it, the titles and counterparts masked as the list masks them for the reader."""

from __future__ import annotations

from datetime import date, datetime

from tests.export_reading import csv_rows, export_events, xlsx_rows, xlsx_sheet

HEADINGS = ["Diarienummer", "Ärendemening", "Motparter", "Status", "Handläggare", "Öppnat",
            "Bevakas", "Makulerad"]  # fmt: skip
SECRET_TITLE = "Omplacering av Karin Lindqvist"


def _secret_case(make, officer):
    return make.case(
        SECRET_TITLE,
        officer=officer,
        title_is_secret=True,
        public_title="Personalärende",
        secrecy_provision="OSL 39 kap. 3 §",
        parties=[{"name": "Karin Lindqvist"}],
        parties_are_secret=True,
    )


def test_a_registrar_exports_the_filtered_list_with_every_page(make, app, client, login):
    app.config["CASES_PER_PAGE"] = 2  # the export is not one page of the list
    registrar = make.user("registrar")
    erik = make.user("official", name="Erik Noaksson")
    coworking = [
        make.case(
            f"Projekt coworking i Östersund {n}",
            officer=erik,
            due_on=date(2021, 12, 20),
            parties=[{"name": "Åsa Öberg", "organisation": "Länsstyrelsen Jämtlands län"}],
        )
        for n in range(3)
    ]
    make.case("Inbjudan att ingå i Myndighetsnätverket")
    make.case("Projekt coworking 2022", year=2022)
    login(registrar)

    rows = csv_rows(client.get("/cases/export.csv?q=coworking&year=2021&page=2"))
    assert rows[0] == HEADINGS
    # Newest first, as the list: the last opened case first.
    assert [r[0] for r in rows[1:]] == [c.number for c in reversed(coworking)]
    first = rows[1]
    assert first[1] == "Projekt coworking i Östersund 2"
    assert first[2] == "Åsa Öberg, Länsstyrelsen Jämtlands län"
    assert first[3:5] == ["Registrerat", "Erik Noaksson"]
    assert first[5] == coworking[2].opened_on.isoformat() and first[6] == "2021-12-20"
    assert first[7] == ""

    sheet = xlsx_sheet(client.get("/cases/export.xlsx?q=coworking&year=2021"))
    assert [c.value for c in sheet[1]] == HEADINGS
    opened, due = sheet["F2"], sheet["G2"]
    assert opened.is_date and opened.value == datetime.combine(
        coworking[2].opened_on, datetime.min.time()
    )
    assert due.is_date and due.value == datetime(2021, 12, 20)
    assert sheet.max_row == 4

    # Each export is an event: the page, its filter, the format and the count, no titles.
    events = export_events(make.fresh(), "case.export")
    filters = {"q_chars": 9, "year": "2021"}  # words searched for may be secret
    assert events == [
        {"page": "cases", "filters": filters, "format": "csv", "rows": 3},
        {"page": "cases", "filters": filters, "format": "xlsx", "rows": 3},
    ]


def test_an_official_gets_anothers_secret_case_masked_the_holder_in_full(make, client, login):
    owner = make.user("official")
    case = _secret_case(make, owner)
    login(make.user("official"))
    for response in (client.get("/cases/export.csv"), client.get("/cases/export.xlsx")):
        data = response.get_data()
        assert SECRET_TITLE.encode() not in data and b"Karin" not in data
    (row,) = csv_rows(client.get("/cases/export.csv"))[1:]
    assert row[:3] == [case.number, "Personalärende", "[Sekretess: OSL 39 kap. 3 §]"]
    assert xlsx_rows(client.get("/cases/export.xlsx"))[1][:3] == row[:3]
    # A search by the secret title finds nothing to export, as on the page.
    assert csv_rows(client.get("/cases/export.csv?q=Omplacering"))[1:] == []
    client.post("/logout")

    login(owner)
    (row,) = csv_rows(client.get("/cases/export.csv?q=Omplacering"))[1:]
    assert row[1:3] == [SECRET_TITLE, "Karin Lindqvist"]


def test_a_formula_in_a_title_stays_text(make, client, login):
    make.case('=HYPERLINK("http://evil.example/";"klicka")',
              parties=[{"organisation": "+46 Angripare AB", "name": "@anna"}])  # fmt: skip
    login(make.user("registrar"))
    (row,) = csv_rows(client.get("/cases/export.csv"))[1:]
    assert row[1] == '\'=HYPERLINK("http://evil.example/";"klicka")'
    assert row[2] == "'@anna, +46 Angripare AB"
    sheet = xlsx_sheet(client.get("/cases/export.xlsx"))
    assert sheet["B2"].data_type == "s" and sheet["B2"].quotePrefix
    assert sheet["B2"].value == '=HYPERLINK("http://evil.example/";"klicka")'


def test_too_many_rows_send_the_registrar_back_with_the_count(make, app, client, login):
    app.config["EXPORT_MAX_ROWS"] = 2
    for n in range(3):
        make.case(f"Ärende {n}")
    login(make.user("registrar"))
    response = client.get("/cases/export.xlsx?series=RS")
    assert response.status_code == 302 and response.location.endswith("/cases/?series=RS")
    page = client.get(response.location).get_data(as_text=True)
    assert "3 rader matchar, fler än de 2 en export får innehålla" in page
    assert export_events(make.fresh(), "case.export") == []  # nothing exported, nothing told


def test_the_export_is_for_those_who_see_the_list(make, client, login):
    make.case("Projekt coworking")
    assert client.get("/cases/export.csv").status_code == 302  # to the login page
    login(make.user("member"))
    assert client.get("/cases/export.csv").status_code == 403
    assert client.get("/cases/export.xlsx").status_code == 403
    client.post("/logout")
    login(make.user("official"))
    assert client.get("/cases/export.xlsx").status_code == 200
    assert client.get("/cases/export.pdf").status_code == 404  # no such format, no such case


def test_the_list_page_links_to_both_exports_with_its_filter(make, client, login):
    login(make.user("registrar"))
    page = client.get("/cases/?q=coworking&page=1").get_data(as_text=True)
    assert '<a href="/cases/export.csv?q=coworking" download>Exportera som CSV</a>' in page
    assert '<a href="/cases/export.xlsx?q=coworking" download>Exportera som Excel</a>' in page
    client.post("/language/en")
    assert "Export as Excel" in client.get("/cases/").get_data(as_text=True)
