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
from math import isinf, isnan
from urllib.parse import quote

from django.http import FileResponse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet._writer import WorksheetWriter, create_temporary_file
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.page import PageMargins
from openpyxl.xml.constants import SHEET_MAIN_NS
from openpyxl.xml.functions import xmlfile

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
_SPECIAL = frozenset(start[0] for start in FORMULA_STARTS)
MAX_TEXT = 32767  # what a cell holds; openpyxl truncates to it


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


class _Rows:
    """Writes a table's rows into the write-only sheet's XML directly: the same bytes openpyxl writes for the
    same cells (inline strings, one style per typed column, the quote-prefix style for formula-like text, an
    error code such as "#N/A" an error cell, as openpyxl binds it), without a cell object or openpyxl's
    per-cell work, which was most of the sessions export's time (issue 17 item 4, docs/performance.md).
    tests/reports/test_xlsx.py compares the sheet with openpyxl's own, byte for byte.

    Styles are registered with the workbook when a column first holds a value, in openpyxl's order, so the
    style ids are the same too."""

    CHUNK = 500  # rows joined into one write

    def __init__(self, sheet, columns: Sequence[Column], writer: _SheetWriter):
        self.sheet = sheet
        self.writer = writer
        self.kinds = [column.kind for column in columns]
        self.letters = [get_column_letter(index) for index in range(1, len(columns) + 1)]
        self.styles: list[str | None] = [None] * len(columns)  # ' s="N"', once the column holds a value
        self.literal_style: str | None = None
        self.epoch = sheet.parent.epoch
        self.pending: list[str] = []

    def _style(self, index: int) -> str:
        style = self.styles[index]
        if style is None:
            cell = WriteOnlyCell(self.sheet)
            cell.number_format = NUMBER_FORMATS[self.kinds[index]]
            style = self.styles[index] = f' s="{cell.style_id}"'
        return style

    def _literal_style(self) -> str:
        if self.literal_style is None:
            self.literal_style = f' s="{literal(WriteOnlyCell(self.sheet), "=").style_id}"'
        return self.literal_style

    def append(self, values: Sequence, row: int) -> None:
        if len(values) != len(self.kinds):
            raise ValueError(f"a row of {len(values)} values for {len(self.kinds)} columns")
        out = [f'<row r="{row}">']
        for index, (kind, value) in enumerate(zip(self.kinds, values, strict=True)):
            value = typed_value(kind, value)
            if value is None:
                continue
            ref = f"{self.letters[index]}{row}"
            if kind == TEXT:
                if value in ERROR_CODES:
                    out.append(f'<c r="{ref}" t="e"><v>{value}</v></c>')
                    continue
                value = value[:MAX_TEXT]
                style = self._literal_style() if value[:1] in _SPECIAL and is_risky(value) else ""
                space = ' xml:space="preserve"' if value != value.strip() else ""
                out.append(f'<c r="{ref}"{style} t="inlineStr"><is><t{space}>{_escaped(value)}</t></is></c>')
            else:
                if kind == DATE:
                    value = to_excel(value, self.epoch)
                number = "" if isnan(value) or isinf(value) else f"{value:.16g}"  # openpyxl's safe_string
                out.append(f'<c r="{ref}"{self._style(index)} t="n"><v>{number}</v></c>')
        out.append("</row>")
        self.pending.append("".join(out))
        if len(self.pending) >= self.CHUNK:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            self.writer.raw("".join(self.pending).encode("ascii", "xmlcharrefreplace"))
            self.pending = []


