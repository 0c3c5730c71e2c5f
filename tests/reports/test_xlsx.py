"""The generic export writer: title rows, typed cells, frozen header, autofilter, no formulas from text."""

import datetime
import os
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from tthtcd_portal.xlsx import (
    DATE,
    DECIMAL,
    HEADER_ROW,
    NUMBER,
    PERCENT,
    TEXT,
    YEAR,
    Column,
    ExportContext,
    write_table,
)

COLUMNS = [
    Column("Tên", TEXT, 30),
    Column("Lượt", NUMBER),
    Column("Tỷ lệ", PERCENT),
    Column("Ngày", DATE),
    Column("Điểm", DECIMAL),
]


@pytest.fixture
def book(world):
    rows = [
        ['=HYPERLINK("x")', 1500000, Decimal("55.2"), datetime.date(2024, 3, 5), Decimal("87.5")],
        ["+84 Nguyễn Thị Ánh Tuyết", 0, None, None, None],
        ["-1", 3, Decimal("100.0"), datetime.date(2024, 12, 31), 90],
        ["@SUM(A1)", 4, Decimal("0.0"), None, None],
        ["\tTrung tâm\rĐông Phương", 5, None, None, None],
    ]
    context = ExportContext(
        unit="Tỉnh Thái Bình", made_by="Nguyễn Văn A", years="2024", filters=[("Loại", "Xóa mù chữ"), ("Trống", "")]
    )
    path = write_table(title="Danh sách thử", context=context, columns=COLUMNS, rows=iter(rows))
    yield load_workbook(path).active
    os.unlink(path)


def test_title_rows_say_what_for_whom_and_when(book, world):
    assert book["A1"].value == "Danh sách thử"
    assert book["A2"].value == "Đơn vị: Tỉnh Thái Bình · Năm: 2024"
    assert book["A3"].value == "Bộ lọc: Loại: Xóa mù chữ"
    assert "người lập: Văn A Nguyễn" in book["A4"].value or "người lập: Nguyễn Văn A" in book["A4"].value


def test_header_is_frozen_filtered_and_sized(book):
    assert [c.value for c in book[HEADER_ROW]] == ["Tên", "Lượt", "Tỷ lệ", "Ngày", "Điểm"]
    assert book.freeze_panes == f"A{HEADER_ROW + 1}"
    assert book.auto_filter.ref == f"A{HEADER_ROW}:E{HEADER_ROW + 5}"
    assert book.column_dimensions["A"].width == 30


def test_text_that_looks_like_a_formula_comes_back_as_that_literal_text(book):
    first = HEADER_ROW + 1
    assert book[f"A{first}"].value == '=HYPERLINK("x")'
    assert book[f"A{first}"].data_type == "s"
    assert [book[f"A{first + i}"].value for i in range(1, 4)] == ["+84 Nguyễn Thị Ánh Tuyết", "-1", "@SUM(A1)"]
    # XML turns a bare carriage return into a line feed on reading; the text stays text.
    assert book[f"A{first + 4}"].value.startswith("\tTrung tâm")
    assert all(book[f"A{first + i}"].data_type == "s" for i in range(5))


def test_numbers_dates_and_percentages_keep_their_types(book):
    row = HEADER_ROW + 1
    assert book[f"B{row}"].value == 1500000 and book[f"B{row}"].number_format == "#,##0"
    assert book[f"C{row}"].value == pytest.approx(0.552) and book[f"C{row}"].number_format == "0.0%"
    assert book[f"D{row}"].value == datetime.datetime(2024, 3, 5) and book[f"D{row}"].number_format == "DD/MM/YYYY"
    assert book[f"E{row}"].value == 87.5
    assert book[f"C{row + 1}"].value is None


def test_a_row_of_the_wrong_length_is_refused(world):
    context = ExportContext(unit="P", made_by="Nguyễn Văn A")
    with pytest.raises(ValueError):
        write_table(title="x", context=context, columns=COLUMNS, rows=[["only one"]])


def test_rows_are_consumed_lazily_and_progress_is_reported(world):
    seen = []

    def rows():
        for i in range(5000):
            yield [f"Trung tâm {i}", i, None, None, None]

    context = ExportContext(unit="P", made_by="Nguyễn Văn A")
    path = write_table(
        title="Lớn", context=context, columns=COLUMNS, rows=rows(), progress=seen.append, progress_every=2000
    )
    sheet = load_workbook(path, read_only=True).active
    assert sum(1 for _ in sheet.iter_rows(min_row=HEADER_ROW + 1, max_col=1, values_only=True)) == 5000
    assert seen == [2000, 4000, 5000]
    os.unlink(path)


