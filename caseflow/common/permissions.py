"""Who may do what: every access rule of caseflow in one place.

Role rights are a table (``RIGHTS``); rules that depend on the case (own case, secrecy)
are the functions below. Views use :func:`require`; services and the CLI call the same
functions, so the web, the CLI and later the API agree.
"""

from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user

from caseflow.common.roles import Role

#: Right → the roles that hold it.
RIGHTS: dict[str, frozenset[str]] = {
    #: Reading cases and their documents, and searching them (the search page and its
    #: export): the search finds only what its reader may open, so it needs no right of
    #: its own.
    "case.view": frozenset({Role.REGISTRAR, Role.OFFICIAL, Role.MANAGER, Role.ADMIN}),
    "case.create": frozenset({Role.REGISTRAR}),
    "case.edit": frozenset({Role.REGISTRAR}),
    "case.void": frozenset({Role.REGISTRAR}),
    "document.register": frozenset({Role.REGISTRAR, Role.OFFICIAL}),
    "document.void": frozenset({Role.REGISTRAR}),
    "document.connect": frozenset({Role.REGISTRAR}),
    #: Rättelse of registration data, a new version of a file, moving a misfiled document.
    "document.correct": frozenset({Role.REGISTRAR}),
    "registry.loose_documents": frozenset({Role.REGISTRAR}),
    "user.manage": frozenset({Role.ADMIN}),
    #: Everyone who logs in changes their own password.
    "account.password": frozenset(
        {Role.REGISTRAR, Role.OFFICIAL, Role.MANAGER, Role.ADMIN, Role.MEMBER}
    ),
    "series.manage": frozenset({Role.ADMIN}),
    "unit.manage": frozenset({Role.ADMIN}),
    "admin.overview": frozenset({Role.ADMIN}),
    "organisation.manage": frozenset({Role.ADMIN}),
    # Board secretaries (managers) keep the members of their bodies up to date too.
    "organ.manage": frozenset({Role.ADMIN, Role.MANAGER}),
    "classification.manage": frozenset({Role.ADMIN}),
    "audit.view": frozenset({Role.REGISTRAR, Role.MANAGER, Role.ADMIN}),
    "review.queue": frozenset({Role.MANAGER}),
    "template.manage": frozenset({Role.ADMIN}),
    #: Every meeting and all it holds (the kallelse too).
    "meeting.view": frozenset({Role.REGISTRAR, Role.MANAGER}),
    #: A meeting's page, the list, the agenda and the protocol, read only: every meeting
    #: with ``meeting.view``, else an official's meetings with their own cases on the
    #: agenda, and an elected member's meetings of the bodies they sit in
    #: (:func:`may_view_meeting`).
    "meeting.read": frozenset({Role.REGISTRAR, Role.OFFICIAL, Role.MANAGER, Role.MEMBER}),
    "meeting.manage": frozenset({Role.MANAGER}),
    #: Attest a protocol digitally, as its chair or a chosen attester (:func:`may_sign_protocol`).
    "protocol.sign": frozenset({Role.MEMBER}),
    "excerpt.export": frozenset({Role.REGISTRAR, Role.MANAGER}),
    "dispatch.send": frozenset({Role.REGISTRAR, Role.MANAGER}),
    #: Recording an appeal (överklagande) of a decision that came in, and how it ended.
    "appeal.record": frozenset({Role.REGISTRAR, Role.MANAGER}),
    #: The notice board: post notices (protocols, meetings, others) and take them down early.
    "notice.manage": frozenset({Role.MANAGER}),
    "mail.queue": frozenset({Role.REGISTRAR}),
    "mailbox.manage": frozenset({Role.ADMIN}),
    "party.view": frozenset({Role.REGISTRAR, Role.OFFICIAL, Role.MANAGER}),
    "party.manage": frozenset({Role.REGISTRAR}),
    #: Requests for public documents: the registrar's list, and the secrecy review of
    #: those assigned (:func:`may_decide_request`).
    "disclosure.handle": frozenset({Role.REGISTRAR, Role.OFFICIAL, Role.MANAGER}),
    #: Publishing a public document's files in the e-diarium (and taking them down).
    "document.publish_files": frozenset({Role.REGISTRAR}),
}

#: Roles a case's responsible officer (handläggare) may have.
OFFICER_ROLES = frozenset({Role.OFFICIAL, Role.MANAGER})

