"""Reminders (bevakningar) and the daily digest of deadlines."""

from flask import Flask


def init_app(app: Flask) -> None:
    from caseflow.auth.accounts import register_handover
    from caseflow.reminders.handover import HANDOVER

    register_handover(app, HANDOVER)
