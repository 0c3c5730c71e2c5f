"""Browser journeys on the demo province with a few centres' figures (the full figures come from the
courses seed): the province dashboard, drill-down, and the rating summary download per role."""

import datetime
import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from centres.models import Centre
from courses.models import CentreYearFigure, ClassSession, Course
from evaluations.models import Assessment
from tests.conftest import browser_login
from tests.reports.factories import kind

pytestmark = pytest.mark.browser


@pytest.fixture
def demo_figures(demo_base):
    """Figures and approved ratings 2022–2024 for the first three centres of Đông Hưng and of Thái Thụy."""
    centres = list(Centre.objects.filter(commune__district__code="340").order_by("commune__code")[:3])
    centres += list(Centre.objects.filter(commune__district__code="341").order_by("commune__code")[:3])
    demo_xa = Centre.objects.get(commune__code="12694", status="active")
    if demo_xa not in centres:
        centres.append(demo_xa)
    other = kind("khac")
    rows, ratings = [], []
    for year in (2022, 2023, 2024):
        for i, centre in enumerate(centres):
            p = 3000 + 400 * i + 150 * (year - 2022)
            rows.append(
                CentreYearFigure(
                    centre=centre,
                    year=year,
                    programme_kind=other,
                    classes=30 + i,
                    sessions=120 + i,
                    participations=p,
                    women=p // 2,
                    minorities=i,
                    last_session_date=datetime.date(year, 12, 20),
                )
            )
            ratings.append(
                Assessment(centre=centre, year=year, status="approved", rating=("tot", "kha", "trung_binh")[i % 3])
            )
    CentreYearFigure.objects.bulk_create(rows)
    Assessment.objects.bulk_create(ratings)
    return centres


def test_demo_tinh_opens_the_dashboard_changes_years_and_drills_down(page, demo_figures):
    browser_login(page, "demo_tinh")
    page.goto(page.base_url + "/bao-cao/")
    expect(page.get_by_role("heading", name="Số liệu toàn tỉnh")).to_be_visible()
    page.get_by_label("Từ năm").select_option("2022")
    page.get_by_label("Đến năm").select_option("2024")
    page.get_by_role("button", name="Xem").click()
    expect(page).to_have_url(re.compile(r"tu_nam=2022.*den_nam=2024"))
    expect(page.get_by_role("heading", name="Số liệu năm 2024")).to_be_visible()
    expect(page.get_by_test_id("trend-table")).to_contain_text("2022")
    page.get_by_test_id("summary-table").get_by_role("link", name="Huyện Đông Hưng").click()
    expect(page.get_by_role("heading", name="Huyện Đông Hưng", exact=True)).to_be_visible()
    expect(page.get_by_test_id("summary-table")).not_to_contain_text("Thụy")
    first = demo_figures[0]
    course = Course.objects.create(
        centre=first,
        programme_kind=kind("phap-luat"),
        title="Chuyên đề Luật Đất đai 2024",
        start_date=datetime.date(2024, 3, 1),
        end_date=datetime.date(2024, 3, 31),
    )
    ClassSession.objects.create(course=course, date=datetime.date(2024, 3, 5), present=85, women=40)
    # The district's centre row opens the centre's figures (issue 13.13), with the same years: its figures
    # against the district's average, its classes, and a link to its record.
    page.get_by_test_id("summary-table").get_by_role("link", name=first.name).click()
    expect(page).to_have_url(re.compile(rf"/bao-cao/trung-tam/{first.pk}/\?.*tu_nam=2022.*den_nam=2024"))
    expect(page.get_by_role("heading", name=first.name, exact=True)).to_be_visible()
    expect(page.locator("#centre-years")).to_contain_text("Huyện Đông Hưng")
    expect(page.get_by_test_id("centre-table")).to_contain_text("2022")
    expect(page.get_by_test_id("centre-table")).to_contain_text("2024")
    expect(page.get_by_role("link", name="Hồ sơ trung tâm")).to_be_visible()
    page.get_by_test_id("centre-classes").get_by_role("link", name="Chuyên đề Luật Đất đai 2024").click()
    expect(page.get_by_role("heading", name="Chuyên đề Luật Đất đai 2024")).to_be_visible()
    expect(page.locator("main")).to_contain_text("05/03/2024")


def _download_rating_summary(page, username):
    browser_login(page, username)
    page.goto(page.base_url + "/bao-cao/xuat/")
    page.get_by_label("Đến năm").select_option("2024")
    page.get_by_role("button", name="Xem").click()
    expect(page).to_have_url(re.compile(r"den_nam=2024"))
    row = page.get_by_test_id("official-reports").get_by_role("listitem").filter(has_text="xếp loại theo huyện")
    with page.expect_download() as info:
        row.get_by_role("link", name="Tải .xlsx").click()
    sheet = load_workbook(io.BytesIO(Path(info.value.path()).read_bytes())).active
    return [v for r in sheet.iter_rows(values_only=True) for v in r if v is not None]


def test_demo_tinh_downloads_the_2024_rating_summary_by_district(page, demo_figures):
    values = _download_rating_summary(page, "demo_tinh")
    assert "TỔNG HỢP KẾT QUẢ XẾP LOẠI TRUNG TÂM HỌC TẬP CỘNG ĐỒNG NĂM 2024" in values
    assert "Huyện Đông Hưng" in values and "Huyện Thái Thụy" in values and "Toàn tỉnh" in values


def test_demo_huyen_gets_only_dong_hung_in_the_same_export(page, demo_figures):
    values = _download_rating_summary(page, "demo_huyen")
    assert "TỔNG HỢP KẾT QUẢ XẾP LOẠI TRUNG TÂM HỌC TẬP CỘNG ĐỒNG NĂM 2024" in values
    # demo_huyen reviews the new centres of the cluster of former Đông Hưng (the fixture rates demo_xa's);
    # the former district's centres were reviewed by the former Phòng GD&ĐT, not by this office.
    assert any("Bắc Đông Hưng" in str(v) for v in values)
    assert "Huyện Thái Thụy" not in values and "Toàn tỉnh" not in values
