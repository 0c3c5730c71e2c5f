"""The dashboard engine: filters, figures, cache and data stamp. Reads only the per-centre-per-year figures
and the assessments, never sessions.

Every function here runs a fixed number of queries whatever the data size (each docstring says how many),
reads through `read_db()` (the replica when one is configured) and takes the user's scope as a Q on Centre
from `accounts.scoping.centre_q`, so a request-free caller (the benchmark) passes its own Q.

History: a centre never changes commune and a commune never changes district, so grouping a year's figures
by the centre's commune's district counts them under the units as they were that year. Centres of the
2-tier communes (from 1 July 2025, no district) are grouped by their commune, or — with the "former district"
grouping — by the district of the communes (or centres) they were merged from.
"""

from __future__ import annotations

import datetime
import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.cache import caches
from django.db import connections
from django.db.models import Count, Max, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext

from centres.models import Centre
from courses.figures import FIGURE_FIELDS, Counts, figure_sums
from courses.models import CentreYearFigure
from evaluations.models import Assessment, Rating
from tthtcd_portal.db_router import read_db
from tthtcd_portal.numbers import largest_remainder, percent_change, share
from tthtcd_portal.vietnamese import by_name
from units.models import Commune

GROUP_THEN = "then"  # units as they were that year (districts; 2-tier communes after the reform)
GROUP_FORMER = "former"  # 2-tier communes rolled up to the district they came from
GROUPINGS = (GROUP_THEN, GROUP_FORMER)
RATINGS = [value for value, _label in Rating.choices]
FIRST_YEAR = 2010
MISSING_SESSION_DAYS = 30


@dataclass(frozen=True)
class DashboardFilters:
    year_from: int
    year_to: int
    programme_kind_id: int | None = None
    base_year: int | None = None
    grouping: str = GROUP_THEN

    @property
    def years(self) -> list[int]:
        return list(range(self.year_from, self.year_to + 1))

    @property
    def years_to_read(self) -> list[int]:
        """The shown years, the year before the first (for its change) and the base year."""
        years = set(range(self.year_from - 1, self.year_to + 1))
        if self.base_year:
            years.add(self.base_year)
        return sorted(years)


def default_filters(today: datetime.date | None = None) -> DashboardFilters:
    today = today or timezone.localdate()
    last = today.year - 1
    return DashboardFilters(year_from=last - 4, year_to=last, base_year=last - 4)


def current_cycle_year(today: datetime.date | None = None) -> int:
    """The year whose self-assessment is due now: centres assess year Y early in Y+1 (DOMAIN.md)."""
    today = today or timezone.localdate()
    return today.year - 1


class Figures(Counts):
    """A row's figures for a year: the five counts (courses.figures), the centres counted and their approved
    ratings."""

    def __init__(self, *, centres: int = 0, ratings: Counter | None = None, **counts: int) -> None:
        super().__init__(**counts)
        self.centres = centres
        self.ratings = Counter(ratings or {})

    def add(self, other: Figures) -> None:
        super().add(other)
        self.centres += other.centres
        self.ratings.update(other.ratings)

    @property
    def per_centre(self) -> Decimal | None:
        if not self.centres:
            return None
        return (Decimal(self.participations) / self.centres).quantize(Decimal("1"))

    @property
    def rated(self) -> int:
        return sum(self.ratings.values())

    @property
    def rating_counts(self) -> list[int]:
        return [self.ratings.get(r, 0) for r in RATINGS]

    @property
    def rating_percents(self) -> list[Decimal]:
        return largest_remainder(self.rating_counts)

    @property
    def tot_share(self) -> Decimal | None:
        return share(self.ratings.get(Rating.TOT, 0), self.rated)


@dataclass(frozen=True)
class CentreInfo:
    id: int
    name: str
    status: str
    commune_id: int
    commune_name: str
    district_id: int | None
    district_name: str | None
    former_district_id: int | None
    former_district_name: str | None

    def group_key(self, grouping: str) -> tuple[str, int, str]:
        """(kind, id, label) of the row this centre's figures count under."""
        if self.district_id:
            return ("district", self.district_id, self.district_name or "")
        if grouping == GROUP_FORMER and self.former_district_id:
            return ("district", self.former_district_id, self.former_district_name or "")
        return ("commune", self.commune_id, self.commune_name)


