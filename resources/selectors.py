"""Reads of resources mobilised. Each docstring says what it costs in queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear

from accounts import scoping
from centres.models import Centre
from centres.selectors import TerritoryRow, commune_in_year_q, territory_rows, with_predecessors_q
from resources.models import Contribution, Source
from tthtcd_portal.compiled import OneRow
from tthtcd_portal.vietnamese import by_name, clean_name

SOURCES = list(Source)


def natural_description(value: str) -> str:
    """The one spelling of a contribution's description, as stored and as an import compares it (any case)."""
    return clean_name(value)


def contribution_existing(*, centre, date, source, kind, description) -> Contribution | None:
    """The live contribution under the natural key (centre, date, source, kind, description in any case), if any.
    One query."""
    wanted = natural_description(description).casefold()
    for found in Contribution.objects.filter(centre=centre, date=date, source=source, kind=kind):
        if found.description.casefold() == wanted:
            return found
    return None


def contribution_for_user(user, pk: int) -> Contribution:
    """One live contribution the user may see, with its centre and equipment item, or 404. One query."""
    return scoping.get_scoped_or_404(user, Contribution.objects.select_related("centre", "equipment"), "centre", pk=pk)


def centre_contributions(*, centre: Centre, year: int) -> list[Contribution]:
    """The centre's contributions received in `year`, latest first, with their equipment items. One query."""
    return list(
        Contribution.objects.filter(centre=centre, date__year=year).select_related("equipment").order_by("-date", "-id")
    )


@dataclass
class SourceTotals:
    """Values in VND by source, and how many contributions (some without a value: books, labour)."""

    by_source: dict[str, int] = field(default_factory=dict)
    count: int = 0

    @property
    def total(self) -> int:
        return sum(self.by_source.values())

    def values(self) -> list[int]:
        return [self.by_source.get(s.value, 0) for s in SOURCES]

    def present(self) -> list[tuple[str, int]]:
        """(source label, value) of the sources that gave anything, in the vocabulary's order."""
        return [(str(s.label), self.by_source[s.value]) for s in SOURCES if s.value in self.by_source]


def _totals(rows, key: str) -> dict:
    found: dict = {}
    for row in rows:
        totals = found.setdefault(row[key], SourceTotals())
        totals.by_source[row["source"]] = totals.by_source.get(row["source"], 0) + (row["value"] or 0)
        totals.count += row["n"]
    return found


def centre_totals_by_year(*, centre: Centre) -> list[tuple[int, SourceTotals]]:
    """The centre page's section: the centre's totals by source and year, latest year first. One query."""
    rows = [
        {"y": y, "source": source, "value": value, "n": n}
        for y, source, value, n in _centre_totals_query().all(centre.pk)
    ]
    return sorted(_totals(rows, "y").items(), reverse=True)


@cache
def _centre_totals_query() -> OneRow:
    """centre_totals_by_year's SQL, built once per process (tthtcd_portal/compiled.py)."""
    return OneRow(
        lambda c: (
            Contribution.objects.filter(centre=c)
            .annotate(y=ExtractYear("date"))
            .order_by()
            .values("y", "source")
            .annotate(value=Sum("value"), n=Count("id"))
            .values_list("y", "source", "value", "n")
        ),
        fields=(Centre._meta.pk,),
        markers=(-7_400_001,),
    )


def contributions_by_centre(*, user, year: int, with_predecessors: bool = False) -> list[Centre]:
    """The province's page for a year: the centres in the user's scope (of the communes that existed that year,
    or with contributions that year), each with `.totals` (SourceTotals of the year); `with_predecessors`, the
    centres merged into those of the scope too (centres.selectors.with_predecessors_q). Two queries (plus one for
    an official's province ids)."""
    scope = scoping.centre_q(user)
    if with_predecessors:
        scope = with_predecessors_q(scope)
    totals = _totals(
        Contribution.objects.filter(centre__in=Centre.objects.filter(scope).values("pk"), date__year=year)
        .order_by()
        .values("centre", "source")
        .annotate(value=Sum("value"), n=Count("id")),
        "centre",
    )
    centres = list(
        Centre.objects.filter(scope)
        .with_units()
        .filter(commune_in_year_q(year) | Q(pk__in=list(totals)))
        .order_by("commune__district__code", "commune__code", by_name())
    )
    for centre in centres:
        centre.totals = totals.get(centre.pk, SourceTotals())
    return centres


def contributions_by_year(*, user, years: list[int]) -> list[tuple[int, SourceTotals]]:
    """The scope's totals by source for each year. One query (plus one for an official's province ids)."""
    rows = (
        Contribution.objects.filter(scoping.centre_q(user, "centre__"), date__year__in=years)
        .annotate(y=ExtractYear("date"))
        .order_by()
        .values("y", "source")
        .annotate(value=Sum("value"), n=Count("id"))
    )
    found = _totals(rows, "y")
    return [(y, found.get(y, SourceTotals())) for y in years]


def contributions_evidence(*, centre_id: int, year: int) -> QuerySet[Contribution]:
    """The self-assessment's evidence for criterion group 3 (Huy động sự tham gia của xã hội): the centre's
    contributions received in the assessment's year, by date. evaluations calls it; one query when read."""
    return Contribution.objects.filter(centre_id=centre_id, date__year=year).order_by("date", "id")


def contributions_by_centre_today(*, user, year: int) -> list[TerritoryRow]:
    """`contributions_by_centre` of `year` on the centres of today (nhom=today, docs/library.md "Same territory"):
    each row today's centre with `.totals`, the sum of its own and of every centre it took in (the centres of the
    user's scope and their predecessors, as on the dashboard). Four queries:
    contributions_by_centre's (2), the successors (1), today's centres (1); plus one for an official's province
    ids."""
    rows = territory_rows(user=user, centres=contributions_by_centre(user=user, year=year, with_predecessors=True))
    for row in rows:
        totals = SourceTotals()
        for centre in row.members:
            for source, value in centre.totals.by_source.items():
                totals.by_source[source] = totals.by_source.get(source, 0) + value
            totals.count += centre.totals.count
        row.totals = totals
    return rows
