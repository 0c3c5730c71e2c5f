"""The monthly readers-and-loans Excel template and its reader. Reads and builds files; writes nothing.

One flat sheet for one centre, one row per month: Năm | Tháng | Lượt bạn đọc | Lượt mượn. The natural key is
the centre and the month: a month the portal already has is shown as "đã có" and left alone (or updated when
the user ticks it), so the same file twice changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from centres.year_lock import year_lock_refusal
from library.models import LibraryMonth
from tthtcd_portal.spreadsheet_cells import RowError, cell_count, row_error
from tthtcd_portal.spreadsheets import find_columns, read_table
from tthtcd_portal.xlsx import NUMBER, YEAR, Column, Sheet, write_workbook

YEAR_COLUMN, MONTH_COLUMN, READERS_COLUMN, LOANS_COLUMN = "Năm", "Tháng", "Lượt bạn đọc", "Lượt mượn"
COLUMNS = [YEAR_COLUMN, MONTH_COLUMN, READERS_COLUMN, LOANS_COLUMN]
MAX_ROWS = 600  # fifty years of months
GUIDE = [
    "Mỗi dòng là một tháng của trung tâm đã chọn khi tải lên: năm, tháng (1–12), lượt bạn đọc, lượt mượn.",
    "Tháng đã có trên cổng được giữ nguyên, trừ khi đánh dấu «cập nhật» khi xác nhận. Tệp có lỗi thì không ghi gì.",
    "Ví dụ: 2026 | 3 | 420 | 180",
]


def template_workbook() -> bytes:
    return write_workbook(
        [
            Sheet(
                title="Bạn đọc theo tháng",
                columns=[Column(YEAR_COLUMN, YEAR, 8), Column(MONTH_COLUMN, YEAR, 8)]
                + [Column(READERS_COLUMN, NUMBER, 14), Column(LOANS_COLUMN, NUMBER, 14)],
            ),
            Sheet(title="Hướng dẫn", lines=GUIDE),
        ]
    )


@dataclass
class MonthLine:
    number: int
    year: int
    month: int
    readers: int
    loans: int
    existing: LibraryMonth | None = None

    @property
    def changed(self) -> bool:
        return self.existing is not None and (self.existing.readers, self.existing.loans) != (self.readers, self.loans)


@dataclass
class MonthImport:
    rows: list[MonthLine] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def new(self) -> list[MonthLine]:
        return [r for r in self.rows if r.existing is None]

    @property
    def changed(self) -> list[MonthLine]:
        return [r for r in self.rows if r.changed]

    @property
    def same(self) -> list[MonthLine]:
        return [r for r in self.rows if r.existing is not None and not r.changed]


def parse_months(fileobj, name: str, *, centre) -> MonthImport:
    """Read every row, name each bad row and column in Vietnamese, then mark the months the portal has.
    Queries: locked years (1 per year), the centre's months of the file's years (1)."""
    header, lines = read_table(fileobj, name, max_rows=MAX_ROWS)
    result = MonthImport()
    at = find_columns(header, required=COLUMNS)
    today = timezone.localdate()
    seen: dict[tuple[int, int], int] = {}
    locked: dict[int, str] = {}
    for number, cells in lines:
        cells = list(cells) + [None] * (len(header) - len(cells))
        try:
            year = cell_count(cells[at[YEAR_COLUMN]], number, YEAR_COLUMN, required=True)
            if not 1900 <= year <= 2200:
                raise row_error(number, YEAR_COLUMN, _("năm không hợp lệ."))
            month = cell_count(cells[at[MONTH_COLUMN]], number, MONTH_COLUMN, required=True)
            if not 1 <= month <= 12:
                raise row_error(number, MONTH_COLUMN, _("tháng phải từ 1 đến 12."))
            if (year, month) > (today.year, today.month):
                raise row_error(number, MONTH_COLUMN, _("tháng %(m)s/%(y)s chưa đến.") % {"m": month, "y": year})
            readers = cell_count(cells[at[READERS_COLUMN]], number, READERS_COLUMN) or 0
            loans = cell_count(cells[at[LOANS_COLUMN]], number, LOANS_COLUMN) or 0
            if (year, month) in seen:
                raise row_error(
                    number, MONTH_COLUMN, _("tháng này đã có ở dòng %(first)s.") % {"first": seen[(year, month)]}
                )
            if year not in locked:
                locked[year] = year_lock_refusal(centre_id=centre.pk, years=[year])
            if locked[year]:
                raise row_error(number, YEAR_COLUMN, locked[year])
            seen[(year, month)] = number
            result.rows.append(MonthLine(number=number, year=year, month=month, readers=readers, loans=loans))
        except RowError as exc:
            result.errors.append(str(exc))
    if not result.rows and not result.errors:
        result.errors.append(_("Tệp không có dòng dữ liệu nào."))
    if not result.errors:
        found = {
            (m.year, m.month): m
            for m in LibraryMonth.objects.filter(centre=centre, year__in={r.year for r in result.rows})
        }
        for row in result.rows:
            row.existing = found.get((row.year, row.month))
    return result
