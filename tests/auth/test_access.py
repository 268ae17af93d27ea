"""Every route, every role: who may and who may not. New routes must be added here."""

import pytest

ROLES = ("registrar", "owner", "other", "manager", "admin")
ALL = set(ROLES)

#: (method, url template, roles allowed). Everyone else gets 403; anonymous users are sent
#: to the login page.
MATRIX = [
    ("GET", "/", ALL),
    ("GET", "/cases/", ALL),
    ("GET", "/cases/?q=RS&status=registered&page=2", ALL),
    ("GET", "/cases/new", {"registrar"}),
    ("POST", "/cases/new", {"registrar"}),
    ("GET", "/cases/{case}", ALL),
    ("GET", "/cases/{case}/edit", {"registrar"}),
    ("POST", "/cases/{case}/edit", {"registrar"}),
    ("POST", "/cases/{case}/parties", {"registrar"}),
    ("POST", "/cases/{case}/void", {"registrar"}),
    ("GET", "/documents/new?case={case}", {"registrar", "owner"}),
    ("POST", "/documents/new?case={case}", {"registrar", "owner"}),
    ("GET", "/documents/new", {"registrar"}),
    ("GET", "/documents/loose", {"registrar"}),
    ("GET", "/documents/{public_doc}/files/{public_file}", ALL),
    ("GET", "/documents/{secret_doc}/files/{secret_file}", {"registrar", "owner", "manager"}),
    ("GET", "/documents/{loose_doc}/files/{loose_file}", {"registrar"}),
    ("POST", "/documents/{public_doc}/void", {"registrar"}),
    ("POST", "/documents/{loose_doc}/connect", {"registrar"}),
    ("GET", "/cases/{case}/memo", {"owner"}),
    ("POST", "/cases/{case}/memo", {"owner"}),
    ("POST", "/cases/{case}/memo/generate", {"owner"}),
    # Everyone may ask; the transition table answers (tested in tests/memos/test_workflow.py).
    ("POST", "/cases/{case}/transition", ALL),
    ("GET", "/review", {"manager"}),
    ("GET", "/admin/templates/", {"admin"}),
    ("POST", "/admin/templates/memo/upload", {"admin"}),
    ("GET", "/admin/templates/{template_id}/preview", {"admin"}),
    ("POST", "/admin/templates/{template_id}/activate", {"admin"}),
    ("GET", "/meetings/", {"registrar", "manager"}),
    ("POST", "/meetings/new", {"manager"}),
    ("GET", "/meetings/{meeting_id}", {"registrar", "manager"}),
    ("POST", "/meetings/{meeting_id}/cases", {"manager"}),
    ("POST", "/meetings/{meeting_id}/items/{item_id}/move/up", {"manager"}),
    ("POST", "/meetings/{meeting_id}/fix", {"manager"}),
    ("POST", "/meetings/{meeting_id}/items/{item_id}/decision", {"manager"}),
    ("POST", "/meetings/{meeting_id}/attest", {"manager"}),
    ("POST", "/meetings/{meeting_id}/notice", {"manager"}),
    ("GET", "/meetings/items/{item_id}/excerpt.docx", {"registrar", "manager"}),
    ("POST", "/meetings/items/{item_id}/dispatch", {"registrar", "manager"}),
    ("POST", "/meetings/dispatches/{dispatch_id}/retry", {"registrar", "manager"}),
    ("POST", "/meetings/{meeting_id}/export", {"registrar", "manager"}),
    ("GET", "/meetings/{meeting_id}/agenda.docx", {"registrar", "manager"}),
    ("GET", "/meetings/exports/{job_id}", {"registrar", "manager"}),
    ("GET", "/meetings/exports/{job_id}/download", {"registrar", "manager"}),
    ("GET", "/admin/users/", {"admin"}),
    ("GET", "/admin/users/new", {"admin"}),
    ("POST", "/admin/users/new", {"admin"}),
    ("POST", "/admin/users/{owner_id}/toggle", {"admin"}),
    ("GET", "/mail/", {"registrar"}),
    ("GET", "/mail/?show=filed&page=3", {"registrar"}),
    ("GET", "/mail/{mail_id}", {"registrar"}),
    ("GET", "/mail/{mail_id}/raw", {"registrar"}),
    ("GET", "/mail/{mail_id}/parts/0", {"registrar"}),
    ("POST", "/mail/{mail_id}/register", {"registrar"}),
    ("POST", "/mail/{mail_id}/reject", {"registrar"}),
    ("POST", "/mail/{mail_id}/undo", {"registrar"}),
    ("POST", "/mail/{mail_id}/retry", {"registrar"}),
    ("POST", "/mail/{mail_id}/requeue", {"registrar"}),
    ("GET", "/admin/mailboxes/", {"admin"}),
    ("GET", "/admin/mailboxes/new", {"admin"}),
    ("POST", "/admin/mailboxes/new", {"admin"}),
    ("GET", "/admin/mailboxes/{mailbox_id}/edit", {"admin"}),
    ("POST", "/admin/mailboxes/{mailbox_id}/edit", {"admin"}),
    ("POST", "/admin/mailboxes/{mailbox_id}/test", {"admin"}),
]
QUEUED_MAIL = (
    b"From: Vinnova <info@vinnova.se>\nTo: platina@regionjh.se\nSubject: Utlysning\n"
    b"Message-ID: <matrix@vinnova.se>\nMIME-Version: 1.0\n"
    b"Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nHej\n"
    b"--b\nContent-Type: application/pdf; name=a.pdf\n\n%PDF-1.4\n--b--\n"
)
#: Routes open to everyone, logged in or not.
PUBLIC = [("GET", "/login"), ("POST", "/login"), ("POST", "/logout"), ("POST", "/language/en")]


