"""A list that went through a user's Excel and text editor imports as the same units (docs/units.md).

Each variant is the real Thái Bình list (242 communes) as some tool would have rewritten it. Imported after
the original, it changes nothing and creates no twins; imported first, it stores what the original stores.
"""

import csv
import io
import unicodedata
from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from units.models import Commune, District, Province

DATA = Path(__file__).resolve().parents[2] / "units" / "data"
ORIGINAL = DATA / "gso_legacy_thai_binh.csv"

pytestmark = pytest.mark.django_db


def run(path) -> str:
    out = io.StringIO()
    call_command("import_admin_units", str(path), stdout=out)
    return out.getvalue()


def original_rows() -> list[list[str]]:
    with ORIGINAL.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def as_csv(rows, *, delimiter=",", newline="\r\n") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator=newline).writerows(rows)
    return out.getvalue()


def register() -> list[tuple]:
    """Everything a user could see of the units, with their ids: equal before and after means no change."""
    return [
        *Province.objects.order_by("id").values_list("id", "code", "name", "kind", "valid_from"),
        *District.objects.order_by("id").values_list("id", "code", "name", "kind", "province_id"),
        *Commune.objects.order_by("id").values_list("id", "code", "name", "kind", "district_id", "province_id"),
    ]


def register_by_code() -> list[tuple]:
    """The units as codes and names only (ids differ between two databases)."""
    return [
        *Province.objects.order_by("code").values_list("code", "name", "kind", "valid_from"),
        *District.objects.order_by("code").values_list("code", "name", "kind", "province__code"),
        *Commune.objects.order_by("code").values_list("code", "name", "kind", "district__code", "province__code"),
    ]


def map_columns(rows, columns, change) -> list[list[str]]:
    """`change` applied to `columns` of every data row."""
    out = [rows[0]]
    for row in rows[1:]:
        out.append([change(cell) if i in columns else cell for i, cell in enumerate(row)])
    return out


def map_names(rows, change) -> list[list[str]]:
    return map_columns(rows, (0, 2, 4), change)


def map_codes(rows, change) -> list[list[str]]:
    return map_columns(rows, (1, 3, 5), change)


def new_tone_placement(name: str) -> str:
    """The other way of placing the tone in oa, oe, uy: "Thái Thụy" → "Thái Thuỵ", "Hòa" → "Hoà"."""
    swaps = {"Thụy": "Thuỵ", "Thủy": "Thuỷ", "Thúy": "Thuý", "Hòa": "Hoà", "Hóa": "Hoá", "Hỏa": "Hoả"}
    for a, b in swaps.items():
        name = name.replace(a, b)
    return name


def windows_1258(text: str) -> bytes:
    """Text as Windows-1258 stores it: â, ê, ơ, ư, đ … as letters of their own, the five tones as combining
    marks after them ("ố" = "ô" + U+0301)."""
    out = []
    for char in text:
        marks = [m for m in unicodedata.normalize("NFD", char) if m in "\u0300\u0301\u0303\u0309\u0323"]
        base = unicodedata.normalize("NFC", "".join(m for m in unicodedata.normalize("NFD", char) if m not in marks))
        out.append(base + "".join(marks))
    return "".join(out).encode("cp1258")


