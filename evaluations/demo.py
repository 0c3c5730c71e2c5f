"""Demo ratings across the 2025 reform: the 381 former centres 2015–2024, the 104 new centres 2025.

Rubrics and deadlines are each province's: former Thái Bình and former Hưng Yên keep their own for 2015–2024
(their centres were rated with them), today's Hưng Yên has its own from 2025 (copied from a predecessor's).

2015–2024 are approved (reviewed by the former district offices), written by a bulk path that makes the same rows the services make (assessment,
points per criterion, the six events create → self_save → submit → review_save → propose → approve, version
6), with distributions like the seeds' (2011: about 55% Tốt, 44% Khá, 1% Trung bình) improving by about
2,5 points of Tốt a year. The 2025 cycle goes through the services themselves and stops part-way: drafts,
submitted, proposed, a few approved and a few returned, with deadlines around today so the overdue list
shows something. demo_xa's centre stays an untouched draft so the whole cycle can be tried by hand.

2025, the transition year (docs/evaluations.md, "The transition year 2025"): only the new centres are rated,
each for the whole year; its self-assessment says which former centres' first half it counts (their sessions
and participants to 30/06/2025), as the Sở asks.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, Sum
from django.utils import timezone

from accounts.demo import DEMO_COMMUNE_CODE, demo_province
from centres.models import Centre
from evaluations import services
from evaluations.models import (
    Assessment,
    AssessmentEvent,
    CriterionScore,
    EvaluationCycle,
    Rating,
    Rubric,
)
from evaluations.services import PointsEntry
from tthtcd_portal.numbers import format_points
from units.models import REFORM_DATE, Province

FIRST_YEAR, CURRENT_YEAR = 2015, 2025
HALF = Decimal("0.5")
Status = Assessment.Status
Action = AssessmentEvent.Action


def _target_rating(rng, year: int) -> str:
    tot = 0.55 + 0.025 * (year - FIRST_YEAR)
    trung_binh = max(0.004, 0.012 - 0.001 * (year - FIRST_YEAR))
    roll = rng.random()
    if roll < tot:
        return Rating.TOT
    if roll < 1 - trung_binh:
        return Rating.KHA
    return Rating.TRUNG_BINH


BANDS = {Rating.TOT: (86, 97), Rating.KHA: (71, 84), Rating.TRUNG_BINH: (55, 69)}


def _points(rng, criteria, rating: str) -> dict[int, Decimal]:
    """Points per criterion whose total lands in the rating's band (the thresholds then agree)."""
    low, high = BANDS[rating]
    share = Decimal(rng.uniform(low, high)) / 100
    points = {}
    for c in criteria:
        wobble = Decimal(rng.uniform(-0.08, 0.08))
        value = (c.max_points * (share + wobble) / HALF).quantize(Decimal(1)) * HALF
        points[c.pk] = min(max(value, Decimal(0)), c.max_points)
    return points