def test_a_long_export_makes_its_cells_once_not_once_a_row(world, monkeypatch):
    """The sessions export's speed (docs/performance.md): the rows are written as XML directly (one cell made
    per typed column, for its style); openpyxl's own path made a new cell after each styled one, row after row."""
    from openpyxl.cell import cell as openpyxl_cell

    made = []
    init = openpyxl_cell.Cell.__init__

    def counted(self, *args, **kwargs):
        made.append(1)
        init(self, *args, **kwargs)

    monkeypatch.setattr(openpyxl_cell.Cell, "__init__", counted)
    rows = ([f"Trung tâm {i}", i, Decimal("55.2"), datetime.date(2024, 3, 5), Decimal("2.5")] for i in range(2000))
    path = write_table(title="Lớn", context=ExportContext(unit="P", made_by="A"), columns=COLUMNS, rows=rows)
    monkeypatch.undo()
    os.unlink(path)
    assert len(made) < 50  # title and header cells, one per column: not 2,000 × 4


class _OpenpyxlRows:
    """The rows as openpyxl itself writes them (a cell per value, as the writer made them before): the reference that
    tthtcd_portal.xlsx._Rows, which writes the sheet's XML directly, must match byte for byte."""

    def __init__(self, sheet, columns, writer):
        self.sheet, self.kinds = sheet, [column.kind for column in columns]

    def append(self, values, row):
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.cell.cell import ERROR_CODES

        from tthtcd_portal import xlsx

        cells = []
        for kind, value in zip(self.kinds, values, strict=True):
            value = xlsx.typed_value(kind, value)
            cell = None if value is None else WriteOnlyCell(self.sheet)
            if cell is None:
                pass
            elif kind == TEXT and value in ERROR_CODES:
                cell.value = value
            elif kind == TEXT:
                xlsx.literal(cell, value[: xlsx.MAX_TEXT])
            else:  # as the writer did before: the column's format first, then the value as it is
                cell.number_format = xlsx.NUMBER_FORMATS[kind]
                cell.data_type = "d" if kind == xlsx.DATE else "n"
                cell._value = value
            cells.append(cell)
        self.sheet.append(cells)

    def flush(self):
        pass


def _parts(path):
    import zipfile

    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist() if name != "docProps/core.xml"}
    os.unlink(path)
    return parts


def test_the_rows_written_directly_are_the_bytes_openpyxl_writes(world, monkeypatch):
    """Formula-like text, error codes, markup characters, line breaks, leading spaces, control characters,
    text longer than a cell holds, characters outside the BMP, empty values, NaN, dates and datetimes, and
    typed columns whose first value comes late (their style ids follow first use, as in openpyxl)."""
    from tthtcd_portal import xlsx

    columns = [*COLUMNS, Column("Năm", YEAR), Column("Ghi chú", TEXT)]
    rows = [
        [None, None, None, None, None, None, ""],
        ["", "", "", "", "", "", None],
        ['=HYPERLINK("x")', 1500000, Decimal("55.2"), datetime.date(2024, 3, 5), Decimal("87.5"), 2025, "#N/A"],
        ["a & b < c > d \" ' \r\n\t x", 0, Decimal("0.0"), datetime.datetime(2024, 3, 5, 13, 30), 1.25, 1, "-1"],
        [" Nguyễn Thị Ỷ Lan ", 10**17, Decimal("33.3"), datetime.date(1900, 2, 1), Decimal("NaN"), 7, "@SUM(A1)"],
        ["\tTrung tâm\rĐông Phương", True, None, None, 0.1, None, "+84 🎉 \x01\x1f\x7f"],
        ["x" * 40000, 3, Decimal("100"), None, None, None, "#DIV/0!"],
    ]
    context = ExportContext(unit="Tỉnh Thái Bình", made_by="Nguyễn Văn A", years="2024", filters=[("Loại", "=1")])

    def written():
        return _parts(write_table(title="Thử", context=context, columns=columns, rows=iter(rows)))

    ours = written()
    monkeypatch.setattr(xlsx, "_Rows", _OpenpyxlRows)
    theirs = written()
    assert ours.keys() == theirs.keys()
    for name in theirs:
        assert ours[name] == theirs[name], name
    assert b"&#13;" in ours["xl/worksheets/sheet1.xml"] and b'xml:space="preserve"' in ours["xl/worksheets/sheet1.xml"]
