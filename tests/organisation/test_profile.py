"""The organisation profile: what an admin saves is printed on documents, e-mail and pages;
before the first save the configured name is shown and nothing is stored."""

import io
import json

from docx import Document as Docx
from sqlmodel import func, select

from caseflow.cli import cli
from caseflow.common.models import AuditEvent
from caseflow.organisation.models import OrganisationProfile
from caseflow.organisation.services import profile_snapshot
from tests.meetings.conftest import approved, smtp  # noqa: F401 - fixtures for the e-mail story
from tests.memos.conftest import coworking, drafted  # noqa: F401 - fixtures for the memo story

#: Region Jämtland Härjedalen's organisationsnummer: its last digit is the Luhn check digit.
REGION_NUMBER = "232100-0214"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def _stored_profiles(make) -> int:
    make.fresh()
    return make.session.exec(select(func.count()).select_from(OrganisationProfile)).one()


def _save(client, **values):
    data = {"name": "Region Jämtland Härjedalen", **values}
    return client.post("/admin/organisation", data=data, content_type="multipart/form-data")


def _admin(make, login):
    admin = make.user("admin")
    login(admin)
    return admin


def test_before_any_save_the_configured_name_is_shown_and_nothing_stored(make, client, login, app):
    app.config.update(ORGANISATION_NAME="Region Testland", ORGANISATION_ADDRESS="Box 1, 111 11 By")
    _admin(make, login)
    page = client.get("/admin/organisation").get_data(as_text=True)
    assert 'value="Region Testland"' in page  # the form starts from the configured name
    assert "Box 1, 111 11 By" in page
    assert "Region Testland" in client.get("/cases/").get_data(as_text=True)  # the header
    with app.app_context():
        assert profile_snapshot(make.fresh()).name == "Region Testland"
    assert client.get("/organisation/logo").status_code == 404
    assert _stored_profiles(make) == 0


def test_an_admin_saves_the_profile_and_the_number_is_written_in_one_form(make, client, login):
    _admin(make, login)
    response = _save(
        client,
        name="  Region Jämtland Härjedalen ",
        org_number="2321000214",  # typed without the hyphen
        postal_address="Box 654\n831 27 Östersund",
        email="region@regionjh.se",
    )
    assert response.status_code == 302
    profile = make.fresh().get(OrganisationProfile, 1)
    assert profile.name == "Region Jämtland Härjedalen"
    assert profile.org_number == REGION_NUMBER
    assert profile.email == "region@regionjh.se"
    event = make.session.exec(
        select(AuditEvent).where(AuditEvent.action == "organisation.update")
    ).one()
    assert REGION_NUMBER in event.after


def test_a_bad_organisation_number_is_refused_and_nothing_is_saved(make, client, login):
    _admin(make, login)
    response = _save(client, org_number="232100-0215")  # wrong check digit
    assert response.status_code == 422
    assert "inte ett giltigt organisationsnummer" in response.get_data(as_text=True)
    assert _stored_profiles(make) == 0
    # Once a profile is saved, a bad number in a later change leaves all of it as it was.
    assert _save(client, org_number=REGION_NUMBER).status_code == 302
    response = _save(client, name="Nytt namn", org_number="12345")
    assert response.status_code == 422
    profile = make.fresh().get(OrganisationProfile, 1)
    assert (profile.name, profile.org_number) == ("Region Jämtland Härjedalen", REGION_NUMBER)


def test_the_logo_is_checked_by_its_bytes_and_shown_in_the_header(make, client, login):
    _admin(make, login)
    # A text file named .png is not an image, whatever its name says.
    response = _save(client, logo=(io.BytesIO(b"GIF89a not a png"), "logo.png"))
    assert response.status_code == 422
    assert "PNG- eller JPEG-bild" in response.get_data(as_text=True)
    assert _stored_profiles(make) == 0

    assert _save(client, logo=(io.BytesIO(JPEG), "logo.bin")).status_code == 302
    served = client.get("/organisation/logo")
    assert served.status_code == 200
    assert served.headers["Content-Type"] == "image/jpeg" and served.data == JPEG
    assert 'src="/organisation/logo"' in client.get("/cases/").get_data(as_text=True)
    # Saving again without a file keeps the logo; "remove" takes it away.
    assert _save(client).status_code == 302
    assert client.get("/organisation/logo").data == JPEG
    assert _save(client, remove_logo="y").status_code == 302
    assert client.get("/organisation/logo").status_code == 404


