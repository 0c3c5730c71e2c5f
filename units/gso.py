"""Parsing the GSO "danh mục hành chính" layout into validated rows. Reads; writes nothing.

Columns, exactly: Tỉnh Thành Phố | Mã TP | Quận Huyện | Mã QH | Phường Xã | Mã PX | Cấp | Tên Tiếng Anh.
After the 2025 reform the district columns are empty. Codes are text with leading zeros; a code that a
spreadsheet turned into a number (1834) is padded back (01834), since that is the only thing it can mean.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from tthtcd_portal.spreadsheets import SpreadsheetError, read_table
from units.models import Commune, District, Province

GSO_HEADER = ["Tỉnh Thành Phố", "Mã TP", "Quận Huyện", "Mã QH", "Phường Xã", "Mã PX", "Cấp", "Tên Tiếng Anh"]
MAX_ROWS = 20000  # the whole country has about 10,600 communes before the reform

COMMUNE_KINDS = {
    "Xã": Commune.Kind.XA,
    "Phường": Commune.Kind.PHUONG,
    "Thị trấn": Commune.Kind.THI_TRAN,
    "Đặc khu": Commune.Kind.DAC_KHU,
}
DISTRICT_PREFIXES = [
    ("Thành phố ", District.Kind.THANH_PHO),
    ("Thị xã ", District.Kind.THI_XA),
    ("Huyện ", District.Kind.HUYEN),
    ("Quận ", District.Kind.QUAN),
]


@dataclass
class GsoList:
    provinces: dict[str, tuple[str, str]] = field(default_factory=dict)  # code → (name, kind)
    districts: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # code → (name, kind, province)
    communes: dict[str, tuple[str, str, str, str]] = field(default_factory=dict)  # code → (name, kind, prov, dist)

    @property
    def has_districts(self) -> bool:
        return bool(self.districts)


def code_cell(value, width: int, row: int, column: str) -> str:
    """A GSO code read from a cell: `width` digits, leading zeros kept (a spreadsheet may hold 1 for "01");
    anything else raises SpreadsheetError naming the row and column. Every importer of codes uses it."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 10**width:
        return str(value).zfill(width)
    text = "" if value is None else str(value).strip()
    if not re.fullmatch(rf"[0-9]{{{width}}}", text):
        raise SpreadsheetError(
            _("Dòng %(row)s, cột «%(column)s»: mã phải gồm đúng %(width)s chữ số (nhận được «%(value)s»).")
            % {"row": row, "column": column, "width": width, "value": text}
        )
    return text


def _text(value, row: int, column: str, *, required: bool) -> str:
    text = "" if value is None else str(value).strip()
    if required and not text:
        raise SpreadsheetError(
            _("Dòng %(row)s, cột «%(column)s»: không được để trống.") % {"row": row, "column": column}
        )
    if len(text) > 100:
        raise SpreadsheetError(
            _("Dòng %(row)s, cột «%(column)s»: tên dài quá 100 ký tự.") % {"row": row, "column": column}
        )
    return text


def _province_kind(name: str) -> str:
    return Province.Kind.THANH_PHO if name.startswith("Thành phố ") else Province.Kind.TINH


def _district_kind(name: str, row: int) -> str:
    for prefix, kind in DISTRICT_PREFIXES:
        if name.startswith(prefix):
            return kind
    raise SpreadsheetError(
        _(
            "Dòng %(row)s, cột «Quận Huyện»: tên phải bắt đầu bằng Huyện, Quận, Thị xã hoặc Thành phố (nhận được «%(name)s»)."
        )
        % {"row": row, "name": name}
    )


def _same(seen: dict, code: str, value: tuple, row: int, column: str) -> None:
    if code in seen and seen[code] != value:
        raise SpreadsheetError(
            _("Dòng %(row)s, cột «%(column)s»: mã %(code)s đã xuất hiện ở dòng trên với tên khác («%(before)s»).")
            % {"row": row, "column": column, "code": code, "before": seen[code][0]}
        )
    seen[code] = value


def parse_gso(fileobj, name: str) -> GsoList:
    """Validate the whole file; the first problem raises SpreadsheetError naming its row and column."""
    header, rows = read_table(fileobj, name, max_rows=MAX_ROWS)
    if header[: len(GSO_HEADER)] != GSO_HEADER or len(header) > len(GSO_HEADER):
        raise SpreadsheetError(
            _("Dòng tiêu đề không đúng mẫu của Tổng cục Thống kê. Cần đúng các cột: %(expected)s.")
            % {"expected": " | ".join(GSO_HEADER)}
        )
    result = GsoList()
    for number, cells in rows:
        cells = list(cells) + [None] * (len(GSO_HEADER) - len(cells))
        p_name = _text(cells[0], number, "Tỉnh Thành Phố", required=True)
        p_code = code_cell(cells[1], 2, number, "Mã TP")
        d_name = _text(cells[2], number, "Quận Huyện", required=False)
        d_code_raw = cells[3]
        c_name = _text(cells[4], number, "Phường Xã", required=True)
        c_code = code_cell(cells[5], 5, number, "Mã PX")
        level = _text(cells[6], number, "Cấp", required=True)
        if level not in COMMUNE_KINDS:
            raise SpreadsheetError(
                _("Dòng %(row)s, cột «Cấp»: phải là Xã, Phường, Thị trấn hoặc Đặc khu (nhận được «%(value)s»).")
                % {"row": number, "value": level}
            )
        has_district_code = d_code_raw not in (None, "")
        if bool(d_name) != has_district_code:
            column = "Mã QH" if d_name else "Quận Huyện"
            raise SpreadsheetError(
                _("Dòng %(row)s, cột «%(column)s»: tên và mã quận/huyện phải cùng có hoặc cùng để trống.")
                % {"row": number, "column": column}
            )
        _same(result.provinces, p_code, (p_name, _province_kind(p_name)), number, "Mã TP")
        d_code = ""
        if d_name:
            d_code = code_cell(d_code_raw, 3, number, "Mã QH")
            _same(result.districts, d_code, (d_name, _district_kind(d_name, number), p_code), number, "Mã QH")
        if c_code in result.communes:
            raise SpreadsheetError(
                _("Dòng %(row)s, cột «Mã PX»: mã %(code)s bị trùng trong tệp.") % {"row": number, "code": c_code}
            )
        result.communes[c_code] = (c_name, COMMUNE_KINDS[level], p_code, d_code)
    if not result.communes:
        raise SpreadsheetError(_("Tệp không có dòng dữ liệu nào."))
    if result.districts and len(result.districts) and any(not c[3] for c in result.communes.values()):
        raise SpreadsheetError(
            _("Tệp trộn danh mục cũ (có quận/huyện) và mới (không có quận/huyện); hãy nhập riêng từng danh mục.")
        )
    return result
