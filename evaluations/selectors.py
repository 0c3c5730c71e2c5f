"""Reads of the annual evaluation. Each docstring says what it costs in queries."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet, Subquery
from django.http import Http404
from django.utils.translation import gettext as _

from accounts import scoping
from centres.models import Centre
from evaluations.history import event_changes
from evaluations.models import RATING_ORDER, Assessment, Criterion, EvaluationCycle, Rubric
from tthtcd_portal.db_router import read_db
from tthtcd_portal.numbers import largest_remainder, point_change
from tthtcd_portal.params import id_param
from tthtcd_portal.vietnamese import by_name, sort_key

if TYPE_CHECKING:
    from accounts.models import User

Status = Assessment.Status


def centre_year_is_locked(*, centre_id: int, year: int) -> bool:
    """True when the province approved (locked) the centre's rating for that year. One query."""
    return _approved(centre_id=centre_id, year=year).exists()


def year_locked(*, centre_id, year) -> Exists:
    """The same rule as an expression, so that a query says it without a query more: `year` a number or an
    expression (`ExtractYear(OuterRef("date"))`: each session's own year; courses.services.attendance_save)."""
    return Exists(_approved(centre_id=centre_id, year=year))


def _approved(*, centre_id, year) -> QuerySet[Assessment]:
    return Assessment.objects.filter(centre_id=centre_id, year=year, status=Assessment.Status.APPROVED)


def locked_years(*, centre_id: int, years) -> list[int]:
    """Which of `years` the province has locked for the centre, ascending. One query."""
    return sorted(
        Assessment.objects.filter(centre_id=centre_id, year__in=list(years), status=Assessment.Status.APPROVED)
        .values_list("year", flat=True)
        .distinct()
    )


def locked_year_message(year: int) -> str:
    """What every refused write to a locked year says (courses' services, the class-list import). No query."""
    return _("Số liệu năm %(year)s của trung tâm đã được Sở phê duyệt và khóa; không thể thay đổi.") % {"year": year}


def assessment_for_user(*, user: User, pk: int) -> Assessment:
    """One assessment the user may see, with centre, units, office and rubric, or 404. One query."""
    return scoping.get_scoped_or_404(
        user,
        Assessment.objects.select_related(
            "centre__commune__district", "centre__commune__province", "centre__review_office", "rubric"
        ),
        "centre",
        pk=pk,
    )


@dataclass
class ScoreRow:
    criterion: Criterion
    score: object | None  # CriterionScore


@dataclass
class GroupBlock:
    group: int
    label: str
    rows: list[ScoreRow] = field(default_factory=list)
    max_points: Decimal = Decimal(0)
    self_total: Decimal = Decimal(0)
    review_total: Decimal = Decimal(0)


def assessment_sheet(assessment: Assessment) -> list[GroupBlock]:
    """The rubric's criteria by group, each with the assessment's score. Two queries (criteria, scores);
    the results are cached on the assessment's prefetch so services called afterwards reuse them."""
    criteria = list(assessment.rubric.criteria.all())
    scores = {s.criterion_id: s for s in assessment.scores.all()}
    blocks: dict[int, GroupBlock] = {}
    for c in criteria:
        block = blocks.setdefault(c.group, GroupBlock(group=c.group, label=c.get_group_display()))
        score = scores.get(c.pk)
        block.rows.append(ScoreRow(criterion=c, score=score))
        block.max_points += c.max_points
        if score is not None:
            block.self_total += score.self_points or 0
            block.review_total += score.review_points or 0
    return [blocks[g] for g in sorted(blocks)]


def assessment_history(assessment: Assessment) -> list:
    """The events, oldest first, with who did them and `lines`: what each changed, in Vietnamese
    (evaluations.history). One query."""
    events = list(assessment.events.select_related("actor").order_by("at", "id"))
    for event in events:
        event.lines = event_changes(event)
    return events


