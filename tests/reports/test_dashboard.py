"""The dashboards show what the raw figures add up to, to each person only their own scope."""

import datetime
import json
import re
from decimal import Decimal

import pytest
from django.db.models import Q
from django.urls import reverse

from accounts import scoping
from centres.models import Centre
from evaluations.models import Assessment
from reports import dashboard as selectors
from reports.dashboard import GROUP_FORMER, DashboardFilters
from tests.courses.factories import CourseFactory
from tests.factories import CentreFactory, CommuneFactory
from tests.reports.conftest import FILTERS, raw_sum
from tests.reports.factories import AssessmentFactory, FigureFactory, kind
from units.models import REFORM_DATE

FIELDS = ("classes", "sessions", "participations", "women", "minorities")


def by_label(board, year):
    return {e["row"].label if not e["is_total"] else "TOTAL": e for e in board.summary(year)}


def test_province_figures_equal_the_raw_sums_by_district_and_year(world, figures):
    board = selectors.province_dashboard(province_id=world.province.id, filters=FILTERS)
    x_centres = [world.centre_a, figures]
    for year in FILTERS.years:
        rows = by_label(board, year)
        for field in FIELDS:
            assert getattr(rows["Huyện Đông Hưng"]["figures"], field) == raw_sum(field, year=year, centres=x_centres)
            assert getattr(rows["Huyện Thái Thụy"]["figures"], field) == raw_sum(
                field, year=year, centres=[world.centre_b]
            )
            everyone = [world.centre_a, figures, world.centre_b]
            assert getattr(rows["TOTAL"]["figures"], field) == raw_sum(field, year=year, centres=everyone)
        assert rows["Huyện Đông Hưng"]["figures"].centres == 2
        assert rows["TOTAL"]["figures"].centres == 3


def test_changes_on_previous_and_base_year_are_computed_from_the_raw_sums(world, figures):
    board = selectors.province_dashboard(province_id=world.province.id, filters=FILTERS)
    everyone = [world.centre_a, figures, world.centre_b]
    now = raw_sum("participations", year=2024, centres=everyone)
    before = raw_sum("participations", year=2023, centres=everyone)
    base = raw_sum("participations", year=2022, centres=everyone)
    total = by_label(board, 2024)["TOTAL"]
    assert total["change_previous"] == (Decimal(now - before) * 100 / before).quantize(Decimal("0.1"))
    assert total["change_base"] == (Decimal(now - base) * 100 / base).quantize(Decimal("0.1"))
    assert total["figures"].per_centre == (Decimal(now) / 3).quantize(Decimal("1"))


def test_programme_kind_filter_keeps_only_that_kind(world, figures):
    literacy = kind("xoa-mu-chu")
    filters = DashboardFilters(2024, 2024, programme_kind_id=literacy.id)
    board = selectors.province_dashboard(province_id=world.province.id, filters=filters)
    expected = raw_sum("participations", year=2024, centres=[world.centre_a, figures], kind_id=literacy.id)
    assert by_label(board, 2024)["Huyện Đông Hưng"]["figures"].participations == expected


def test_rating_distribution_counts_only_approved_ratings_and_adds_to_100(world, figures):
    board = selectors.province_dashboard(province_id=world.province.id, filters=FILTERS)
    table = {e["row"].label if not e["is_total"] else "TOTAL": e for e in board.rating_table(2024)}
    # 2024: A tot, A2 only proposed (not counted), B tot
    assert table["Huyện Đông Hưng"]["rated"] == 1
    assert table["TOTAL"]["rated"] == 2
    assert table["TOTAL"]["cells"][0] == (2, Decimal("100.0"))
    table_2023 = {e["row"].label if not e["is_total"] else "TOTAL": e for e in board.rating_table(2023)}
    percents = [p for _c, p in table_2023["TOTAL"]["cells"]]
    assert percents == [Decimal("66.7"), Decimal("33.3"), Decimal("0.0"), Decimal("0.0")]
    assert sum(percents) == Decimal("100.0")
    assert [t["share"] for t in board.tot_share_trend()] == [Decimal("33.3"), Decimal("66.7"), Decimal("100.0")]


def test_each_persona_gets_only_their_scope(world, figures):
    def labels(user, by_centre):
        return {
            r.label
            for r in selectors.dashboard(scope=scoping.centre_q(user), filters=FILTERS, by_centre=by_centre).rows
        }

    assert labels(world.official, False) == {"Huyện Đông Hưng", "Huyện Thái Thụy"}
    assert labels(world.reviewer_x, True) == {world.centre_a.name, figures.name}
    assert labels(world.staff_b, True) == {world.centre_b.name}
    assert labels(world.other_official, False) == set()


