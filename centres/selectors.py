"""Reads of the registry that cross relations. Each docstring says what it costs."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

from django.db.models import (
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts import scoping
from centres.models import BoardMember, Centre, Equipment, InstructorAssignment
from tthtcd_portal.compiled import OneRow
from tthtcd_portal.vietnamese import by_name, person_order, sort_key

# Its SQL built once per process for each shape of scope (the centre page opens with it).
_centre_for_user = scoping.ScopedGet(lambda: Centre.objects.with_units(), "")


def centre_for_user(user, pk: int) -> Centre:
    """One centre the user sees, with its units and reviewing office, or 404 (accounts.scoping decides).
    One query."""
    return _centre_for_user(user, pk)


def centre_list(
    *,
    user,
    rating_year: int,
    district: int | None = None,
    commune_kind: str = "",
    status: str = "",
    rating: str = "",
    search: str = "",
    today: datetime.date | None = None,
) -> QuerySet[Centre]:
    """The centres the user sees, filtered, each with its units, its director on `today` (the local date by
    default), its number of active instructors and its rating of `rating_year`. One query (plus one for the
    province ids of a provincial official), whatever the number of centres: the extras are correlated
    subqueries."""
    # BoardMember's Meta ordering within one centre and position (its "centre" key, the centres' order, joined
    # the centre and its commune in every row's subquery: ~5 ms a row at national scale).
    director = (
        BoardMember.objects.on_date(today or timezone.localdate())
        .filter(centre=OuterRef("pk"), position=BoardMember.Position.GIAM_DOC)
        .order_by("-term_start", *person_order())
    )
    instructors = (
        InstructorAssignment.objects.filter(centre=OuterRef("pk"), active=True)
        .order_by()
        .values("centre")
        .annotate(n=Count("pk"))
        .values("n")
    )
    # The rating of `rating_year` through Centre.assessments, the relation evaluations.Assessment declares: an
    # approved rating is the only one with `rating` set. (centres sits below evaluations and imports nothing of it.)
    rated = FilteredRelation("assessments", condition=Q(assessments__year=rating_year) & ~Q(assessments__rating=""))
    qs = (
        Centre.objects.visible_to(user)
        .with_units()
        .annotate(
            director_name=Subquery(director.values("full_name")[:1]),
            instructor_count=Coalesce(Subquery(instructors), Value(0)),
            rated=rated,
            last_rating=F("rated__rating"),
            has_library=library_flag(),
        )
    )
    if district:
        qs = qs.filter(commune__district_id=district)
    if commune_kind:
        qs = qs.filter(commune__kind=commune_kind)
    if status:
        qs = qs.filter(status=status)
    if rating == "none":
        qs = qs.filter(last_rating__isnull=True)
    elif rating:
        qs = qs.filter(last_rating=rating)
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(commune__name__icontains=search) | Q(commune__code=search))
    return qs.order_by("commune__district__code", "commune__code", by_name())


def library_flag() -> Case:
    """Whether a centre has a library, bookshelf or reading point, read through `Centre.library`, the relation the
    library app declares (its kind "" says "no library"; no row: none recorded). The centres list's column and
    its `thu_vien` filter (centres.filters), and the list's export, all read this one expression."""
    return Case(When(library__kind__gt="", then=Value(True)), default=Value(False), output_field=BooleanField())


@dataclass
class CentrePage:
    centre: Centre
    board_date: datetime.date
    board: list[BoardMember]
    past_board: list[BoardMember]
    upcoming_board: list[BoardMember]
    instructors: list[InstructorAssignment]
    former_instructors: list[InstructorAssignment]
    predecessors: list[Centre]


def predecessors_of(centre: Centre) -> QuerySet[Centre]:
    """The centres merged into `centre`, with their commune and district, in the registry's order (named: an
    annotation that groups rows drops Meta.ordering). No query until read."""
    return (
        Centre.objects.filter(merged_into=centre).select_related("commune__district").order_by(*Centre._meta.ordering)
    )


def centre_page(
    *, centre: Centre, board_date: datetime.date, predecessors: QuerySet[Centre] | None = None
) -> CentrePage:
    """The registry's part of the centre page. Three queries (board, instructors with their person,
    predecessors), none depending on the number of rows. `predecessors` is `predecessors_of(centre)` as the
    caller wants it read (the centre page annotates their figures and rating, still one query)."""
    board_query, instructors_query = _registry_queries()
    members = board_query.all(centre.pk, board_date)
    board = [m for m in members if m.in_office]
    upcoming = [m for m in members if not m.in_office and m.term_start > board_date]
    past = sorted((m for m in members if not m.in_office and m.term_start <= board_date), key=_by_end_desc)
    links = instructors_query.all(centre.pk)
    predecessors = list(predecessors_of(centre) if predecessors is None else predecessors)
    return CentrePage(
        centre=centre,
        board_date=board_date,
        board=board,
        past_board=past,
        upcoming_board=upcoming,
        instructors=[link for link in links if link.active],
        former_instructors=[link for link in links if not link.active],
        predecessors=predecessors,
    )


