"""Reading values a user can type into a URL: one parser per kind, each turning anything malformed — text, a
number beyond 64 bits, 31/02 — into None, never an exception."""

from __future__ import annotations

import datetime
import re

from django import forms
from django.utils.translation import gettext as _

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


# The dates the portal holds data for, as year_param's years: 0001-01-01 minus a day overflows Python's dates.
MIN_DATE, MAX_DATE = datetime.date(1900, 1, 1), datetime.date(2200, 12, 31)


def date_param(value) -> datetime.date | None:
    """A date input's value (YYYY-MM-DD) between MIN_DATE and MAX_DATE, else None — 31/02 included."""
    text = str(value or "").strip()
    if not _ISO_DATE.match(text):
        return None
    try:
        day = datetime.date.fromisoformat(text)
    except ValueError:
        return None
    return day if MIN_DATE <= day <= MAX_DATE else None


class DateParamField(forms.DateField):
    """A filter form's date (tu_ngay, den_ngay): what date_param accepts, else the field's error in Vietnamese."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
        super().__init__(**kwargs)

    def to_python(self, value):
        day = super().to_python(value)
        if day is not None and not MIN_DATE <= day <= MAX_DATE:
            raise forms.ValidationError(
                _("Ngày phải trong khoảng %(first)s–%(last)s.")
                % {"first": MIN_DATE.strftime("%d/%m/%Y"), "last": MAX_DATE.strftime("%d/%m/%Y")},
                code="out_of_range",
            )
        return day


def text_param(value, *, max_length: int = 100) -> str:
    """Search text typed into a URL: stripped, cut to `max_length`, without NUL characters (PostgreSQL refuses them
    in a query: a 500 otherwise; a form's CharField drops them the same way)."""
    return (value or "").replace("\x00", "").strip()[:max_length]
