"""Every route, every role: who may and who may not. New routes must be added here."""

from datetime import date
from urllib.parse import quote

import pytest

from tests.factories import PASSWORD

ROLES = ("registrar", "owner", "other", "manager", "admin", "member")
ALL = set(ROLES)
#: The authority's staff: everyone but the elected member ("member", a förtroendevald who
#: sits in the board and is its chosen attester), who reads their board's meetings, attests
#: its protocols and changes their own password — nothing else.
STAFF = ALL - {"member"}
OWN_CASE = (302, "/cases/{case}")
MEETING = (302, "/meetings/{meeting_id}")
ITEM = (302, "/meetings/{meeting_id}#item-{item_id}")
AGENDA = (302, "/meetings/{meeting_id}#agenda")
ATTEST = (302, "/meetings/{meeting_id}#attest")
MAIL = (302, "/mail/{mail_id}")
CLASSES = (302, "/admin/classification/")
UNMATCHED = (302, "/admin/classification/unmatched/")
#: An empty correction keeps the stored values (WTForms reads them from the party): saved.
PARTY_EDIT = (302, "/parties/")
#: A rule refused the request: the common error path sends the browser back (303, "see
#: other") to the referrer, or without one to the case's page.
REFUSED_TO_CASE = (303, "/cases/{case}")
REFUSED_TO_ITEM = (303, "/meetings/{meeting_id}#item-{item_id}")
REFUSED_TO_MEETING = (303, "/meetings/{meeting_id}")
ATTENDANCE = (302, "/meetings/{meeting_id}#attendance")
LEGAL_FORCE = (302, "/cases/{case}#legal-force")
NOTICES = (302, "/anslagstavla/hantera/")
REFUSED_TO_NOTICES = (303, "/anslagstavla/hantera/")
REQUEST_PAGE = (302, "/begaran/{request}")
REQUEST_REFUSED = (303, "/begaran/{request}")
#: Refused where the URL names no page to go back to (and no referrer): the overview.
REFUSED_TO_OVERVIEW = (303, "/")

