"""An official decides a case under delegation 3.2 in Chromium; the manager sends the
decision and reports it to Regionstyrelsen. Every page passes axe (WCAG 2.1 AA)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlmodel import select

from caseflow.cases.workflow import apply_transition
from caseflow.meetings.delegation_models import DelegatedDecision
from caseflow.memos.services import save_memo
from tests.browser.accessibility import assert_accessible
from tests.browser.test_registrar_flow import expect, log_in
from tests.memos.conftest import memo_of_rs720

pytestmark = pytest.mark.browser


def test_an_official_decides_under_delegation_and_the_manager_sends_it(make, page, app):
    erik = make.user("official", name="Erik Noaksson", email="erik.noaksson@regionjh.se")
    hans = make.user("manager", name="Hans Svensson", email="hans.svensson@regionjh.se")
    make.delegation(make.organ("Regionstyrelsen"))
    case = make.session.merge(make.case(memo_of_rs720().title, officer=erik))
    save_memo(make.session, case, memo_of_rs720(), expected_version=case.version, user=erik)
    with app.app_context():
        apply_transition(make.session, case, "start", user=erik)
    make.session.commit()
    url = f"/cases/{case.number}"

    # 1. Erik finds the decision's own page on the case page, not a bare button.
    log_in(page, erik)
    page.goto(url)
    expect(page.locator('button[value="decide_delegated"]')).to_have_count(0)
    page.locator(f'a[href="{url}/delegated-decision"]').click()
    page.wait_for_url(re.compile(r"/delegated-decision$"))
    assert_accessible(page, "the decision form")

    # 2. He chooses 3.2, keeps the memo's points, dates it and signs for the director.
    option = page.locator("#delegation_id option", has_text="Regionstyrelsen 3.2")
    page.locator("#delegation_id").select_option(option.get_attribute("value"))
    expect(page.locator("#points-0")).to_contain_text("Region Jämtland Härjedalen avsätter")
    page.locator("#decided_on").fill(date(2021, 11, 10).isoformat())
    page.locator("#decided_by_name").fill("Hans Svensson, Regiondirektör")
    page.locator("form:has(#decided_by_name) button[type=submit]").click()
    page.wait_for_url(re.compile(r"/delegated-decision$"))
    expect(page.locator("main")).to_contain_text("Hans Svensson, Regiondirektör")
    assert_accessible(page, "the decision")

    # 3. Hans sends it from the same page.
    page.context.clear_cookies()
    log_in(page, hans)
    page.goto(url)
    page.locator(f'a[href="{url}/delegated-decision"]').click()
    page.locator(f'a[href="{url}/delegated-decision/dispatch"]').click()
    page.wait_for_url(re.compile(r"/delegated-decision/dispatch$"))
    assert_accessible(page, "the choice of recipients")
    page.locator(f'form[action="{url}/delegated-decision/dispatch"][method=post] button').click()
    page.wait_for_url(re.compile(r"/delegated-decision$"))
    expect(page.locator(".dispatch")).to_contain_text("registrator@vinnova.se")
    assert_accessible(page, "the decision, sent")
    decision = make.fresh().exec(select(DelegatedDecision)).one()
    assert decision.document_id is not None
