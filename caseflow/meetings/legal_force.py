"""When a decision gains legal force (vinner laga kraft), counted as the law counts it.

- Laglighetsprövning (KL 13 kap. 5 §): an appeal must have reached the administrative court
  within three weeks of the day it was announced on the notice board (anslagstavlan) that
  the protocol with the decision was attested. A decision taken under delegation is in the
  protocol of the meeting where it was reported (anmäld, KL 6 kap. 40 §): the three weeks
  run from that protocol's notice, or from the day a notice of the decision itself was
  posted on the notice board, when one was.
- Förvaltningsbesvär (FL 44 §): an appeal must have come in within three weeks of the day
  the appellant was notified of the decision (fick del av beslutet). It is counted for
  each counterpart of the case: the parties the decision affects. For a municipality or
  region förvaltningsbesvär lies only where a special law says so (e.g. SoL, PBL); caseflow
  counts it whenever the case has parties, which can only make the day later, never
  earlier.
- A period that ends on a Saturday, Sunday, other public holiday, midsommarafton, julafton
  or nyårsafton ends on the next weekday (lag (1930:173) om beräkning av lagstadgad tid):
  :func:`caseflow.common.calendar.deadline` counts it.
- The decision gains legal force on the day after the last open period ended, when no
  appeal came in. A recorded appeal stops the clock (the decision is *överklagat*); a
  withdrawn appeal lets it run on, and the decision then gains legal force no earlier than
  the day the withdrawal was recorded. While a notice or a notification has not happened,
  the day is not known yet, and what it waits for is said.

Where the day a party was notified comes from is known in one place only:
:func:`party_notifications`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from sqlmodel import Session, select

from caseflow.cases.models import Case
from caseflow.common import projection
from caseflow.common.calendar import deadline
from caseflow.common.timeutil import local, today
from caseflow.meetings.appeal_models import Appeal, AppealKind
from caseflow.meetings.deadlines import APPEAL_DAYS
from caseflow.meetings.delegation_models import DelegatedDecision
from caseflow.meetings.dispatch_models import Dispatch, DispatchRecipient
from caseflow.meetings.models import AgendaItem, DecisionKind, Meeting


class State(StrEnum):
    PENDING = "pending"  #: a notice or a notification is still awaited
    RUNNING = "running"  #: gains legal force on ``on`` unless appealed before
    FINAL = "final"  #: has legal force since ``on``
    APPEALED = "appealed"  #: överklagat: the clock is stopped


class Awaiting(StrEnum):
    NOTICE = "notice"  #: the notice that the protocol was attested
    REPORT = "report"  #: a delegated decision: its report to the body (and that notice)
    SERVICE = "service"  #: the party's notification of the decision


#: The decisions that can gain legal force: the ones the body made on the matter itself
#: (a referral back or a tabling prepares, it decides nothing that can be appealed).
FINAL_KINDS = (DecisionKind.ADOPTED, DecisionKind.AMENDED)


@dataclass(frozen=True)
class Notified:
    """A party of the case and the day they were notified of the decision (None: not yet)."""

    name: str
    served_on: date | None


@dataclass(frozen=True)
class AppealPeriod:
    kind: str  #: see ``AppealKind``
    runs_from: date | None
    ends_on: date | None
    #: What the period waits for before it can start (see ``Awaiting``); None once running.
    awaiting: str | None = None
    #: For a förvaltningsbesvär period: the party it runs for.
    party: str | None = None


@dataclass(frozen=True)
class LegalForce:
    state: str  #: see ``State``
    #: The day the decision gains (or gained) legal force; None while pending or appealed.
    on: date | None
    periods: tuple[AppealPeriod, ...]
    #: The appeals recorded against the decision, withdrawn ones too, oldest first.
    appeals: tuple[Appeal, ...] = field(default=())

    @property
    def awaiting(self) -> list[str]:
        return [p.awaiting for p in self.periods if p.awaiting]


def period(kind: str, runs_from: date | None, awaiting: str, party: str | None = None):
    """A three-week appeal period from ``runs_from``, or one still waiting for it."""
    if runs_from is None:
        return AppealPeriod(kind, None, None, awaiting, party)
    return AppealPeriod(kind, runs_from, deadline(runs_from, APPEAL_DAYS), None, party)


def assess(periods: list[AppealPeriod], appeals: list[Appeal], on_day: date) -> LegalForce:
    """The state on ``on_day`` of a decision with these ``periods`` and recorded ``appeals``."""
    periods, appeals = tuple(periods), tuple(appeals)
    if any(a.stops_the_clock for a in appeals):
        return LegalForce(State.APPEALED, None, periods, appeals)
    if not periods or any(p.ends_on is None for p in periods):
        return LegalForce(State.PENDING, None, periods, appeals)
    final_on = max(p.ends_on for p in periods) + timedelta(days=1)
    withdrawn = [a.ended_on for a in appeals if a.ended_on]
    if withdrawn:
        final_on = max(final_on, *withdrawn)
    state = State.FINAL if final_on <= on_day else State.RUNNING
    return LegalForce(state, final_on, periods, appeals)


# -- where the days come from --------------------------------------------------------------


def party_notifications(
    session: Session,
    case: Case,
    *,
    agenda_item_id: int | None,
    audience: projection.Audience = projection.PUBLICATION,
) -> list[Notified]:
    """Each counterpart of ``case`` and the day they were notified of the decision (the §
    ``agenda_item_id``, or with None the decision taken under delegation); names as
    ``audience`` may read them.

    The one place that knows where that day comes from: ``served_on`` of the dispatch's
    recipients (the day the mail server accepted the message for that recipient, or the
    letter was posted), matched to the case's parties by the register's party or by the
    address.
    """
    recipients = session.exec(
        select(DispatchRecipient)
        .join(Dispatch, Dispatch.id == DispatchRecipient.dispatch_id)
        .where(
            Dispatch.case_id == case.id,
            Dispatch.agenda_item_id == agenda_item_id
            if agenda_item_id is not None
            else Dispatch.agenda_item_id.is_(None),
            DispatchRecipient.served_on.is_not(None),
        )
    ).all()
    by_party: dict[int, date] = {}
    by_address: dict[str, date] = {}
    for recipient in recipients:
        day = recipient.served_on
        if recipient.party_id is not None:
            by_party[recipient.party_id] = min(day, by_party.get(recipient.party_id, day))
        if recipient.email:
            key = recipient.email.strip().lower()
            by_address[key] = min(day, by_address.get(key, day))
    visible = projection.case_parties_visible(case, audience)
    found = []
    for row in case.parties:
        if visible:
            shown = projection.case_party(row, audience)
            name = party_name(shown)
        else:
            name = projection.mask(case.secrecy_provision)
        email = (row.email or "").strip().lower()
        day = by_party.get(row.party_id) if row.party_id is not None else None
        if day is None and email:
            day = by_address.get(email)
        found.append(Notified(name, day))
    return found


def party_name(shown: dict) -> str:
    """A counterpart as :func:`projection.case_party` shows it: "Anna Andersson, Vinnova"."""
    parts = [shown[key] for key in ("name", "organisation") if shown[key]]
    return ", ".join(parts) or shown["email"] or ""


def _appeals(session: Session, **decision) -> list[Appeal]:
    ((column, value),) = decision.items()
    return list(
        session.exec(
            select(Appeal).where(getattr(Appeal, column) == value).order_by(Appeal.id)
        ).all()
    )


def _party_periods(notified: list[Notified]) -> list[AppealPeriod]:
    return [
        period(AppealKind.ADMINISTRATIVE, n.served_on, Awaiting.SERVICE, n.name) for n in notified
    ]


def item_legal_force(
    session: Session,
    item: AgendaItem,
    on_day: date | None = None,
    audience: projection.Audience = projection.PUBLICATION,
) -> LegalForce | None:
    """The legal force of the board's decision under ``item``; None when the § holds no
    decision that can gain it."""
    if item.case_id is None or item.decision_kind not in FINAL_KINDS:
        return None
    case = session.get(Case, item.case_id)
    notice = item.meeting.notice_posted_on if item.meeting.is_attested else None
    periods = [period(AppealKind.LEGALITY, notice, Awaiting.NOTICE)]
    notified = party_notifications(session, case, agenda_item_id=item.id, audience=audience)
    periods += _party_periods(notified)
    return assess(periods, _appeals(session, agenda_item_id=item.id), on_day or today())


def delegated_notice(session: Session, decision: DelegatedDecision) -> tuple[date | None, str]:
    """The notice the laglighetsprövning of a delegated decision runs from, or what it waits
    for: its own notice, else that of the protocol it was reported in."""
    if decision.notice_posted_on is not None:
        return decision.notice_posted_on, Awaiting.NOTICE
    if decision.reported_item_id is None:
        return None, Awaiting.REPORT
    item = session.get(AgendaItem, decision.reported_item_id)
    meeting = item.meeting if item is not None else None
    if meeting is None or not meeting.is_attested:
        return None, Awaiting.NOTICE
    return meeting.notice_posted_on, Awaiting.NOTICE


def delegated_legal_force(
    session: Session,
    decision: DelegatedDecision,
    on_day: date | None = None,
    audience: projection.Audience = projection.PUBLICATION,
) -> LegalForce:
    """The legal force of a decision taken under delegation."""
    case = session.get(Case, decision.case_id)
    notice, awaiting = delegated_notice(session, decision)
    periods = [period(AppealKind.LEGALITY, notice, awaiting)]
    notified = party_notifications(session, case, agenda_item_id=None, audience=audience)
    periods += _party_periods(notified)
    return assess(periods, _appeals(session, delegated_decision_id=decision.id), on_day or today())


@dataclass(frozen=True)
class CaseDecision:
    """The decision of a case that can gain legal force: a § or a delegated decision."""

    item: AgendaItem | None = None
    delegated: DelegatedDecision | None = None

    @property
    def decided_on(self) -> date:
        if self.item is not None:
            return local(self.item.meeting.starts_at).date()
        return self.delegated.decided_on


def case_decision(session: Session, case: Case) -> CaseDecision | None:
    """The case's latest decision that can gain legal force, of the board or delegated."""
    item = session.exec(
        select(AgendaItem)
        .join(Meeting)
        .where(AgendaItem.case_id == case.id, AgendaItem.decision_kind.in_(FINAL_KINDS))
        .order_by(Meeting.starts_at.desc(), AgendaItem.id.desc())
    ).first()
    delegated = session.exec(
        select(DelegatedDecision)
        .where(DelegatedDecision.case_id == case.id)
        .order_by(DelegatedDecision.id.desc())
    ).first()
    found = [CaseDecision(item=item)] if item else []
    found += [CaseDecision(delegated=delegated)] if delegated else []
    return max(found, key=lambda d: d.decided_on) if found else None


def decision_legal_force(
    session: Session,
    decision: CaseDecision,
    on_day: date | None = None,
    audience: projection.Audience = projection.PUBLICATION,
) -> LegalForce:
    if decision.item is not None:
        return item_legal_force(session, decision.item, on_day, audience)
    return delegated_legal_force(session, decision.delegated, on_day, audience)


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def legal_force_record(legal_force: LegalForce | None) -> dict | None:
    """The legal force as plain data for JSON output (``caseflow meeting show --json``)."""
    if legal_force is None:
        return None
    return {
        "state": legal_force.state,
        "date": _iso(legal_force.on),
        "periods": [
            {
                "kind": p.kind,
                "runs_from": _iso(p.runs_from),
                "ends_on": _iso(p.ends_on),
                "awaiting": p.awaiting,
                "party": p.party,
            }
            for p in legal_force.periods
        ],
        "appeals": [
            {
                "kind": a.kind,
                "appellant": a.appellant,
                "received_on": _iso(a.received_on),
                "ended_on": _iso(a.ended_on),
                "ended_how": a.ended_how,
                "outcome": a.outcome,
            }
            for a in legal_force.appeals
        ],
    }