@dataclass
class Row:
    kind: str  # district, commune or centre
    id: int
    label: str
    url: str | None
    by_year: dict[int, Figures]
    centre_ids: list[int] = field(default_factory=list)

    def at(self, year: int | None) -> Figures:
        return self.by_year.get(year, Figures()) if year else Figures()


CHART_SERIES = 10  # lines in one chart at most: the largest nine and "Khác"


@dataclass
class Dashboard:
    filters: DashboardFilters
    rows: list[Row]
    totals: Row
    row_level: str  # "group" (by district/commune) or "centre"
    centres: list[CentreInfo] = field(default_factory=list)  # the centres of the rows (missing-data lists)
    # Set by dashboard(): the cache key of this computation, and its tables computed once (see derived()).
    cache_key: str = ""
    tables: dict = field(default_factory=dict)

    def derived(self) -> dict:
        """The page's tables and chart data, computed once per cached dashboard."""
        if not self.tables:
            self.tables = {
                "summary": self.summary(),
                "ratings": self.rating_table(),
                "trend": self.participation_trend(),
                "tot_trend": self.tot_share_trend(),
                "chart_data": self.chart_data(),
            }
        return self.tables

    @property
    def years(self) -> list[int]:
        return self.filters.years

    def summary(self, year: int | None = None) -> list[dict]:
        """The main table for `year` (the last year shown): one dict per row, then the totals."""
        year = year or self.filters.year_to
        out = []
        for row in [*self.rows, self.totals]:
            if row is not self.totals and self.row_level == "group" and year not in row.by_year:
                continue  # a unit with no figure and no rating that year (a former district after the reform)
            now = row.at(year)
            before = row.by_year.get(year - 1)
            base = row.by_year.get(self.filters.base_year) if self.filters.base_year else None
            out.append(
                {
                    "row": row,
                    "is_total": row is self.totals,
                    "figures": now,
                    "change_previous": percent_change(now.participations, before.participations if before else None),
                    "change_base": percent_change(now.participations, base.participations if base else None),
                    "tot_change_base": (
                        now.tot_share - base.tot_share
                        if base is not None and now.tot_share is not None and base.tot_share is not None
                        else None
                    ),
                }
            )
        return out

    def rating_table(self, year: int | None = None) -> list[dict]:
        year = year or self.filters.year_to
        out = []
        for row in [*self.rows, self.totals]:
            f = row.at(year)
            out.append(
                {
                    "row": row,
                    "is_total": row is self.totals,
                    "rated": f.rated,
                    "cells": list(zip(f.rating_counts, f.rating_percents, strict=True)),
                }
            )
        return out

    def participation_trend(self) -> list[dict]:
        return [
            {"row": row, "is_total": row is self.totals, "values": [row.at(y).participations for y in self.years]}
            for row in [*self.rows, self.totals]
        ]

    def tot_share_trend(self) -> list[dict]:
        return [
            {
                "year": y,
                "rated": self.totals.at(y).rated,
                "tot": self.totals.at(y).ratings.get(Rating.TOT, 0),
                "share": self.totals.at(y).tot_share,
            }
            for y in self.years
        ]

    def chart_data(self) -> dict:
        """What charts.js draws; the same figures as the tables beside the charts. More than CHART_SERIES units
        (a province's 242 communes) would be lines nobody can tell apart, with a legend longer than a phone's
        screen: the largest (by their total over the years) are drawn, the others summed as "Khác"."""
        series = [
            {"label": r["row"].label, "values": r["values"]} for r in self.participation_trend() if not r["is_total"]
        ]
        if len(series) > CHART_SERIES:
            series.sort(key=lambda s: -sum(s["values"]))
            rest = series[CHART_SERIES - 1 :]
            series = series[: CHART_SERIES - 1] + [
                {"label": gettext("Khác"), "values": [sum(v) for v in zip(*(s["values"] for s in rest), strict=True)]}
            ]
        return {
            "years": self.years,
            "participation": series,
            "tot_share": [float(t["share"]) if t["share"] is not None else None for t in self.tot_share_trend()],
            "tot_label": gettext("Tốt (%)"),
        }


