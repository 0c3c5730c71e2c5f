"""Reads of the needs surveys and the annual plans, and their comparison with the kept figures
(courses.CentreYearFigure: what the centre did, never recounted from sessions). Each docstring says what it
costs in queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache

from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import scoping
from centres.models import Centre
from courses.models import CentreYearFigure, ProgrammeKind
from courses.selectors import programme_kinds
from evaluations.selectors import centre_year_is_locked, locked_year_message
from planning.models import ActivityPlan, NeedGroup, NeedSurvey, NeedTally, PlanLine
from tthtcd_portal.compiled import OneRow
from tthtcd_portal.numbers import share
from tthtcd_portal.params import year_param
from tthtcd_portal.vietnamese import by_name


def _figures(centre_q, year: int) -> dict[tuple[int, int], tuple[int, int]]:
    """(centre id, kind id) → (classes, learner-participations) of `year`, from the kept figures. One query."""
    rows = (
        CentreYearFigure.objects.filter(centre_q, year=year)
        .values("centre_id", "programme_kind_id")
        .annotate(c=Sum("classes"), p=Sum("participations"))
        .order_by()
    )
    return {(r["centre_id"], r["programme_kind_id"]): (r["c"] or 0, r["p"] or 0) for r in rows}


def _shown_kinds(used: set[int]) -> list[ProgrammeKind]:
    """Kinds in report order: the active ones, and a retired one only where it has data. One query."""
    return [k for k in programme_kinds() if k.is_active or k.pk in used]


def write_refusal(*, centre: Centre, year: int, plan: ActivityPlan | None = None) -> str:
    """Why the centre's survey or plan of `year` cannot be changed now, "" when it can: the services refuse with
    it and the pages say it before anyone types. A merged or dissolved centre is read-only; a year whose rating
    the province approved is locked (as for classes); plans go no further than next year; an approved plan
    waits for the province to reopen it. One query (the lock), none for a closed centre."""
    if not centre.is_active:
        return _("Trung tâm đã sáp nhập hoặc giải thể, chỉ được xem.")
    if year > timezone.localdate().year + 1:
        return _("Chỉ lập khảo sát, kế hoạch đến năm %(year)s.") % {"year": timezone.localdate().year + 1}
    if centre_year_is_locked(centre_id=centre.pk, year=year):
        return locked_year_message(year)
    if plan is not None and plan.is_approved:
        return _(
            "Kế hoạch năm %(year)s đã được UBND xã phê duyệt (quyết định số %(number)s); chỉ được xem. "
            "Cần sửa thì đề nghị Sở GD&ĐT mở lại kế hoạch."
        ) % {"year": plan.year, "number": plan.decision_number}
    return ""


# --- One centre's survey ------------------------------------------------------------------------------------


@dataclass
class NeedRow:
    kind: ProgrammeKind
    cells: list[tuple[str, int]]  # (group, respondents) in NeedGroup order
    classes: int = 0
    participations: int = 0
    editable: bool = True  # a retired kind's old cells are shown, not offered for entry

    @property
    def total(self) -> int:
        return sum(n for _g, n in self.cells)

    @property
    def is_gap(self) -> bool:
        """Asked for, and no class of the kind that year."""
        return self.total > 0 and self.classes == 0


@dataclass
class CentreNeeds:
    survey: NeedSurvey | None
    rows: list[NeedRow]
    groups: list[tuple[str, str]] = field(default_factory=lambda: list(NeedGroup.choices))

    @property
    def group_totals(self) -> list[int]:
        return [sum(r.cells[i][1] for r in self.rows) for i in range(len(self.groups))]

    @property
    def total(self) -> int:
        return sum(r.total for r in self.rows)

    @property
    def gaps(self) -> list[NeedRow]:
        return [r for r in self.rows if r.is_gap]


def centre_needs(*, centre: Centre, year: int) -> CentreNeeds:
    """The centre's tally of `year` (kind × group) beside the classes it ran that year by kind. Four queries:
    the survey, its cells, the kept figures, the kinds."""
    survey = NeedSurvey.objects.filter(centre=centre, year=year).select_related("updated_by").first()
    cells: dict[tuple[int, str], int] = {}
    if survey is not None:
        cells = {(t.programme_kind_id, t.group): t.respondents for t in NeedTally.objects.filter(survey=survey)}
    figures = {kind: v for (_c, kind), v in _figures(Q(centre_id=centre.pk), year).items()}
    rows = []
    for kind in _shown_kinds({k for k, _g in cells} | set(figures)):
        classes, participations = figures.get(kind.pk, (0, 0))
        cells_of = [(g, cells.get((kind.pk, g), 0)) for g in NeedGroup.values]
        rows.append(NeedRow(kind, cells_of, classes, participations, editable=kind.is_active))
    return CentreNeeds(survey=survey, rows=rows)


# --- One centre's plan ------------------------------------------------------------------------------------


@dataclass
class PlanKindRow:
    """Plan and actual of one programme kind in a year."""

    kind: ProgrammeKind
    planned: int = 0
    actual: int = 0
    expected: int = 0
    participations: int = 0

    @property
    def done(self) -> Decimal | None:
        return share(self.actual, self.planned)

    @property
    def participations_done(self) -> Decimal | None:
        return share(self.participations, self.expected)


def plan_for(*, centre: Centre, year: int) -> ActivityPlan | None:
    """The centre's plan of `year`, or None. One query."""
    return _plan_queries()[0].get(centre.pk, year)


