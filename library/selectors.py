"""Reads of the library app. Each docstring says what it costs in queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from functools import cache

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, ExtractYear

from accounts import scoping
from centres.models import Centre
from centres.selectors import TerritoryRow, commune_in_year_q, territory_rows, with_predecessors_q
from library.models import Holding, Library, LibraryMonth, ReadingEvent
from tthtcd_portal.compiled import OneRow
from tthtcd_portal.vietnamese import by_name


def holding_for_user(user, pk: int) -> Holding:
    """One live holdings count the user may see, with its centre, or 404. One query."""
    return scoping.get_scoped_or_404(user, Holding.objects.select_related("centre"), "centre", pk=pk)


def reading_event_for_user(user, pk: int) -> ReadingEvent:
    """One live reading event the user may see, with its centre, or 404. One query."""
    return scoping.get_scoped_or_404(user, ReadingEvent.objects.select_related("centre"), "centre", pk=pk)


@dataclass
class MonthRow:
    month: int
    row: LibraryMonth | None

    @property
    def readers(self):
        return self.row.readers if self.row else None

    @property
    def loans(self):
        return self.row.loans if self.row else None


@dataclass
class CentreLibrary:
    centre: Centre
    year: int
    library: Library | None
    holdings: list[Holding]
    months: list[MonthRow]
    events: list[ReadingEvent]
    years: list[int] = field(default_factory=list)

    @property
    def has_library(self) -> bool:
        return self.library is not None and self.library.exists

    @property
    def latest_holding(self) -> Holding | None:
        return self.holdings[0] if self.holdings else None

    @property
    def readers(self) -> int:
        return sum(m.readers or 0 for m in self.months)

    @property
    def loans(self) -> int:
        return sum(m.loans or 0 for m in self.months)

    @property
    def participants(self) -> int:
        return sum(e.participants for e in self.events)


def centre_library(*, centre: Centre, year: int) -> CentreLibrary:
    """The centre's library page for a year: the library (1), its holdings (1), the year's months (1), the year's
    reading events (1). Four queries whatever the number of rows."""
    months = {m.month: m for m in LibraryMonth.objects.filter(centre=centre, year=year)}
    return CentreLibrary(
        centre=centre,
        year=year,
        library=Library.objects.filter(centre=centre).first(),
        holdings=list(Holding.objects.filter(centre=centre).order_by("-as_of")[:20]),
        months=[MonthRow(month=m, row=months.get(m)) for m in range(1, 13)],
        events=list(ReadingEvent.objects.filter(centre=centre, date__year=year).order_by("-date", "-id")),
    )


def _first(queryset: QuerySet) -> QuerySet:
    """`queryset.first()` as a queryset: its own order, else the primary key's; one row."""
    return (queryset if queryset.ordered else queryset.order_by("pk"))[:1]


@cache
def _summary_queries() -> tuple[OneRow, OneRow, OneRow, OneRow]:
    """The centre page's four library reads, their SQL built once per process (tthtcd_portal/compiled.py): the
    ORM building them cost more than running them, on every centre page."""
    centre, year = Centre._meta.pk, LibraryMonth._meta.get_field("year")
    day = ReadingEvent._meta.get_field("date")
    return (
        OneRow(lambda c: _first(Library.objects.filter(centre=c)), fields=(centre,), markers=(-7_100_001,)),
        OneRow(
            lambda c, y: (
                LibraryMonth.objects.filter(centre=c, year=y)
                .order_by()
                .values("centre")
                .annotate(readers=Sum("readers"), loans=Sum("loans"), months=Count("id"))
                .values_list("readers", "loans", "months")
            ),
            fields=(centre, year),
            markers=(-7_100_002, 7_101),
        ),
        # The year's events as date__year reads them (first to last day), the days bound apart.
        OneRow(
            lambda c, first, last: (
                ReadingEvent.objects.filter(centre=c, date__gte=first, date__lte=last)
                .order_by()
                .values("centre")
                .annotate(n=Count("id"), participants=Sum("participants"))
                .values_list("n", "participants")
            ),
            fields=(centre, day, day),
            markers=(-7_100_003, datetime.date(1901, 2, 3), datetime.date(1901, 4, 5)),
        ),
        OneRow(
            lambda c: Holding.objects.filter(centre=c).order_by("-as_of")[:1], fields=(centre,), markers=(-7_100_004,)
        ),
    )


def centre_library_summary(*, centre: Centre, year: int) -> dict:
    """The centre page's small library section: the library, the latest holdings, the year's readers and loans
    and reading events. Four queries, built once per process."""
    library_row, months_rows, events_rows, holding_row = _summary_queries()
    library = library_row.get(centre.pk)
    readers, loans, months = (months_rows.all(centre.pk, year) or [(None, None, 0)])[0]
    events, participants = (
        events_rows.all(centre.pk, datetime.date(year, 1, 1), datetime.date(year, 12, 31)) or [(0, None)]
    )[0]
    return {
        "library": library,
        "has_library": library is not None and library.exists,
        "latest_holding": holding_row.get(centre.pk),
        "year": year,
        "readers": readers or 0,
        "loans": loans or 0,
        "months": months,
        "events": events,
        "participants": participants or 0,
    }


