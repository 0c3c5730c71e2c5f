"""The dashboard engine: filters, figures, cache and data stamp. Reads only the per-centre-per-year figures
and the assessments, never sessions.

Every function here runs a fixed number of queries whatever the data size (each docstring says how many),
reads through `read_db()` (the replica when one is configured) and takes the user's scope as a Q on Centre
from `accounts.scoping.centre_q`, so a request-free caller (the benchmark) passes its own Q.

History: a centre never changes commune and a commune never changes district, so grouping a year's figures
by the centre's commune's district counts them under the units as they were that year. Centres of the
2-tier communes (from 1 July 2025, no district) are grouped by their commune, or — with the "former district"
grouping — by the district of the communes (or centres) they were merged from, or — with the same-territory
grouping (`today`) — every centre of every year under the commune of today that took it in (its successor
centre's commune through `Centre.merged_into`, else its commune's `Commune.merged_into`), so a commune's or the
province's series runs continuously across the reform (docs/reports.md, "Across the 2025 reform").

The figures are yearly rows per centre: a former centre (of a commune that ended on 30/06/2025) has sessions only
to 30/06/2025 (merged on 01/07/2025, its record is read-only), a new centre (of a 2-tier commune, valid from
01/07/2025) only from 01/07/2025, so a year-2025 row is the first half for the one and the second half for the
other: the `then` grouping shows 2025 in these two halves and in total.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.cache import caches
from django.db import connections
from django.db.models import (
    BigIntegerField,
    BooleanField,
    Case,
    CharField,
    Count,
    F,
    Max,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext

from centres.models import Centre
from centres.selectors import today_of, with_predecessors_q
from courses.figures import FIGURE_FIELDS, Counts, figure_sums
from courses.models import CentreYearFigure
from courses.selectors import period_by_centre, same_day_a_year_before
from evaluations.models import Assessment, Rating
from tthtcd_portal.bounded import Bounded
from tthtcd_portal.db_router import read_db
from tthtcd_portal.numbers import largest_remainder, percent_change, share
from tthtcd_portal.vietnamese import by_name
from units.models import REFORM_DATE, Commune, Province

GROUP_THEN = "then"  # units as they were that year (districts; 2-tier communes after the reform)
GROUP_FORMER = "former"  # 2-tier communes rolled up to the district they came from
GROUP_TODAY = "today"  # same territory: every year re-aggregated onto today's communes
GROUPINGS = (GROUP_THEN, GROUP_FORMER, GROUP_TODAY)
REFORM_YEAR = REFORM_DATE.year
ERA_OLD, ERA_NEW = "old", "new"  # units before 01/07/2025 (province → district → commune), the 2-tier communes
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
    province_id: int | None = None
    province_name: str = ""
    province_ended: bool = False  # a former province (merged into today's on 01/07/2025)
    sort_code: str = ""  # district code + commune code: the statistics office's order
    is_new: bool = False  # a centre of a 2-tier commune (valid from 01/07/2025)
    status_date: datetime.date | None = None
    direct: bool = True  # in the user's own scope (not only a predecessor of a centre in it)
    # Same territory: the centre and commune of today that took this centre in (itself when it is today's).
    today_centre_id: int | None = None
    today_centre_name: str = ""
    today_commune_id: int | None = None
    today_commune_name: str = ""
    today_sort_code: str = ""
    # The national dashboard's provinces: the one the centre's province merged into (today's), and for a new
    # centre the former province its commune came from (through its former district).
    today_province_id: int | None = None
    former_province_id: int | None = None

    @property
    def era(self) -> str:
        return ERA_NEW if self.is_new else ERA_OLD

    def existed_in(self, year: int) -> bool:
        """Open some day of `year` (a former centre until its merger, a new one from 01/07/2025)."""
        if self.is_new and year < REFORM_YEAR:
            return False
        return self.status_date is None or self.status_date.year >= year

    def existed_at_end_of(self, year: int) -> bool:
        """Open on 31/12 of `year`: the centres rated for that year (a former centre's last rating is 2024)."""
        if self.is_new and year < REFORM_YEAR:
            return False
        return self.status_date is None or self.status_date.year > year

    def group_key(self, grouping: str) -> tuple[str, int, str]:
        """(kind, id, label) of the row this centre's figures count under."""
        if grouping == GROUP_TODAY and self.today_commune_id:
            return ("commune", self.today_commune_id, self.today_commune_name)
        if self.district_id:
            return ("district", self.district_id, self.district_name or "")
        if grouping == GROUP_FORMER and self.former_district_id:
            return ("district", self.former_district_id, self.former_district_name or "")
        return ("commune", self.commune_id, self.commune_name)

    def centre_key(self, grouping: str) -> tuple[int, str]:
        """(centre id, name) of the centre row its figures count under: today's centre in the same-territory
        view, else itself."""
        if grouping == GROUP_TODAY and self.today_centre_id:
            return (self.today_centre_id, self.today_centre_name)
        return (self.id, self.name)


@dataclass
class Row:
    kind: str  # district, commune or centre; province and half for the subtotals of the summary
    id: int
    label: str
    url: str | None
    by_year: dict[int, Figures]
    centre_ids: list[int] = field(default_factory=list)
    # Last year from 1/1 to the same day (centres with a session, sessions, participations), when the last year
    # shown is in progress.
    before_period: Figures = field(default_factory=lambda: Figures())
    era: str = ERA_OLD
    province_id: int | None = None
    province_label: str = ""
    sort_code: str = ""
    # Years whose figures are half a year (2025 of a line of former centres merged on 01/07/2025, or of new
    # centres, under `then`): never compared with a whole year.
    half_years: set[int] = field(default_factory=set)

    def at(self, year: int | None) -> Figures:
        return self.by_year.get(year, Figures()) if year else Figures()


def _sum_row(kind: str, label: str, rows: list[Row], **extra) -> Row:
    """A subtotal: the rows' figures added year by year."""
    by_year: dict[int, Figures] = {}
    for row in rows:
        for year, f in row.by_year.items():
            by_year.setdefault(year, Figures()).add(f)
    half_years = set().union(*(row.half_years for row in rows))
    total = Row(kind, 0, label, None, by_year, half_years=half_years, **extra)
    for row in rows:
        total.before_period.add(row.before_period)
    return total


CHART_SERIES = 10  # lines in one chart at most: the largest nine and "Khác"


@dataclass
class Dashboard:
    filters: DashboardFilters
    rows: list[Row]
    totals: Row
    row_level: str  # "group" (by district/commune) or "centre"
    centres: list[CentreInfo] = field(default_factory=list)  # the centres of the rows (missing-data lists)
    # Today, when the last year shown is the year in progress: that year is shown "đến dd/mm" and its change is
    # on the same days of the year before (Row.before_period), never on the whole year.
    period_end: datetime.date | None = None
    figure_centres: dict[int, dict[str, int]] = field(default_factory=dict)  # year → era → centres with figures
    period_centres: set[int] = field(default_factory=set)  # centres with a session in Row.before_period's days
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
                "rating_base": len(self.centres_in()),
                "halves": self.halves_shown(),
                "centres_by_era": self.centres_with_figures(),
            }
        return self.tables

    @property
    def years(self) -> list[int]:
        return self.filters.years

    def in_progress(self, year: int) -> bool:
        """The year is the current one: its figures run to today."""
        return self.period_end is not None and year == self.period_end.year

    def year_label(self, year: int) -> str:
        """ "2026, đến 01/12" for the year in progress, else the year."""
        if self.in_progress(year):
            return gettext("%(year)s, đến %(day)s") % {"year": year, "day": self.period_end.strftime("%d/%m")}
        return str(year)

    @property
    def summary_year_label(self) -> str:
        return self.year_label(self.filters.year_to)

    @property
    def year_labels(self) -> list[str]:
        return [self.year_label(y) for y in self.years]

    @functools.cached_property
    def info_of(self) -> dict[int, CentreInfo]:
        return {c.id: c for c in self.centres}

    def shown(self, row: Row, year: int) -> bool:
        """Whether `row` has a line in `year`: a unit or centre with figures or a rating that year, or a centre of
        the user's that was open that year (a quiet centre is news). Never a line of zeros for a unit that had no
        centre that year (a former district after the reform, a new commune before it)."""
        if year in row.by_year:
            return True
        info = self.info_of.get(row.id) if row.kind == "centre" else None
        return info is not None and info.direct and info.existed_in(year)

    def rated_shown(self, row: Row, year: int) -> bool:
        """Whether `row` has a line in `year`'s rating table: approved ratings that year, or a centre of the user's
        open on 31/12 (rated for that year, or still to be). A former district has no line for 2025: only the
        new centres are rated for the transition year."""
        if row.at(year).rated:
            return True
        info = self.info_of
        return any(
            c is not None and c.direct and c.existed_at_end_of(year) for c in (info.get(i) for i in row.centre_ids)
        )

    def halves_shown(self, year: int | None = None) -> bool:
        """2025 under `then`: the former units' half (01/01–30/06) and the new communes' half (01/07–31/12)."""
        year = year or self.filters.year_to
        if self.filters.grouping != GROUP_THEN or year != REFORM_YEAR or self.row_level == "province":
            return False  # nationally, a province that did not merge has a whole 2025: no halves
        return len({r.era for r in self.rows if self.shown(r, year)}) > 1

    def _lines(self, year: int) -> list[tuple[str, Row]]:
        """(kind, row) in the summary's order: in 2025 under `then`, the former units' half then the new
        communes', each headed by its subtotal; within it, a subtotal per province when there are several
        (former Thái Bình and former Hưng Yên before the reform)."""
        shown = [r for r in self.rows if self.shown(r, year)]
        split = self.halves_shown(year)
        out: list[tuple[str, Row]] = []
        for era in (ERA_OLD, ERA_NEW):
            part = [r for r in shown if r.era == era]
            if not part:
                continue
            if split:
                out.append(("half", _sum_row("half", half_label(era), part, era=era)))
            provinces = list(dict.fromkeys(r.province_id for r in part))
            if self.row_level != "group" or len(provinces) < 2:
                out += [("row", r) for r in part]
                continue
            for province_id in provinces:
                members = [r for r in part if r.province_id == province_id]
                out.append(("province", _sum_row("province", members[0].province_label, members, era=era)))
                out += [("row", r) for r in members]
        return out

    def summary(self, year: int | None = None) -> list[dict]:
        """The main table for `year` (the last year shown): one dict per line (subtotals of a half of 2025 and
        of a former province among them, `is_subtotal`), then the totals."""
        year = year or self.filters.year_to
        lines = [*self._lines(year), ("total", self.totals)]
        out = []
        for kind, row in lines:
            now = row.at(year)
            # A half of 2025 compared with a whole year (or a whole year with a half) would mislead: no change.
            # The year in progress is compared with the same days of the year before (Row.before_period).
            halves = row.half_years
            previous_comparable = kind != "half" and not {year, year - 1} & halves
            before = row.by_year.get(year - 1) if previous_comparable else None
            if previous_comparable and self.in_progress(year):
                before = row.before_period
            base_year = self.filters.base_year
            comparable = base_year and kind != "half" and not {year, base_year} & halves
            base = row.by_year.get(base_year) if comparable else None
            out.append(
                {
                    "row": row,
                    "is_total": kind == "total",
                    "is_subtotal": kind in ("half", "province"),
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
        for row in [*[r for r in self.rows if self.rated_shown(r, year)], self.totals]:
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

    def centres_in(self, year: int | None = None) -> list[CentreInfo]:
        """The user's centres open on 31/12 of `year`: what a share of ratings of that year is a part of (2025:
        the new centres, which alone are rated for the transition year; 2024: the former ones)."""
        year = year or self.filters.year_to
        return [c for c in self.centres if c.direct and c.existed_at_end_of(year)]

    def centres_with_figures(self, year: int | None = None) -> dict[str, int]:
        """Centres with figures in `year` per era: {"old": 381, "new": 104} for 2025 in the demo."""
        year = year or self.filters.year_to
        counted = self.figure_centres.get(year, {})
        return {ERA_OLD: counted.get(ERA_OLD, 0), ERA_NEW: counted.get(ERA_NEW, 0)}

    def period_centres_by_era(self) -> dict[str, int]:
        """The centres of last year's same period (Row.before_period) per era."""
        return self._by_era(self.period_centres)

    def _by_era(self, counted: set[int]) -> dict[str, int]:
        out = {ERA_OLD: 0, ERA_NEW: 0}
        for c in self.centres:
            if c.id in counted:
                out[c.era] += 1
        return out

    def participation_trend(self) -> list[dict]:
        """Participations by row and year; None (shown "–") in a year the row's unit had no line."""
        out = []
        for row in self.rows:
            values = [row.at(y).participations if self.shown(row, y) else None for y in self.years]
            if any(v is not None for v in values):
                out.append({"row": row, "is_total": False, "values": values})
        out.append(
            {"row": self.totals, "is_total": True, "values": [self.totals.at(y).participations for y in self.years]}
        )
        return out

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
            series.sort(key=lambda s: -sum(v or 0 for v in s["values"]))
            rest = series[CHART_SERIES - 1 :]
            summed = [
                None if all(v is None for v in column) else sum(v or 0 for v in column)
                for column in zip(*(s["values"] for s in rest), strict=True)
            ]
            series = series[: CHART_SERIES - 1] + [{"label": gettext("Khác"), "values": summed}]
        return {
            "years": self.year_labels,
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


def history_scope(scope: Q) -> Q:
    """The centres of `scope` and their predecessors (the centres merged into them, two generations back): whose
    figures a reviewer's dashboard shows as the history of the centres they review (a cluster office of today
    reviews new centres whose predecessors were reviewed by the former district offices). The library and
    resources pages' same-territory view adds the same (centres.selectors.with_predecessors_q)."""
    return with_predecessors_q(scope)


def half_label(era: str) -> str:
    if era == ERA_OLD:
        return gettext("01/01–30/06/2025 (đơn vị cũ)")
    return gettext("01/07–31/12/2025 (xã, phường mới)")


CENTRE_INFO_FIELDS = {
    "id": "id",
    "name": "name",
    "status": "status",
    "status_date": "status_date",
    "commune_id": "commune_id",
    "commune_name": "commune__name",
    "commune_code": "commune__code",
    "commune_valid_from": "commune__valid_from",
    "commune_merged_into_id": "commune__merged_into_id",
    "commune_merged_into_name": "commune__merged_into__name",
    "commune_merged_into_code": "commune__merged_into__code",
    "district_id": "commune__district_id",
    "district_name": "commune__district__name",
    "district_code": "commune__district__code",
    "province_id": "commune__province_id",
    "province_name": "commune__province__name",
    "province_code": "commune__province__code",
    "province_valid_until": "commune__province__valid_until",
    "province_merged_into_id": "commune__province__merged_into_id",
    "merged_into_id": "merged_into_id",
    "merged_into_name": "merged_into__name",
    "merged_into_commune_id": "merged_into__commune_id",
    "merged_into_commune_name": "merged_into__commune__name",
    "merged_into_commune_code": "merged_into__commune__code",
    "former_id": "former_id",
    "former_name": "former_name",
    "former_province_id": "former_province_id",
    "direct": "direct",
}


def _predecessors(*, commune: str, centre: str) -> tuple:
    """The communes merged into a centre's commune and the centres merged into the centre (those of a former
    district, in its code order), as subqueries on the outer query's `commune` and `centre` columns."""
    pred_commune = Commune.objects.filter(merged_into=OuterRef(commune), district__isnull=False).order_by(
        "district__code"
    )
    pred_centre = Centre.objects.filter(merged_into=OuterRef(centre), commune__district__isnull=False).order_by(
        "commune__district__code"
    )
    return pred_commune, pred_centre


def _former_province(pred_commune, pred_centre) -> Coalesce:
    """The province of a centre's former district (CentreInfo.former_province_id)."""
    return Coalesce(
        Subquery(pred_commune.values("district__province_id")[:1]),
        Subquery(pred_centre.values("commune__district__province_id")[:1]),
    )


_FORMER_FIELDS = {"former_id": BigIntegerField(), "former_name": CharField(), "former_province_id": BigIntegerField()}


def centres_info(*, scope: Q, direct: Q | None = None, former: bool = True) -> list[CentreInfo]:
    """Centres in scope with their commune, district, province, former district and the centre and commune of
    today that took them in. One query (correlated subqueries find the former district through the merged
    communes, else through the merged centres; joins name the successor centre and commune).

    `direct`: the user's own scope when `scope` adds predecessors (history_scope): a predecessor outside it is
    shown in the figures but not linked (its pages stay the province's).

    `former=False` leaves the former district and province out (None): the national board under `then` or `today`
    reads neither, and their six correlated subqueries were most of this query's time for 13,400 centres (~3 of
    ~3.5 s under load at national scale)."""
    pred_commune, pred_centre = _predecessors(commune="commune_id", centre="pk")
    if former:
        formers = {
            "former_id": Coalesce(
                Subquery(pred_commune.values("district_id")[:1]),
                Subquery(pred_centre.values("commune__district_id")[:1]),
            ),
            "former_name": Coalesce(
                Subquery(pred_commune.values("district__name")[:1]),
                Subquery(pred_centre.values("commune__district__name")[:1]),
            ),
            "former_province_id": _former_province(pred_commune, pred_centre),
        }
    else:
        formers = {name: Value(None, output_field=field) for name, field in _FORMER_FIELDS.items()}
    rows = (
        Centre.objects.using(read_db())
        .filter(scope)
        .annotate(
            **formers,
            direct=(
                Value(True)
                if direct is None
                else Case(When(direct, then=Value(True)), default=Value(False), output_field=BooleanField())
            ),
        )
        .order_by("commune__district__code", "commune__code", by_name())
        .values(*CENTRE_INFO_FIELDS.values())
    )
    raw = [{key: r[path] for key, path in CENTRE_INFO_FIELDS.items()} for r in rows]
    by_id = {r["id"]: r for r in raw}
    out = []
    for r in raw:
        today = today_of(r, by_id)  # the rule shared with the library and resources pages
        out.append(
            CentreInfo(
                id=r["id"],
                name=r["name"],
                status=r["status"],
                commune_id=r["commune_id"],
                commune_name=r["commune_name"],
                district_id=r["district_id"],
                district_name=r["district_name"],
                former_district_id=r["former_id"],
                former_district_name=r["former_name"],
                province_id=r["province_id"],
                province_name=r["province_name"] or "",
                province_ended=r["province_valid_until"] is not None,
                sort_code=f"{r['province_code'] or ''}{r['district_code'] or ''}{r['commune_code']}",
                is_new=r["commune_valid_from"] >= REFORM_DATE,
                status_date=r["status_date"],
                direct=bool(r["direct"]),
                today_centre_id=today[0],
                today_centre_name=today[1] or "",
                today_commune_id=today[2],
                today_commune_name=today[3] or "",
                today_sort_code=today[4] or "",
                today_province_id=r["province_merged_into_id"] or r["province_id"],
                former_province_id=r["former_province_id"],
            )
        )
    return out


def _figures_by_year(
    *, scope_prefixed: Q, filters: DashboardFilters, stamp_year: int | None = None, by_province: bool = False
) -> tuple[dict[tuple, Figures], tuple]:
    """One query: sums per centre and year over the programme kinds asked for — or, `by_province`, per
    (province as the national dashboard counts it, new centre or not, year), summed in the database — and the
    stamp of `stamp_year`'s rows among them (their count, figure sums and latest change: _period_base's key),
    () without one. Keys (centre id, year) or (province id, is new, year)."""
    qs = CentreYearFigure.objects.using(read_db()).filter(scope_prefixed, year__in=filters.years_to_read)
    if filters.programme_kind_id:
        qs = qs.filter(programme_kind_id=filters.programme_kind_id)
    stamp = {"rows_n": Count("id"), "changed": Max("updated_at")}
    if connections[qs.db].vendor == "postgresql":
        # Every UPDATE gives the row a new xmin (the writing transaction's id): a session moved within the year
        # (no sum moves) whose transaction began before a later write and committed after it still shows here.
        table = connections[qs.db].ops.quote_name(qs.model._meta.db_table)
        stamp["versions"] = Sum(RawSQL(f"{table}.xmin::text::bigint", ()))
    rows = qs.values(key_centre=F("centre_id"), key_year=F("year")).annotate(**figure_sums(), **stamp).order_by()
    keys = ("key_centre", "key_year")
    if by_province:
        # One row per centre-year (so COUNT(*) is the centres) added up per province: the inner group-by is the
        # same as per centre, the province rule runs once per centre, not once per figure row.
        sums = [f"{name}_sum" for name in FIGURE_FIELDS] + ["rows_n"] + (["versions"] if "versions" in stamp else [])
        rows = _by_province(
            rows,
            grouping=filters.grouping,
            keys=("key_year",),
            aggregates={**{name: "SUM" for name in sums}, "changed": "MAX", "centres_n": "COUNT"},
        )
        keys = ("key_province", "key_new", "key_year")
    figures, kept = {}, Counter()
    changed = []
    for r in rows:
        key = tuple(r[k] for k in keys)
        figures[key] = Figures.from_sums(r, centres=r.get("centres_n", 1))
        if r["key_year"] == stamp_year:
            kept.update({name: r[f"{name}_sum"] or 0 for name in FIGURE_FIELDS})
            kept.update(rows_n=r["rows_n"], versions=r.get("versions") or 0)
            changed.append(r["changed"])
    if stamp_year is None:
        return figures, ()
    latest = max(changed, default=None)
    return figures, (*(kept[name] for name in (*FIGURE_FIELDS, "rows_n", "versions")), str(latest))


# The same-period base is kept this long (its key moves with every change it depends on: _period_base).
PERIOD_BASE_SECONDS = 24 * 3600


def _period_base(
    *, scope: Q, start: datetime.date, end: datetime.date, programme_kind_id: int | None, stamp: tuple
) -> dict:
    """Last year's sessions and participations from `start` to `end` per centre of `scope`
    (courses.selectors.period_by_centre: a scan of last year's sessions, which grows with them), kept under
    `stamp`: the count, figure sums and latest change of last year's figure rows of the same centres and
    programme kinds (_figures_by_centre_year, no query of its own). Every write of a session (added, changed,
    moved, archived, restored; its attendance) updates its centre's figure row of the session's year in the
    same transaction (courses.figures.figures_apply: its sums and `updated_at`), so a session of last year
    written since moves the stamp and the scan runs again, while this year's sessions (the saves of every day)
    leave it: the board recomputed after them reads the kept base. No query when kept, else one
    (docs/reports.md, "The year in progress")."""
    key_source = repr((str(scope), start, end, programme_kind_id, stamp))
    key = "reports:period:" + hashlib.sha256(key_source.encode()).hexdigest()
    cache = caches["objects"]  # read-only once kept
    base = cache.get(key)
    if base is None:
        base = period_by_centre(centre_scope=scope, start=start, end=end, programme_kind_id=programme_kind_id)
        cache.set(key, base, PERIOD_BASE_SECONDS)
    return base


def _approved_ratings(
    *, scope_prefixed: Q, years: list[int], province_grouping: str | None = None
) -> list[tuple[int, int, str, int]]:
    """One query: (centre, year, official rating, 1) of approved assessments — or, with `province_grouping`,
    (province as the national dashboard counts it, year, rating, how many), counted in the database."""
    qs = (
        Assessment.objects.using(read_db())
        .filter(scope_prefixed, year__in=years, status=Assessment.Status.APPROVED)
        .order_by()
    )
    if province_grouping is None:
        return list(qs.values_list("centre_id", "year", "rating", Value(1)))
    per_centre = qs.values(key_centre=F("centre_id"), key_year=F("year"), key_rating=F("rating")).annotate(
        n=Count("id")
    )
    counted = _by_province(
        per_centre, grouping=province_grouping, keys=("key_year", "key_rating"), aggregates={"n": "SUM"}
    )
    return [(r["key_province"], r["key_year"], r["key_rating"], r["n"]) for r in counted]


def _by_province(per_centre, *, grouping: str, keys: tuple[str, ...], aggregates: dict[str, str]) -> list[dict]:
    """The rows of `per_centre` (a values() query with `key_centre` and `keys`) added up per province as the
    national dashboard counts it and new centre or not (`key_province`, `key_new`), with `aggregates`
    ({column: "SUM", "MAX" or "COUNT"}: COUNT counts the rows). One query: `per_centre` and the centres' keys
    (province_key, on Centre) as subqueries joined on the centre, so the province rule runs once per centre."""
    alias = per_centre.db
    qn = connections[alias].ops.quote_name
    centres = (
        Centre.objects.using(alias)
        .order_by()
        .values(key_id=F("id"), key_province=province_key(grouping), key_new=_is_new())
    )
    inner_sql, inner_params = per_centre.query.sql_with_params()
    centre_sql, centre_params = centres.query.sql_with_params()
    groups = ["c.key_province", "c.key_new", *(f"f.{qn(k)}" for k in keys)]
    columns = [
        f"COUNT(*) AS {qn(name)}" if how == "COUNT" else f"{how}(f.{qn(name)}) AS {qn(name)}"
        for name, how in aggregates.items()
    ]
    sql = (
        f"SELECT {', '.join(groups)}, {', '.join(columns)} FROM ({inner_sql}) f "  # names from the models
        f"JOIN ({centre_sql}) c ON c.key_id = f.key_centre GROUP BY {', '.join(groups)}"
    )
    names = ["key_province", "key_new", *keys, *aggregates]
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, [*inner_params, *centre_params])
        out = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    for r in out:  # a SUM of sums is numeric on PostgreSQL; the new-centre flag 0/1 on SQLite
        r["key_new"] = bool(r["key_new"])
        for name, how in aggregates.items():
            if how != "MAX" and r[name] is not None:
                r[name] = int(r[name])
    return out


def _stamp_parts(figures_where: str = "") -> list[str]:
    """The scalar subqueries of the data stamp: the figures' row count, sums and latest change, and the
    assessments' count and summed versions (every save and approval moves a version). Equal stamps, equal
    data; the dashboards' cache key, so a session saved now shows on the next load. The sums catch a change
    whose transaction committed after a later one (its updated_at then hides behind the later maximum).
    The scope and the names are in it too (issue 14, item 8): the centres' history (a centre moved to another
    reviewing office leaves the former reviewer's dashboard at once; a renamed centre shows its new name) and
    sums over communes and districts. Costs a scan of the figures table (~45,000 rows a province-decade: a few
    ms), of the centres' history and of the communes (~10,000 in the country), not of the sessions.

    `figures_where` narrows the figures' parts to the rows a board reads (data_stamp's `scope`); the others stay
    whole: they say which centres are in a scope and under which names."""
    figures = CentreYearFigure._meta.db_table
    sums = "".join(
        f" || ':' || COALESCE(SUM({CentreYearFigure._meta.get_field(name).column}), 0)" for name in FIGURE_FIELDS
    )
    assessments = Assessment._meta.db_table
    return [
        f"(SELECT COUNT(*){sums} FROM {figures}{figures_where})",  # table and column names from the models
        f"(SELECT MAX(updated_at) FROM {figures}{figures_where})",
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


# PostgreSQL: the snapshot the last scan of this process was read in, and that scan's stamp, per database alias
# and scope. Bounded: a scope per centre page visited (portal.selectors.centre_record) would otherwise grow with
# the centres a worker has served (13,372 nationally); emptied when full, like the other per-process caches.
_last_scan: Bounded = Bounded(2000)
_UNCHANGED = "pg_current_snapshot()::text = %s AND pg_current_xact_id_if_assigned() IS NULL"


# The SQL of a scope's centres (data_stamp's WHERE), per database alias and scope: building it cost more than the
# stamp's query itself on every centre page (issue 18). Bounded as _last_scan.
_scope_sqls: Bounded = Bounded(2000)


def _plain(q: Q) -> bool:
    """Whether a Q holds only plain values (its repr then says all it selects; a queryset's repr would run it)."""
    plain = (int, str, datetime.date, type(None))
    for child in q.children:
        if isinstance(child, Q):
            if not _plain(child):
                return False
            continue
        value = child[1]
        values = value if isinstance(value, list | tuple) else [value]
        if not all(isinstance(v, plain) for v in values):
            return False
    return True


def _scope_sql(alias: str, scope: Q) -> tuple[str, tuple]:
    if not _plain(scope):
        return Centre.objects.using(alias).filter(scope).values("pk").query.sql_with_params()
    key = (alias, repr(scope))
    found = _scope_sqls.get(key)
    if found is None:
        found = _scope_sqls.keep(key, Centre.objects.using(alias).filter(scope).values("pk").query.sql_with_params())
    return found


def data_stamp(scope: Q | None = None) -> tuple:
    """What the dashboards depend on (_stamp_parts), in one query.

    `scope` (a Q on Centre: the centres whose figures a board reads) narrows the figures' parts to those
    centres' rows (issue 17 item 4): at national scale the whole table's sums cost ~75 ms (~140 ms under load)
    after every commit, one province's rows ~20 ms through the centre index. A figure of another centre cannot
    change such a board; a centre entering or leaving the scope moves the centres' history or the communes' sums,
    which stay whole. None or Q(): every row (the national board).

    On PostgreSQL the scan is skipped while the database's snapshot is the one the last scan of this process
    was read in (issue 18): `pg_current_snapshot()` names the transactions whose writes are visible, so an
    equal snapshot sees exactly the same rows and the last stamp still holds. Any commit since (of anything)
    changes the snapshot and the scan runs; so does a transaction that has written itself (its own changes do
    not show in the snapshot). The skipped subqueries are never run (PostgreSQL evaluates a CASE branch's
    subquery only when the branch is taken), so an unchanged snapshot costs a fraction of a millisecond."""
    alias = read_db()
    where, where_params = "", []
    if scope is not None and scope != Q():
        centres_sql, centre_params = _scope_sql(alias, scope)
        where, where_params = f" WHERE centre_id IN ({centres_sql})", list(centre_params)
    parts = _stamp_parts(where)
    # The parameters of each part: the two figures' parts carry the scope's.
    part_params = [where_params, where_params] + [[] for _ in parts[2:]]
    scan_key = (alias, where + repr(where_params))
    with connections[alias].cursor() as cursor:
        if connections[alias].vendor != "postgresql":
            cursor.execute("SELECT " + ", ".join(parts), [p for params in part_params for p in params])
            return tuple(str(value) for value in cursor.fetchone())
        last_snapshot, last_stamp = _last_scan.get(scan_key, ("", ()))
        columns = [f"CASE WHEN {_UNCHANGED} THEN NULL ELSE {part} END" for part in parts]
        cursor.execute(
            f"SELECT pg_current_snapshot()::text, pg_current_xact_id_if_assigned() IS NULL, {_UNCHANGED}, "
            + ", ".join(columns),
            [last_snapshot, *(p for params in part_params for p in [last_snapshot, *params])],
        )
        snapshot, untouched, unchanged, *values = cursor.fetchone()
    if unchanged and last_stamp:
        return last_stamp
    stamp = tuple(str(value) for value in values)
    if untouched:
        _last_scan.keep(scan_key, (snapshot, stamp))
    return stamp


def dashboard(
    *,
    scope: Q,
    filters: DashboardFilters,
    by_centre: bool = False,
    only_group: tuple[str, int] | None = None,
    with_history: bool = False,
    today: datetime.date | None = None,
    by_province: bool = False,
) -> Dashboard:
    """The dashboard, from the cache when nothing it depends on changed (one query: data_stamp), else computed
    (dashboard_compute) and kept for DASHBOARD_CACHE_SECONDS. The key holds the scope, the filters, the
    language, the day and the data stamp, so one user's figures never reach another scope and are never stale."""
    today = today or timezone.localdate()
    stamp = data_stamp(history_scope(scope) if with_history else scope)  # the centres whose figures it reads
    key_source = repr(
        (str(scope), filters, by_centre, only_group, with_history, by_province, get_language(), today, stamp)
    )
    key = "reports:dashboard:" + hashlib.sha256(key_source.encode()).hexdigest()
    cache = caches["objects"]  # kept as the object itself: unpickling a board cost more than its queries
    board = cache.get(key)
    if board is None:
        board = dashboard_compute(
            scope=scope,
            filters=filters,
            by_centre=by_centre,
            only_group=only_group,
            with_history=with_history,
            today=today,
            by_province=by_province,
        )
        board.cache_key = key
        board.derived()
        cache.set(key, board, settings.DASHBOARD_CACHE_SECONDS)
    return board


ERA_RANK = {ERA_OLD: 0, ERA_NEW: 1}


@dataclass(frozen=True)
class ProvinceInfo:
    id: int
    code: str
    label: str  # a former province's with "(đến 30/06/2025)"
    era: str  # old: a former province (merged on 01/07/2025); new: a province of today
    half_year: bool  # began or ended on 01/07/2025: its 2025 is half a year


def provinces_info() -> dict[int, ProvinceInfo]:
    """Every province (63 former and today's 34 at most), for the national dashboard's rows. One query."""
    out = {}
    for p in Province.objects.using(read_db()).values("id", "code", "name", "valid_from", "valid_until"):
        ended = p["valid_until"] is not None
        label = gettext("%(province)s (đến 30/06/2025)") % {"province": p["name"]} if ended else p["name"]
        out[p["id"]] = ProvinceInfo(
            id=p["id"],
            code=p["code"],
            label=label,
            era=ERA_OLD if ended else ERA_NEW,
            half_year=ended or p["valid_from"] >= REFORM_DATE,
        )
    return out


def province_of(c: CentreInfo, grouping: str) -> int | None:
    """The province a centre's figures count under on the national dashboard: its own (the province of that
    year: a former one before 01/07/2025), today's it merged into (`today`), or for a new centre the former
    province its commune came from (`former`)."""
    if grouping == GROUP_TODAY:
        return c.today_province_id
    if grouping == GROUP_FORMER and c.is_new and c.former_province_id:
        return c.former_province_id
    return c.province_id


def _is_new() -> Case:
    """CentreInfo.is_new in the database, on Centre: its commune began with the reform (a 2-tier commune)."""
    return Case(
        When(commune__valid_from__gte=REFORM_DATE, then=Value(True)), default=Value(False), output_field=BooleanField()
    )


def province_key(grouping: str):
    """province_of() in the database, on Centre: the national dashboard sums its provinces' figures and ratings
    there (_by_province) instead of per centre in Python. The same rule as province_of, from the same columns
    (centres_info's); tests/reports/test_national.py checks each grouping against the sum of the centres."""
    own = F("commune__province_id")
    if grouping == GROUP_TODAY:
        return Coalesce(F("commune__province__merged_into_id"), own, output_field=BigIntegerField())
    if grouping == GROUP_FORMER:
        pred_commune, pred_centre = _predecessors(commune="commune_id", centre="pk")
        return Case(
            When(
                commune__valid_from__gte=REFORM_DATE,
                then=Coalesce(_former_province(pred_commune, pred_centre), own, output_field=BigIntegerField()),
            ),
            default=own,
            output_field=BigIntegerField(),
        )
    return own


def province_url(province_id: int) -> str:
    """The province's dashboard for a Ministry official (the dashboard scoped by `tinh`)."""
    return f"{reverse('reports:dashboard')}?tinh={province_id}"


def _province_row_for(
    c: CentreInfo, filters: DashboardFilters, provinces: dict[int, ProvinceInfo]
) -> tuple[tuple[str, int], Row]:
    province = provinces[province_of(c, filters.grouping)]
    era = ERA_NEW if filters.grouping == GROUP_TODAY else province.era
    row = Row(
        "province",
        province.id,
        province.label,
        province_url(province.id),
        {},
        [],
        era=era,
        sort_code=province.code,
        half_years={REFORM_YEAR} if filters.grouping == GROUP_THEN and province.half_year else set(),
    )
    return ("province", province.id), row


def _row_for(c: CentreInfo, filters: DashboardFilters, by_centre: bool) -> tuple[tuple[str, int], Row]:
    """The key and a new row for the line centre `c` counts under."""
    grouping = filters.grouping
    today = grouping == GROUP_TODAY
    era = ERA_NEW if today else c.era
    province_id, province_label = (None, "") if today else (c.province_id, _province_label(c))
    sort_code = c.today_sort_code if today else c.sort_code
    extra = {"era": era, "province_id": province_id, "province_label": province_label, "sort_code": sort_code}
    if by_centre:
        centre_id, name = c.centre_key(grouping)
        linked = c.direct and (centre_id == c.id or today)
        url = reverse("reports:centre", args=[centre_id]) if linked else None
        return ("centre", centre_id), Row("centre", centre_id, name, url, {}, [], **extra)
    kind, gid, label = c.group_key(grouping)
    if kind == "district" and grouping == GROUP_FORMER:
        era = ERA_OLD  # a former district with the new communes rolled up to it: units before the reform
    url = reverse("reports:district", args=[gid]) if kind == "district" else None
    return (kind, gid), Row(kind, gid, label, url, {}, [], **{**extra, "era": era})


def _province_label(c: CentreInfo) -> str:
    if c.province_ended:
        return gettext("%(province)s (đến 30/06/2025)") % {"province": c.province_name}
    return c.province_name


def dashboard_compute(
    *,
    scope: Q,
    filters: DashboardFilters,
    by_centre: bool = False,
    only_group: tuple[str, int] | None = None,
    with_history: bool = False,
    today: datetime.date | None = None,
    by_province: bool = False,
) -> Dashboard:
    """Figures by district (or by centre, or — `by_province`, the national dashboard — by province) and year, with totals and rating distributions. Three queries:
    the centres in scope with their units, the figures summed per centre and year, the approved ratings; a
    fourth when the last year shown is in progress (`today`'s year): last year's participations up to the same
    day, per centre, which that year's change compares with — none while that base is kept (_period_base:
    until a session of last year is written).

    `scope` is a Q on Centre (centre_q(user) or, without a request, Q(commune__province_id=…)).
    `only_group` keeps the centres whose group under the chosen grouping is (kind, id): the district page.
    `with_history` adds the predecessors of the centres in scope (history_scope): a reviewer's dashboard.
    `by_province`: one row per province (one query more: the provinces), linked to the province's dashboard; its
    figures and ratings are summed per province in the database (province_key: the rule of province_of), not per
    centre here — at national scale (13,400 centres, ~70,000 centre-years) adding them up in Python took seconds.
    """
    direct = scope if with_history else None
    if with_history:
        scope = history_scope(scope)
    # Nationally only `former` reads the former districts' provinces; the board's rows are provinces.
    centres = centres_info(scope=scope, direct=direct, former=not by_province or filters.grouping == GROUP_FORMER)
    scope_prefixed = _in_scope(scope)
    period_end = today if today is not None and filters.year_to == today.year else None
    figures, last_year_stamp = _figures_by_year(
        scope_prefixed=scope_prefixed,
        filters=filters,
        stamp_year=period_end.year - 1 if period_end else None,
        by_province=by_province,
    )
    ratings = _approved_ratings(
        scope_prefixed=scope_prefixed,
        years=filters.years_to_read,
        province_grouping=filters.grouping if by_province else None,
    )

    rows: dict[tuple[str, int], Row] = {}
    row_of_centre: dict[int, Row] = {}
    provinces = provinces_info() if by_province else {}
    for c in centres:
        if by_province:
            key = ("province", province_of(c, filters.grouping))
            row = rows.get(key)
            if row is None:
                row = rows[key] = _province_row_for(c, filters, provinces)[1]
            row.centre_ids.append(c.id)
            row_of_centre[c.id] = row
            continue
        # The district page in the same-territory view: the district's centres of every year and their successors.
        if (
            only_group
            and c.group_key(GROUP_FORMER if filters.grouping == GROUP_TODAY else filters.grouping)[:2] != only_group
        ):
            continue
        key, row = _row_for(c, filters, by_centre)
        row = rows.setdefault(key, row)
        row.centre_ids.append(c.id)
        if filters.grouping == GROUP_THEN and (c.is_new or c.status_date == REFORM_DATE):
            row.half_years.add(REFORM_YEAR)
        row_of_centre[c.id] = row
    for row in rows.values():
        if row.kind == "commune" and len(row.centre_ids) == 1 and filters.grouping != GROUP_TODAY:
            row.url = reverse("reports:centre", args=[row.centre_ids[0]])  # the centre's figures, same filters

    totals = Row("total", 0, "", None, {})
    figure_centres: dict[int, Counter] = defaultdict(Counter)  # year → era → centres with figures
    # Nationally the figures and ratings come summed per province (keys lead with the province's id), else per
    # centre (keys lead with the centre's).
    row_of = {key[1]: row for key, row in rows.items()} if by_province else row_of_centre
    info = {c.id: c for c in centres} if not by_province else {}
    for key, f in figures.items():
        row = row_of.get(key[0])
        if row is None:
            continue
        year = key[-1]
        _at(row, year).add(f)
        _at(totals, year).add(f)
        era = (ERA_NEW if key[1] else ERA_OLD) if by_province else info[key[0]].era
        figure_centres[year][era] += f.centres
    for owner, year, rating, n in ratings:
        row = row_of.get(owner)
        if row is None:
            continue
        _at(row, year).ratings[rating] += n
        _at(totals, year).ratings[rating] += n
    period_centres: set[int] = set()
    if period_end is not None:
        before = _period_base(
            scope=scope,
            start=datetime.date(today.year - 1, 1, 1),
            end=same_day_a_year_before(today),
            programme_kind_id=filters.programme_kind_id,
            stamp=last_year_stamp,
        )
        for centre_id, p in before.items():
            row = row_of_centre.get(centre_id)
            if row is not None:
                f = Figures(centres=p.centres, sessions=p.sessions, participations=p.participations)
                row.before_period.add(f)
                totals.before_period.add(f)
                period_centres.add(centre_id)
    ordered = sorted(rows.values(), key=lambda r: (ERA_RANK[r.era], r.sort_code, r.label))
    return Dashboard(
        filters=filters,
        rows=ordered,
        totals=totals,
        row_level="province" if by_province else "centre" if by_centre else "group",
        centres=[c for c in centres if c.id in row_of_centre],
        period_end=period_end,
        figure_centres=dict(figure_centres),
        period_centres=period_centres,
    )


def _at(row: Row, year: int) -> Figures:
    """The row's figures of `year`, created empty when it has none yet."""
    f = row.by_year.get(year)
    if f is None:
        f = row.by_year[year] = Figures()
    return f


def province_scope(province_id: int) -> Q:
    """A province's centres and those of the provinces merged into it (their history), as a Q on Centre."""
    return Q(commune__province_id=province_id) | Q(commune__province__merged_into_id=province_id)


def province_dashboard(*, province_id: int, filters: DashboardFilters) -> Dashboard:
    """The province dashboard without a request (the benchmark calls this), with the former provinces merged
    into it (their history). Three queries."""
    return dashboard(scope=province_scope(province_id), filters=filters)


def national_dashboard(*, filters: DashboardFilters, scope: Q | None = None) -> Dashboard:
    """The Ministry's dashboard: one row per province (the former provinces for the years before 01/07/2025
    under `then`, today's under `today`), linked to each province's dashboard. Four queries."""
    return dashboard(scope=Q() if scope is None else scope, filters=filters, by_province=True)


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
    by_kind_id: dict[int, Figures] = field(default_factory=dict)  # the last year's, by programme kind id

    def year_rows(self) -> list[dict]:
        """One dict per year for the table (the reports page and the registry's centre page share it):
        the centre's figures, the area's average per centre and the approved rating's label. Years before the
        centre's first figure or rating are left out (a centre formed on 01/07/2025 shows no lines of zeros for
        the years before it existed: its predecessors' record is theirs)."""
        labels = dict(Rating.choices)
        years = list(self.years)
        while years and years[0] not in self.own and years[0] not in self.ratings:
            years.pop(0)
        return [
            {
                "year": year,
                "own": self.own.get(year, Figures()),
                "avg": self.area_average.get(year, {}),
                "rating": labels.get(self.ratings.get(year, ""), ""),
            }
            for year in years
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
    kind_ids: dict[int, Figures] = {}
    for f in own_qs.select_related("programme_kind").order_by("year", "programme_kind__order"):
        fig = Figures.of(f, centres=1)
        own.setdefault(f.year, Figures(centres=1)).add(Figures.of(f))
        if f.year == filters.year_to:
            kinds.setdefault(f.programme_kind.name, Figures()).add(fig)
            kind_ids.setdefault(f.programme_kind_id, Figures()).add(fig)

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
        by_kind_id=kind_ids,
    )


def centre_comparison_kept(*, centre: Centre, filters: DashboardFilters) -> CentreComparison:
    """centre_comparison, from the cache while nothing it reads changed (issue 18: the centre's figures page).
    One query (data_stamp over the area's centres: their figure rows, the assessments, the names and who is in
    the area) while the stamp holds, else that and centre_comparison's three. Kept like the boards, for
    DASHBOARD_CACHE_SECONDS, keyed by the centre, its area, the filters and the stamp."""
    commune = centre.commune
    area = (
        Q(commune__district_id=commune.district_id)
        if commune.district_id
        else Q(commune__province_id=commune.province_id)
    )
    stamp = data_stamp(area)
    key_source = repr((centre.pk, commune.district_id, commune.province_id, filters, stamp))
    key = "reports:centre:" + hashlib.sha256(key_source.encode()).hexdigest()
    cache = caches["objects"]
    comparison = cache.get(key)
    if comparison is None:
        comparison = centre_comparison(centre=centre, filters=filters)
        cache.set(key, comparison, settings.DASHBOARD_CACHE_SECONDS)
    return comparison


def participation_by_kind(
    *, scope: Q, filters: DashboardFilters, by_province: bool = False
) -> dict[tuple[str, int], dict[int, dict]]:
    """Participation by group (`by_province`: by province, a third query), year and programme kind (official
    report b). Two queries: centres, figures."""
    centres = centres_info(scope=scope)
    if by_province:
        provinces = provinces_info()
        group = {
            c.id: ("province", p.id, p.label) for c in centres for p in [provinces[province_of(c, filters.grouping)]]
        }
    else:
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
