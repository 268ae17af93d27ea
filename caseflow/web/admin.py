"""The administrator's start page: the registers an authority is set up with, in order."""

from dataclasses import dataclass

import sqlalchemy as sa
from flask import Blueprint, render_template, url_for
from flask_babel import lazy_gettext as _l
from sqlmodel import func, select

from caseflow.auth.models import User
from caseflow.cases.models import Series
from caseflow.classification.models import ClassificationClass
from caseflow.common.permissions import require
from caseflow.common.timeutil import today
from caseflow.db import get_session
from caseflow.mail.models import Mailbox
from caseflow.meetings.models import Organ, OrganMember
from caseflow.organisation.models import OrganisationProfile, Unit

bp = Blueprint("admin", __name__, url_prefix="/admin")


@dataclass(frozen=True)
class SetupStep:
    title: str
    explanation: str
    url: str
    count: int
    is_done: bool


def _count(session, model, *where) -> int:
    return session.exec(select(func.count()).select_from(model).where(*where)).one()


def _has_sitting_members(session) -> bool:
    """A body in use has someone whose term has not ended: it can hold a meeting."""
    query = (
        select(func.count())
        .select_from(OrganMember)
        .join(Organ, Organ.id == OrganMember.organ_id)
        .where(
            Organ.is_active,
            sa.or_(OrganMember.term_to.is_(None), OrganMember.term_to >= today()),
        )
    )
    return session.exec(query).one() > 0


def setup_steps(session) -> list[SetupStep]:
    """What a new authority sets up, in the order that lets a registrar open the first case."""
    profile_saved = session.get(OrganisationProfile, 1) is not None
    steps = [
        (
            _l("Organisation profile"),
            _l("Name, organisation number, address and logo on documents and e-mail."),
            url_for("organisation.profile"),
            int(profile_saved),
            profile_saved,
        ),
        (
            _l("Numbering series"),
            _l("The numbering series cases are registered in, e.g. KS or RS."),
            url_for("admin_series.index"),
            _count(session, Series, Series.is_active),
            None,
        ),
        (
            _l("Units"),
            _l("The organisational units officers and cases belong to."),
            url_for("organisation.units"),
            _count(session, Unit, Unit.is_active),
            None,
        ),
        (
            _l("Classification structure"),
            _l("The processes cases are classified by, each with its retention rule."),
            url_for("classification.index"),
            _count(session, ClassificationClass, ClassificationClass.is_active),
            None,
        ),
        (
            _l("Decision bodies"),
            _l("The boards and committees that decide, with their members."),
            url_for("admin_organs.index"),
            _count(session, Organ, Organ.is_active),
            _has_sitting_members(session),
        ),
        (
            _l("Users"),
            _l("Registrars, officials and managers, with their roles."),
            url_for("admin_users.index"),
            _count(session, User, User.is_enabled),
            _count(session, User, User.is_enabled) > 1,
        ),
        (
            _l("Mailboxes"),
            _l("The shared mailbox that mail intake reads (optional)."),
            url_for("admin_mailboxes.index"),
            _count(session, Mailbox),
            None,
        ),
    ]
    return [
        SetupStep(str(title), str(text), url, count, bool(count) if done is None else done)
        for title, text, url, count, done in steps
    ]


@bp.route("/")
@require("admin.overview")
def index():
    return render_template("admin/index.html", steps=setup_steps(get_session()))
