"""The home page gives each role what it comes for, from the apps' own selectors, in a fixed number of
queries, and shows each person only their own scope."""

import datetime

import pytest
from django.urls import reverse

from courses.models import Course
from evaluations.models import Assessment, EvaluationCycle
from tests.clock import PINNED_TODAY
from tests.courses.factories import CourseFactory, SessionFactory
from tests.factories import CentreFactory, CommuneFactory, UserFactory
from tests.reports.factories import AssessmentFactory, FigureFactory

pytestmark = pytest.mark.django_db
TODAY = PINNED_TODAY
YEAR, CYCLE = TODAY.year, TODAY.year - 1


def _home(client):
    return client.get(reverse("home"))


def _cycle(**days_ago):
    """The cycle year's deadlines, each `n` days ago (negative: still to come)."""
    due = {k: TODAY - datetime.timedelta(days=v) for k, v in days_ago.items()}
    from units.models import Province

    province = Province.objects.filter(communes__centres__isnull=False).order_by("pk").first()
    return EvaluationCycle.objects.create(province=province, year=CYCLE, **due)


def _staff_data(world, n):
    for i in range(n):
        CourseFactory(
            centre=world.centre_a, title=f"Chuyên đề {i}", start_date=TODAY - datetime.timedelta(days=i), end_date=TODAY
        )
        CourseFactory(
            centre=world.centre_a,
            title=f"Lớp xóa mù chữ {i}",
            format=Course.Format.ROSTER,
            start_date=TODAY - datetime.timedelta(days=60 + i),
            end_date=TODAY + datetime.timedelta(days=30),
        )
        AssessmentFactory(centre=world.centre_a, year=CYCLE - 1 - i)
    FigureFactory(centre=world.centre_a, year=YEAR, classes=31, sessions=47, participations=4321, women=2000)
    FigureFactory(centre=world.centre_a, year=YEAR - 1, classes=40, sessions=60, participations=5555, women=2000)
    neighbour = CentreFactory(commune=CommuneFactory(district=world.district_x), review_office=world.office_x)
    FigureFactory(centre=neighbour, year=YEAR, classes=11, sessions=13, participations=1679, women=500)


# --- Centre staff -----------------------------------------------------------------------------------


def test_staff_see_their_centre_quick_actions_assessment_and_this_years_figures(world, client_for):
    _staff_data(world, 2)
    _cycle(self_assessment_due=3, review_due=-10, approval_due=-20)
    html = _home(client_for(world.staff_a)).content.decode()
    assert world.centre_a.name in html
    latest = Course.objects.get(title="Chuyên đề 0")
    roster = Course.objects.get(title="Lớp xóa mù chữ 0")
    assert reverse("courses:session_add", args=[latest.pk]) in html
    assert reverse("courses:month", args=[roster.pk]) in html  # attendance still to type up
    assert reverse("courses:create") in html
    assessment_card = html.split('data-testid="home-assessment"', 1)[1].split("</section>", 1)[0]
    assert f"Tự đánh giá năm {CYCLE}" in assessment_card
    assert "Chưa bắt đầu" in assessment_card and "đã quá hạn" in assessment_card
    assert reverse("evaluations:home") in assessment_card
    figures = html.split('data-testid="home-figures"', 1)[1].split("</table>", 1)[0]
    assert "4.321" in figures and "5.555" in figures
    assert "3.000" in figures  # the district's average participations: (4321 + 1679) / 2


def test_staff_see_their_draft_with_a_link_to_continue(world, client_for):
    draft = AssessmentFactory(
        centre=world.centre_a, year=CYCLE, status=Assessment.Status.DRAFT, rating="", proposed_rating=""
    )
    html = _home(client_for(world.staff_a)).content.decode()
    assert reverse("evaluations:detail", args=[draft.pk]) in html
    assert "Tiếp tục tự đánh giá" in html and "đã quá hạn" not in html  # no deadline set


