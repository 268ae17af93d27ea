"""The e-diarium's pages as an anonymous visitor meets them: no cookie, Swedish or English
by the URL, the postlista in three formats that agree, files only where published, and a
cache that never outlives a change."""

from __future__ import annotations

import csv
import io

from caseflow.cases.services import update_case
from caseflow.common.timeutil import today
from caseflow.documents.services import void_document
from tests.public.conftest import PRIVATE, case_url


def _get(client, url, **kwargs):
    with client.get(url, **kwargs) as response:
        response.get_data()  # a download streams its file until read
    assert "Set-Cookie" not in response.headers, (url, response.headers.getlist("Set-Cookie"))
    return response


def test_a_case_page_shows_its_public_registration_data(client, make, register):
    void_document(
        make.session, make.session.merge(register["unpublished"]), reason="Fel", case=None
    )
    make.session.commit()
    page = _get(client, case_url(register["case"])).get_data(as_text=True)
    assert "Registrerat" in page  # the status in words
    assert "Karin Handläggare, Vinnova" in page  # someone writing for an organisation
    assert "Privatperson" in page and PRIVATE["private_party"] not in page
    assert PRIVATE["private_sender"] not in page and PRIVATE["private_email"] not in page
    assert "[personnummer]" in page and "811218" not in page
    assert "Sekretessmarkerad (OSL 25 kap. 1 §)" in page and "Läkarutlåtande" not in page
    # The voided document keeps its number and says so, without its title.
    assert "RS/1/2021-2" in page and "Komplettering" not in page and "Makulerad" in page


def test_an_unknown_case_is_not_found(client, register):
    assert _get(client, "/diarium/arende/RS/999/2021").status_code == 404


def test_the_language_is_in_the_url_and_no_cookie_is_set(client, register):
    swedish = _get(client, case_url(register["case"])).get_data(as_text=True)
    english = _get(client, case_url(register["case"]) + "?lang=en").get_data(as_text=True)
    assert '<html lang="sv">' in swedish and "Handlingar" in swedish
    assert '<html lang="en">' in english and "Documents" in english
    assert "Private individual" in english
    # Links on the English page stay English.
    assert 'href="/diarium/postlista?lang=en"' in english
    # Nor does a page in English make the next page English.
    assert '<html lang="sv">' in _get(client, "/diarium/postlista").get_data(as_text=True)


def test_the_postlista_json_and_csv_hold_what_the_page_shows(client, register):
    day = today().isoformat()
    page = _get(client, f"/diarium/postlista?date={day}").get_data(as_text=True)
    data = _get(client, f"/diarium/postlista.json?date={day}").get_json()
    text = _get(client, f"/diarium/postlista.csv?date={day}").data.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert data["date"] == day and len(data["documents"]) == len(rows) == 5
    for doc, row in zip(data["documents"], rows, strict=True):
        assert row["number"] == doc["number"] and doc["number"] in page
        assert row["title"] == doc["title"] and doc["title"] in page
        assert row["counterpart"] == doc["counterpart"] and doc["counterpart"] in page
    assert {d["counterpart"] for d in data["documents"]} >= {"Privatperson", "Vinnova"}
    assert "811218" not in text and PRIVATE["private_party"] not in text


def test_the_postlista_browses_to_days_with_documents(client, make, register):
    make.document(register["case"], title="Tidigare handling")
    day = today().isoformat()
    empty = _get(client, "/diarium/postlista?date=2020-01-01").get_data(as_text=True)
    assert "Inget registrerades" in empty
    assert f'href="/diarium/postlista?date={day}"' in empty  # the next day with documents
    assert _get(client, "/diarium/postlista?date=not-a-date").status_code == 400


def test_a_published_file_downloads_and_others_are_not_found(client, register):
    from_org = register["from_org"]
    page = _get(client, case_url(register["case"])).get_data(as_text=True)
    url = f"/diarium/handling/{from_org.id}/fil/{from_org.files[0].id}"
    assert url in page
    download = _get(client, url)
    assert download.status_code == 200 and download.data == b"Yttrandet i sin helhet."
    for doc in (register["unpublished"], register["secret_published"]):
        assert _get(client, f"/diarium/handling/{doc.id}/fil/{doc.files[0].id}").status_code == 404
    # A series that does not publish files keeps even a marked one in.
    client.application.config["PUBLIC_FILES_FROM"] = {}
    assert _get(client, url).status_code == 404