def test_cli_shows_and_sets_the_profile(runner, make, tmp_path, app):
    app.config.update(ORGANISATION_NAME="Region Testland")
    shown = runner.invoke(cli, ["organisation", "show", "--json"])
    assert json.loads(shown.output)["name"] == "Region Testland"
    logo = tmp_path / "logo.png"
    logo.write_bytes(PNG)
    result = runner.invoke(
        cli,
        ["organisation", "set", "--name", "Region Jämtland Härjedalen"]
        + ["--org-number", "2321000214", "--logo", str(logo), "--json"],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["name"] == "Region Jämtland Härjedalen"
    assert data["org_number"] == REGION_NUMBER and data["has_logo"] is True
    # Options left out keep their value.
    result = runner.invoke(cli, ["organisation", "set", "--phone", "063-14 60 00", "--json"])
    data = json.loads(result.output)
    assert (data["name"], data["org_number"]) == ("Region Jämtland Härjedalen", REGION_NUMBER)
    assert data["phone"] == "063-14 60 00" and data["has_logo"] is True


def test_cli_refuses_a_bad_number_in_one_line_and_stores_nothing(runner, make):
    result = runner.invoke(
        cli, ["organisation", "set", "--name", "Region X", "--org-number", "232100-0215"]
    )
    assert result.exit_code == 2
    assert "232100-0215" in result.output and len(result.output.strip().splitlines()) == 1
    assert _stored_profiles(make) == 0


def test_cli_refuses_a_logo_that_is_not_an_image_or_too_big(runner, make, tmp_path):
    fake = tmp_path / "logo.png"
    fake.write_bytes(b"<svg xmlns='http://www.w3.org/2000/svg'/>")
    result = runner.invoke(cli, ["organisation", "set", "--name", "Region X", "--logo", str(fake)])
    assert result.exit_code == 2 and "PNG- eller JPEG-bild" in result.output
    big = tmp_path / "stor.png"
    big.write_bytes(PNG + b"\x00" * (512 * 1024))  # a real PNG header, one file too many kB
    result = runner.invoke(cli, ["organisation", "set", "--name", "Region X", "--logo", str(big)])
    assert result.exit_code == 2 and "högst 512 kB" in result.output
    assert _stored_profiles(make) == 0


# --- the name where the authority shows itself ------------------------------------------


def _rename(client, make, login, name):
    _admin(make, login)
    response = _save(client, name=name, postal_address="Storgatan 1, 831 30 Östersund")
    assert response.status_code == 302
    assert client.post("/logout").status_code == 302


def test_a_renamed_authority_heads_new_memos_and_every_page(make, app, client, login, drafted):  # noqa: F811
    from tests.memos.test_memo_document import _generate, docx_text

    _rename(client, make, login, "Region Nyland")
    case, erik, _hans = drafted
    _item, content = _generate(make, app, case, erik)
    assert "Region Nyland" in docx_text(content)
    header = "\n".join(
        p.text
        for section in Docx(io.BytesIO(content)).sections
        for p in section.header.paragraphs + section.footer.paragraphs
    )
    assert "Region Nyland" in header and "Storgatan 1, 831 30 Östersund" in header
    assert "Region Jämtland Härjedalen" not in header
    login(erik)
    response = client.get(f"/cases/{case.number}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert '<span class="org">Region Nyland</span>' in page


def test_the_dispatch_e_mail_is_signed_with_the_new_name(make, app, client, login, approved, smtp):  # noqa: F811
    from caseflow.meetings import dispatch as dispatching
    from tests.meetings.test_meetings import _decide_and_attest, _hans, _meeting

    _rename(client, make, login, "Region Nyland")
    case = approved()
    meeting = _meeting(make, app, case)
    _decide_and_attest(make, app, meeting)
    with app.app_context():
        dispatching.prepare_dispatch(
            make.session, make.store, meeting.items[0], user=_hans(make), prefer_pdf=False
        )
        make.session.commit()
    ((_recipients, message),) = smtp.messages
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "Region Nyland" in body
    assert "Storgatan 1, 831 30 Östersund" in body
    assert "Region Jämtland Härjedalen" not in body


def test_the_agenda_and_the_excerpt_carry_the_new_name(make, app, client, login, approved):  # noqa: F811
    from caseflow.meetings.documents import agenda_docx, protocol_docx
    from caseflow.meetings.excerpts import excerpt_context
    from tests.meetings.test_meetings import _meeting

    _rename(client, make, login, "Region Nyland")
    meeting = _meeting(make, app, approved())
    with app.app_context():
        for render in (agenda_docx, protocol_docx):
            content = render(make.session, meeting, None)
            header = Docx(io.BytesIO(content)).sections[0].header.paragraphs[0].text
            assert header == "Region Nyland", render.__name__
        context = excerpt_context(make.session, meeting.items[0])
    assert context["organisation_name"] == "Region Nyland"
    assert context["organisation_address"] == "Storgatan 1, 831 30 Östersund"


def test_a_new_instance_names_nobody_until_its_profile_is_saved_and_mails_as_that_profile(
    make,
    client,
    login,
    app,
    smtp,  # noqa: F811 - the fixture imported above
):
    """Out of the box nothing names another authority: pages say "caseflow", mail cannot
    go through a server without a sender. Once the admin saves the profile with an e-mail
    address, mail is sent as the organisation, its Message-IDs on the address's domain."""
    from email.message import EmailMessage

    import pytest

    from caseflow.common.mailer import MailNotSent, new_message_id, send

    app.config.update(
        ORGANISATION_NAME="", ORGANISATION_ADDRESS="", MAIL_FROM="", MAIL_MESSAGE_ID_DOMAIN=""
    )
    page = client.get("/diarium/").get_data(as_text=True)
    assert "caseflow" in page and "Jämtland" not in page

    def message():
        built = EmailMessage()
        built["From"] = app.config["MAIL_FROM"]  # as every sender in caseflow builds it
        built["To"] = "nils@example.org"
        built["Subject"] = "Kvitto"
        built.set_content("Hej")
        return built

    with app.app_context():
        with pytest.raises(MailNotSent) as refused:
            send(message())
        assert "Ingen avsändaradress är inställd" in str(refused.value)
    assert smtp.messages == []

    _admin(make, login)
    assert _save(client, name="Walkby kommun", email="registrator@walkby.se").status_code == 302
    with app.app_context():
        send(message())
        message_id = new_message_id()
    ((_rcpt, sent),) = smtp.messages
    assert str(sent["From"]) == "Walkby kommun <registrator@walkby.se>"
    assert message_id.endswith("@caseflow.walkby.se>")


def test_a_web_address_and_a_phone_number_must_be_what_they_say(make, client, login):
    """The web address is linked and printed: only http(s), a bare domain made https://;
    a phone number is digits and the signs people write between them."""
    _admin(make, login)
    for web in ("javascript:alert(1)", "data:text/html,x", "ftp://example.se", "hej hopp"):
        refused = _save(client, web=web)
        assert refused.status_code == 422, web
        assert "är inte en webbadress" in refused.get_data(as_text=True)
    refused = _save(client, phone="abc")
    assert refused.status_code == 422
    assert "är inte ett telefonnummer" in refused.get_data(as_text=True)
    assert _stored_profiles(make) == 0
    assert _save(client, web="www.walkby.se", phone="+46 63-14 75 00").status_code == 302
    profile = make.fresh().get(OrganisationProfile, 1)
    assert (profile.web, profile.phone) == ("https://www.walkby.se", "+46 63-14 75 00")


def test_an_address_on_several_lines_is_one_line_inside_a_line(make, client, login):
    _admin(make, login)
    _save(client, postal_address="Box 1\r\n\r\n999 99 Walkby ")
    client.post("/logout")
    footer = client.get("/diarium/").get_data(as_text=True)
    assert "Box 1, 999 99 Walkby" in footer
    snapshot = profile_snapshot(make.fresh())
    assert snapshot.as_context()["organisation_address"] == "Box 1, 999 99 Walkby"
