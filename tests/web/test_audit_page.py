"""The audit page: a registrar finds who did what in a case and when, pages through the
trail newest first and exports it; an admin reads it with the secrets masked; officials
see in a case's timeline only what they may."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime

import sqlalchemy as sa

from caseflow.common import audit
from tests.common.test_audit_chain import drop_guard
from tests.markers import fetch

SECRET_TITLE = "Omplacering av Karin Lindqvist"


def _codes(response) -> list[str]:
    """The event codes in the page's table, top to bottom."""
    body = response.get_data(as_text=True).split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r"<code>([a-z_.]+)</code>", body)


def _csv(response) -> list[list[str]]:
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")  # Excel reads the Swedish letters as UTF-8
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def test_a_registrar_filters_by_case_user_kind_and_date(make, client, login):
    registrar = make.user("registrar", name="Rut Registrator")
    erik = make.user("official", name="Erik Noaksson")
    target = make.case("Projekt coworking", officer=erik)
    make.case("Annat ärende")
    make.document(target, title="Ansökan")
    login(registrar)

    page = client.get(f"/audit/?case={target.number}").get_data(as_text=True)
    assert "Ärendet öppnades" in page and "Ansökan" in page
    assert "Annat ärende" not in page
    only_opened = client.get(f"/audit/?case={target.number}&kind=case.open")
    assert "Ansökan" not in only_opened.get_data(as_text=True)
    # Logging in is an event of the registrar's; nobody else did anything today.
    assert set(_codes(client.get(f"/audit/?user={registrar.id}"))) == {"user.login"}
    assert "Inga händelser" in client.get("/audit/?case=RS/999/2021").get_data(as_text=True)
    assert "Inga händelser" in client.get("/audit/?date_to=2020-12-31").get_data(as_text=True)


def test_the_date_range_is_the_local_calendar_day(make, client, login):
    """An event at 23:30 UTC on 31 December is on New Year's Day in Stockholm."""
    registrar = make.user("registrar")
    case = make.case("Årsskifte")
    drop_guard(make.session)  # place one event at a chosen moment (its link is not checked)
    make.session.execute(
        sa.text("UPDATE audit_event SET at = :at WHERE action = 'case.open'"),
        {"at": datetime(2025, 12, 31, 23, 30, tzinfo=UTC).replace(tzinfo=None)
         if make.session.get_bind().dialect.name == "sqlite"
         else datetime(2025, 12, 31, 23, 30, tzinfo=UTC)},
    )  # fmt: skip
    make.session.commit()
    login(registrar)
    new_year = client.get(f"/audit/?case={case.number}&date_from=2026-01-01&date_to=2026-01-01")
    assert _codes(new_year) == ["case.open"]
    old_year = client.get(f"/audit/?case={case.number}&date_from=2025-12-31&date_to=2025-12-31")
    assert _codes(old_year) == []


def test_pages_newest_first(make, client, login):
    for n in range(55):
        make.case(f"Ärende {n:02d}")
    login(make.user("manager"))
    first = client.get("/audit/?kind=case.open").get_data(as_text=True)
    assert "Sida 1 av 2" in first and "55 händelser" in first
    seqs = [int(s) for s in re.findall(r"<tr>\s*<td>(\d+)</td>", first)]
    assert len(seqs) == 50 and seqs == sorted(seqs, reverse=True)
    assert "Ärende 54" in first and "Ärende 04" not in first  # the newest case first
    second = client.get("/audit/?kind=case.open&page=2").get_data(as_text=True)
    assert len(re.findall(r"<tr>\s*<td>(\d+)</td>", second)) == 5


def test_the_csv_is_filtered_injection_safe_and_itself_audited(make, client, login):
    registrar = make.user("registrar")
    case = make.case('=HYPERLINK("http://evil.example/";"klicka")')
    make.document(case, title="+SUM(1;2)", counterpart="@Angripare")
    login(registrar)
    response = client.get(f"/audit/export.csv?case={case.number}")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    rows = _csv(response)
    assert rows[0][:4] == ["Nr", "Tid", "Användare", "Händelse"]
    assert [r[4] for r in rows[1:]] == ["document.register", "case.open"]  # newest first
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@")), cell
    # The export is recorded, with its filter.
    export = (
        make.fresh()
        .execute(sa.text("SELECT actor_id, after FROM audit_event WHERE action = 'audit.export'"))
        .one()
    )
    assert export.actor_id == registrar.id and case.number in export.after


