"""Slowing down password guessing without locking anyone out.

There is no lock. Each failed login makes the next attempt wait, and an attempt that
comes too early is refused at once with the seconds left (the worker never sleeps, and no
password is checked). Three rules, each a growing delay after the last failure it counts:

1. **Account and client.** The failures of one account from one client (an IPv4 address
   or an IPv6 /64) since that client's last good login on it: the first
   ``LOGIN_FREE_FAILURES`` cost nothing, then the n-th failure makes the next attempt
   wait 2ⁿ seconds, at most ``LOGIN_MAX_DELAY_SECONDS`` (8 s after the third, a quarter of
   an hour after the tenth). This is what slows one guesser, and it never touches the
   account's owner on another client.
2. **Account from many clients.** When one account has failed from at least
   ``LOGIN_ACCOUNT_CLIENTS`` clients and more than ``LOGIN_ACCOUNT_FREE_FAILURES`` times
   in the last ``LOGIN_FAILURE_WINDOW_SECONDS``, it is under a distributed attack: every
   client waits after each failure, but at most ``LOGIN_ACCOUNT_MAX_DELAY_SECONDS`` (a
   minute), so the owner waits a minute at worst, never a lockout.
3. **Client across accounts.** A client with more than ``LOGIN_CLIENT_FREE_FAILURES``
   failures in the window (someone trying many accounts) waits after each further one,
   at most ``LOGIN_CLIENT_MAX_DELAY_SECONDS``. The limit is high: the failures of one
   person, who is slowed by rule 1, cannot reach it.

Rules 2 and 3 do not apply to an account on a client it logged in from before (within
``LOGIN_KNOWN_CLIENT_DAYS``): the office behind one proxy address keeps logging in
while someone behind the same proxy tries other accounts or guesses at a colleague's.

The state is rows in ``login_attempt``, not a limiter's memory: it holds across gunicorn
workers without another service, on SQLite and PostgreSQL alike, and is pruned as it ages.
"""

from __future__ import annotations

import ipaddress
import math
from dataclasses import dataclass, fields
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, delete, func, select

from caseflow.auth.models import LoginAttempt
from caseflow.common.timeutil import now

#: Configuration keys (without ``LOGIN_``) and their defaults.
DEFAULTS = {
    "FREE_FAILURES": 3,
    "MAX_DELAY_SECONDS": 15 * 60,
    "FAILURE_MEMORY_SECONDS": 24 * 3600,
    "FAILURE_WINDOW_SECONDS": 3600,
    "ACCOUNT_CLIENTS": 3,
    "ACCOUNT_FREE_FAILURES": 10,
    "ACCOUNT_MAX_DELAY_SECONDS": 60,
    "CLIENT_FREE_FAILURES": 100,
    "CLIENT_MAX_DELAY_SECONDS": 60,
    "KNOWN_CLIENT_DAYS": 90,
}


@dataclass(frozen=True)
class Rules:
    """The numbers of the three rules, read from ``LOGIN_*`` settings."""

    free_failures: int = DEFAULTS["FREE_FAILURES"]
    max_delay_seconds: int = DEFAULTS["MAX_DELAY_SECONDS"]
    failure_memory_seconds: int = DEFAULTS["FAILURE_MEMORY_SECONDS"]
    failure_window_seconds: int = DEFAULTS["FAILURE_WINDOW_SECONDS"]
    account_clients: int = DEFAULTS["ACCOUNT_CLIENTS"]
    account_free_failures: int = DEFAULTS["ACCOUNT_FREE_FAILURES"]
    account_max_delay_seconds: int = DEFAULTS["ACCOUNT_MAX_DELAY_SECONDS"]
    client_free_failures: int = DEFAULTS["CLIENT_FREE_FAILURES"]
    client_max_delay_seconds: int = DEFAULTS["CLIENT_MAX_DELAY_SECONDS"]
    known_client_days: int = DEFAULTS["KNOWN_CLIENT_DAYS"]

    @classmethod
    def from_config(cls, config) -> Rules:
        return cls(
            **{f.name: int(config.get(f"LOGIN_{f.name.upper()}", f.default)) for f in fields(cls)}
        )


@dataclass(frozen=True)
class Wait:
    """An attempt refused: how many seconds are left, and which rule refused it."""

    seconds: int
    rule: str  # "account_and_client", "account" or "client"