def centre_url(centre_id: int) -> str:
    """The centre's record when the registry provides it, else its figures page here."""
    try:
        return reverse("centres:detail", args=[centre_id])
    except NoReverseMatch:
        return reverse("reports:centre", args=[centre_id])


def _in_scope(scope: Q, **extra) -> Q:
    """The scope as a filter on `centre`: a subquery, so the read runs (one query) even for an empty scope."""
    return Q(centre__in=Centre.objects.filter(scope, **extra).values("pk"))


def centres_info(*, scope: Q) -> list[CentreInfo]:
    """Centres in scope with their commune, district and former district. One query (correlated
    subqueries find the former district through the merged communes, else through the merged centres)."""
    pred_commune = Commune.objects.filter(merged_into=OuterRef("commune_id"), district__isnull=False).order_by(
        "district__code"
    )
    pred_centre = Centre.objects.filter(merged_into=OuterRef("pk"), commune__district__isnull=False).order_by(
        "commune__district__code"
    )
    rows = (
        Centre.objects.using(read_db())
        .filter(scope)
        .annotate(
            former_id=Coalesce(
                Subquery(pred_commune.values("district_id")[:1]),
                Subquery(pred_centre.values("commune__district_id")[:1]),
            ),
            former_name=Coalesce(
                Subquery(pred_commune.values("district__name")[:1]),
                Subquery(pred_centre.values("commune__district__name")[:1]),
            ),
        )
        .order_by("commune__district__code", "commune__code", by_name())
        .values_list(
            "id",
            "name",
            "status",
            "commune_id",
            "commune__name",
            "commune__district_id",
            "commune__district__name",
            "former_id",
            "former_name",
        )
    )
    return [CentreInfo(*r) for r in rows]


def _figures_by_centre_year(*, scope_prefixed: Q, filters: DashboardFilters) -> dict[tuple[int, int], Figures]:
    """One query: sums per centre and year over the programme kinds asked for."""
    qs = CentreYearFigure.objects.using(read_db()).filter(scope_prefixed, year__in=filters.years_to_read)
    if filters.programme_kind_id:
        qs = qs.filter(programme_kind_id=filters.programme_kind_id)
    rows = qs.values("centre_id", "year").annotate(**figure_sums())
    return {(r["centre_id"], r["year"]): Figures.from_sums(r, centres=1) for r in rows.order_by()}


def _approved_ratings(*, scope_prefixed: Q, years: list[int]) -> list[tuple[int, int, str]]:
    """One query: (centre, year, official rating) of approved assessments."""
    return list(
        Assessment.objects.using(read_db())
        .filter(scope_prefixed, year__in=years, status=Assessment.Status.APPROVED)
        .order_by()
        .values_list("centre_id", "year", "rating")
    )


def _stamp_parts() -> list[str]:
    """The scalar subqueries of the data stamp: the figures' row count, sums and latest change, and the
    assessments' count and summed versions (every save and approval moves a version). Equal stamps, equal
    data; the dashboards' cache key, so a session saved now shows on the next load. The sums catch a change
    whose transaction committed after a later one (its updated_at then hides behind the later maximum).
    The scope and the names are in it too (issue 14, item 8): the centres' history (a centre moved to another
    reviewing office leaves the former reviewer's dashboard at once; a renamed centre shows its new name) and
    sums over communes and districts. Costs a scan of the figures table (~45,000 rows a province-decade: a few
    ms), of the centres' history and of the communes (~10,000 in the country), not of the sessions."""
    figures = CentreYearFigure._meta.db_table
    sums = "".join(
        f" || ':' || COALESCE(SUM({CentreYearFigure._meta.get_field(name).column}), 0)" for name in FIGURE_FIELDS
    )
    assessments = Assessment._meta.db_table
    return [
        f"(SELECT COUNT(*){sums} FROM {figures})",  # table and column names from the models
        f"(SELECT MAX(updated_at) FROM {figures})",
        f"(SELECT COUNT(*) FROM {assessments})",
        f"(SELECT COALESCE(SUM(version), 0) FROM {assessments})",
        # Who sees which centre, and under which names: every change of a centre (a new reviewing office,
        # a new name, a merger) adds a history row; communes moving district, province or into another
        # commune, and renamed communes and districts, move these sums.
        "(SELECT COUNT(*) || ':' || COALESCE(MAX(history_id), 0) FROM centres_historicalcentre)",
        "(SELECT COUNT(*) || ':' || COALESCE(SUM(district_id), 0) || ':' || COALESCE(SUM(province_id), 0)"
        " || ':' || COALESCE(SUM(merged_into_id), 0) || ':' || COALESCE(SUM(LENGTH(name)), 0) FROM units_commune)",
        "(SELECT COUNT(*) || ':' || COALESCE(SUM(LENGTH(name)), 0) FROM units_district)",
    ]


