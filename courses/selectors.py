"""Reads for classes, sessions and learners. Each docstring says what it costs in queries."""

from __future__ import annotations

import calendar
import datetime
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, IntegerField, Max, Min, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from accounts import scoping
from centres.models import Centre, Instructor
from courses.models import (
    Attendance,
    CentreClassCount,
    ClassSession,
    Course,
    Enrolment,
    Learner,
    ProgrammeKind,
    ProvinceProgrammeKind,
)
from tthtcd_portal.compiled import OneRow, kept
from tthtcd_portal.db_router import read_db
from tthtcd_portal.vietnamese import by_name, clean_name, person_order

NAME_SEPARATORS = re.compile(r"\s*[,;]\s*")


def course_list(*, user, centre_id: int | None = None) -> QuerySet:
    """Classes the user may see (of one centre when given), newest first, with centre, commune and kind joined
    and the number of sessions and participations as correlated subqueries (computed only for the rows read).
    The classes list filters it with courses.filters.CourseFilter. One query per page."""
    qs = _with_counts(
        scoping.scoped(user, Course.objects.all(), "centre").select_related("centre__commune", "programme_kind")
    )
    if centre_id:
        qs = qs.filter(centre_id=centre_id)
    return qs


def _with_counts(courses: QuerySet) -> QuerySet:
    """The classes with their sessions and participations (correlated subqueries), newest first."""
    sessions = ClassSession.objects.filter(course=OuterRef("pk")).order_by().values("course")
    return courses.annotate(
        session_count=Coalesce(Subquery(sessions.annotate(n=Count("id")).values("n")), 0),
        participation_count=Coalesce(
            Subquery(sessions.annotate(n=Sum("present")).values("n"), output_field=IntegerField()), 0
        ),
    ).order_by("-start_date", "-id")


# What a row of the classes list shows (courses/templatetags/course_rows.py): `course_list(...).only(*…)` builds
# four small instances a row instead of every column of the class, its centre, commune and kind (issue 18).
COURSE_ROW_FIELDS = (
    "title",
    "format",
    "start_date",
    "centre__commune__name",
    "programme_kind__name",
)


def live_class_count(*, user, centre_id: int | None = None) -> int:
    """How many live classes the user sees (of one centre when given): `course_list(...).count()` read from the
    counts the database keeps per centre (CentreClassCount) instead of counting the classes. One query (a sum
    over at most the scope's centres)."""
    kept = scoping.scoped(user, CentreClassCount.objects.all(), "centre")
    if centre_id:
        kept = kept.filter(centre_id=centre_id)
    return kept.aggregate(n=Sum("live"))["n"] or 0


# What the centre page, its figures page and the staff home show of a recent class (its link, title, kind, start).
RECENT_COURSE_FIELDS = ("title", "start_date", "programme_kind__name")


def centre_recent_courses(*, user, centre, limit: int = 8) -> list[Course]:
    """The centre's latest classes (by start date) with their sessions and participations, for the centre
    page, the centre's figures page and the staff home: only the columns they show (RECENT_COURSE_FIELDS, the
    kind joined; not the centre and commune the classes list joins), which halves what the ORM builds and reads.
    One query, its SQL built once per scope and limit (tthtcd_portal/compiled.py)."""
    scope = scoping.centre_q(user, "centre__")
    query = kept(
        ("courses:centre_recent_courses", repr(scope), limit),
        lambda: OneRow(
            lambda c: _with_counts(Course.objects.filter(scope, centre_id=c).select_related("programme_kind")).only(
                *RECENT_COURSE_FIELDS
            )[:limit],
            fields=(Course._meta.get_field("centre"),),
            markers=(-7_600_001,),
        ),
    )
    return query.all(centre.pk)


def centre_open_roster_courses(*, centre, today: datetime.date, limit: int = 5) -> list[Course]:
    """The centre's roster classes running now or ended in the last 30 days (attendance still to type up),
    latest first. One query."""
    return list(
        Course.objects.filter(
            centre=centre,
            format=Course.Format.ROSTER,
            start_date__lte=today,
            end_date__gte=today - datetime.timedelta(days=30),
        ).order_by("-start_date", "-id")[:limit]
    )


