"""The register of decision bodies: a body with its members is set up by an admin or on the
command line, and a meeting's chair and attesters are chosen among the members serving on
the meeting's day."""

import json
from datetime import date, timedelta

from sqlmodel import func, select

from caseflow.cli import cli
from caseflow.common.timeutil import today
from caseflow.meetings.models import Meeting, Organ, OrganMember


def _count(make, model) -> int:
    result = make.fresh().exec(select(func.count()).select_from(model)).one()
    make.fresh()  # end the read, so that the next request may write
    return result


def _organ_id(make, name="Regionstyrelsen") -> int:
    organ_id = make.fresh().exec(select(Organ.id).where(Organ.name == name)).one()
    make.fresh()
    return organ_id


# --- the register on the command line ---------------------------------------------------


def test_a_body_is_added_with_its_series_and_members(runner, make):
    make.series("RS", "Regionstyrelsen")
    result = runner.invoke(
        cli, ["organ", "add", "--name", "Regionstyrelsen", "--short-name", "RS", "--series", "rs"]
        + ["--json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {
        "name": "Regionstyrelsen",
        "short_name": "RS",
        "series": "RS",
        "chair_title": "Ordförande",
        "is_active": True,
    }
    result = runner.invoke(
        cli, ["organ", "member-add", "rs", "--name", "Anna Ordförande", "--role", "chair"]
        + ["--from", "2023-01-01", "--to", "2026-12-31", "--affiliation", "S", "--json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    member = json.loads(result.output)
    assert (member["name"], member["role"], member["term_from"], member["term_to"]) == (
        "Anna Ordförande",
        "chair",
        "2023-01-01",
        "2026-12-31",
    )
    runner.invoke(
        cli, ["organ", "member-add", "Regionstyrelsen", "--name", "Bertil Justerare"]
        + ["--role", "member", "--from", "2023-01-01"],
    )  # fmt: skip
    listed = json.loads(runner.invoke(cli, ["organ", "list", "--members", "--json"]).output)
    (organ,) = listed
    assert [(m["name"], m["role"]) for m in organ["members"]] == [
        ("Anna Ordförande", "chair"),  # the chair first
        ("Bertil Justerare", "member"),
    ]
    assert "members" not in json.loads(runner.invoke(cli, ["organ", "list", "--json"]).output)[0]


def test_the_same_body_in_another_letter_case_is_refused(runner, make):
    assert runner.invoke(cli, ["organ", "add", "--name", "Regionstyrelsen"]).exit_code == 0
    result = runner.invoke(cli, ["organ", "add", "--name", "REGIONSTYRELSEN"])
    assert result.exit_code == 2 and len(result.output.strip().splitlines()) == 1
    # A short name that is another body's name is just as ambiguous.
    result = runner.invoke(
        cli, ["organ", "add", "--name", "Nämnden", "--short-name", "regionstyrelsen"]
    )
    assert result.exit_code == 2
    assert _count(make, Organ) == 1


def test_a_body_with_an_unknown_series_is_refused_and_nothing_written(runner, make):
    result = runner.invoke(cli, ["organ", "add", "--name", "Regionstyrelsen", "--series", "XY"])
    assert result.exit_code == 2 and "XY" in result.output
    assert _count(make, Organ) == 0


def test_a_member_with_bad_dates_or_no_body_is_refused_and_nothing_written(runner, make):
    make.organ("Regionstyrelsen", members=[])
    for args, says in [
        (["Regionstyrelsen", "--from", "1 januari 2023"], "--from"),
        (
            ["Regionstyrelsen", "--from", "2023-01-01", "--to", "2022-12-31"],
            "sluta innan det börjar",
        ),
        (["Kulturnämnden", "--from", "2023-01-01"], "Kulturnämnden"),
    ]:
        result = runner.invoke(
            cli, ["organ", "member-add", *args[:1], "--name", "Anna", "--role", "chair", *args[1:]]
        )
        assert result.exit_code == 2, (args, result.output)
        assert says in result.output and len(result.output.strip().splitlines()) == 1
    assert _count(make, OrganMember) == 0


# --- the register on the admin pages -------------------------------------------------------


def test_an_admin_adds_a_body_and_a_member_on_the_pages(make, client, login):
    make.series("RS", "Regionstyrelsen")
    login(make.user("admin"))
    response = client.post(
        "/admin/bodies/",
        data={"name": "Regionstyrelsen", "short_name": "RS", "series": "RS", "chair_title": ""},
    )
    assert response.status_code == 302
    organ_id = _organ_id(make)
    assert response.headers["Location"].endswith(f"/admin/bodies/{organ_id}")
    member = {"member-name": "Anna Ordförande", "member-role": "chair"}
    member["member-term_from"] = "2023-01-01"
    bad = client.post(
        f"/admin/bodies/{organ_id}/members", data={**member, "member-term_to": "2022-01-01"}
    )
    assert bad.status_code == 422 and _count(make, OrganMember) == 0
    page = bad.get_data(as_text=True)
    assert "Uppdraget kan inte sluta innan det börjar" in page
    # The body's own form on the same page still shows the body, not blanks.
    name_input = page.split('id="name"', 1)[1].split(">", 1)[0]
    assert 'value="Regionstyrelsen"' in name_input
    good = client.post(f"/admin/bodies/{organ_id}/members", data=member)
    assert good.status_code == 302
    page = client.get(f"/admin/bodies/{organ_id}").get_data(as_text=True)
    assert "Anna Ordförande" in page
    organ = make.fresh().get(Organ, organ_id)
    assert (organ.short_name, organ.chair_title) == ("RS", "Ordförande")


# --- a new meeting's chair and attesters ----------------------------------------------------


def _board(make, *, leaving_on=None):
    """Regionstyrelsen: a chair, two members (one leaving on ``leaving_on``), a former member
    and a secretary."""
    organ = make.organ("Regionstyrelsen")  # Anna chair, Bertil and David members, Cecilia secretary
    from caseflow.meetings.organs import add_member

    with make.app.app_context():
        organ = make.session.merge(organ)
        add_member(
            make.session, organ, name="Gunnel Avgången", role="member",
            term_from=date(2019, 1, 1), term_to=date(2022, 12, 31),
        )  # fmt: skip
        if leaving_on:
            add_member(
                make.session, organ, name="Lars Lämnar", role="member",
                term_from=date(2023, 1, 1), term_to=leaving_on,
            )  # fmt: skip
        make.session.commit()
    return _organ_id(make)


def _plan(client, organ_id, day, *, chair="Anna Ordförande", attesters=("Bertil Justerare",)):
    return client.post(
        "/meetings/new",
        data={
            "organ": organ_id,
            "starts_at": f"{day.isoformat()}T09:00",
            "place": "Regionens hus, Östersund",
            "chair": chair,
            "secretary": "Cecilia Sekreterare",
            "attesters": list(attesters),
        },
    )


def test_the_new_meeting_form_offers_the_members_serving_today(make, client, login):
    organ_id = _board(make)
    login(make.user("manager"))
    response = client.get(f"/meetings/new?organ={organ_id}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert '<option selected value="Anna Ordförande">' in page  # the chair comes chosen
    assert 'value="Bertil Justerare"' in page and 'value="David Ledamot"' in page
    assert "Gunnel Avgången" not in page  # her term is over
    assert 'value="Cecilia Sekreterare" type="checkbox"' not in page  # the secretary is no attester
    assert 'value="Cecilia Sekreterare"' in page  # … but is filled in as secretary


def test_a_meeting_is_created_with_members_of_the_body(make, client, login):
    organ_id = _board(make)
    login(make.user("manager"))
    day = today() + timedelta(days=14)
    response = _plan(client, organ_id, day, attesters=("Bertil Justerare", "David Ledamot"))
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    meeting = make.fresh().exec(select(Meeting)).one()
    assert meeting.chair == "Anna Ordförande"
    assert meeting.attesters.splitlines() == ["Bertil Justerare", "David Ledamot"]


def test_a_meetings_attester_must_be_a_member_of_the_body(make, client, login):
    organ_id = _board(make)
    login(make.user("manager"))
    day = today() + timedelta(days=14)
    for attesters in (["Okänd Person"], ["Gunnel Avgången"], ["Bertil Justerare", "Okänd"]):
        assert _plan(client, organ_id, day, attesters=attesters).status_code == 422
    assert _plan(client, organ_id, day, chair="Okänd Person").status_code == 422
    assert _count(make, Meeting) == 0


def test_an_attester_whose_term_ends_before_the_meeting_is_refused(make, client, login):
    organ_id = _board(make, leaving_on=today() + timedelta(days=7))
    login(make.user("manager"))
    day = today() + timedelta(days=14)
    response = _plan(client, organ_id, day, attesters=["Lars Lämnar"])  # serving today, not then
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f"Lars Lämnar är inte ledamot i Regionstyrelsen den {day.isoformat()}" in page
    assert _count(make, Meeting) == 0
    # For a meeting within his term he may attest.
    assert (
        _plan(client, organ_id, today() + timedelta(days=3), attesters=["Lars Lämnar"]).status_code
        == 302
    )


def test_a_body_without_serving_members_cannot_meet(make, client, login):
    make.organ("Kulturnämnden", members=[])
    organ_id = _organ_id(make, "Kulturnämnden")
    login(make.user("manager"))
    page = client.get(f"/meetings/new?organ={organ_id}").get_data(as_text=True)
    assert "Kulturnämnden har inga ledamöter för den här eller en kommande mandatperiod" in page
    response = _plan(client, organ_id, today() + timedelta(days=14))
    assert response.status_code == 422
    assert _count(make, Meeting) == 0


def test_a_typo_cannot_create_a_new_body(make, client, login):
    _board(make)
    login(make.user("manager"))
    response = _plan(client, 999, today() + timedelta(days=14))
    assert response.status_code == 302 and response.headers["Location"].endswith("/meetings/")
    assert _count(make, Organ) == 1 and _count(make, Meeting) == 0


def test_the_first_meeting_of_a_new_term_is_planned_with_the_new_members(make, client, login):
    """In December the board of the new term, serving from January, is chosen for January's
    meeting; the service then checks the meeting's own day."""
    from caseflow.meetings.organs import add_member

    new_term = today() + timedelta(days=10)
    organ = make.organ("Regionstyrelsen")
    with make.app.app_context():
        add_member(
            make.session, make.session.merge(organ), name="Nina Nyvald", role="member",
            term_from=new_term,
        )  # fmt: skip
        make.session.commit()
    organ_id = _organ_id(make)
    login(make.user("manager"))
    page = client.get(f"/meetings/new?organ={organ_id}").get_data(as_text=True)
    assert 'value="Nina Nyvald"' in page
    assert '<option selected value="Anna Ordförande">' in page
    # Before her term begins she cannot attest …
    early = _plan(client, organ_id, new_term - timedelta(days=1), attesters=["Nina Nyvald"])
    assert early.status_code == 422
    assert f"Nina Nyvald är inte ledamot i Regionstyrelsen den {new_term - timedelta(days=1)}" in (
        early.get_data(as_text=True)
    )
    # … from its first day she can.
    assert _plan(client, organ_id, new_term, attesters=["Nina Nyvald"]).status_code == 302