# PostgreSQL: the snapshot the last scan of this process was read in, and that scan's stamp, per database alias.
_last_scan: dict[str, tuple[str, tuple]] = {}
_UNCHANGED = "pg_current_snapshot()::text = %s AND pg_current_xact_id_if_assigned() IS NULL"


def data_stamp() -> tuple:
    """What the dashboards depend on (_stamp_parts), in one query.

    On PostgreSQL the scan is skipped while the database's snapshot is the one the last scan of this process
    was read in (issue 18): `pg_current_snapshot()` names the transactions whose writes are visible, so an
    equal snapshot sees exactly the same rows and the last stamp still holds. Any commit since (of anything)
    changes the snapshot and the scan runs; so does a transaction that has written itself (its own changes do
    not show in the snapshot). The skipped subqueries are never run (PostgreSQL evaluates a CASE branch's
    subquery only when the branch is taken), so an unchanged snapshot costs a fraction of a millisecond."""
    alias = read_db()
    parts = _stamp_parts()
    with connections[alias].cursor() as cursor:
        if connections[alias].vendor != "postgresql":
            cursor.execute("SELECT " + ", ".join(parts))
            return tuple(str(value) for value in cursor.fetchone())
        last_snapshot, last_stamp = _last_scan.get(alias, ("", ()))
        columns = [f"CASE WHEN {_UNCHANGED} THEN NULL ELSE {part} END" for part in parts]
        cursor.execute(
            f"SELECT pg_current_snapshot()::text, pg_current_xact_id_if_assigned() IS NULL, {_UNCHANGED}, "
            + ", ".join(columns),
            [last_snapshot] * (len(parts) + 1),
        )
        snapshot, untouched, unchanged, *values = cursor.fetchone()
    if unchanged and last_stamp:
        return last_stamp
    stamp = tuple(str(value) for value in values)
    if untouched:
        _last_scan[alias] = (snapshot, stamp)
    return stamp


def dashboard(
    *,
    scope: Q,
    filters: DashboardFilters,
    by_centre: bool = False,
    only_group: tuple[str, int] | None = None,
) -> Dashboard:
    """The dashboard, from the cache when nothing it depends on changed (one query: data_stamp), else computed
    (dashboard_compute) and kept for DASHBOARD_CACHE_SECONDS. The key holds the scope, the filters, the
    language and the data stamp, so one user's figures never reach another scope and are never stale."""
    key_source = repr((str(scope), filters, by_centre, only_group, get_language(), data_stamp()))
    key = "reports:dashboard:" + hashlib.sha256(key_source.encode()).hexdigest()
    cache = caches["objects"]  # kept as the object itself: unpickling a board cost more than its queries
    board = cache.get(key)
    if board is None:
        board = dashboard_compute(scope=scope, filters=filters, by_centre=by_centre, only_group=only_group)
        board.cache_key = key
        board.derived()
        cache.set(key, board, settings.DASHBOARD_CACHE_SECONDS)
    return board


