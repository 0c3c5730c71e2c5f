import datetime

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from courses.models import Attendance, ClassSession, Course
from tests import clock
from tests.conftest import browser_login

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _demo(demo_base):
    """Every journey runs on the demo's units, centres and accounts (demo_base also reloads programme kinds)."""


def last_month_day(day: int) -> datetime.date:
    return clock.first_of_month(1).replace(day=day)


def new_class(page, title: str, format_label: str) -> None:
    page.goto(page.base_url + "/lop-hoc/")
    page.get_by_role("link", name="Thêm lớp").click()
    page.get_by_label("Tên lớp, chuyên đề").fill(title)
    page.get_by_label("Loại chương trình").select_option(label="Xóa mù chữ")
    page.get_by_label(format_label).check()
    # From the first of last month to today, whatever month the suite runs in.
    page.get_by_label("Ngày bắt đầu").fill(clock.first_of_month(1).isoformat())
    page.get_by_label("Ngày kết thúc").fill(clock.today().isoformat())
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("heading", name=title)).to_be_visible()


def test_demo_xa_creates_a_talk_and_records_a_session(page, demo_base):
    browser_login(page, "demo_xa")
    new_class(page, "Chuyên đề phòng chống lũ", "Chuyên đề, nói chuyện")
    page.get_by_role("link", name="Thêm buổi học").click()
    page.get_by_label("Ngày học").fill(last_month_day(2).isoformat())
    page.get_by_label("Số người dự").fill("95")
    page.get_by_label("Trong đó nữ").fill("50")
    page.get_by_role("button", name="Lưu buổi học").click()
    expect(page.get_by_text("95 người dự")).to_be_visible()
    assert ClassSession.objects.get(course__title="Chuyên đề phòng chống lũ").present == 95


def test_demo_xa_fills_a_month_grid_with_the_keyboard(page, demo_base):
    browser_login(page, "demo_xa")
    new_class(page, "Lớp xóa mù chữ thôn Đông", "Lớp có danh sách")
    page.get_by_role("link", name="Ghi danh").click()
    for i, name in enumerate(["Nguyễn Thị An", "Trần Văn Bình", "Lê Thị Chi"]):
        page.get_by_label(f"Họ và tên {i + 1}", exact=True).fill(name)
        page.get_by_label(f"Giới tính {i + 1}", exact=True).select_option(label="Nữ" if "Thị" in name else "Nam")
    page.get_by_role("button", name="Ghi danh").click()
    expect(page.get_by_text("Đã ghi danh 3 người học")).to_be_visible()
    first, second = last_month_day(5), last_month_day(12)
    for day in (first, second):
        page.get_by_role("link", name="Thêm buổi học").click()
        page.get_by_label("Ngày học").fill(day.isoformat())
        page.get_by_role("button", name="Lưu buổi học").click()
        page.get_by_role("link", name="Lớp xóa mù chữ thôn Đông").click()
    page.get_by_role("link", name="Điểm danh theo tháng").click()  # opens on the latest month with sessions
    expect(page.get_by_role("heading", name=f"Điểm danh tháng {first:%m/%Y}")).to_be_visible()
    # Everyone starts present; with the keyboard only: mark Trần Văn Bình absent on the first day, Lê Thị Chi on
    # the second.
    page.get_by_label(f"Nguyễn Thị An {first:%d/%m/%Y}").focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Space")
    page.get_by_role("button", name="Lưu cả tháng").click()
    expect(page.get_by_text("Đã lưu điểm danh 2 buổi")).to_be_visible()
    counts = list(
        ClassSession.objects.filter(course__title="Lớp xóa mù chữ thôn Đông")
        .order_by("date")
        .values_list("present", flat=True)
    )
    assert counts == [2, 2]
    assert not Attendance.objects.get(enrolment__learner__full_name="Trần Văn Bình", session__date=first).present


def test_demo_xa_uploads_the_template_with_one_bad_row(page, demo_base, tmp_path):
    browser_login(page, "demo_xa")
    page.goto(page.base_url + "/lop-hoc/nhap-excel/")
    with page.expect_download() as info:
        page.get_by_role("link", name="Tải mẫu Excel").click()
    downloaded = tmp_path / info.value.suggested_filename
    info.value.save_as(downloaded)
    workbook = load_workbook(downloaded)
    sheet = workbook.worksheets[0]
    kind = "Chuyên đề pháp luật – chính sách"
    start, end = f"{clock.first_of_month(1):%d/%m/%Y}", f"{clock.today():%d/%m/%Y}"
    for day, present, women in ((last_month_day(5), 80, 40), (last_month_day(12), 70, 75)):
        sheet.append(["Luật Đất đai", kind, "", "", "", start, end, f"{day:%d/%m/%Y}", "", 2, present, women, 0])
    path = tmp_path / "lop.xlsx"
    workbook.save(path)
    page.get_by_label("Tệp Excel").set_input_files(str(path))
    page.get_by_role("button", name="Kiểm tra và xem trước").click()
    expect(page.get_by_test_id("import-errors")).to_contain_text("Dòng 3, cột «Trong đó nữ»")
    assert not Course.objects.filter(title="Luật Đất đai").exists()
