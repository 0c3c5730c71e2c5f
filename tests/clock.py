"""The tests' one clock.

Every test runs with "now" pinned to PINNED_NOW (tests/conftest.py, with time-machine), so the suite gives the
same answer on any day it runs. A test that needs another moment says so: ``@pytest.mark.now("2025-06-30 20:00")``
(local time in Asia/Ho_Chi_Minh). Factories and helpers take dates from ``today()`` (the pinned day), never from a
literal year, and module-level constants use ``PINNED_TODAY``, never the real clock read at import.

The pin is 06:30 in Hà Nội, which is still the previous day in UTC: code that takes a date from a UTC datetime
(``timezone.now().date()``) instead of the local one (``timezone.localdate()``) gets the wrong day and fails.
"""

import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
PINNED_NOW = datetime.datetime(2026, 11, 16, 6, 30, tzinfo=LOCAL)
PINNED_TODAY = PINNED_NOW.date()
PINNED_YEAR = PINNED_TODAY.year


def moment(text: str) -> datetime.datetime:
    """'2025-06-30' or '2025-06-30 20:00' (local time) → an aware datetime."""
    value = datetime.datetime.fromisoformat(text)
    return value if value.tzinfo else value.replace(tzinfo=LOCAL)


def today() -> datetime.date:
    """The pinned day (or a test's own, from its `now` marker)."""
    return timezone.localdate()


def this_year() -> int:
    return today().year


def days_from_today(days: int) -> datetime.date:
    return today() + datetime.timedelta(days=days)


def first_of_month(months_back: int = 0) -> datetime.date:
    """The first day of the month `months_back` months before the pinned one."""
    day = today()
    index = day.year * 12 + day.month - 1 - months_back
    return datetime.date(index // 12, index % 12 + 1, 1)