def test_staff_see_nothing_of_another_centre(world, client_for):
    CourseFactory(centre=world.centre_b, title="Lớp của xã khác", start_date=TODAY, end_date=TODAY)
    FigureFactory(centre=world.centre_b, year=YEAR, participations=98765, women=0)
    html = _home(client_for(world.staff_a)).content.decode()
    assert "Lớp của xã khác" not in html and "98.765" not in html and world.centre_b.name not in html


@pytest.mark.parametrize("n", [2, 10])
def test_staff_home_runs_a_fixed_number_of_queries(world, client_for, django_assert_num_queries, n):
    _staff_data(world, n)
    _cycle(self_assessment_due=3, review_due=-10, approval_due=-20)
    client = client_for(world.staff_a)
    # 1 session, 2 user, 3 their centre with its units (scoped; the menu in base.html names it from there), 4 the
    # data stamp of the centres its record reads (portal.selectors.centre_record), then, the record not kept yet:
    # 5 its assessments, 6 its figures, 7 the district's sums, 8 its predecessors with their record; 9 its 4 latest
    # classes (sessions, participations as subqueries), 10 its roster classes open for attendance, 11 the cycle's
    # deadlines; reminders (reminders.selectors.reminders_for, given the cycle and the centre's assessment the home
    # has read): 12 no session for 30 days; 13, 14 last year's sessions and classes up to today's date (the same
    # period, 13.3)
    with django_assert_num_queries(14):
        response = _home(client)
    assert len(response.context["staff"].recent_classes) == 4
    assert len(response.context["staff"].roster_classes) == min(n, 5)
    # The record kept while the data is unchanged: its four reads are the stamp's one.
    with django_assert_num_queries(10):
        _home(client)


# --- Reviewer ----------------------------------------------------------------------------------------


def _office_data(world, n):
    """n more centres of office X: some not started, one submitted, one proposed; and a centre of Y."""
    for i in range(n):
        centre = CentreFactory(commune=CommuneFactory(district=world.district_x), review_office=world.office_x)
        if i % 2:
            AssessmentFactory(
                centre=centre, year=CYCLE, status=Assessment.Status.SUBMITTED, rating="", proposed_rating=""
            )
    AssessmentFactory(
        centre=world.centre_a, year=CYCLE, status=Assessment.Status.PROPOSED, rating="", proposed_rating="kha"
    )
    AssessmentFactory(
        centre=world.centre_b, year=CYCLE, status=Assessment.Status.SUBMITTED, rating="", proposed_rating=""
    )


def test_reviewer_sees_their_offices_assessments_by_status_and_overdue_items(world, client_for):
    _office_data(world, 4)
    _cycle(self_assessment_due=20, review_due=5, approval_due=-10)
    response = _home(client_for(world.reviewer_x))
    home = response.context["reviewer"]
    counts = {label: n for _status, label, n in home.by_status}
    # Office X: centre A (proposed) and 4 more: 2 submitted, 2 not started. Centre B is office Y's.
    assert home.centres == 5
    assert (counts["Chưa bắt đầu"], counts["Đã nộp, chờ thẩm định"], counts["Đã đề xuất xếp loại"]) == (2, 2, 1)
    # Overdue: 2 not submitted (self-assessment, 20 days late) and 2 not proposed (review, 5 days late).
    assert sorted((r.step, r.days_late) for r in home.overdue) == [
        ("Nộp tự đánh giá", 20),
        ("Nộp tự đánh giá", 20),
        ("Thẩm định, đề xuất", 5),
        ("Thẩm định, đề xuất", 5),
    ]
    html = response.content.decode()
    assert "Quá hạn: 4 việc" in html
    assert world.centre_b.commune.name not in html
    assert reverse("evaluations:overdue") in html and reverse("reports:dashboard") in html


@pytest.mark.parametrize("n", [2, 10])
def test_reviewer_home_runs_a_fixed_number_of_queries(world, client_for, django_assert_num_queries, n):
    _office_data(world, n)
    _cycle(self_assessment_due=20, review_due=5, approval_due=-10)
    client = client_for(world.reviewer_x)
    # 1 session, 2 user with their office (heading and menu: accounts/backends.py), 3 active centres per office,
    # 4 the cycle year's assessments per office and status, 5 the cycle's deadlines, 6 the office's centres with
    # units, 7 their assessments of the year (prefetch); reminders: 8 the cycle, 9 assessments waiting for
    # review, 10 centres with no session for 30 days
    with django_assert_num_queries(10):
        response = _home(client)
    assert response.context["reviewer"].centres == n + 1


