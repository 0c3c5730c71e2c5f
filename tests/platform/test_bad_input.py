"""Bad input to the importers (issue 9, item 4): whatever the bytes, the GSO importer and the shared
spreadsheet reader raise nothing but SpreadsheetError, and nothing is written; crafted .xlsx files are
refused from their directory or declared size, before a cell is read."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from accounts.models import User
from tests.factories import UserFactory
from tthtcd_portal import spreadsheets
from tthtcd_portal.spreadsheets import SpreadsheetError, read_table
from units.gso import GSO_HEADER, parse_gso
from units.models import Commune, District, Province

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# Cells a spreadsheet can hold (openpyxl refuses control characters, so they stay out of .xlsx cells).
xlsx_text = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=30)
cell = st.one_of(
    st.none(),
    xlsx_text,
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.sampled_from(["34", "340", "12694", "Xã", "Phường", "Huyện Đông Hưng", "Tỉnh Thái Bình", "01834"]),
)
# Rows that look like the GSO layout, to get past the header and exercise the row checks.
gso_row = st.lists(cell, min_size=0, max_size=10)


def xlsx_bytes(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def parse(content: bytes | str, name: str):
    data = content.encode() if isinstance(content, str) else content
    return parse_gso(io.BytesIO(data), name)


def parses_or_refuses(content, name):
    """The only acceptable outcomes: a parsed list, or a SpreadsheetError with a message for the user."""
    try:
        return parse(content, name)
    except SpreadsheetError as exc:
        assert str(exc).strip()
        return None


@FUZZ
@given(content=st.binary(max_size=2000), name=st.sampled_from(["a.csv", "a.xlsx", "a.xls", "a", "a.CSV"]))
def test_arbitrary_bytes_are_parsed_or_refused_with_a_message(content, name):
    parses_or_refuses(content, name)


@FUZZ
@given(text=st.text(max_size=2000))
def test_arbitrary_csv_text_is_parsed_or_refused_with_a_message(text):
    parses_or_refuses(text, "a.csv")
    parses_or_refuses(",".join(GSO_HEADER) + "\n" + text, "a.csv")


@FUZZ
@given(rows=st.lists(gso_row, max_size=6))
def test_arbitrary_cells_in_a_real_xlsx_are_parsed_or_refused_with_a_message(rows):
    parses_or_refuses(xlsx_bytes([GSO_HEADER, *rows]), "a.xlsx")


@FUZZ
@given(rows=st.lists(st.lists(st.text(max_size=12), max_size=10), max_size=6))
def test_arbitrary_cells_in_a_csv_with_the_gso_header_are_parsed_or_refused(rows):
    import csv

    out = io.StringIO()
    csv.writer(out).writerows([GSO_HEADER, *rows])
    parses_or_refuses(out.getvalue(), "a.csv")


def minimal_xlsx_members() -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(xlsx_bytes([GSO_HEADER, ["x"]]))) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def zip_of(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


SHEET = "xl/worksheets/sheet1.xml"


@FUZZ
@given(data=st.data())
def test_a_workbook_with_a_damaged_sheet_is_refused_with_a_message(data):
    """The sheet's XML is only parsed while rows are read (read-only mode): damage there must not escape."""
    members = minimal_xlsx_members()
    sheet = members[SHEET]
    cut = data.draw(st.integers(min_value=0, max_value=len(sheet)))
    junk = data.draw(st.binary(max_size=40))
    members[SHEET] = sheet[:cut] + junk + sheet[cut + len(junk) :]
    parses_or_refuses(zip_of(members), "a.xlsx")


@FUZZ
@given(name=st.sampled_from(sorted(minimal_xlsx_members())), junk=st.binary(max_size=200))
def test_a_workbook_with_any_member_replaced_by_junk_is_refused_with_a_message(name, junk):
    members = minimal_xlsx_members()
    members[name] = junk
    parses_or_refuses(zip_of(members), "a.xlsx")


# --- Crafted files: refused from what the file declares, before any cell is read -----------------


def refusal(content: bytes, name: str = "a.xlsx") -> str:
    with pytest.raises(SpreadsheetError) as info:
        header, rows = read_table(io.BytesIO(content), name, max_rows=100)
        list(rows)
    return str(info.value)


@pytest.fixture(scope="module")
def zip_bomb() -> bytes:
    """A ~100 KB .xlsx whose sheet decompresses to 110 MB of zeros (compressed in 1 MB chunks)."""
    out = io.BytesIO()
    members = minimal_xlsx_members()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, data in members.items():
            if name != SHEET:
                archive.writestr(name, data)
        with archive.open(SHEET, "w", force_zip64=True) as member:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(110):
                member.write(chunk)
    return out.getvalue()


def test_a_zip_bomb_is_refused_from_its_directory(zip_bomb, monkeypatch):
    assert len(zip_bomb) < 2 * 1024 * 1024
    # Refused before openpyxl opens it: nothing is decompressed.
    monkeypatch.setattr("openpyxl.load_workbook", lambda *a, **k: pytest.fail("the bomb reached openpyxl"))
    assert "dung lượng giải nén quá lớn" in refusal(zip_bomb)


