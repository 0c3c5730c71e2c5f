"""Every export opened with openpyxl and checked against the database, per role."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from centres.models import Centre
from evaluations.models import Assessment
from reports.models import ExportJob
from tests.reports.conftest import raw_sum
from tthtcd_portal.xlsx import HEADER_ROW

PARAMS = {"tu_nam": "2022", "den_nam": "2024", "nam_goc": "2022"}


def sheet_of(response):
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return load_workbook(io.BytesIO(body)).active


def data_rows(sheet):
    return [list(r) for r in sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True)]


def header(sheet):
    return [c.value for c in sheet[HEADER_ROW]]


def test_figures_export_matches_the_raw_sums_with_title_and_frozen_header(world, figures, client_for):
    sheet = sheet_of(client_for(world.official).get(reverse("reports:export", args=["so-lieu"]), PARAMS))
    assert sheet["A1"].value == "Số liệu hoạt động năm 2024"
    assert "Tỉnh Thái Bình" in sheet["A2"].value
    assert header(sheet)[:5] == ["Huyện / xã, phường", "Số trung tâm", "Số lớp", "Số buổi học", "Lượt người học"]
    assert sheet.freeze_panes == f"A{HEADER_ROW + 1}"
    assert sheet.auto_filter.ref.startswith(f"A{HEADER_ROW}:")
    rows = {r[0]: r for r in data_rows(sheet)}
    expected = raw_sum("participations", year=2024, centres=[world.centre_a, figures])
    assert rows["Huyện Đông Hưng"][4] == expected and isinstance(rows["Huyện Đông Hưng"][4], int)
    assert rows["Tổng cộng"][1] == 3
    assert sheet.cell(HEADER_ROW + 1, 9).number_format == "0.0%"


def test_reviewer_export_holds_only_their_centres(world, figures, client_for):
    for code in ("so-lieu", "xu-huong", "xep-loai", "trung-tam", "danh-gia"):
        sheet = sheet_of(client_for(world.reviewer_x).get(reverse("reports:export", args=[code]), PARAMS))
        text = " ".join(str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None)
        assert world.centre_b.name not in text, code
        assert "Thái Thụy" not in text, code


def test_staff_may_not_export_the_centre_list_and_other_official_gets_nothing(world, figures, client_for):
    assert client_for(world.staff_a).get(reverse("reports:export", args=["trung-tam"])).status_code == 403
    sheet = sheet_of(client_for(world.other_official).get(reverse("reports:export", args=["danh-gia"]), PARAMS))
    assert data_rows(sheet) == []
    assert client_for(world.official).get(reverse("reports:export", args=["khong-co"])).status_code == 404


def test_centres_export_keeps_diacritics_dates_and_formula_like_names_as_text(world, figures, client_for):
    import datetime

    Centre.objects.filter(pk=world.centre_a.pk).update(
        name='=HYPERLINK("x")', decision_date=datetime.date(2011, 5, 9), rooms=4
    )
    sheet = sheet_of(client_for(world.official).get(reverse("reports:export", args=["trung-tam"])))
    assert header(sheet)[3] == "Tên trung tâm"
    rows = {r[1]: r for r in data_rows(sheet)}
    a = rows["12694"]
    assert a[3] == '=HYPERLINK("x")'
    assert a[0] == "Huyện Đông Hưng" and a[2] == "Xã Đông Phương"
    assert a[6] == datetime.datetime(2011, 5, 9)
    assert a[14] == 4
    date_cell = next(c for c in sheet[HEADER_ROW + 1 + list(rows).index("12694")] if c.column == 7)
    assert date_cell.number_format == "DD/MM/YYYY"
    assert len(rows) == Centre.objects.count()


def test_assessments_export_lists_every_assessment_in_scope_with_official_rating_only_when_approved(
    world, figures, client_for
):
    sheet = sheet_of(client_for(world.official).get(reverse("reports:export", args=["danh-gia"]), PARAMS))
    rows = data_rows(sheet)
    assert len(rows) == Assessment.objects.count() == 9
    proposed = [r for r in rows if r[3] == figures.name and r[0] == 2024][0]
    assert proposed[4] == "Đã đề xuất xếp loại" and proposed[8] is None and proposed[7] == "Trung bình"


def test_a_large_export_runs_in_the_background_and_only_its_owner_sees_it(world, figures, client_for, settings):
    settings.REPORTS_BACKGROUND_ROWS = 2
    client = client_for(world.official)
    response = client.get(reverse("reports:export", args=["danh-gia"]), PARAMS)
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("reports:job", args=[job.pk])
    assert job.status == ExportJob.Status.DONE and job.rows_total == 9 and job.percent == 100
    status = client.get(reverse("reports:job_status", args=[job.pk])).json()
    assert status["status"] == "done" and status["download_url"] == reverse("reports:job_download", args=[job.pk])
    sheet = sheet_of(client.get(status["download_url"]))
    assert len(data_rows(sheet)) == 9
    page = client.get(reverse("reports:job", args=[job.pk])).content.decode()
    assert "reports/job.js" in page and "<progress" in page

    outsider = client_for(world.reviewer_x)
    for name in ("reports:job", "reports:job_status", "reports:job_download"):
        assert outsider.get(reverse(name, args=[job.pk])).status_code == 404


def test_background_button_queues_a_job_with_the_users_scope(world, figures, client_for):
    client = client_for(world.reviewer_x)
    response = client.post(reverse("reports:export_start", args=["trung-tam"]), {})
    job = ExportJob.objects.get()
    assert response.status_code == 302 and job.user == world.reviewer_x and job.status == "done"
    rows = data_rows(sheet_of(client.get(reverse("reports:job_download", args=[job.pk]))))
    assert {r[3] for r in rows} == {world.centre_a.name, figures.name}
    assert client.get(reverse("reports:export_start", args=["trung-tam"])).status_code == 405


def test_exports_page_lists_what_the_role_may_have(world, client_for):
    official = client_for(world.official).get(reverse("reports:exports")).content.decode()
    assert "Báo cáo tổng hợp xếp loại theo huyện" in official and "Thiết lập báo cáo" in official
    staff = client_for(world.staff_a).get(reverse("reports:exports")).content.decode()
    assert "Danh sách trung tâm" not in staff and "Báo cáo tổng hợp xếp loại" not in staff


@pytest.mark.parametrize("code", ["so-lieu", "xu-huong", "xep-loai", "danh-gia"])
def test_every_dashboard_export_opens_with_the_title_block(world, figures, client_for, code):
    sheet = sheet_of(client_for(world.official).get(reverse("reports:export", args=[code]), PARAMS))
    assert sheet["A4"].value.startswith("Lập lúc") and "official" in sheet["A4"].value or "Nguyễn" in sheet["A4"].value
    assert all(isinstance(v, str) and v for v in header(sheet))
