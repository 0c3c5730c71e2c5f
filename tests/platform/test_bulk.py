"""Generated data goes in as plain rows (tthtcd_portal.bulk: the demo and the benchmark's scale data): the rows
read back through the ORM as if the services had written them, the columns left out take their defaults, and
the ids the ORM hands out next do not collide with the explicit ones (PostgreSQL's sequence moves on)."""

import datetime
from decimal import Decimal

from courses.figures import figures_rebuild
from courses.models import CentreYearFigure, ClassSession, Course
from tests.clock import this_year
from tests.courses.factories import CourseFactory, kind
from tthtcd_portal.bulk import insert_rows, next_id, reset_sequence


def test_rows_read_back_with_their_defaults_and_figures(world):
    first = next_id(Course)
    start = datetime.date(this_year(), 3, 2)
    programme_kind = kind()
    courses = [
        (first + i, world.centre_a.pk, programme_kind.pk, f"Chuyên đề\t{i}", "talk", "", "", "", start, start, 1)
        for i in range(3)
    ]
    columns = ["id", "centre_id", "programme_kind_id", "title", "format", "instructor_names", "partner", "place"]
    assert insert_rows(Course, [*columns, "start_date", "end_date", "planned_sessions"], courses) == 3
    session_rows = [(c[0], start, Decimal("1.5"), 40 + i, 20, 1) for i, c in enumerate(courses)]
    insert_rows(ClassSession, ["course_id", "date", "hours", "present", "women", "minorities"], session_rows)
    for model in (Course, ClassSession):
        reset_sequence(model)

    course = Course.objects.get(pk=first)
    assert course.title == "Chuyên đề\t0"  # a tab survives COPY's text format
    assert course.version == 1 and course.archived_at is None and course.created_at is not None
    session = ClassSession.objects.get(course=course)
    assert (session.date, session.hours, session.present, session.topic) == (start, Decimal("1.5"), 40, "")
    figures_rebuild()
    row = CentreYearFigure.objects.get(centre=world.centre_a, year=this_year(), programme_kind=programme_kind)
    assert (row.classes, row.sessions, row.participations) == (3, 3, 40 + 41 + 42)
    # The ORM's next id is past the explicit ones.
    assert CourseFactory(centre=world.centre_a).pk > first + 2
