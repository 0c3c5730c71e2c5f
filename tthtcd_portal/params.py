"""Reading values a user can type into a URL: one parser per kind, each turning anything malformed — text, a
number beyond 64 bits, 31/02 — into None, never an exception."""

from __future__ import annotations

import datetime
import re

# Ids and years fit in a 64-bit integer; anything longer is a hand-edited URL (SQLite overflows on it).
_INTEGER = re.compile(r"^-?[0-9]{1,18}$")
_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def int_param(value, *, minimum: int | None = None, maximum: int | None = None) -> int | None:
    """ "2025" → 2025; "", "abc", "1e3", a 23-digit number, or a value outside [minimum, maximum] → None."""
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    else:
        text = str(value or "").strip()
        if not _INTEGER.match(text):
            return None
        number = int(text)
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        return None
    return number


def id_param(value) -> int | None:
    """A database id: a positive integer, else None."""
    return int_param(value, minimum=1)


def year_param(value) -> int | None:
    """A calendar year the portal holds data for (1900–2200), else None."""
    return int_param(value, minimum=1900, maximum=2200)


def date_param(value) -> datetime.date | None:
    """A date input's value (YYYY-MM-DD), else None — 31/02 included."""
    text = str(value or "").strip()
    if not _ISO_DATE.match(text):
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None