def plan_lines(plan: ActivityPlan | None) -> list[PlanLine]:
    """The plan's lines by month, with their kind. One query (none without a plan)."""
    if plan is None:
        return []
    return list(plan.lines.select_related("programme_kind").order_by("month", "programme_kind__order", "activity"))


def _totalled(rows: list[PlanKindRow]) -> PlanKindRow:
    total = PlanKindRow(kind=None)
    for row in rows:
        total.planned += row.planned
        total.actual += row.actual
        total.expected += row.expected
        total.participations += row.participations
    return total


@dataclass
class PlanActual:
    plan: ActivityPlan | None
    rows: list[PlanKindRow]

    @property
    def total(self) -> PlanKindRow:
        return _totalled(self.rows)


def _planned(centre: Centre, year: int) -> dict[int, tuple[int, int]]:
    """Kind id → (classes, expected learner-participations) of the centre's plan of `year`. One query."""
    return {kind_id: (n or 0, e or 0) for kind_id, n, e in _plan_queries()[1].all(centre.pk, year)}


@cache
def _plan_queries() -> tuple[OneRow, OneRow]:
    """plan_for's and _planned's SQL, built once per process (tthtcd_portal/compiled.py): the centre page reads
    both on every visit."""
    centre, year = Centre._meta.pk, ActivityPlan._meta.get_field("year")

    def plan(c, y):
        plans = ActivityPlan.objects.filter(centre=c, year=y).select_related("approval_recorded_by")
        return (plans if plans.ordered else plans.order_by("pk"))[:1]  # as .first()

    return (
        OneRow(plan, fields=(centre, year), markers=(-7_300_001, 7_301)),
        OneRow(
            lambda c, y: (
                PlanLine.objects.filter(plan__centre=c, plan__year=y)
                .values("programme_kind_id")
                .annotate(n=Sum("count"), e=Sum("expected"))
                .order_by()
                .values_list("programme_kind_id", "n", "e")
            ),
            fields=(centre, year),
            markers=(-7_300_002, 7_302),
        ),
    )


def plan_vs_actual(*, centre: Centre, year: int) -> PlanActual:
    """ "Kế hoạch / thực hiện" of one centre and year by programme kind: the plan's classes and expected
    learner-participations against the kept figures. Four queries: the plan, its lines summed by kind, the
    figures, the kinds."""
    plan = plan_for(centre=centre, year=year)
    planned = _planned(centre, year)
    figures = {kind: v for (_c, kind), v in _figures(Q(centre_id=centre.pk), year).items()}
    rows = []
    for kind in _shown_kinds(set(planned) | set(figures)):
        n, e = planned.get(kind.pk, (0, 0))
        c, p = figures.get(kind.pk, (0, 0))
        if n or c:
            rows.append(PlanKindRow(kind, n, c, e, p))
    return PlanActual(plan=plan, rows=rows)


def plan_vs_actual_total(*, centre: Centre, year: int, figures: dict[int, tuple[int, int]] | None = None) -> PlanActual:
    """`plan_vs_actual` for its `plan` and `total` only (the centre page's section): the same rows without their
    kinds, since every kind with a plan line or a figure is shown and a total has no order. Three queries: the
    plan, its lines summed by kind, the figures — two when the caller passes `figures` (kind id → the year's
    classes and learner-participations, from the same kept figures: the centre page has read them)."""
    plan = plan_for(centre=centre, year=year)
    planned = _planned(centre, year)
    if figures is None:
        figures = {kind: v for (_c, kind), v in _figures(Q(centre_id=centre.pk), year).items()}
    rows = []
    for kind_id in set(planned) | set(figures):
        n, e = planned.get(kind_id, (0, 0))
        c, p = figures.get(kind_id, (0, 0))
        if n or c:
            rows.append(PlanKindRow(None, n, c, e, p))
    return PlanActual(plan=plan, rows=rows)


# --- The province's overviews ------------------------------------------------------------------------------


def overview_year(params) -> int:
    """The year an overview and its export show: `nam`, else this year. No query."""
    return year_param(params.get("nam")) or timezone.localdate().year


@dataclass
class KindNeeds:
    kind: ProgrammeKind
    respondents: int = 0
    classes: int = 0
    participations: int = 0
    centres_asking: int = 0
    centres_without_class: int = 0  # the gaps: centres that asked and ran no class of the kind


@dataclass
class CentreNeedRow:
    centre: Centre
    respondents: int
    classes: int
    gaps: list[ProgrammeKind]


