"""What higher domains offer on a mail's page in the queue, registered by them.

The mail domain sits below, e.g., requests for documents: it never imports them. Such a
domain registers a provider in its ``init_app``; the mail page shows what the providers
return for the mail and the reader.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlmodel import Session

from caseflow.mail.models import MailMessage


@dataclass
class MessageAction:
    """A button (``url`` answered by POST) or, with ``done``, a link to what was made."""

    label: str
    url: str
    done: bool = False


_providers: list[Callable[[Session, MailMessage, object], list[MessageAction]]] = []


def register_message_action(provider) -> None:
    """Add ``provider(session, mail, user) -> [MessageAction]``; the same one once only."""
    if provider not in _providers:
        _providers.append(provider)


def message_actions(session: Session, mail: MailMessage, user) -> list[MessageAction]:
    return [action for provider in _providers for action in provider(session, mail, user)]
