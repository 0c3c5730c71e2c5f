"""Reads of the top layer: the home page (one function per role) and the centre page. Each gathers what the
apps' own selectors already provide (no scope logic here: they take the user) and says what it costs."""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.cache import caches
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from accounts import scoping
from centres import selectors as centre_selectors
from centres.models import Rating
from courses import selectors as course_selectors
from evaluations import selectors as evaluation_selectors
from library import selectors as library_selectors
from planning import selectors as planning_selectors
from reports import audit
from reports import dashboard as report_dashboard
from resources import selectors as resource_selectors
from tthtcd_portal.numbers import percent_change

OVERDUE_SHOWN = 5


@dataclass
class StaffHome:
    centre: object
    year: int
    cycle_year: int
    recent_classes: list
    roster_classes: list
    assessment: object | None
    cycle: object | None
    this_year: report_dashboard.Figures  # 1/1 to today
    same_period: course_selectors.PeriodFigures  # last year, 1/1 to the same day
    last_year: report_dashboard.Figures  # the whole of last year
    area_average: dict
    area_label: str
    can_edit: bool
    today: datetime.date

    @property
    def self_assessment_overdue(self) -> bool:
        """Past the province's deadline and not yet submitted."""
        waiting = self.assessment is None or self.assessment.self_editable
        return waiting and self.cycle is not None and self.today > self.cycle.self_assessment_due


def staff_home(*, user, today: datetime.date) -> StaffHome:
    """Centre staff: their centre, its latest classes (for "add a session" / attendance), the self-assessment
    of the current cycle year and its deadline, this year's figures so far against the same days of last year
    and the whole of last year, and the district's average. Seven queries: the centre with its units, latest
    classes, roster classes open for attendance, the centre's record (`centre_record`: its assessments, figures
    and the district's sums, one query while the data is unchanged), the cycle's deadlines, last year's sessions
    and classes up to today's date."""
    centre = centre_selectors.centre_for_user(user, user.centre_id)
    cycle_year = report_dashboard.current_cycle_year(today)
    record = centre_record(centre=centre, today=today)
    assessments, comparison = record.assessments, record.comparison
    return StaffHome(
        centre=centre,
        year=today.year,
        cycle_year=cycle_year,
        recent_classes=course_selectors.centre_recent_courses(user=user, centre=centre, limit=4),
        roster_classes=course_selectors.centre_open_roster_courses(centre=centre, today=today),
        assessment=next((a for a in assessments if a.year == cycle_year), None),
        cycle=evaluation_selectors.evaluation_cycle(province_id=centre.commune.province_id, year=cycle_year),
        this_year=comparison.own.get(today.year, report_dashboard.Figures()),
        same_period=course_selectors.centre_period_figures(
            centre=centre,
            start=datetime.date(today.year - 1, 1, 1),
            end=course_selectors.same_day_a_year_before(today),
        ),
        last_year=comparison.own.get(today.year - 1, report_dashboard.Figures()),
        area_average=comparison.area_average.get(today.year, {}),
        area_label=comparison.area_label,
        can_edit=scoping.can_edit_centre(user, centre),
        today=today,
    )


@dataclass
class ReviewerHome:
    cycle_year: int
    centres: int
    by_status: list[tuple[str, str, int]]  # (status, label, count), "not started" first
    cycle: object | None
    overdue: list = field(default_factory=list)

    @property
    def overdue_shown(self) -> list:
        return self.overdue[:OVERDUE_SHOWN]


def reviewer_home(*, user, today: datetime.date) -> ReviewerHome:
    """A reviewer: their office's assessments of the current cycle year by status, and the centres behind the
    deadlines. Five queries: centres per office, assessments per status (province_overview), the cycle,
    the centres with that year's assessments (overdue)."""
    cycle_year = report_dashboard.current_cycle_year(today)
    offices = evaluation_selectors.province_overview(user=user, year=cycle_year)
    centres = sum(o.centres for o in offices)
    counts = {}
    for office in offices:
        for status, n in office.by_status.items():
            counts[status] = counts.get(status, 0) + n
    not_started = centres - sum(counts.values())
    by_status = [("", _("Chưa bắt đầu"), not_started)] + [
        (status.value, status.label, counts.get(status.value, 0)) for status in evaluation_selectors.Status
    ]
    cycle, overdue = evaluation_selectors.overdue(user=user, year=cycle_year, today=today)
    return ReviewerHome(cycle_year=cycle_year, centres=centres, by_status=by_status, cycle=cycle, overdue=overdue)