def centre_instructors(*, centre_id: int, keep: Iterable[int] = ()) -> QuerySet:
    """The instructors a class of the centre may be linked to: those active at the centre, plus `keep` (the
    ones already linked, even if they have left since). Lazy; one query when read."""
    return (
        Instructor.objects.filter(Q(assignments__centre_id=centre_id, assignments__active=True) | Q(pk__in=list(keep)))
        .distinct()
        .order_by(*person_order(), "id")
    )


def instructors_by_name(*, centre) -> dict[str, Instructor]:
    """The centre's instructors (active or not) by case-folded full name, for matching typed names. One query."""
    found: dict[str, Instructor] = {}
    for person in Instructor.objects.filter(assignments__centre=centre).order_by("id"):
        found.setdefault(person.full_name.strip().casefold(), person)
    return found


def split_instructor_names(text: str, known: dict[str, Instructor]) -> tuple[list[Instructor], str]:
    """ "Trần Thị Hoa, Ông Ba (Trạm Khuyến nông)" → ([the centre's Trần Thị Hoa], "Ông Ba (Trạm Khuyến nông)"):
    names of the centre's instructors become links, the others stay text. No query."""
    names = [n for n in NAME_SEPARATORS.split(text.strip()) if n]
    linked = list({known[n.casefold()].pk: known[n.casefold()] for n in names if n.casefold() in known}.values())
    guests = ", ".join(n for n in names if n.casefold() not in known)
    return linked, guests


def course_instructors(course: Course) -> list[Instructor]:
    """The registry instructors linked to a class. One query."""
    return list(course.instructors.order_by(*person_order(), "id"))


def course_for_user(user, pk: int) -> Course:
    """One class in the user's scope, or 404. One query (centre, commune and kind joined)."""
    return scoping.get_scoped_or_404(
        user, Course.objects.select_related("centre__commune__district", "programme_kind"), "centre", pk=pk
    )


# Its SQL built once per process (the attendance grid and its save open with it; building it cost more than
# running it).
_session_for_user = scoping.ScopedGet(
    lambda: ClassSession.objects.select_related("course__centre__commune", "course__programme_kind"), "course__centre"
)


def session_for_user(user, pk: int) -> ClassSession:
    """One session in the user's scope, with its class, centre, commune and programme kind, or 404. One query."""
    return _session_for_user(user, pk)


def course_sessions(course: Course) -> list[ClassSession]:
    """The sessions of a class in date order, with their instructor. One query."""
    return list(ClassSession.objects.filter(course=course).select_related("instructor").order_by("date", "id"))


def learner_for_user(user, pk: int) -> Learner:
    """One live learner in the user's scope, or 404. One query (centre joined)."""
    return scoping.get_scoped_or_404(user, Learner.objects.select_related("centre"), "centre", pk=pk)


def enrolment_for_user(user, pk: int) -> Enrolment:
    """One live enrolment in the user's scope, or 404. One query (class, centre and learner joined)."""
    return scoping.get_scoped_or_404(
        user, Enrolment.objects.select_related("course__centre__commune", "learner"), "course__centre", pk=pk
    )


def course_enrolments(course: Course, *, only: Iterable[str] = ()) -> list[Enrolment]:
    """Enrolments with their learners (`only`: just these fields of both). One query."""
    enrolments = Enrolment.objects.filter(course=course).select_related("learner")
    if only:
        enrolments = enrolments.only(*only)
    return list(enrolments.order_by(*person_order("learner__full_name"), "id"))


def last_session(course: Course) -> ClassSession | None:
    """The latest session of a class (the next one copies it). One query."""
    return ClassSession.objects.filter(course=course).order_by("-date", "-id").first()


@dataclass
class GridRow:
    enrolment_id: int
    name: str  # the learner's full name
    cells: list  # per session: (session, None when not enrolled that day, else checked)


@dataclass
class Grid:
    sessions: list[ClassSession]
    rows: list[GridRow]


