"""The pages a registrar and an official use every day."""

import io
import re
from datetime import date

from sqlmodel import select

from caseflow.cases.models import Case
from caseflow.documents.models import Document


def text(response):
    return response.get_data(as_text=True)


def test_the_ui_speaks_swedish_and_switches_to_english(make, client, login):
    login(make.user("registrar"))
    page = text(client.get("/"))
    assert "Översikt" in page and 'lang="sv"' in page
    client.post("/language/en", data={"next": "/"})
    page = text(client.get("/"))
    assert "Overview" in page and 'lang="en"' in page


def test_dashboard_shows_my_cases_counts_and_overdue(make, client, login):
    erik = make.user("official", name="Erik Noaksson")
    make.case("Mitt ärende", officer=erik, due_on=date(2021, 1, 1))
    make.case("Någon annans ärende")
    login(erik)
    page = text(client.get("/"))
    mine = page.split('id="mine-h"')[1].split("</section>")[0]
    assert "Mitt ärende" in mine and "Någon annans" not in mine
    overdue = page.split('id="overdue-h"')[1].split("</section>")[0]
    assert "RS/1/2021" in overdue
    assert re.search(r"Registrerat</a></td><td class=\"num\">2<", page)


def test_a_registrar_opens_a_case_through_the_form(make, client, login):
    make.series("RS")
    erik = make.user("official", name="Erik Noaksson", unit="Näringsliv")
    login(make.user("registrar"))
    response = client.post(
        "/cases/new",
        data={
            "series": "RS",
            "title": "Projekt Test av coworking och hybridarbete",
            "officer_id": str(erik.id),
            "party_organisation": "Vinnova",
            "party_email": "registrator@vinnova.se",
        },
    )
    assert response.status_code == 302
    number = response.headers["Location"].removeprefix("/cases/")
    page = text(client.get(f"/cases/{number}"))
    assert "Projekt Test av coworking" in page and "Erik Noaksson" in page and "Vinnova" in page
    assert "Ärendet öppnades" in page  # the timeline


def test_the_case_form_reports_what_is_missing(make, client, login):
    make.series("RS")
    login(make.user("registrar"))
    response = client.post("/cases/new", data={"series": "RS", "title": ""})
    assert response.status_code == 422
    assert 'aria-invalid="true"' in text(response)
    assert make.session.exec(select(Case)).all() == []


