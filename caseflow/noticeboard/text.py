"""A notice's legal facts in words, in the reader's language: what the law makes the
notice say (KL 8 kap. 12 §) and when the appeal period ends (KL 13 kap. 5 §)."""

from __future__ import annotations

import json

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from caseflow.common.timeutil import LOCAL_TZ
from caseflow.noticeboard.models import Notice, NoticeFileKind, NoticeKind

KIND_LABELS = {
    NoticeKind.PROTOCOL: _l("Attested protocol"),
    NoticeKind.ANNOUNCEMENT: _l("Meeting announcement"),
    NoticeKind.DELEGATED_DECISION: _l("Decision under delegation"),
    NoticeKind.OTHER: _l("Notice"),
}

FILE_LABELS = {
    NoticeFileKind.PROTOCOL: _l("The protocol (Word)"),
    NoticeFileKind.PROTOCOL_PDF: _l("The protocol (PDF/A)"),
    NoticeFileKind.AGENDA: _l("The agenda (Word)"),
    NoticeFileKind.ATTACHMENT: _l("Attachment (PDF)"),
}


def heading(notice: Notice) -> str:
    """The notice's heading: what it is about, in the reader's language where it is ours."""
    day = (
        notice.meeting_starts_at.astimezone(LOCAL_TZ).date().isoformat()
        if notice.meeting_starts_at
        else ""
    )
    if notice.kind == NoticeKind.PROTOCOL:
        return _("Protocol of %(organ)s, meeting of %(date)s", organ=notice.organ_name, date=day)
    if notice.kind == NoticeKind.ANNOUNCEMENT:
        return _("%(organ)s meets on %(date)s", organ=notice.organ_name, date=day)
    return notice.title


def facts(notice: Notice) -> list[str]:
    """The sentences a notice states, e.g. "Protokollet justerades 2026-12-01."."""
    lines = []
    if notice.kind == NoticeKind.ANNOUNCEMENT and notice.meeting_starts_at:
        starts = notice.meeting_starts_at.astimezone(LOCAL_TZ)
        lines.append(
            _(
                "%(organ)s meets on %(date)s at %(time)s, %(place)s.",
                organ=notice.organ_name,
                date=starts.date().isoformat(),
                time=starts.strftime("%H.%M"),
                place=notice.meeting_place,
            )
        )
    if notice.kind == NoticeKind.DELEGATED_DECISION:
        lines.append(
            _(
                "Decided on %(date)s by %(name)s under delegation %(code)s from %(organ)s "
                "(case %(number)s).",
                date=notice.decided_on.isoformat(),
                name=notice.decided_by,
                code=notice.delegation_code,
                organ=notice.organ_name,
                number=notice.case_number,
            )
        )
    if notice.kind == NoticeKind.PROTOCOL:
        if notice.meeting_starts_at:
            day = notice.meeting_starts_at.astimezone(LOCAL_TZ).date().isoformat()
            lines.append(_("Meeting of %(organ)s on %(date)s.", organ=notice.organ_name, date=day))
        if notice.paragraphs:
            lines.append(_("Paragraphs: %(paragraphs)s.", paragraphs=notice.paragraphs))
        if notice.attested_on:
            lines.append(
                _("The protocol was attested on %(date)s.", date=notice.attested_on.isoformat())
            )
    lines.append(
        _(
            "Posted %(first)s – %(last)s.",
            first=notice.posted_on.isoformat(),
            last=notice.take_down_on.isoformat(),
        )
    )
    if notice.appeal_ends_on:
        lines.append(
            _("The last day to appeal is %(date)s.", date=notice.appeal_ends_on.isoformat())
        )
    if notice.kept_at and notice.kind == NoticeKind.DELEGATED_DECISION:
        lines.append(_("The decision is kept at %(place)s.", place=notice.kept_at))
    elif notice.kept_at:
        lines.append(_("The protocol is kept at %(place)s.", place=notice.kept_at))
    return lines


def agenda(notice: Notice) -> list[dict]:
    return json.loads(notice.agenda) if notice.agenda else []


def file_label(kind: str) -> str:
    return str(FILE_LABELS.get(kind, kind))
