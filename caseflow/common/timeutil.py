"""Time in one place: stored in UTC, shown in the organisation's time zone."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Europe/Stockholm")


def now() -> datetime:
    """The current moment, timezone-aware in UTC."""
    return datetime.now(UTC)


def today() -> date:
    """Today's date where the authority is."""
    return now().astimezone(LOCAL_TZ).date()


def local(value: datetime | None) -> datetime | None:
    return value.astimezone(LOCAL_TZ) if value is not None else None
