"""The year in progress is compared with the same days of last year: that base (a scan of last year's sessions)
is kept while last year's figure rows are unchanged, so the board recomputed after this year's saves reads no
session (issue 17 item 4), and any session of last year written since shows on the next load."""

import datetime

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from courses import services
from courses.models import Course
from reports.dashboard import DashboardFilters, dashboard_compute
from tests.clock import PINNED_TODAY
from tests.courses.factories import kind

TODAY = PINNED_TODAY
LAST = TODAY.year - 1


def _course(world):
    return services.course_create(
        centre=world.centre_a,
        by=world.staff_a,
        programme_kind=kind(),
        title="Luật Đất đai",
        format=Course.Format.TALK,
        start_date=datetime.date(LAST, 1, 5),
        end_date=datetime.date(TODAY.year, 12, 31),
        planned_sessions=9,
    )


def _session(world, course, day, present):
    return services.class_session_create(course=course, by=world.staff_a, date=day, present=present, women=0)


def _board(world):
    filters = DashboardFilters(year_from=LAST, year_to=TODAY.year)
    return dashboard_compute(scope=Q(commune__province_id=world.province.pk), filters=filters, today=TODAY)


def _before(board):
    p = board.totals.before_period
    return (p.centres, p.sessions, p.participations)


@pytest.fixture
def last_year(world):
    """Centre A: last year two sessions up to today's date a year ago (30 and 20 present), one after it (500)."""
    course = _course(world)
    march = _session(world, course, datetime.date(LAST, 3, 1), 30)
    _session(world, course, datetime.date(LAST, 3, 2), 20)
    later = _session(world, course, TODAY.replace(year=LAST) + datetime.timedelta(days=4), 500)
    return course, march, later


def test_a_session_saved_this_year_reuses_the_base_without_its_scan(world, last_year):
    course, _march, _later = last_year
    assert _before(_board(world)) == (1, 2, 50)
    _session(world, course, datetime.date(TODAY.year, 2, 2), 80)
    with CaptureQueriesContext(connection) as queries:
        board = _board(world)
    assert _before(board) == (1, 2, 50)
    assert board.totals.at(TODAY.year).participations == 80
    # The centres, the figures, the ratings: no read of the sessions.
    assert len(queries) == 3, [q["sql"] for q in queries]
    assert not any("courses_classsession" in q["sql"] for q in queries)


def test_editing_a_session_of_last_year_changes_the_base(world, last_year):
    _course, march, _later = last_year
    assert _before(_board(world)) == (1, 2, 50)
    services.class_session_update(session=march, by=world.staff_a, present=31)
    assert _before(_board(world)) == (1, 2, 51)


def test_archiving_a_session_of_last_year_changes_the_base(world, last_year):
    _course, march, _later = last_year
    assert _before(_board(world)) == (1, 2, 50)
    services.class_session_archive(session=march, by=world.staff_a)
    assert _before(_board(world)) == (1, 1, 20)


@pytest.mark.django_db(transaction=True)
def test_a_session_of_last_year_moved_into_the_period_changes_the_base(world, last_year):
    """No figure sum moves (the session stays in last year): the rows' latest change (and on PostgreSQL their
    versions) do. Committed one by one, as the requests are."""
    _course, _march, later = last_year
    assert _before(_board(world)) == (1, 2, 50)
    services.class_session_update(session=later, by=world.staff_a, date=datetime.date(LAST, 4, 1))
    assert _before(_board(world)) == (1, 3, 550)
