"""Parsing the GSO "danh mục hành chính" layout into validated rows. Reads; writes nothing.

Columns (found by name, in any order, any capitalisation; extra columns ignored): Tỉnh Thành Phố | Mã TP |
Quận Huyện | Mã QH | Phường Xã | Mã PX | Cấp | Tên Tiếng Anh. After the 2025 reform the district columns are
empty (or left out). What Excel and editors do to such a file is undone here, so a file that looks the same
imports as the same units (docs/units.md): codes that lost their leading zeros or became numbers are padded
back, names get one spelling (`tthtcd_portal.vietnamese.clean_name`) and their kind prefix its usual case.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from tthtcd_portal.spreadsheets import SpreadsheetError, find_columns, lost_letters_hint, read_table
from tthtcd_portal.vietnamese import clean_name
from units.models import Commune, District, Province

PROVINCE_COLUMN, PROVINCE_CODE = "Tỉnh Thành Phố", "Mã TP"
DISTRICT_COLUMN, DISTRICT_CODE = "Quận Huyện", "Mã QH"
COMMUNE_COLUMN, COMMUNE_CODE = "Phường Xã", "Mã PX"
KIND_COLUMN, ENGLISH_COLUMN = "Cấp", "Tên Tiếng Anh"
GSO_HEADER = [
    PROVINCE_COLUMN,
    PROVINCE_CODE,
    DISTRICT_COLUMN,
    DISTRICT_CODE,
    COMMUNE_COLUMN,
    COMMUNE_CODE,
    KIND_COLUMN,
    ENGLISH_COLUMN,
]
REQUIRED = [PROVINCE_COLUMN, PROVINCE_CODE, COMMUNE_COLUMN, COMMUNE_CODE, KIND_COLUMN]
MAX_ROWS = 20000  # the whole country has about 10,600 communes before the reform

# Kind prefixes as official documents write them; a file's "THÀNH PHỐ" or "Thành Phố" becomes "Thành phố".
COMMUNE_KINDS = {
    "Xã": Commune.Kind.XA,
    "Phường": Commune.Kind.PHUONG,
    "Thị trấn": Commune.Kind.THI_TRAN,
    "Đặc khu": Commune.Kind.DAC_KHU,
}
DISTRICT_KINDS = {
    "Thành phố": District.Kind.THANH_PHO,
    "Thị xã": District.Kind.THI_XA,
    "Huyện": District.Kind.HUYEN,
    "Quận": District.Kind.QUAN,
}
PROVINCE_KINDS = {"Tỉnh": Province.Kind.TINH, "Thành phố": Province.Kind.THANH_PHO}
# A code as a spreadsheet may have turned it: 1834, 1834.0, "1834,0", "'01834" (Excel's text marker).
CODE = re.compile(r"'?([0-9]+)(?:[.,]0+)?")


@dataclass
class GsoList:
    provinces: dict[str, tuple[str, str]] = field(default_factory=dict)  # code → (name, kind)
    districts: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # code → (name, kind, province)
    communes: dict[str, tuple[str, str, str, str]] = field(default_factory=dict)  # code → (name, kind, prov, dist)
    # Spellings in the file that differ from the one kept (spaces, tone marks, case of the prefix).
    respelled: set[str] = field(default_factory=set)
    # Rows repeated word for word (after respelling), kept once.
    repeated_rows: int = 0

    @property
    def has_districts(self) -> bool:
        return bool(self.districts)

    def commune_kinds(self) -> dict[str, int]:
        """Communes per kind, in the order of Commune.Kind: {"xa": 7717, "phuong": 1716, …}."""
        counts = dict.fromkeys(Commune.Kind.values, 0)
        for _name, kind, _p, _d in self.communes.values():
            counts[kind] += 1
        return {kind: n for kind, n in counts.items() if n}


def code_cell(value, width: int, row: int, column: str) -> str:
    """A GSO code read from a cell, as text of `width` digits. A code that a spreadsheet turned into a number
    lost only its leading zeros (6 → "06", 1834.0 → "01834"), since codes are never anything else; anything
    else raises SpreadsheetError naming the row and column. Every importer of codes uses it."""
    if isinstance(value, bool):
        value = str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value) if isinstance(value, int) else clean_name(value)
    match = CODE.fullmatch(text)
    if match is None or len(match.group(1).lstrip("0")) > width:
        raise SpreadsheetError(
            _("Dòng %(row)s, cột «%(column)s»: mã phải gồm đúng %(width)s chữ số (nhận được «%(value)s»).")
            % {"row": row, "column": column, "width": width, "value": text}
        )
    return match.group(1)[-width:].zfill(width)


def _name(value, row: int, column: str, *, required: bool) -> str:
    text = clean_name(value)
    if required and not text:
        raise SpreadsheetError(
            _("Dòng %(row)s, cột «%(column)s»: không được để trống.") % {"row": row, "column": column}
        )
    if "?" in text or "\ufffd" in text:
        raise SpreadsheetError(
            _("Dòng %(row)s, cột «%(column)s»: tên «%(name)s» có ký tự «?».")
            % {"row": row, "column": column, "name": text}
            + " "
            + lost_letters_hint()
        )
    if len(text) > 100:
        raise SpreadsheetError(
            _("Dòng %(row)s, cột «%(column)s»: tên dài quá 100 ký tự.") % {"row": row, "column": column}
        )
    return text


def split_prefix(name: str, prefixes) -> tuple[str, str] | None:
    """(prefix as written in `prefixes`, the rest) when `name` starts with one of them in any case."""
    folded = name.casefold()
    for prefix in prefixes:
        if folded.startswith(prefix.casefold() + " "):
            return prefix, name[len(prefix) + 1 :]
    return None


def _prefixed(name: str, kinds: dict, row: int, column: str, message) -> tuple[str, str]:
    """(name with its kind prefix in the usual case, kind); `message()` words the error when there is none."""
    found = split_prefix(name, kinds)
    if found is None:
        raise SpreadsheetError(message() % {"row": row, "column": column, "name": name})
    prefix, rest = found
    return f"{prefix} {rest}", kinds[prefix]


def _kind(value, row: int) -> tuple[str, str]:
    """(label, Commune.Kind) of the Cấp column, whatever its case."""
    text = clean_name(value)
    for label, kind in COMMUNE_KINDS.items():
        if text.casefold() == label.casefold():
            return label, kind
    raise SpreadsheetError(
        _("Dòng %(row)s, cột «Cấp»: phải là Xã, Phường, Thị trấn hoặc Đặc khu (nhận được «%(value)s»).")
        % {"row": row, "value": text}
    )


def _commune_name(name: str, label: str) -> str:
    """The commune's name with its kind prefix in the usual case; a name without one gets the Cấp's."""
    found = split_prefix(name, COMMUNE_KINDS)
    return f"{found[0]} {found[1]}" if found else f"{label} {name}"


def _same(seen: dict, code: str, value: tuple, row: int, column: str) -> None:
    if code in seen and seen[code] != value:
        raise SpreadsheetError(
            _("Dòng %(row)s, cột «%(column)s»: mã %(code)s đã xuất hiện ở dòng trên với tên khác («%(before)s»).")
            % {"row": row, "column": column, "code": code, "before": seen[code][0]}
        )
    seen[code] = value


def _cell(cells: list, columns: dict[str, int], name: str):
    index = columns.get(name)
    return cells[index] if index is not None and index < len(cells) else None


def parse_gso(fileobj, name: str) -> GsoList:
    """Validate the whole file; the first problem raises SpreadsheetError naming its row and column."""
    header, rows = read_table(fileobj, name, max_rows=MAX_ROWS)
    columns = find_columns(header, required=REQUIRED, optional=[DISTRICT_COLUMN, DISTRICT_CODE, ENGLISH_COLUMN])
    if (DISTRICT_COLUMN in columns) != (DISTRICT_CODE in columns):
        missing = DISTRICT_CODE if DISTRICT_COLUMN in columns else DISTRICT_COLUMN
        raise SpreadsheetError(
            _("Dòng tiêu đề không đúng mẫu: có một trong hai cột quận/huyện nhưng thiếu cột «%(column)s».")
            % {"column": missing}
        )
    result = GsoList()
    for number, cells in rows:
        raw = [_cell(cells, columns, c) for c in (PROVINCE_COLUMN, DISTRICT_COLUMN, COMMUNE_COLUMN)]
        p_name = _name(raw[0], number, PROVINCE_COLUMN, required=True)
        p_code = code_cell(_cell(cells, columns, PROVINCE_CODE), 2, number, PROVINCE_CODE)
        d_name = _name(raw[1], number, DISTRICT_COLUMN, required=False)
        d_code_raw = _cell(cells, columns, DISTRICT_CODE)
        c_name = _name(raw[2], number, COMMUNE_COLUMN, required=True)
        c_code = code_cell(_cell(cells, columns, COMMUNE_CODE), 5, number, COMMUNE_CODE)
        label, c_kind = _kind(_cell(cells, columns, KIND_COLUMN), number)
        has_district_code = clean_name(d_code_raw) != ""
        if bool(d_name) != has_district_code:
            column = DISTRICT_CODE if d_name else DISTRICT_COLUMN
            raise SpreadsheetError(
                _("Dòng %(row)s, cột «%(column)s»: tên và mã quận/huyện phải cùng có hoặc cùng để trống.")
                % {"row": number, "column": column}
            )
        p_name, p_kind = _prefixed(
            p_name,
            PROVINCE_KINDS,
            number,
            PROVINCE_COLUMN,
            lambda: _(
                "Dòng %(row)s, cột «%(column)s»: tên phải bắt đầu bằng Tỉnh hoặc Thành phố (nhận được «%(name)s»)."
            ),
        )
        _same(result.provinces, p_code, (p_name, p_kind), number, PROVINCE_CODE)
        d_code = ""
        if d_name:
            d_code = code_cell(d_code_raw, 3, number, DISTRICT_CODE)
            d_name, d_kind = _prefixed(
                d_name,
                DISTRICT_KINDS,
                number,
                DISTRICT_COLUMN,
                lambda: _(
                    "Dòng %(row)s, cột «%(column)s»: tên phải bắt đầu bằng Huyện, Quận, Thị xã hoặc Thành phố "
                    "(nhận được «%(name)s»)."
                ),
            )
            _same(result.districts, d_code, (d_name, d_kind, p_code), number, DISTRICT_CODE)
        c_name = _commune_name(c_name, label)
        result.respelled.update(
            str(before) for before, after in zip(raw, (p_name, d_name, c_name), strict=True) if (before or "") != after
        )
        commune = (c_name, c_kind, p_code, d_code)
        if c_code in result.communes:
            if result.communes[c_code] == commune:
                result.repeated_rows += 1
                continue
            raise SpreadsheetError(
                _("Dòng %(row)s, cột «Mã PX»: mã %(code)s bị trùng trong tệp.") % {"row": number, "code": c_code}
            )
        result.communes[c_code] = commune
    if not result.communes:
        raise SpreadsheetError(_("Tệp không có dòng dữ liệu nào."))
    if result.districts and any(not c[3] for c in result.communes.values()):
        raise SpreadsheetError(
            _("Tệp trộn danh mục cũ (có quận/huyện) và mới (không có quận/huyện); hãy nhập riêng từng danh mục.")
        )
    return result
