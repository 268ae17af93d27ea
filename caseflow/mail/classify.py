"""What kind of message it is, by the standards (DESIGN.md "Classify"), not by guesses.

- ``autoreply``: RFC 3834 — ``Auto-Submitted`` other than ``no``, ``Precedence:
  auto_reply`` — and the vendor headers of out-of-office replies: ``X-Autoreply``,
  ``X-Autorespond``, and Outlook's ``X-Auto-Response-Suppress`` *with* an out-of-office
  subject (the header alone is on ordinary Outlook mail too);
- ``bounce``, ``delay``, ``receipt``: a delivery-status report (RFC 3464) by its actions
  (failed; delayed, still retried; delivered), and a read receipt (RFC 8098);
- ``normal``: everything else. ``Precedence: list``/``bulk`` or a ``List-Id`` only flags
  ``mailing_list``: a list is not an auto-reply, and a reply through it is routed. An
  out-of-office subject without a header flags ``autoreply_subject`` (routed, never
  filed by itself).
"""

from __future__ import annotations

import re

from caseflow.mail.parts import content_type_of


class Classifying:
    """The classifying third of a message reader (see ``parsing._Reader``)."""

    def classify(self, subject: str) -> str:
        """The kind of message by the standards (DESIGN.md "Classify"), not by guesses."""
        report_type = None
        if content_type_of(self.msg) == "multipart/report":
            try:
                report_type = str(self.msg.get_param("report-type", "") or "").lower()
            except Exception:
                report_type = ""
        if report_type == "delivery-status" or self.has_delivery_status:
            return _dsn_kind(self.dsn_actions)
        if report_type == "disposition-notification":
            return "receipt"  # RFC 8098: a read receipt, its own kind
        precedence = (self.header_text("Precedence") or "").strip().lower()
        if precedence in ("list", "bulk", "junk") or self.raw_header("List-Id") is not None:
            # A list or a newsletter (RFC 2369/2919), not an automatic reply: routed like
            # any mail, so a colleague's reply through a list still reaches its case.
            self.flag("mailing_list")
        auto_submitted = (self.header_text("Auto-Submitted") or "").split(";")[0].strip().lower()
        looks_automatic = _AUTOREPLY_SUBJECT.match(subject) is not None
        if (
            (auto_submitted and auto_submitted != "no")  # RFC 3834 §5
            or precedence == "auto_reply"  # RFC 3834 §3.1.8, as vacation programs send it
            or any(self.raw_header(name) is not None for name in ("X-Autoreply", "X-Autorespond"))
            # Outlook's out-of-office reply: the header alone is on ordinary Outlook mail too
            or (looks_automatic and self.raw_header("X-Auto-Response-Suppress") is not None)
        ):
            return "autoreply"
        if looks_automatic:
            self.flag("autoreply_subject")  # a person may write it: routed, never filed by it
        return "normal"


_AUTOREPLY_SUBJECT = re.compile(
    r"^\s*(?:frånvaro|autosvar|automatiskt svar|out of (?:the )?office(?: autoreply)?"
    r"|abwesenheit(?:snotiz)?|automatische antwort|automatic reply|auto-?reply|auto reply)"
    r"\s*(?::|$)",
    re.IGNORECASE,
)


def original_ids(raw: bytes) -> list[str]:
    """The Original-Message-ID a read receipt names (RFC 8098 §3.2.5)."""
    found = re.findall(rb"(?im)^original-message-id[ \t]*:[ \t]*(<[^<>\s]+>)", raw[: 1 << 20])
    return [value.decode("ascii", "replace") for value in found]


def _dsn_kind(actions: list[str]) -> str:
    """A delivery-status notice: a bounce when any recipient failed (or it says nothing we
    can read), a delay when delivery is only delayed, a receipt when it was delivered."""
    if not actions or "failed" in actions:
        return "bounce"
    if "delayed" in actions:
        return "delay"
    return "receipt"  # delivered, relayed, expanded
