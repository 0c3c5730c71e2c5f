"""Saving a grid writes each mark once and leaves unchanged marks alone (courses.services._attendance_upsert)."""

import datetime

from django.db import connection

from courses import services
from courses.models import Attendance
from tests.courses.factories import roster_with_session

D = datetime.date


def _row_versions() -> dict[int, str]:
    """PostgreSQL: each mark's row version (xmin changes when a row is rewritten); elsewhere the marks."""
    if connection.vendor != "postgresql":
        return dict(Attendance.objects.values_list("enrolment_id", "present"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT enrolment_id, xmin::text FROM courses_attendance")
        return dict(cursor.fetchall())


def test_saving_again_changes_only_the_marks_that_changed(world):
    course, enrolments, session = roster_with_session(world.centre_a, by=world.staff_a, learners=5)
    everyone = {e.pk for e in enrolments}

    services.attendance_save(course=course, presence={session.pk: everyone}, by=world.staff_a)
    assert set(Attendance.objects.filter(present=True).values_list("enrolment_id", flat=True)) == everyone
    before = _row_versions()

    services.attendance_save(course=course, presence={session.pk: everyone}, by=world.staff_a)  # unchanged
    assert _row_versions() == before

    absent = enrolments[0].pk
    services.attendance_save(course=course, presence={session.pk: everyone - {absent}}, by=world.staff_a)
    assert list(Attendance.objects.filter(present=False).values_list("enrolment_id", flat=True)) == [absent]
    assert Attendance.objects.count() == 5
    after = _row_versions()
    if connection.vendor == "postgresql":
        assert {pk for pk in after if after[pk] != before[pk]} == {absent}
    session.refresh_from_db()
    assert session.present == 4