@dataclass
class Headline:
    label: str
    now: int
    before: int
    # Centres across the reform: (former centres, to 30/06/2025; new centres, from 01/07/2025) when a period has
    # both, so that "485" reads "381 đến 30/06, 104 từ 01/07" (a centre is never counted twice).
    now_split: tuple[int, int] | None = None
    before_split: tuple[int, int] | None = None

    @property
    def change(self) -> Decimal | None:
        """Change on last year in percent (None without last year, and for centres counted across the merger:
        485 centres of 2025 against 104 of 2026 is the reform, not a fall of 78,6 %)."""
        if self.before_split and not self.now_split:
            return None
        return percent_change(self.now, self.before)


@dataclass
class ProvinceHome:
    year: int
    cycle_year: int
    headlines: list[Headline]  # this year up to `today` against the same period of last year
    rated_now: report_dashboard.Figures  # the current cycle year's approved ratings
    rated_before: report_dashboard.Figures
    proposed: int
    centres_total: int = 0  # the official's centres open on 31/12 of the cycle year: what its share of Tốt is a part of
    centres_total_before: int = 0  # the same for the year before (2024: the former centres; 2025: the new ones)
    today: datetime.date | None = None

    @property
    def tot_change(self) -> Decimal | None:
        """Change of the share of Tốt in points."""
        now, before = self.rated_now.tot_share, self.rated_before.tot_share
        return None if now is None or before is None else now - before


def _split(old: int, new: int) -> tuple[int, int] | None:
    return (old, new) if old and new else None


def province_home(*, user, today: datetime.date) -> ProvinceHome:
    """A provincial official: this year so far against last year (centres with activity, sessions,
    participations), the share of Tốt of the current cycle year against the year before, and the ratings
    waiting for approval. Seven queries: provinces merged into theirs (scoping), centres, figures, approved
    ratings (the dashboard's three reads), last year's sessions up to today's date (the same period), centres
    per office and assessments per status."""
    from django.utils.translation import gettext as _

    cycle_year = report_dashboard.current_cycle_year(today)
    filters = report_dashboard.DashboardFilters(year_from=cycle_year, year_to=today.year)
    board = report_dashboard.dashboard(scope=scoping.centre_q(user), filters=filters)
    now = board.totals.at(today.year)
    # The year in progress against the same days of last year (1/1 to the same date), never a whole year.
    before = board.totals.before_period
    rated_now, rated_before = board.totals.at(cycle_year), board.totals.at(cycle_year - 1)
    by_era, before_by_era = board.centres_with_figures(today.year), board.period_centres_by_era()
    offices = evaluation_selectors.province_overview(user=user, year=cycle_year)
    return ProvinceHome(
        year=today.year,
        cycle_year=cycle_year,
        headlines=[
            Headline(
                _("Trung tâm"),
                now.centres,
                before.centres,
                now_split=_split(by_era["old"], by_era["new"]),
                before_split=_split(before_by_era["old"], before_by_era["new"]),
            ),
            Headline(_("Buổi học"), now.sessions, before.sessions),
            Headline(_("Lượt người học"), now.participations, before.participations),
        ],
        rated_now=rated_now,
        rated_before=rated_before,
        proposed=sum(o.proposed for o in offices),
        centres_total=len(board.centres_in(cycle_year)),
        centres_total_before=len(board.centres_in(cycle_year - 1)),
        today=today,
    )


@dataclass
class PredecessorRow:
    centre: object
    totals: object | None  # courses.selectors.CentreTotals
    rating_year: int | None
    rating_label: str


def predecessors_with_record(centre) -> QuerySet:
    """The centres merged into `centre`, each with its kept figures over its years and its latest approved
    rating as correlated subqueries: read by `centres.selectors.centre_page` in its one predecessors query, so a
    centre with ten predecessors costs the same queries as one without."""
    return evaluation_selectors.with_latest_approved_rating(
        course_selectors.with_figure_totals(centre_selectors.predecessors_of(centre))
    )