def attendance_grid(course: Course, sessions: list[ClassSession]) -> Grid:
    """Learners × sessions with the saved marks; a session never saved opens with everyone present.
    Two queries (enrolments with learners' names, saved marks) whatever the size; the enrolments read as values
    in course_enrolments' order (a grid of 60 learners made 120 model instances otherwise)."""
    enrolments = (
        Enrolment.objects.filter(course=course)
        .order_by(*person_order("learner__full_name"), "id")
        .values_list("id", "from_date", "until_date", "learner__full_name")
    )
    saved = {
        (session_id, enrolment_id): present
        for session_id, enrolment_id, present in Attendance.objects.filter(
            session__in=[s.pk for s in sessions]
        ).values_list("session_id", "enrolment_id", "present")
    }
    has_marks = {session_id for session_id, _ in saved}
    rows = []
    for enrolment_id, from_date, until_date, name in enrolments:
        cells = []
        for session in sessions:
            if not Enrolment.active_on(from_date, until_date, session.date):
                cells.append((session, None))
            elif session.pk in has_marks:
                cells.append((session, saved.get((session.pk, enrolment_id), False)))
            else:
                cells.append((session, True))
        if any(state is not None for _, state in cells):
            rows.append(GridRow(enrolment_id=enrolment_id, name=name, cells=cells))
    return Grid(sessions=sessions, rows=rows)


def month_sessions(course: Course, year: int, month: int) -> list[ClassSession]:
    """Sessions of a class in one month. One query."""
    first = datetime.date(year, month, 1)
    last = datetime.date(year, month, calendar.monthrange(year, month)[1])
    return list(ClassSession.objects.filter(course=course, date__range=(first, last)).order_by("date", "id"))


def month_to_open(course: Course, today: datetime.date) -> tuple[int, int]:
    """The month the grid opens on: the latest with a session, else today's month kept within the class's
    dates. One query."""
    latest = ClassSession.objects.filter(course=course).order_by("-date").values_list("date", flat=True).first()
    day = latest or min(max(today, course.start_date), course.end_date)
    return day.year, day.month


def month_enrolments(course: Course, year: int, month: int) -> list[Enrolment]:
    """Enrolments active on some day of the month, with their learners (the rows of the add-dates form).
    One query."""
    first = datetime.date(year, month, 1)
    last = datetime.date(year, month, calendar.monthrange(year, month)[1])
    return [
        e for e in course_enrolments(course) if e.from_date <= last and (e.until_date is None or e.until_date >= first)
    ]


def likely_duplicates(*, centre, full_name: str, birth_year: int | None) -> list[Learner]:
    """The centre's learners who are probably this person: the same name in its one spelling, any case, and the
    same birth year (or either unknown). One query (the centre's learners of that birth year)."""
    wanted = clean_name(full_name).casefold()
    same_year = Q(birth_year__isnull=True) | Q(birth_year=birth_year) if birth_year else Q()
    return [
        learner
        for learner in Learner.objects.filter(same_year, centre=centre).order_by("id")
        if clean_name(learner.full_name).casefold() == wanted
    ]


def centre_learners() -> QuerySet:
    """Learners with the number of classes each is enrolled in, by name; the learners list filters it to one
    centre (courses.filters.LearnerFilter). One query."""
    live = Q(enrolments__archived_at__isnull=True)  # a join ignores the default manager's hiding of archived rows
    return Learner.objects.annotate(class_count=Count("enrolments", filter=live)).order_by(*person_order(), "id")


def learners_not_in(course: Course) -> QuerySet:
    """The centre's learners not yet enrolled in the class. One query."""
    return (
        Learner.objects.filter(centre_id=course.centre_id)
        .exclude(pk__in=Enrolment.objects.filter(course=course).values("learner_id"))
        .order_by(*person_order(), "id")
    )


def courses_with_sessions_prefetch(courses: QuerySet) -> QuerySet:
    return courses.prefetch_related(Prefetch("sessions", queryset=ClassSession.objects.order_by("date")))


def kinds_for_province(province) -> QuerySet:
    """The nationally active programme kinds a province uses (those it did not hide), in list order.
    `province` is a Province or its id (or a subquery of ids). No query (a queryset)."""
    hidden = ProvinceProgrammeKind.objects.filter(
        province__in=province if isinstance(province, QuerySet) else [province]
    ).values("programme_kind_id")
    return ProgrammeKind.objects.filter(is_active=True).exclude(pk__in=hidden).order_by("order", by_name())


