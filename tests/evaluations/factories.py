"""Evaluation test data, made through the services so rows look like the real ones."""

from decimal import Decimal

from evaluations import services
from evaluations.models import Assessment
from evaluations.services import PointsEntry
from tests.clock import this_year


def last_year() -> int:
    """The year whose evaluation cycle runs "now": the previous calendar year of the pinned day."""
    return this_year() - 1


def rubric(year: int | None = None):
    return services.rubric_create_default(year=year or last_year())


def full_points(assessment: Assessment, share: Decimal = Decimal("0.9")) -> dict[int, PointsEntry]:
    """Every criterion scored at `share` of its maximum (rounded to halves)."""
    return {
        c.pk: PointsEntry(points=(c.max_points * share * 2).quantize(Decimal(1)) / 2, text="Có minh chứng")
        for c in assessment.rubric.criteria.all()
    }


def submitted(centre, by, year: int | None = None, share: Decimal = Decimal("0.9")) -> Assessment:
    a = services.assessment_start(centre=centre, year=year or last_year(), by=by)
    services.assessment_self_save(assessment=a, version=a.version, entries=full_points(a, share), comment="", by=by)
    services.assessment_submit(assessment=a, version=a.version, by=by)
    return a


def proposed(centre, staff, reviewer, year: int | None = None, share: Decimal = Decimal("0.9")) -> Assessment:
    a = submitted(centre, staff, year, share)
    services.assessment_review_save(
        assessment=a, version=a.version, entries=full_points(a, share), comment="", by=reviewer
    )
    services.assessment_propose(
        assessment=a,
        version=a.version,
        rating=services.assessment_computed_rating(assessment=a),
        reason="",
        by=reviewer,
    )
    return a


def approved(centre, staff, reviewer, official, year: int | None = None, share: Decimal = Decimal("0.9")) -> Assessment:
    a = proposed(centre, staff, reviewer, year, share)
    services.assessment_approve(assessment=a, version=a.version, by=official)
    return a
