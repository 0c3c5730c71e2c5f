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
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
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
    """Text as it will be stored: control characters XML cannot hold are dropped (openpyxl would refuse the
    whole file). Formula safety is in the cell type, not in the text: see _RowCells."""
    return "" if value is None else ILLEGAL_CHARACTERS_RE.sub("", str(value))


class _RowCells:
    """Turns one row of values into what the write-only sheet appends, as cheaply as openpyxl allows.

    Text that could be read as a formula (starting with "=") becomes a cell forced to the string type;
    other text goes in as a plain str, which openpyxl writes as a string. Typed columns reuse one styled
    cell each: the write-only sheet serialises a row during append(), before the next row refills them,
    and giving each of 200,000 rows new styled cells costs more than writing them (bench/export_bench.py).
    """

    def __init__(self, sheet, columns: Sequence[Column]):
        self.sheet = sheet
        self.kinds = [column.kind for column in columns]
        self.styled = []
        for kind in self.kinds:
            cell = None
            if kind != TEXT:
                cell = WriteOnlyCell(sheet)
                cell.number_format = NUMBER_FORMATS[kind]
                cell.data_type = "d" if kind == DATE else "n"
            self.styled.append(cell)

    def __call__(self, values: Sequence) -> list:
        if len(values) != len(self.kinds):
            raise ValueError(f"a row of {len(values)} values for {len(self.kinds)} columns")
        out = []
        for kind, cell, value in zip(self.kinds, self.styled, values, strict=True):
            if value is None or value == "":
                out.append(None)
            elif kind == TEXT:
                out.append(self._text(value))
            else:
                cell._value = self._typed(kind, value)
                out.append(cell)
        return out

    def _text(self, value):
        text = safe_text(value)
        if text[:1] != "=":
            return text
        # openpyxl marks a string starting with "=" as a formula; force it to a string cell.
        cell = WriteOnlyCell(self.sheet)
        cell._value = text
        cell.data_type = "s"
        return cell

    @staticmethod
    def _typed(kind: str, value):
        if kind == NUMBER:
            return int(value)
        if kind == DECIMAL:
            return float(value)
        if kind == PERCENT:
            return float(Decimal(value) / 100)
        if isinstance(value, datetime.datetime) and timezone.is_aware(value):
            return timezone.localtime(value).replace(tzinfo=None)
        if not isinstance(value, datetime.date):
            raise TypeError(f"a date column holds {value!r}")
        return value


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
    row_cells = _RowCells(sheet, columns)
    try:
        for row in rows:
            sheet.append(row_cells(row))
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
