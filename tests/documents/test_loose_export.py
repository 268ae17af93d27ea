"""A registrar exports löpande post, every unfiled document, as CSV or Excel."""

from __future__ import annotations

from datetime import date, datetime

from tests.export_reading import csv_rows, export_events, xlsx_sheet

HEADINGS = [
    "Registrerat",
    "Riktning",
    "Avsändare eller mottagare",
    "Vad handlingen rör",
    "Typ av handling",
    "Handlingens datum",
    "Registreringstidpunkt",
    "Makulerad",
]


def test_a_registrar_exports_every_unfiled_document(make, client, login):
    case = make.case("Projekt coworking")
    make.document(case, title="Ansökan i ärendet")  # filed: not löpande post
    older = make.document(
        None, title="Inbjudan till Myndighetsnätverket", counterpart="Länsstyrelsen Jämtlands län",
        received_on=date(2021, 10, 4), kind="Inbjudan", document_date=date(2021, 10, 1),
    )  # fmt: skip
    make.document(
        None, title="-Läkarintyg", counterpart="@Doktor Åström", title_is_secret=True,
        secrecy_provision="OSL 25 kap. 1 §", direction="outgoing",
    )  # fmt: skip
    registrar = make.user("registrar")
    login(registrar)

    rows = csv_rows(client.get("/documents/loose/export.csv"))
    assert rows[0] == HEADINGS
    assert len(rows) == 3
    newest, oldest = rows[1], rows[2]
    # The registrar holds the secrets of löpande post: the title as registered, made text.
    assert newest[1:4] == ["Utgående", "'@Doktor Åström", "'-Läkarintyg"]
    assert oldest[:6] == [
        "2021-10-04",
        "Inkommande",
        "Länsstyrelsen Jämtlands län",
        "Inbjudan till Myndighetsnätverket",
        "Inbjudan",
        "2021-10-01",
    ]
    assert oldest[6][:10] == older.registered_at.date().isoformat()

    sheet = xlsx_sheet(client.get("/documents/loose/export.xlsx"))
    assert [c.value for c in sheet[1]] == HEADINGS
    assert sheet["A3"].is_date and sheet["A3"].value == datetime(2021, 10, 4)
    assert sheet["G3"].is_date and isinstance(sheet["G3"].value, datetime)
    assert sheet["D2"].value == "-Läkarintyg" and sheet["D2"].quotePrefix

    assert export_events(make.fresh(), "document.loose_export") == [
        {"page": "loose_documents", "filters": {}, "format": "csv", "rows": 2},
        {"page": "loose_documents", "filters": {}, "format": "xlsx", "rows": 2},
    ]


def test_only_those_who_keep_the_register_export_it(make, client, login):
    make.document(None, title="Inbjudan")
    for role in ("official", "manager", "admin"):
        login(make.user(role))
        assert client.get("/documents/loose/export.csv").status_code == 403, role
        assert client.get("/documents/loose/export.xlsx").status_code == 403, role
        client.post("/logout")
    login(make.user("registrar"))
    page = client.get("/documents/loose").get_data(as_text=True)
    assert 'href="/documents/loose/export.xlsx" download>Exportera som Excel</a>' in page


def test_too_many_unfiled_documents_are_refused_with_the_count(make, app, client, login):
    app.config["EXPORT_MAX_ROWS"] = 1
    make.document(None, title="Inbjudan")
    make.document(None, title="Faktura")
    login(make.user("registrar"))
    response = client.get("/documents/loose/export.csv")
    assert response.status_code == 302 and response.location.endswith("/documents/loose")
    page = client.get(response.location).get_data(as_text=True)
    assert "2 rader matchar, fler än de 1 en export får innehålla" in page
