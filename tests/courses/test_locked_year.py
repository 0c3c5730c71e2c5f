"""A locked year (issue 14, item 6): enrolment into a class of a locked year is refused, with the reason, and
nothing is half-written; a class page tells the user which of its years are locked and offers no change the
lock would refuse. (Every write URL against a locked year: tests/platform/test_locked_writes.py.)"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from courses import services
from courses.models import Course, Enrolment, Learner
from evaluations.models import Assessment
from tests.clock import this_year
from tests.courses.factories import CourseFactory, LearnerFactory, SessionFactory


def lock(centre, year):
    Assessment.objects.create(centre=centre, year=year, status=Assessment.Status.APPROVED, rating="tot")


def roster(world, start, end):
    return CourseFactory(centre=world.centre_a, format=Course.Format.ROSTER, start_date=start, end_date=end)


def test_enrolling_into_a_class_of_a_locked_year_is_refused_and_the_quick_added_learner_is_not_kept(world):
    year = this_year() - 1
    course = roster(world, datetime.date(year, 1, 5), datetime.date(year, 6, 30))
    lock(world.centre_a, year)
    existing = LearnerFactory(centre=world.centre_a)
    with pytest.raises(ValidationError, match=f"Số liệu năm {year} của trung tâm đã được Sở phê duyệt và khóa"):
        services.enrolment_add(
            course=course,
            learners=[existing],
            new_learners=[{"full_name": "Người Học Mới", "gender": Learner.Gender.FEMALE}],
            from_date=datetime.date(year, 2, 1),
            by=world.staff_a,
        )
    assert not Enrolment.objects.exists()
    assert not Learner.objects.filter(full_name="Người Học Mới").exists()


def test_enrolling_from_a_day_of_the_open_year_of_a_class_that_spans_both_is_accepted(world):
    year = this_year() - 1
    course = roster(world, datetime.date(year, 9, 5), datetime.date(year + 1, 5, 31))
    lock(world.centre_a, year)
    learner = LearnerFactory(centre=world.centre_a)
    services.enrolment_create_many(
        course=course, learners=[learner], from_date=datetime.date(year + 1, 1, 10), by=world.staff_a
    )
    assert Enrolment.objects.get().from_date == datetime.date(year + 1, 1, 10)


def test_the_page_of_a_class_of_a_locked_year_says_so_and_offers_no_change(world, client_for):
    year = this_year() - 1
    course = roster(world, datetime.date(year, 1, 5), datetime.date(year, 6, 30))
    session = SessionFactory(course=course, date=datetime.date(year, 2, 2))
    client = client_for(world.staff_a)
    before = client.get(reverse("courses:detail", args=[course.pk])).content.decode()
    assert "Thêm buổi học" in before and 'data-testid="locked-year"' not in before
    lock(world.centre_a, year)
    html = client.get(reverse("courses:detail", args=[course.pk])).content.decode()
    assert f"Năm {year} đã khóa số liệu (Sở đã phê duyệt xếp loại của trung tâm): lớp này chỉ để xem." in html
    for offer in (
        "Thêm buổi học",
        "Sửa lớp",
        "Xóa lớp",
        "Ghi danh",
        reverse("courses:session_edit", args=[session.pk]),
    ):
        assert offer not in html


def test_a_class_partly_in_a_locked_year_keeps_its_buttons_and_names_the_locked_year(world, client_for):
    year = this_year() - 1
    course = roster(world, datetime.date(year, 9, 5), datetime.date(year + 1, 5, 31))
    lock(world.centre_a, year)
    html = client_for(world.staff_a).get(reverse("courses:detail", args=[course.pk])).content.decode()
    assert f"Năm {year} đã khóa số liệu" in html and "chỉ ghi được buổi học của năm khác" in html
    assert "Thêm buổi học" in html
