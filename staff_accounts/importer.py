"""Reading a list of accounts from a spreadsheet (the bulk import): one row per person, columns by name. Each
row is checked as the form would be; a row whose username is already an account the official manages is
"đã có" (left alone: importing the same list twice creates nothing), another unit's username is an error."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import scoping
from accounts.models import User
from centres.models import Centre
from tthtcd_portal.spreadsheets import find_columns, header_key, read_table
from tthtcd_portal.vietnamese import clean_name

MAX_ROWS = 2000
USERNAME, LAST, FIRST, ROLE = "Tên đăng nhập", "Họ và tên đệm", "Tên", "Vai trò"
COMMUNE, OFFICE, POSITION, PHONE, EMAIL = "Mã xã", "Đơn vị đánh giá", "Chức vụ", "Điện thoại", "Thư điện tử"
REQUIRED = [USERNAME, LAST, FIRST, ROLE]
OPTIONAL = [COMMUNE, OFFICE, POSITION, PHONE, EMAIL]
HEADERS = [*REQUIRED, *OPTIONAL]
# What a clerk writes in the role column, compared as header_key does.
ROLE_WORDS = {
    User.Role.CENTRE_STAFF: ["cán bộ tthtcđ", "cán bộ trung tâm", "cán bộ", "trung tâm", "centre staff"],
    User.Role.REVIEWER: [
        "chuyên viên đánh giá",
        "chuyên viên đánh giá (phòng gd&đt)",
        "chuyên viên",
        "đánh giá",
        "reviewer",
    ],
}
EXAMPLE_ROWS = [
    ["nguyenthilan.dp", "Nguyễn Thị", "Lan", "Cán bộ TTHTCĐ", "12694", "", "Phó Giám đốc", "0912345678", ""],
    ["tranvanminh", "Trần Văn", "Minh", "Chuyên viên đánh giá", "", "Phòng GD&ĐT Đông Hưng", "Chuyên viên", "", ""],
]
STATUS_NEW, STATUS_EXISTING = "new", "existing"
STATUS_LABELS = {STATUS_NEW: gettext_lazy("Tạo mới"), STATUS_EXISTING: gettext_lazy("Đã có")}


@dataclass
class Row:
    number: int
    fields: dict
    status: str = STATUS_NEW
    errors: list[str] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return _("Lỗi") if self.errors else str(STATUS_LABELS[self.status])

    @property
    def unit(self) -> str:
        unit = self.fields.get("centre") or self.fields.get("office")
        return str(unit) if unit else ""


@dataclass
class Parsed:
    rows: list[Row]

    @property
    def errors(self) -> list[str]:
        return [f"{_('Dòng %(n)s') % {'n': r.number}}: {e}" for r in self.rows for e in r.errors]

    @property
    def new(self) -> list[Row]:
        return [r for r in self.rows if not r.errors and r.status == STATUS_NEW]

    @property
    def existing(self) -> list[Row]:
        return [r for r in self.rows if not r.errors and r.status == STATUS_EXISTING]


def _role(text: str):
    key = header_key(text)
    for role, words in ROLE_WORDS.items():
        if key in words:
            return role
    return None


def _reader(cols: dict[str, int], values: list):
    """The cleaned text of a row's cell by column name ("" when absent or empty)."""

    def cell(column: str) -> str:
        index = cols.get(column)
        value = values[index] if index is not None and index < len(values) else ""
        return clean_name(str(value)) if value not in (None, "") else ""

    return cell


def parse_accounts(fileobj, name: str, *, by: User) -> Parsed:
    """Every row checked against what `by` manages; nothing is written. Raises SpreadsheetError for a file
    that is not a list of accounts."""
    header, body = read_table(fileobj, name, max_rows=MAX_ROWS)
    cols = find_columns(header, required=REQUIRED, optional=OPTIONAL)
    centres = {
        c.commune.code: c
        for c in Centre.objects.visible_to(by).filter(status=Centre.Status.ACTIVE).select_related("commune")
    }
    offices = {header_key(o.name): o for o in scoping.visible_offices(by)}
    managed = set(User.objects.filter(scoping.managed_accounts_q(by)).values_list("username", flat=True))
    managed = {u.casefold() for u in managed}
    taken = {u.casefold() for u in User.objects.values_list("username", flat=True)}
    seen: dict[str, int] = {}
    rows = []
    for number, values in body:
        cell = _reader(cols, values)
        if not any(cell(c) for c in HEADERS if c in cols):
            continue
        username = cell(USERNAME).replace(" ", "")
        row = Row(
            number,
            {
                "username": username,
                "last_name": cell(LAST),
                "first_name": cell(FIRST),
                "position": cell(POSITION),
                "phone": cell(PHONE).replace(" ", ""),
                "email": cell(EMAIL),
                "centre": None,
                "office": None,
            },
        )
        for column, key in ((USERNAME, "username"), (LAST, "last_name"), (FIRST, "first_name")):
            if not row.fields[key]:
                row.errors.append(_("thiếu «%(column)s».") % {"column": column})
        role = _role(cell(ROLE))
        row.fields["role"] = role
        if role is None:
            row.errors.append(
                _("vai trò «%(value)s» không rõ: ghi «Cán bộ TTHTCĐ» hoặc «Chuyên viên đánh giá».")
                % {"value": cell(ROLE)}
            )
        elif role == User.Role.CENTRE_STAFF:
            code = cell(COMMUNE).zfill(5) if cell(COMMUNE).isdigit() else cell(COMMUNE)
            row.fields["centre"] = centres.get(code)
            if row.fields["centre"] is None:
                row.errors.append(
                    _("không có trung tâm đang hoạt động của xã mã «%(code)s» trong tỉnh.") % {"code": cell(COMMUNE)}
                )
        else:
            row.fields["office"] = offices.get(header_key(cell(OFFICE)))
            if row.fields["office"] is None:
                row.errors.append(_("không có đơn vị đánh giá «%(name)s» trong tỉnh.") % {"name": cell(OFFICE)})
        key = username.casefold()
        if key and key in seen:
            row.errors.append(_("tên đăng nhập trùng với dòng %(n)s.") % {"n": seen[key]})
        elif key:
            seen[key] = number
            if key in managed:
                row.status = STATUS_EXISTING
            elif key in taken:
                row.errors.append(_("tên đăng nhập «%(name)s» đã được dùng.") % {"name": username})
        rows.append(row)
    return Parsed(rows)
