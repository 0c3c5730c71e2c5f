"""Writes for classes, sessions, learners and attendance.

Every write checks that the user may change the centre (merged or dissolved centres are read-only), that the
year is not locked by the province, and keeps CentreYearFigure current in the same transaction with F()
increments on upserted rows, so two writers at once never lose an increment.

Counting rule (docs/courses.md): a class counts in the year of its start date; a session, and the people present
at it, count in the year of the session's date.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, DateField, F, Max, Min, Sum, Value
from django.db.models.functions import Coalesce, ExtractYear, Greatest, Now
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scoping import require_centre_edit
from centres.models import Instructor, InstructorAssignment
from courses.models import (
    Attendance,
    AttendanceAudit,
    CentreYearFigure,
    ClassSession,
    Course,
    Enrolment,
    Learner,
    ProgrammeKind,
)
from courses.selectors import instructors_by_name, split_instructor_names
from evaluations.selectors import centre_year_is_locked, locked_year_message
from tthtcd_portal.concurrency import version_claim

FIGURE_FIELDS = ("classes", "sessions", "participations", "women", "minorities")
Key = tuple[int, int, int]  # (centre_id, year, programme_kind_id)


def _d(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


# --- Guards ----------------------------------------------------------------------------------------------------


def _guard(*, by, centre, years: Iterable[int]) -> None:
    """403 for a user who may not change the centre; a Vietnamese refusal for a year the province has locked.
    One query per distinct year."""
    require_centre_edit(by, centre)
    for year in sorted(set(years)):
        if centre_year_is_locked(centre_id=centre.pk, year=year):
            raise ValidationError(locked_year_message(year))


def check_counts(*, present: int, women: int, minorities: int) -> None:
    if min(present, women, minorities) < 0:
        raise ValidationError(_("Số người không được là số âm."))
    if women > present:
        raise ValidationError(
            _("Số nữ (%(women)s) không được lớn hơn số người dự (%(present)s).") % {"women": women, "present": present}
        )
    if minorities > present:
        raise ValidationError(
            _("Số người dân tộc thiểu số (%(minorities)s) không được lớn hơn số người dự (%(present)s).")
            % {"minorities": minorities, "present": present}
        )


def check_session_date(*, course: Course, day: datetime.date) -> None:
    if day > timezone.localdate():
        raise ValidationError(_("Ngày học %(day)s chưa đến: chỉ ghi buổi học đã diễn ra.") % {"day": _d(day)})
    if not course.start_date <= day <= course.end_date:
        raise ValidationError(
            _("Ngày học %(day)s nằm ngoài thời gian của lớp (%(start)s – %(end)s).")
            % {"day": _d(day), "start": _d(course.start_date), "end": _d(course.end_date)}
        )


# --- Figures ---------------------------------------------------------------------------------------------------


@dataclass
class _Delta:
    classes: int = 0
    sessions: int = 0
    participations: int = 0
    women: int = 0
    minorities: int = 0

    def add_session(self, sign: int, present: int, women: int, minorities: int) -> None:
        self.sessions += sign
        self.participations += sign * present
        self.women += sign * women
        self.minorities += sign * minorities

    def add_totals(self, sign: int, item: dict) -> None:
        """Add (sign=1) or remove (sign=-1) a group of sessions aggregated as n, p, w, m."""
        self.sessions += sign * item["n"]
        self.participations += sign * item["p"]
        self.women += sign * item["w"]
        self.minorities += sign * item["m"]

    def is_zero(self) -> bool:
        return not any(getattr(self, f) for f in FIGURE_FIELDS)

    def has_decrease(self) -> bool:
        return any(getattr(self, f) < 0 for f in FIGURE_FIELDS)


def _key_filter(key: Key) -> dict:
    return {"centre_id": key[0], "year": key[1], "programme_kind_id": key[2]}


def _figures_apply(
    deltas: dict[Key, _Delta],
    *,
    session_dates: dict[Key, datetime.date] | None = None,
    refresh_last: Iterable[Key] = (),
) -> None:
    """Upsert the rows (one INSERT … ON CONFLICT DO NOTHING), then add each delta with F() (one UPDATE per key).

    `session_dates`: a session was added on that date (raises last_session_date). `refresh_last`: a session left
    the key, so its latest date is recomputed from the sessions (one query each). Rows left empty are deleted so
    that incremental figures equal rebuilt ones exactly."""
    session_dates = session_dates or {}
    refresh_last = set(refresh_last)
    keys = [k for k, d in deltas.items() if not d.is_zero()]
    keys += [k for k in session_dates if k not in keys]
    if not keys and not refresh_last:
        return
    if keys:
        CentreYearFigure.objects.bulk_create(
            [CentreYearFigure(**_key_filter(k)) for k in keys],
            ignore_conflicts=True,
        )
    emptied = []
    for key in keys:
        delta = deltas.get(key, _Delta())
        updates = {f: F(f) + getattr(delta, f) for f in FIGURE_FIELDS if getattr(delta, f)}
        if key in session_dates:
            day = Value(session_dates[key], output_field=DateField())
            updates["last_session_date"] = Greatest(Coalesce(F("last_session_date"), day), day)
        CentreYearFigure.objects.filter(**_key_filter(key)).update(**updates, updated_at=Now())
        if delta.has_decrease():
            emptied.append(key)
    for key in refresh_last:
        latest = ClassSession.objects.filter(
            course__centre_id=key[0], course__programme_kind_id=key[2], date__year=key[1]
        ).aggregate(latest=Max("date"))["latest"]
        CentreYearFigure.objects.filter(**_key_filter(key)).update(last_session_date=latest, updated_at=Now())
    for key in emptied:
        CentreYearFigure.objects.filter(**_key_filter(key), classes=0, sessions=0).delete()


def _session_key(course: Course, day: datetime.date) -> Key:
    return (course.centre_id, day.year, course.programme_kind_id)


def figures_rebuild(*, centre_ids: Iterable[int] | None = None) -> int:
    """Recompute CentreYearFigure from the raw records (classes and sessions): two GROUP BY queries, one delete,
    bulk inserts. Returns the number of rows written."""
    courses = Course.objects.order_by()
    sessions = ClassSession.objects.order_by()
    figures = CentreYearFigure.objects.all()
    if centre_ids is not None:
        centre_ids = list(centre_ids)
        courses = courses.filter(centre_id__in=centre_ids)
        sessions = sessions.filter(course__centre_id__in=centre_ids)
        figures = figures.filter(centre_id__in=centre_ids)
    rows: dict[Key, CentreYearFigure] = {}

    def row(key: Key) -> CentreYearFigure:
        if key not in rows:
            rows[key] = CentreYearFigure(**_key_filter(key))
        return rows[key]

    for item in (
        courses.annotate(y=ExtractYear("start_date"))
        .values("centre_id", "y", "programme_kind_id")
        .annotate(n=Count("id"))
    ):
        row((item["centre_id"], item["y"], item["programme_kind_id"])).classes = item["n"]
    for item in (
        sessions.annotate(y=ExtractYear("date"), c=F("course__centre_id"), k=F("course__programme_kind_id"))
        .values("c", "y", "k")
        .annotate(n=Count("id"), p=Sum("present"), w=Sum("women"), m=Sum("minorities"), last=Max("date"))
    ):
        figure = row((item["c"], item["y"], item["k"]))
        figure.sessions, figure.participations = item["n"], item["p"]
        figure.women, figure.minorities, figure.last_session_date = item["w"], item["m"], item["last"]
    with transaction.atomic():
        figures.delete()
        CentreYearFigure.objects.bulk_create(rows.values(), batch_size=2000)
    return len(rows)


# --- Programme kinds -------------------------------------------------------------------------------------------


@transaction.atomic
def programme_kind_save(
    *, kind: ProgrammeKind | None, name: str, code: str, order: int, is_active: bool, by
) -> ProgrammeKind:
    """Create (kind=None) or change a programme kind. Views check require_province_level first."""
    kind = kind or ProgrammeKind()
    kind.name, kind.code, kind.order, kind.is_active = name, code, order, is_active
    kind.full_clean()
    kind.save()
    return kind


# --- Classes ---------------------------------------------------------------------------------------------------

COURSE_FIELDS = (
    "programme_kind",
    "title",
    "format",
    "instructor_names",
    "partner",
    "place",
    "start_date",
    "end_date",
    "planned_sessions",
)


def _check_course_dates(start_date: datetime.date, end_date: datetime.date) -> None:
    if end_date < start_date:
        raise ValidationError(_("Ngày kết thúc phải sau hoặc cùng ngày bắt đầu."))


def _check_instructors(*, centre_id: int, instructors: Iterable[Instructor]) -> None:
    """Only instructors assigned to the class's centre (now or in the past) may be linked. One query, none
    for an empty list."""
    instructors = [i for i in instructors if i is not None]
    if not instructors:
        return
    assigned = set(
        InstructorAssignment.objects.filter(
            centre_id=centre_id, instructor_id__in=[i.pk for i in instructors]
        ).values_list("instructor_id", flat=True)
    )
    strangers = [i.full_name for i in instructors if i.pk not in assigned]
    if strangers:
        raise ValidationError(
            _("%(names)s không phải giảng viên của trung tâm này; ghi vào ô người dạy khác, khách mời.")
            % {"names": ", ".join(strangers)}
        )


@transaction.atomic
def course_create(*, centre, by, instructors: Iterable[Instructor] = (), **fields) -> Course:
    """Create a class linked to `instructors` of its centre (instructor_names: guests, as text)."""
    course = Course(centre=centre, **{f: fields[f] for f in COURSE_FIELDS if f in fields})
    instructors = list(instructors)
    _check_course_dates(course.start_date, course.end_date)
    _guard(by=by, centre=centre, years=[course.start_date.year])
    _check_instructors(centre_id=centre.pk, instructors=instructors)
    course.save()
    if instructors:
        course.instructors.set(instructors)
    _figures_apply({(centre.pk, course.start_date.year, course.programme_kind_id): _Delta(classes=1)})
    return course


def _sessions_by_year(course: Course) -> dict[int, dict]:
    return {
        item["y"]: item
        for item in ClassSession.objects.filter(course=course)
        .order_by()
        .annotate(y=ExtractYear("date"))
        .values("y")
        .annotate(
            n=Count("id"), p=Sum("present"), w=Sum("women"), m=Sum("minorities"), first=Min("date"), last=Max("date")
        )
    }


@transaction.atomic
def course_update(
    *, course: Course, by, instructors: Iterable[Instructor] | None = None, version: int | None = None, **fields
) -> Course:
    """Change a class. Moving its start year or programme kind moves its figures; its dates must still hold every
    session; the format cannot change once sessions exist. `instructors` (when given) replaces the links.
    `version` is the one the form showed: a save made since refuses this one (StaleEdit)."""
    version_claim(course, version=version)
    old = Course.objects.select_for_update().get(pk=course.pk)
    list(ClassSession.objects.select_for_update().filter(course=old).values_list("pk", flat=True))
    for f in COURSE_FIELDS:
        if f in fields:
            setattr(course, f, fields[f])
    _check_course_dates(course.start_date, course.end_date)
    by_year = _sessions_by_year(old)
    if by_year:
        first = min(item["first"] for item in by_year.values())
        last = max(item["last"] for item in by_year.values())
        if course.start_date > first or course.end_date < last:
            raise ValidationError(
                _("Lớp đã có buổi học từ %(first)s đến %(last)s: thời gian của lớp phải bao gồm các buổi này.")
                % {"first": _d(first), "last": _d(last)}
            )
        if course.format != old.format:
            raise ValidationError(_("Lớp đã có buổi học nên không đổi được hình thức."))
    kind_changed = course.programme_kind_id != old.programme_kind_id
    years = {old.start_date.year, course.start_date.year}
    if kind_changed:
        years |= set(by_year)
    _guard(by=by, centre=old.centre, years=years)
    if instructors is not None:
        instructors = list(instructors)
        _check_instructors(centre_id=old.centre_id, instructors=instructors)
    course.save()
    if instructors is not None:
        course.instructors.set(instructors)

    deltas: dict[Key, _Delta] = defaultdict(_Delta)
    deltas[(old.centre_id, old.start_date.year, old.programme_kind_id)].classes -= 1
    deltas[(old.centre_id, course.start_date.year, course.programme_kind_id)].classes += 1
    dates, refresh = {}, set()
    if kind_changed:
        for year, item in by_year.items():
            deltas[(old.centre_id, year, old.programme_kind_id)].add_totals(-1, item)
            new_key = (old.centre_id, year, course.programme_kind_id)
            deltas[new_key].add_totals(1, item)
            dates[new_key] = item["last"]
            refresh.add((old.centre_id, year, old.programme_kind_id))
    _figures_apply(dict(deltas), session_dates=dates, refresh_last=refresh)
    return course


@transaction.atomic
def course_delete(*, course: Course, by) -> None:
    old = Course.objects.select_for_update().get(pk=course.pk)
    list(ClassSession.objects.select_for_update().filter(course=old).values_list("pk", flat=True))
    by_year = _sessions_by_year(old)
    _guard(by=by, centre=old.centre, years={old.start_date.year, *by_year})
    deltas: dict[Key, _Delta] = defaultdict(_Delta)
    deltas[(old.centre_id, old.start_date.year, old.programme_kind_id)].classes -= 1
    for year, item in by_year.items():
        deltas[(old.centre_id, year, old.programme_kind_id)].add_totals(-1, item)
    old.delete()
    _figures_apply(dict(deltas), refresh_last={(old.centre_id, y, old.programme_kind_id) for y in by_year})


# --- Sessions --------------------------------------------------------------------------------------------------

SESSION_FIELDS = (
    "date",
    "topic",
    "instructor",
    "instructor_name",
    "hours",
    "place",
    "present",
    "women",
    "minorities",
)


@transaction.atomic
def class_sessions_add_dates(*, course: Course, dates: list[datetime.date], by) -> list[ClassSession]:
    """Add several sessions at once (typing up a month of a paper register): each copies the last session's
    topic, instructor, hours and place. All or nothing: one bad date refuses them all, naming it."""
    dates = sorted(set(dates))
    taken = set(ClassSession.objects.filter(course=course, date__in=dates).values_list("date", flat=True))
    if taken:
        raise ValidationError(
            _("Ngày %(days)s đã có buổi học; chưa thêm buổi nào.")
            % {"days": ", ".join(d.strftime("%d/%m/%Y") for d in sorted(taken))}
        )
    last = ClassSession.objects.filter(course=course).order_by("-date", "-id").first()
    copied = (
        {"topic": last.topic, "instructor": last.instructor, "instructor_name": last.instructor_name,
         "hours": last.hours, "place": last.place}
        if last
        else {"topic": course.title, "place": course.place}
    )  # fmt: skip
    created = []
    for day in dates:
        try:
            created.append(class_session_create(course=course, by=by, date=day, **copied))
        except ValidationError as exc:
            raise ValidationError(
                _("Ngày %(day)s: %(reason)s Chưa thêm buổi nào.")
                % {"day": day.strftime("%d/%m/%Y"), "reason": " ".join(exc.messages)}
            ) from None
    return created


@transaction.atomic
def class_session_create(*, course: Course, by, **fields) -> ClassSession:
    """Record a session. For a roster class the counts start at zero and come from the attendance grid."""
    course = Course.objects.select_for_update().select_related("centre").get(pk=course.pk)
    session = ClassSession(course=course, **{f: fields[f] for f in SESSION_FIELDS if f in fields})
    if course.is_roster:
        session.present = session.women = session.minorities = 0
    check_session_date(course=course, day=session.date)
    check_counts(present=session.present, women=session.women, minorities=session.minorities)
    _guard(by=by, centre=course.centre, years=[session.date.year])
    _check_instructors(centre_id=course.centre_id, instructors=[session.instructor])
    session.save()
    key = _session_key(course, session.date)
    delta = _Delta()
    delta.add_session(1, session.present, session.women, session.minorities)
    _figures_apply({key: delta}, session_dates={key: session.date})
    return session


@transaction.atomic
def class_session_update(*, session: ClassSession, by, version: int | None = None, **fields) -> ClassSession:
    """Change a session and move its figures; a save made since the form showed `version` refuses this one."""
    version_claim(session, version=version)
    old = ClassSession.objects.select_for_update().select_related("course__centre").get(pk=session.pk)
    course = old.course
    for f in SESSION_FIELDS:
        if f in fields and not (course.is_roster and f in ("present", "women", "minorities")):
            setattr(session, f, fields[f])
    check_session_date(course=course, day=session.date)
    check_counts(present=session.present, women=session.women, minorities=session.minorities)
    _guard(by=by, centre=course.centre, years={old.date.year, session.date.year})
    if session.instructor_id != old.instructor_id:
        _check_instructors(centre_id=course.centre_id, instructors=[session.instructor])
    session.save()
    old_key, new_key = _session_key(course, old.date), _session_key(course, session.date)
    deltas: dict[Key, _Delta] = defaultdict(_Delta)
    deltas[old_key].add_session(-1, old.present, old.women, old.minorities)
    deltas[new_key].add_session(1, session.present, session.women, session.minorities)
    _figures_apply(
        dict(deltas),
        session_dates={new_key: session.date},
        refresh_last=[old_key] if session.date < old.date or old_key != new_key else [],
    )
    return session


@transaction.atomic
def class_session_delete(*, session: ClassSession, by) -> None:
    old = ClassSession.objects.select_for_update().select_related("course__centre").get(pk=session.pk)
    _guard(by=by, centre=old.course.centre, years=[old.date.year])
    key = _session_key(old.course, old.date)
    delta = _Delta()
    delta.add_session(-1, old.present, old.women, old.minorities)
    old.delete()
    _figures_apply({key: delta}, refresh_last=[key])


# --- Learners and enrolment ------------------------------------------------------------------------------------

LEARNER_FIELDS = ("full_name", "gender", "birth_year", "ethnicity", "is_minority", "village")


@transaction.atomic
def learner_create(*, centre, by, **fields) -> Learner:
    require_centre_edit(by, centre)
    learner = Learner(centre=centre, **{f: fields[f] for f in LEARNER_FIELDS if f in fields})
    if not learner.full_name.strip():
        raise ValidationError(_("Cần nhập họ và tên người học."))
    learner.save()
    return learner


@transaction.atomic
def enrolment_create_many(
    *, course: Course, learners: Iterable[Learner], by, from_date: datetime.date | None = None
) -> list[Enrolment]:
    """Enrol learners of the class's centre; those already enrolled are skipped. Enrolling from a day of a locked
    year changes that year's roster, so it is refused like any write to the year."""
    if not course.is_roster:
        raise ValidationError(_("Chuyên đề đếm số người dự không có danh sách học viên."))
    from_date = from_date or course.start_date
    if not course.start_date <= from_date <= course.end_date:
        raise ValidationError(_("Ngày bắt đầu học phải nằm trong thời gian của lớp."))
    _guard(by=by, centre=course.centre, years=[from_date.year])
    learners = list(learners)
    if any(learner.centre_id != course.centre_id for learner in learners):
        raise ValidationError(_("Chỉ ghi danh người học của trung tâm này."))
    already = set(Enrolment.objects.filter(course=course).values_list("learner_id", flat=True))
    new = [Enrolment(course=course, learner=lr, from_date=from_date) for lr in learners if lr.pk not in already]
    for enrolment in new:  # a handful at a time; save() so that each gets its history row
        enrolment.save()
    return new


