"""Two clients writing the same session's attendance, or the same centre-year, at once on PostgreSQL:
nothing is lost and the kept figures equal a rebuild from the raw records."""

import datetime
import threading

import pytest
from django.db import connection

from courses import services
from courses.figures import figures_rebuild
from courses.models import AttendanceAudit, CentreYearFigure, ClassSession
from tests.conftest import is_postgres
from tests.courses.test_services import figures, roster, talk

D = datetime.date


def run_at_once(*jobs) -> list[BaseException]:
    """Run each job in its own thread (its own database connection), released together by a barrier."""
    barrier = threading.Barrier(len(jobs))
    errors: list[BaseException] = []

    def worker(job):
        try:
            barrier.wait(timeout=10)
            job()
        except BaseException as exc:  # noqa: BLE001 - reported to the test below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


@pytest.fixture
def postgres_only(transactional_db):
    if not is_postgres():
        pytest.skip("needs PostgreSQL: SQLite serialises writers, so the saves cannot overlap")


def test_two_attendance_saves_of_one_session_at_once_lose_nothing(postgres_only, world):
    course, enrolments = roster(world, size=20)
    session = services.class_session_create(course=course, by=world.staff_a, date=D(2026, 2, 2))
    everyone = {e.pk for e in enrolments}
    half = {e.pk for e in enrolments[:10]}

    errors = run_at_once(
        lambda: services.attendance_save(course=course, presence={session.pk: everyone}, by=world.staff_a),
        lambda: services.attendance_save(course=course, presence={session.pk: half}, by=world.staff_a),
    )

    assert errors == []
    session.refresh_from_db()
    # One of the two saves came last and wins whole; never a mixture or a lost count.
    assert session.present in (20, 10)
    assert session.attendances.filter(present=True).count() == session.present
    audits = list(AttendanceAudit.objects.filter(session=session).order_by("id"))
    assert len(audits) == 2 and audits[1].present_before == audits[0].present_after
    kept = figures(world.centre_a)
    figures_rebuild()
    assert figures(world.centre_a) == kept
    assert CentreYearFigure.objects.get(centre=world.centre_a, year=2026).participations == session.present


def test_sessions_added_to_one_centre_year_at_once_keep_the_figures_right(postgres_only, world):
    first, second = talk(world, title="Chuyên đề A"), talk(world, title="Chuyên đề B")

    def add_sessions(course, present):
        for day in range(1, 11):
            services.class_session_create(
                course=course, by=world.staff_a, date=D(2026, 3, day), present=present, women=present // 2
            )

    errors = run_at_once(lambda: add_sessions(first, 40), lambda: add_sessions(second, 60))

    assert errors == []
    assert ClassSession.objects.filter(course__centre=world.centre_a).count() == 20
    kept = figures(world.centre_a)
    figures_rebuild()
    assert figures(world.centre_a) == kept
    row = CentreYearFigure.objects.get(centre=world.centre_a, year=2026)
    assert (row.sessions, row.participations, row.women) == (20, 1000, 500)
