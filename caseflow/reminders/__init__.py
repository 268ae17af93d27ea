"""Reminders (bevakningar) and the daily digest of deadlines."""