def predecessor_rows(predecessors: list) -> list[PredecessorRow]:
    """The centres merged into this one (read by `predecessors_with_record`), each with its kept figures over
    its years and its latest approved rating: the new centre's staff see their predecessors' record (read-only)
    on their own page. No query."""
    labels = dict(Rating.choices)
    return [
        PredecessorRow(
            p, course_selectors.figure_totals(p), p.latest_rating_year, labels.get(p.latest_rating or "", "")
        )
        for p in predecessors
    ]


# The registry's own kinds of change: the centre page's history section (the audit trail has them all).
CENTRE_HISTORY_KINDS = ("trung-tam", "ban-giam-doc", "giang-vien", "phan-cong", "thiet-bi")
CENTRE_HISTORY_SHOWN = 40


RESOURCE_YEARS_SHOWN = 3  # the centre page's contributions: the latest years (the resources page has every year)


@dataclass
class CentreRecord:
    """What a centre's page and its staff's home show that changes only with the data the dashboards' stamp
    covers (figures, assessments, the centres and their names): kept as objects, read-only for whoever reads."""

    assessments: list  # evaluations.Assessment, newest year first
    comparison: report_dashboard.CentreComparison  # the last RECORD_YEARS years against the area's average
    predecessors: list  # predecessors_with_record(centre), read


RECORD_YEARS = 6  # the centre page's figures table: the last five years and this one


def centre_record(*, centre, today: datetime.date) -> CentreRecord:
    """The centre's assessments, its figures by year against its area's average per centre (with the ratings
    approved), and the centres merged into it with their record: kept under the data stamp of the centres whose
    figures it reads (the centre, its area's, its predecessors), so while nothing they depend on changed it costs
    one query (reports.dashboard.data_stamp), else that one and five: assessments, figures, the area's sums, the
    predecessors (the two of centre_comparison, predecessors_with_record's one). The key holds the centre, its
    area and the years; the stamp the rest (a save, an approval, a renamed or merged centre or unit)."""
    district_id, province_id = centre.commune.district_id, centre.commune.province_id
    area = Q(commune__district_id=district_id) if district_id else Q(commune__province_id=province_id)
    stamp = report_dashboard.data_stamp(Q(pk=centre.pk) | Q(merged_into=centre.pk) | area)
    years = (today.year - RECORD_YEARS + 1, today.year)
    key_source = repr((centre.pk, district_id, province_id, years, stamp))
    key = "portal:centre-record:" + hashlib.sha256(key_source.encode()).hexdigest()
    cache = caches["records"]
    record = cache.get(key)
    if record is None:
        assessments = evaluation_selectors.centre_assessments(centre=centre)
        filters = report_dashboard.DashboardFilters(year_from=years[0], year_to=years[1])
        comparison = report_dashboard.centre_comparison(
            centre=centre, filters=filters, ratings=evaluation_selectors.approved_ratings(assessments)
        )
        record = CentreRecord(assessments, comparison, list(predecessors_with_record(centre)))
        cache.set(key, record, settings.DASHBOARD_CACHE_SECONDS)
    return record


def centre_page(*, user, centre, board_date: datetime.date, today: datetime.date) -> dict:
    """Everything the centre page shows besides the centre itself, as template variables. Queries, whatever
    the number of rows: the centre's record (`centre_record`: its assessments, also the figures table's
    ratings; its figures and its district's sums; its predecessors with their figures and latest rating — one
    query while the data is unchanged); the registry's two (board, instructors); the latest classes (one);
    this year's plan against actual (two: the plan, its lines by kind; the actual from the record's figures);
    the change history through the audit trail's reader (one for the keys, one per kind shown); the equipment
    (one); the library's section (four); the contributions by source and year (one). A merged centre costs
    what a plain one does."""
    record = centre_record(centre=centre, today=today)
    comparison = record.comparison
    data = centre_selectors.centre_page(centre=centre, board_date=board_date, predecessors=record.predecessors)
    actual = {kind_id: (f.classes, f.participations) for kind_id, f in comparison.by_kind_id.items()}
    return {
        "data": data,
        "predecessors": predecessor_rows(data.predecessors),
        "comparison": comparison,
        "rows": comparison.year_rows(),
        "recent_classes": course_selectors.centre_recent_courses(user=user, centre=centre),
        "can_add_class": scoping.can_edit_centre(user, centre),
        "assessments": record.assessments,
        "plan_year": today.year,
        "plan_actual": planning_selectors.plan_vs_actual_total(centre=centre, year=today.year, figures=actual),
        "equipment": centre_selectors.centre_equipment(centre=centre),
        "library": library_selectors.centre_library_summary(centre=centre, year=today.year),
        "totals_by_year": resource_selectors.centre_totals_by_year(centre=centre)[:RESOURCE_YEARS_SHOWN],
        "history": audit.recent_entries(
            user=user, filters=audit.AuditFilters(centre=centre, kinds=CENTRE_HISTORY_KINDS), limit=CENTRE_HISTORY_SHOWN
        ),
    }


