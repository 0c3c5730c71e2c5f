"""Issue 13 items 5, 6 and 9 walked in a phone browser (360 px): read-only pages say why, learners told apart and
withdrawn, a month of a paper register typed up with its ticks."""

import os

import pytest
from playwright.sync_api import expect

from accounts.models import User
from courses import services
from courses.models import Attendance, Course
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
