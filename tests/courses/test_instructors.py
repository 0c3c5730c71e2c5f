"""Classes and sessions name their teachers from the registry's instructors of the class's centre; speakers
from outside the list stay free text."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from centres.models import InstructorAssignment
from courses import demo, services
from courses.models import ClassSession, Course
from tests.centres.factories import AssignmentFactory, InstructorFactory
from tests.courses.factories import CourseFactory, SessionFactory, kind
from tests.courses.test_excel import GOOD, filled_template

D = datetime.date


@pytest.fixture
def hoa(world):
    """Trần Thị Hoa teaches at centre A."""
    return AssignmentFactory(centre=world.centre_a, instructor=InstructorFactory(full_name="Trần Thị Hoa")).instructor


@pytest.fixture
def stranger(world):
    """An instructor of centre B only."""
    return AssignmentFactory(centre=world.centre_b, instructor=InstructorFactory(full_name="Ngô Văn Khác")).instructor


def _course_post(world, **extra):
    data = {
        "title": "Kỹ thuật trồng lúa",
        "programme_kind": kind("khuyen-nong").pk,
        "format": Course.Format.TALK,
        "start_date": "2026-03-02",
        "end_date": "2026-03-30",
        "planned_sessions": 4,
    }
    data.update(extra)
    return data


def test_the_class_form_offers_only_the_centres_active_instructors(client_for, world, hoa, stranger):
    left = AssignmentFactory(centre=world.centre_a, active=False, instructor=InstructorFactory(full_name="Lê Đã Nghỉ"))
    form = client_for(world.staff_a).get(reverse("courses:create")).context["form"]
    assert list(form.fields["instructors"].queryset) == [hoa]
    assert left.instructor not in form.fields["instructors"].queryset


def test_an_official_opening_the_form_from_a_centre_gets_its_instructors(client_for, world, hoa, stranger):
    client = client_for(world.official)
    assert list(client.get(reverse("courses:create")).context["form"].fields["instructors"].queryset) == []
    response = client.get(reverse("courses:create"), {"trung_tam": world.centre_b.pk})
    assert list(response.context["form"].fields["instructors"].queryset) == [stranger]


def test_staff_create_a_class_with_an_instructor_and_a_guest(client_for, world, hoa):
    response = client_for(world.staff_a).post(
        reverse("courses:create"), _course_post(world, instructors=[hoa.pk], instructor_names="Kỹ sư Trạm Khuyến nông")
    )
    course = Course.objects.get(title="Kỹ thuật trồng lúa")
    assert response.status_code == 302
    assert list(course.instructors.all()) == [hoa]
    assert course.instructor_names == "Kỹ sư Trạm Khuyến nông"
    page = client_for(world.staff_a).get(reverse("courses:detail", args=[course.pk])).content.decode()
    assert "Trần Thị Hoa, Kỹ sư Trạm Khuyến nông" in page


def test_another_centres_instructor_is_refused_in_vietnamese_and_nothing_saved(client_for, world, hoa, stranger):
    response = client_for(world.staff_a).post(reverse("courses:create"), _course_post(world, instructors=[stranger.pk]))
    assert response.status_code == 200
    assert "không phải giảng viên của trung tâm đã chọn" in response.content.decode()
    assert not Course.objects.filter(title="Kỹ thuật trồng lúa").exists()


def test_the_service_refuses_another_centres_instructor_too(world, stranger):
    with pytest.raises(ValidationError, match="Ngô Văn Khác không phải giảng viên của trung tâm này"):
        services.course_create(
            centre=world.centre_a,
            by=world.staff_a,
            instructors=[stranger],
            programme_kind=kind(),
            title="Lớp X",
            start_date=D(2026, 1, 5),
            end_date=D(2026, 1, 5),
        )
    assert not Course.objects.filter(title="Lớp X").exists()
    course = CourseFactory(centre=world.centre_a)
    with pytest.raises(ValidationError):
        services.class_session_create(course=course, by=world.staff_a, date=D(2026, 2, 2), instructor=stranger)
    assert not course.sessions.exists()


def test_editing_keeps_an_instructor_who_has_left_since(client_for, world, hoa):
    course = CourseFactory(centre=world.centre_a)
    course.instructors.set([hoa])
    InstructorAssignment.objects.filter(instructor=hoa).update(active=False)
    form = client_for(world.staff_a).get(reverse("courses:edit", args=[course.pk])).context["form"]
    assert list(form.fields["instructors"].queryset) == [hoa]
    assert form.initial["instructors"] == [hoa]


def test_the_first_session_proposes_the_class_instructor_and_the_next_copies_the_last(client_for, world, hoa):
    course = CourseFactory(centre=world.centre_a)
    course.instructors.set([hoa])
    client = client_for(world.staff_a)
    form = client.get(reverse("courses:session_add", args=[course.pk])).context["form"]
    assert (form.initial["instructor"], form.initial["instructor_name"]) == (hoa.pk, "")
    response = client.post(
        reverse("courses:session_add", args=[course.pk]),
        {
            "date": "2026-02-02",
            "topic": "Buổi 1",
            "instructor": hoa.pk,
            "hours": "2",
            "present": 50,
            "women": 20,
            "minorities": 0,
        },
    )
    assert response.status_code == 302
    session = ClassSession.objects.get(course=course)
    assert session.instructor == hoa and session.instructor_label == "Trần Thị Hoa"
    form = client.get(reverse("courses:session_add", args=[course.pk])).context["form"]
    assert form.initial["instructor"] == hoa.pk
    assert "Trần Thị Hoa" in client.get(reverse("courses:detail", args=[course.pk])).content.decode()


def test_a_session_with_a_guest_keeps_the_text(world):
    session = SessionFactory(course=CourseFactory(centre=world.centre_a), instructor_name="Bác sĩ Trung tâm Y tế")
    assert session.instructor_label == "Bác sĩ Trung tâm Y tế"


def test_the_data_migration_links_typed_names_of_the_centres_instructors(world, hoa, stranger):
    migration = importlib.import_module("courses.migrations.0005_match_instructor_names")
    course = CourseFactory(centre=world.centre_a, instructor_names="trần thị hoa; Ngô Văn Khác, Ông Ba (khách)")
    guest_session = SessionFactory(course=course, instructor_name="Ông Ba (khách)")
    own_session = SessionFactory(course=course, instructor_name="Trần Thị Hoa")
    migration.link_by_name(apps, None)
    course.refresh_from_db()
    # Hoa teaches at A; Khác teaches only at B: a guest here, like Ông Ba.
    assert list(course.instructors.all()) == [hoa]
    assert course.instructor_names == "Ngô Văn Khác, Ông Ba (khách)"
    own_session.refresh_from_db()
    guest_session.refresh_from_db()
    assert (own_session.instructor, own_session.instructor_name) == (hoa, "")
    assert (guest_session.instructor, guest_session.instructor_name) == (None, "Ông Ba (khách)")
    migration.unlink_to_names(apps, None)
    course.refresh_from_db()
    own_session.refresh_from_db()
    assert not course.instructors.exists()
    assert course.instructor_names == "Trần Thị Hoa, Ngô Văn Khác, Ông Ba (khách)"
    assert (own_session.instructor, own_session.instructor_name) == (None, "Trần Thị Hoa")


def test_the_excel_import_links_names_of_the_centres_instructors(client_for, world):
    hung = AssignmentFactory(
        centre=world.centre_a, instructor=InstructorFactory(full_name="Nguyễn Văn Hùng")
    ).instructor
    client = client_for(world.staff_a)
    upload = SimpleUploadedFile("lop.xlsx", filled_template(client, GOOD))
    client.post(reverse("courses:import"), {"file": upload})
    client.post(reverse("courses:import_confirm"))
    course = Course.objects.get(title="Luật Đất đai")
    assert list(course.instructors.all()) == [hung] and course.instructor_names == ""
    assert {s.instructor for s in course.sessions.all()} == {hung}


def test_the_demo_picks_the_centres_instructors_fitting_the_programme(world):
    farming = AssignmentFactory(centre=world.centre_a, instructor=InstructorFactory(field="trồng trọt")).instructor
    AssignmentFactory(centre=world.centre_a, instructor=InstructorFactory(field="pháp luật"))
    AssignmentFactory(centre=world.centre_b, instructor=InstructorFactory(field="trồng trọt"))
    picker = demo._InstructorPicker(seed=1)
    picks = [picker.pick(world.centre_a.pk, "khuyen-nong") for _ in range(200)]
    linked = {i for i, _guest in picks if i is not None}
    guests = [g for i, g in picks if i is None]
    assert linked == {farming.pk}
    assert 10 < len(guests) < 80 and all(g in demo.GUESTS for g in guests)