def write_xlsx(path: Path, rows, *, numbers: str) -> None:
    """An .xlsx whose code cells Excel turned into numbers: ints (1834) or floats (1834.0)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(rows[0])
    for row in rows[1:]:
        cells = list(row)
        for i in (1, 3, 5):
            cells[i] = (int(cells[i]) if numbers == "int" else float(cells[i])) if cells[i] else None
        cells[7] = None
        sheet.append(cells)
    book.save(path)


# name → (file name, bytes). Each rewrites the whole original list.
def variants() -> dict[str, tuple[str, bytes]]:
    rows = original_rows()
    text = as_csv(rows)
    header = rows[0]
    return {
        "utf-8 without BOM (a text editor)": ("a.csv", text.encode("utf-8")),
        "Windows-1258 (Excel's CSV on a Vietnamese Windows)": ("a.csv", windows_1258(text)),
        "UTF-16 with tabs (Excel's Unicode Text)": ("a.csv", as_csv(rows, delimiter="\t").encode("utf-16")),
        "semicolons (Excel with Vietnamese regional settings)": (
            "a.csv",
            as_csv(rows, delimiter=";").encode("utf-8-sig"),
        ),
        "Excel's sep=; line": ("a.csv", ("sep=;\r\n" + as_csv(rows, delimiter=";")).encode("utf-8")),
        "LF line ends": ("a.csv", as_csv(rows, newline="\n").encode("utf-8")),
        "CR line ends (old Mac)": ("a.csv", as_csv(rows, newline="\r").encode("utf-8")),
        "NFD (a Mac editor)": ("a.csv", unicodedata.normalize("NFD", text).encode("utf-8")),
        "codes without leading zeros (Excel's General format)": (
            "a.csv",
            as_csv(map_codes(rows, lambda c: c.lstrip("0") or "0")).encode("utf-8-sig"),
        ),
        "codes as 1834.0 (a number column saved back)": (
            "a.csv",
            as_csv(map_codes(rows, lambda c: f"{int(c)}.0" if c else c)).encode("utf-8-sig"),
        ),
        "codes with Excel's text marker '": ("a.csv", as_csv(map_codes(rows, lambda c: f"'{c}" if c else c)).encode()),
        "double, trailing and non-breaking spaces": (
            "a.csv",
            as_csv(
                map_names(rows, lambda n: " " + n.replace(" ", "  ", 1).replace(" ", "\u00a0", 1) + " \u200b")
            ).encode(),
        ),
        "tone marks placed the other way (Thuỵ, Hoà)": ("a.csv", as_csv(map_names(rows, new_tone_placement)).encode()),
        "kind prefixes in other cases (THÀNH PHỐ, huyện, xã)": (
            "a.csv",
            as_csv(
                map_names(
                    rows,
                    lambda n: n.replace("Thành phố", "THÀNH PHỐ").replace("Huyện", "huyện").replace("Xã ", "xã "),
                )
            ).encode(),
        ),
        "Cấp in other cases": (
            "a.csv",
            as_csv([header] + [[*r[:6], r[6].upper(), r[7]] for r in rows[1:]]).encode(),
        ),
        "header in other cases, columns moved, an extra column, no English column": (
            "a.csv",
            as_csv(
                [["MÃ PX", "phường xã", "Ghi chú", "tỉnh thành phố", "mã tp", "QUẬN HUYỆN", "Mã  QH", "cấp"]]
                + [[r[5], r[4], "đã kiểm tra", r[0], r[1], r[2], r[3], r[6]] for r in rows[1:]]
            ).encode(),
        ),
        "blank trailing rows and columns (Excel's ,,,,)": (
            "a.csv",
            (as_csv([[*r, ""] for r in rows]) + ",,,,,,,,\r\n" * 5 + "\r\n").encode("utf-8-sig"),
        ),
        "rows pasted twice": ("a.csv", (text + as_csv(rows[1:20])).encode("utf-8-sig")),
    }


VARIANTS = variants()


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_a_variant_of_the_imported_list_changes_nothing(tmp_path, variant):
    run(ORIGINAL)
    before = register()
    name, content = VARIANTS[variant]
    path = tmp_path / name
    path.write_bytes(content)
    out = run(path)
    assert "provinces: 1, districts: 8, communes: 242" in out
    assert "created: 0, updated: 0" in out
    assert register() == before


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_a_variant_imported_first_stores_what_the_original_stores(tmp_path, variant):
    name, content = VARIANTS[variant]
    path = tmp_path / name
    path.write_bytes(content)
    run(path)
    first = register_by_code()
    Commune.objects.all().delete()
    District.objects.all().delete()
    Province.objects.all().delete()
    run(ORIGINAL)
    assert register_by_code() == first


@pytest.mark.parametrize("numbers", ["int", "float"])
def test_an_xlsx_whose_codes_became_numbers_imports_as_the_same_units(tmp_path, numbers):
    run(ORIGINAL)
    before = register()
    path = tmp_path / "list.xlsx"
    write_xlsx(path, original_rows(), numbers=numbers)
    assert "created: 0, updated: 0" in run(path)
    assert register() == before
    assert Commune.objects.get(code="12694").name == "Xã Đông Phương"


def test_the_tone_mark_of_oa_oe_uy_is_stored_on_the_first_vowel(tmp_path):
    rows = original_rows()
    path = tmp_path / "a.csv"
    path.write_bytes(as_csv(map_names(rows, new_tone_placement)).encode())
    out = run(path)
    assert "spellings made uniform" in out
    assert District.objects.get(code="341").name == "Huyện Thái Thụy"


def test_the_kind_prefix_is_stored_in_its_usual_case(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text(
        "Tỉnh Thành Phố,Mã TP,Quận Huyện,Mã QH,Phường Xã,Mã PX,Cấp,Tên Tiếng Anh\n"
        "TỈNH Bắc Kạn,06,Thành Phố Bắc Kạn,058,phường Nguyễn Thị Minh Khai,01834,PHƯỜNG,\n"
        "Tỉnh Bắc Kạn,06,Thành Phố Bắc Kạn,058,Dương Quang,01840,xã,\n",
        encoding="utf-8",
    )
    run(path)
    assert Province.objects.get().name == "Tỉnh Bắc Kạn"
    district = District.objects.get(code="058")
    assert (district.name, district.kind) == ("Thành phố Bắc Kạn", District.Kind.THANH_PHO)
    assert Commune.objects.get(code="01834").name == "Phường Nguyễn Thị Minh Khai"
    # A commune without its prefix gets the one its Cấp names, as every GSO name has.
    assert Commune.objects.get(code="01840").name == "Xã Dương Quang"


def test_the_same_code_with_another_name_in_one_file_is_still_refused(tmp_path):
    rows = original_rows()
    rows.append([*rows[1][:4], "Xã Khác", rows[1][5], *rows[1][6:]])
    path = tmp_path / "a.csv"
    path.write_bytes(as_csv(rows).encode())
    with pytest.raises(CommandError, match="Dòng 244, cột «Mã PX»: mã 12433 bị trùng"):
        run(path)
    assert not Commune.objects.exists()


# --- What cannot be read is refused with a message that says what to do ---------------------------------


def test_a_csv_whose_letters_became_question_marks_is_refused_with_how_to_save_it(tmp_path):
    """Excel on an English Windows saves "CSV (Comma delimited)" in Windows-1252: ỉ, ố, ư … are lost as "?"."""
    text = as_csv(original_rows())
    path = tmp_path / "a.csv"
    path.write_bytes(text.encode("cp1252", errors="replace"))
    with pytest.raises(CommandError) as error:
        run(path)
    assert "đã bị thay bằng «?»" in str(error.value)
    assert "CSV UTF-8" in str(error.value)
    assert not Commune.objects.exists()


def test_names_with_question_marks_under_a_readable_header_are_refused(tmp_path):
    rows = original_rows()
    rows[5][4] = "X? ??ng Ph??ng"
    path = tmp_path / "a.csv"
    path.write_bytes(as_csv(rows).encode("utf-8"))
    with pytest.raises(CommandError, match=r"Dòng 6, cột «Phường Xã»: tên «X\? \?\?ng Ph\?\?ng» có ký tự «\?»"):
        run(path)
    assert not Commune.objects.exists()


def test_a_legacy_vietnamese_font_encoding_is_refused(tmp_path):
    """TCVN3 (ABC) bytes are not UTF-8 and decode to letters Vietnamese does not have: not guessed at."""
    header = "Tỉnh Thành Phố,Mã TP,Quận Huyện,Mã QH,Phường Xã,Mã PX,Cấp,Tên Tiếng Anh\r\n".encode()
    path = tmp_path / "a.csv"
    # "Tỉnh Thái Bình" and "Xã Đông Phương" as TCVN3 writes them.
    path.write_bytes(
        header
        + b"T\xd6nh Th\xb8i B\xdanh,34,Huy\xd6n \xa7\xabng H\xad\xadng,340,X\xb8 \xa7\xabng Ph\xad\xadng,12694,X\xb8,\r\n"
    )
    with pytest.raises(CommandError, match="không lưu bằng bảng mã UTF-8.*CSV UTF-8"):
        run(path)
    assert not Commune.objects.exists()


def test_a_missing_required_column_is_named(tmp_path):
    rows = [[c for i, c in enumerate(r) if i != 5] for r in original_rows()]
    path = tmp_path / "a.csv"
    path.write_bytes(as_csv(rows).encode())
    with pytest.raises(CommandError, match="thiếu cột «Mã PX»"):
        run(path)


def test_a_six_digit_code_is_refused_not_cut(tmp_path):
    rows = original_rows()
    rows[1][5] = "112433"
    path = tmp_path / "a.csv"
    path.write_bytes(as_csv(rows).encode())
    with pytest.raises(CommandError, match="Dòng 2, cột «Mã PX»: mã phải gồm đúng 5 chữ số"):
        run(path)
