"""Opening a document's files: the secrecy rule and the log of who read a secret."""

import json

import pytest

from caseflow.common.audit import events_for_case
from caseflow.common.errors import PermissionDenied
from caseflow.documents.services import open_file_for


def _reads(make, case):
    return [e for e in events_for_case(make.fresh(), case.id) if e.action == "document.read_secret"]


@pytest.fixture
def secret_case(make):
    erik = make.user("official", name="Erik Noaksson")
    case = make.case(officer=erik)
    secret = make.document(
        case,
        title="Yttrande om enskilds hälsa",
        is_secret=True,
        secrecy_provision="OSL 25 kap. 1 §",
        files=[("yttrande.pdf", b"%PDF-1.7 hemlig")],
    )
    return erik, make.session.merge(case), make.session.merge(secret)


def test_the_responsible_official_opens_a_secret_document_and_it_is_logged(make, app, secret_case):
    erik, case, secret = secret_case
    with app.app_context():
        open_file_for(make.session, secret, case, erik, purpose={"file": "yttrande.pdf"})
        make.session.commit()
    (read,) = _reads(make, case)
    assert read.actor_id == erik.id and json.loads(read.after) == {"file": "yttrande.pdf"}


def test_another_official_may_not_open_it_and_nothing_is_logged(make, app, secret_case):
    _erik, case, secret = secret_case
    anders = make.user("official", name="Anders Byström")
    with app.app_context(), pytest.raises(PermissionDenied):
        open_file_for(make.session, secret, case, anders, purpose={"file": "yttrande.pdf"})
    make.session.rollback()
    assert _reads(make, case) == []


def test_a_public_document_opens_for_anyone_logged_in_without_a_log(make, app):
    case = make.case()
    public = make.document(case, files=[("ansokan.pdf", b"%PDF-1.7")])
    anders = make.user("official")
    with app.app_context():
        open_file_for(make.session, public, make.session.merge(case), anders, purpose={})
        make.session.commit()
    assert _reads(make, case) == []


def test_loose_documents_open_only_for_registrars(make, app):
    loose = make.document(None, files=[("brev.pdf", b"%PDF-1.7")])
    with app.app_context():
        open_file_for(make.session, loose, None, make.user("registrar"), purpose={})
        with pytest.raises(PermissionDenied):
            open_file_for(make.session, loose, None, make.user("manager"), purpose={})