def test_an_admin_reads_a_secret_case_masked_and_a_registrar_in_full(make, client, login):
    case = make.case(
        SECRET_TITLE,
        title_is_secret=True,
        public_title="Personalärende",
        secrecy_provision="OSL 39 kap. 3 §",
    )
    make.document(case, title="Läkarintyg", is_secret=True, secrecy_provision="OSL 25 kap. 1 §")
    login(make.user("admin"))
    page = client.get(f"/audit/?case={case.number}").get_data(as_text=True)
    csv_text = client.get(f"/audit/export.csv?case={case.number}").get_data(as_text=True)
    for text in (page, csv_text):
        assert SECRET_TITLE not in text and "Läkarintyg" not in text
        assert "[Sekretess: OSL 39 kap. 3 §]" in text or "[Sekretess: OSL 25 kap. 1 §]" in text
    client.post("/logout")
    login(make.user("registrar"))
    page = client.get(f"/audit/?case={case.number}").get_data(as_text=True)
    assert SECRET_TITLE in page and "Läkarintyg" in page


def test_an_official_sees_in_anothers_secret_case_no_reading_and_no_comment(make, client, login):
    owner = make.user("official")
    other = make.user("official")
    case = make.case(
        SECRET_TITLE,
        officer=owner,
        title_is_secret=True,
        public_title="Personalärende",
        secrecy_provision="OSL 39 kap. 3 §",
    )
    doc = make.document(
        case, title="Läkarintyg", is_secret=True, secrecy_provision="OSL 25 kap. 1 §",
        files=[("intyg.pdf", b"x")],
    )  # fmt: skip
    with make.app.app_context():
        audit.record(make.session, "case.transition.return", case, case=case,
                     after={"comment": f"Stryk namnet {SECRET_TITLE}"}, actor=owner)  # fmt: skip
        make.session.commit()
    login(owner)
    assert fetch(client, f"/documents/{doc.id}/files/{doc.files[0].id}").status_code == 200
    own = client.get(f"/cases/{case.number}").get_data(as_text=True)
    assert "Sekretessbelagd handling öppnades" in own and "Stryk namnet" in own
    client.post("/logout")
    login(other)
    theirs = client.get(f"/cases/{case.number}").get_data(as_text=True)
    assert "Ärendet öppnades" in theirs and "Handling registrerades" in theirs
    assert "Sekretessbelagd handling öppnades" not in theirs
    assert "Stryk namnet" not in theirs and SECRET_TITLE not in theirs
    on_document = client.get(f"/documents/{doc.id}").get_data(as_text=True)
    assert "Sekretessbelagd handling öppnades" not in on_document


def test_a_comment_in_a_case_without_secrets_is_shown_to_every_official(make, client, login):
    owner = make.user("official")
    case = make.case("Öppet ärende", officer=owner)
    with make.app.app_context():
        audit.record(make.session, "case.transition.return", case, case=case,
                     after={"comment": "Komplettera budgeten"}, actor=owner)  # fmt: skip
        make.session.commit()
    login(make.user("official"))
    assert "Komplettera budgeten" in client.get(f"/cases/{case.number}").get_data(as_text=True)


def test_a_kind_without_a_label_can_be_chosen_by_its_code(make, client, login):
    # A kind no module has labelled yet (a later module's, or an old one's) is still listed.
    case = make.case("Projekt coworking")
    audit.record(make.session, "case.unlabelled_kind", case, case=case)
    make.session.commit()
    login(make.user("registrar"))
    page = client.get("/audit/").get_data(as_text=True)
    assert '<option value="case.unlabelled_kind">case.unlabelled_kind</option>' in page
    assert set(_codes(client.get("/audit/?kind=case.unlabelled_kind"))) == {"case.unlabelled_kind"}


def test_bad_filter_values_give_the_page_with_the_error_never_a_500(make, client, login):
    login(make.user("admin"))
    for query in ("date_from=igår", "page=0", "user=abc", "case=inte-ett-nummer", "page="):
        response = client.get(f"/audit/?{query}")
        assert response.status_code == 200, query
    assert "Inga händelser" in client.get("/audit/?case=inte-ett-nummer").get_data(as_text=True)