def test_a_year_counts_under_the_units_of_that_year_and_former_district_is_a_choice(world, figures):
    # After 1 July 2025: a new commune without district, merged from A's and A2's communes; its new centre.
    new_commune = CommuneFactory(
        district=None,
        province=world.province,
        code="12694",
        name="Xã Đông Phương Mới",
        valid_from=REFORM_DATE,
    )
    world.centre_a.commune.merged_into = new_commune
    world.centre_a.commune.save(update_fields=["merged_into"])
    new_centre = CentreFactory(commune=new_commune, review_office=world.office_x)
    FigureFactory(centre=new_centre, year=2025, participations=5000, women=2000)
    FigureFactory(centre=world.centre_a, year=2025, participations=700, women=300)
    Centre.objects.filter(pk=world.centre_a.pk).update(
        status=Centre.Status.MERGED, merged_into=new_centre, status_date=REFORM_DATE
    )
    filters = DashboardFilters(2024, 2025)
    then = by_label(selectors.province_dashboard(province_id=world.province.id, filters=filters), 2025)
    assert then["Xã Đông Phương Mới"]["figures"].participations == 5000
    assert then["Huyện Đông Hưng"]["figures"].participations == 700  # A's first half of 2025 stays with X
    former = by_label(
        selectors.province_dashboard(
            province_id=world.province.id, filters=DashboardFilters(2024, 2025, grouping=GROUP_FORMER)
        ),
        2025,
    )
    assert "Xã Đông Phương Mới" not in former
    assert former["Huyện Đông Hưng"]["figures"].participations == 5700
    assert former["Huyện Đông Hưng"]["figures"].centres == 2


def test_missing_data_lists_quiet_centres_and_unsubmitted_assessments(world, figures):
    today = datetime.date(2025, 3, 10)
    FigureFactory(centre=world.centre_b, year=2025, last_session_date=datetime.date(2025, 3, 1))
    AssessmentFactory(centre=world.centre_a, year=2025, status=Assessment.Status.SUBMITTED, rating="")
    AssessmentFactory(centre=world.centre_b, year=2025, status=Assessment.Status.RETURNED, rating="")
    centres = selectors.centres_info(scope=Q())
    missing = selectors.missing_data(scope=Q(), centres=centres, today=today, cycle_year=2025)
    assert {c.id for c, _last in missing.no_recent_session} == {world.centre_a.id, figures.id}
    assert dict((c.id, s) for c, s in missing.not_submitted) == {figures.id: None, world.centre_b.id: "returned"}


def test_centre_comparison_against_the_district_average(world, figures):
    comparison = selectors.centre_comparison(
        centre=Centre.objects.with_units().get(pk=world.centre_a.pk), filters=FILTERS
    )
    x = [world.centre_a, figures]
    assert comparison.own[2024].participations == raw_sum("participations", year=2024, centres=[world.centre_a])
    expected = Decimal(raw_sum("participations", year=2024, centres=x)) / 2
    assert comparison.area_average[2024]["participations"] == expected.quantize(Decimal("0.1"))
    assert comparison.ratings == {2022: "kha", 2023: "tot", 2024: "tot"}


# --- Pages ------------------------------------------------------------------------------------------


def test_province_dashboard_page_shows_vietnamese_numbers_and_links(world, figures, client_for):
    response = client_for(world.official).get(
        reverse("reports:dashboard"), {"tu_nam": 2022, "den_nam": 2024, "nam_goc": 2022}
    )
    html = response.content.decode()
    assert response.status_code == 200
    total = raw_sum("participations", year=2024, centres=[world.centre_a, figures, world.centre_b])
    assert f"{total:,}".replace(",", ".") in html
    assert reverse("reports:district", args=[world.district_x.pk]) in html
    assert "66,7%" in html  # 2023 share of Tốt
    data = json.loads(re.search(r'id="dashboard-chart-data" type="application/json">(.*?)</script>', html).group(1))
    assert data["years"] == ["2022", "2023", "2024"]  # labels: the year in progress reads "2026, đến 01/12"
    assert "Số liệu năm 2024" in html and "2.024" not in html
    assert "<script>" not in html  # no inline script (CSP)


@pytest.mark.parametrize("persona", ["reviewer_x", "staff_a"])
def test_reviewer_and_staff_see_nothing_of_the_other_district(world, figures, client_for, persona):
    html = (
        client_for(getattr(world, persona))
        .get(reverse("reports:dashboard"), {"tu_nam": 2022, "den_nam": 2024})
        .content.decode()
    )
    assert world.centre_b.name not in html
    assert "Huyện Thái Thụy" not in html
    assert world.centre_a.name in html


def test_other_province_official_sees_no_figures_of_p(world, figures, client_for):
    client = client_for(world.other_official)
    html = client.get(reverse("reports:dashboard"), {"tu_nam": 2022, "den_nam": 2024}).content.decode()
    assert "Huyện Đông Hưng" not in html and world.centre_a.name not in html
    assert client.get(reverse("reports:district", args=[world.district_x.pk])).status_code == 404
    assert client.get(reverse("reports:centre", args=[world.centre_a.pk])).status_code == 404