#: Roles that see every secret registration field and document (logged when opened).
SECRET_READERS = frozenset({Role.REGISTRAR, Role.MANAGER})


def has_right(user, right: str) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return user.role in RIGHTS[right]


def require(right: str):
    """View decorator: anonymous users go to the login page, others without the right get 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                from caseflow.extensions import login_manager

                return login_manager.unauthorized()
            if not has_right(current_user, right):
                abort(403)
            return view(*args, **kwargs)

        # Marks a staff view: the public rate limits (caseflow/common/ratelimit.py) skip it.
        wrapped.required_right = right
        return wrapped

    return decorator


def may_see_secrets(user, case) -> bool:
    """Whether ``user`` sees the secret fields and documents of ``case`` (None: löpande post)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.role in SECRET_READERS:
        return True
    return user.role == Role.OFFICIAL and case is not None and case.officer_id == user.id


def secrets_held(user) -> str:
    """Whose secrets ``user`` holds, for a query over many cases at once (the search
    index), mirroring :func:`may_see_secrets`: ``"all"``, ``"own"`` (an official: the
    cases they are responsible for, not löpande post) or ``"none"``."""
    if user is None or not getattr(user, "is_authenticated", False):
        return "none"
    if user.role in SECRET_READERS:
        return "all"
    return "own" if user.role == Role.OFFICIAL else "none"


def searchable_kinds(user) -> dict[str, bool]:
    """What ``user`` may find in the search: cases and their documents with ``case.view``;
    löpande post with ``registry.loose_documents``; the mail queue with ``mail.queue``.
    Without ``case.view`` (elected members, an admin without it) nothing at all."""
    if not has_right(user, "case.view"):
        return {"case": False, "document": False, "loose": False, "message": False}
    return {
        "case": True,
        "document": True,
        "loose": has_right(user, "registry.loose_documents"),
        "message": has_right(user, "mail.queue"),
    }


def may_register_document(user, case) -> bool:
    """Registrars register in any case; officials in the cases they are responsible for."""
    if not has_right(user, "document.register"):
        return False
    if user.role == Role.OFFICIAL:
        return case is not None and case.officer_id == user.id and case.is_open
    return case is None or not case.is_voided


def may_view_document(user, case) -> bool:
    """A document's page: staff see a case's documents (secrets masked by the projection);
    löpande post only those who work the unfiled register."""
    if case is None:
        return has_right(user, "registry.loose_documents")
    return has_right(user, "case.view")


def may_decide_request(user, request) -> bool:
    """Registrars and managers decide any request for documents; an official only those
    assigned to them for the secrecy review."""
    if not has_right(user, "disclosure.handle"):
        return False
    if user.role == Role.OFFICIAL:
        return request.assigned_to_id == user.id
    return True


def reads_every_request(user) -> bool:
    """Whether ``user`` sees every request for documents, not only those assigned to them."""
    return has_right(user, "disclosure.handle") and user.role != Role.OFFICIAL


def reads_every_meeting(user) -> bool:
    """Registrars and managers read every meeting: the list holds them all."""
    return has_right(user, "meeting.view")


def reads_own_bodies_meetings(user) -> bool:
    """Elected members read the meetings of the bodies they sit in, and no others."""
    return has_right(user, "meeting.read") and user.role == Role.MEMBER


def may_view_meeting(user, officer_ids, *, organ_id=None, seated_in=frozenset()) -> bool:
    """A meeting's page and its agenda and protocol, read only: every meeting for
    registrars and managers; for an official, a meeting where one of their own cases is on
    the agenda (``officer_ids``: the responsible officers of the cases on it); for an
    elected member, a meeting of a body they sit in (``seated_in``: those bodies' ids)."""
    if reads_every_meeting(user):
        return True
    if not has_right(user, "meeting.read"):
        return False
    if reads_own_bodies_meetings(user):
        return organ_id is not None and organ_id in seated_in
    return user.role == Role.OFFICIAL and user.id in officer_ids


def may_sign_protocol(user, signer_user_ids) -> bool:
    """An elected member attests a protocol digitally when they are its chair or one of its
    chosen attesters (``signer_user_ids``: the accounts of those asked to attest)."""
    return has_right(user, "protocol.sign") and user.id in signer_user_ids


def has_member_home(user) -> bool:
    """An elected member's home page is their meetings and what awaits their attestation."""
    return has_right(user, "protocol.sign")
