"""A new authority in Chromium, from an empty database to its first registered document.

The only thing done outside the browser is what the README says to do first: create the
first admin with ``caseflow user add``. Everything else — the organisation profile, a
series, units, the classification structure, a decision body with members, the users — the
admin sets up in the web UI, and then a registrar opens the first case and registers an
incoming letter in it. Every page on the way must be axe-clean (WCAG 2.1 AA).
"""

from __future__ import annotations

import re

import pytest
from sqlmodel import select

from caseflow.cases.models import Case
from caseflow.common.timeutil import today
from caseflow.db import new_session
from caseflow.documents.models import Document
from tests.browser.accessibility import assert_accessible
from tests.browser.test_registrar_flow import expect, on_dashboard

pytestmark = pytest.mark.browser

ADMIN_EMAIL = "sara.nilsson@regionjh.se"
#: Passwords an admin would choose: long, and not on any list of common passwords.
ADMIN_PASSWORD = "Storsjön-rundar-Frösön-2026"
REGISTRAR_PASSWORD = "Kansliet-diarieför-allt-9"
ORGANISATION = "Region Jämtland Härjedalen"
CASE_TITLE = "Inbjudan att ingå i Myndighetsnätverket"
UNIT_PATH = "Regional utveckling › Näringsliv"
LETTER = b"%PDF-1.4\n% a letter from the county board\n%%EOF\n"