def staff_assessments(*, user: User):
    """The user's centre's assessments by year (newest first) and the years its province has a rubric for but
    the centre no assessment (of the latest two). Two queries."""
    assessments = list(
        scoping.scoped(user, Assessment.objects.all(), "centre").select_related("rubric").order_by("-year")
    )
    have = {a.year for a in assessments}
    years = Rubric.objects.filter(province__communes__centres=user.centre_id).order_by("-year")
    open_years = [y for y in years.values_list("year", flat=True)[:2] if y not in have]
    return assessments, open_years


def centre_assessments(*, centre) -> list[Assessment]:
    """A centre's assessments, newest year first (the centre page; the caller has already checked that
    the user sees the centre). One query."""
    return list(
        Assessment.objects.filter(centre=centre)
        .only(
            "id",
            "centre_id",
            "year",
            "status",
            "self_score",
            "review_score",
            "proposed_rating",
            "rating",
            "return_reason",  # the staff home's reminders name why a returned assessment came back
        )
        .order_by("-year")
    )


def evaluation_cycle(*, province_id: int, year: int) -> EvaluationCycle | None:
    """A province's deadlines of the year, if it set them. One query."""
    return EvaluationCycle.objects.filter(province_id=province_id, year=year).first()


def user_cycle(*, user: User, year: int) -> EvaluationCycle | None:
    """The deadlines of the year that concern the user: those of their province (an official's), of their
    office's province (a reviewer's) or of their centre's province (staff); None for administrators. One
    query."""
    cycles = EvaluationCycle.objects.filter(year=year)
    if user.is_province_official:
        return cycles.filter(province_id=user.province_id).first()
    if user.is_reviewer:
        return cycles.filter(province__office=user.office_id).first()
    if user.is_centre_staff:
        return cycles.filter(province__communes__centres=user.centre_id).first()
    return None


# --- A province's rubrics (the settings pages) -----------------------------------------------------


def rubrics_for_user(user: User):
    """The rubrics a provincial official sees: their province's (editable) and those of the provinces merged
    into it (read-only history); every province's for administrators; none for others. No query (a
    queryset)."""
    q = scoping.province_level_q(user)
    return Rubric.objects.filter(q) if q is not None else Rubric.objects.none()


def rubric_for_user(*, user: User, pk: int) -> Rubric:
    """One rubric the user sees, with its province, or 404 (another province's rubric does not exist for
    them). One query."""
    try:
        return rubrics_for_user(user).select_related("province").get(pk=pk)
    except Rubric.DoesNotExist:
        raise Http404(_("Không tìm thấy hoặc bạn không có quyền xem.")) from None


def with_latest_approved_rating(centres: QuerySet[Centre]) -> QuerySet[Centre]:
    """The centres with the year and rating of their latest approved assessment (`latest_rating_year`,
    `latest_rating`; None when never rated): a merged centre's record on its successor's page. No query of its
    own: two correlated subqueries in the centres' query."""
    latest = Assessment.objects.filter(centre=OuterRef("pk"), status=Status.APPROVED).order_by("-year")
    return centres.annotate(
        latest_rating_year=Subquery(latest.values("year")[:1]),
        latest_rating=Subquery(latest.values("rating")[:1]),
    )


def approved_ratings(assessments: list[Assessment]) -> dict[int, str]:
    """Year → official rating of the approved (locked) ones among `assessments`. No query."""
    return {a.year: a.rating for a in assessments if a.status == Status.APPROVED}


@dataclass
class OverviewRow:
    centre: object
    assessment: Assessment | None


def office_overview(*, user: User, year: int, office_id: int | None = None) -> list[OverviewRow]:
    """Every active centre the user sees (optionally of one reviewing office) with its assessment of the year.
    Two queries: centres with commune, district and office; that year's assessments (prefetch)."""
    centres = Centre.objects.visible_to(user).active().with_units()
    if office_id is not None:
        centres = centres.filter(review_office_id=office_id)
    centres = centres.prefetch_related(
        Prefetch("assessments", queryset=Assessment.objects.filter(year=year), to_attr="year_assessments")
    ).order_by("commune__code")
    return [OverviewRow(centre=c, assessment=(c.year_assessments or [None])[0]) for c in centres]


