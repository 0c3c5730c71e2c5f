"""Drafts (issue 19, item 4): the attendance grid, the month grid and the self-assessment keep what the user typed
on the device and offer it back after a reload; a saved form leaves no draft behind."""

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from courses import services
from courses.models import Course
from evaluations import services as evaluation_services
from tests.clock import this_year
from tests.conftest import browser_login
from tests.courses.factories import EnrolmentFactory, LearnerFactory, kind
from tests.evaluations import factories as evaluation_factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def roster(world):
    course = services.course_create(
        centre=world.centre_a,
        by=world.staff_a,
        programme_kind=kind(),
        title="Lớp xóa mù chữ thôn Đông",
        format=Course.Format.ROSTER,
        start_date=datetime.date(this_year(), 1, 5),
        end_date=datetime.date(this_year(), 6, 30),
    )
    for name in ("Nguyễn Thị An", "Trần Văn Bình"):
        EnrolmentFactory(course=course, learner=LearnerFactory(centre=world.centre_a, full_name=name))
    day = datetime.date(this_year(), 3, 4)
    session = services.class_session_create(course=course, by=world.staff_a, date=day)
    return course, session, day


def test_an_attendance_grid_left_unsaved_is_offered_back_after_a_reload_and_gone_once_saved(page, world, roster):
    course, session, day = roster
    browser_login(page, "staff_a")
    url = page.base_url + reverse("courses:attendance", args=[session.pk])
    page.goto(url)
    mark = page.get_by_label(f"Trần Văn Bình {day:%d/%m/%Y}")
    expect(mark).to_be_checked()
    mark.uncheck()
    page.reload()  # the phone slept, the tab was closed, the connection dropped…
    expect(page.get_by_label(f"Trần Văn Bình {day:%d/%m/%Y}")).to_be_checked()  # the page shows the server's
    offer = page.get_by_test_id("draft-offer")
    expect(offer).to_contain_text("Có bản nháp chưa lưu trên máy này, từ lúc")
    offer.get_by_role("button", name="Khôi phục bản nháp").click()
    expect(page.get_by_label(f"Trần Văn Bình {day:%d/%m/%Y}")).not_to_be_checked()
    page.get_by_role("button", name="Lưu điểm danh").click()
    expect(page.get_by_text("Đã lưu điểm danh")).to_be_visible()
    session.refresh_from_db()
    assert session.present == 1
    page.goto(url)
    expect(page.get_by_label(f"Trần Văn Bình {day:%d/%m/%Y}")).not_to_be_checked()
    expect(page.get_by_test_id("draft-offer")).to_have_count(0)


def test_a_month_grid_draft_can_be_discarded(page, world, roster):
    course, session, day = roster
    browser_login(page, "staff_a")
    url = page.base_url + reverse("courses:month", args=[course.pk]) + f"?thang={day:%Y-%m}"
    page.goto(url)
    page.get_by_label(f"Nguyễn Thị An {day:%d/%m/%Y}").uncheck()
    page.reload()
    page.get_by_test_id("draft-offer").get_by_role("button", name="Bỏ bản nháp").click()
    page.reload()
    expect(page.get_by_test_id("draft-offer")).to_have_count(0)
    expect(page.get_by_label(f"Nguyễn Thị An {day:%d/%m/%Y}")).to_be_checked()


def test_a_self_assessment_typed_but_not_saved_survives_a_reload(page, world):
    evaluation_factories.rubric()
    assessment = evaluation_services.assessment_start(centre=world.centre_a, year=this_year() - 1, by=world.staff_a)
    browser_login(page, "staff_a")
    page.goto(page.base_url + reverse("evaluations:detail", args=[assessment.pk]))
    form = page.get_by_test_id("self-form")
    comment = form.locator("textarea[name=comment]")
    comment.fill("Trung tâm đã tổ chức 42 lớp, vượt kế hoạch.")
    page.reload()
    page.get_by_test_id("draft-offer").get_by_role("button", name="Khôi phục bản nháp").click()
    expect(page.get_by_test_id("self-form").locator("textarea[name=comment]")).to_have_value(
        "Trung tâm đã tổ chức 42 lớp, vượt kế hoạch."
    )
