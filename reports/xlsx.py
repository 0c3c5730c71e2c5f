"""A generic .xlsx export: a title block, a frozen header with autofilter, typed columns, rows streamed.

    columns = [Column("Tên trung tâm", TEXT, 40), Column("Lượt người học", NUMBER), Column("Ngày", DATE)]
    path = write_table(title=..., context=ExportContext(unit=..., years=..., filters=[...], user=user),
                       columns=columns, rows=(... one sequence per row ...))

Rows come from an iterator (a queryset's `.iterator(chunk_size=2000)`) into openpyxl's write-only mode, which
spools them to a temporary file: memory stays flat however many rows there are. Every string is written
as a string cell — never a formula — so a name like `=HYPERLINK("x")` stays that text (CSV/formula
injection). Numbers are numbers, dates are dates shown dd/mm/yyyy, percentages are fractions shown 0.0%.
"""

from __future__ import annotations

import contextlib
import datetime
import os
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.http import FileResponse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

TEXT = "text"
NUMBER = "number"  # an integer count: 1.500.000 in Vietnamese Excel
DECIMAL = "decimal"  # one decimal place
PERCENT = "percent"  # a value in percent (55.2) written as the fraction 0.552 shown 55,2%
DATE = "date"
KINDS = {TEXT, NUMBER, DECIMAL, PERCENT, DATE}

NUMBER_FORMATS = {NUMBER: "#,##0", DECIMAL: "#,##0.0", PERCENT: "0.0%", DATE: "DD/MM/YYYY"}
DEFAULT_WIDTHS = {TEXT: 24, NUMBER: 14, DECIMAL: 14, PERCENT: 12, DATE: 13}
HEADER_ROW = 5  # title, unit and years, filters, made by, then the header
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    header: str
    kind: str = TEXT
    width: float | None = None

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"unknown column kind {self.kind!r}")


@dataclass(frozen=True)
class ExportContext:
    """What the title rows say: for which unit, which years, which filters, made by whom and when."""

    unit: str
    user: object
    years: str = ""
    filters: Sequence[tuple[str, str]] = field(default_factory=tuple)
    made_at: datetime.datetime | None = None

    def lines(self, title: str) -> list[str]:
        made_at = timezone.localtime(self.made_at or timezone.now())
        who = (self.user.get_full_name() or self.user.get_username()) if self.user else ""
        unit_line = _("Đơn vị: %(unit)s") % {"unit": self.unit}
        if self.years:
            unit_line += " · " + _("Năm: %(years)s") % {"years": self.years}
        filters = "; ".join(f"{label}: {value}" for label, value in self.filters if value not in ("", None))
        return [
            title,
            unit_line,
            _("Bộ lọc: %(filters)s") % {"filters": filters or _("không")},
            _("Lập lúc %(time)s ngày %(date)s, người lập: %(who)s")
            % {"time": made_at.strftime("%H:%M"), "date": made_at.strftime("%d/%m/%Y"), "who": who},
        ]


def safe_text(value) -> str:
    """Text as it will be stored. (Formula safety is in the cell type, not in the text: see _cell.)"""
    return "" if value is None else str(value)


def _cell(sheet, column: Column, value):
    if value is None or value == "":
        return WriteOnlyCell(sheet, value=None)
    if column.kind == TEXT:
        cell = WriteOnlyCell(sheet, value=safe_text(value))
        # openpyxl marks a string starting with "=" as a formula; force every text cell to a string.
        cell.data_type = "s"
        return cell
    if column.kind == PERCENT:
        value = Decimal(value) / 100
    if column.kind in (NUMBER, DECIMAL, PERCENT):
        value = int(value) if column.kind == NUMBER else float(value)
    if column.kind == DATE and isinstance(value, datetime.datetime):
        value = timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = NUMBER_FORMATS[column.kind]
    return cell


def write_table(
    *,
    title: str,
    context: ExportContext,
    columns: Sequence[Column],
    rows: Iterable[Sequence],
    progress: Callable[[int], None] | None = None,
    progress_every: int = 2000,
    sheet_title: str | None = None,
) -> str:
    """Write the table to a temporary .xlsx file and return its path (the caller deletes or keeps it).

    `rows` yields one sequence per row, in the order of `columns`. `progress(n)` is called every
    `progress_every` rows with the number written so far (background jobs report it)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=(sheet_title or _("Dữ liệu"))[:31])
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width or DEFAULT_WIDTHS[column.kind]
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"

    bold = Font(bold=True)
    for number, line in enumerate(context.lines(title), start=1):
        cell = WriteOnlyCell(sheet, value=line)
        cell.data_type = "s"
        cell.font = Font(bold=True, size=14) if number == 1 else Font(italic=True)
        sheet.append([cell])
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column.header)
        cell.data_type = "s"
        cell.font = bold
        cell.fill = PatternFill("solid", fgColor="DDE7F3")
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        header.append(cell)
    sheet.append(header)

    count = 0
    try:
        for row in rows:
            sheet.append([_cell(sheet, column, value) for column, value in zip(columns, row, strict=True)])
            count += 1
            if progress and count % progress_every == 0:
                progress(count)
    except BaseException:
        _discard(sheet)
        raise
    last_row = HEADER_ROW + max(count, 1)
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(columns))}{last_row}"
    if progress:
        progress(count)

    descriptor, path = tempfile.mkstemp(suffix=".xlsx", prefix="tthtcd-export-")
    os.close(descriptor)
    workbook.save(path)
    return path


def _discard(sheet) -> None:
    """Close the half-written sheet's spool file (openpyxl would complain about it when collected)."""
    # Already failing: the caller's exception is what matters, not a second one from closing.
    with contextlib.suppress(Exception):
        sheet.close()


def filename_for(title: str, made_at: datetime.datetime | None = None) -> str:
    made_at = timezone.localtime(made_at or timezone.now())
    return f"{slugify(title)[:60] or 'bao-cao'}-{made_at:%Y%m%d-%H%M}.xlsx"


class _DeletingFile:
    """A file object that removes its temporary file when the response closes it."""

    def __init__(self, path: str):
        self.path = path
        self.name = path
        self._handle = open(path, "rb")  # noqa: SIM115 — closed by the response

    def read(self, *args):
        return self._handle.read(*args)

    def close(self):
        self._handle.close()
        os.unlink(self.path)


def file_response(path: str, filename: str) -> FileResponse:
    """Send the temporary .xlsx and delete it once sent."""
    return FileResponse(_DeletingFile(path), as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)


def table_response(*, title: str, context: ExportContext, columns: Sequence[Column], rows: Iterable[Sequence]):
    """write_table + file_response: the view's one-liner for an export small enough to run in the request."""
    path = write_table(title=title, context=context, columns=columns, rows=rows)
    return file_response(path, filename_for(title, context.made_at))