@dataclass
class NeedsOverview:
    year: int
    kinds: list[KindNeeds]
    centres: list[CentreNeedRow]
    without_survey: int

    @property
    def respondents(self) -> int:
        return sum(k.respondents for k in self.kinds)

    @property
    def classes(self) -> int:
        return sum(k.classes for k in self.kinds)


def needs_overview(*, user, year: int) -> NeedsOverview:
    """Needs against classes offered in the user's scope for `year`, by programme kind and by centre (commune),
    and the gaps. Five queries whatever the size: the surveys with their centres and units, the cells summed by
    centre and kind, the kept figures, the kinds, the active centres without a survey."""
    in_scope = scoping.centre_q(user, "centre__")
    surveys = list(
        NeedSurvey.objects.filter(in_scope, year=year)
        .select_related("centre__commune__district")
        .order_by(by_name("centre__name"), "centre_id")
    )
    asked: dict[int, dict[int, int]] = defaultdict(dict)
    for r in (
        NeedTally.objects.filter(survey__in=[s.pk for s in surveys])
        .values("survey__centre_id", "programme_kind_id")
        .annotate(n=Sum("respondents"))
        .order_by()
    ):
        asked[r["survey__centre_id"]][r["programme_kind_id"]] = r["n"]
    figures = _figures(in_scope, year)
    kinds = _shown_kinds({k for per in asked.values() for k in per} | {k for _c, k in figures})
    by_kind = {k.pk: KindNeeds(k) for k in kinds}
    for (_centre, kind), (c, p) in figures.items():
        if kind in by_kind:
            by_kind[kind].classes += c
            by_kind[kind].participations += p
    rows = []
    for survey in surveys:
        centre, needs = survey.centre, asked.get(survey.centre_id, {})
        gaps = []
        for kind in kinds:
            n = needs.get(kind.pk, 0)
            if not n:
                continue
            entry = by_kind[kind.pk]
            entry.respondents += n
            entry.centres_asking += 1
            if not figures.get((centre.pk, kind.pk), (0, 0))[0]:
                entry.centres_without_class += 1
                gaps.append(kind)
        classes = sum(c for (cid, _k), (c, _p) in figures.items() if cid == centre.pk)
        rows.append(CentreNeedRow(centre, sum(needs.values()), classes, gaps))
    without = (
        Centre.objects.filter(scoping.centre_q(user), status=Centre.Status.ACTIVE)
        .exclude(need_surveys__year=year)
        .count()
    )
    return NeedsOverview(year=year, kinds=list(by_kind.values()), centres=rows, without_survey=without)


@dataclass
class CentrePlanRow:
    centre: Centre
    plan: ActivityPlan
    figures: PlanKindRow


@dataclass
class PlansOverview:
    year: int
    kinds: list[PlanKindRow]
    centres: list[CentrePlanRow]
    without_plan: int

    @property
    def total(self) -> PlanKindRow:
        return _totalled(self.kinds)


def plans_overview(*, user, year: int) -> PlansOverview:
    """Plan against actual in the user's scope for `year`, by programme kind and by centre (commune), over the
    centres that have a plan. Five queries: the plans with their centres and units, the lines summed by centre
    and kind, the kept figures, the kinds, the active centres without a plan."""
    in_scope = scoping.centre_q(user, "centre__")
    plans = list(
        ActivityPlan.objects.filter(in_scope, year=year)
        .select_related("centre__commune__district")
        .order_by(by_name("centre__name"), "centre_id")
    )
    planned: dict[tuple[int, int], tuple[int, int]] = {
        (r["plan__centre_id"], r["programme_kind_id"]): (r["n"] or 0, r["e"] or 0)
        for r in PlanLine.objects.filter(plan__in=[p.pk for p in plans])
        .values("plan__centre_id", "programme_kind_id")
        .annotate(n=Sum("count"), e=Sum("expected"))
        .order_by()
    }
    planned_centres = {p.centre_id for p in plans}
    figures = {key: v for key, v in _figures(in_scope, year).items() if key[0] in planned_centres}
    kinds = _shown_kinds({k for _c, k in planned} | {k for _c, k in figures})
    by_kind = {k.pk: PlanKindRow(k) for k in kinds}
    by_centre: dict[int, PlanKindRow] = {p.centre_id: PlanKindRow(kind=None) for p in plans}
    for (centre_id, kind), (n, e) in planned.items():
        for row in (by_kind.get(kind), by_centre[centre_id]):
            if row is not None:
                row.planned += n
                row.expected += e
    for (centre_id, kind), (c, p) in figures.items():
        for row in (by_kind.get(kind), by_centre[centre_id]):
            if row is not None:
                row.actual += c
                row.participations += p
    without = (
        Centre.objects.filter(scoping.centre_q(user), status=Centre.Status.ACTIVE)
        .exclude(activity_plans__year=year)
        .count()
    )
    return PlansOverview(
        year=year,
        kinds=[r for r in by_kind.values() if r.planned or r.actual],
        centres=[CentrePlanRow(p.centre, p, by_centre[p.centre_id]) for p in plans],
        without_plan=without,
    )