@dataclass
class OfficeCounts:
    office_id: int | None
    name: str
    centres: int = 0
    by_status: dict = field(default_factory=dict)

    @property
    def not_started(self) -> int:
        return self.centres - sum(self.by_status.values())

    @property
    def status_counts(self) -> list[int]:
        return [self.by_status.get(s, 0) for s in Status]

    @property
    def proposed(self) -> int:
        return self.by_status.get(Status.PROPOSED, 0)


def province_overview(*, user: User, year: int) -> list[OfficeCounts]:
    """Per reviewing office: active centres and that year's assessments by status. Two queries
    (centres per office, assessments per office and status)."""
    rows: dict[int | None, OfficeCounts] = {}
    centres = (
        Centre.objects.visible_to(user)
        .active()
        .values("review_office_id", "review_office__name")
        .annotate(n=Count("id"))
        .order_by(by_name("review_office__name"))
    )
    for c in centres:
        rows[c["review_office_id"]] = OfficeCounts(
            office_id=c["review_office_id"],
            name=c["review_office__name"] or _("Chưa phân công đơn vị đánh giá"),
            centres=c["n"],
        )
    counts = (
        scoping.scoped(user, Assessment.objects.filter(year=year, centre__status="active"), "centre")
        .values("centre__review_office_id", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    for c in counts:
        row = rows.get(c["centre__review_office_id"])
        if row is not None:
            row.by_status[c["status"]] = c["n"]
    return list(rows.values())


def proposed_for_office(*, user: User, year: int, office_id: int):
    """The proposed assessments of one office and year that the user sees. One query."""
    return scoping.scoped(
        user,
        Assessment.objects.filter(year=year, status=Status.PROPOSED, centre__review_office_id=office_id),
        "centre",
    ).select_related("centre")


@dataclass
class OverdueRow:
    centre: object
    assessment: Assessment | None
    step: str
    due: datetime.date
    days_late: int


def overdue(*, user: User, year: int, today: datetime.date) -> tuple[EvaluationCycle | None, list[OverdueRow]]:
    """Centres behind the year's deadlines: not submitted after the self-assessment due date, not proposed
    after the review due date, not approved after the approval due date, each by the deadlines of the centre's
    province. The cycle returned is the user's own: their province's (an official's), that of the province
    of the centres they see (a reviewer's), the first province's (an administrator's). Three queries (cycles, centres, assessments prefetch)."""
    cycles = {c.province_id: c for c in EvaluationCycle.objects.filter(year=year).order_by("province__code")}
    if not cycles:
        return None, []
    rows = office_overview(user=user, year=year)
    if user.is_province_official:
        cycle = cycles.get(user.province_id)
    elif rows and not (user.is_superuser or user.is_administrator):
        cycle = cycles.get(rows[0].centre.commune.province_id)
    else:
        cycle = next(iter(cycles.values()))
    result = []
    for row in rows:
        centre_cycle = cycles.get(row.centre.commune.province_id)
        if centre_cycle is None:
            continue
        steps = [
            (centre_cycle.self_assessment_due, {None, Status.DRAFT, Status.RETURNED}, _("Nộp tự đánh giá")),
            (centre_cycle.review_due, {Status.SUBMITTED}, _("Thẩm định, đề xuất")),
            (centre_cycle.approval_due, {Status.PROPOSED}, _("Phê duyệt")),
        ]
        status = row.assessment.status if row.assessment else None
        for due, waiting, label in steps:
            if status in waiting and today > due:
                result.append(
                    OverdueRow(
                        centre=row.centre,
                        assessment=row.assessment,
                        step=label,
                        due=due,
                        days_late=(today - due).days,
                    )
                )
    result.sort(key=lambda r: (r.due, r.centre.commune.code))
    return cycle, result


@dataclass
class DistributionRow:
    label: str
    counts: dict  # rating → count
    total: int
    shares: dict  # rating → Decimal percent
    changes: dict  # rating → Decimal points or None

    @property
    def cells(self) -> list[dict]:
        """Per rating, best first: count, percent and change in points (for the table)."""
        return [
            {"rating": r, "count": self.counts.get(r, 0), "share": self.shares[r], "change": self.changes[r]}
            for r in RATING_ORDER
        ]


def _counts_by_district(user: User, year: int) -> dict[str, dict[str, int]]:
    rows = (
        scoping.scoped(user, Assessment.objects.filter(year=year, status=Status.APPROVED), "centre")
        .values("centre__commune__district__name", "rating")
        .annotate(n=Count("id"))
        .order_by()
    )
    out: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(RATING_ORDER, 0))
    for r in rows:
        name = r["centre__commune__district__name"] or _("Xã, phường sau năm 2025 (không thuộc huyện)")
        out[name][r["rating"]] += r["n"]
    return out


def _row(label: str, counts: dict[str, int], earlier: dict[str, int] | None) -> DistributionRow:
    shares = largest_remainder({r: counts.get(r, 0) for r in RATING_ORDER})
    before = (
        largest_remainder({r: earlier.get(r, 0) for r in RATING_ORDER}) if earlier and sum(earlier.values()) else None
    )
    changes = {r: point_change(shares[r], before[r] if before else None) for r in RATING_ORDER}
    return DistributionRow(label=label, counts=counts, total=sum(counts.values()), shares=shares, changes=changes)


def rating_distribution(*, user: User, year: int, compare_year: int | None) -> list[DistributionRow]:
    """Approved ratings by district for the year, with percentages that add up to 100,0% and the change in
    points on `compare_year`; the last row is the whole. Two queries (the year, the earlier year)."""
    now = _counts_by_district(user, year)
    then = _counts_by_district(user, compare_year) if compare_year else {}
    rows = [_row(name, now[name], then.get(name)) for name in sorted(now, key=sort_key)]
    whole = {r: sum(c[r] for c in now.values()) for r in RATING_ORDER}
    whole_then = {r: sum(c[r] for c in then.values()) for r in RATING_ORDER} if then else None
    rows.append(_row(_("Toàn tỉnh"), whole, whole_then))
    return rows


def evaluation_years(*, user: User | None = None) -> list[int]:
    """Years that have a rubric (in a province the user answers for or sees centres of, when given), newest
    first. One query."""
    rubrics = Rubric.objects.all()
    if user is not None and not (user.is_superuser or user.is_administrator):
        q = scoping.province_level_q(user)
        rubrics = rubrics.filter(q if q is not None else scoping.centre_q(user, "province__communes__centres__"))
    return list(rubrics.order_by("-year").values_list("year", flat=True).distinct())


def assessments_for_list(*, user: User, year_from: int, year_to: int, status: str = "", office=None):
    """Assessments the user sees over the years, optionally of one status and one reviewing office, with centre
    and units, newest year first (the `danh-gia` export streams it; one query)."""
    qs = scoping.scoped(
        user,
        Assessment.objects.using(read_db()).filter(year__gte=year_from, year__lte=year_to),
        "centre",
    ).select_related("centre__commune__district")
    if status:
        qs = qs.filter(status=status)
    office_id = id_param(office)
    if office_id:
        qs = qs.filter(centre__review_office_id=office_id)
    return qs.order_by("-year", "centre__commune__district__code", "centre__commune__code")


def assessment_training_evidence(assessment) -> list:
    """The centre's people who attended the province's training courses that began in the assessment's year:
    evidence for the self-assessment (criterion group 1, the board's capacity). Read through the relation the
    training app declares on Centre (`training_attendances`), as a lower app reads a higher one's data
    (docs/architecture.md). One query."""
    return list(
        assessment.centre.training_attendances.filter(course__start_date__year=assessment.year)
        .select_related("course", "board_member", "instructor")
        .order_by("course__start_date", "course_id", "role", "id")
    )