# --- Attendance ------------------------------------------------------------------------------------------------


@transaction.atomic
def attendance_save(*, course: Course, presence: dict[int, set[int]], by) -> list[ClassSession]:
    """Save present/absent for every enrolled learner of one or more sessions of a roster class, in bulk.

    `presence` maps a session id to the enrolment ids marked present; every other learner enrolled on that day is
    absent. Someone not enrolled on that day refuses the whole save. Queries, whatever the number of learners:
    lock the sessions (1), locked-year check (1 per year), enrolments (1), attendance upsert (1 per ~300 rows on
    SQLite, 1 on PostgreSQL), session counts (1), audit (1), figures (2 per centre-year-kind)."""
    sessions = list(
        ClassSession.objects.select_for_update()
        .select_related("course__centre")
        .filter(course_id=course.pk, pk__in=list(presence))
        .order_by("pk")
    )
    if len(sessions) != len(presence):
        raise ValidationError(_("Buổi học không thuộc lớp này."))
    if not sessions:
        return []
    course = sessions[0].course
    if not course.is_roster:
        raise ValidationError(_("Chuyên đề đếm số người dự không điểm danh từng người."))
    _guard(by=by, centre=course.centre, years={s.date.year for s in sessions})
    enrolments = list(
        Enrolment.objects.filter(course_id=course.pk)
        .select_related("learner")
        .only("id", "from_date", "until_date", "learner__gender", "learner__is_minority")
    )
    rows, audits, deltas, changed = [], [], defaultdict(_Delta), []
    for session in sessions:
        active = [e for e in enrolments if e.is_active_on(session.date)]
        chosen = presence[session.pk]
        stray = chosen - {e.pk for e in active}
        if stray:
            raise ValidationError(
                _("Có người chưa ghi danh vào lớp vào ngày %(day)s được đánh dấu có mặt; chưa lưu gì.")
                % {"day": _d(session.date)}
            )
        here = [e for e in active if e.pk in chosen]
        after = (
            len(here),
            sum(e.learner.gender == Learner.Gender.FEMALE for e in here),
            sum(e.learner.is_minority for e in here),
        )
        before = (session.present, session.women, session.minorities)
        rows += [Attendance(session=session, enrolment=e, present=e.pk in chosen) for e in active]
        audits.append(
            AttendanceAudit(
                session=session,
                by=by,
                present_before=before[0],
                present_after=after[0],
                women_before=before[1],
                women_after=after[1],
                minorities_before=before[2],
                minorities_after=after[2],
            )
        )
        if after != before:
            key = _session_key(course, session.date)
            deltas[key].participations += after[0] - before[0]
            deltas[key].women += after[1] - before[1]
            deltas[key].minorities += after[2] - before[2]
            session.present, session.women, session.minorities = after
            changed.append(session)
    Attendance.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["session", "enrolment"], update_fields=["present"]
    )
    if changed:
        ClassSession.objects.bulk_update(changed, ["present", "women", "minorities"])
    AttendanceAudit.objects.bulk_create(audits)
    _figures_apply(dict(deltas))
    return sessions