@cache
def _registry_queries() -> tuple[OneRow, OneRow]:
    """The centre page's board (every term, each with `in_office` on the day asked) and instructors (with their
    person), their SQL built once per process (tthtcd_portal/compiled.py)."""
    centre = Centre._meta.pk
    return (
        OneRow(
            lambda c, day: BoardMember.objects.filter(centre=c).annotate(
                in_office=ExpressionWrapper(BoardMember.in_office_q(day), output_field=BooleanField())
            ),
            fields=(centre, BoardMember._meta.get_field("term_start")),
            markers=(-7_200_001, datetime.date(1901, 6, 7)),
        ),
        OneRow(
            lambda c: InstructorAssignment.objects.filter(centre=c).select_related("instructor"),
            fields=(centre,),
            markers=(-7_200_002,),
        ),
    )


def _by_end_desc(member: BoardMember):
    return (-member.term_end.toordinal(), member.position)


def with_board_and_instructor_counts(centres: QuerySet[Centre], *, day: datetime.date) -> QuerySet[Centre]:
    """The centres with `board_count` (members in office on `day`) and `teaching_count` (instructors actively
    teaching there), for official report (c). Still one query whatever the number of centres."""
    return centres.annotate(
        board_count=Count(
            "board_members", filter=BoardMember.in_office_q(day, prefix="board_members__"), distinct=True
        ),
        teaching_count=Count("instructor_assignments", filter=Q(instructor_assignments__active=True), distinct=True),
    )


EQUIPMENT_SHOWN = 20


def centre_equipment(*, centre: Centre) -> list[Equipment]:
    """The centre's equipment (part of its facilities), latest received first, with the contribution that gave
    each item (the relation resources.Contribution declares, `Equipment.contribution`). One query."""
    return _equipment_query().all(centre.pk)


@cache
def _equipment_query() -> OneRow:
    """centre_equipment's SQL, built once per process (tthtcd_portal/compiled.py)."""
    return OneRow(
        lambda c: (
            Equipment.objects.filter(centre=c)
            .select_related("contribution")
            .order_by("-received_on", "-id")[:EQUIPMENT_SHOWN]
        ),
        fields=(Centre._meta.pk,),
        markers=(-7_200_003,),
    )


def commune_in_year_q(year: int, prefix: str = "") -> Q:
    """Centres whose commune existed at some time in `year` (units keep their validity: docs/units.md)."""
    return Q(**{f"{prefix}commune__valid_from__lte": datetime.date(year, 12, 31)}) & (
        Q(**{f"{prefix}commune__valid_until__isnull": True})
        | Q(**{f"{prefix}commune__valid_until__gte": datetime.date(year, 1, 1)})
    )


# --- Same territory across the 2025 reform ----------------------------------------------------------------------


def with_predecessors_q(scope: Q) -> Q:
    """The centres of `scope` (a Q on Centre) and their predecessors, the centres merged into them two generations
    back: the history a same-territory view adds to a scope (a cluster office of today reviews new centres whose
    predecessors the former district offices reviewed). No query; two subqueries when read."""
    own = Centre.objects.filter(scope).values("pk")
    return scope | Q(merged_into__in=own) | Q(merged_into__merged_into__in=own)


class TodayCentre(NamedTuple):
    """The centre and commune of today that took a centre in (docs/reports.md, "Across the 2025 reform")."""

    centre_id: int | None  # None: the centre ended unmerged and only its commune was merged
    centre_name: str
    commune_id: int | None
    commune_name: str
    commune_code: str


def today_of(info: dict, by_id: dict[int, dict]) -> TodayCentre:
    """The rule of the same-territory view, for a centre read as a dict (keys: id, name, status, commune_id,
    commune_name, commune_code, commune_merged_into_id/_name/_code, merged_into_id and the successor's
    merged_into_name, merged_into_commune_id/_name/_code) among `by_id`, the other centres read: its successor
    centre's (following Centre.merged_into through the centres read, then one join beyond them), else — a centre
    that ended unmerged in a commune that was merged — the commune its commune became part of; a centre neither
    merged nor in a merged commune is its own. A split commune's centre goes whole to the new commune its centre
    was merged into (docs/units.md, "Split communes"): its figures are never apportioned. No query.

    The dashboard (reports.dashboard.centres_info) and `today_centres` (the library and resources pages) both
    apply it, so every page counts a former centre under the same commune of today."""
    current, seen = info, set()
    while current["merged_into_id"] in by_id and current["id"] not in seen:
        seen.add(current["id"])
        current = by_id[current["merged_into_id"]]
    if current["merged_into_id"]:
        return TodayCentre(
            current["merged_into_id"],
            current["merged_into_name"] or "",
            current["merged_into_commune_id"],
            current["merged_into_commune_name"] or "",
            current["merged_into_commune_code"] or "",
        )
    if current["commune_merged_into_id"] and current["status"] != Centre.Status.ACTIVE:
        return TodayCentre(
            None,
            "",
            current["commune_merged_into_id"],
            current["commune_merged_into_name"] or "",
            current["commune_merged_into_code"] or "",
        )
    return TodayCentre(
        current["id"], current["name"], current["commune_id"], current["commune_name"], current["commune_code"] or ""
    )


