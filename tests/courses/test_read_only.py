"""Issue 13.5: read-only shows before the user acts. A class of a locked year and a merged centre show no
add/edit/delete actions and say why, on every page of classes, sessions, attendance, month grid, learners and
the centre page."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import User
from centres.services import centres_merge
from courses import services
from courses.models import Course
from tests.clock import days_from_today, this_year
from tests.courses.factories import EnrolmentFactory, LearnerFactory, kind
from tests.courses.test_locked_year import lock
from tests.factories import CentreFactory, CommuneFactory, UserFactory


def _roster(centre, by, year):
    course = services.course_create(
        centre=centre, by=by, programme_kind=kind("xoa-mu-chu"), title="Lớp xóa mù chữ",
        format=Course.Format.ROSTER, start_date=datetime.date(year, 3, 1), end_date=datetime.date(year, 6, 30),
    )  # fmt: skip
    enrolment = EnrolmentFactory(course=course, learner=LearnerFactory(centre=centre), from_date=course.start_date)
    session = services.class_session_create(course=course, by=by, date=datetime.date(year, 3, 2))
    services.attendance_save(course=course, presence={session.pk: {enrolment.pk}}, by=by)
    return course, session


@pytest.fixture
def locked_class(world):
    year = this_year() - 1
    course, session = _roster(world.centre_a, world.staff_a, year)
    lock(world.centre_a, year)
    return course, session


@pytest.fixture
def merged(world):
    centre = CentreFactory(
        commune=CommuneFactory(district=world.district_x, code="12700", name="Xã Đông Xá"), review_office=world.office_x
    )
    staff = UserFactory(username="staff_c", role=User.Role.CENTRE_STAFF, centre=centre)
    course, session = _roster(centre, staff, this_year())
    centres_merge(sources=[centre], target=world.centre_a, on_date=days_from_today(-30), by=world.official)
    centre.refresh_from_db()
    return centre, staff, course, session


EDIT_ACTIONS = ("Lưu điểm danh", "Lưu cả tháng", "Thêm buổi học", "Lưu buổi học", "Xóa buổi học", "Xóa lớp",
                "Sửa lớp", "Ghi danh", "Thôi học", "Lưu các buổi này")  # fmt: skip


def _pages(course, session, year):
    return {
        "class": reverse("courses:detail", args=[course.pk]),
        "attendance": reverse("courses:attendance", args=[session.pk]),
        "month": reverse("courses:month", args=[course.pk]) + f"?thang={year}-03",
        "session": reverse("courses:session_edit", args=[session.pk]),
    }


def test_a_class_of_a_locked_year_shows_no_action_and_says_why(world, client_for, locked_class):
    course, session = locked_class
    client = client_for(world.staff_a)
    for name, url in _pages(course, session, this_year() - 1).items():
        response = client.get(url)
        assert response.status_code == 200, name
        html = response.content.decode()
        assert 'data-testid="read-only"' in html and "đã khóa số liệu" in html, name
        assert not [a for a in EDIT_ACTIONS if f">{a}<" in html], name
        assert 'type="checkbox" class="form-check-input" id="a-' not in html or " disabled" in html, name


def test_a_merged_centre_shows_no_action_and_says_why(world, client_for, merged):
    centre, staff, course, session = merged
    client = client_for(staff)
    pages = _pages(course, session, this_year())
    pages["classes"] = reverse("courses:list")
    pages["learners"] = reverse("courses:learners") + f"?trung_tam={centre.pk}"
    pages["centre"] = reverse("centres:detail", args=[centre.pk])
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, name
        html = response.content.decode()
        assert "đã sáp nhập" in html and "chỉ được xem" in html, name
        assert not [a for a in (*EDIT_ACTIONS, "Thêm lớp", "Nhập từ Excel", "Thêm người học", "Thêm thành viên",
                                "Thêm giảng viên", "Sửa thông tin") if f">{a}<" in html], name  # fmt: skip