def test_a_highly_compressed_member_is_refused_even_when_small(monkeypatch):
    members = minimal_xlsx_members()
    members[SHEET] = members[SHEET] + b"<!--" + b" " * 5_000_000 + b"-->"  # 5 MB that deflates to a few KB
    monkeypatch.setattr("openpyxl.load_workbook", lambda *a, **k: pytest.fail("reached openpyxl"))
    assert "dung lượng giải nén quá lớn" in refusal(zip_of(members))


def with_dimension(ref: str, extra_rows: str = "") -> bytes:
    members = minimal_xlsx_members()
    sheet = members[SHEET].decode()
    start = sheet.index("<dimension")
    end = sheet.index("/>", start) + 2
    sheet = sheet[:start] + f'<dimension ref="{ref}"/>' + sheet[end:]
    sheet = sheet.replace("</sheetData>", extra_rows + "</sheetData>")
    members[SHEET] = sheet.encode()
    return zip_of(members)


def test_huge_declared_dimensions_are_refused_before_reading_cells(monkeypatch):
    read = []
    real = spreadsheets._cell
    monkeypatch.setattr(spreadsheets, "_cell", lambda value: read.append(value) or real(value))
    message = refusal(with_dimension("A1:XFD1048576"))
    assert "kích thước bất thường (1048576 dòng × 16384 cột" in message
    assert read == []  # not a single cell was looked at


def test_a_row_numbered_far_beyond_the_limit_is_refused_without_walking_a_million_rows():
    # Declared small, but a row numbered 1,048,576: openpyxl would fill a million empty rows up to it.
    far_row = '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    message = refusal(with_dimension("A1:H2", far_row))
    assert "quá nhiều dòng (tối đa 100 dòng" in message


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"%PDF-1.7 not a spreadsheet", "không phải là bảng tính Excel"),
        (zip_of({"word/document.xml": b"<w/>"}), "không phải là bảng tính Excel"),
        (b"PK\x05\x06" + b"\0" * 18, "không phải là bảng tính Excel"),  # an empty zip directory, nothing else
        (b"PK\x03\x04" + b"\xff" * 200, "không phải là bảng tính Excel"),
    ],
)
def test_a_file_that_is_not_a_spreadsheet_is_refused_clearly(content, expected):
    assert expected in refusal(content)


def test_an_upload_above_the_size_limit_or_of_another_type_is_refused(settings):
    settings.MAX_UPLOAD_BYTES = 1000
    with pytest.raises(SpreadsheetError, match="Tệp quá lớn"):
        spreadsheets.check_upload(SimpleUploadedFile("a.csv", b"x" * 1001))
    with pytest.raises(SpreadsheetError, match="Chỉ nhận tệp Excel"):
        spreadsheets.check_upload(SimpleUploadedFile("a.exe", b"MZ"))


# --- Through the upload page: never a 500, never a half-written import ----------------------------


@pytest.fixture
def admin_client(client_for, db):
    return client_for(UserFactory(username="admin_fuzz", role=User.Role.ADMIN))


def unit_counts() -> tuple[int, int, int]:
    return Province.objects.count(), District.objects.count(), Commune.objects.count()


@FUZZ
@given(content=st.binary(max_size=600), name=st.sampled_from(["a.csv", "a.xlsx", "a.txt"]))
def test_the_import_page_answers_any_upload_with_a_message_and_writes_nothing(admin_client, content, name):
    before = unit_counts()
    response = admin_client.post(reverse("units:import"), {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 200
    admin_client.post(reverse("units:import_confirm"))  # whatever was staged, if anything
    if "Xem trước" not in response.content.decode():
        assert unit_counts() == before


def test_an_import_that_fails_half_way_writes_nothing(admin_client, monkeypatch):
    """All or nothing: the service fails after provinces and districts are written → all rolled back."""
    from units import services

    good = (
        ",".join(GSO_HEADER)
        + "\nTỉnh Thái Bình,34,Huyện Đông Hưng,340,Xã Đông Phương,12694,Xã,Dong Phuong\n"
        + "Tỉnh Thái Bình,34,Huyện Đông Hưng,340,Xã Đông Xá,12697,Xã,Dong Xa\n"
    ).encode()
    response = admin_client.post(reverse("units:import"), {"file": SimpleUploadedFile("a.csv", good)})
    assert "Xem trước" in response.content.decode()

    real_upsert = services._upsert

    def upsert_then_fail_on_communes(model, wanted, valid_from):
        if model is Commune:
            raise SpreadsheetError("lỗi giả lập giữa chừng")
        return real_upsert(model, wanted, valid_from)

    monkeypatch.setattr(services, "_upsert", upsert_then_fail_on_communes)
    response = admin_client.post(reverse("units:import_confirm"), follow=True)
    assert "lỗi giả lập giữa chừng" in response.content.decode()
    assert unit_counts() == (0, 0, 0)
