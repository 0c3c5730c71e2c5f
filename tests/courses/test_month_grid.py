"""Issue 13.9: the month grid opens on the latest month with sessions; dates added from a paper register are
saved with their ticks in the same step, never as sessions with nobody present."""

import datetime

from django.urls import reverse

from courses import services
from courses.models import Attendance, CentreYearFigure, ClassSession, Course
from tests.clock import this_year
from tests.courses.factories import EnrolmentFactory, LearnerFactory, kind


def _roster(world, *, learners=3):
    year = this_year()
    course = services.course_create(
        centre=world.centre_a, by=world.staff_a, programme_kind=kind("xoa-mu-chu"), title="Lớp xóa mù chữ",
        format=Course.Format.ROSTER, start_date=datetime.date(year, 3, 1), end_date=datetime.date(year, 6, 30),
    )  # fmt: skip
    enrolments = [
        EnrolmentFactory(
            course=course,
            learner=LearnerFactory(centre=world.centre_a, full_name=f"Học viên {i}"),
            from_date=course.start_date,
        )
        for i in range(learners)
    ]
    return course, enrolments


def test_month_grid_opens_on_the_latest_month_with_sessions(world, client_for):
    course, _ = _roster(world)
    year = this_year()
    services.class_session_create(course=course, by=world.staff_a, date=datetime.date(year, 3, 2))
    services.class_session_create(course=course, by=world.staff_a, date=datetime.date(year, 4, 6))
    page = client_for(world.staff_a).get(reverse("courses:month", args=[course.pk])).content.decode()
    assert f"Điểm danh tháng 04/{year}" in page
    assert "06/04" in page  # the session's column


def test_month_grid_of_a_class_without_sessions_opens_within_the_class(world, client_for):
    course, _ = _roster(world)
    page = client_for(world.staff_a).get(reverse("courses:month", args=[course.pk])).content.decode()
    assert f"Điểm danh tháng 06/{this_year()}" in page  # the class ended in June; today is later


def test_dates_added_from_a_paper_register_are_saved_with_their_ticks(world, client_for):
    course, (first, second, third) = _roster(world)
    year = this_year()
    response = client_for(world.staff_a).post(
        reverse("courses:month_add", args=[course.pk]),
        {
            "thang": f"{year}-03",
            "ngay": [f"{year}-03-09", f"{year}-03-16", "", ""],
            # 9 March: the first two present; 16 March: only the third.
            f"moi-0-{first.pk}": "on",
            f"moi-0-{second.pk}": "on",
            f"moi-1-{third.pk}": "on",
        },
        follow=True,
    )
    assert "Đã thêm 2 buổi học" in response.content.decode()
    counts = list(course.sessions.order_by("date").values_list("date", "present"))
    assert counts == [(datetime.date(year, 3, 9), 2), (datetime.date(year, 3, 16), 1)]
    assert set(Attendance.objects.filter(present=True).values_list("enrolment_id", "session__date")) == {
        (first.pk, datetime.date(year, 3, 9)),
        (second.pk, datetime.date(year, 3, 9)),
        (third.pk, datetime.date(year, 3, 16)),
    }
    figure = CentreYearFigure.objects.get(centre=world.centre_a, year=year)
    assert (figure.sessions, figure.participations) == (2, 3)


def test_a_date_with_nobody_ticked_adds_no_session(world, client_for):
    course, (first, *_) = _roster(world)
    year = this_year()
    response = client_for(world.staff_a).post(
        reverse("courses:month_add", args=[course.pk]),
        {"thang": f"{year}-03", "ngay": [f"{year}-03-09", f"{year}-03-16"], f"moi-0-{first.pk}": "on"},
        follow=True,
    )
    assert f"Ngày 16/03/{year}: chưa đánh dấu ai có mặt" in response.content.decode()
    assert not ClassSession.objects.exists() and not Attendance.objects.exists()


def test_the_add_form_lists_the_months_learners_ticked(world, client_for):
    course, (first, *_) = _roster(world)
    page = client_for(world.staff_a).get(reverse("courses:month", args=[course.pk]), {"thang": f"{this_year()}-03"})
    html = page.content.decode()
    assert f'name="moi-0-{first.pk}"' in html and f'name="moi-3-{first.pk}"' in html