# --- The province's view: activity by commune and year -------------------------------------------------------

ACTIVITY_FIGURES = ("readers", "loans", "events", "participants", "books", "newspapers", "magazines")


def _sum_of(queryset: QuerySet, field_name: str) -> Subquery:
    return Coalesce(
        Subquery(queryset.order_by().values("centre").annotate(n=Sum(field_name)).values("n")),
        Value(0),
        output_field=IntegerField(),
    )


def library_activity(*, user, year: int, with_predecessors: bool = False) -> QuerySet[Centre]:
    """The centres in the user's scope for `year`, each with the year's readers, loans, reading events and their
    participants, and its holdings as last counted by 31/12 of the year: the centres of the communes that existed
    that year (before or after the 2025 reform), and any other with figures that year; `with_predecessors`, the
    centres merged into those of the scope too (centres.selectors.with_predecessors_q). One query (one more for
    an official's province ids): correlated subqueries."""
    months = LibraryMonth.objects.filter(centre=OuterRef("pk"), year=year)
    events = ReadingEvent.objects.filter(centre=OuterRef("pk"), date__year=year)
    held = Holding.objects.filter(centre=OuterRef("pk"), as_of__lte=datetime.date(year, 12, 31)).order_by("-as_of")
    event_count = Subquery(events.order_by().values("centre").annotate(n=Count("id")).values("n"))
    scope = scoping.centre_q(user)
    qs = (
        Centre.objects.filter(with_predecessors_q(scope) if with_predecessors else scope)
        .with_units()
        .select_related("library")
        .annotate(
            readers=_sum_of(months, "readers"),
            loans=_sum_of(months, "loans"),
            month_count=Coalesce(
                Subquery(months.order_by().values("centre").annotate(n=Count("id")).values("n")), Value(0)
            ),
            events=Coalesce(event_count, Value(0)),
            participants=_sum_of(events, "participants"),
            books=Coalesce(Subquery(held.values("books")[:1]), Value(0)),
            newspapers=Coalesce(Subquery(held.values("newspapers")[:1]), Value(0)),
            magazines=Coalesce(Subquery(held.values("magazines")[:1]), Value(0)),
        )
    )
    return qs.filter(commune_in_year_q(year) | Q(month_count__gt=0) | Q(events__gt=0)).order_by(
        "commune__district__code", "commune__code", by_name()
    )


@dataclass
class YearTotals:
    year: int
    readers: int = 0
    loans: int = 0
    events: int = 0
    participants: int = 0


def library_years(*, user, years: list[int]) -> list[YearTotals]:
    """The scope's readers, loans, reading events and participants by year. Two queries (plus one for an
    official's province ids)."""
    scope = scoping.centre_q(user, "centre__")
    found = {y: YearTotals(year=y) for y in years}
    for row in (
        LibraryMonth.objects.filter(scope, year__in=years)
        .order_by()
        .values("year")
        .annotate(readers=Sum("readers"), loans=Sum("loans"))
    ):
        found[row["year"]].readers, found[row["year"]].loans = row["readers"] or 0, row["loans"] or 0
    for row in (
        ReadingEvent.objects.filter(scope, date__year__in=years)
        .annotate(y=ExtractYear("date"))
        .order_by()
        .values("y")
        .annotate(n=Count("id"), participants=Sum("participants"))
    ):
        found[row["y"]].events, found[row["y"]].participants = row["n"], row["participants"] or 0
    return [found[y] for y in years]


FLOW_FIGURES = ("readers", "loans", "events", "participants")  # counted over the year: summed
STOCK_FIGURES = ("books", "newspapers", "magazines")  # counted on a day: those of the centres open on 31/12


def open_at_end_of(centre: Centre, year: int) -> bool:
    """Open on 31/12 of `year`: a centre merged or dissolved that year hands its library on with it."""
    return centre.status_date is None or centre.status_date > datetime.date(year, 12, 31)


def library_activity_today(*, user, year: int) -> list[TerritoryRow]:
    """`library_activity` of `year` on the centres of today (nhom=today, docs/library.md "Same territory"): each
    row today's centre, with the readers, loans, events and participants of every centre it took in (and its
    own), and the holdings of those of them still open on 31/12 of the year (a former centre merged in 2025 has
    handed its books to today's centre, which counts them at the year's end: not counted twice). The centres of
    the user's scope and their predecessors (a cluster reviewer sees the history of the centres they review, as
    on the dashboard); rows only for today's centres. Three queries:
    library_activity's (1), the successors (1), today's centres with their library (1); plus one for an
    official's province ids."""
    centres = list(library_activity(user=user, year=year, with_predecessors=True))
    rows = territory_rows(user=user, centres=centres, related=("library",))
    for row in rows:
        for name in FLOW_FIGURES:
            setattr(row, name, sum(getattr(c, name) for c in row.members))
        for name in STOCK_FIGURES:
            setattr(row, name, sum(getattr(c, name) for c in row.members if open_at_end_of(c, year)))
        row.library = getattr(row.centre, "library", None) if row.centre else None
    return rows
