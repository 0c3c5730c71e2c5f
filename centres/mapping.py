"""Parsing the 2025 old→new commune mapping, and the rule that sends a split commune's centre to one new
commune. Reads; writes nothing. The first problem raises SpreadsheetError naming its row and column.

Two layouts, columns found by name (any order, any capitalisation, extra columns ignored):
- the six columns of units/data/commune_mapping_2025_thai_binh.csv: old_ward_code, old_ward_name,
  old_district_code, old_district_name, new_ward_code, new_ward_name;
- the national layout (commune_mapping_2025_vn.csv, …_hung_yen.csv): the same six, then old_province_code,
  old_province_name, new_province_code, new_province_name, old_ward_split.
Either may carry `receives_centre` (1 / x / có on the row whose new commune takes a split commune's centre).
An old commune split between new communes has one row per new commune.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from tthtcd_portal.spreadsheets import SpreadsheetError, find_columns, read_table
from tthtcd_portal.vietnamese import clean_name
from units.gso import COMMUNE_KINDS, code_cell, split_prefix

REQUIRED = [
    "old_ward_code",
    "old_ward_name",
    "old_district_code",
    "old_district_name",
    "new_ward_code",
    "new_ward_name",
]
OPTIONAL = [
    "old_province_code",
    "old_province_name",
    "new_province_code",
    "new_province_name",
    "old_ward_split",
    "receives_centre",
]
MAPPING_HEADER = REQUIRED
MAX_ROWS = 20000
MARKED = {"1", "x", "có", "co", "yes", "true"}


@dataclass(frozen=True)
class MappingRow:
    row: int
    old_code: str
    old_name: str
    old_district_code: str
    new_code: str
    new_name: str
    old_province_code: str = ""
    new_province_code: str = ""
    receives_centre: bool = False


class Reason:
    """Why a centre goes to its new commune (docs/units.md, "Split communes")."""

    ONLY = "only"  # the old commune went whole into one new commune
    MARKED = "marked"  # the file's receives_centre column says so
    KEPT_CODE = "kept_code"  # the new commune took the old commune's code
    SAME_NAME = "same_name"  # the new commune has the old commune's name
    FIRST_LISTED = "first_listed"  # the first of its rows in the file


@dataclass(frozen=True)
class Destination:
    new_code: str
    reason: str
    parts: int  # how many new communes the old one went into


def _name(value, row: int, column: str) -> str:
    text = clean_name(value)
    if not text:
        raise SpreadsheetError(
            _("Dòng %(row)s, cột «%(column)s»: không được để trống.") % {"row": row, "column": column}
        )
    return text


def parse_commune_mapping(fileobj, name: str) -> list[MappingRow]:
    header, rows = read_table(fileobj, name, max_rows=MAX_ROWS)
    columns = find_columns(header, required=REQUIRED, optional=OPTIONAL)

    def cell(cells, column):
        index = columns.get(column)
        return cells[index] if index is not None and index < len(cells) else None

    result: list[MappingRow] = []
    seen: set[tuple[str, str]] = set()
    marked: dict[str, int] = {}
    for number, cells in rows:
        old_code = code_cell(cell(cells, "old_ward_code"), 5, number, "old_ward_code")
        new_code = code_cell(cell(cells, "new_ward_code"), 5, number, "new_ward_code")
        provinces = {
            column: code_cell(cell(cells, column), 2, number, column)
            for column in ("old_province_code", "new_province_code")
            if column in columns
        }
        receives = clean_name(cell(cells, "receives_centre")).casefold() in MARKED
        row = MappingRow(
            row=number,
            old_code=old_code,
            old_name=_name(cell(cells, "old_ward_name"), number, "old_ward_name"),
            old_district_code=code_cell(cell(cells, "old_district_code"), 3, number, "old_district_code"),
            new_code=new_code,
            new_name=_name(cell(cells, "new_ward_name"), number, "new_ward_name"),
            old_province_code=provinces.get("old_province_code", ""),
            new_province_code=provinces.get("new_province_code", ""),
            receives_centre=receives,
        )
        if (old_code, new_code) in seen:
            continue  # the same pair twice (a pasted block): one row
        seen.add((old_code, new_code))
        if receives:
            if old_code in marked:
                raise SpreadsheetError(
                    _(
                        "Dòng %(row)s, cột «receives_centre»: xã %(code)s đã được đánh dấu ở dòng %(first)s; trung "
                        "tâm của một xã cũ chỉ về một xã mới."
                    )
                    % {"row": number, "code": old_code, "first": marked[old_code]}
                )
            marked[old_code] = number
        result.append(row)
    if not result:
        raise SpreadsheetError(_("Tệp không có dòng dữ liệu nào."))
    return result


def _short(name: str) -> str:
    found = split_prefix(name, COMMUNE_KINDS)
    return (found[1] if found else name).casefold()


def centre_destinations(rows: list[MappingRow]) -> dict[str, Destination]:
    """The one new commune that receives each old commune's centre (and becomes its `merged_into`).

    An old commune in one row goes there. An old commune split between several new communes goes, in this
    order, to: the row marked in `receives_centre`; the new commune that took the old commune's code (the
    statistics office keeps a code with the commune that continues it); the new commune with the old
    commune's name; the first of its rows in the file."""
    by_old: dict[str, list[MappingRow]] = {}
    for row in rows:
        by_old.setdefault(row.old_code, []).append(row)
    result = {}
    for old_code, parts in by_old.items():
        if len(parts) == 1:
            result[old_code] = Destination(parts[0].new_code, Reason.ONLY, 1)
            continue
        chosen = next(((r, Reason.MARKED) for r in parts if r.receives_centre), None)
        chosen = chosen or next(((r, Reason.KEPT_CODE) for r in parts if r.new_code == old_code), None)
        chosen = chosen or next(
            ((r, Reason.SAME_NAME) for r in parts if _short(r.new_name) == _short(r.old_name)), None
        )
        row, reason = chosen or (parts[0], Reason.FIRST_LISTED)
        result[old_code] = Destination(row.new_code, reason, len(parts))
    return result
