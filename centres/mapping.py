"""Parsing the 2025 old→new commune mapping (layout of units/data/commune_mapping_2025_thai_binh.csv).
Reads; writes nothing. The first problem raises SpreadsheetError naming its row and column."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from tthtcd_portal.spreadsheets import SpreadsheetError, read_table
from units.gso import code_cell

MAPPING_HEADER = [
    "old_ward_code",
    "old_ward_name",
    "old_district_code",
    "old_district_name",
    "new_ward_code",
    "new_ward_name",
]
MAX_ROWS = 20000


@dataclass(frozen=True)
class MappingRow:
    row: int
    old_code: str
    old_name: str
    old_district_code: str
    new_code: str
    new_name: str


def _name(value, row: int, column: str) -> str:
    text = "" if value is None else str(value).strip()
    if not text:
        raise SpreadsheetError(
            _("Dòng %(row)s, cột «%(column)s»: không được để trống.") % {"row": row, "column": column}
        )
    return text


def parse_commune_mapping(fileobj, name: str) -> list[MappingRow]:
    header, rows = read_table(fileobj, name, max_rows=MAX_ROWS)
    if header != MAPPING_HEADER:
        raise SpreadsheetError(
            _("Dòng tiêu đề không đúng mẫu. Cần đúng các cột: %(expected)s.") % {"expected": " | ".join(MAPPING_HEADER)}
        )
    result: list[MappingRow] = []
    seen: dict[str, int] = {}
    for number, cells in rows:
        cells = list(cells) + [None] * (len(MAPPING_HEADER) - len(cells))
        old_code = code_cell(cells[0], 5, number, "old_ward_code")
        if old_code in seen:
            raise SpreadsheetError(
                _(
                    "Dòng %(row)s, cột «old_ward_code»: xã %(code)s đã có ở dòng %(first)s; mỗi xã cũ chỉ thuộc một xã mới."
                )
                % {"row": number, "code": old_code, "first": seen[old_code]}
            )
        seen[old_code] = number
        result.append(
            MappingRow(
                row=number,
                old_code=old_code,
                old_name=_name(cells[1], number, "old_ward_name"),
                old_district_code=code_cell(cells[2], 3, number, "old_district_code"),
                new_code=code_cell(cells[4], 5, number, "new_ward_code"),
                new_name=_name(cells[5], number, "new_ward_name"),
            )
        )
    if not result:
        raise SpreadsheetError(_("Tệp không có dòng dữ liệu nào."))
    return result