def _aware(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _cycle_dates(year: int) -> tuple[datetime.date, datetime.date, datetime.date]:
    if year == CURRENT_YEAR:
        # Today is late November 2026: self-assessment and review deadlines just passed, approval ahead.
        return datetime.date(2026, 11, 10), datetime.date(2026, 11, 20), datetime.date(2026, 12, 10)
    return datetime.date(year + 1, 3, 15), datetime.date(year + 1, 4, 10), datetime.date(year + 1, 5, 15)


def seed(*, rng, log) -> None:
    users = {
        u.username: u for u in get_user_model().objects.filter(username__in=["demo_xa", "demo_huyen", "demo_tinh"])
    }
    staff, reviewer, official = users.get("demo_xa"), users.get("demo_huyen"), users.get("demo_tinh")
    # Rated to 2024: the former centres; 2025: the centres of the new communes.
    former = list(
        Centre.objects.filter(commune__valid_from__lt=REFORM_DATE).select_related("commune").order_by("commune__code")
    )
    centres = list(
        Centre.objects.active()
        .filter(commune__valid_from__gte=REFORM_DATE)
        .select_related("commune")
        .order_by("commune__code")
    )

    # Each province keeps its own rubrics (docs/evaluations.md, "A province's settings"): the two former
    # provinces 2015–2024, today's Hưng Yên from 2025 (its first a copy of a predecessor's latest).
    today_province = demo_province()
    rubrics: dict[tuple[int, int], Rubric] = {}
    for old in Province.objects.filter(merged_into=today_province).order_by("code"):
        first = services.rubric_create_default(province=old, year=FIRST_YEAR, by=official)
        services.rubric_settings_save(
            rubric=first,
            title=f"Bộ tiêu chí đánh giá TTHTCĐ {old.name} (trước sắp xếp)",
            total_points=first.total_points,
            by=official,
        )
        rubrics[old.pk, FIRST_YEAR] = first
        for year in range(FIRST_YEAR + 1, CURRENT_YEAR):
            rubrics[old.pk, year] = services.rubric_create_for_year(province=old, year=year, by=official)
    current = services.rubric_create_for_year(province=today_province, year=CURRENT_YEAR, by=official)
    services.rubric_settings_save(
        rubric=current,
        title=f"Bộ tiêu chí đánh giá TTHTCĐ {today_province.name} năm {CURRENT_YEAR}",
        total_points=current.total_points,
        by=official,
    )
    rubrics[today_province.pk, CURRENT_YEAR] = current
    EvaluationCycle.objects.bulk_create(
        EvaluationCycle(province_id=p, year=y, self_assessment_due=a, review_due=b, approval_due=c)
        for p, y in rubrics
        for a, b, c in [_cycle_dates(y)]
    )

    _seed_past_years(rng=rng, centres=former, rubrics=rubrics, staff=staff, reviewer=reviewer, official=official)
    counts = _seed_current_cycle(rng=rng, centres=centres, staff=staff, reviewer=reviewer, official=official)
    log(
        f"  assessments: {len(former)} former centres × {CURRENT_YEAR - FIRST_YEAR} years; "
        f"{CURRENT_YEAR}: {len(centres)} new centres {counts}"
    )


def transition_note(centre: Centre) -> str:
    """What the new centre's 2025 self-assessment counts of its predecessors' first half (two queries; the
    sessions are reached through the centres, since evaluations sits below courses)."""
    year = REFORM_DATE.year
    first_half = Q(courses__sessions__date__year=year, courses__sessions__date__lt=REFORM_DATE)
    rows = (
        Centre.objects.filter(merged_into=centre)
        .annotate(
            sessions=Count("courses__sessions", filter=first_half),
            present=Sum("courses__sessions__present", filter=first_half),
        )
        .order_by("commune__code")
    )
    parts = [f"{r.name}: {r.sessions} buổi, {r.present or 0} lượt" for r in rows]
    second_half = Q(courses__sessions__date__year=year, courses__sessions__date__gte=REFORM_DATE)
    own = Centre.objects.filter(pk=centre.pk).aggregate(
        sessions=Count("courses__sessions", filter=second_half),
        present=Sum("courses__sessions__present", filter=second_half),
    )
    return (
        f"Năm chuyển tiếp 2025: tính cả 6 tháng đầu năm (đến 30/06/2025) của các trung tâm trước sáp nhập "
        f"({'; '.join(parts) or 'không có lớp'}) và từ 01/07/2025 của trung tâm: {own['sessions']} buổi, "
        f"{own['present'] or 0} lượt."
    )


def _actor_for(centre, step: str, staff, reviewer, official):
    """The demo account who would have done the step for this centre, or None (no account: "hệ thống")."""
    if step in ("self_save", "submit", "create"):
        return staff if staff and staff.centre_id == centre.pk else None
    if step in ("review_save", "propose"):
        return reviewer if reviewer and reviewer.office_id == centre.review_office_id else None
    return official


def _seed_past_years(*, rng, centres, rubrics, staff, reviewer, official) -> None:
    """The bulk path: the rows the services would write for an approved year, written in a few inserts."""
    assessments, plans = [], []
    parts: dict[int, tuple[list, list]] = {}  # rubric id → (criteria, thresholds), read once each
    for year in range(FIRST_YEAR, CURRENT_YEAR):
        submitted = _aware(datetime.date(year + 1, 3, 1) + datetime.timedelta(days=rng.randrange(14)))
        for centre in centres:
            rubric = rubrics[centre.commune.province_id, year]  # the centre's former province's
            if rubric.pk not in parts:
                parts[rubric.pk] = (list(rubric.criteria.all()), list(rubric.thresholds.all()))
            criteria, thresholds = parts[rubric.pk]
            review = _points(rng, criteria, _target_rating(rng, year))
            own = {
                k: min(v + HALF * rng.randrange(3), c.max_points) for c in criteria for k, v in [(c.pk, review[c.pk])]
            }
            groups: dict[int, Decimal] = {}
            for c in criteria:
                groups[c.group] = groups.get(c.group, Decimal(0)) + review[c.pk]
            rating = services.rating_for(thresholds=thresholds, total=sum(review.values()), group_totals=groups)
            proposed_at = submitted + datetime.timedelta(days=20 + rng.randrange(10))
            approved_at = proposed_at + datetime.timedelta(days=15 + rng.randrange(10))
            assessments.append(
                Assessment(
                    centre=centre,
                    year=year,
                    rubric=rubric,
                    status=Status.APPROVED,
                    version=6,
                    self_score=sum(own.values()),
                    review_score=sum(review.values()),
                    proposed_rating=rating,
                    rating=rating,
                    submitted_at=submitted,
                    proposed_at=proposed_at,
                    approved_at=approved_at,
                )
            )
            plans.append((centre, criteria, own, review, submitted, proposed_at, approved_at))
    Assessment.objects.bulk_create(assessments, batch_size=1000)

    scores, events = [], []
    for a, (centre, criteria, own, review, submitted, proposed_at, approved_at) in zip(assessments, plans, strict=True):
        codes = {c.pk: c.code for c in criteria}
        for c in criteria:
            scores.append(
                CriterionScore(
                    assessment=a, criterion=c, self_points=own[c.pk], self_note="", review_points=review[c.pk]
                )
            )
        started = submitted - datetime.timedelta(days=10)
        self_changes = {codes[k]: [None, format_points(v)] for k, v in own.items()}
        self_changes["self_score"] = [None, format_points(a.self_score)]
        review_changes = {codes[k]: [None, format_points(v)] for k, v in review.items()}
        review_changes["review_score"] = [None, format_points(a.review_score)]
        steps = [
            (Action.CREATE, started, "", Status.DRAFT, {}),
            (Action.SELF_SAVE, submitted - datetime.timedelta(hours=2), "", "", self_changes),
            (Action.SUBMIT, submitted, Status.DRAFT, Status.SUBMITTED, {}),
            (Action.REVIEW_SAVE, proposed_at - datetime.timedelta(hours=3), "", "", review_changes),
            (Action.PROPOSE, proposed_at, Status.SUBMITTED, Status.PROPOSED, {"proposed_rating": [a.rating, a.rating]}),
            (Action.APPROVE, approved_at, Status.PROPOSED, Status.APPROVED, {"rating": [None, a.rating]}),
        ]
        for action, at, before, after, changes in steps:
            events.append(
                AssessmentEvent(
                    assessment=a,
                    actor=_actor_for(centre, action, staff, reviewer, official),
                    at=at,
                    action=action,
                    from_status=before,
                    to_status=after,
                    changes=changes,
                )
            )
    CriterionScore.objects.bulk_create(scores, batch_size=2000)
    AssessmentEvent.objects.bulk_create(events, batch_size=2000)
    for (_province, year), rubric in rubrics.items():
        if year < CURRENT_YEAR:
            Rubric.objects.filter(pk=rubric.pk).update(frozen_at=_aware(datetime.date(year + 1, 3, 1)))


def _seed_current_cycle(*, rng, centres, staff, reviewer, official) -> dict[str, int]:
    """2025 through the services, stopped at a random step per centre."""
    stops = [
        (Status.DRAFT, 0.25),
        (Status.SUBMITTED, 0.25),
        (Status.PROPOSED, 0.30),
        (Status.APPROVED, 0.12),
        (Status.RETURNED, 0.08),
    ]
    counts = {s: 0 for s, _p in stops}
    for centre in centres:

        def by(step, centre=centre):
            return _actor_for(centre, step, staff, reviewer, official)

        a = services.assessment_start(centre=centre, year=CURRENT_YEAR, by=by("create"))
        if centre.commune.code == DEMO_COMMUNE_CODE:
            counts[Status.DRAFT] += 1  # demo_xa's centre: left for the whole cycle to be tried by hand
            continue
        roll, stop = rng.random(), Status.DRAFT
        for status, share in stops:
            if roll < share:
                stop = status
                break
            roll -= share
        criteria = list(a.rubric.criteria.all())
        review = _points(rng, criteria, _target_rating(rng, CURRENT_YEAR))
        if stop == Status.DRAFT:
            partial = {c.pk: PointsEntry(review[c.pk], "") for c in criteria[: rng.randrange(len(criteria))]}
            if partial:
                services.assessment_self_save(
                    assessment=a, version=a.version, entries=partial, comment="", by=by("self_save")
                )
            counts[stop] += 1
            continue
        own = {c.pk: PointsEntry(min(review[c.pk] + HALF, c.max_points), "Có biên bản, sổ theo dõi") for c in criteria}
        services.assessment_self_save(
            assessment=a, version=a.version, entries=own, comment=transition_note(centre), by=by("self_save")
        )
        services.assessment_submit(assessment=a, version=a.version, by=by("submit"))
        if stop != Status.SUBMITTED:
            entries = {c.pk: PointsEntry(review[c.pk], "") for c in criteria}
            services.assessment_review_save(
                assessment=a, version=a.version, entries=entries, comment="", by=by("review_save")
            )
            rating = services.assessment_computed_rating(assessment=a)
            services.assessment_propose(assessment=a, version=a.version, rating=rating, reason="", by=by("propose"))
            if stop == Status.APPROVED:
                services.assessment_approve(assessment=a, version=a.version, by=official)
            elif stop == Status.RETURNED:
                services.assessment_return(
                    assessment=a,
                    version=a.version,
                    reason="Thiếu biên bản họp Ban Giám đốc và sổ theo dõi lớp học; bổ sung rồi nộp lại.",
                    by=official,
                )
        counts[stop] += 1
    return {str(k): v for k, v in counts.items()}