def test_registering_an_incoming_document_with_files(make, client, login):
    case = make.case()
    login(make.user("registrar"))
    response = client.post(
        f"/documents/new?case={case.number}",
        data={
            "direction": "incoming",
            "received_on": "2021-03-19",
            "counterpart": "Länsstyrelsen Jämtlands län",
            "counterpart_email": "susanna.lofgren@lansstyrelsen.se",
            "title": "Inbjudan att ingå i Myndighetsnätverket",
            "files": [
                (io.BytesIO(b"inbjudan"), "Inbjudan nätverket.pdf"),
                (io.BytesIO(b"bilaga"), "Bilaga 1.docx"),
            ],
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    page = text(client.get(f"/cases/{case.number}"))
    assert "RS/1/2021-1" in page and "Inbjudan nätverket.pdf" in page and "Bilaga 1.docx" in page
    doc = make.session.exec(select(Document)).one()
    with client.get(f"/documents/{doc.id}/files/{doc.files[0].id}") as download:
        assert download.data == b"inbjudan"
        assert "attachment" in download.headers["Content-Disposition"]
        assert "Inbjudan%20n%C3%A4tverket.pdf" in download.headers["Content-Disposition"]


def test_a_document_without_the_registration_facts_is_not_registered(make, client, login):
    case = make.case()
    login(make.user("registrar"))
    response = client.post(
        f"/documents/new?case={case.number}",
        data={"direction": "incoming", "received_on": "2021-03-19"},
    )
    assert response.status_code == 422
    assert make.session.exec(select(Document)).all() == []


def test_a_form_that_comes_back_asks_for_its_files_again(make, client, login):
    """A browser does not keep the files chosen: the registrar is told to choose them again."""
    case = make.case()
    login(make.user("registrar"))
    response = client.post(
        f"/documents/new?case={case.number}",
        data={
            "direction": "incoming",
            "received_on": "2021-03-19",
            "files": [(io.BytesIO(b"inbjudan"), "Inbjudan nätverket.pdf")],
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "Välj filerna igen (Inbjudan nätverket.pdf)" in text(response)


def test_an_edit_based_on_an_old_version_is_refused_with_a_clear_message(make, client, login):
    case = make.case("Ursprunglig")
    login(make.user("registrar"))
    form = {"title": "Karins ändring", "officer_id": "0", "version": "1", "reason": "Stavfel"}
    assert client.post(f"/cases/{case.number}/edit", data=form).status_code == 302
    stale = client.post(f"/cases/{case.number}/edit", data=form | {"title": "Lenas ändring"})
    assert stale.status_code == 409
    assert "ändrats av någon annan" in text(stale)
    make.session.expire_all()
    assert make.session.get(Case, case.id).title == "Karins ändring"


def test_voiding_from_the_case_page(make, client, login):
    case = make.case()
    doc = make.document(case)
    login(make.user("registrar"))
    voided_doc = client.post(f"/documents/{doc.id}/void", data={"reason": "Fel ärende"})
    voided_case = client.post(f"/cases/{case.number}/void", data={"reason": "Dubbelregistrering"})
    assert voided_doc.status_code == voided_case.status_code == 302
    session = make.fresh()
    assert session.get(Document, doc.id).void_reason == "Fel ärende"
    assert session.get(Case, case.id).voided_at is not None
    page = text(client.get(f"/cases/{case.number}"))
    assert "Dubbelregistrering" in page and "Fel ärende" in page
    listing = text(client.get("/cases/"))
    assert case.number in listing and "Makulerad" in listing


def test_list_filters_search_and_pages(make, client, login):
    make.series("RS")
    for n in range(1, 61):
        make.session.add(
            Case(
                series_id=1,
                year=2021,
                seq=n,
                number=f"RS/{n}/2021",
                title=f"Ärende nummer {n}",
                opened_on=date(2021, 1, 1),
            )
        )
    make.session.commit()
    login(make.user("registrar"))
    first = text(client.get("/cases/"))
    assert "60 ärenden" in first and 'rel="next"' in first
    second = text(client.get("/cases/?page=2"))
    assert "RS/1/2021" in second and 'rel="prev"' in second
    found = text(client.get("/cases/?q=RS/7/2021"))
    # RS/17, RS/27 … RS/57 exist too: a whole number finds only its own case.
    assert "1 ärende" in found and ">RS/7/2021<" in found
    assert ">RS/17/2021<" not in found and ">RS/57/2021<" not in found
    assert "1 ärende" in text(client.get("/cases/?q=nummer 42"))


def test_user_text_is_shown_as_written_never_executed(make, client, login):
    case = make.case(
        "{{ 7*7 }} <script>alert(1)</script>", parties=[{"organisation": "Ett & Två <AB>"}]
    )
    login(make.user("registrar"))
    page = text(client.get(f"/cases/{case.number}"))
    # Were the title ever evaluated, "49 <script…" would appear where it is shown.
    assert "{{ 7*7 }} &lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "49 &lt;script" not in page and "49 <script" not in page
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page and "Ett &amp; Två &lt;AB&gt;" in page


def test_unfiled_documents_are_connected_to_a_case(make, client, login):
    loose = make.document(None, title="Inbjudan", counterpart="Länsstyrelsen")
    case = make.case()
    login(make.user("registrar"))
    assert "Inbjudan" in text(client.get("/documents/loose"))
    response = client.post(f"/documents/{loose.id}/connect", data={"number": "rs/1/2021"})
    assert response.headers["Location"] == f"/cases/{case.number}"
    assert "RS/1/2021-1" in text(client.get(f"/cases/{case.number}"))


def test_an_admin_adds_a_user(make, client, login):
    login(make.user("admin"))
    response = client.post(
        "/admin/users/new",
        data={
            "email": "emma.borg@regionjh.se",
            "name": "Emma Borg",
            "role": "registrar",
            "password": "ett långt lösenord",
            "is_enabled": "y",
        },
    )
    assert response.status_code == 302
    assert "Emma Borg" in text(client.get("/admin/users/"))


def test_static_assets_are_local(client):
    page = text(client.get("/login"))
    assert "http://" not in page and "https://" not in page
    with client.get("/static/style.css") as css:
        assert css.status_code == 200


def _undecided_on_dashboard(client, monkeypatch, day):
    monkeypatch.setattr("caseflow.cases.queries.today", lambda: day)
    page = text(client.get("/"))
    return page.split('id="undecided-h"')[1].split("</section>")[0]


def test_the_dashboard_flags_cases_undecided_for_six_months(make, client, login, monkeypatch):
    make.case("Gammalt obeslutat ärende", opened_on=date(2021, 3, 19))
    make.case("Nytt ärende", opened_on=date(2021, 9, 1))
    login(make.user("registrar"))
    # Opened 19 March: the six months end 19 September, a decision that day is in time.
    section = _undecided_on_dashboard(client, monkeypatch, date(2021, 9, 19))
    assert "Gammalt obeslutat ärende" not in section and "Nytt ärende" not in section
    section = _undecided_on_dashboard(client, monkeypatch, date(2021, 9, 20))
    assert "Gammalt obeslutat ärende" in section and "Nytt ärende" not in section


def test_the_dashboard_and_the_digest_flag_the_same_cases(make, app, client, login, monkeypatch):
    from caseflow.reminders.digest import digest_lines

    erik = make.user("official", name="Erik Noaksson")
    make.case("Öppnat sista augusti", officer=erik, opened_on=date(2021, 8, 31))
    make.case("Öppnat första september", officer=erik, opened_on=date(2021, 9, 1))
    login(make.user("registrar"))
    # 31 August + 6 months is 28 February 2022 (no 31st); flagged from 1 March, not before.
    for day, flagged in [
        (date(2022, 2, 28), set()),
        (date(2022, 3, 1), {"RS/1/2021"}),
        (date(2022, 3, 2), {"RS/1/2021", "RS/2/2021"}),
    ]:
        section = _undecided_on_dashboard(client, monkeypatch, day)
        on_dashboard = {n for n in ("RS/1/2021", "RS/2/2021") if n in section}
        with app.app_context():
            lines = digest_lines(make.fresh(), erik, day)
        in_digest = {n for n in ("RS/1/2021", "RS/2/2021") for line in lines if n in line}
        assert on_dashboard == flagged, day
        assert in_digest == flagged, day