def kinds_for_user(user) -> QuerySet:
    """The kinds a user's forms and filters offer: their province's (an official's), their centre's province's
    (staff), their office's province's (a reviewer's); every nationally active kind for administrators.
    No query (a queryset)."""
    from units.models import Province

    if user.is_province_official:
        return kinds_for_province(user.province_id)
    if user.is_centre_staff:
        return kinds_for_province(Province.objects.filter(communes__centres=user.centre_id).values("pk"))
    if user.is_reviewer:
        return kinds_for_province(Province.objects.filter(office=user.office_id).values("pk"))
    return ProgrammeKind.objects.filter(is_active=True).order_by("order", by_name())


def programme_kinds() -> list[ProgrammeKind]:
    """Every programme kind in report order (dashboards and reports read it from the replica). One query."""
    return list(ProgrammeKind.objects.using(read_db()).order_by("order", by_name()))


@dataclass
class CentreTotals:
    first_year: int
    last_year: int
    classes: int
    sessions: int
    participations: int


@dataclass(frozen=True)
class PeriodFigures:
    centres: int  # with at least one session in the period
    sessions: int
    participations: int
    classes: int | None = None  # started in the period (centre_period_figures)


def with_figure_totals(centres: QuerySet[Centre]) -> QuerySet[Centre]:
    """The centres with their kept figures summed over every year they have (a merged centre's record on its
    successor's page): `figures_first_year`, `figures_last_year`, `figures_classes`, `figures_sessions`,
    `figures_participations` (None without figures), read by `figure_totals`. No query of its own: the figures
    are joined and grouped by centre in the centres' query, so the count is the same for one or ten centres.
    Annotate nothing else that joins a to-many relation onto it (the sums would multiply)."""
    return centres.annotate(
        figures_first_year=Min("year_figures__year"),
        figures_last_year=Max("year_figures__year"),
        figures_classes=Sum("year_figures__classes"),
        figures_sessions=Sum("year_figures__sessions"),
        figures_participations=Sum("year_figures__participations"),
    )


def figure_totals(centre: Centre) -> CentreTotals | None:
    """The totals `with_figure_totals` annotated on `centre`, None when it has no figures. No query."""
    if centre.figures_first_year is None:
        return None
    return CentreTotals(
        centre.figures_first_year,
        centre.figures_last_year,
        centre.figures_classes,
        centre.figures_sessions,
        centre.figures_participations,
    )


# --- Offline recording (courses/sync.py writes; docs/offline.md) ---------------------------------------------

OFFLINE_SESSION_DAYS = 60  # roster sessions this recent go to the phone, to take their attendance offline


def session_version(session: ClassSession, attended: Iterable[int]) -> str:
    """A short fingerprint of what a user sees of a session: date, topic, instructor, counts, who was present.
    The phone keeps it with the session; a different one on the server means someone changed it meanwhile. No
    query."""
    parts = [
        session.date.isoformat(),
        session.topic,
        str(session.instructor_id or ""),
        session.instructor_name,
        str(session.present),
        str(session.women),
        str(session.minorities),
        ",".join(str(pk) for pk in sorted(attended)),
    ]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]