def test_district_page_is_a_404_for_another_districts_reviewer_and_403_for_staff(world, figures, client_for):
    assert client_for(world.reviewer_y).get(reverse("reports:district", args=[world.district_x.pk])).status_code == 404
    assert client_for(world.staff_a).get(reverse("reports:district", args=[world.district_x.pk])).status_code == 403
    response = client_for(world.reviewer_x).get(reverse("reports:district", args=[world.district_x.pk]))
    assert response.status_code == 200 and figures.name in response.content.decode()


def test_centre_page_outsiders_get_404(world, figures, client_for):
    assert client_for(world.staff_b).get(reverse("reports:centre", args=[world.centre_a.pk])).status_code == 404
    assert client_for(world.reviewer_y).get(reverse("reports:centre", args=[world.centre_a.pk])).status_code == 404
    assert client_for(world.staff_a).get(reverse("reports:centre", args=[world.centre_a.pk])).status_code == 200


def test_bad_filters_fall_back_to_defaults_with_a_message(world, figures, client_for):
    response = client_for(world.official).get(reverse("reports:dashboard"), {"tu_nam": 2024, "den_nam": 2022})
    assert response.status_code == 200
    assert "“Từ năm” phải trước hoặc bằng “Đến năm”." in response.content.decode()


def _more_data(world, n):
    """n more centres in X with a year of figures and a rating each: the query count must not move."""
    for _ in range(n):
        c = CentreFactory(
            commune=CommuneFactory(district=world.district_x, province=world.province), review_office=world.office_x
        )
        FigureFactory(centre=c, year=2024)
        AssessmentFactory(centre=c, year=2024)


@pytest.mark.parametrize("extra", [0, 6])
def test_province_dashboard_runs_a_fixed_number_of_queries(
    world, figures, client_for, django_assert_num_queries, extra
):
    _more_data(world, extra)
    client = client_for(world.official)
    # 1 session, 2 user with their province (unit label, then the menu: accounts/backends.py), 3 programme
    # kinds, 4 provinces merged into P (scoping), 5 the data stamp (cache key), then on a cache miss 6 centres
    # with units, 7 figures per centre and year, 8 approved ratings; 9 latest session per centre, 10 cycle-year
    # assessments
    with django_assert_num_queries(10):
        assert client.get(reverse("reports:dashboard"), {"tu_nam": 2022, "den_nam": 2024}).status_code == 200


@pytest.mark.parametrize("extra", [0, 6])
def test_district_page_runs_a_fixed_number_of_queries(world, figures, client_for, django_assert_num_queries, extra):
    _more_data(world, extra)
    client = client_for(world.official)
    # 1 session, 2 user with their province (menu: accounts/backends.py), 3 provinces merged into P, 4 the
    # district (scoped), 5 programme kinds, 6 the data stamp, then (cache miss) 7 centres, 8 figures, 9 ratings;
    # (tables not kept) 10 latest sessions, 11 cycle-year assessments
    page = reverse("reports:district", args=[world.district_x.pk])
    with django_assert_num_queries(11):
        first = client.get(page)
    # Seen again with the same data: the board and its tables are kept, so neither the board's three queries nor
    # the missing-data two run, and the page is the same.
    with django_assert_num_queries(6):
        again = client.get(page)
    token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    first_page, again_page = (token.sub("", r.content.decode()) for r in (first, again))
    assert again_page == first_page and "trung tâm không có buổi học nào" in first_page


def test_district_tables_follow_the_data(world, figures, client_for):
    """The kept tables are keyed by the data stamp: a new figure shows at once."""
    client = client_for(world.official)
    page = reverse("reports:district", args=[world.district_x.pk])
    before = client.get(page, {"tu_nam": 2024, "den_nam": 2024}).content.decode()
    c = CentreFactory(
        commune=CommuneFactory(district=world.district_x, province=world.province, name="Xã Mới Lập"),
        review_office=world.office_x,
    )
    FigureFactory(centre=c, year=2024)
    after = client.get(page, {"tu_nam": 2024, "den_nam": 2024}).content.decode()
    assert c.name not in before and c.name in after


@pytest.mark.parametrize("n", [2, 10])
def test_centre_page_runs_a_fixed_number_of_queries(world, figures, client_for, django_assert_num_queries, n):
    for i in range(n):
        CourseFactory(centre=world.centre_a, start_date=datetime.date(2024, 1, 1 + i))
    client = client_for(world.staff_a)
    # 1 session, 2 user with their centre (menu in base.html: accounts/backends.py), 3 the centre (scoped, with
    # units), 4 programme kinds, 5 the data stamp of its district's centres, 6 its figures, 7 district sums, 8 its
    # assessments (5-8: the comparison, kept while the stamp holds: the test below), 9 its latest classes (class
    # links)
    with django_assert_num_queries(9):
        response = client.get(reverse("reports:dashboard"))
    assert len(response.context["recent_classes"]) == min(n, 8)


