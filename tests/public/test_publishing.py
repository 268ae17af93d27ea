"""Publishing a document's files on an instance whose configuration says nothing about it:
the admin gives the series the date from which it publishes files (the series form or the
CLI), the registrar then publishes, and the staff document page says in words why files
cannot be published, or why files marked published are not shown."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlmodel import select

from caseflow.cases.models import Series
from caseflow.cli import cli
from caseflow.common.models import AuditEvent
from caseflow.documents.corrections import correct_document
from caseflow.public.models import PublishedFile

SERIES_SAYS_NO = "Serien RS publicerar inte filer"
WHERE_TO_SET_IT = "Administration › Diarieserier"
NOT_SHOWN = "Filerna är markerade som publicerade men visas inte i det offentliga diariet."
PUBLISHED = "Filerna är publicerade i det offentliga diariet."


@pytest.fixture
def letter(make):
    """A public letter with a file in RS/1/2021, received 2021-11-01; nothing configured."""
    case = make.case("Ansökan om medfinansiering")
    return make.document(
        case, received_on=date(2021, 11, 1), files=[("ansokan.txt", b"Ansokan i sin helhet.")]
    )


def _series(make, code="RS") -> Series:
    series = make.fresh().exec(select(Series).where(Series.code == code)).one()
    make.fresh()  # end the read, so that the next request may write
    return series


def _file_url(doc) -> str:
    return f"/diarium/handling/{doc.id}/fil/{doc.files[0].id}"


def _staff_page(client, doc) -> str:
    response = client.get(f"/documents/{doc.id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _download(app, doc):
    """The public file as an anonymous visitor gets it (read whole, so the file is closed)."""
    with app.test_client().get(_file_url(doc)) as response:
        response.get_data()
    return response


def _publish(client, doc, publish="1"):
    return client.post(f"/diarium/hantera/handling/{doc.id}/filer", data={"publish": publish})


def _actions(make) -> list[str]:
    actions = [e.action for e in make.fresh().exec(select(AuditEvent).order_by(AuditEvent.id))]
    make.fresh()
    return actions


def _set_series_date(make, value, code="RS"):
    series = make.session.merge(_series(make, code))
    series.publish_files_from = value
    make.session.commit()


def test_on_a_fresh_instance_the_admin_sets_the_date_and_the_registrar_publishes(
    app, client, make, login, letter
):
    assert not app.config["PUBLIC_FILES_FROM"]  # a new instance configures nothing
    registrar, admin = make.user("registrar"), make.user("admin")
    login(registrar)
    page = _staff_page(client, letter)
    # The real reason, not "secret, or …": the document is public.
    assert SERIES_SAYS_NO in page and WHERE_TO_SET_IT in page
    assert "sekretessmarkerad" not in page and "Publicera filerna" not in page
    refused = _publish(client, letter)
    assert refused.status_code == 303
    assert SERIES_SAYS_NO in client.get(refused.headers["Location"]).get_data(as_text=True)
    assert make.fresh().get(PublishedFile, letter.id) is None
    make.fresh()
    client.post("/logout")

    login(admin)
    series = _series(make)
    assert "Publicerar filer från" in client.get(f"/admin/series/{series.id}").get_data(
        as_text=True
    )
    saved = client.post(
        f"/admin/series/{series.id}",
        data={"name": "Regionstyrelsen", "publish_files_from": "2021-01-01"},
    )
    assert saved.status_code == 302
    assert _series(make).publish_files_from == date(2021, 1, 1)
    assert "2021-01-01" in client.get("/admin/series/").get_data(as_text=True)
    assert "series.files_from" in _actions(make)
    client.post("/logout")

    login(registrar)
    assert "Publicera filerna" in _staff_page(client, letter)
    assert _publish(client, letter).status_code == 302
    assert PUBLISHED in _staff_page(client, letter)
    download = _download(app, letter)
    assert download.status_code == 200 and download.data == b"Ansokan i sin helhet."


def test_an_admin_adds_a_series_that_publishes_files_from_a_date(client, make, login):
    login(make.user("admin"))
    response = client.post(
        "/admin/series/",
        data={"code": "KS", "name": "Kommunstyrelsen", "publish_files_from": "2024-01-01"},
    )
    assert response.status_code == 302
    assert _series(make, "KS").publish_files_from == date(2024, 1, 1)


@pytest.mark.parametrize("typed", ["2021-13-01", "1 januari 2021", "2021-02-30"])
def test_the_series_form_refuses_a_bad_date_and_says_how_to_write_it(
    client, make, login, letter, typed
):
    login(make.user("admin"))
    series = _series(make)
    response = client.post(
        f"/admin/series/{series.id}", data={"name": "Nytt namn", "publish_files_from": typed}
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f"»{typed}« är inte ett datum" in page and "t.ex. 2021-01-01" in page
    unchanged = _series(make)
    assert (unchanged.name, unchanged.publish_files_from) == ("Regionstyrelsen", None)
    added = client.post(
        "/admin/series/",
        data={"code": "KS", "name": "Kommunstyrelsen", "publish_files_from": typed},
    )
    assert added.status_code == 422
    assert make.fresh().exec(select(Series).where(Series.code == "KS")).first() is None
    make.fresh()


def test_the_cli_sets_changes_and_clears_the_date(runner, make):
    added = runner.invoke(
        cli,
        ["series", "add", "--code", "KS", "--name", "Kommunstyrelsen"]
        + ["--publish-files-from", "2021-01-01", "--json"],
    )
    assert added.exit_code == 0, added.output
    assert json.loads(added.output)["publish_files_from"] == "2021-01-01"
    edited = runner.invoke(cli, ["series", "edit", "ks", "--publish-files-from", "2023-07-01"])
    assert edited.exit_code == 0, edited.output
    assert _series(make, "KS").publish_files_from == date(2023, 7, 1)
    assert _series(make, "KS").name == "Kommunstyrelsen"  # not given, not changed
    cleared = runner.invoke(cli, ["series", "edit", "KS", "--publish-files-from", "", "--json"])
    assert cleared.exit_code == 0, cleared.output
    assert json.loads(cleared.output)["publish_files_from"] is None
    assert _actions(make).count("series.files_from") == 2


def test_the_cli_refuses_a_bad_date_in_one_line_and_changes_nothing(runner, make):
    make.series("KS", "Kommunstyrelsen")
    result = runner.invoke(
        cli, ["series", "edit", "KS", "--name", "Annat", "--publish-files-from", "2021-02-30"]
    )
    assert result.exit_code == 2
    assert "»2021-02-30« är inte ett datum" in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert (_series(make, "KS").name, _series(make, "KS").publish_files_from) == (
        "Kommunstyrelsen",
        None,
    )
    added = runner.invoke(
        cli, ["series", "add", "--code", "HSN", "--name", "Nämnden", "--publish-files-from", "x"]
    )
    assert added.exit_code == 2 and "»x« är inte ett datum" in added.output
    assert make.fresh().exec(select(Series).where(Series.code == "HSN")).first() is None
    make.fresh()


@pytest.mark.parametrize(
    ("secrecy", "series_from", "reason"),
    [
        (
            {"is_secret": True, "secrecy_provision": "OSL 25 kap. 1 §"},
            date(2021, 1, 1),
            "Handlingen är sekretessmarkerad (OSL 25 kap. 1 §).",
        ),
        (
            {"title_is_secret": True, "secrecy_provision": "OSL 21 kap. 1 §"},
            date(2021, 1, 1),
            "Vad handlingen rör, eller dess motpart, är sekretessmarkerat (OSL 21 kap. 1 §).",
        ),
        ({}, None, SERIES_SAYS_NO),
        (
            {},
            date(2022, 1, 1),
            "Handlingen kom in eller upprättades 2021-11-01, före 2022-01-01, "
            "det datum från vilket serien RS publicerar filer.",
        ),
    ],
    ids=["secret", "title-secret", "series-publishes-none", "before-the-series-date"],
)
def test_the_page_says_why_files_cannot_be_published(
    client, make, login, secrecy, series_from, reason
):
    case = make.case("Ärende")
    doc = make.document(case, received_on=date(2021, 11, 1), files=[("a.txt", b"A")], **secrecy)
    _set_series_date(make, series_from)
    login(make.user("registrar"))
    page = _staff_page(client, doc)
    assert "Filerna kan inte publiceras." in page and reason in page
    assert "Publicera filerna" not in page
    assert (WHERE_TO_SET_IT in page) == (reason == SERIES_SAYS_NO)


@pytest.mark.parametrize("rule", ["secret", "series-date-removed"])
def test_files_marked_published_that_a_rule_keeps_in_are_not_said_to_be_published(
    app, client, make, login, letter, rule
):
    _set_series_date(make, date(2021, 1, 1))
    login(make.user("registrar"))
    assert _publish(client, letter).status_code == 302
    assert _download(app, letter).status_code == 200
    if rule == "secret":
        with app.app_context():
            session = make.fresh()
            correct_document(
                session,
                session.merge(letter),
                {"is_secret": True, "secrecy_provision": "OSL 25 kap. 1 §"},
                reason="Innehåller hälsouppgifter",
            )
            session.commit()
        expected = "Handlingen är sekretessmarkerad (OSL 25 kap. 1 §)."
    else:
        _set_series_date(make, None)
        expected = SERIES_SAYS_NO
    make.fresh()
    assert _download(app, letter).status_code == 404
    page = _staff_page(client, letter)
    assert PUBLISHED not in page
    assert NOT_SHOWN in page and expected in page
    assert "Sluta publicera filerna" in page
    assert _publish(client, letter, publish="0").status_code == 302
    assert make.fresh().get(PublishedFile, letter.id) is None
    make.fresh()
    page = _staff_page(client, letter)
    assert NOT_SHOWN not in page and "Sluta publicera filerna" not in page


def test_the_configuration_still_publishes_and_the_series_own_date_wins(
    app, client, make, login, letter
):
    app.config["PUBLIC_FILES_FROM"] = {"RS": "2021-01-01"}
    registrar, admin = make.user("registrar"), make.user("admin")
    login(registrar)
    assert "Publicera filerna" in _staff_page(client, letter)
    client.post("/logout")
    login(admin)
    series = _series(make)
    form = client.get(f"/admin/series/{series.id}").get_data(as_text=True)
    assert "PUBLIC_FILES_FROM" in form and "2021-01-01" in form
    client.post(
        f"/admin/series/{series.id}",
        data={"name": "Regionstyrelsen", "publish_files_from": "2022-01-01"},
    )
    client.post("/logout")
    login(registrar)
    page = _staff_page(client, letter)
    assert "före 2022-01-01" in page and "Publicera filerna" not in page
