"""Evaluation test data, made through the services so rows look like the real ones."""

from decimal import Decimal

from evaluations import services
from evaluations.models import Assessment
from evaluations.services import PointsEntry
from tests.clock import this_year


def last_year() -> int:
    """The year whose evaluation cycle runs "now": the previous calendar year of the pinned day."""
    return this_year() - 1


def rubric(year: int | None = None, province=None):
    """The default rubric of a year (the cycle year by default) for `province`, or else for every province that
    holds a centre (an assessment takes the rubric of its centre's province); returns the first made."""
    from units.models import Province

    year = year or last_year()
    if province is not None:
        return services.rubric_create_default(province=province, year=year)
    provinces = list(Province.objects.filter(communes__centres__isnull=False).distinct().order_by("pk"))
    if not provinces:
        from tests.factories import ProvinceFactory

        provinces = [Province.objects.order_by("pk").first() or ProvinceFactory()]
    made = [
        services.rubric_create_default(province=p, year=year)
        for p in provinces
        if not p.rubrics.filter(year=year).exists()
    ]
    return made[0] if made else provinces[0].rubrics.get(year=year)


def cycle(year: int | None = None, province=None, **due):
    """A province's deadlines (the province of the centres, as `rubric`), through the model."""
    from evaluations.models import EvaluationCycle
    from units.models import Province

    year = year or last_year()
    provinces = (
        [province]
        if province is not None
        else list(Province.objects.filter(communes__centres__isnull=False).distinct().order_by("pk"))
    )
    made = [EvaluationCycle.objects.create(province=p, year=year, **due) for p in provinces]
    return made[0]


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