def test_centre_figures_page_links_to_the_centres_classes(world, figures, client_for):
    course = CourseFactory(centre=world.centre_a, title="Chuyên đề phòng chống ma túy")
    CourseFactory(centre=world.centre_b, title="Lớp của huyện khác")
    html = client_for(world.reviewer_x).get(reverse("reports:centre", args=[world.centre_a.pk])).content.decode()
    links = html.split('data-testid="class-links"', 1)[1]
    assert f'href="{reverse("courses:detail", args=[course.pk])}"' in links
    assert f"{reverse('courses:list')}?trung_tam={world.centre_a.pk}" in links
    assert "Lớp của huyện khác" not in html


def test_a_session_saved_now_shows_on_the_next_load_though_the_dashboard_is_cached(
    world, figures, client_for, django_assert_num_queries
):
    from courses import services as course_services

    client = client_for(world.official)
    params = {"tu_nam": 2026, "den_nam": 2026}

    def total():
        return client.get(reverse("reports:dashboard"), params).context["summary"][-1]["figures"].participations

    before = total()
    # The second load comes from the cache: no figure queries (3) and, the tables' fragment being cached too,
    # no missing-data queries (2): session, user with the menu's province, kinds, merged provinces, the data stamp.
    with django_assert_num_queries(10 - 3 - 2):
        assert total() == before
    course = course_services.course_create(
        centre=world.centre_b, by=world.official, programme_kind=kind("khac"), title="Chuyên đề mới",
        format="talk", start_date=datetime.date(2026, 1, 5), end_date=datetime.date(2026, 1, 30),
    )  # fmt: skip
    course_services.class_session_create(
        course=course, by=world.official, date=datetime.date(2026, 1, 12), present=123, women=60
    )
    assert total() == before + 123


def test_a_centres_figures_page_keeps_its_comparison_until_a_figure_of_its_district_changes(
    world, figures, client_for, django_assert_num_queries
):
    from courses.models import CentreYearFigure

    client = client_for(world.reviewer_x)
    url, params = reverse("reports:centre", args=[world.centre_a.pk]), {"tu_nam": 2022, "den_nam": 2024}

    def average_2024():
        return client.get(url, params).context["comparison"].area_average[2024]["participations"]

    before = average_2024()
    # Kept (issue 18): 1 session, 2 user with their unit, 3 the centre, 4 the filter's kinds, 5 the data stamp of
    # the district's centres, 6 the latest classes; the comparison's own figures, district sums and ratings not run.
    with django_assert_num_queries(6):
        assert average_2024() == before
    CentreYearFigure.objects.filter(centre=figures, year=2024).update(
        participations=0, women=0, minorities=0
    )  # X's other centre
    assert average_2024() < before


# --- The cache never outlives a change of scope or of names (issue 14, item 8) -------------------------------


def test_a_centre_moved_to_another_office_leaves_the_former_reviewers_cached_dashboard(world, figures, client_for):
    from centres import services as centre_services

    client = client_for(world.reviewer_x)
    params = {"tu_nam": 2022, "den_nam": 2024}
    url = reverse("reports:dashboard")
    first = client.get(url, params)
    assert world.centre_a.pk in {c.id for c in first.context["board"].centres}
    assert world.centre_a.name in first.content.decode()

    centre_services.centres_assign_review_office(centres=[world.centre_a], office=world.office_y, by=world.official)

    again = client.get(url, params)
    assert world.centre_a.pk not in {c.id for c in again.context["board"].centres}
    assert world.centre_a.name not in again.content.decode()
    # Its figures left the totals too: what remains is A2's alone.
    total = again.context["summary"][-1]["figures"].participations
    assert total == first.context["summary"][-1]["figures"].participations - raw_sum(
        "participations", year=2024, centres=[world.centre_a]
    )


def test_a_renamed_centre_shows_its_new_name_on_a_cached_dashboard(world, figures, client_for):
    from centres import services as centre_services

    client = client_for(world.reviewer_x)
    params = {"tu_nam": 2022, "den_nam": 2024}
    url = reverse("reports:dashboard")
    assert figures.name in client.get(url, params).content.decode()

    centre = Centre.objects.get(pk=figures.pk)
    centre_services.centre_update(centre=centre, fields={"name": "TTHTCĐ Đông Hợp (tên mới)"}, by=world.official)

    page = client.get(url, params).content.decode()
    assert "TTHTCĐ Đông Hợp (tên mới)" in page
    assert figures.name not in page
