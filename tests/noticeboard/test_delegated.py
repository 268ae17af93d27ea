"""A decision taken under delegation, posted on the notice board on its own: the appeal
period runs three weeks from that day (KL 13 kap. 5 §), and the case is named by its
public title only."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from caseflow.meetings import appeals
from caseflow.noticeboard.models import Notice
from tests.markers import MARKERS, PUBLIC_TITLE, found_markers
from tests.meetings.conftest import delegated_decision


def test_a_delegated_decisions_own_notice_goes_up_and_names_the_public_title(make, app, client):
    case = make.case(
        f"Stöd till {MARKERS['title']}",
        title_is_secret=True,
        public_title=PUBLIC_TITLE,
        secrecy_provision="OSL 26 kap. 1 §",
    )
    decision = delegated_decision(make, case)  # decided 10 November 2021, delegation 3.2
    with app.app_context():
        # Posted Monday 15 November 2021: three weeks end Monday 6 December.
        appeals.record_delegated_notice(
            make.session, decision, posted_on=date(2021, 11, 15), user=None
        )
    make.session.commit()

    notice = make.fresh().exec(select(Notice)).one()
    assert notice.kind == "delegated_decision" and notice.delegated_decision_id == decision.id
    assert (notice.posted_on, notice.appeal_ends_on) == (date(2021, 11, 15), date(2021, 12, 6))
    page = client.get(f"/anslagstavla/{notice.id}").get_data(as_text=True)
    assert PUBLIC_TITLE in page and case.number in page
    assert "Beslutet fattades 2021-11-10 av Hans Svensson, regiondirektör" in page
    assert "Anslaget 2021-11-15 – 2021-12-06." in page
    assert "Sista dag att överklaga 2021-12-06." in page
    assert found_markers(page) == set()
    assert f"/anslagstavla/{notice.id}" in client.get("/anslagstavla/arkiv").get_data(as_text=True)
