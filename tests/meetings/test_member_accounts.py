"""The board's secretary gives Regionstyrelsen's chair an account from the register; she
chooses her password through the one-time link and sees her board's meetings, nothing else."""

import re

import pytest
from sqlmodel import select

from caseflow.auth.models import User
from caseflow.common.errors import ValidationError
from caseflow.meetings.member_accounts import create_member_account
from caseflow.meetings.models import OrganMember

BOARD = [
    ("Anna Ordförande", "chair", "anna.ordforande@politik.regionjh.se", "S"),
    ("Bertil Justerare", "member", None, "M"),
    ("Cecilia Sekreterare", "secretary", None, None),
]
NEW_PASSWORD = "blåbärssylt ovanpå fjällbjörk"


def _row(make, organ, name) -> OrganMember:
    return make.session.exec(
        select(OrganMember).where(OrganMember.organ_id == organ.id, OrganMember.name == name)
    ).one()


def test_the_secretary_makes_the_chair_an_account_from_the_register(make, app, client, login):
    organ = make.session.merge(make.organ("Regionstyrelsen", members=BOARD))
    case = make.case(
        "Regional handlingsplan för elektrifiering",
        title_is_secret=True,
        public_title="Ärende om upphandling",
        secrecy_provision="OSL 31 kap. 16 §",
    )
    meeting = make.meeting_with(case)
    anna = _row(make, organ, "Anna Ordförande")
    login(make.user("manager", name="Hans Svensson"))
    response = client.post(
        f"/admin/bodies/{organ.id}/members/{anna.id}/account", data={"account-email": ""}
    )
    assert response.status_code == 200
    link = re.search(r'value="(http://[^"]+/auth/set-password/[^"]+)"', response.text).group(1)
    account = make.fresh().exec(select(User).where(User.email == anna.email)).one()
    assert account.role == "member" and account.name == "Anna Ordförande"
    assert make.session.merge(anna).user_id == account.id

    client.post("/logout")
    path = link.split("localhost", 1)[-1]
    response = client.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    login(account, NEW_PASSWORD)
    home = client.get("/").text
    assert "Protokoll som väntar på din justering" in home
    assert f"/meetings/{meeting.id}" in home
    page = client.get(f"/meetings/{meeting.id}").text
    # Secrets as for anyone who does not hold them: the public title, no link to the case.
    assert "Ärende om upphandling" in page and "elektrifiering" not in page
    assert f'href="/cases/{case.number}"' not in page
    assert client.get("/cases/").status_code == 403
    assert client.get(f"/cases/{case.number}").status_code == 403


def test_a_member_of_two_bodies_keeps_one_account(make, app):
    rs = make.session.merge(make.organ("Regionstyrelsen", members=BOARD))
    hsn = make.session.merge(
        make.organ(
            "Hälso- och sjukvårdsnämnden",
            members=[("Anna Ordförande", "member", "anna.ordforande@politik.regionjh.se", "S")],
        )
    )
    with app.app_context():
        first, token = create_member_account(
            make.session, _row(make, rs, "Anna Ordförande"), email=None, link_hours=24
        )
        second, no_token = create_member_account(
            make.session, _row(make, hsn, "Anna Ordförande"), email=None, link_hours=24
        )
    assert token and no_token is None and first.id == second.id


def test_a_staff_login_or_no_address_is_refused(make, app):
    organ = make.session.merge(make.organ("Regionstyrelsen", members=BOARD))
    staff = make.user("official", email="bertil.justerare@regionjh.se")
    with app.app_context():
        with pytest.raises(ValidationError, match="e-postadressen"):
            create_member_account(
                make.session, _row(make, organ, "Bertil Justerare"), email=None, link_hours=24
            )
        with pytest.raises(ValidationError, match="anställd"):
            create_member_account(
                make.session,
                _row(make, organ, "Bertil Justerare"),
                email=staff.email,
                link_hours=24,
            )


def test_a_member_asked_to_attest_stays_in_the_register(make, app):
    from caseflow.meetings.justering_models import MeetingSignature
    from caseflow.meetings.organs import remove_member

    meeting = make.session.merge(make.meeting_with())
    bertil = _row(make, meeting.organ, "Bertil Justerare")
    make.session.add(MeetingSignature(meeting_id=meeting.id, member_id=bertil.id, name=bertil.name))
    make.session.commit()
    with app.app_context(), pytest.raises(ValidationError, match="ombedd|justera"):
        remove_member(make.session, bertil)
