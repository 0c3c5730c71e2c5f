"""Reads of the registry that cross relations. Each docstring says what it costs."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from itertools import chain

from django.db.models import CharField, Count, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts import scoping
from centres.models import BoardMember, Centre, Instructor, InstructorAssignment
from tthtcd_portal.vietnamese import by_name


def _last_year_rating(year: int) -> Subquery:
    from evaluations.models import Assessment

    return Subquery(
        Assessment.objects.filter(centre=OuterRef("pk"), year=year).exclude(rating="").values("rating")[:1],
        output_field=CharField(),
    )


def centre_list(
    *,
    user,
    rating_year: int,
    district: int | None = None,
    commune_kind: str = "",
    status: str = "",
    has_library: bool | None = None,
    rating: str = "",
    search: str = "",
) -> QuerySet[Centre]:
    """The centres the user sees, filtered, each with its units, its current director's name, its number of
    active instructors and its rating of `rating_year`. One query (plus one for the province ids of a
    provincial official), whatever the number of centres: the extras are correlated subqueries."""
    today = timezone.localdate()
    director = BoardMember.objects.on_date(today).filter(centre=OuterRef("pk"), position=BoardMember.Position.GIAM_DOC)
    instructors = (
        InstructorAssignment.objects.filter(centre=OuterRef("pk"), active=True)
        .order_by()
        .values("centre")
        .annotate(n=Count("pk"))
        .values("n")
    )
    qs = (
        scoping.visible_centres(user)
        .with_units()
        .annotate(
            director_name=Subquery(director.values("full_name")[:1]),
            instructor_count=Coalesce(Subquery(instructors), Value(0)),
            last_rating=_last_year_rating(rating_year),
        )
    )
    if district:
        qs = qs.filter(commune__district_id=district)
    if commune_kind:
        qs = qs.filter(commune__kind=commune_kind)
    if status:
        qs = qs.filter(status=status)
    if has_library is not None:
        qs = qs.filter(has_library=has_library)
    if rating == "none":
        qs = qs.filter(last_rating__isnull=True)
    elif rating:
        qs = qs.filter(last_rating=rating)
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(commune__name__icontains=search) | Q(commune__code=search))
    return qs.order_by("commune__district__code", "commune__code", by_name())


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
    history: list[HistoryEntry] = field(default_factory=list)


def centre_page(*, centre: Centre, board_date: datetime.date, with_history: bool) -> CentrePage:
    """Everything the centre page shows. Three queries (board, instructors with their person, predecessors)
    plus four for the change history when asked; none depends on the number of rows."""
    members = list(BoardMember.objects.filter(centre=centre))
    board = [m for m in members if m.term_start <= board_date and (m.term_end is None or m.term_end >= board_date)]
    past = sorted((m for m in members if m.term_end is not None and m.term_end < board_date), key=_by_end_desc)
    upcoming = [m for m in members if m.term_start > board_date]
    links = list(InstructorAssignment.objects.filter(centre=centre).select_related("instructor"))
    predecessors = list(Centre.objects.filter(merged_into=centre).select_related("commune__district"))
    page = CentrePage(
        centre=centre,
        board_date=board_date,
        board=board,
        past_board=past,
        upcoming_board=upcoming,
        instructors=[link for link in links if link.active],
        former_instructors=[link for link in links if not link.active],
        predecessors=predecessors,
    )
    if with_history:
        page.history = centre_history(centre=centre, instructor_ids=[link.instructor_id for link in links])
    return page


def _by_end_desc(member: BoardMember):
    return (-member.term_end.toordinal(), member.position)


# --- Change history --------------------------------------------------------------------------------

# Fields never worth showing in a change list.
_SKIP_FIELDS = {"id", "updated_at", "created_at", "centre", "instructor"}


@dataclass
class HistoryEntry:
    when: datetime.datetime
    who: str
    kind: str  # "+", "~", "-"
    subject: str
    object_label: str
    changes: list[str]
    reason: str


def _entries(records: list, subject: str) -> list[HistoryEntry]:
    """Turn historical records (all of them, oldest first) into entries with the fields each one changed."""
    model = records[0].instance_type if records else None
    fields = [f for f in model._meta.concrete_fields if f.name not in _SKIP_FIELDS] if model else []
    previous: dict[int, object] = {}
    entries = []
    for record in records:
        before = previous.get(record.id)
        changes = []
        if before is not None and record.history_type == "~":
            changes = [str(f.verbose_name) for f in fields if getattr(before, f.attname) != getattr(record, f.attname)]
        previous[record.id] = record
        user = record.history_user
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=_person(user),
                kind=record.history_type,
                subject=subject,
                object_label=_record_label(record),
                changes=changes,
                reason=record.history_change_reason or "",
            )
        )
    return entries


def _person(user) -> str:
    """Vietnamese order: family and middle names (last_name) before the given name."""
    if user is None:
        return ""
    return f"{user.last_name} {user.first_name}".strip() or user.username


def _record_label(record) -> str:
    if hasattr(record, "full_name"):
        return record.full_name
    if hasattr(record, "name"):
        return record.name
    return ""


def centre_history(*, centre: Centre, instructor_ids: list[int], limit: int = 40) -> list[HistoryEntry]:
    """Who changed what and when on the centre, its board and its instructors, newest first. Four queries
    (one per history table, each with its user); an assignment's label comes from its instructor."""
    from django.utils.translation import gettext as _

    centre_records = list(Centre.history.filter(id=centre.pk).select_related("history_user").order_by("history_date"))
    board_records = list(
        BoardMember.history.filter(centre_id=centre.pk).select_related("history_user").order_by("history_date")
    )
    person_records = list(
        Instructor.history.filter(id__in=instructor_ids).select_related("history_user").order_by("history_date")
    )
    link_records = list(
        InstructorAssignment.history.filter(centre_id=centre.pk).select_related("history_user").order_by("history_date")
    )
    names = {}
    for record in person_records:
        names[record.id] = record.full_name
    link_entries = _entries(link_records, _("Giảng viên tại trung tâm"))
    for entry, record in zip(link_entries, link_records, strict=True):
        entry.object_label = names.get(record.instructor_id, "")
    entries = chain(
        _entries(centre_records, _("Trung tâm")),
        _entries(board_records, _("Ban Giám đốc")),
        _entries(person_records, _("Giảng viên")),
        link_entries,
    )
    return sorted(entries, key=lambda e: e.when, reverse=True)[:limit]


def board_and_instructor_counts(centre_ids: list[int]) -> dict[int, list[int]]:
    """Per centre: board members in office today and instructors actively teaching there, for official
    report (c) (reports.official.CENTRE_REPORT_EXTRA_COLUMNS). One query whatever the number of centres."""
    from tthtcd_portal.db_router import read_db

    today = timezone.localdate()
    in_office = Q(board_members__term_start__lte=today) & (
        Q(board_members__term_end__isnull=True) | Q(board_members__term_end__gte=today)
    )
    rows = (
        Centre.objects.using(read_db())
        .filter(id__in=centre_ids)
        .annotate(
            board=Count("board_members", filter=in_office, distinct=True),
            teaching=Count("instructor_assignments", filter=Q(instructor_assignments__active=True), distinct=True),
        )
        .values_list("id", "board", "teaching")
    )
    return {centre_id: [board, teaching] for centre_id, board, teaching in rows}