def test_a_registrar_publishes_a_file_and_it_is_audited(app, client, make, login, register):
    from caseflow.common.audit import events_for_case

    doc = register["unpublished"]
    url = f"/diarium/handling/{doc.id}/fil/{doc.files[0].id}"
    assert client.get(url).status_code == 404
    login(make.user("registrar"))
    staff_page = client.get(f"/documents/{doc.id}").get_data(as_text=True)
    assert "Publicera filerna" in staff_page
    answer = client.post(f"/diarium/hantera/handling/{doc.id}/filer", data={"publish": "1"})
    assert answer.status_code == 302
    client.post("/logout")
    anonymous = app.test_client()
    assert _get(anonymous, url).data == b"Ej publicerad."
    actions = [e.action for e in events_for_case(make.fresh(), register["case"].id)]
    assert "document.files_published" in actions


def test_an_official_may_not_publish_files(client, make, login, register):
    login(make.user("official"))
    doc = register["unpublished"]
    answer = client.post(f"/diarium/hantera/handling/{doc.id}/filer", data={"publish": "1"})
    assert answer.status_code == 403


def test_a_page_is_revalidated_by_its_etag(client, register):
    first = _get(client, case_url(register["case"]))
    assert first.headers["Cache-Control"] == "public, no-cache"
    again = _get(
        client, case_url(register["case"]), headers={"If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304 and again.data == b""


def test_the_cache_never_serves_a_title_after_it_was_made_secret(app, client, make, register):
    case = register["case"]
    search_hit_title = "bostadsanpassning"
    assert search_hit_title in _get(client, case_url(case)).get_data(as_text=True)
    assert search_hit_title in _get(client, "/diarium/postlista").get_data(as_text=True)
    with app.app_context():
        update_case(
            make.session,
            make.session.merge(case),
            expected_version=case.version,
            reason="Sekretessprövad",
            title_is_secret=True,
            public_title="Ansökan om bidrag",
            secrecy_provision="OSL 26 kap. 1 §",
        )
        make.session.commit()
    for url in (case_url(case), "/diarium/postlista"):
        page = _get(client, url).get_data(as_text=True)
        assert search_hit_title not in page and "Ansökan om bidrag" in page


def test_robots_and_the_accessibility_statement(client, register):
    robots = _get(client, "/robots.txt").get_data(as_text=True)
    assert "Allow: /diarium/" in robots and "Disallow: /\n" in robots
    statement = _get(client, "/tillganglighet").get_data(as_text=True)
    assert "delvis förenlig" in statement  # the compliance status
    assert "Kända brister" in statement and "Senast granskad: 2026-12-03" in statement
    assert "anmal-bristande-tillganglighet" in statement  # DIGG's form
    assert "Accessibility statement" in _get(client, "/tillganglighet?lang=en").get_data(
        as_text=True
    )


def test_an_unchanged_page_comes_from_the_cache_until_anything_public_changes(
    app, client, make, register
):
    """A title changed behind caseflow's back (no session, no generation) is not seen:
    the page came from the cache. The next change through caseflow, even an ORM bulk
    UPDATE, raises the generation and the page is rendered again."""
    import sqlalchemy as sa

    from caseflow.cases.models import Case

    url = case_url(register["case"])
    assert "bostadsanpassning" in _get(client, url).get_data(as_text=True)
    with app.extensions["caseflow.engine"].begin() as connection:
        connection.execute(sa.text("UPDATE case_file SET title = 'Ändrad bakvägen'"))
    assert "bostadsanpassning" in _get(client, url).get_data(as_text=True)
    make.session.execute(
        sa.update(Case).where(Case.id == register["case"].id).values(status="closed")
    )
    make.session.commit()
    page = _get(client, url).get_data(as_text=True)
    assert "Ändrad bakvägen" in page and "Avslutat" in page


def test_a_public_page_never_sets_a_cookie_even_when_something_writes_the_session(
    app, client, make, login, register
):
    """Whatever a page or an extension puts into the session on a public page, no cookie
    is set: not for an anonymous visitor, and a staff member's login cookie stays as it
    was (they are still logged in afterwards)."""
    from flask import session

    view = app.view_functions["public.case"]

    def writes_the_session(*args, **kwargs):
        session["seen"] = True
        return view(*args, **kwargs)

    app.view_functions["public.case"] = writes_the_session
    app.config["PUBLIC_CACHE_ENTRIES"] = 0  # the view runs on every request
    url = case_url(register["case"])
    assert _get(client, url).status_code == 200
    login(make.user("registrar"))
    assert _get(client, url).status_code == 200
    assert client.get("/").status_code == 200  # still logged in: the cookie was kept


def test_an_address_that_names_nothing_answers_in_the_public_frame_until_logged_in(
    client, make, login, register
):
    """A mistyped link or a crawler's /favicon.ico: someone not logged in gets the public
    "not found" page (no cookie, English by the URL, a way to log in); staff the staff one."""
    page = _get(client, "/favicon.ico")
    assert page.status_code == 404 and "Sidan finns inte" in page.get_data(as_text=True)
    assert "Personal: logga in" in page.get_data(as_text=True)
    english = _get(client, "/no-such-page?lang=en").get_data(as_text=True)
    assert "The page does not exist" in english and "Search the register" in english
    login(make.user("registrar"))
    staff = client.get("/no-such-page")
    assert staff.status_code == 404 and "Tillbaka till översikten" in staff.get_data(as_text=True)


def test_a_connection_the_server_dropped_costs_no_visitor_an_error(app, client, register):
    """The generation is read on connections the pool does not ping: after PostgreSQL has
    ended them (a restart, an idle timeout), the next visitor still gets the page."""
    import pytest
    import sqlalchemy as sa

    engine = app.extensions["caseflow.engine"]
    if engine.dialect.name != "postgresql":
        pytest.skip("a server that ends connections is PostgreSQL's (SQLite has none)")
    url = case_url(register["case"])
    assert _get(client, url).status_code == 200
    with engine.connect() as connection:
        ended = connection.execute(
            sa.text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        ).scalar()
    assert ended >= 1
    assert _get(client, url).status_code == 200


def test_a_day_that_cannot_be_read_or_was_never_registered_is_said_in_words(client, register):
    """A hand-edited address: the postlista answers 400 in the public frame with what is
    wrong (JSON says it as JSON), never today's list in silence or an error of ours."""
    unreadable = _get(client, "/diarium/postlista?date=2026-13-45")
    assert unreadable.status_code == 400
    assert "kunde inte läsas: skriv det som ÅÅÅÅ-MM-DD" in unreadable.get_data(as_text=True)
    for far in ("0001-01-01", "9999-12-31"):
        for suffix in ("", ".csv"):
            answer = _get(client, f"/diarium/postlista{suffix}?date={far}")
            assert answer.status_code == 400, (far, suffix)
            assert "Välj en dag mellan 1900-01-01 och 2999-12-31." in answer.get_data(as_text=True)
    machine = _get(client, "/diarium/postlista.json?date=abc")
    assert machine.status_code == 400 and "abc" in machine.get_json()["error"]
    assert _get(client, "/diarium/postlista?date=1900-01-01").status_code == 200


def test_a_search_date_that_cannot_be_read_is_named_and_left_out(client, register):
    page = _get(client, "/diarium/?q=bostadsanpassning&date_from=2026-99-99").get_data(as_text=True)
    assert "Datumet i ”Från datum” kunde inte läsas och användes inte" in page
    assert "RS/1/2021" in page  # the search ran without it


def test_a_stale_session_cookie_gets_no_cookie_back_from_a_page_that_is_the_same_for_all(
    client,
):
    """Someone who opened the login page and left: a mistyped address answers in the
    public frame, cacheable by a shared cache, so it must not set their cookie again."""
    assert client.get("/login").headers.getlist("Set-Cookie")  # the session cookie
    for url in ("/nope", "/favicon.ico", "/anslagstavla/nope", "/diarium/nope"):
        answer = _get(client, url)
        assert answer.status_code == 404 and answer.headers["Cache-Control"].startswith("public")