def dashboard_compute(
    *,
    scope: Q,
    filters: DashboardFilters,
    by_centre: bool = False,
    only_group: tuple[str, int] | None = None,
) -> Dashboard:
    """Figures by district (or by centre) and year, with totals and rating distributions. Three queries:
    the centres in scope with their units, the figures summed per centre and year, the approved ratings.

    `scope` is a Q on Centre (centre_q(user) or, without a request, Q(commune__province_id=…)).
    `only_group` keeps the centres whose group under the chosen grouping is (kind, id): the district page.
    """
    centres = centres_info(scope=scope)
    scope_prefixed = _in_scope(scope)
    figures = _figures_by_centre_year(scope_prefixed=scope_prefixed, filters=filters)
    ratings = _approved_ratings(scope_prefixed=scope_prefixed, years=filters.years_to_read)

    rows: dict[tuple[str, int], Row] = {}
    row_of_centre: dict[int, Row] = {}
    for c in centres:
        kind, gid, label = c.group_key(filters.grouping)
        if only_group and (kind, gid) != only_group:
            continue
        if by_centre:
            key = ("centre", c.id)
            if key not in rows:
                rows[key] = Row("centre", c.id, c.name, reverse("reports:centre", args=[c.id]), {}, [c.id])
        else:
            key = (kind, gid)
            if key not in rows:
                url = reverse("reports:district", args=[gid]) if kind == "district" else None
                rows[key] = Row(kind, gid, label, url, {})
            rows[key].centre_ids.append(c.id)
        row_of_centre[c.id] = rows[key]
    for row in rows.values():
        if row.kind == "commune" and len(row.centre_ids) == 1:
            row.url = reverse("reports:centre", args=[row.centre_ids[0]])  # the centre's figures, same filters

    totals = Row("total", 0, "", None, {})
    for (centre_id, year), f in figures.items():
        row = row_of_centre.get(centre_id)
        if row is None:
            continue
        row.by_year.setdefault(year, Figures()).add(f)
        totals.by_year.setdefault(year, Figures()).add(f)
    for centre_id, year, rating in ratings:
        row = row_of_centre.get(centre_id)
        if row is None:
            continue
        row.by_year.setdefault(year, Figures()).ratings[rating] += 1
        totals.by_year.setdefault(year, Figures()).ratings[rating] += 1
    return Dashboard(
        filters=filters,
        rows=list(rows.values()),
        totals=totals,
        row_level="centre" if by_centre else "group",
        centres=[c for c in centres if c.id in row_of_centre],
    )


def province_dashboard(*, province_id: int, filters: DashboardFilters) -> Dashboard:
    """The province dashboard without a request (the benchmark calls this). Three queries."""
    return dashboard(scope=Q(commune__province_id=province_id), filters=filters)


# --- Missing data ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MissingData:
    no_recent_session: list[tuple[CentreInfo, datetime.date | None]]
    not_submitted: list[tuple[CentreInfo, str | None]]
    cycle_year: int
    since: datetime.date


def missing_data(*, scope: Q, centres: list[CentreInfo], today: datetime.date, cycle_year: int) -> MissingData:
    """Active centres with no session in the last 30 days and without a submitted self-assessment for
    `cycle_year`. Two queries (the latest session date per centre from the yearly figures; the
    assessments of the cycle year)."""
    active = [c for c in centres if c.status == Centre.Status.ACTIVE]
    in_scope = _in_scope(scope, status=Centre.Status.ACTIVE)
    since = today - datetime.timedelta(days=MISSING_SESSION_DAYS)
    last = dict(
        CentreYearFigure.objects.using(read_db())
        .filter(in_scope, year__gte=since.year)
        .order_by()
        .values("centre_id")
        .annotate(last=Max("last_session_date"))
        .values_list("centre_id", "last")
    )
    statuses = dict(
        Assessment.objects.using(read_db())
        .filter(in_scope, year=cycle_year)
        .order_by()
        .values_list("centre_id", "status")
    )
    unsubmitted = {None, Assessment.Status.DRAFT, Assessment.Status.RETURNED}
    return MissingData(
        no_recent_session=[(c, last.get(c.id)) for c in active if not last.get(c.id) or last[c.id] < since],
        not_submitted=[(c, statuses.get(c.id)) for c in active if statuses.get(c.id) in unsubmitted],
        cycle_year=cycle_year,
        since=since,
    )


# --- One centre against its district ---------------------------------------------------------------