def client_key(remote_addr: str | None) -> str:
    """The client a failure is counted against: the IPv4 address, or the IPv6 /64 (one
    household or host usually holds a whole /64)."""
    try:
        address = ipaddress.ip_address((remote_addr or "").strip())
    except ValueError:
        return (remote_addr or "unknown")[:64]
    if address.version == 4:
        return str(address)
    if address.ipv4_mapped is not None:
        return str(address.ipv4_mapped)
    return str(ipaddress.ip_network(f"{address}/64", strict=False))


def account_key(email: str | None) -> str:
    return (email or "").strip().lower()[:254]


def _delay(failures: int, free: int, cap: int, *, exponent_offset: int = 0) -> int:
    if failures < free:
        return 0
    return min(2 ** min(failures + exponent_offset, 30), cap)


def _failures(session: Session, since: datetime, *where):
    failed = (~LoginAttempt.succeeded, LoginAttempt.at > since, *where)
    return session.exec(
        select(
            func.count(),
            func.max(LoginAttempt.at),
            func.count(sa.distinct(LoginAttempt.remote_addr)),
        ).where(*failed)
    ).one()


def _left(last: datetime | None, delay: int, moment: datetime) -> int:
    if not delay or last is None:
        return 0
    return max(0, math.ceil((last + timedelta(seconds=delay) - moment).total_seconds()))


def _is_known_client(session: Session, email: str, client: str, rules: Rules, moment) -> bool:
    since = moment - timedelta(days=rules.known_client_days)
    return (
        session.exec(
            select(LoginAttempt.id).where(
                LoginAttempt.succeeded,
                LoginAttempt.email == email,
                LoginAttempt.remote_addr == client,
                LoginAttempt.at > since,
            )
        ).first()
        is not None
    )


def wait_before_login(session: Session, email: str, client: str, rules: Rules) -> Wait | None:
    """The wait the three rules ask of this attempt, or None when it may go ahead."""
    moment = now()
    email = account_key(email)
    memory = moment - timedelta(seconds=rules.failure_memory_seconds)
    count, last, _ = _failures(
        session, memory, LoginAttempt.email == email, LoginAttempt.remote_addr == client
    )
    left = _left(last, _delay(count, rules.free_failures, rules.max_delay_seconds), moment)
    if left:
        return Wait(left, "account_and_client")
    if _is_known_client(session, email, client, rules, moment):
        return None
    window = moment - timedelta(seconds=rules.failure_window_seconds)
    count, last, clients = _failures(session, window, LoginAttempt.email == email)
    if clients >= rules.account_clients:
        free = rules.account_free_failures + 1
        delay = _delay(count, free, rules.account_max_delay_seconds, exponent_offset=1 - free)
        if left := _left(last, delay, moment):
            return Wait(left, "account")
    count, last, _ = _failures(session, window, LoginAttempt.remote_addr == client)
    free = rules.client_free_failures + 1
    delay = _delay(count, free, rules.client_max_delay_seconds, exponent_offset=1 - free)
    if left := _left(last, delay, moment):
        return Wait(left, "client")
    return None


def record_failure(session: Session, email: str, client: str) -> None:
    session.add(LoginAttempt(email=account_key(email), remote_addr=client))


def record_success(session: Session, email: str, client: str, rules: Rules) -> None:
    """Forget this client's failures on the account and remember it as a known client.

    Failures from other clients stay: the owner logging in must not give an attacker
    elsewhere a fresh start."""
    email = account_key(email)
    session.exec(
        delete(LoginAttempt).where(LoginAttempt.email == email, LoginAttempt.remote_addr == client)
    )
    session.add(LoginAttempt(email=email, remote_addr=client, succeeded=True))
    prune(session, rules)


def prune(session: Session, rules: Rules) -> None:
    """Drop failures older than the memory and known clients older than their days."""
    moment = now()
    session.exec(
        delete(LoginAttempt).where(
            sa.or_(
                sa.and_(
                    ~LoginAttempt.succeeded,
                    LoginAttempt.at < moment - timedelta(seconds=rules.failure_memory_seconds),
                ),
                LoginAttempt.at < moment - timedelta(days=rules.known_client_days),
            )
        )
    )