@pytest.fixture
def world(make):
    users = {
        "registrar": make.user("registrar"),
        "owner": make.user("official"),
        "other": make.user("official"),
        "manager": make.user("manager"),
        "admin": make.user("admin"),
    }
    case = make.case(officer=users["owner"])
    public = make.document(case, files=[("ansokan.pdf", b"offentlig")])
    secret = make.document(
        case,
        title="Läkarintyg",
        is_secret=True,
        secrecy_provision="OSL 25 kap. 1 §",
        files=[("intyg.pdf", b"hemlig")],
    )
    loose = make.document(None, files=[("lopande.pdf", b"lopande")])
    ids = {
        "case": case.number,
        "public_doc": public.id,
        "public_file": public.files[0].id,
        "secret_doc": secret.id,
        "secret_file": secret.files[0].id,
        "loose_doc": loose.id,
        "loose_file": loose.files[0].id,
        "owner_id": users["owner"].id,
        "template_id": make.builtin_template("memo").id,
        "meeting_id": 1,
        "item_id": 1,
        "dispatch_id": 1,
        "job_id": 1,
        "mail_id": make.mail(QUEUED_MAIL).id,
        "mailbox_id": make.mailbox(port=1).id,  # nothing listens: the test fails cleanly
    }
    make.meeting_with(case)
    return users, ids


def test_the_matrix_covers_every_route(app):
    covered = {(m, _rule_of(app, m, url)) for m, url, _ in MATRIX} | {
        (m, _rule_of(app, m, url)) for m, url in PUBLIC
    }
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert (method, rule.rule) in covered, f"{method} {rule.rule} is not in the matrix"


def _rule_of(app, method, url):
    adapter = app.url_map.bind("localhost")
    path = url.split("?")[0]
    filled = path.format(
        case="RS/1/2021",
        public_doc=1,
        public_file=1,
        secret_doc=2,
        secret_file=2,
        loose_doc=3,
        loose_file=3,
        owner_id=2,
        template_id=1,
        meeting_id=1,
        item_id=1,
        dispatch_id=1,
        job_id=1,
        mail_id=1,
        mailbox_id=1,
    )
    rule, _args = adapter.match(filled, method=method, return_rule=True)
    return rule.rule


def _request(client, method, url):
    response = client.open(url, method=method, data={})
    response.close()  # a file download holds its file open until closed
    return response


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_exactly_its_rights(world, app, role):
    users, ids = world
    client = app.test_client()
    client.post("/login", data={"email": users[role].email, "password": "correct horse battery"})
    for method, template, allowed in MATRIX:
        url = template.format(**ids)
        response = _request(client, method, url)
        location = response.headers.get("Location", "")
        if role in allowed:
            assert response.status_code not in (401, 403, 500), (role, method, url)
            assert "/login" not in location, (role, method, url)
        else:
            assert response.status_code == 403, (role, method, url, response.status_code)


def test_anonymous_users_are_sent_to_log_in(world, client):
    _users, ids = world
    for method, template, _allowed in MATRIX:
        response = _request(client, method, template.format(**ids))
        assert response.status_code == 302, (method, template)
        assert "/login" in response.headers["Location"]
    for method, url in PUBLIC:
        assert _request(client, method, url).status_code in (200, 302, 400)


def test_reading_a_secret_document_is_logged(world, app, make):
    from caseflow.common.audit import events_for_case

    users, ids = world
    client = app.test_client()
    client.post(
        "/login", data={"email": users["manager"].email, "password": "correct horse battery"}
    )
    with client.get(f"/documents/{ids['secret_doc']}/files/{ids['secret_file']}") as response:
        assert response.data == b"hemlig"
    actions = [e.action for e in events_for_case(make.session, 1)]
    assert actions.count("document.read_secret") == 1
    _request(client, "GET", f"/documents/{ids['public_doc']}/files/{ids['public_file']}")
    assert [e.action for e in events_for_case(make.session, 1)].count("document.read_secret") == 1
