"""Builders that make test data through the same services the app uses."""

from __future__ import annotations

import functools
import itertools
from datetime import date

from sqlmodel import select

from caseflow.auth.models import User
from caseflow.auth.services import create_user, hash_password
from caseflow.cases.models import Case, Series
from caseflow.cases.services import PartyCreate, open_case
from caseflow.db import new_session
from caseflow.documents.models import Document
from caseflow.documents.services import IncomingFile, register_document
from caseflow.documents.storage import FileStore

PASSWORD = "correct horse battery"


#: The members the test board is given: who chairs and who attests in the meeting tests.
ORGAN_MEMBERS = [
    ("Anna Ordförande", "chair"),
    ("Bertil Justerare", "member"),
    ("David Ledamot", "member"),
    ("Cecilia Sekreterare", "secretary"),
]


@functools.cache
def _password_hash() -> str:
    return hash_password(PASSWORD)


_counter = itertools.count(1)


def _in_app_context(method):
    """Each builder runs in its own short app context, as a request or command would."""

    @functools.wraps(method)
    def wrapped(self, *args, **kwargs):
        with self.app.app_context():
            return method(self, *args, **kwargs)

    return wrapped


class Factory:
    def __init__(self, app):
        self.app = app
        self.session = new_session(app.extensions["caseflow.engine"])
        self.store = FileStore(app.config["FILES_DIR"])

    def close(self):
        self.session.close()

    def fresh(self):
        """End the test's read snapshot and forget loaded values: see what requests committed."""
        self.session.rollback()
        self.session.expire_all()
        return self.session

    def _commit(self, obj):
        self.session.commit()
        return obj

    @_in_app_context
    def user(self, role="registrar", *, name=None, email=None, unit=None, enabled=True) -> User:
        n = next(_counter)
        user = create_user(
            self.session,
            email=email or f"{role}{n}@regionjh.se",
            name=name or f"{role.title()} {n}",
            role=role,
            unit=self.unit(unit) if unit else None,
            is_enabled=enabled,
        )
        user.password_hash = _password_hash()  # argon2 is slow on purpose: hash once per run
        return self._commit(user)

    @_in_app_context
    def unit(self, name="Näringsliv", *, parent=None):
        """The unit of that name from the register, added when missing."""
        from caseflow.organisation.services import create_unit, find_unit

        found = find_unit(self.session, name)
        if found:
            return found
        return self._commit(create_unit(self.session, name=name, parent=parent))

    @_in_app_context
    def organ(self, name="Regionstyrelsen", *, members=None):
        """A decision body with its members (the board of the demo by default), serving
        from 2020: the chair Anna Ordförande and Bertil Justerare among them. A member is
        (name, role) or (name, role, e-mail, affiliation)."""
        from datetime import date

        from caseflow.meetings.organs import add_member, create_organ, find_organ

        found = find_organ(self.session, name)
        if found:
            return found
        organ = create_organ(self.session, name=name)
        for member, role, *more in ORGAN_MEMBERS if members is None else members:
            email, affiliation = (*more, None, None)[:2]
            add_member(
                self.session,
                organ,
                name=member,
                role=role,
                term_from=date(2020, 1, 1),
                email=email,
                affiliation=affiliation,
            )
        return self._commit(organ)

    @_in_app_context
    def series(self, code="RS", name="Regionstyrelsen") -> Series:
        from sqlmodel import select

        found = self.session.exec(select(Series).where(Series.code == code)).first()
        if found:
            return found
        series = Series(code=code, name=name)
        self.session.add(series)
        return self._commit(series)

    @_in_app_context
    def case(
        self,
        title="Projekt Test av coworking och hybridarbete",
        *,
        series="RS",
        officer=None,
        year=2021,
        parties=None,
        **fields,
    ) -> Case:
        self.series(series)
        return self._commit(
            open_case(
                self.session,
                series_code=series,
                title=title,
                officer=officer,
                year=year,
                parties=[PartyCreate(**p) for p in (parties or [])],
                **fields,
            )
        )

    @_in_app_context
    def meeting_with(self, *cases, starts_at=None, place="Regionens hus, Östersund"):
        """A planned Regionstyrelsen meeting with ``cases`` on its agenda (no transitions)."""
        from datetime import datetime

        from caseflow.common.timeutil import LOCAL_TZ
        from caseflow.meetings.models import AgendaItem
        from caseflow.meetings.services import create_meeting

        organ = self.organ("Regionstyrelsen")
        meeting = create_meeting(
            self.session,
            organ=organ,
            starts_at=starts_at or datetime(2021, 11, 24, 9, 0, tzinfo=LOCAL_TZ),
            place=place,
            chair="Anna Ordförande",
            secretary="Cecilia Sekreterare",
            attesters="Bertil Justerare",
        )
        for position, case in enumerate(cases, start=1):
            self.session.add(AgendaItem(meeting_id=meeting.id, case_id=case.id, position=position))
        return self._commit(meeting)

    @_in_app_context
    def builtin_template(self, kind="memo"):
        from caseflow.doctemplates.services import active_template

        return self._commit(active_template(self.session, self.store, kind))

    @_in_app_context
    def document(
        self,
        case=None,
        *,
        direction="incoming",
        title="Ansökan om medfinansiering",
        counterpart="Vinnova",
        received_on=None,
        files=None,
        **fields,
    ) -> Document:
        case = self.session.merge(case) if case is not None else None
        return self._commit(
            register_document(
                self.session,
                self.store,
                case=case,
                direction=direction,
                title=title,
                counterpart=counterpart,
                received_on=received_on or date(2021, 11, 1),
                files=[IncomingFile(name, content) for name, content in (files or [])],
                **fields,
            )
        )

    @_in_app_context
    def party(self, name="Vinnova", *, kind=None, **values):
        """A party in the register: a person when an e-mail, organisation or protection is
        given without ``kind``, else an organisation."""
        from caseflow.parties.services import create_party

        person_fields = ("email", "organisation_id", "is_protected", "phone")
        if kind is None:
            kind = "person" if any(values.get(f) for f in person_fields) else "organisation"
        return self._commit(create_party(self.session, kind=kind, name=name, **values))

    def mail(self, raw: bytes, *, source_key=None):
        """A message taken in by intake (stored, then parsed and routed), as an import would."""
        from caseflow.mail.jobs import intake
        from caseflow.mail.models import MailMessage
        from caseflow.mail.store import RawMail

        key = source_key or f"test:{next(_counter)}"
        intake(self.app, self.store, RawMail(raw, source=key, source_key=key))
        self.session.rollback()
        return self.session.exec(select(MailMessage).where(MailMessage.source_key == key)).one()

    @_in_app_context
    def mailbox(self, *, name="Platina RS", host="127.0.0.1", port=143, password="x", **values):  # noqa: S107
        from caseflow.mail.mailboxes import create_mailbox

        values.setdefault("security", "none")
        values.setdefault("username", "registrator@example.test")
        return self._commit(
            create_mailbox(
                self.session, name=name, host=host, port=port, password=password, **values
            )
        )

    @_in_app_context
    def dispatch(self, item, *, status="sent"):
        """A dispatch of ``item``'s excerpt as the records show it after sending, without mail."""
        import json

        from caseflow.meetings.dispatch_models import Dispatch
        from caseflow.meetings.models import AgendaItem

        item = self.session.get(AgendaItem, item.id)
        document = self.document(
            self.session.get(Case, item.case_id),
            direction="outgoing",
            kind="Protokollsutdrag",
            title=f"Protokollsutdrag § {item.paragraph or 1}",
            counterpart="Vinnova",
            files=[("utdrag.docx", b"utdrag")],
        )
        dispatch = Dispatch(
            case_id=item.case_id,
            agenda_item_id=item.id,
            document_id=document.id,
            recipients=json.dumps(["info@vinnova.se"]),
            subject="Protokollsutdrag",
            message_id=f"<dispatch-{next(_counter)}@regionjh.se>",
            status=status,
        )
        self.session.add(dispatch)
        return self._commit(dispatch)

    def dispatch_letter(self, dispatch, *, name="Samverket i Östersund AB"):
        """A recipient of ``dispatch`` without an e-mail address: a letter to post."""
        from caseflow.documents.services import store_blob
        from caseflow.meetings.dispatch_models import DispatchRecipient

        sha256, _size = store_blob(self.session, self.store, b"brev")
        row = DispatchRecipient(
            dispatch_id=dispatch.id,
            name=name,
            postal_address="Storgatan 12\n831 30 Östersund",
            channel="letter",
            status="letter",
            letter_sha256=sha256,
            letter_filename="Brev 1.docx",
        )
        self.session.add(row)
        return self._commit(row)

    @_in_app_context
    def export_job(self, meeting, *, content=b"PK\x05\x06" + bytes(18)):
        """A finished export of ``meeting``'s excerpts whose ZIP is ``content``."""
        from caseflow.documents.services import store_blob
        from caseflow.meetings.dispatch_models import ExportJob

        sha256, _size = store_blob(self.session, self.store, content)
        job = ExportJob(
            meeting_id=meeting.id, fmt="docx", total=1, done=1, status="done", sha256=sha256
        )
        self.session.add(job)
        return self._commit(job)

    @_in_app_context
    def classification(self, path=None):
        """The sample structure of tests/classification/klassificering.csv (or ``path``),
        imported as ``caseflow classification import`` does; returns {code: class}."""
        from pathlib import Path

        from caseflow.classification import files
        from caseflow.classification.services import all_classes

        path = path or Path(__file__).parent / "classification" / "klassificering.csv"
        files.import_classes(self.session, files.read_entries(path))
        self.session.commit()
        return {c.code: c for c in all_classes(self.session)}

    @_in_app_context
    def delegation(self, organ, *, code="3.2", valid_from=None, **values):
        """A line of ``organ``'s delegationsordning: co-financing delegated to the
        Regiondirektör, resting on RS 2021-02-06 § 12, valid from 2021-03-01."""
        from datetime import date

        from caseflow.meetings.delegation import add_delegation

        values = {
            "matter": "Beslut om medfinansiering av projekt upp till 500 000 kr",
            "delegate": "Regiondirektör",
            "resting_on": "RS 2021-02-06 § 12",
            **values,
        }
        organ = self.session.merge(organ)
        return self._commit(
            add_delegation(
                self.session,
                organ,
                code=code,
                valid_from=valid_from or date(2021, 3, 1),
                **values,
            )
        )