def _escaped(text: str) -> str:
    """Text as lxml writes it in an element (the sheet is ASCII: other characters become &#N; on encoding)."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if "\r" in text:
        text = text.replace("\r", "&#13;")
    return text


class _SheetWriter(WorksheetWriter):
    """openpyxl's writer of a write-only sheet (sheet properties, columns, title and header rows, autofilter),
    into a file this module also writes the table's rows to (`raw`), between openpyxl's header row and its
    end of the sheet data."""

    def __init__(self, sheet):
        path = create_temporary_file()
        self._file = open(path, "wb")  # noqa: SIM115 — closed in close()
        self._xml = None
        super().__init__(sheet, out=self._file)  # the stream opens on the file object
        self.out = path  # what the workbook puts in the archive

    def get_stream(self):
        with xmlfile(self.out) as xf:
            self._xml = xf
            with xf.element("worksheet", xmlns=SHEET_MAIN_NS):
                try:
                    while True:
                        el = yield
                        if el is True:
                            yield xf
                        elif el is not None:
                            xf.write(el)
                except GeneratorExit:
                    pass

    def raw(self, data: bytes) -> None:
        self._xml.flush()  # what openpyxl wrote so far goes first
        self._file.write(data)

    def close(self):
        super().close()
        if not self._file.closed:
            self._file.close()


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
    writer = sheet._writer = _SheetWriter(sheet)  # instead of openpyxl's own, made at the first append
    writer.write_top()

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
    table = _Rows(sheet, columns, writer)
    try:
        for row in rows:
            table.append(row, HEADER_ROW + 1 + count)
            count += 1
            if progress and count % progress_every == 0:
                progress(count)
        table.flush()
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


FILE_STEM_MAX = 120  # characters of the slug; cut at a hyphen, so no word (or year) is cut in half


def filename_for(title: str, made_at: datetime.datetime | None = None) -> str:
    """The ASCII file name of a download: the whole title as a slug, "đ" as "d" (NFKD alone drops it:
    "cộng đồng" would read "cong-ong"), then the time it was made."""
    made_at = timezone.localtime(made_at or timezone.now())
    stem = slugify(title.replace("đ", "d").replace("Đ", "D"))
    if len(stem) > FILE_STEM_MAX:
        stem = stem[: FILE_STEM_MAX + 1].rsplit("-", 1)[0]
    return f"{stem or 'bao-cao'}-{made_at:%Y%m%d-%H%M}.xlsx"


def vietnamese_filename(title: str, made_at: datetime.datetime | None = None) -> str:
    """The file name in Vietnamese for browsers that read RFC 5987's filename*: the title as written."""
    made_at = timezone.localtime(made_at or timezone.now())
    plain = "".join("-" if c in '\\/:*?"<>|' or ord(c) < 32 else c for c in title).strip() or "bao-cao"
    return f"{plain} {made_at:%Y%m%d-%H%M}.xlsx"


def download_disposition(title: str, made_at: datetime.datetime | None = None) -> str:
    """Content-Disposition of a download: the ASCII name for every browser, the Vietnamese one (RFC 5987)
    for those that take it."""
    made_at = made_at or timezone.now()
    quoted = quote(vietnamese_filename(title, made_at), safe="")
    return f"attachment; filename=\"{filename_for(title, made_at)}\"; filename*=UTF-8''{quoted}"


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


def file_response(path: str, title: str, made_at: datetime.datetime | None = None) -> FileResponse:
    """Send the temporary .xlsx under the title's names (download_disposition) and delete it once sent."""
    response = FileResponse(_DeletingFile(path), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = download_disposition(title, made_at)
    return response


def table_response(*, title: str, context: ExportContext, columns: Sequence[Column], rows: Iterable[Sequence]):
    """write_table + file_response: the view's one-liner for an export small enough to run in the request."""
    path = write_table(title=title, context=context, columns=columns, rows=rows)
    return file_response(path, title, context.made_at)


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
    # The issuing body's abbreviation in the document number ("Số: …/BC-SGDĐT"); the number itself is left
    # for the clerk, who gives it when the report is registered and signed.
    body_code: str = "SGDĐT"


DOCUMENT_LINE_HEIGHT = 17  # points: one line of Times New Roman 13


def _wrapped_lines(text: str, width: float) -> int:
    """How many lines `text` takes in a column `width` characters wide, breaking at spaces."""
    per_line = max(int(width * 1.1), 8)  # Times is narrower than the width unit (a "0" of the default font)
    lines, used = 1, 0
    for word in text.split():
        size = len(word) + (1 if used else 0)
        if used and used + size > per_line:
            lines, used = lines + 1, len(word)
        else:
            used += size
    return lines


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
    number_line = _("Số: …/BC-%(body)s") % {"body": header.body_code}
    _merged(sheet, 4, 1, split, number_line, align=center)
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
        lines = 1
        for index, (column, value) in enumerate(zip(columns, values, strict=True), start=1):
            cell = put(sheet, r, index, value, kind=column.kind)
            _styled(cell, font=font, border=True, align=Alignment(wrap_text=column.kind == TEXT, vertical="center"))
            if column.kind == TEXT and value:
                lines = max(lines, _wrapped_lines(str(value), column.width or 30))
        if lines > 1:
            # Excel does not grow a row for wrapped text it did not type itself: the row is set as tall as
            # its longest text (a long address) so the text stays inside its row on screen and on paper.
            sheet.row_dimensions[r].height = DOCUMENT_LINE_HEIGHT * lines
    r += 1
    for note in notes:
        r += 1
        _merged(sheet, r, 1, n, note, font=_font(italic=True), align=Alignment(wrap_text=True))
    r += 2
    _styled(put(sheet, r, 1, _("Nơi nhận:"), kind=TEXT), font=_font(bold=True, italic=True, size=12))
    _merged(sheet, r, split + 1, n, header.signer_title.upper(), font=bold, align=center)
    _styled(put(sheet, r + 1, 1, _("- Như trên;"), kind=TEXT), font=_font(size=11))
    _styled(put(sheet, r + 2, 1, _("- Lưu: VT."), kind=TEXT), font=_font(size=11))
    _merged(sheet, r + 1, split + 1, n, _("(Ký, ghi rõ họ tên)"), font=_font(italic=True), align=center)
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
