"""Why a mail is where it is, and why it failed: codes in the row, words when shown.

A mail's reason is stored as a code and a JSON object of parameters, never as a sentence:
the same row is read in Swedish and in English, and a sentence stored in one language
would show in it for ever. ``describe`` puts a code into words in the reader's language.
Text of unknown origin (reasons stored before codes existed) keeps the code ``text`` and
is shown as it was written.
"""

from __future__ import annotations

import json

from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l

#: The code of free text shown as it is (an old reason no code matched).
TEXT = "text"

#: Each reason code and its sentence; the parameters are named in the sentence.
REASONS = {
    "own_mail": _l("Our own mail: not registered again."),
    "own_mail_in_case": _l(
        "Our own mail (registered as an outgoing document in %(case)s): not registered again."
    ),
    "autoreply": _l("Automatic reply: kept, but nothing is done."),
    "bounce_in_case": _l("Bounced mail sent from %(case)s."),
    "bounce_unknown": _l("Bounced message; the mail it concerns is unknown."),
    "delayed_in_case": _l(
        "Delivery of mail sent from %(case)s is delayed; the mail server is still trying."
    ),
    "delayed_unknown": _l(
        "Delivery of a mail is delayed (the mail server is still trying); the mail it "
        "concerns is unknown."
    ),
    "receipt_in_case": _l("Receipt for mail sent from %(case)s: kept, nothing is done."),
    "receipt_unknown": _l("Receipt (read or delivered); the mail it concerns is unknown."),
    "looks_automatic": _l(
        "The subject looks like an automatic reply but no header says so: check it before "
        "filing it in %(case)s."
    ),
    "other_spelling": _l(
        "A case number written another way (%(numbers)s): check it before filing."
    ),
    "several_numbers": _l("Several case numbers in the subject: %(numbers)s."),
    "unknown_number": _l("The case number %(number)s does not exist."),
    "conflicting_signals": _l(
        "Conflicting signals: a reply to mail sent from %(reply)s, "
        "but the case number %(subject)s in the subject."
    ),
    "case_not_open": _l("%(case)s is not open."),
    "filed_reply": _l("Filed in %(case)s (a reply to mail sent from it)."),
    "filed_subject": _l("Filed in %(case)s (the case number in the subject)."),
    "no_case_number": _l("No case number and no reply to mail we sent."),
    "forwarded_no_case_number": _l(
        "No case number and no reply to mail we sent (forwarded message)."
    ),
    "oversized": _l(
        "The message is %(size)s MB, larger than the limit of %(limit)s MB for automatic "
        "filing: review it in the queue."
    ),
    "message_id_collision": _l(
        "A message with the same Message-ID but other content has already come in: "
        "check that it is not already registered."
    ),
    "message_id_collision_in_case": _l(
        "A message with the same Message-ID but other content has already come in (the "
        "earlier one is in %(case)s): check that it is not already registered."
    ),
    "same_bytes": _l("The same message already exists (message %(first)s)."),
    "same_message": _l(
        "The same message already came in another way (message %(first)s): only the line "
        "ends, the mbox quoting or the headers added on the way differ."
    ),
    "already_imported": _l("Already read from the same source."),
    "filed_by_registrar": _l("Filed in %(case)s by the registrar."),
    "registered_without_case": _l("Registered without a case (to be connected to one later)."),
    "requeued": _l("To the queue: %(reason)s"),
    "undone": _l("Undone: %(reason)s"),
    # The registrar's own words: shown as written.
    "rejected": "%(reason)s",
    TEXT: "%(text)s",
}

#: Why processing failed; the technical detail is stored beside the code and shown below.
FAILURES = {
    "processing_failed": _l(
        "The message could not be read or routed. It is stored; file it by hand or run it again."
    ),
    "interrupted": _l(
        "Processing was interrupted several times (the process died). The message is "
        "stored and waits for the registrar."
    ),
}
DEFAULT_FAILURE = "processing_failed"


class Reason(dict):
    """A reason code and its parameters. A dict, so that the audit trail and JSON keep the
    code and parameters themselves; ``str()`` is the sentence in the current language."""

    def __init__(self, code: str, **params):
        super().__init__(code=code, params=params)

    @property
    def code(self) -> str:
        return self["code"]

    @property
    def params(self) -> dict:
        return self["params"]

    def __str__(self) -> str:
        return describe(self.code, self.params)


class Failure(str):
    """The technical detail of a failure that also names its code (kept when sliced)."""

    code: str

    def __new__(cls, code: str, detail: str = ""):
        failure = super().__new__(cls, detail)
        failure.code = code
        return failure

    def __getitem__(self, key):
        return Failure(self.code, str.__getitem__(self, key))


def _shown(value):
    if isinstance(value, float):
        return format_decimal(value)
    if isinstance(value, list | tuple):
        return ", ".join(map(str, value))
    return value


def describe(code: str | None, params: dict | str | None = None) -> str | None:
    """The reason ``code`` with its ``params`` (a dict or its JSON) as a sentence."""
    if code is None:
        return None
    if isinstance(params, str):
        params = json.loads(params or "{}")
    params = {name: _shown(value) for name, value in (params or {}).items()}
    template = REASONS.get(code)
    if template is None:  # a code this version does not know: say what is stored
        return f"{code} {json.dumps(params, ensure_ascii=False)}" if params else code
    try:
        return str(template) % params
    except (KeyError, TypeError, ValueError):  # a translation naming other parameters
        return str(template)


def describe_failure(code: str | None) -> str | None:
    """The sentence of a failure code, for the registrar (the detail is shown below it)."""
    if code is None:
        return None
    return str(FAILURES.get(code, FAILURES[DEFAULT_FAILURE]))
