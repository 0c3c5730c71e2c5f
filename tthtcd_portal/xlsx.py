"""The one .xlsx writer: every sheet the portal writes — exports, official reports, the import template — goes
through this module (an import-linter contract keeps openpyxl out of every other module but the reader,
tthtcd_portal/spreadsheets.py). Three layouts, one way of turning a value into a cell (`_Cells`):

- `write_table`: an export. Title block, frozen header with autofilter, typed columns, rows streamed from an
  iterator into openpyxl's write-only mode (spooled to a temporary file: memory stays flat).
- `write_document`: an official document (Nghị định 30/2020/NĐ-CP): administrative header, place and date,
  bold upper-case title, the table with its totals, the signature block; A4 landscape.
- `write_workbook`: plain sheets (header row, typed columns, a drop-down from another sheet): the import
  template.

Formula-safe: text is always a string cell, never a formula, and text starting with = + - @ or a tab or
carriage return is also marked "quote prefix", the apostrophe Excel shows for literal text, so it stays text
even when someone edits the cell. Numbers stay numbers, dates are dates shown dd/mm/yyyy, percentages are
fractions shown 0.0%, years and codes are numbers shown without grouping (2025, not 2.025).
"""

from __future__ import annotations

import contextlib
import datetime
import io
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
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.page import PageMargins

TEXT = "text"
NUMBER = "number"  # an integer count: 1.500.000 in Vietnamese Excel
DECIMAL = "decimal"  # one decimal place
PERCENT = "percent"  # a value in percent (55.2) written as the fraction 0.552 shown 55,2%
DATE = "date"
YEAR = "year"  # a year or a numeric code: a number shown without grouping (2025, not 2.025)
KINDS = {TEXT, NUMBER, DECIMAL, PERCENT, DATE, YEAR}

NUMBER_FORMATS = {NUMBER: "#,##0", DECIMAL: "#,##0.0", PERCENT: "0.0%", DATE: "DD/MM/YYYY", YEAR: "0"}
DEFAULT_WIDTHS = {TEXT: 24, NUMBER: 14, DECIMAL: 14, PERCENT: 12, DATE: 13, YEAR: 8}
# Text a spreadsheet could read as a formula or a command (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
HEADER_ROW = 5  # title, unit and years, filters, made by, then the header
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    """One column of a sheet, described once: its header, kind, width and where its value comes from —
    a field path read with values_list ("commune__district__name") or a function of the row object. The
    writer uses header, kind and width; the exports (reports.exports) read `value`."""

    header: str
    kind: str = TEXT
    width: float | None = None
    value: str | Callable | None = None

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"unknown column kind {self.kind!r}")


@dataclass(frozen=True)
class ExportContext:
    """What the title rows say: for which unit, which years, which filters, made by whom and when."""

    unit: str
    made_by: str
    years: str = ""
    filters: Sequence[tuple[str, str]] = field(default_factory=tuple)
    made_at: datetime.datetime | None = None

    def lines(self, title: str) -> list[str]:
        made_at = timezone.localtime(self.made_at or timezone.now())
        unit_line = _("Đơn vị: %(unit)s") % {"unit": self.unit}
        if self.years:
            unit_line += " · " + _("Năm: %(years)s") % {"years": self.years}
        filters = "; ".join(f"{label}: {value}" for label, value in self.filters if value not in ("", None))
        return [
            title,
            unit_line,
            _("Bộ lọc: %(filters)s") % {"filters": filters or _("không")},
            _("Lập lúc %(time)s ngày %(date)s, người lập: %(who)s")
            % {"time": made_at.strftime("%H:%M"), "date": made_at.strftime("%d/%m/%Y"), "who": self.made_by},
        ]


def safe_text(value) -> str:
    """Text as it will be stored: control characters XML cannot hold are dropped (openpyxl would refuse the
    whole file). Formula safety is in the cell, not in the text: see _Cells."""
    return "" if value is None else ILLEGAL_CHARACTERS_RE.sub("", str(value))


