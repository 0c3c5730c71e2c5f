"""Official reports: the administrative header, the table and totals, the signature; scope per role."""

import io

from django.urls import reverse
from openpyxl import load_workbook

from reports.models import ReportSettings
from reports.official import centre_list_report
from tests.centres.factories import AssignmentFactory, BoardMemberFactory
from tthtcd_portal.xlsx import place_date_line


def open_report(response):
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content)).active


def cells(sheet):
    return [v for row in sheet.iter_rows(values_only=True) for v in row if v is not None]


def row_values(sheet, first):
    for row in sheet.iter_rows(values_only=True):
        if row[1] == first or row[0] == first:
            return list(row)
    raise AssertionError(first)


def test_place_date_line_pads_small_days_and_months():
    import datetime

    assert place_date_line("Thái Bình", datetime.date(2026, 11, 24)) == "Thái Bình, ngày 24 tháng 11 năm 2026"
    assert place_date_line("Thái Bình", datetime.date(2026, 2, 5)) == "Thái Bình, ngày 05 tháng 02 năm 2026"


def test_rating_summary_by_district_with_percentages_totals_and_base_year(world, figures, client_for):
    ReportSettings.objects.create(province=world.province, signer_name="Nguyễn Văn Bình", signer_title="Giám đốc")
    sheet = open_report(
        client_for(world.official).get(
            reverse("reports:official", args=["bc-xep-loai"]), {"den_nam": 2023, "nam_goc": 2022}
        )
    )
    values = cells(sheet)
    assert sheet["A1"].value == "UBND TỈNH THÁI BÌNH"
    assert "SỞ GIÁO DỤC VÀ ĐÀO TẠO" in values and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in values
    assert "Độc lập - Tự do - Hạnh phúc" in values
    assert any(str(v).startswith("Thái Bình, ngày ") for v in values)
    assert "TỔNG HỢP KẾT QUẢ XẾP LOẠI TRUNG TÂM HỌC TẬP CỘNG ĐỒNG NĂM 2023" in values
    assert "GIÁM ĐỐC" in values and "Nguyễn Văn Bình" in values
    x = row_values(sheet, "Huyện Đông Hưng")
    # 2023: A tot, A2 kha → 1 of 2 Tốt = 50%, 1 Khá = 50%; 2022 Tốt share in X: 0%
    assert x[2:7] == [2, 1, 0.5, 1, 0.5]
    total = row_values(sheet, "Toàn tỉnh")
    assert total[2:5] == [3, 2, 0.667]
    assert total[-2] == 0.333 and total[-1] == 33.4
    assert sheet.page_setup.orientation == "landscape" and int(sheet.page_setup.paperSize) == 9  # A4
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth == 1
    assert sheet["A1"].font.name == "Times New Roman" and sheet["A1"].font.size == 13


def test_reviewer_gets_only_their_district_under_their_office_header(world, figures, client_for):
    sheet = open_report(
        client_for(world.reviewer_x).get(reverse("reports:official", args=["bc-xep-loai"]), {"den_nam": 2024})
    )
    values = cells(sheet)
    assert "Huyện Đông Hưng" in values and "Huyện Thái Thụy" not in values
    assert sheet["A1"].value == "UBND HUYỆN ĐÔNG HƯNG"


def test_participation_report_by_district_year_and_kind(world, figures, client_for):
    sheet = open_report(
        client_for(world.official).get(
            reverse("reports:official", args=["bc-nguoi-hoc"]), {"tu_nam": 2023, "den_nam": 2024}
        )
    )
    values = cells(sheet)
    assert "Xóa mù chữ" in values and "Trong đó nữ" in values
    rows = [list(r) for r in sheet.iter_rows(values_only=True) if r[0] == "Huyện Đông Hưng"]
    assert [r[1] for r in rows] == [2023, 2024]
    from tests.reports.conftest import raw_sum

    header = next(list(r) for r in sheet.iter_rows(values_only=True) if r[0] == "Đơn vị")
    total_col = header.index("Tổng lượt người học")
    assert rows[1][total_col] == raw_sum("participations", year=2024, centres=[world.centre_a, figures])
    assert rows[1][total_col + 1] == raw_sum("women", year=2024, centres=[world.centre_a, figures])


def test_centre_list_report_holds_the_centres_the_list_shows_with_their_counts(world, figures):
    BoardMemberFactory(centre=world.centre_a)
    BoardMemberFactory(centre=world.centre_a)
    AssignmentFactory(centre=figures)
    _title, content = centre_list_report(world.official, {"huyen": world.district_x.pk})
    sheet = load_workbook(io.BytesIO(content)).active
    values = cells(sheet)
    assert "Thành viên Ban Giám đốc" in values and world.centre_b.name not in values  # district Y filtered out
    assert row_values(sheet, 1)[-2:] == [2, 0]
    assert row_values(sheet, "Tổng cộng")[-2:] == [2, 1]


def test_official_reports_are_for_reviewers_and_above(world, client_for):
    assert client_for(world.staff_a).get(reverse("reports:official", args=["bc-xep-loai"])).status_code == 403
    assert client_for(world.official).get(reverse("reports:official", args=["khong-co"])).status_code == 404


def test_a_formula_like_setting_stays_text(world, figures, client_for):
    ReportSettings.objects.create(province=world.province, signer_name='=HYPERLINK("x")')
    sheet = open_report(client_for(world.official).get(reverse("reports:official", args=["bc-trung-tam"])))
    assert '=HYPERLINK("x")' in cells(sheet)