def offline_snapshot(*, user, today: datetime.date) -> list[dict]:
    """What a centre's staff take offline: the centre's current classes (running today, or ended in the last 30
    days) with the instructors they may name, the last session's topic and instructor, and for roster classes
    the learners enrolled and the recent sessions with who was present and their version. Only the staff's own
    centre (accounts.scoping), only when they may change it. Five queries whatever the size: classes,
    instructors, sessions, marks, enrolments with learners."""
    if not (user.is_centre_staff and user.centre_id):
        return []
    courses = list(
        scoping.scoped(user, Course.objects.select_related("centre__commune"), "centre")
        .filter(
            centre_id=user.centre_id,
            start_date__lte=today,
            end_date__gte=today - datetime.timedelta(days=30),
        )
        .order_by("-start_date", "-id")
    )
    if not courses or not scoping.can_edit_centre(user, courses[0].centre):
        return []
    instructors = [
        {"id": i.pk, "name": i.full_name} for i in centre_instructors(centre_id=user.centre_id).only("id", "full_name")
    ]
    sessions: dict[int, list[ClassSession]] = {c.pk: [] for c in courses}
    for session in ClassSession.objects.filter(course__in=[c.pk for c in courses]).order_by("date", "id"):
        sessions[session.course_id].append(session)
    roster_ids = [c.pk for c in courses if c.is_roster]
    recent = today - datetime.timedelta(days=OFFLINE_SESSION_DAYS)
    marks: dict[int, set[int]] = {}
    for session_id, enrolment_id in Attendance.objects.filter(
        session__course__in=roster_ids, session__date__gte=recent, present=True
    ).values_list("session_id", "enrolment_id"):
        marks.setdefault(session_id, set()).add(enrolment_id)
    enrolments: dict[int, list[dict]] = {pk: [] for pk in roster_ids}
    for e in (
        Enrolment.objects.filter(course__in=roster_ids)
        .select_related("learner")
        .order_by(*person_order("learner__full_name"), "id")
    ):
        enrolments[e.course_id].append(
            {
                "id": e.pk,
                "name": e.learner.full_name,
                "from": e.from_date.isoformat(),
                "until": e.until_date.isoformat() if e.until_date else None,
            }
        )
    snapshot = []
    for course in courses:
        own = sessions[course.pk]
        last = own[-1] if own else None
        item = {
            "id": course.pk,
            "title": course.title,
            "format": course.format,
            "start": course.start_date.isoformat(),
            "end": course.end_date.isoformat(),
            "instructors": instructors,
            "last": {
                "topic": last.topic if last else course.title,
                "instructor": last.instructor_id if last else None,
                "instructor_name": last.instructor_name if last else course.instructor_names[:200],
            },
            "sessions": [],
            "learners": enrolments.get(course.pk, []),
        }
        if course.is_roster:
            item["sessions"] = [
                {
                    "id": s.pk,
                    "date": s.date.isoformat(),
                    "topic": s.topic,
                    "present": s.present,
                    "attended": sorted(marks.get(s.pk, set())),
                    "version": session_version(s, marks.get(s.pk, set())),
                }
                for s in own
                if s.date >= recent
            ]
        snapshot.append(item)
    return snapshot


def centre_period_figures(*, centre, start: datetime.date, end: datetime.date) -> PeriodFigures:
    """One centre's classes started, sessions and learner-participations from `start` to `end` (inclusive),
    counted as the yearly figures count them (a class in the year of its start, a session on its date): the
    staff home compares the year so far with the same days of last year. Two queries."""
    found = ClassSession.objects.filter(course__centre=centre, date__range=(start, end)).aggregate(
        sessions=Count("id"), participations=Coalesce(Sum("present"), 0)
    )
    classes = Course.objects.filter(centre=centre, start_date__range=(start, end)).count()
    return PeriodFigures(int(found["sessions"] > 0), found["sessions"], found["participations"], classes)


def period_by_centre(
    *, centre_scope: Q, start: datetime.date, end: datetime.date, programme_kind_id: int | None = None
) -> dict[int, PeriodFigures]:
    """Centre id → its sessions and learner-participations from `start` to `end` (inclusive), for the centres
    `centre_scope` (a Q on Centre) selects: a year in progress is compared with the same days of the year
    before, which the yearly figures cannot give. One query; centres without a session are absent."""
    sessions = ClassSession.objects.using(read_db()).filter(
        course__centre__in=Centre.objects.filter(centre_scope).values("pk"), date__range=(start, end)
    )
    if programme_kind_id:
        sessions = sessions.filter(course__programme_kind_id=programme_kind_id)
    rows = sessions.order_by().values("course__centre_id").annotate(n=Count("id"), p=Coalesce(Sum("present"), 0))
    return {r["course__centre_id"]: PeriodFigures(1, r["n"], r["p"]) for r in rows}


def same_day_a_year_before(day: datetime.date) -> datetime.date:
    """16/11/2026 → 16/11/2025; 29/02 → 28/02."""
    return day.replace(year=day.year - 1, day=min(day.day, calendar.monthrange(day.year - 1, day.month)[1]))