def typed_value(kind: str, value):
    """The value a cell of `kind` holds (None for an empty one): the one conversion every layout uses."""
    if value is None or value == "":
        return None
    if kind == TEXT:
        return safe_text(value)
    if kind in (NUMBER, YEAR):
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


def is_risky(text: str) -> bool:
    """Text a spreadsheet could take for a formula: it starts with = + - @, a tab or a carriage return."""
    return text.startswith(FORMULA_STARTS)


def literal(cell, text: str):
    """Make `cell` hold `text` as literal text: a string cell (openpyxl marks text starting with "=" as a
    formula), with Excel's quote prefix when the text could be read as one."""
    cell.value = text
    cell.data_type = "s"
    if is_risky(text):
        cell.quotePrefix = True
    return cell


class _Cells:
    """Turns one row of values into what a write-only sheet appends, as cheaply as openpyxl allows.

    Each column reuses one cell, styled for a typed column, a plain string cell for text: the write-only sheet
    serialises a row during append(), before the next row refills them, and giving each of 200,000 rows new
    cells costs more than writing them (bench/export_bench.py). Text that could be read as a formula gets a
    literal cell of its own; an error code such as "#N/A" a cell openpyxl binds, as it always did.

    `install` makes the sheet take the rows' cells as they are (`_placed`) instead of openpyxl's
    `_values_to_row`, which re-binds every value and, for a cell, raises and catches a ValueError (with the
    cell's repr) and then makes a new scratch cell: 1.3-1.9× the rows/s, byte for byte the same sheet
    (openpyxl 3.1.5). Should a later openpyxl stop calling `_values_to_row`, its own path still accepts cells."""

    def __init__(self, sheet, columns: Sequence[Column]):
        self.sheet = sheet
        self.kinds = [column.kind for column in columns]
        self.cells = []
        for kind in self.kinds:
            cell = WriteOnlyCell(sheet)
            if kind == TEXT:
                cell.data_type = "s"
            else:
                cell.number_format = NUMBER_FORMATS[kind]
                cell.data_type = "d" if kind == DATE else "n"
            self.cells.append(cell)

    def install(self) -> None:
        """From now on (after the title and header rows) the sheet's rows are this object's cells."""
        self.sheet._values_to_row = self._placed

    @staticmethod
    def _placed(cells: Sequence, row_idx: int):
        for col_idx, cell in enumerate(cells, 1):
            if cell is None:
                continue
            cell.column = col_idx
            cell.row = row_idx
            yield cell

    def __call__(self, values: Sequence) -> list:
        if len(values) != len(self.kinds):
            raise ValueError(f"a row of {len(values)} values for {len(self.kinds)} columns")
        out = []
        for kind, cell, value in zip(self.kinds, self.cells, values, strict=True):
            value = typed_value(kind, value)
            if value is None:
                out.append(None)
            elif kind == TEXT:
                if value[:1] in _SPECIAL:
                    # openpyxl would mark "=…" as a formula: such text gets a literal cell of its own.
                    out.append(literal(WriteOnlyCell(self.sheet), value))
                elif value in ERROR_CODES:
                    out.append(WriteOnlyCell(self.sheet, value=value))  # bound by openpyxl, as before
                else:
                    cell._value = value[:MAX_TEXT]
                    out.append(cell)
            else:
                cell._value = value
                out.append(cell)
        return out


_SPECIAL = frozenset(start[0] for start in FORMULA_STARTS)
MAX_TEXT = 32767  # what a cell holds; openpyxl truncates to it


def put(sheet, row: int, column: int, value, *, kind: str | None = None, number_format: str | None = None):
    """Write one cell of a normal (not write-only) sheet, formula-safe; `kind` as for a Column (TEXT for a
    str, NUMBER for an int, DATE for a date when not given)."""
    kind = kind or _kind_of(value)
    cell = sheet.cell(row=row, column=column)
    value = typed_value(kind, value)
    if kind == TEXT and value is not None:
        literal(cell, value)
    else:
        cell.value = value
    if number_format or kind in NUMBER_FORMATS:
        cell.number_format = number_format or NUMBER_FORMATS[kind]
    return cell