@transaction.atomic
def enrolment_add(
    *, course: Course, learners: Iterable[Learner], new_learners: Iterable[dict], from_date: datetime.date, by
) -> list[Enrolment]:
    """Create the new learners of the quick-add lines, then enrol them and the chosen existing learners."""
    created = [learner_create(centre=course.centre, by=by, **fields) for fields in new_learners]
    return enrolment_create_many(course=course, learners=[*learners, *created], from_date=from_date, by=by)


@transaction.atomic
def class_list_import(*, centre, classes, by) -> tuple[int, int]:
    """Write every class and session of a checked import through the same services, all or nothing: the first
    refusal rolls everything back and names its row."""
    sessions = 0
    known = instructors_by_name(centre=centre)
    for item in classes:
        linked, guests = split_instructor_names(item.instructor_names, known)
        course = course_create(
            centre=centre,
            by=by,
            programme_kind=item.programme_kind,
            title=item.title,
            format=Course.Format.TALK,
            instructors=linked,
            instructor_names=guests,
            partner=item.partner,
            place=item.place,
            start_date=item.start_date,
            end_date=item.end_date,
            planned_sessions=len(item.sessions),
        )
        for fields in item.sessions:
            try:
                class_session_create(
                    course=course,
                    by=by,
                    instructor=linked[0] if len(linked) == 1 and not guests else None,
                    instructor_name="" if len(linked) == 1 and not guests else item.instructor_names[:200],
                    place=item.place,
                    **fields,
                )
            except ValidationError as exc:
                raise ValidationError(
                    _("Dòng %(row)s: %(message)s") % {"row": fields["row"], "message": " ".join(exc.messages)}
                ) from exc
            sessions += 1
    return len(classes), sessions
