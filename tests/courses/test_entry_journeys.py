"""Issue 13 items 5, 6 and 9 walked in a phone browser (360 px): read-only pages say why, learners told apart and
withdrawn, a month of a paper register typed up with its ticks."""

import datetime
import os

import pytest
from playwright.sync_api import expect

from accounts.models import User
from courses import services
from courses.models import Attendance, Course, Enrolment
from tests import clock
from tests.conftest import browser_login
from tests.courses.factories import kind

pytestmark = pytest.mark.browser


@pytest.fixture
def phone(page):
    page.set_viewport_size({"width": 360, "height": 780})
    return page


def _staff():
    return User.objects.get(username="demo_xa")


def _roster(names, *, title="Lớp xóa mù chữ thôn Nam"):
    staff = _staff()
    start = clock.first_of_month(2)
    course = services.course_create(
        centre=staff.centre, by=staff, programme_kind=kind("xoa-mu-chu"), title=title,
        format=Course.Format.ROSTER, start_date=start, end_date=clock.today(),
    )  # fmt: skip
    services.enrolment_add(
        course=course, learners=[], from_date=start, by=staff,
        new_learners=[{"full_name": n, "gender": "female", "birth_year": 1980 + i} for i, n in enumerate(names)],
    )  # fmt: skip
    return course


def _fits(page, name: str = "") -> None:
    """No wider than the phone; ENTRY_SHOTS=<dir> also saves the page at 360 and 1366 px to look at."""
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    if name and os.environ.get("ENTRY_SHOTS"):
        page.screenshot(path=f"{os.environ['ENTRY_SHOTS']}/{name}-360.png", full_page=True)
        page.set_viewport_size({"width": 1366, "height": 900})
        page.screenshot(path=f"{os.environ['ENTRY_SHOTS']}/{name}-1366.png", full_page=True)
        page.set_viewport_size({"width": 360, "height": 780})


def test_demo_xa_types_up_a_paper_register_with_its_ticks(phone, demo_base):
    course = _roster(["Nguyễn Thị An", "Trần Thị Bình", "Lê Thị Chi"])
    staff = _staff()
    old = clock.first_of_month(1).replace(day=3)
    services.class_sessions_add_dates(course=course, dates=[old], by=staff, presence={old: set(
        course.enrolments.values_list("pk", flat=True))})  # fmt: skip
    browser_login(phone, "demo_xa")
    phone.goto(phone.base_url + f"/lop-hoc/{course.pk}/diem-danh-thang/")
    # It opens on last month, where the only session is.
    expect(phone.get_by_role("heading", name=f"Điểm danh tháng {old:%m/%Y}")).to_be_visible()
    _fits(phone, "month-grid")
    first, second = old.replace(day=10), old.replace(day=17)
    phone.get_by_label("Ngày học 1", exact=True).fill(first.isoformat())
    phone.get_by_label("Ngày học 2", exact=True).fill(second.isoformat())
    # The paper register: Trần Thị Bình absent on the first day; on the second only Lê Thị Chi came.
    phone.get_by_label("Trần Thị Bình, ngày học 1").uncheck()
    phone.get_by_role("button", name="Tất cả vắng ngày học 2").click()
    phone.get_by_label("Lê Thị Chi, ngày học 2").check()
    phone.get_by_role("button", name="Lưu các buổi này cùng điểm danh").click()
    expect(phone.get_by_text("Đã thêm 2 buổi học với điểm danh: 3 lượt có mặt")).to_be_visible()
    assert list(course.sessions.order_by("date").values_list("present", flat=True)) == [3, 2, 1]
    assert not Attendance.objects.get(session__date=first, enrolment__learner__full_name="Trần Thị Bình").present
    _fits(phone)


def test_demo_xa_tells_two_lans_apart_is_warned_of_a_duplicate_and_withdraws_one(phone, demo_base):
    course = _roster([])
    staff = _staff()
    for year, village in ((1975, "Thôn Đông"), (1990, "Thôn Tây")):
        services.learner_create(centre=staff.centre, by=staff, full_name="Nguyễn Thị Lan", gender="female",
                                birth_year=year, village=village, allow_duplicate=True)  # fmt: skip
    browser_login(phone, "demo_xa")
    phone.goto(phone.base_url + f"/lop-hoc/{course.pk}/ghi-danh/")
    phone.get_by_label("Nguyễn Thị Lan (sinh 1990, Thôn Tây)").check()
    phone.get_by_label("Họ và tên 1", exact=True).fill("nguyễn thị lan")
    phone.get_by_label("Giới tính 1", exact=True).select_option(label="Nữ")
    phone.get_by_label("Năm sinh 1", exact=True).fill("1975")
    phone.get_by_role("button", name="Ghi danh").click()
    expect(phone.get_by_test_id("enrol-errors")).to_contain_text("Nguyễn Thị Lan (sinh 1975, Thôn Đông)")
    _fits(phone, "enrol-duplicate")
    assert not Enrolment.objects.filter(course=course).exists()
    # It was the one from Thôn Đông after all: tick her instead of adding a new learner.
    phone.get_by_label("Họ và tên 1", exact=True).fill("")
    phone.get_by_label("Nguyễn Thị Lan (sinh 1975, Thôn Đông)").check()
    phone.get_by_role("button", name="Ghi danh").click()
    expect(phone.get_by_text("Đã ghi danh 2 người học")).to_be_visible()
    assert course.centre.learners.filter(full_name="Nguyễn Thị Lan").count() == 2
    # The one from Thôn Tây leaves: withdrawn with a date on the class page.
    leaving = Enrolment.objects.get(course=course, learner__village="Thôn Tây")
    row = phone.locator("details", has=phone.locator(f"#thoi-hoc-{leaving.pk}"))
    row.locator("summary").click()
    row.get_by_label("Nguyễn Thị Lan học đến ngày").fill(clock.first_of_month(1).isoformat())
    row.get_by_role("button", name="Cho thôi học").click()
    expect(phone.get_by_text("thôi học từ sau ngày")).to_be_visible()
    leaving.refresh_from_db()
    assert leaving.until_date == clock.first_of_month(1)
    _fits(phone, "class-withdrawn")