MERGE_DEPTH = 3  # successors read in one query: a 2019 commune merger, then the 2025 reform, and one more
_LEVEL_FIELDS = {
    "id": "id",
    "name": "name",
    "status": "status",
    "commune_id": "commune_id",
    "commune_name": "commune__name",
    "commune_code": "commune__code",
    "commune_merged_into_id": "commune__merged_into_id",
    "commune_merged_into_name": "commune__merged_into__name",
    "commune_merged_into_code": "commune__merged_into__code",
}


def today_centres(centre_ids) -> dict[int, TodayCentre]:
    """{centre id: the centre and commune of today that took it in} for `centre_ids` (`today_of`'s rule). One
    query: each centre with its successors through Centre.merged_into, MERGE_DEPTH generations joined (and one
    join beyond the last), whatever the number of centres. A centre merged more often than that counts under the
    successor the joins reach."""
    ids = list(centre_ids)
    if not ids:
        return {}
    paths = {}
    for level in range(MERGE_DEPTH + 1):
        prefix = "merged_into__" * level
        for key, path in _LEVEL_FIELDS.items():
            paths[(level, key)] = prefix + path
    beyond = "merged_into__" * (MERGE_DEPTH + 1)
    paths |= {
        (MERGE_DEPTH + 1, "id"): beyond + "id",
        (MERGE_DEPTH + 1, "name"): beyond + "name",
        (MERGE_DEPTH + 1, "commune_id"): beyond + "commune_id",
        (MERGE_DEPTH + 1, "commune_name"): beyond + "commune__name",
        (MERGE_DEPTH + 1, "commune_code"): beyond + "commune__code",
    }
    found = {}
    for row in Centre.objects.filter(pk__in=ids).order_by().values(*paths.values()):
        levels = [{key: row[paths[(level, key)]] for key in _LEVEL_FIELDS} for level in range(MERGE_DEPTH + 1)]
        levels.append(
            {
                key: row[paths[(MERGE_DEPTH + 1, key)]]
                for key in ("id", "name", "commune_id", "commune_name", "commune_code")
            }
        )
        chain = {}
        for level, info in enumerate(levels[:-1]):
            if info["id"] is None:
                break
            after = levels[level + 1]
            info |= {
                "merged_into_id": after["id"],
                "merged_into_name": after["name"],
                "merged_into_commune_id": after["commune_id"],
                "merged_into_commune_name": after["commune_name"],
                "merged_into_commune_code": after["commune_code"],
            }
            chain[info["id"]] = info
        found[row["id"]] = today_of(levels[0], chain)
    return found


@dataclass
class TerritoryRow:
    """A row of a same-territory table: today's centre (or a centre that ended unmerged in a merged commune, under
    the commune its commune became part of) and the centres whose figures it sums — its predecessors and
    itself. The apps add their figures as attributes."""

    pk: int
    name: str
    commune_name: str
    commune_code: str
    centre: Centre | None  # today's centre as the user may open it; None when it is outside their scope
    members: list[Centre]

    @property
    def former(self) -> list[Centre]:
        """The members other than the row's own centre: the former centres counted under it."""
        return [c for c in self.members if c.pk != self.pk]


def territory_rows(*, user, centres: list[Centre], related: tuple[str, ...] = ()) -> list[TerritoryRow]:
    """`centres` (a province page's rows of a year) regrouped onto the centres of today that took them in
    (`today_centres`), in the statistics office's order of today's communes, then by name. Two queries:
    the successors, and today's centres in the user's scope (with `related` selected)."""
    today = today_centres(c.pk for c in centres)
    groups: dict[int, list[Centre]] = {}
    keys: dict[int, TodayCentre] = {}
    for centre in centres:
        found = today[centre.pk]
        if found.centre_id is None:  # closed unmerged: its own row, under the commune its commune became part of
            found = found._replace(centre_id=centre.pk, centre_name=centre.name)
        groups.setdefault(found.centre_id, []).append(centre)
        keys[found.centre_id] = found
    visible = (
        {c.pk: c for c in Centre.objects.visible_to(user).filter(pk__in=list(groups)).select_related(*related)}
        if groups
        else {}
    )
    rows = [
        TerritoryRow(
            pk=key,
            name=keys[key].centre_name,
            commune_name=keys[key].commune_name,
            commune_code=keys[key].commune_code,
            centre=visible.get(key),
            members=members,
        )
        for key, members in groups.items()
    ]
    return sorted(rows, key=lambda r: (r.commune_code, sort_key(r.name)))


GROUP_THEN, GROUP_TODAY = "then", "today"  # the `nhom` vocabulary (reports.dashboard has a third, `former`)


def grouping_param(value) -> str:
    """`nhom` of a province page of the apps below reports: `today` (same territory) or `then` (the default)."""
    return GROUP_TODAY if value == GROUP_TODAY else GROUP_THEN
