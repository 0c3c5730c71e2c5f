"""The official documents look like the Department's paper ones (issue 13 item 15): the document number line
under the issuing body, "(Ký, ghi rõ họ tên)" under the signer's title, long addresses wrapped in their row."""

import io

from django.urls import reverse
from openpyxl import load_workbook

from reports.models import ReportSettings
from reports.official import centre_list_report


def _sheet(content):
    return load_workbook(io.BytesIO(content)).active


def _find(sheet, text):
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value == text:
                return cell
    raise AssertionError(f"{text!r} not in the sheet")


def test_a_provincial_report_carries_the_number_line_and_the_signature_hint(world, figures, client_for):
    ReportSettings.objects.create(province=world.province, signer_name="Nguyễn Văn Bình", signer_title="Giám đốc")
    response = client_for(world.official).get(reverse("reports:official", args=["bc-xep-loai"]), {"den_nam": 2023})
    sheet = _sheet(response.content)
    number = _find(sheet, "Số: …/BC-SGDĐT")
    body = _find(sheet, "SỞ GIÁO DỤC VÀ ĐÀO TẠO")
    assert number.column == body.column and number.row > body.row  # under the issuing body, on the left
    signer = _find(sheet, "GIÁM ĐỐC")
    hint = _find(sheet, "(Ký, ghi rõ họ tên)")
    name = _find(sheet, "Nguyễn Văn Bình")
    assert hint.column == signer.column and signer.row < hint.row < name.row
    assert hint.font.italic


def test_a_district_office_report_numbers_itself_as_the_office(world, figures, client_for):
    content = client_for(world.reviewer_x).get(reverse("reports:official", args=["bc-trung-tam"])).content
    assert _find(_sheet(content), "Số: …/BC-PGDĐT")


def test_a_long_address_wraps_inside_its_row(world, figures):
    world.centre_a.address = "Nhà văn hóa thôn Đông Phú, đường liên xã Đông Phương – Đông Hợp, " * 3
    world.centre_a.save(update_fields=["address"])
    sheet = _sheet(centre_list_report(world.official, {})[1])
    cell = _find(sheet, world.centre_a.address)
    assert cell.alignment.wrap_text
    height = sheet.row_dimensions[cell.row].height
    assert height and height >= 3 * 15  # the row is as tall as the address's lines


def test_years_are_integers_shown_as_they_are_and_quantities_grouped(world, figures, client_for):
    """A year in a sheet is the number 2023 formatted "0" (never "2,023" or "2.023"); a quantity is "#,##0",
    which Excel shows with the reader's own separators (1.500.000 on a Vietnamese Windows)."""
    response = client_for(world.official).get(
        reverse("reports:official", args=["bc-nguoi-hoc"]), {"tu_nam": 2022, "den_nam": 2023}
    )
    sheet = _sheet(response.content)
    years = [c for row in sheet.iter_rows() for c in row if c.value in (2022, 2023) and c.column == 2]
    assert years and all(c.number_format == "0" and isinstance(c.value, int) for c in years)
    total = next(c for row in sheet.iter_rows() for c in row if c.column == 3 and isinstance(c.value, int))
    assert total.number_format == "#,##0"