def test_demo_xa_sees_a_locked_class_is_read_only_before_acting(phone, demo_base):
    from evaluations.models import Assessment

    staff = _staff()
    year = clock.this_year() - 1
    course = services.course_create(
        centre=staff.centre,
        by=staff,
        programme_kind=kind("xoa-mu-chu"),
        title="Lớp năm trước",
        format=Course.Format.ROSTER,
        start_date=datetime.date(year, 9, 1),
        end_date=datetime.date(year, 11, 30),
    )  # fmt: skip  (after 01/07: demo_xa's centre began with its commune on 01/07/2025)
    services.enrolment_add(course=course, learners=[], from_date=course.start_date, by=staff,
                           new_learners=[{"full_name": "Lò Thị Mai", "gender": "female"}])  # fmt: skip
    day = datetime.date(year, 9, 2)
    services.class_sessions_add_dates(course=course, dates=[day], by=staff,
                                      presence={day: set(course.enrolments.values_list("pk", flat=True))})  # fmt: skip
    Assessment.objects.create(centre=staff.centre, year=year, status=Assessment.Status.APPROVED, rating="tot")
    browser_login(phone, "demo_xa")
    phone.goto(phone.base_url + f"/lop-hoc/{course.pk}/")
    expect(phone.get_by_test_id("read-only")).to_contain_text(f"Năm {year} đã khóa số liệu")
    expect(phone.get_by_role("link", name="Thêm buổi học")).to_have_count(0)
    expect(phone.get_by_role("link", name="Ghi danh")).to_have_count(0)
    _fits(phone, "class-locked")
    phone.goto(phone.base_url + f"/lop-hoc/{course.pk}/diem-danh-thang/")
    expect(phone.get_by_test_id("read-only")).to_contain_text("chỉ để xem")
    expect(phone.get_by_role("button", name="Lưu cả tháng")).to_have_count(0)
    expect(phone.get_by_test_id("month-add")).to_have_count(0)
    _fits(phone, "month-locked")
    phone.goto(phone.base_url + f"/lop-hoc/buoi/{course.sessions.get().pk}/diem-danh/")
    expect(phone.get_by_test_id("read-only")).to_be_visible()
    expect(phone.get_by_role("button", name="Lưu điểm danh")).to_have_count(0)
    _fits(phone, "attendance-locked")


def test_demo_xa_uploads_the_same_class_list_twice_and_nothing_counts_twice(phone, demo_base, tmp_path):
    import io

    from openpyxl import load_workbook

    from courses.models import CentreYearFigure
    from courses.spreadsheet import template_workbook

    workbook = load_workbook(io.BytesIO(template_workbook()))
    sheet = workbook.worksheets[0]
    start, end = f"{clock.first_of_month(1):%d/%m/%Y}", f"{clock.today():%d/%m/%Y}"
    for day, present in ((3, 80), (10, 70)):
        when = f"{clock.first_of_month(1).replace(day=day):%d/%m/%Y}"
        sheet.append(["Luật Đất đai", "Chuyên đề pháp luật – chính sách", "", "", "", start, end, when, f"Phần {day}",
                      2, present, 30, 0])  # fmt: skip
    path = tmp_path / "lop.xlsx"
    workbook.save(path)
    browser_login(phone, "demo_xa")

    def upload():
        phone.goto(phone.base_url + "/lop-hoc/nhap-excel/")
        phone.get_by_label("Tệp Excel").set_input_files(str(path))
        phone.get_by_role("button", name="Kiểm tra và xem trước").click()

    upload()
    expect(phone.get_by_test_id("import-new")).to_contain_text("1 lớp mới, 2 buổi học mới")
    phone.get_by_role("button", name="Xác nhận nhập").click()
    expect(phone.get_by_text("Đã nhập 1 lớp, 2 buổi học")).to_be_visible()
    before = list(CentreYearFigure.objects.values_list("classes", "sessions", "participations"))
    upload()
    expect(phone.get_by_test_id("import-new")).to_contain_text("0 lớp mới, 0 buổi học mới")
    expect(phone.get_by_test_id("import-nothing-new")).to_be_visible()
    _fits(phone, "import-twice")
    assert list(CentreYearFigure.objects.values_list("classes", "sessions", "participations")) == before