#: (method, url template, roles allowed, what each allowed role gets). Everyone else gets
#: 403; anonymous users are sent to the login page. What they get is a status (200 for a
#: page or a file, 422 for a form sent empty) or (302, where to): a POST sent empty is
#: refused by its form or its rule and sent back with a message, never a 403, 404 or 500.
MATRIX = [
    ("GET", "/", ALL, 200),
    ("GET", "/cases/", STAFF, 200),
    ("GET", "/cases/export.csv?status=registered", STAFF, 200),
    ("GET", "/cases/export.xlsx", STAFF, 200),
    ("GET", "/cases/?q=RS&status=registered&page=2", STAFF, 200),
    ("GET", "/cases/new", {"registrar"}, 200),
    ("POST", "/cases/new", {"registrar"}, 422),
    ("GET", "/cases/{case}", STAFF, 200),
    ("GET", "/cases/{case}/edit", {"registrar"}, 200),
    # A correction without its reason comes back with the error at the field.
    ("POST", "/cases/{case}/edit", {"registrar"}, 422),
    ("POST", "/cases/{case}/parties", {"registrar"}, REFUSED_TO_CASE),
    ("POST", "/cases/{case}/void", {"registrar"}, OWN_CASE),
    ("GET", "/documents/new?case={case}", {"registrar", "owner"}, 200),
    ("POST", "/documents/new?case={case}", {"registrar", "owner"}, 422),
    ("GET", "/documents/new", {"registrar"}, 200),
    ("GET", "/documents/loose", {"registrar"}, 200),
    ("GET", "/documents/loose/export.csv", {"registrar"}, 200),
    ("GET", "/documents/loose/export.xlsx", {"registrar"}, 200),
    ("GET", "/documents/{public_doc}/files/{public_file}", STAFF, 200),
    ("GET", "/documents/{secret_doc}/files/{secret_file}", {"registrar", "owner", "manager"}, 200),
    ("GET", "/documents/{loose_doc}/files/{loose_file}", {"registrar"}, 200),
    ("POST", "/documents/{public_doc}/void", {"registrar"}, OWN_CASE),
    ("POST", "/documents/{loose_doc}/connect", {"registrar"}, (302, "/documents/loose")),
    # A document's page: staff see a case's documents (secrets masked), löpande post only
    # the registrar; an old or current number leads to the document's page.
    ("GET", "/documents/{public_doc}", STAFF, 200),
    ("GET", "/documents/{secret_doc}", STAFF, 200),
    ("GET", "/documents/{loose_doc}", {"registrar"}, 200),
    ("GET", "/documents/number/{case}-1", STAFF, (302, "/documents/{public_doc}")),
    # Corrections (rättelse): an empty form lacks its reason and comes back with errors.
    ("GET", "/documents/{public_doc}/correct", {"registrar"}, 200),
    ("POST", "/documents/{public_doc}/correct", {"registrar"}, 422),
    ("POST", "/documents/{public_doc}/files/{public_file}/replace", {"registrar"}, 422),
    ("POST", "/documents/{public_doc}/move", {"registrar"}, 422),
    ("GET", "/cases/{case}/memo", {"owner"}, 200),
    ("POST", "/cases/{case}/memo", {"owner"}, 422),
    ("POST", "/cases/{case}/memo/generate", {"owner"}, REFUSED_TO_CASE),
    # Everyone may ask; the transition table answers (tested in tests/memos/test_workflow.py).
    ("POST", "/cases/{case}/transition", STAFF, REFUSED_TO_CASE),
    ("GET", "/review", {"manager"}, 200),
    ("GET", "/admin/templates/", {"admin"}, 200),
    ("POST", "/admin/templates/memo/upload", {"admin"}, (302, "/admin/templates/")),
    ("GET", "/admin/templates/{template_id}/preview", {"admin"}, 200),
    ("POST", "/admin/templates/{template_id}/activate", {"admin"}, (302, "/admin/templates/")),
    # Officials read the meetings with their own cases on the agenda: the list shows only
    # those ("other" owns none and sees an empty list), their pages and documents read only.
    # An elected member reads the meetings of their own board (its list, page and documents).
    ("GET", "/meetings/", {"registrar", "owner", "other", "manager", "member"}, 200),
    ("POST", "/meetings/new", {"manager"}, (302, "/meetings/")),
    ("GET", "/meetings/{meeting_id}", {"registrar", "owner", "manager", "member"}, 200),
    ("POST", "/meetings/{meeting_id}/cases", {"manager"}, MEETING),
    ("POST", "/meetings/{meeting_id}/items/{item_id}/move/up", {"manager"}, AGENDA),
    ("POST", "/meetings/{meeting_id}/open", {"manager"}, AGENDA),
    ("GET", "/meetings/{meeting_id}/edit", {"manager"}, 200),
    ("POST", "/meetings/{meeting_id}/edit", {"manager"}, 422),
    # Without a reason nothing is cancelled, removed or undone: back with the message.
    ("POST", "/meetings/{meeting_id}/cancel", {"manager"}, MEETING),
    ("POST", "/meetings/{meeting_id}/items", {"manager"}, REFUSED_TO_MEETING),
    ("POST", "/meetings/{meeting_id}/items/{item_id}/edit", {"manager"}, ITEM),
    ("POST", "/meetings/{meeting_id}/items/{item_id}/remove", {"manager"}, AGENDA),
    ("POST", "/meetings/{meeting_id}/items/{item_id}/undo", {"manager"}, ITEM),
    ("POST", "/meetings/{meeting_id}/items/{item_id}/decision", {"manager"}, REFUSED_TO_ITEM),
    # The proceedings: the roll call, presence, motions, votes and statements. The attendee
    # moved a motion, so they stay on the list; the other motion and the statement go.
    ("POST", "/meetings/{meeting_id}/roll-call", {"manager"}, ATTENDANCE),
    ("POST", "/meetings/{meeting_id}/attendees", {"manager"}, ATTENDANCE),
    ("POST", "/meetings/{meeting_id}/attendees/{attendee_id}/presence", {"manager"}, ATTENDANCE),
    (
        "POST",
        "/meetings/{meeting_id}/attendees/{attendee_id}/remove",
        {"manager"},
        REFUSED_TO_MEETING,
    ),
    ("POST", "/meetings/{meeting_id}/items/{item_id}/presence", {"manager"}, ITEM),
    (
        "POST",
        "/meetings/{meeting_id}/items/{item_id}/presence/{attendee_id}/clear",
        {"manager"},
        REFUSED_TO_ITEM,
    ),
    ("POST", "/meetings/{meeting_id}/items/{item_id}/motions", {"manager"}, ITEM),
    (
        "POST",
        "/meetings/{meeting_id}/items/{item_id}/motions/proposal",
        {"manager"},
        REFUSED_TO_ITEM,
    ),
    ("POST", "/meetings/{meeting_id}/items/{item_id}/motions/{motion_id}", {"manager"}, ITEM),
    (
        "POST",
        "/meetings/{meeting_id}/items/{item_id}/motions/{motion_id}/remove",
        {"manager"},
        ITEM,
    ),
    ("POST", "/meetings/{meeting_id}/items/{item_id}/votes", {"manager"}, ITEM),
    (
        "POST",
        "/meetings/{meeting_id}/items/{item_id}/votes/last/remove",
        {"manager"},
        REFUSED_TO_ITEM,
    ),
    ("POST", "/meetings/{meeting_id}/items/{item_id}/acclamation", {"manager"}, ITEM),
    ("POST", "/meetings/{meeting_id}/items/{item_id}/statements", {"manager"}, ITEM),
    (
        "POST",
        "/meetings/{meeting_id}/items/{item_id}/statements/{statement_id}/remove",
        {"manager"},
        ITEM,
    ),
    ("POST", "/meetings/{meeting_id}/attest", {"manager"}, ATTEST),
    ("POST", "/meetings/{meeting_id}/notice", {"manager"}, ATTEST),
    # Not attested yet: no excerpt, no dispatch, no export; sent back to the paragraph.
    ("GET", "/meetings/items/{item_id}/excerpt.docx", {"registrar", "manager"}, ITEM),
    ("GET", "/meetings/items/{item_id}/dispatch", {"registrar", "manager"}, 200),
    ("POST", "/meetings/items/{item_id}/dispatch", {"registrar", "manager"}, REFUSED_TO_ITEM),
    ("POST", "/meetings/dispatches/{dispatch_id}/retry", {"registrar", "manager"}, REFUSED_TO_ITEM),
    # A letter of the dispatch: printed; marking it posted or sending a letter instead
    # needs a date or an address (back with the message); only an uncertain one is sent.
    (
        "GET",
        "/meetings/dispatches/{dispatch_id}/recipients/{recipient_id}/letter",
        {"registrar", "manager"},
        200,
    ),
    (
        "POST",
        "/meetings/dispatches/{dispatch_id}/recipients/{recipient_id}/posted",
        {"registrar", "manager"},
        ITEM,
    ),
    (
        "POST",
        "/meetings/dispatches/{dispatch_id}/recipients/{recipient_id}/sent",
        {"registrar", "manager"},
        REFUSED_TO_ITEM,
    ),
    (
        "POST",
        "/meetings/dispatches/{dispatch_id}/recipients/{recipient_id}/as-letter",
        {"registrar", "manager"},
        ITEM,
    ),
    ("POST", "/meetings/{meeting_id}/export", {"registrar", "manager"}, REFUSED_TO_MEETING),
    ("GET", "/meetings/{meeting_id}/agenda.docx", {"registrar", "owner", "manager", "member"}, 200),
    (
        "GET",
        "/meetings/{meeting_id}/protocol.docx",
        {"registrar", "owner", "manager", "member"},
        200,
    ),
    # Digital justering: the meeting is only planned, so nothing is sent and nothing attested
    # (the member is asked to attest it, but the protocol has not been sent): refused, back.
    ("POST", "/meetings/{meeting_id}/justering/send", {"manager"}, REFUSED_TO_MEETING),
    ("POST", "/meetings/{meeting_id}/justering/sign", {"member"}, REFUSED_TO_MEETING),
    # The sealed PDF/A only of an attested protocol: sent back to the meeting with a message.
    (
        "GET",
        "/meetings/{meeting_id}/protocol.pdf",
        {"registrar", "owner", "manager", "member"},
        MEETING,
    ),
    # Nobody on the test board has an e-mail address: refused, back to the meeting.
    ("POST", "/meetings/{meeting_id}/summons", {"manager"}, REFUSED_TO_MEETING),
    ("GET", "/meetings/{meeting_id}/summons/{summons_id}.docx", {"registrar", "manager"}, 200),
    ("GET", "/meetings/{meeting_id}/summons/preview.docx", {"registrar", "manager"}, 200),
    ("GET", "/meetings/exports/{job_id}", {"registrar", "manager"}, 200),
    ("GET", "/meetings/exports/{job_id}/download", {"registrar", "manager"}, 200),
    # The delegationsordning under the body; a decision under delegation on its own page.
    ("GET", "/admin/bodies/{organ_id}/delegations", {"admin", "manager"}, 200),
    ("POST", "/admin/bodies/{organ_id}/delegations", {"admin", "manager"}, 422),
    ("GET", "/admin/bodies/{organ_id}/delegations/{delegation_id}", {"admin", "manager"}, 200),
    ("POST", "/admin/bodies/{organ_id}/delegations/{delegation_id}", {"admin", "manager"}, 422),
    (
        "POST",
        "/admin/bodies/{organ_id}/delegations/{delegation_id}/deactivate",
        {"admin", "manager"},
        (302, "/admin/bodies/{organ_id}/delegations"),
    ),
    ("GET", "/cases/{case}/delegated-decision", STAFF, 200),
    ("POST", "/cases/{case}/delegated-decision", {"owner"}, 422),
    # Nothing decided under delegation: nothing to send, sent back with the message.
    (
        "GET",
        "/cases/{case}/delegated-decision/dispatch",
        {"registrar", "manager"},
        (302, "/cases/{case}/delegated-decision"),
    ),
    (
        "POST",
        "/cases/{case}/delegated-decision/dispatch",
        {"registrar", "manager"},
        REFUSED_TO_CASE,
    ),
    (
        "POST",
        "/cases/{case}/delegated-decision/dispatches/{dispatch_id}",
        {"registrar", "manager"},
        REFUSED_TO_CASE,
    ),
    ("POST", "/meetings/{meeting_id}/delegation-report", {"manager"}, REFUSED_TO_MEETING),
    # Appeals of a decision and a delegated decision's own notice: an empty form is sent
    # back to the case's "Legal force" section (or the decision's page) with its errors.
    ("POST", "/cases/{case}/appeals", {"registrar", "manager"}, LEGAL_FORCE),
    ("POST", "/cases/{case}/appeals/{appeal_id}/end", {"registrar", "manager"}, LEGAL_FORCE),
    (
        "POST",
        "/cases/{case}/delegated-decision/notice",
        {"manager"},
        (302, "/cases/{case}/delegated-decision"),
    ),
    ("GET", "/admin/users/", {"admin"}, 200),
    ("GET", "/admin/users/new", {"admin"}, 200),
    ("POST", "/admin/users/new", {"admin"}, 422),
    ("GET", "/admin/users/?show=not_activated", {"admin"}, 200),
    ("GET", "/admin/users/{owner_id}/edit", {"admin"}, 200),
    # An empty form keeps the stored values (WTForms reads them from the object): saved.
    ("POST", "/admin/users/{owner_id}/edit", {"admin"}, (302, "/admin/users/")),
    ("GET", "/admin/users/{owner_id}/deactivate", {"admin"}, 200),
    # The officer of the case has open work and no successor was named: refused.
    ("POST", "/admin/users/{owner_id}/deactivate", {"admin"}, 422),
    # Already active: refused by the service, sent back to the list.
    ("POST", "/admin/users/{owner_id}/reactivate", {"admin"}, (303, "/admin/users/")),
    ("GET", "/admin/users/{owner_id}/password", {"admin"}, 200),
    ("POST", "/admin/users/{owner_id}/password", {"admin"}, 422),
    ("POST", "/admin/users/{owner_id}/password-link", {"admin"}, 200),
    ("GET", "/account/password", ALL, 200),
    ("POST", "/account/password", ALL, 422),
    ("GET", "/mail/", {"registrar"}, 200),
    ("GET", "/mail/?show=filed&page=3", {"registrar"}, 200),
    ("GET", "/mail/{mail_id}", {"registrar"}, 200),
    ("GET", "/mail/{mail_id}/raw", {"registrar"}, 200),
    ("GET", "/mail/{mail_id}/parts/0", {"registrar"}, 200),
    ("POST", "/mail/{mail_id}/register", {"registrar"}, 422),
    ("POST", "/mail/{mail_id}/reject", {"registrar"}, MAIL),
    ("POST", "/mail/{mail_id}/undo", {"registrar"}, MAIL),
    ("POST", "/mail/{mail_id}/retry", {"registrar"}, (303, "/mail/{mail_id}")),
    ("POST", "/mail/{mail_id}/requeue", {"registrar"}, MAIL),
    ("GET", "/admin/mailboxes/", {"admin"}, 200),
    ("GET", "/admin/mailboxes/new", {"admin"}, 200),
    ("POST", "/admin/mailboxes/new", {"admin"}, 422),
    ("GET", "/admin/mailboxes/{mailbox_id}/edit", {"admin"}, 200),
    # An empty form keeps the stored values (WTForms reads them from the object): saved.
    ("POST", "/admin/mailboxes/{mailbox_id}/edit", {"admin"}, (302, "/admin/mailboxes/")),
    ("POST", "/admin/mailboxes/{mailbox_id}/test", {"admin"}, (302, "/admin/mailboxes/")),
    ("GET", "/admin/", {"admin"}, 200),
    ("GET", "/admin/organisation", {"admin"}, 200),
    ("POST", "/admin/organisation", {"admin"}, 422),
    ("GET", "/admin/units/", {"admin"}, 200),
    ("POST", "/admin/units/", {"admin"}, 422),
    ("GET", "/admin/units/{unit_id}", {"admin"}, 200),
    ("POST", "/admin/units/{unit_id}", {"admin"}, 422),
    ("POST", "/admin/units/{unit_id}/active", {"admin"}, (302, "/admin/units/")),
    ("GET", "/admin/series/", {"admin"}, 200),
    ("POST", "/admin/series/", {"admin"}, 422),
    ("GET", "/admin/series/{series_id}", {"admin"}, 200),
    ("POST", "/admin/series/{series_id}", {"admin"}, 422),
    ("POST", "/admin/series/{series_id}/active", {"admin"}, (302, "/admin/series/")),
    ("GET", "/admin/bodies/", {"admin", "manager"}, 200),
    ("POST", "/admin/bodies/", {"admin", "manager"}, 422),
    ("GET", "/admin/bodies/{organ_id}", {"admin", "manager"}, 200),
    ("POST", "/admin/bodies/{organ_id}", {"admin", "manager"}, 422),
    ("POST", "/admin/bodies/{organ_id}/members", {"admin", "manager"}, 422),
    ("GET", "/admin/bodies/{organ_id}/members/{member_id}", {"admin", "manager"}, 200),
    ("POST", "/admin/bodies/{organ_id}/members/{member_id}", {"admin", "manager"}, 422),
    # Skapa konto: the member in the register has no e-mail address and none was given.
    ("POST", "/admin/bodies/{organ_id}/members/{member_id}/account", {"admin", "manager"}, 422),
    ("GET", "/meetings/new?organ={organ_id}", {"manager"}, 200),
    # Last: it removes the member the entries above use.
    (
        "POST",
        "/admin/bodies/{organ_id}/members/{member_id}/remove",
        {"admin", "manager"},
        (302, "/admin/bodies/{organ_id}#members"),
    ),
    ("GET", "/admin/classification/", {"admin"}, 200),
    ("GET", "/admin/classification/new", {"admin"}, 200),
    ("POST", "/admin/classification/new", {"admin"}, 422),
    ("GET", "/admin/classification/{class_id}/edit", {"admin"}, 200),
    # An empty form keeps the stored values (WTForms reads them from the object): saved.
    ("POST", "/admin/classification/{class_id}/edit", {"admin"}, CLASSES),
    ("POST", "/admin/classification/{class_id}/active", {"admin"}, CLASSES),
    # The area has sub-classes: refused, and sent back to the structure.
    ("POST", "/admin/classification/{area_id}/remove", {"admin"}, (303, "/admin/classification/")),
    ("GET", "/admin/classification/unmatched/", {"admin"}, 200),
    # No class chosen: sent back to the list with a message.
    ("POST", "/admin/classification/unmatched/cases/{case_id}", {"admin"}, UNMATCHED),
    ("POST", "/admin/classification/unmatched/code", {"admin"}, UNMATCHED),
    ("GET", "/parties/", {"registrar", "owner", "other", "manager"}, 200),
    ("GET", "/parties/?q=Vinnova", {"registrar", "owner", "other", "manager"}, 200),
    ("GET", "/parties/new", {"registrar"}, 200),
    ("POST", "/parties/new", {"registrar"}, 422),
    ("GET", "/parties/{party_id}/edit", {"registrar"}, 200),
    ("POST", "/parties/{party_id}/edit", {"registrar"}, PARTY_EDIT),
    ("GET", "/parties/duplicates", {"registrar"}, 200),
    ("POST", "/parties/merge", {"registrar"}, (302, "/parties/duplicates")),
    # The audit trail: registrars, managers and admins (secret values masked for admins).
    ("GET", "/audit/", {"registrar", "manager", "admin"}, 200),
    (
        "GET",
        "/audit/?case={case}&kind=case.open&date_from=2021-01-01&page=2",
        {"registrar", "manager", "admin"},
        200,
    ),  # fmt: skip
    ("GET", "/audit/export.csv?case={case}", {"registrar", "manager", "admin"}, 200),
    ("GET", "/audit/export.xlsx?case={case}", {"registrar", "manager", "admin"}, 200),
    # Search (case.view): an empty form, a search with every filter, a number that goes
    # straight to its case or document, and the results as CSV and Excel.
    ("GET", "/search/", STAFF, 200),
    (
        "GET",
        "/search/?q=medfinansiering&kind=document&series=RS&year=2021&status=registered"
        "&direction=incoming&date_from=2021-01-01&date_to=2021-12-31&officer={owner_id}"
        "&unit={unit_id}&class_id={class_id}&order=date&page=2",
        STAFF,
        200,
    ),
    ("GET", "/search/?q={case}", STAFF, (303, "/cases/{case}")),
    ("GET", "/search/?q={case}-1", STAFF, (303, "/documents/{public_doc}")),
    ("GET", "/search/export.csv?q=medfinansiering&year=2021", STAFF, 200),
    ("GET", "/search/export.xlsx?q=medfinansiering", STAFF, 200),
    # The notice board's staff pages (managers): forms sent empty are refused and sent
    # back; the world's meeting was held long ago, so it is not announced.
    ("GET", "/anslagstavla/hantera/", {"manager"}, 200),
    ("POST", "/anslagstavla/hantera/ny", {"manager"}, 422),
    ("POST", "/anslagstavla/hantera/protokoll/{meeting_id}", {"manager"}, NOTICES),
    ("POST", "/anslagstavla/hantera/kungorelse/{meeting_id}", {"manager"}, REFUSED_TO_NOTICES),
    ("POST", "/anslagstavla/hantera/{notice_id}/ta-ned", {"manager"}, NOTICES),
    # Requests for public documents: the registrar and managers handle every one, an
    # official those assigned to them (the case's officer, "owner"). A form sent empty
    # comes back with its errors (422), or is refused by its rule and goes back to the
    # request's page.
    ("GET", "/begaran/", {"registrar", "owner", "other", "manager"}, 200),
    ("GET", "/begaran/{request}", {"registrar", "owner", "manager"}, 200),
    ("GET", "/begaran/{request}/letter", {"registrar", "owner", "manager"}, 200),
    ("POST", "/begaran/{request}/items/{request_item_id}", {"registrar", "owner", "manager"}, 422),
    ("POST", "/begaran/{request}/documents", {"registrar", "owner", "manager"}, 422),
    ("POST", "/begaran/{request}/send", {"registrar", "owner", "manager"}, REQUEST_REFUSED),
    ("POST", "/begaran/{request}/handed-over", {"registrar", "owner", "manager"}, 422),
    (
        "POST",
        "/begaran/{request}/written-decision",
        {"registrar", "owner", "manager"},
        REQUEST_REFUSED,
    ),
    ("POST", "/begaran/{request}/note", {"registrar", "owner", "manager"}, REQUEST_PAGE),
    ("POST", "/begaran/{request}/assign", {"registrar", "manager"}, 422),
    ("POST", "/begaran/from-mail/{mail_id}", {"registrar"}, (302, "/begaran/{next_request}")),
    ("POST", "/begaran/{request}/close", {"registrar", "owner", "manager"}, REQUEST_PAGE),
    # The e-diarium: publishing a document's files is the registrar's; a series that
    # publishes no files (the default) refuses it.
    ("POST", "/diarium/hantera/handling/{public_doc}/filer", {"registrar"}, REFUSED_TO_OVERVIEW),
    # The day a request's fee was paid: a form sent empty comes back with its error.
    ("POST", "/begaran/{request}/paid", {"registrar", "owner", "manager"}, 422),
    # Linking an item in the requester's words to a document: sent empty, its error.
    (
        "POST",
        "/begaran/{request}/items/{request_item_id}/document",
        {"registrar", "owner", "manager"},
        422,
    ),
]
QUEUED_MAIL = (
    b"From: Vinnova <info@vinnova.se>\nTo: platina@regionjh.se\nSubject: Utlysning\n"
    b"Message-ID: <matrix@vinnova.se>\nMIME-Version: 1.0\n"
    b"Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nHej\n"
    b"--b\nContent-Type: application/pdf; name=a.pdf\n\n%PDF-1.4\n--b--\n"
)
#: Routes open to everyone, logged in or not.
PUBLIC = [
    ("GET", "/login", (200, None)),
    ("POST", "/login", (200, None)),  # the form again, with its errors
    ("POST", "/logout", (302, "/login")),
    ("POST", "/language/en", (302, "/")),
    ("GET", "/organisation/logo", (404, None)),  # none uploaded yet
    # An unknown (or used, or expired) one-time link: the page says so.
    ("GET", "/auth/set-password/not-a-token", (404, None)),
    ("POST", "/auth/set-password/not-a-token", (404, None)),
    # The notice board (anonymous, no cookie); no notice has been posted here.
    ("GET", "/anslagstavla/", (200, None)),
    ("GET", "/anslagstavla/arkiv", (200, None)),
    ("GET", "/anslagstavla/1", (404, None)),
    ("GET", "/anslagstavla/1/filer/1", (404, None)),
    # Requests for public documents: the form, and a private link nobody was given.
    ("GET", "/diarium/begaran/ny", (200, None)),
    ("POST", "/diarium/begaran/ny", (400, None)),  # no form token: the form again
    ("GET", "/diarium/begaran/not-a-token", (404, None)),
    ("POST", "/diarium/begaran/not-a-token/beslut", (404, None)),
    ("GET", "/diarium/begaran/not-a-token/beslut.docx", (404, None)),
    # The e-diarium, anonymous and cookie-free (tests/public); this client's database is
    # empty, so a case and a file are not found.
    ("GET", "/diarium/", (200, None)),
    ("GET", "/diarium/?q=medfinansiering&series=RS&organ=1&party=Vinnova&page=2", (200, None)),
    ("GET", "/diarium/arende/RS/1/2021", (404, None)),
    ("GET", "/diarium/postlista?date=2021-11-01", (200, None)),
    ("GET", "/diarium/postlista.json?date=2021-11-01", (200, None)),
    ("GET", "/diarium/postlista.csv", (200, None)),
    ("GET", "/diarium/handling/1/fil/1", (404, None)),
    ("GET", "/diarium/no-such-page", (404, None)),
    ("GET", "/robots.txt", (200, None)),
    ("GET", "/tillganglighet", (200, None)),
]


