"""The cells of an imported row, read as every importer needs them (classes, needs and plans, library months,
contributions): text, a date, a whole number, a choice by its label, each refusing with the row and column in
Vietnamese.

(The class-list and planning importers use them too: one reading of a cell for every import.)
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from tthtcd_portal.spreadsheets import header_key


class RowError(Exception):
    """One bad cell: its message names the row and the column."""


def row_error(row: int, column: str, message: str) -> RowError:
    return RowError(
        _("Dòng %(row)s, cột «%(column)s»: %(message)s") % {"row": row, "column": column, "message": message}
    )


def cell_text(value, row: int, column: str, *, required: bool = False, max_length: int = 255) -> str:
    text = "" if value is None else str(value).strip()
    if required and not text:
        raise row_error(row, column, _("không được để trống."))
    if len(text) > max_length:
        raise row_error(row, column, _("dài quá %(n)s ký tự.") % {"n": max_length})
    return text


def cell_date(value, row: int, column: str) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = "" if value is None else str(value).strip()
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"):
        try:
            day = datetime.datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar date, no time
        except ValueError:
            continue
        if 1900 <= day.year <= 2200:
            return day
    raise row_error(row, column, _("ngày không hợp lệ (ghi dd/mm/yyyy), nhận được «%(value)s».") % {"value": text})


def cell_count(value, row: int, column: str, *, required: bool = False, maximum: int | None = None) -> int | None:
    """A whole number ≥ 0 (Excel's 1.500.000 arrives as a number; typed text may carry dots or spaces)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise row_error(row, column, _("không được để trống."))
        return None
    text = str(value).strip()
    if isinstance(value, str):
        text = text.replace(".", "").replace(" ", "").replace("\u00a0", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise row_error(row, column, _("phải là số nguyên, nhận được «%(value)s».") % {"value": value}) from None
    if not number.is_finite() or number != number.to_integral_value():
        raise row_error(row, column, _("phải là số nguyên, nhận được «%(value)s».") % {"value": value})
    if number < 0:
        raise row_error(row, column, _("không được là số âm."))
    if maximum is not None and number > maximum:
        raise row_error(row, column, _("lớn quá %(n)s.") % {"n": maximum})
    return int(number)


def cell_choice(value, row: int, column: str, choices) -> str:
    """A choice written as its label (or its code), any case and spacing."""
    text = cell_text(value, row, column, required=True)
    known = {}
    for code, label in choices:
        known[header_key(str(label))] = code
        known[header_key(str(code))] = code
    code = known.get(header_key(text))
    if code is None:
        raise row_error(
            row,
            column,
            _("«%(value)s» không có trong danh sách: %(choices)s.")
            % {"value": text, "choices": "; ".join(str(label) for _code, label in choices)},
        )
    return code
