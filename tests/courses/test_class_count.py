"""The live classes per centre that the database keeps (courses.models.CentreClassCount, migration 0014's
triggers) and the classes list's count read from them (issue 18)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from courses import services
from courses.models import CentreClassCount, Course
from tests.clock import this_year
from tests.courses.factories import CourseFactory, kind

D = datetime.date


def kept(centre) -> int:
    row = CentreClassCount.objects.filter(centre_id=centre.pk).first()
    return row.live if row else 0


def counted(centre) -> int:
    return Course.objects.filter(centre=centre).count()


def test_every_way_of_writing_classes_keeps_the_count(world):
    a, b = world.centre_a, world.centre_b
    first = CourseFactory(centre=a)
    CourseFactory(centre=a)
    Course.objects.bulk_create(
        [
            Course(
                centre=b,
                programme_kind=kind(),
                title=f"Lớp {i}",
                start_date=D(this_year(), 1, 5),
                end_date=D(this_year(), 2, 5),
            )
            for i in range(4)
        ]
    )
    assert (kept(a), kept(b)) == (2, 4)

    Course.objects.filter(centre=b).update(archived_at=timezone.now())  # archived in one statement
    assert kept(b) == 0
    Course.all_objects.filter(centre=b).update(archived_at=None)
    assert kept(b) == 4

    first.centre = b  # moved to another centre
    first.save()
    assert (kept(a), kept(b)) == (1, 5)
    first.title = "Tên mới"  # an edit that moves no class
    first.save()
    assert (kept(a), kept(b)) == (1, 5)

    Course.all_objects.filter(centre=b).exclude(pk=first.pk).update(archived_at=timezone.now())
    Course.all_objects.filter(centre=b).delete()  # an archived class deleted does not count twice
    assert (kept(a), kept(b)) == (counted(a), counted(b)) == (1, 0)


def test_the_services_keep_the_count(world):
    course = services.course_create(
        centre=world.centre_a,
        by=world.staff_a,
        programme_kind=kind(),
        title="Lớp mới",
        start_date=D(this_year(), 1, 5),
        end_date=D(this_year(), 3, 5),
    )
    assert kept(world.centre_a) == 1
    services.course_archive(course=course, by=world.staff_a)
    assert kept(world.centre_a) == 0
    services.course_restore(course=course, by=world.official)
    assert kept(world.centre_a) == counted(world.centre_a) == 1


@pytest.mark.parametrize("who", ["official", "reviewer_x", "staff_a", "ministry"])
def test_the_list_shows_the_number_of_classes_it_pages_through(client_for, world, who):
    for i in range(3):
        CourseFactory(centre=world.centre_a, title=f"Lớp A{i}")
    CourseFactory(centre=world.centre_a, title="Lớp đã xóa").delete()
    CourseFactory(centre=world.centre_a, title="Lớp lưu trữ", archived_at=timezone.now())
    for i in range(2):
        CourseFactory(centre=world.centre_b, title=f"Lớp B{i}")
    CourseFactory(
        centre=world.centre_b, title="Năm trước", start_date=D(this_year() - 1, 3, 1), end_date=D(this_year() - 1, 4, 1)
    )
    response = client_for(getattr(world, who)).get(reverse("courses:list"))
    shown = len(response.context["page"].object_list)
    expected = {"official": 6, "reviewer_x": 3, "staff_a": 3, "ministry": 6}[who]
    assert response.context["page"].paginator.count == shown == expected
    assert f"{expected} lớp" in response.content.decode()


def test_a_filtered_list_counts_what_it_shows(client_for, world):
    CourseFactory(centre=world.centre_a)
    CourseFactory(centre=world.centre_b)
    CourseFactory(centre=world.centre_b, start_date=D(this_year() - 1, 3, 1), end_date=D(this_year() - 1, 4, 1))
    client = client_for(world.official)
    for params, expected in [
        ({"trung_tam": world.centre_b.pk}, 2),
        ({"nam": this_year() - 1}, 1),
        ({"trung_tam": world.centre_b.pk, "nam": this_year()}, 1),
        ({"loai": kind().pk}, 3),
        ({"nam": "abc"}, 3),  # an invalid value is dropped, the rest still applies
    ]:
        page = client.get(reverse("courses:list"), params).context["page"]
        assert page.paginator.count == len(page.object_list) == expected, params


def test_another_units_centre_is_still_a_404(client_for, world):
    CourseFactory(centre=world.centre_b)
    assert client_for(world.staff_a).get(reverse("courses:list"), {"trung_tam": world.centre_b.pk}).status_code == 404


def test_pages_follow_the_kept_count(client_for, world):
    for i in range(55):
        CourseFactory(centre=world.centre_a, title=f"Lớp {i}")
    client = client_for(world.staff_a)
    first = client.get(reverse("courses:list")).context["page"]
    last = client.get(reverse("courses:list"), {"trang": 2}).context["page"]
    assert (first.paginator.num_pages, len(first.object_list), len(last.object_list)) == (2, 50, 5)
