"""Dashboards keep their context (issue 13 item 13): a drill-down keeps the year range and the filters; a
district row opens that district's figures and a centre row the centre's figures; a chart of many series shows
the largest and "Khác".

Before: a centre row opened the centre's registry record (no figures, no years), and every district of a
province (eight, or 242 communes when grouped by commune) was a line of its own in one chart."""

import re

from django.urls import reverse

from reports.dashboard import CHART_SERIES, Dashboard, DashboardFilters, Figures, Row


def _links(html):
    return re.findall(r'<th scope="row"><a href="([^"]+)"', html)


def test_a_district_row_opens_its_figures_with_the_same_years(world, figures, client_for):
    html = (
        client_for(world.official).get(reverse("reports:dashboard"), {"tu_nam": 2022, "den_nam": 2023}).content.decode()
    )
    district = [u for u in _links(html) if u.startswith(reverse("reports:district", args=[world.district_x.pk]))]
    assert district and "tu_nam=2022" in district[0] and "den_nam=2023" in district[0]


def test_a_centre_row_opens_the_centre_s_figures_with_the_same_years(world, figures, client_for):
    url = reverse("reports:district", args=[world.district_x.pk])
    html = client_for(world.official).get(url, {"tu_nam": 2022, "den_nam": 2023}).content.decode()
    centre = [u for u in _links(html) if u.startswith(reverse("reports:centre", args=[world.centre_a.pk]))]
    assert centre, _links(html)
    assert "tu_nam=2022" in centre[0].replace("&amp;", "&") and "den_nam=2023" in centre[0]


def test_a_reviewer_s_centre_rows_open_the_centre_s_figures(world, figures, client_for):
    html = client_for(world.reviewer_x).get(reverse("reports:dashboard"), {"den_nam": 2023}).content.decode()
    assert any(u.startswith(reverse("reports:centre", args=[world.centre_a.pk]) + "?") for u in _links(html))


def _board(n):
    rows = [Row("district", i, f"Huyện {i}", None, {2024: Figures(participations=100 * i)}) for i in range(1, n + 1)]
    totals = Row("total", 0, "", None, {2024: Figures(participations=sum(100 * i for i in range(1, n + 1)))})
    return Dashboard(DashboardFilters(2024, 2024), rows, totals, "group")


def test_a_chart_of_many_units_shows_the_largest_and_the_rest_as_khac():
    series = _board(14).chart_data()["participation"]
    assert len(series) == CHART_SERIES
    assert [s["label"] for s in series[:3]] == ["Huyện 14", "Huyện 13", "Huyện 12"]
    assert series[-1]["label"] == "Khác" and series[-1]["values"] == [sum(100 * i for i in range(1, 6))]


def test_a_chart_of_few_units_shows_them_all():
    assert len(_board(8).chart_data()["participation"]) == 8