def log_in(page, email: str, password: str) -> None:
    page.goto("/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    page.locator("form:has(#password) button[type=submit]").click()
    page.wait_for_url(on_dashboard)


def log_out(page) -> None:
    page.locator("header .user button[type=submit]").click()
    page.wait_for_url(re.compile(r"/login"))


def saved(page) -> None:
    """The form was accepted: the page says so, and no field has an error."""
    expect(page.locator(".flash-success")).to_have_count(1)
    expect(page.locator(".field.has-error")).to_have_count(0)


def open_step(page, name: re.Pattern) -> None:
    """Follow a step of the admin's set-up list, as a new admin would."""
    page.locator('nav a[href="/admin/"]').click()
    page.wait_for_url(re.compile(r"/admin/$"))
    page.locator("ol.setup-steps").get_by_role("link", name=name).click()


def test_a_new_authority_is_set_up_and_registers_its_first_document(app, runner, page, tmp_path):
    from caseflow.cli import cli

    # 0. The first admin, from the command line (the README's first step).
    created = runner.invoke(
        cli,
        ["user", "add", "--email", ADMIN_EMAIL, "--name", "Sara Nilsson", "--role", "admin",
         "--password-stdin"],
        input=ADMIN_PASSWORD + "\n",
    )  # fmt: skip
    assert created.exit_code == 0, created.output

    log_in(page, ADMIN_EMAIL, ADMIN_PASSWORD)
    page.locator('nav a[href="/admin/"]').click()
    page.wait_for_url(re.compile(r"/admin/$"))
    expect(page.locator("ol.setup-steps .badge.todo")).to_have_count(7)
    assert_accessible(page, "the set-up list")

    # 1. The organisation profile: printed on documents and e-mail, shown in the header.
    open_step(page, re.compile("Organisationsuppgifter|Organisation profile"))
    page.locator("#name").fill(ORGANISATION)
    page.locator("#org_number").fill("232100-0214")
    page.locator("#postal_address").fill("Box 654\n831 27 Östersund")
    page.locator("#phone").fill("063-14 75 00")
    page.locator("#email").fill("region@regionjh.se")
    page.locator("#web").fill("https://www.regionjh.se")
    assert_accessible(page, "the organisation profile")
    page.locator("form.stack button[type=submit]").click()
    saved(page)
    expect(page.locator("header .org")).to_have_text(ORGANISATION)

    # 2. A series. A bad code is refused with the rule, and the form keeps what was typed.
    open_step(page, re.compile("Diarieserier|Numbering series"))
    page.locator("#code").fill("R2")
    page.locator("#name").fill("Regionstyrelsen")
    page.locator("form.stack button[type=submit]").click()
    expect(page.locator(".flash-error")).to_contain_text("R2")
    expect(page.locator("#name")).to_have_value("Regionstyrelsen")
    page.locator("#code").fill("rs")
    page.locator("form.stack button[type=submit]").click()
    saved(page)
    expect(page.locator("table tbody")).to_contain_text("RS")
    assert_accessible(page, "the series")

    # 3. Units, one inside the other.
    open_step(page, re.compile("Enheter|Units"))
    page.locator("#name").fill("Regional utveckling")
    page.locator("form.stack button[type=submit]").click()
    saved(page)
    page.locator("#name").fill("Näringsliv")
    page.locator("#parent").select_option(label="Regional utveckling")
    page.locator("form.stack button[type=submit]").click()
    saved(page)
    expect(page.locator("table tbody")).to_contain_text("Regional utveckling › Näringsliv")
    assert_accessible(page, "the units")

    # 4. The classification structure: an area, a process group, a process.
    open_step(page, re.compile("Klassificeringsstruktur|Classification structure"))
    for code, title in [
        ("2", "Stödja och utveckla regionen"),
        ("2.3", "Samverka med andra myndigheter"),
        ("2.3.1", "Delta i nätverk och samarbeten"),
    ]:
        page.goto("/admin/classification/new")
        page.locator("#code").fill(code)
        page.locator("#title").fill(title)
        page.locator("#retention_action").select_option("preserve")
        page.locator("form.stack button[type=submit]").click()
        saved(page)
    assert_accessible(page, "the classification structure")

    # 5. The board and its members, who chair and attest its meetings.
    open_step(page, re.compile("^(Organ|Decision bodies)$"))
    page.locator("#name").fill("Regionstyrelsen")
    page.locator("#short_name").fill("RS")
    page.locator("#series").select_option("RS")
    page.locator("form.stack button[type=submit]").click()
    saved(page)
    for name, role in [("Anna Ordförande", "chair"), ("Bertil Justerare", "member")]:
        form = page.locator('form[action$="/members"]')
        form.locator("#member-name").fill(name)
        form.locator("#member-role").select_option(role)
        form.locator("#member-term_from").fill("2023-01-01")
        form.locator("button[type=submit]").click()
        saved(page)
    expect(page.locator("#members ~ table tbody tr")).to_have_count(2)
    assert_accessible(page, "a decision body with its members")

    # 6. The users: a registrar and the official who will handle the case.
    for name, email, role, unit in [
        ("Karin Ek", "karin.ek@regionjh.se", "registrar", None),
        ("Erik Noaksson", "erik.noaksson@regionjh.se", "official", UNIT_PATH),
    ]:  # fmt: skip
        page.goto("/admin/users/new")
        page.locator("#name").fill(name)
        page.locator("#email").fill(email)
        page.locator("#role").select_option(role)
        if unit:
            page.locator("#unit_id").select_option(label=unit)
        page.locator("#password").fill(REGISTRAR_PASSWORD)
        page.locator("form.stack button[type=submit]").click()
        saved(page)
    assert_accessible(page, "the users")

    page.locator('nav a[href="/admin/"]').click()
    # Everything but the (optional) mailbox is done.
    expect(page.locator("ol.setup-steps .badge.todo")).to_have_count(1)
    log_out(page)

    # 7. The registrar opens the first case of the series the admin created.
    log_in(page, "karin.ek@regionjh.se", REGISTRAR_PASSWORD)
    page.locator('nav a[href="/cases/new"]').click()
    page.wait_for_url(re.compile(r"/cases/new$"))
    page.locator("#series").select_option("RS")
    page.locator("#title").fill(CASE_TITLE)
    page.locator("#officer_id").select_option(label="Erik Noaksson (Näringsliv)")
    page.locator("#class_id").select_option(label="2.3.1 Delta i nätverk och samarbeten")
    page.locator("#party_organisation").fill("Länsstyrelsen Jämtlands län")
    assert_accessible(page, "the new case form")
    page.locator("form.stack button[type=submit]").click()
    number = f"RS/1/{today().year}"
    page.wait_for_url(re.compile(rf"/cases/{number}$"))
    facts = page.locator("dl.facts")
    expect(facts).to_contain_text("Näringsliv")  # the officer's unit, from the register
    expect(facts).to_contain_text("2.3.1 Delta i nätverk och samarbeten")

    # 8. ...and registers the incoming letter in it.
    letter = tmp_path / "Inbjudan Myndighetsnätverket.pdf"
    letter.write_bytes(LETTER)
    page.locator('.actions a[href^="/documents/new?case="]').click()
    page.locator('input[name="direction"][value="incoming"]').check()
    page.locator("#received_on").fill(today().isoformat())
    page.locator("#counterpart").fill("Länsstyrelsen Jämtlands län")
    page.locator("#title").fill("Inbjudan att ingå i Myndighetsnätverket")
    page.locator("#files").set_input_files(letter)
    page.locator("form.stack button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/cases/{number}$"))
    expect(page.locator(".flash-success")).to_contain_text(f"{number}-1")
    assert_accessible(page, "the case with its first document")

    session = new_session(app.extensions["caseflow.engine"])
    try:
        case = session.exec(select(Case).where(Case.number == number)).one()
        assert case.unit.name == "Näringsliv" and case.classification.code == "2.3.1"
        (doc,) = session.exec(select(Document).where(Document.case_id == case.id)).all()
        assert (doc.seq, doc.direction, doc.files[0].size) == (1, "incoming", len(LETTER))
    finally:
        session.close()
