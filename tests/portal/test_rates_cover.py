"""Every rate says what it covers; a year in progress is compared with the same period (issue 13 item 3).

Before: the province home page showed "96,0 % Tốt" from 25 approved of 242 centres without saying so, and
compared this year so far (to 16/11) with the whole of last year."""

import datetime
import io

from django.urls import reverse
from openpyxl import load_workbook

from tests.clock import PINNED_TODAY
from tests.courses.factories import CourseFactory, SessionFactory
from tests.portal.test_home import _home, _province_data

TODAY = PINNED_TODAY
LAST = TODAY.year - 1


def _last_year_sessions(world):
    """Centre A last year: two sessions up to today's date a year ago, one after it (December)."""
    course = CourseFactory(
        centre=world.centre_a, start_date=datetime.date(LAST, 1, 5), end_date=datetime.date(LAST, 12, 31)
    )
    SessionFactory(course=course, date=datetime.date(LAST, 3, 1), present=30, women=10)
    SessionFactory(course=course, date=TODAY.replace(year=LAST), present=20, women=5)
    SessionFactory(course=course, date=datetime.date(LAST, 12, 20), present=500, women=100)


def test_a_year_in_progress_is_marked_and_compared_with_the_same_period(world, client_for):
    _province_data(world, 4)
    _last_year_sessions(world)
    response = _home(client_for(world.official))
    home = response.context["province"]
    centres, sessions, participations = home.headlines
    assert (sessions.before, participations.before) == (2, 50)  # not December's session
    assert centres.before == 1
    html = response.content.decode()
    day = TODAY.strftime("%d/%m")
    assert f"{TODAY.year}, đến {day}" in html
    assert f"{LAST}, cùng kỳ" in html


def test_the_share_of_tot_says_how_many_centres_it_covers(world, client_for):
    _province_data(world, 4)
    html = _home(client_for(world.official)).content.decode()
    # Six centres in the province; five approved ratings in the cycle year, one the year before.
    assert "5/6 trung tâm đã được phê duyệt" in html
    assert "1/6 trung tâm đã được phê duyệt" in html


def test_the_dashboard_s_ratings_say_how_many_centres_they_cover(world, client_for):
    _province_data(world, 4)
    html = client_for(world.official).get(reverse("reports:dashboard"), {"den_nam": TODAY.year - 1}).content.decode()
    assert "Tính trên 5/6 trung tâm đã được phê duyệt" in html


def test_the_official_rating_report_says_how_many_centres_it_covers(world, client_for):
    _province_data(world, 4)
    content = (
        client_for(world.official)
        .get(reverse("reports:official", args=["bc-xep-loai"]), {"den_nam": TODAY.year - 1})
        .content
    )
    values = [c for row in load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True) for c in row if c]
    assert any(str(v).startswith("Tính trên 5/6 trung tâm đã được phê duyệt") for v in values), values