# --- Provincial official -----------------------------------------------------------------------------


def _province_data(world, n):
    for i in range(n):
        centre = CentreFactory(commune=CommuneFactory(district=world.district_y), review_office=world.office_y)
        FigureFactory(centre=centre, year=YEAR, sessions=10, participations=1000, women=500)
        AssessmentFactory(centre=centre, year=CYCLE, rating="tot" if i % 2 else "kha")
    FigureFactory(centre=world.centre_a, year=YEAR, sessions=40, participations=3000, women=1000)
    FigureFactory(centre=world.centre_a, year=YEAR - 1, sessions=50, participations=4000, women=1000)
    AssessmentFactory(centre=world.centre_a, year=CYCLE, rating="tot")
    AssessmentFactory(centre=world.centre_a, year=CYCLE - 1, rating="kha")
    AssessmentFactory(
        centre=world.centre_b, year=CYCLE, status=Assessment.Status.PROPOSED, rating="", proposed_rating="tot"
    )


def test_official_sees_headline_figures_this_year_against_last_and_the_share_of_tot(world, client_for):
    _province_data(world, 4)
    # Last year up to today's date (the same period, issue 13.3): 50 sessions of 80 learners at centre A.
    course = CourseFactory(centre=world.centre_a, start_date=TODAY.replace(year=YEAR - 1, month=1, day=5))
    SessionFactory.create_batch(50, course=course, date=TODAY.replace(year=YEAR - 1, day=1), present=80)
    response = _home(client_for(world.official))
    home = response.context["province"]
    centres, sessions, participations = home.headlines
    assert (centres.now, centres.before) == (5, 1)
    assert (sessions.now, sessions.before) == (80, 50)
    assert (participations.now, participations.before) == (7000, 4000)
    assert participations.change == 75
    # Approved ratings of the cycle year: A Tốt, two Tốt and two Khá of the new centres → 3 of 5 = 60,0 %.
    assert home.rated_now.tot_share == 60 and home.rated_before.tot_share == 0 and home.tot_change == 60
    assert home.proposed == 1
    html = response.content.decode()
    assert "7.000" in html and "60,0%" in html and "1 chờ duyệt" in html
    for name in ("reports:dashboard", "reports:exports", "evaluations:home"):
        assert reverse(name) in html


def test_another_provinces_official_sees_none_of_these_figures(world, client_for):
    _province_data(world, 2)
    home = _home(client_for(world.other_official)).context["province"]
    assert [h.now for h in home.headlines] == [0, 0, 0] and home.proposed == 0


@pytest.mark.parametrize("n", [2, 10])
def test_official_home_runs_a_fixed_number_of_queries(world, client_for, django_assert_num_queries, n):
    _province_data(world, n)
    client = client_for(world.official)
    # 1 session, 2 user with their province (heading and menu: accounts/backends.py), 3 provinces merged into
    # theirs (scoping), 4 the data stamp (dashboard cache key), then on a miss 5 centres with units, 6 figures
    # per centre and year, 7 approved ratings; 8 active centres per office, 9 assessments per office and status,
    # 10 last year's sessions up to today's date (the same period, issue 13.3); reminders: 11 the cycle,
    # 12 ratings waiting for approval, 13 materials waiting, 14 centres with no session for 30 days
    with django_assert_num_queries(14):
        response = _home(client)
    assert response.context["province"].headlines[0].now == n + 1


# --- Administrator -----------------------------------------------------------------------------------


def test_administrator_gets_the_imports_and_the_admin_site_in_two_queries(world, client_for, django_assert_num_queries):
    admin = UserFactory(username="admin", role="admin")
    client = client_for(admin)
    # 1 session, 2 user
    with django_assert_num_queries(2):
        html = _home(client).content.decode()
    for name in ("units:import", "admin:index", "courses:import"):
        assert reverse(name) in html
