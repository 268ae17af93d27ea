"""IMAP fixtures: a fresh Dovecot per test (it starts in about 0.2 s)."""

from __future__ import annotations

import pytest

from tests.support import require_or_skip

MISSING = "Dovecot (Debian package dovecot-imapd) is not installed"


@pytest.fixture
def imap_server():
    # Imported here so that the other mail tests still run where imapclient is missing.
    from tests.mail.imapserver import DovecotServer, dovecot_binary

    if dovecot_binary() is None:
        require_or_skip(MISSING)
    with DovecotServer() as server:
        yield server
