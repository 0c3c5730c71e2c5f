"""The contributions Excel template and its reader. Reads and builds files; writes nothing.

One flat sheet for one centre, one row per contribution: Ngày nhận | Nguồn | Hình thức | Giá trị (đồng) |
Số lượng | Nội dung. Natural key: the centre, date, source, kind and description (any case): a row the portal
already has is shown as "đã có" and left alone, so the same file twice changes nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from centres.year_lock import year_lock_refusal
from resources.models import Contribution, Kind, Source
from resources.selectors import contribution_existing, natural_description
from resources.services import contribution_problems
from tthtcd_portal.spreadsheet_cells import RowError, cell_choice, cell_count, cell_date, cell_text, row_error
from tthtcd_portal.spreadsheets import find_columns, read_table
from tthtcd_portal.xlsx import DATE, NUMBER, TEXT, Column, Sheet, write_workbook

DATE_COLUMN, SOURCE_COLUMN, KIND_COLUMN = "Ngày nhận", "Nguồn", "Hình thức"
VALUE_COLUMN, QUANTITY_COLUMN, DESCRIPTION_COLUMN = "Giá trị (đồng)", "Số lượng", "Nội dung"
REQUIRED = [DATE_COLUMN, SOURCE_COLUMN, KIND_COLUMN, VALUE_COLUMN, DESCRIPTION_COLUMN]
OPTIONAL = [QUANTITY_COLUMN]
MAX_ROWS = 2000
SOURCES_SHEET, KINDS_SHEET = "Nguồn", "Hình thức"
GUIDE = [
    "Mỗi dòng là một khoản huy động của trung tâm đã chọn khi tải lên. Ngày ghi dd/mm/yyyy.",
    "Nguồn và hình thức chọn trong danh sách (trang «Nguồn» và «Hình thức»). Tiền và thiết bị phải ghi giá trị.",
    "Thiết bị nhận được ghi thêm vào cơ sở vật chất của trung tâm. Số lượng: số thiết bị, số cuốn sách, số ngày công.",
    "Khoản đã có trên cổng (cùng ngày, nguồn, hình thức, nội dung) được giữ nguyên. Tệp có lỗi thì không ghi gì.",
    "Ví dụ: 15/03/2026 | Doanh nghiệp | Thiết bị | 12000000 | 2 | Máy tính để bàn cho phòng đọc",
]


def template_workbook() -> bytes:
    columns = [
        Column(DATE_COLUMN, DATE, 13),
        Column(SOURCE_COLUMN, TEXT, 34),
        Column(KIND_COLUMN, TEXT, 14),
        Column(VALUE_COLUMN, NUMBER, 16),
        Column(QUANTITY_COLUMN, NUMBER, 10),
        Column(DESCRIPTION_COLUMN, TEXT, 44),
    ]
    return write_workbook(
        [
            Sheet(
                title="Khoản huy động",
                columns=columns,
                choices={1: SOURCES_SHEET, 2: KINDS_SHEET},
                choice_rows=MAX_ROWS,
            ),
            Sheet(
                title=SOURCES_SHEET, columns=[Column(SOURCES_SHEET, TEXT, 40)], rows=[[str(s.label)] for s in Source]
            ),
            Sheet(title=KINDS_SHEET, columns=[Column(KINDS_SHEET, TEXT, 20)], rows=[[str(k.label)] for k in Kind]),
            Sheet(title="Hướng dẫn", lines=GUIDE),
        ]
    )


@dataclass
class ContributionLine:
    number: int
    date: datetime.date
    source: str
    kind: str
    value: int | None
    quantity: int | None
    description: str
    existing: Contribution | None = None

    def get_source_display(self) -> str:
        return str(Source(self.source).label)

    def get_kind_display(self) -> str:
        return str(Kind(self.kind).label)


@dataclass
class ContributionImport:
    rows: list[ContributionLine] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def new(self) -> list[ContributionLine]:
        return [r for r in self.rows if r.existing is None]

    @property
    def same(self) -> list[ContributionLine]:
        return [r for r in self.rows if r.existing is not None]

    @property
    def new_value(self) -> int:
        return sum(r.value or 0 for r in self.new)


def parse_contributions(fileobj, name: str, *, centre) -> ContributionImport:
    """Read every row, name each bad row and column in Vietnamese, then mark the rows the portal has.
    Queries: locked years (1 per year), one per row to find it (natural key)."""
    header, lines = read_table(fileobj, name, max_rows=MAX_ROWS)
    at = find_columns(header, required=REQUIRED, optional=OPTIONAL)
    result = ContributionImport()
    seen: dict[tuple, int] = {}
    locked: dict[int, str] = {}
    for number, cells in lines:
        cells = list(cells) + [None] * (len(header) - len(cells))
        try:
            day = cell_date(cells[at[DATE_COLUMN]], number, DATE_COLUMN)
            source = cell_choice(cells[at[SOURCE_COLUMN]], number, SOURCE_COLUMN, Source.choices)
            kind = cell_choice(cells[at[KIND_COLUMN]], number, KIND_COLUMN, Kind.choices)
            value = cell_count(cells[at[VALUE_COLUMN]], number, VALUE_COLUMN)
            quantity = None
            if QUANTITY_COLUMN in at:
                quantity = cell_count(cells[at[QUANTITY_COLUMN]], number, QUANTITY_COLUMN, maximum=10**9)
            description = natural_description(
                cell_text(cells[at[DESCRIPTION_COLUMN]], number, DESCRIPTION_COLUMN, required=True)
            )
            for name, problem in contribution_problems(date=day, kind=kind, value=value):
                raise row_error(number, VALUE_COLUMN if name == "value" else DATE_COLUMN, problem)
            if day.year not in locked:
                locked[day.year] = year_lock_refusal(centre_id=centre.pk, years=[day.year])
            if locked[day.year]:
                raise row_error(number, DATE_COLUMN, locked[day.year])
            key = (day, source, kind, description.casefold())
            if key in seen:
                raise row_error(
                    number, DESCRIPTION_COLUMN, _("khoản này đã có ở dòng %(first)s.") % {"first": seen[key]}
                )
            seen[key] = number
            result.rows.append(
                ContributionLine(
                    number=number,
                    date=day,
                    source=source,
                    kind=kind,
                    value=value,
                    quantity=quantity,
                    description=description,
                )  # fmt: skip
            )
        except RowError as exc:
            result.errors.append(str(exc))
    if not result.rows and not result.errors:
        result.errors.append(_("Tệp không có dòng dữ liệu nào."))
    if not result.errors:
        for row in result.rows:
            row.existing = contribution_existing(
                centre=centre, date=row.date, source=row.source, kind=row.kind, description=row.description
            )
    return result
