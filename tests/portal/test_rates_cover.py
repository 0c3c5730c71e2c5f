"""Every rate says what it covers; a year in progress is compared with the same period (issue 13 item 3).

Before: the province home page showed "96,0 % Tốt" from 25 approved of 242 centres without saying so, and
compared this year so far (to 16/11) with the whole of last year."""

import datetime
import io
from decimal import Decimal

from django.urls import reverse
from openpyxl import load_workbook

from tests.clock import PINNED_TODAY
from tests.courses.factories import CourseFactory, SessionFactory
from tests.portal.test_home import _home, _province_data
from tests.reports.factories import FigureFactory

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


def test_the_dashboard_compares_the_year_in_progress_with_the_same_period(world, client_for):
    """Before: the summary's "So với năm trước" set this year so far against the whole of last year."""
    _province_data(world, 4)
    _last_year_sessions(world)
    response = client_for(world.official).get(reverse("reports:dashboard"), {"den_nam": TODAY.year})
    board = response.context["board"]
    total = next(e for e in board.summary() if e["is_total"])
    # 7,000 participations so far against the 50 of last year up to today's date (not December's 500).
    assert total["figures"].participations == 7000
    assert total["change_previous"] == (Decimal(7000 - 50) * 100 / 50).quantize(Decimal("0.1"))
    html = response.content.decode()
    day = TODAY.strftime("%d/%m")
    assert f"Số liệu năm {TODAY.year}, đến {day}" in html
    assert "So với cùng kỳ năm trước" in html
    assert f"so với cùng kỳ năm {LAST} (01/01 đến {day})" in html


def test_a_whole_past_year_is_still_compared_with_the_whole_year_before(world, client_for):
    _province_data(world, 4)
    _last_year_sessions(world)
    FigureFactory(centre=world.centre_a, year=LAST - 1, sessions=5, participations=2000, women=0)
    response = client_for(world.official).get(reverse("reports:dashboard"), {"den_nam": LAST})
    total = next(e for e in response.context["board"].summary() if e["is_total"])
    assert total["change_previous"] == 100  # 4,000 in the whole of LAST against 2,000 in the whole year before
    assert "So với cùng kỳ" not in response.content.decode()


def test_the_summary_export_says_the_year_is_in_progress(world, client_for):
    _province_data(world, 4)
    _last_year_sessions(world)
    response = client_for(world.official).get(reverse("reports:export", args=["so-lieu"]), {"den_nam": TODAY.year})
    content = b"".join(response.streaming_content)
    values = [c for row in load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True) for c in row if c]
    day = TODAY.strftime("%d/%m")
    assert f"Số liệu hoạt động năm {TODAY.year}, đến {day}" in values
    assert "So với cùng kỳ năm trước (%)" in values


def test_staff_home_sets_the_year_so_far_against_the_same_days_of_last_year(world, client_for):
    """Before: the staff home's figures put this year so far beside the whole of last year only."""
    FigureFactory(centre=world.centre_a, year=LAST, classes=3, sessions=3, participations=550, women=0)
    _last_year_sessions(world)
    response = _home(client_for(world.staff_a))
    staff = response.context["staff"]
    assert (staff.same_period.classes, staff.same_period.sessions, staff.same_period.participations) == (1, 2, 50)
    assert staff.last_year.participations == 550
    figures = response.content.decode().split('data-testid="home-figures"', 1)[1].split("</table>", 1)[0]
    assert f"{TODAY.year}<br>" in figures and f"đến {TODAY.strftime('%d/%m')}" in figures
    assert f"{LAST}<br>" in figures and "cùng kỳ" in figures and "cả năm" in figures
