"""The Dovecot harness itself: delivery, a UIDVALIDITY change, the protocol log."""

from imapclient import IMAPClient

MESSAGE = (
    b"From: Susanna L\xc3\xb6fgren <susanna@lansstyrelsen.example>\r\n"
    b"To: registrator@regionjh.example\r\n"
    b"Subject: RS/720/2021 komplettering\r\n"
    b"Message-ID: <harness-1@lansstyrelsen.example>\r\n"
    b"\r\n"
    b"Hej!\r\n"
)


def other(n: int) -> bytes:
    return MESSAGE.replace(b"harness-1@", f"harness-{n}@".encode())


def test_append_and_read_back_without_marking_seen(imap_server):
    uid = imap_server.append(MESSAGE)
    imap_server.create_folder("Processed")
    imap_server.append(other(2), folder="Processed", flags=[b"\\Flagged"])

    assert imap_server.folder_messages("INBOX") == [MESSAGE]
    assert imap_server.flags("INBOX") == {uid: ()}
    assert list(imap_server.flags("Processed").values()) == [(b"\\Flagged",)]
    assert "Processed" in imap_server.folders()


def test_uidvalidity_change_keeps_messages_under_new_uids(imap_server):
    for n in range(1, 4):
        imap_server.append(other(n))
    old_validity = imap_server.uidvalidity()
    old_uids = imap_server.uids()
    before = imap_server.folder_messages()

    new_validity = imap_server.change_uidvalidity()

    assert new_validity != old_validity
    assert imap_server.uidvalidity() == new_validity
    assert imap_server.folder_messages() == before
    assert not set(imap_server.uids()) & set(old_uids)


def test_protocol_log_records_the_clients_commands_only(imap_server):
    imap_server.append(MESSAGE)
    imap_server.create_folder("Processed")
    server = imap_server
    with IMAPClient(server.host, server.port, ssl=False, timeout=5) as client:
        client.login(server.user, server.password)
        assert {b"MOVE", b"UIDPLUS"} <= set(client.capabilities())
        client.select_folder("INBOX")
        client.move(client.search(), "Processed")

    log = server.protocol_log()
    assert log == ['SELECT "INBOX"', "UID SEARCH ALL", 'UID MOVE 1 "Processed"', "LOGOUT"]
    assert not any(command.split()[0] == "EXPUNGE" for command in log)
    assert len(server.folder_messages("Processed")) == 1