# --- What was deleted (archived), for the restore page -----------------------------------------------------------

ARCHIVE_SHOWN = 100


@dataclass
class Removed:
    """One archived object as the restore page lists it."""

    kind: str  # the restore URL's kind: lop, buoi, hoc-vien, ghi-danh, ban-giam-doc
    kind_label: str
    pk: int
    label: str
    centre: object
    archived_at: datetime.datetime
    archived_by: object | None
    with_it: str = ""  # what was removed with it ("12 buổi học, 25 ghi danh")


def removed_in_scope(*, user) -> list[Removed]:
    """What was deleted in the user's scope, newest first (the latest ARCHIVE_SHOWN of each kind): a session or an
    enrolment only when deleted on its own (one removed with its class or learner comes back with it). Five
    queries, one per kind, each with its centre and who deleted it joined and what went with it counted in a
    correlated subquery."""
    from django.db.models import Count, IntegerField, OuterRef, Subquery
    from django.db.models.functions import Coalesce

    from centres.models import BoardMember
    from courses.models import ClassSession, Course, Enrolment, Learner

    def scoped(model, path, *related, **live_parents):
        qs = scoping.scoped(user, model.all_objects.archived().filter(**live_parents), path)
        return qs.select_related("archived_by", *related).order_by("-archived_at", "-pk")

    def counted(model, parent):
        together = (
            model.all_objects.filter(**{parent: OuterRef("pk")}, archived_at=OuterRef("archived_at"))
            .order_by()
            .values(parent)
            .annotate(n=Count("pk"))
            .values("n")
        )
        return Coalesce(Subquery(together, output_field=IntegerField()), 0)

    rows: list[Removed] = []
    courses = scoped(Course, "centre", "centre").annotate(
        n_sessions=counted(ClassSession, "course"), n_enrolments=counted(Enrolment, "course")
    )
    for c in courses[:ARCHIVE_SHOWN]:
        parts = [_("%(n)s buổi học") % {"n": c.n_sessions}] if c.n_sessions else []
        parts += [_("%(n)s ghi danh") % {"n": c.n_enrolments}] if c.n_enrolments else []
        rows.append(
            Removed("lop", _("Lớp học"), c.pk, c.title, c.centre, c.archived_at, c.archived_by, ", ".join(parts))
        )
    sessions = scoped(ClassSession, "course__centre", "course__centre", course__archived_at=None)
    for s in sessions[:ARCHIVE_SHOWN]:
        label = f"{s.course.title} – {s.date:%d/%m/%Y}"
        rows.append(Removed("buoi", _("Buổi học"), s.pk, label, s.course.centre, s.archived_at, s.archived_by))
    learners = scoped(Learner, "centre", "centre").annotate(n_enrolments=counted(Enrolment, "learner"))
    for lr in learners[:ARCHIVE_SHOWN]:
        with_it = _("%(n)s ghi danh") % {"n": lr.n_enrolments} if lr.n_enrolments else ""
        rows.append(
            Removed("hoc-vien", _("Người học"), lr.pk, lr.full_name, lr.centre, lr.archived_at, lr.archived_by, with_it)
        )
    enrolments = scoped(
        Enrolment, "course__centre", "course__centre", "learner", course__archived_at=None, learner__archived_at=None
    )
    for e in enrolments[:ARCHIVE_SHOWN]:
        label = f"{e.learner.full_name} – {e.course.title}"
        rows.append(Removed("ghi-danh", _("Ghi danh"), e.pk, label, e.course.centre, e.archived_at, e.archived_by))
    for m in scoped(BoardMember, "centre", "centre")[:ARCHIVE_SHOWN]:
        label = f"{m.full_name} ({m.get_position_display()})"
        rows.append(Removed("ban-giam-doc", _("Ban Giám đốc"), m.pk, label, m.centre, m.archived_at, m.archived_by))
    rows.sort(key=lambda r: (r.archived_at, r.pk), reverse=True)
    return rows
