"""Reads of the registry that cross relations. Each docstring says what it costs."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

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
from tthtcd_portal.vietnamese import by_name


def centre_for_user(user, pk: int) -> Centre:
    """One centre the user sees, with its units and reviewing office, or 404 (accounts.scoping decides).
    One query."""
    return scoping.get_scoped_or_404(user, Centre.objects.with_units(), "", pk=pk)


def centre_list(
    *,
    user,
    rating_year: int,
    district: int | None = None,
    commune_kind: str = "",
    status: str = "",
    rating: str = "",
    search: str = "",
) -> QuerySet[Centre]:
    """The centres the user sees, filtered, each with its units, its current director's name, its number of
    active instructors and its rating of `rating_year`. One query (plus one for the province ids of a
    provincial official), whatever the number of centres: the extras are correlated subqueries."""
    director = BoardMember.objects.on_date(timezone.localdate()).filter(
        centre=OuterRef("pk"), position=BoardMember.Position.GIAM_DOC
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


def centre_page(*, centre: Centre, board_date: datetime.date) -> CentrePage:
    """The registry's part of the centre page. Three queries (board, instructors with their person,
    predecessors), none depending on the number of rows."""
    members = list(
        BoardMember.objects.filter(centre=centre).annotate(
            in_office=ExpressionWrapper(BoardMember.in_office_q(board_date), output_field=BooleanField())
        )
    )
    board = [m for m in members if m.in_office]
    upcoming = [m for m in members if not m.in_office and m.term_start > board_date]
    past = sorted((m for m in members if not m.in_office and m.term_start <= board_date), key=_by_end_desc)
    links = list(InstructorAssignment.objects.filter(centre=centre).select_related("instructor"))
    predecessors = list(Centre.objects.filter(merged_into=centre).select_related("commune__district"))
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
    return list(
        Equipment.objects.filter(centre=centre)
        .select_related("contribution")
        .order_by("-received_on", "-id")[:EQUIPMENT_SHOWN]
    )


def commune_in_year_q(year: int, prefix: str = "") -> Q:
    """Centres whose commune existed at some time in `year` (units keep their validity: docs/units.md)."""
    return Q(**{f"{prefix}commune__valid_from__lte": datetime.date(year, 12, 31)}) & (
        Q(**{f"{prefix}commune__valid_until__isnull": True})
        | Q(**{f"{prefix}commune__valid_until__gte": datetime.date(year, 1, 1)})
    )