@dataclass
class CentreComparison:
    centre: Centre
    years: list[int]
    own: dict[int, Figures]
    area_average: dict[int, dict[str, Decimal | None]]
    area_label: str
    by_kind: list[tuple[str, Figures]]
    ratings: dict[int, str]

    def year_rows(self) -> list[dict]:
        """One dict per year for the table (the reports page and the registry's centre page share it):
        the centre's figures, the area's average per centre and the approved rating's label."""
        labels = dict(Rating.choices)
        return [
            {
                "year": year,
                "own": self.own.get(year, Figures()),
                "avg": self.area_average.get(year, {}),
                "rating": labels.get(self.ratings.get(year, ""), ""),
            }
            for year in self.years
        ]


def centre_comparison(
    *, centre: Centre, filters: DashboardFilters, ratings: dict[int, str] | None = None
) -> CentreComparison:
    """A centre's figures by year against the average per centre of its district (of its province for a
    2-tier commune). Three queries: its figures by year and programme kind, the district's sums per year
    (aggregates only: no other centre's own figures leave the database), its approved ratings — two when
    the caller passes `ratings` (year → rating) it already read (the registry's centre page)."""
    years = filters.years
    db = read_db()
    own_qs = CentreYearFigure.objects.using(db).filter(centre=centre, year__in=years)
    area_qs = CentreYearFigure.objects.using(db).filter(year__in=years)
    if centre.commune.district_id:
        area_qs = area_qs.filter(centre__commune__district_id=centre.commune.district_id)
        area_label = centre.commune.district.name
    else:
        area_qs = area_qs.filter(centre__commune__province_id=centre.commune.province_id)
        area_label = centre.commune.province.name
    if filters.programme_kind_id:
        own_qs = own_qs.filter(programme_kind_id=filters.programme_kind_id)
        area_qs = area_qs.filter(programme_kind_id=filters.programme_kind_id)

    own: dict[int, Figures] = {}
    kinds: dict[str, Figures] = {}
    for f in own_qs.select_related("programme_kind").order_by("year", "programme_kind__order"):
        fig = Figures.of(f, centres=1)
        own.setdefault(f.year, Figures(centres=1)).add(Figures.of(f))
        if f.year == filters.year_to:
            kinds.setdefault(f.programme_kind.name, Figures()).add(fig)

    area_average = {}
    for r in (
        area_qs.order_by()
        .values("year")
        .annotate(
            n=Count("centre", distinct=True),
            classes_sum=Sum("classes"),
            sessions_sum=Sum("sessions"),
            participations_sum=Sum("participations"),
        )
    ):
        n = r["n"] or 0
        area_average[r["year"]] = {
            k: (Decimal(r[f"{k}_sum"] or 0) / n).quantize(Decimal("0.1")) if n else None
            for k in ("classes", "sessions", "participations")
        }
    if ratings is None:
        ratings = dict(
            Assessment.objects.using(db)
            .filter(centre=centre, year__in=years, status=Assessment.Status.APPROVED)
            .values_list("year", "rating")
        )
    return CentreComparison(
        centre=centre,
        years=years,
        own=own,
        area_average=area_average,
        area_label=area_label,
        by_kind=list(kinds.items()),
        ratings=ratings,
    )


def participation_by_kind(*, scope: Q, filters: DashboardFilters) -> dict[tuple[str, int], dict[int, dict]]:
    """Participation by group, year and programme kind (official report b). Two queries: centres, figures."""
    centres = centres_info(scope=scope)
    group = {c.id: c.group_key(filters.grouping) for c in centres}
    qs = CentreYearFigure.objects.using(read_db()).filter(_in_scope(scope), year__in=filters.years)
    if filters.programme_kind_id:
        qs = qs.filter(programme_kind_id=filters.programme_kind_id)
    out: dict = defaultdict(lambda: defaultdict(lambda: defaultdict(Figures)))
    for r in qs.order_by().values("centre_id", "year", "programme_kind_id").annotate(**figure_sums()):
        out[group[r["centre_id"]]][r["year"]][r["programme_kind_id"]].add(Figures.from_sums(r))
    return out


def years_label(filters: DashboardFilters) -> str:
    """ "2021–2025", or one year: the years line of an export or a report."""
    if filters.year_from == filters.year_to:
        return str(filters.year_to)
    return f"{filters.year_from}–{filters.year_to}"