def _kind_of(value) -> str:
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return TEXT
    if isinstance(value, int):
        return NUMBER
    if isinstance(value, float | Decimal):
        return DECIMAL
    if isinstance(value, datetime.date):
        return DATE
    return TEXT


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
        cell = literal(WriteOnlyCell(sheet), safe_text(line))
        cell.font = Font(bold=True, size=14) if number == 1 else Font(italic=True)
        sheet.append([cell])
    header = []
    for column in columns:
        cell = literal(WriteOnlyCell(sheet), safe_text(column.header))
        cell.font = bold
        cell.fill = PatternFill("solid", fgColor="DDE7F3")
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        header.append(cell)
    sheet.append(header)

    count = 0
    row_cells = _Cells(sheet, columns)
    row_cells.install()
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


def workbook_bytes(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- Plain sheets: the import template ----------------------------------------------------------------


@dataclass(frozen=True)
class Sheet:
    """A plain sheet: a bold header row, typed columns (a DATE column is formatted as a whole), `rows`
    below it, and drop-downs: `choices` maps a column's index to the title of a sheet whose first column,
    below its header, lists the values to pick from. `lines` instead of columns: one text per row."""

    title: str
    columns: Sequence[Column] = ()
    rows: Iterable[Sequence] = ()
    choices: dict[int, str] = field(default_factory=dict)
    choice_rows: int = 0  # how many rows the drop-downs cover
    lines: Sequence[str] = ()


def write_workbook(sheets: Sequence[Sheet]) -> bytes:
    """Plain sheets (normal mode: small files), formula-safe like every layout."""
    book = Workbook()
    book.remove(book.active)
    made = {}
    for spec in sheets:
        sheet = made[spec.title] = book.create_sheet(title=spec.title[:31])
        for index, column in enumerate(spec.columns, start=1):
            literal(sheet.cell(row=1, column=index), safe_text(column.header)).font = Font(bold=True)
            letter = get_column_letter(index)
            sheet.column_dimensions[letter].width = column.width or DEFAULT_WIDTHS[column.kind]
            if column.kind == DATE:  # the whole column: pre-formatted cells would count as used rows
                sheet.column_dimensions[letter].number_format = NUMBER_FORMATS[DATE]
        start = 2 if spec.columns else 1
        for r, values in enumerate(spec.rows, start=start):
            for c, (column, value) in enumerate(zip(spec.columns, values, strict=True), start=1):
                put(sheet, r, c, value, kind=column.kind)
        for r, line in enumerate(spec.lines, start=start):
            put(sheet, r, 1, line, kind=TEXT)
    for spec in sheets:
        for index, source in spec.choices.items():
            listed = made[source].max_row
            validation = DataValidation(type="list", formula1=f"='{source}'!$A$2:$A${max(listed, 2)}")
            letter = get_column_letter(index + 1)
            validation.add(f"{letter}2:{letter}{spec.choice_rows + 1}")
            made[spec.title].add_data_validation(validation)
    return workbook_bytes(book)


# --- Official documents (Nghị định 30/2020/NĐ-CP) ------------------------------------------------------

DOCUMENT_FONT = "Times New Roman"
DOCUMENT_SIZE = 13
_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


@dataclass(frozen=True)
class DocumentHeader:
    parent_body: str
    issuing_body: str
    place_name: str
    signer_title: str
    signer_name: str


def place_date_line(place: str, day: datetime.date) -> str:
    """ "Thái Bình, ngày 05 tháng 02 năm 2026": a zero before days under 10 and months under 3 (NĐ 30/2020)."""
    d = f"{day.day:02d}" if day.day < 10 else str(day.day)
    m = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return _("%(place)s, ngày %(d)s tháng %(m)s năm %(y)s") % {"place": place, "d": d, "m": m, "y": day.year}


def _font(**kwargs) -> Font:
    return Font(name=DOCUMENT_FONT, size=kwargs.pop("size", DOCUMENT_SIZE), **kwargs)


def _styled(cell, *, font=None, align=None, border=False):
    cell.font = font or _font()
    if align:
        cell.alignment = align
    if border:
        cell.border = _BOX
    return cell


def _merged(sheet, row: int, first: int, last: int, text: str, **style):
    if last > first:
        sheet.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
    return _styled(put(sheet, row, first, text, kind=TEXT), **style)


def write_document(
    *,
    header: DocumentHeader,
    title: str,
    subtitle: str,
    columns: Sequence[Column],
    rows: Sequence[Sequence],
    totals: Sequence | None = None,
    notes: Sequence[str] = (),
    today: datetime.date | None = None,
) -> bytes:
    """An official document's bytes: the table below the administrative header, its totals in bold, the
    signature block. `rows` and `totals` follow `columns`; percent values are in percent (55.2). A4
    landscape, fitted to the page width, Times New Roman 13. Normal mode: these are a few hundred rows."""
    today = today or timezone.localdate()
    book = Workbook()
    sheet = book.active
    sheet.title = safe_text(title)[:31]
    n = len(columns)
    split = max(2, n // 2)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    bold = _font(bold=True)

    _merged(sheet, 1, 1, split, header.parent_body.upper(), align=center)
    _merged(sheet, 1, split + 1, n, _("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), font=bold, align=center)
    _merged(sheet, 2, 1, split, header.issuing_body.upper(), font=bold, align=center)
    _merged(sheet, 2, split + 1, n, _("Độc lập - Tự do - Hạnh phúc"), font=bold, align=center)
    _merged(sheet, 4, split + 1, n, place_date_line(header.place_name, today), font=_font(italic=True), align=center)
    _merged(sheet, 6, 1, n, title.upper(), font=_font(bold=True, size=14), align=center)
    _merged(sheet, 7, 1, n, subtitle, font=_font(italic=True), align=center)

    top = 9
    for index, column in enumerate(columns, start=1):
        _styled(put(sheet, top, index, column.header, kind=TEXT), font=bold, align=center, border=True)
        sheet.column_dimensions[get_column_letter(index)].width = column.width or (30 if column.kind == TEXT else 12)
    sheet.row_dimensions[top].height = 48
    r = top
    for values in [*rows, *([totals] if totals else [])]:
        r += 1
        font = _font(bold=totals is not None and values is totals)
        for index, (column, value) in enumerate(zip(columns, values, strict=True), start=1):
            cell = put(sheet, r, index, value, kind=column.kind)
            _styled(cell, font=font, border=True, align=Alignment(wrap_text=column.kind == TEXT, vertical="center"))
    r += 1
    for note in notes:
        r += 1
        _merged(sheet, r, 1, n, note, font=_font(italic=True), align=Alignment(wrap_text=True))
    r += 2
    _styled(put(sheet, r, 1, _("Nơi nhận:"), kind=TEXT), font=_font(bold=True, italic=True, size=12))
    _merged(sheet, r, split + 1, n, header.signer_title.upper(), font=bold, align=center)
    _styled(put(sheet, r + 1, 1, _("- Như trên;"), kind=TEXT), font=_font(size=11))
    _styled(put(sheet, r + 2, 1, _("- Lưu: VT."), kind=TEXT), font=_font(size=11))
    _merged(sheet, r + 5, split + 1, n, header.signer_name, font=bold, align=center)

    setup = sheet.page_setup
    setup.orientation = "landscape"
    setup.paperSize = sheet.PAPERSIZE_A4
    setup.fitToWidth = 1
    setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins = PageMargins(left=0.6, right=0.4, top=0.6, bottom=0.6)
    sheet.print_title_rows = f"{top}:{top}"
    sheet.freeze_panes = f"A{top + 1}"
    return workbook_bytes(book)
