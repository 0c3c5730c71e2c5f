import datetime

import pytest

from centres.models import Centre
from courses.models import CentreYearFigure
from evaluations.models import Assessment
from reports.dashboard import DashboardFilters
from tests.factories import CentreFactory, CommuneFactory
from tests.reports.factories import AssessmentFactory, FigureFactory, kind


@pytest.fixture
def figures(world):
    """Three years of figures: A and A2 in district X, B in district Y, in two programme kinds, and ratings.

    Returns the extra centre A2. Every number differs so that a wrong sum cannot pass by accident."""
    a2 = CentreFactory(
        commune=CommuneFactory(district=world.district_x, province=world.province, code="12697", name="Xã Đông Hợp"),
        review_office=world.office_x,
    )
    literacy, other = kind("xoa-mu-chu"), kind("khac")
    rows = []
    for year in (2022, 2023, 2024):
        k = year - 2021
        for centre, scale in ((world.centre_a, 1), (a2, 2), (world.centre_b, 3)):
            rows.append(
                FigureFactory.build(
                    centre=centre,
                    year=year,
                    programme_kind=literacy,
                    classes=2 * k * scale,
                    sessions=9 * k * scale,
                    participations=311 * k * scale,
                    women=170 * k * scale,
                    minorities=7 * k * scale,
                )
            )
            rows.append(
                FigureFactory.build(
                    centre=centre,
                    year=year,
                    programme_kind=other,
                    classes=k + scale,
                    sessions=5 * k + scale,
                    participations=97 * k + scale,
                    women=50 * k,
                    minorities=scale,
                    last_session_date=datetime.date(year, 6, scale),
                )
            )
    CentreYearFigure.objects.bulk_create(rows)
    ratings = {
        2022: ("kha", "kha", "tot"),
        2023: ("tot", "kha", "tot"),
        2024: ("tot", "trung_binh", "tot"),
    }
    for year, (ra, ra2, rb) in ratings.items():
        AssessmentFactory(centre=world.centre_a, year=year, rating=ra)
        AssessmentFactory(centre=a2, year=year, rating=ra2)
        AssessmentFactory(centre=world.centre_b, year=year, rating=rb)
    # An assessment not yet approved never counts as a rating.
    Assessment.objects.filter(centre=a2, year=2024).update(status=Assessment.Status.PROPOSED)
    return a2


FILTERS = DashboardFilters(year_from=2022, year_to=2024, base_year=2022)


def raw_sum(field: str, *, year: int, centres, kind_id=None) -> int:
    """The expected figure straight from the rows, independent of the selectors."""
    total = 0
    for f in CentreYearFigure.objects.filter(year=year, centre__in=centres):
        if kind_id is None or f.programme_kind_id == kind_id:
            total += getattr(f, field)
    return total


def active(centres):
    return [c for c in centres if c.status == Centre.Status.ACTIVE]