@pytest.fixture
def world(make, app):
    users = {
        "registrar": make.user("registrar"),
        "owner": make.user("official"),
        "other": make.user("official"),
        "manager": make.user("manager"),
        "admin": make.user("admin"),
        "member": make.user("member"),
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
    classes = make.classification()
    meeting = make.meeting_with(case)
    (item,) = make.session.merge(meeting).items
    ids = {
        "case": case.number,
        "case_id": case.id,
        "public_doc": public.id,
        "public_file": public.files[0].id,
        "secret_doc": secret.id,
        "secret_file": secret.files[0].id,
        "loose_doc": loose.id,
        "loose_file": loose.files[0].id,
        "owner_id": users["owner"].id,
        "template_id": make.builtin_template("memo").id,
        "meeting_id": meeting.id,
        "item_id": item.id,
        "dispatch_id": (dispatch := make.dispatch(item)).id,
        "recipient_id": make.dispatch_letter(dispatch).id,
        "job_id": make.export_job(meeting).id,
        "mail_id": make.mail(QUEUED_MAIL).id,
        "mailbox_id": make.mailbox(port=1).id,  # nothing listens: the test fails cleanly
        "unit_id": make.unit("Näringsliv").id,
        "series_id": make.series("RS").id,
        "organ_id": make.session.merge(meeting).organ_id,
        "member_id": _first_member(make, make.session.merge(meeting).organ_id),
        "delegation_id": make.delegation(make.session.merge(meeting).organ).id,
        "class_id": classes["1.1.1"].id,
        "area_id": classes["1"].id,
        "party_id": make.party("Vinnova", kind="organisation").id,
        **_proceedings(make, app, meeting),
        "summons_id": _summons(make, meeting),
        "appeal_id": _appeal(make, item),
        "notice_id": _notice(make),
        **_document_request(make, app, public),
    }
    _asked_to_attest(make, meeting, users["member"])
    return users, ids


def _asked_to_attest(make, meeting, user) -> None:
    """The member's account is Bertil Justerare's in the register, and he is among those
    asked to attest the meeting's protocol (which has not been sent yet)."""
    from sqlmodel import select

    from caseflow.meetings.justering_models import MeetingSignature
    from caseflow.meetings.models import OrganMember

    meeting = make.session.merge(meeting)
    bertil = make.session.exec(
        select(OrganMember).where(
            OrganMember.organ_id == meeting.organ_id, OrganMember.name == "Bertil Justerare"
        )
    ).one()
    bertil.user_id = user.id
    make.session.add(MeetingSignature(meeting_id=meeting.id, member_id=bertil.id, name=bertil.name))
    make.session.commit()


def _proceedings(make, app, meeting) -> dict:
    """The list of those present, a motion by one of them, another motion and a statement."""
    from caseflow.meetings import proceedings

    meeting = make.session.merge(meeting)
    (item,) = meeting.items
    with app.app_context():
        attendee, *_others = proceedings.call_roll(make.session, meeting, user=None)
        proceedings.add_motion(make.session, item, attendee=attendee, text="Avslag.", user=None)
        motion = proceedings.add_motion(
            make.session, item, mover="Gunnel", text="Bifall.", user=None
        )
        statement = proceedings.add_statement(
            make.session, item, kind="reservation", name="Gunnel", user=None
        )
    make.session.commit()
    return {"attendee_id": attendee.id, "motion_id": motion.id, "statement_id": statement.id}


def _summons(make, meeting) -> int:
    """A kallelse as the records show it after sending, without mail."""
    from caseflow.documents.services import store_blob
    from caseflow.meetings.models import MeetingSummons

    sha256, _size = store_blob(make.session, make.store, b"kallelse")
    summons = MeetingSummons(
        meeting_id=meeting.id, version=1, recipients="[]", sha256=sha256, status="sent"
    )
    make.session.add(summons)
    make.session.commit()
    return summons.id


def _appeal(make, item) -> int:
    """An open appeal against the § (as the records hold it)."""
    from caseflow.meetings.appeal_models import Appeal

    appeal = Appeal(
        case_id=item.case_id,
        agenda_item_id=item.id,
        kind="legality",
        appellant="Gunnel",
        received_on=date(2021, 12, 1),
    )
    make.session.add(appeal)
    make.session.commit()
    return appeal.id


def _notice(make) -> int:
    """A notice a manager posted on the notice board."""
    from caseflow.noticeboard.models import Notice

    notice = Notice(
        kind="other",
        title="Granskning",
        posted_on=date(2021, 12, 1),
        take_down_on=date(2021, 12, 22),
    )
    make.session.add(notice)
    make.session.commit()
    return notice.id


def _document_request(make, app, document) -> dict:
    """An anonymous request for the case's public document, assigned to its officer."""
    from caseflow.disclosure.services import WantedItem, receive_request

    document = make.session.merge(document)
    with app.test_request_context():
        found, _token = receive_request(
            make.session,
            case=None,
            items=[WantedItem(document_id=document.id)],
            delivery="pickup",
        )
    make.session.commit()
    following = found.number[:-4] + f"{found.seq + 1:04d}"
    return {
        "request": found.number,
        "request_item_id": found.items[0].id,
        "next_request": following,
    }


def _first_member(make, organ_id: int) -> int:
    from sqlmodel import select

    from caseflow.meetings.models import OrganMember

    query = select(OrganMember.id).where(OrganMember.organ_id == organ_id)
    return make.session.exec(query).first()


def test_the_matrix_covers_every_route(app):
    covered = {(m, _rule_of(app, m, url)) for m, url, _, _ in MATRIX} | {
        (m, _rule_of(app, m, url)) for m, url, _ in PUBLIC
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
        recipient_id=1,
        job_id=1,
        mail_id=1,
        mailbox_id=1,
        unit_id=1,
        series_id=1,
        organ_id=1,
        member_id=1,
        delegation_id=1,
        class_id=1,
        area_id=1,
        case_id=1,
        party_id=1,
        attendee_id=1,
        motion_id=1,
        statement_id=1,
        summons_id=1,
        appeal_id=1,
        notice_id=1,
        request="BEG-2026-0001",
        request_item_id=1,
        next_request="BEG-2026-0002",
    )
    rule, _args = adapter.match(filled, method=method, return_rule=True)
    return rule.rule


def _request(client, method, url):
    response = client.open(url, method=method, data={})
    response.close()  # a file download holds its file open until closed
    return response


def _expected(expect, ids) -> tuple[int, str | None]:
    if isinstance(expect, int):
        return expect, None
    status, location = expect
    return status, location.format(**ids)


def _log_in(app, user):
    client = app.test_client()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    return client


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_exactly_its_rights(world, app, role):
    users, ids = world
    client = _log_in(app, users[role])
    for method, template, allowed, expect in MATRIX:
        url = template.format(**ids)
        response = _request(client, method, url)
        got = (response.status_code, response.headers.get("Location"))
        if role in allowed:
            assert got == _expected(expect, ids), (role, method, url)
        else:
            assert got == (403, None), (role, method, url)


def test_anonymous_users_are_sent_to_log_in(world, client):
    _users, ids = world
    for method, template, _allowed, _expect in MATRIX:
        url = template.format(**ids)
        response = _request(client, method, url)
        assert response.status_code == 302, (method, url)
        assert response.headers["Location"] == "/login?next=" + quote(url, safe=""), (method, url)


@pytest.mark.parametrize("method, url, expect", PUBLIC)
def test_the_public_routes_answer_everyone(client, method, url, expect):
    response = _request(client, method, url)
    assert (response.status_code, response.headers.get("Location")) == expect


def test_reading_a_secret_document_is_logged(world, app, make):
    from caseflow.common.audit import events_for_case

    users, ids = world
    client = _log_in(app, users["manager"])
    with client.get(f"/documents/{ids['secret_doc']}/files/{ids['secret_file']}") as response:
        assert response.data == b"hemlig"
    actions = [e.action for e in events_for_case(make.fresh(), ids["case_id"])]
    assert actions.count("document.read_secret") == 1
    _request(client, "GET", f"/documents/{ids['public_doc']}/files/{ids['public_file']}")
    actions = [e.action for e in events_for_case(make.fresh(), ids["case_id"])]
    assert actions.count("document.read_secret") == 1
