"""Which IMAP servers caseflow may talk to: set by whoever runs the installation.

An administrator sets up mailboxes in the web interface, but the servers they may point
at are configuration (``MAILBOX_ALLOWED_HOSTS``), out of the administrator's reach: the
mailbox form, the connection test and the poller all ask :func:`is_allowed_host`, so
neither the form nor the test button can be used to reach other machines from the
server caseflow runs on (a port scan, a probe of internal services), and a mailbox's
stored password is never sent to a host the operator did not name.

``MAILBOX_ALLOWED_HOSTS`` is a list of host names, ``*.domain`` patterns or IP addresses
(in the environment as JSON, or names separated by commas). Unset, it is this machine
(for a local Dovecot) and the authority's own mail domain, the domain of ``MAIL_FROM``
and every host under it: a functional mailbox is the authority's own.
"""

from __future__ import annotations

from email.utils import parseaddr

from flask import current_app, has_app_context

from caseflow.common.mailer import default_sender

LOOPBACK = ("127.0.0.1", "::1", "localhost")


def allowed_host_patterns(config) -> list[str]:
    """The configured host names and ``*.domain`` patterns, or the default ones."""
    configured = config.get("MAILBOX_ALLOWED_HOSTS")
    if isinstance(configured, str):
        configured = configured.replace(";", ",").split(",")
    if configured is None:
        sender = config.get("MAIL_FROM") or (default_sender() if has_app_context() else "")
        domain = parseaddr(sender)[1].rpartition("@")[2]
        configured = [*LOOPBACK, *([domain, f"*.{domain}"] if domain else [])]
    return [p.strip().lower().rstrip(".") for p in configured if p and p.strip()]


def _normal(host: str) -> str:
    return (host or "").strip().lower().rstrip(".").removeprefix("[").removesuffix("]")


def is_allowed_host(host: str, config=None) -> bool:
    """Whether caseflow may connect to ``host`` (no config and no app: only this machine)."""
    if config is None:
        if not has_app_context():
            return _normal(host) in LOOPBACK
        config = current_app.config
    host = _normal(host)
    if not host:
        return False
    for pattern in allowed_host_patterns(config):
        if pattern.startswith("*."):
            if host.endswith(pattern[1:]) and len(host) > len(pattern) - 1:
                return True
        elif host == pattern.removeprefix("[").removesuffix("]"):
            return True
    return False
