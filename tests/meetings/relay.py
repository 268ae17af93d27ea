"""A real SMTP server on loopback (aiosmtpd) whose answers a test decides: it can refuse
chosen addresses at RCPT, as a real relay refuses an unknown user."""

from __future__ import annotations

import socket
import threading
from email import message_from_bytes
from email.policy import default


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Relay:
    def __init__(self, port: int | None = None):
        from aiosmtpd.controller import Controller

        self.port = port or free_port()
        self.refused: set[str] = set()
        #: Every RCPT TO the server was given, in order, refused or not.
        self.rcpts: list[str] = []
        #: (envelope recipients, parsed message) of every message taken.
        self.messages: list = []
        #: The bytes of every message taken, as they came.
        self.raw: list[bytes] = []
        self.lock = threading.Lock()
        relay = self

        class Handler:
            async def handle_RCPT(self, server, session, envelope, address, options):  # noqa: N802
                with relay.lock:
                    relay.rcpts.append(address)
                if address in relay.refused:
                    return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
                envelope.rcpt_tos.append(address)
                return "250 OK"

            async def handle_DATA(self, server, session, envelope):  # noqa: N802
                with relay.lock:
                    relay.raw.append(envelope.content)
                    relay.messages.append(
                        (
                            list(envelope.rcpt_tos),
                            message_from_bytes(envelope.content, policy=default),
                        )
                    )
                return "250 OK"

        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)

    def start(self) -> Relay:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()
