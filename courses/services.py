"""Writes for classes, sessions, learners and attendance.

Every write checks that the user may change the centre (merged or dissolved centres are read-only), that the
year is not locked by the province, and keeps CentreYearFigure current in the same transaction
(`courses.figures.figures_apply`: F() increments on upserted rows, so two writers at once never lose one).

Counting rule (docs/courses.md): a class counts in the year of its start date; a session, and the people present
at it, count in the year of the session's date.
"""

from __future__ import annotations

import datetime
import functools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, Max, Min, OuterRef, Q
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from accounts.scoping import require_centre_edit, require_province_level
from centres.models import Instructor, InstructorAssignment
from courses.figures import Counts, Key, figures_apply, session_key, session_sums
from courses.models import (
    KINH,
    Attendance,
    AttendanceAudit,
    ClassSession,
    Course,
    Enrolment,
    Learner,
    ProgrammeKind,
    ProvinceProgrammeKind,
)
from courses.selectors import instructors_by_name, likely_duplicates, split_instructor_names
from evaluations.selectors import centre_year_is_locked, locked_year_message, year_locked
from tthtcd_portal.compiled import Compiled
from tthtcd_portal.concurrency import version_claim
from tthtcd_portal.vietnamese import clean_name


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


def check_centre_open_on(*, centre, day: datetime.date) -> None:
    """A new commune's centre (valid from 01/07/2025) holds no class or session dated before its commune began:
    the first half of 2025 belongs to the former centres it took in, so that a year's figures of a former centre
    are its months to the merger and a new centre's its months from it (reports/dashboard.py)."""
    start = centre.commune.valid_from
    if day < start:
        raise ValidationError(
            _(
                "Ngày %(day)s trước ngày %(commune)s bắt đầu (%(start)s): lớp học, buổi học trước ngày đó thuộc "
                "trung tâm cũ đã sáp nhập vào trung tâm này."
            )
            % {"day": _d(day), "commune": centre.commune.name, "start": _d(start)}
        )


def check_session_date(*, course: Course, day: datetime.date) -> None:
    check_centre_open_on(centre=course.centre, day=day)
    if day > timezone.localdate():
        raise ValidationError(_("Ngày học %(day)s chưa đến: chỉ ghi buổi học đã diễn ra.") % {"day": _d(day)})
    if not course.start_date <= day <= course.end_date:
        raise ValidationError(
            _("Ngày học %(day)s nằm ngoài thời gian của lớp (%(start)s – %(end)s).")
            % {"day": _d(day), "start": _d(course.start_date), "end": _d(course.end_date)}
        )


# --- Programme kinds -------------------------------------------------------------------------------------------


@transaction.atomic
def programme_kind_save(
    *, kind: ProgrammeKind | None, name: str, code: str, order: int, is_active: bool, by
) -> ProgrammeKind:
    """Create (kind=None) or change a kind of the national list. Views check require_administrator first."""
    kind = kind or ProgrammeKind()
    kind.name, kind.code, kind.order, kind.is_active = name, code, order, is_active
    kind.full_clean()
    kind.save()
    return kind


@transaction.atomic
def province_kinds_save(*, province, used_ids: set[int], by) -> int:
    """The nationally active kinds a province uses: every other active kind gets a hide row
    (ProvinceProgrammeKind), a ticked one loses it. Returns how many kinds the province hides now. Views
    check that `province` is the official's own (accounts.scoping.require_province_settings_edit)."""
    active = set(ProgrammeKind.objects.filter(is_active=True).values_list("pk", flat=True))
    if not active & used_ids:
        raise ValidationError(_("Tỉnh phải dùng ít nhất một loại chương trình."))
    hide = active - used_ids
    ProvinceProgrammeKind.objects.filter(province=province).exclude(programme_kind_id__in=hide).delete()
    have = set(ProvinceProgrammeKind.objects.filter(province=province).values_list("programme_kind_id", flat=True))
    ProvinceProgrammeKind.objects.bulk_create(
        ProvinceProgrammeKind(province=province, programme_kind_id=k, hidden_by=by) for k in sorted(hide - have)
    )
    return len(hide)


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
def _check_kind_used(*, centre_id: int, kind_id: int | None) -> None:
    """Refuse a programme kind the centre's province hides (ProvinceProgrammeKind). One query."""
    if (
        kind_id
        and ProvinceProgrammeKind.objects.filter(
            province__communes__centres=centre_id, programme_kind_id=kind_id
        ).exists()
    ):
        raise ValidationError(_("Tỉnh không dùng loại chương trình này; chọn loại khác."))


def course_create(*, centre, by, instructors: Iterable[Instructor] = (), **fields) -> Course:
    """Create a class linked to `instructors` of its centre (instructor_names: guests, as text)."""
    course = Course(centre=centre, **{f: fields[f] for f in COURSE_FIELDS if f in fields})
    instructors = list(instructors)
    _check_course_dates(course.start_date, course.end_date)
    _check_kind_used(centre_id=centre.pk, kind_id=course.programme_kind_id)
    check_centre_open_on(centre=centre, day=course.start_date)
    _guard(by=by, centre=centre, years=[course.start_date.year])
    _check_instructors(centre_id=centre.pk, instructors=instructors)
    course.save()
    if instructors:
        course.instructors.set(instructors)
    figures_apply({(centre.pk, course.start_date.year, course.programme_kind_id): Counts(classes=1)})
    return course


def _sessions_by_year(course: Course) -> dict[int, dict]:
    return {
        item["y"]: item
        for item in ClassSession.objects.filter(course=course)
        .order_by()
        .annotate(y=ExtractYear("date"))
        .values("y")
        .annotate(**session_sums(), first=Min("date"), last=Max("date"))
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
    check_centre_open_on(centre=course.centre, day=course.start_date)
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
    if kind_changed:  # a class keeps a kind hidden since; it cannot move to one
        _check_kind_used(centre_id=old.centre_id, kind_id=course.programme_kind_id)
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

    deltas: dict[Key, Counts] = defaultdict(Counts)
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
    figures_apply(dict(deltas), session_dates=dates, refresh_last=refresh)
    return course


@transaction.atomic
def course_archive(*, course: Course, by) -> None:
    """Delete a class as users see it: the class, its sessions and its roster are archived together (one
    `archived_at`), their attendance and its audit kept; the figures lose the class and its sessions. A provincial
    official can restore it (course_restore)."""
    old = Course.objects.select_for_update().get(pk=course.pk)
    list(ClassSession.objects.select_for_update().filter(course=old).values_list("pk", flat=True))
    by_year = _sessions_by_year(old)
    _guard(by=by, centre=old.centre, years={old.start_date.year, *by_year})
    deltas: dict[Key, Counts] = defaultdict(Counts)
    deltas[(old.centre_id, old.start_date.year, old.programme_kind_id)].classes -= 1
    for year, item in by_year.items():
        deltas[(old.centre_id, year, old.programme_kind_id)].add_totals(-1, item)
    at = timezone.now()
    with_it = _("Xóa cùng lớp «%(title)s»") % {"title": old.title}
    _archive_rows(ClassSession.objects.filter(course=old), by=by, at=at, reason=with_it)
    _archive_rows(Enrolment.objects.filter(course=old), by=by, at=at, reason=with_it)
    _archive_rows([old], by=by, at=at, reason=_("Xóa lớp"))
    figures_apply(dict(deltas), refresh_last={(old.centre_id, y, old.programme_kind_id) for y in by_year})


@transaction.atomic
def course_restore(*, course: Course, by) -> Course:
    """Bring back an archived class with the sessions and roster archived with it (not a session deleted on its
    own before; not the enrolment of a learner deleted since). Provincial officials and administrators."""
    require_province_level(by)
    old = Course.all_objects.select_for_update().select_related("centre").get(pk=course.pk)
    if old.archived_at is None:
        raise ValidationError(_("Lớp «%(title)s» không ở trong lưu trữ.") % {"title": old.title})
    sessions = ClassSession.all_objects.filter(course=old, archived_at=old.archived_at)
    years = set(sessions.annotate(y=ExtractYear("date")).values_list("y", flat=True).distinct())
    _guard(by=by, centre=old.centre, years={old.start_date.year, *years})
    enrolments = Enrolment.all_objects.filter(
        course=old, archived_at=old.archived_at, learner__archived_at__isnull=True
    )
    reason = _("Khôi phục cùng lớp «%(title)s»") % {"title": old.title}
    _restore_rows(sessions, by=by, reason=reason)
    _restore_rows(enrolments, by=by, reason=reason)
    _restore_rows([old], by=by, reason=_("Khôi phục lớp"))
    deltas: dict[Key, Counts] = defaultdict(Counts)
    deltas[(old.centre_id, old.start_date.year, old.programme_kind_id)].classes += 1
    dates = {}
    for year, item in _sessions_by_year(old).items():
        key = (old.centre_id, year, old.programme_kind_id)
        deltas[key].add_totals(1, item)
        dates[key] = item["last"]
    figures_apply(dict(deltas), session_dates=dates)
    return old


def _archive_rows(rows: Iterable, *, by, at: datetime.datetime, reason: str) -> list:
    """Archive these rows (a queryset or a list of instances): one UPDATE, one history row each saying why."""
    return _set_archived(rows, at=at, archived_by=by, by=by, reason=reason)


def _restore_rows(rows: Iterable, *, by, reason: str) -> list:
    return _set_archived(rows, at=None, archived_by=None, by=by, reason=reason)


def _set_archived(rows: Iterable, *, at, archived_by, by, reason: str) -> list:
    rows = list(rows)
    for row in rows:
        row.archived_at, row.archived_by = at, archived_by
    if rows:
        model = type(rows[0])
        bulk_update_with_history(
            rows,
            model,
            ["archived_at", "archived_by"],
            default_user=by,
            default_change_reason=reason,
            manager=model.all_objects,  # the default manager would not find an archived row to restore
        )
    return rows


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
def class_sessions_add_dates(
    *, course: Course, dates: list[datetime.date], by, presence: dict[datetime.date, set[int]] | None = None
) -> list[ClassSession]:
    """Add several sessions at once (typing up a month of a paper register): each copies the last session's
    topic, instructor, hours and place. All or nothing: one bad date refuses them all, naming it.

    `presence` (a roster class) maps each date to the enrolment ids ticked present on the paper register; the
    sessions and their attendance are saved in the same step, so no session is left with nobody present. Ticks
    of someone not enrolled on that date are ignored (the page cannot know the date before it is typed); a date
    with nobody ticked refuses the whole step."""
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
    if presence is not None and created:
        enrolments = list(Enrolment.objects.filter(course=course).only("id", "from_date", "until_date"))
        ticked = {}
        for day in dates:  # after the dates' own checks, so a bad date is named first
            ticked[day] = {e.pk for e in enrolments if e.is_active_on(day)} & set(presence.get(day, ()))
            if not ticked[day]:
                raise ValidationError(
                    _("Ngày %(day)s: chưa đánh dấu ai có mặt; chưa thêm buổi nào.") % {"day": _d(day)}
                )
        attendance_save(course=course, presence={s.pk: ticked[s.date] for s in created}, by=by)
        for session in created:
            session.refresh_from_db(fields=["present", "women", "minorities"])
    return created


@transaction.atomic
def class_session_create(*, course: Course, by, **fields) -> ClassSession:
    """Record a session. For a roster class the counts start at zero and come from the attendance grid."""
    course = Course.objects.select_for_update().select_related("centre__commune").get(pk=course.pk)
    session = ClassSession(course=course, **{f: fields[f] for f in SESSION_FIELDS if f in fields})
    if course.is_roster:
        session.present = session.women = session.minorities = 0
    check_session_date(course=course, day=session.date)
    check_counts(present=session.present, women=session.women, minorities=session.minorities)
    _guard(by=by, centre=course.centre, years=[session.date.year])
    _check_instructors(centre_id=course.centre_id, instructors=[session.instructor])
    session.save()
    key = session_key(course, session.date)
    delta = Counts()
    delta.add_session(1, session)
    figures_apply({key: delta}, session_dates={key: session.date})
    return session


@transaction.atomic
def class_session_update(*, session: ClassSession, by, version: int | None = None, **fields) -> ClassSession:
    """Change a session and move its figures; a save made since the form showed `version` refuses this one."""
    version_claim(session, version=version)
    old = ClassSession.objects.select_for_update().select_related("course__centre__commune").get(pk=session.pk)
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
    old_key, new_key = session_key(course, old.date), session_key(course, session.date)
    deltas: dict[Key, Counts] = defaultdict(Counts)
    deltas[old_key].add_session(-1, old)
    deltas[new_key].add_session(1, session)
    figures_apply(
        dict(deltas),
        session_dates={new_key: session.date},
        refresh_last=[old_key] if session.date < old.date or old_key != new_key else [],
    )
    return session


@transaction.atomic
def class_session_archive(*, session: ClassSession, by) -> None:
    """Delete a session as users see it: archived with its attendance and audit kept; the figures lose it."""
    old = ClassSession.objects.select_for_update().select_related("course__centre").get(pk=session.pk)
    _guard(by=by, centre=old.course.centre, years=[old.date.year])
    key = session_key(old.course, old.date)
    delta = Counts()
    delta.add_session(-1, old)
    _archive_rows([old], by=by, at=timezone.now(), reason=_("Xóa buổi học"))
    figures_apply({key: delta}, refresh_last=[key])


@transaction.atomic
def class_session_restore(*, session: ClassSession, by) -> ClassSession:
    """Bring back a session deleted on its own; one archived with its class comes back with the class."""
    require_province_level(by)
    old = ClassSession.all_objects.select_for_update().select_related("course__centre__commune").get(pk=session.pk)
    course = old.course
    if old.archived_at is None:
        raise ValidationError(_("Buổi học này không ở trong lưu trữ."))
    if course.archived_at is not None:
        raise ValidationError(
            _("Lớp «%(title)s» của buổi học này đã bị xóa: hãy khôi phục lớp trước.") % {"title": course.title}
        )
    _guard(by=by, centre=course.centre, years=[old.date.year])
    check_session_date(course=course, day=old.date)
    _restore_rows([old], by=by, reason=_("Khôi phục buổi học"))
    key = session_key(course, old.date)
    delta = Counts()
    delta.add_session(1, old)
    figures_apply({key: delta}, session_dates={key: old.date})
    return old


# --- Learners and enrolment ------------------------------------------------------------------------------------

LEARNER_FIELDS = ("full_name", "gender", "birth_year", "village")


def ethnicity_of(*, ethnicity: str | None, is_minority: bool | None) -> tuple[str, bool]:
    """The learner's ethnicity and minority tick, which never disagree (constraint
    learner_minority_matches_ethnicity): a named people decides the tick (every people but the Kinh is a
    minority); without one, the tick gives "" (a minority, people not told) or "Kinh"."""
    text = clean_name(ethnicity or "")
    if text.casefold() == KINH.casefold():
        return KINH, False
    if text:
        return text, True
    return ("", True) if is_minority else (KINH, False)


@transaction.atomic
def learner_create(
    *, centre, by, ethnicity: str | None = None, is_minority: bool | None = None, allow_duplicate: bool = False,
    **fields,
) -> Learner:  # fmt: skip
    """Add a person to the centre's list. A likely duplicate (same name in its one spelling, any case, and the
    same birth year, or one of them unknown) is refused, naming who is already there, unless `allow_duplicate`
    (the user said it is someone else). Queries: the centre's learners of that name (1), the insert."""
    require_centre_edit(by, centre)
    learner = Learner(centre=centre, **{f: fields[f] for f in LEARNER_FIELDS if f in fields})
    learner.full_name = clean_name(learner.full_name)
    if not learner.full_name:
        raise ValidationError(_("Cần nhập họ và tên người học."))
    learner.ethnicity, learner.is_minority = ethnicity_of(ethnicity=ethnicity, is_minority=is_minority)
    if not allow_duplicate:
        same = likely_duplicates(centre=centre, full_name=learner.full_name, birth_year=learner.birth_year)
        if same:
            raise ValidationError(
                _(
                    "Có thể đã có người này trong danh sách của trung tâm: %(who)s. Nếu là người khác, đánh dấu «Đây là người khác» rồi lưu lại."
                )
                % {"who": "; ".join(p.told_apart for p in same)},
                code="likely_duplicate",
            )
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


def _roster_years(enrolments: list[Enrolment]) -> set[int]:
    """The years an enrolment's removal or return changes: its first day's, and those of the sessions it was
    marked present at (their counts change). One query."""
    years = {e.from_date.year for e in enrolments}
    years |= set(
        Attendance.objects.filter(enrolment__in=[e.pk for e in enrolments], present=True, session__archived_at=None)
        .annotate(y=ExtractYear("session__date"))
        .values_list("y", flat=True)
        .distinct()
    )
    return years


def _recount_sessions(*, enrolments: list[Enrolment], by) -> None:
    """A roster changed (enrolments archived or restored): the live sessions these learners were marked present
    at count the present live enrolments again, each change audited as an attendance save, and the figures move
    with them. Queries: the sessions (1), their counts (1), then as attendance_save."""
    sessions = list(
        ClassSession.objects.select_for_update()
        .select_related("course")
        .filter(  # a subquery, not a join: PostgreSQL refuses FOR UPDATE with DISTINCT
            pk__in=Attendance.objects.filter(enrolment__in=[e.pk for e in enrolments], present=True).values(
                "session_id"
            )
        )
        .order_by("pk")
    )
    if not sessions:
        return
    female = Q(enrolment__learner__gender=Learner.Gender.FEMALE)
    counts = {
        row["session_id"]: (row["p"], row["w"], row["m"])
        for row in Attendance.objects.filter(session__in=sessions, present=True, enrolment__archived_at=None)
        .order_by()
        .values("session_id")
        .annotate(
            p=Count("id"), w=Count("id", filter=female), m=Count("id", filter=Q(enrolment__learner__is_minority=True))
        )
    }
    audits, changed, deltas = [], [], defaultdict(Counts)
    for session in sessions:
        before = (session.present, session.women, session.minorities)
        after = counts.get(session.pk, (0, 0, 0))
        if after == before:
            continue
        audits.append(
            AttendanceAudit(
                session=session, by=by, present_before=before[0], present_after=after[0], women_before=before[1],
                women_after=after[1], minorities_before=before[2], minorities_after=after[2],
            )
        )  # fmt: skip
        key = session_key(session.course, session.date)
        deltas[key].participations += after[0] - before[0]
        deltas[key].women += after[1] - before[1]
        deltas[key].minorities += after[2] - before[2]
        session.present, session.women, session.minorities = after
        changed.append(session)
    if changed:
        ClassSession.objects.bulk_update(changed, ["present", "women", "minorities"])
        AttendanceAudit.objects.bulk_create(audits)
        figures_apply(dict(deltas))


@transaction.atomic
def enrolment_archive(*, enrolment: Enrolment, by) -> None:
    """Take a learner off a class's roster: the enrolment is archived with its attendance kept, and the sessions
    the learner was marked present at no longer count them."""
    old = Enrolment.objects.select_for_update().select_related("course__centre", "learner").get(pk=enrolment.pk)
    _guard(by=by, centre=old.course.centre, years=_roster_years([old]))
    _archive_rows([old], by=by, at=timezone.now(), reason=_("Xóa ghi danh"))
    _recount_sessions(enrolments=[old], by=by)


def _check_enrolment_restorable(enrolment: Enrolment) -> None:
    if enrolment.course.archived_at is not None:
        raise ValidationError(
            _("Lớp «%(title)s» đã bị xóa: hãy khôi phục lớp trước.") % {"title": enrolment.course.title}
        )
    if Enrolment.objects.filter(course_id=enrolment.course_id, learner_id=enrolment.learner_id).exists():
        raise ValidationError(
            _("%(name)s đã được ghi danh lại vào lớp «%(title)s».")
            % {"name": enrolment.learner.full_name, "title": enrolment.course.title}
        )


@transaction.atomic
def enrolment_restore(*, enrolment: Enrolment, by) -> Enrolment:
    require_province_level(by)
    old = Enrolment.all_objects.select_for_update().select_related("course__centre", "learner").get(pk=enrolment.pk)
    if old.archived_at is None:
        raise ValidationError(_("Ghi danh này không ở trong lưu trữ."))
    if old.learner.archived_at is not None:
        raise ValidationError(
            _("Người học %(name)s đã bị xóa: hãy khôi phục người học trước.") % {"name": old.learner.full_name}
        )
    _check_enrolment_restorable(old)
    _guard(by=by, centre=old.course.centre, years=_roster_years([old]))
    _restore_rows([old], by=by, reason=_("Khôi phục ghi danh"))
    _recount_sessions(enrolments=[old], by=by)
    return old


@transaction.atomic
def learner_archive(*, learner: Learner, by) -> None:
    """Delete a learner as users see it: archived with their enrolments (one `archived_at`), attendance kept; the
    sessions they were marked present at no longer count them."""
    old = Learner.objects.select_for_update().select_related("centre").get(pk=learner.pk)
    require_centre_edit(by, old.centre)
    enrolments = list(Enrolment.objects.select_for_update().filter(learner=old).order_by("pk"))
    _guard(by=by, centre=old.centre, years=_roster_years(enrolments) if enrolments else ())
    at = timezone.now()
    _archive_rows(enrolments, by=by, at=at, reason=_("Xóa cùng người học «%(name)s»") % {"name": old.full_name})
    _archive_rows([old], by=by, at=at, reason=_("Xóa người học"))
    _recount_sessions(enrolments=enrolments, by=by)


@transaction.atomic
def learner_restore(*, learner: Learner, by) -> Learner:
    """Bring back a learner with the enrolments archived with them (those of a class still live, not re-enrolled
    since)."""
    require_province_level(by)
    old = Learner.all_objects.select_for_update().select_related("centre").get(pk=learner.pk)
    if old.archived_at is None:
        raise ValidationError(_("Người học %(name)s không ở trong lưu trữ.") % {"name": old.full_name})
    require_centre_edit(by, old.centre)
    enrolments = list(
        Enrolment.all_objects.select_related("course", "learner").filter(learner=old, archived_at=old.archived_at)
    )
    enrolments = [e for e in enrolments if e.course.archived_at is None]
    for enrolment in enrolments:
        _check_enrolment_restorable(enrolment)
    _guard(by=by, centre=old.centre, years=_roster_years(enrolments) if enrolments else ())
    _restore_rows([old], by=by, reason=_("Khôi phục người học"))
    _restore_rows(enrolments, by=by, reason=_("Khôi phục cùng người học «%(name)s»") % {"name": old.full_name})
    _recount_sessions(enrolments=enrolments, by=by)
    return old


@transaction.atomic
def enrolment_withdraw(*, enrolment: Enrolment, until_date: datetime.date, by) -> list[ClassSession]:
    """The learner leaves the class after `until_date`: their attendance up to that day is kept; the sessions after
    it no longer count them (their marks are removed and the sessions' counts and the figures move by the
    difference, in the same transaction). Refused in a locked year of any session it changes. Returns the
    sessions recounted. Queries: lock (2), later sessions (1), locked years (1 per year), updates."""
    enrolment = Enrolment.objects.select_for_update().select_related("course__centre", "learner").get(pk=enrolment.pk)
    course = enrolment.course
    require_centre_edit(by, course.centre)
    if not enrolment.from_date <= until_date <= course.end_date:
        raise ValidationError(
            _("Ngày thôi học phải từ %(start)s đến %(end)s (từ ngày bắt đầu học đến ngày kết thúc của lớp).")
            % {"start": _d(enrolment.from_date), "end": _d(course.end_date)}
        )
    later = list(
        ClassSession.objects.select_for_update()
        .filter(course=course, date__gt=until_date, attendances__enrolment=enrolment, attendances__present=True)
        .order_by("date")
    )
    _guard(by=by, centre=course.centre, years={until_date.year, *(s.date.year for s in later)})
    learner = enrolment.learner
    deltas: dict[Key, Counts] = defaultdict(Counts)
    for session in later:
        woman, minority = int(learner.gender == Learner.Gender.FEMALE), int(learner.is_minority)
        session.present -= 1
        session.women -= woman
        session.minorities -= minority
        key = session_key(course, session.date)
        deltas[key].participations -= 1
        deltas[key].women -= woman
        deltas[key].minorities -= minority
    Attendance.objects.filter(enrolment=enrolment, session__date__gt=until_date).delete()
    if later:
        ClassSession.objects.bulk_update(later, ["present", "women", "minorities"])
    enrolment.until_date = until_date
    enrolment.save(update_fields=["until_date"])
    figures_apply(dict(deltas))
    return later


# --- Attendance ------------------------------------------------------------------------------------------------


# One statement per save on PostgreSQL: the marks (the three columns as arrays) and the save's audit entries, the
# marks' INSERT a CTE of the entries' (issue 17: one round trip fewer). Elsewhere (SQLite) the marks ~300 rows a
# statement, within its variable limit, then the entries. A mark that has not changed is not rewritten (issue 18:
# re-saving a grid of 60 rewrote 60 rows); written as SQL because bulk_create(update_conflicts=…) builds a model
# instance per mark and cannot skip the unchanged ones.
_ATTENDANCE_CONFLICT = (
    " ON CONFLICT (session_id, enrolment_id) DO UPDATE SET present = EXCLUDED.present"
    " WHERE {table}.present <> EXCLUDED.present"
)
_AUDIT_COUNTS = (
    "present_before",
    "present_after",
    "women_before",
    "women_after",
    "minorities_before",
    "minorities_after",
)


def _attendance_upsert(rows: list[tuple[int, int, bool]], audits: list[AttendanceAudit]) -> None:
    """Insert or update (session id, enrolment id, present) marks, unchanged marks left as they are, and add the
    save's audit entries (their `at` one time, now)."""
    table = connection.ops.quote_name(Attendance._meta.db_table)
    columns = f"INSERT INTO {table} (session_id, enrolment_id, present)"
    conflict = _ATTENDANCE_CONFLICT.format(table=table)
    if connection.vendor == "postgresql":
        audit_table = connection.ops.quote_name(AttendanceAudit._meta.db_table)
        counts = ", ".join(_AUDIT_COUNTS)
        arrays = ", ".join(["%s::integer[]"] * len(_AUDIT_COUNTS))
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH marks AS ({columns} SELECT * FROM UNNEST(%s::bigint[], %s::bigint[], %s::boolean[]){conflict})"
                f" INSERT INTO {audit_table} (session_id, by_id, at, {counts})"
                f" SELECT session_id, %s::bigint, %s::timestamptz, {counts}"
                f" FROM UNNEST(%s::bigint[], {arrays}) AS a(session_id, {counts})",
                [
                    *([row[i] for row in rows] for i in range(3)),
                    audits[0].by_id,
                    timezone.now(),
                    [a.session_id for a in audits],
                    *([getattr(a, name) for a in audits] for name in _AUDIT_COUNTS),
                ],
            )
        return
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 300):
            batch = rows[start : start + 300]
            values = ", ".join(["(%s, %s, %s)"] * len(batch))
            cursor.execute(f"{columns} VALUES {values}{conflict}", [v for row in batch for v in row])
    AttendanceAudit.objects.bulk_create(audits)


# The save's two reads, their SQL built once per process (tthtcd_portal/compiled.py; building them cost more than
# running them), the sessions' once per number of sessions saved together. Only the session rows are locked (FOR
# UPDATE would lock the class's and centre's rows too if they were joined), and only what the save reads: the
# counts before, for the audit and the figures' change; the enrolments as values (60 learners are 120 model
# instances otherwise), in no particular order (the class's is its learners' names, a sort in Vietnamese).
@functools.lru_cache(maxsize=64)
def _sessions_to_save(count: int) -> Compiled:
    def build(course_id, centre_id, *ids):
        return (
            ClassSession.objects.select_for_update()
            .filter(course_id=course_id, pk__in=ids)
            .annotate(year_locked=year_locked(centre_id=centre_id, year=ExtractYear(OuterRef("date"))))
            .only("id", "course_id", "date", "present", "women", "minorities")
            .order_by("pk")
        )

    fields = (ClassSession._meta.get_field("course"), Course._meta.get_field("centre"))
    return Compiled(
        build,
        fields=(*fields, *[ClassSession._meta.pk] * count),
        markers=tuple(range(-9_100_001, -9_100_003 - count, -1)),
    )


_enrolments_to_save = Compiled(
    lambda course_id: (
        Enrolment.objects.filter(course_id=course_id)
        .order_by()
        .values_list("id", "from_date", "until_date", "learner__gender", "learner__is_minority")
    ),
    fields=(Enrolment._meta.get_field("course"),),
    markers=(-9_200_001,),
)


@transaction.atomic
def attendance_save(*, course: Course, presence: dict[int, set[int]], by) -> list[ClassSession]:
    """Save present/absent for every enrolled learner of one or more sessions of a roster class, in bulk.

    `presence` maps a session id to the enrolment ids marked present; every other learner enrolled on that day is
    absent. Someone not enrolled on that day refuses the whole save. `course` as the caller read it, with its
    centre (the view's scoped lookup). Queries, whatever the number of learners: lock the sessions, each with
    its year's lock (1), enrolments (1), attendance upsert and audit (1 on PostgreSQL; on SQLite 1 per ~300 rows
    and 1), session counts (1, when they change), figures (2 per centre-year-kind whose counts change)."""
    if not course.is_roster:
        raise ValidationError(_("Chuyên đề đếm số người dự không điểm danh từng người."))
    if not presence:
        return []
    sessions = _sessions_to_save(len(presence)).objects(course.pk, course.centre_id, *presence)
    if len(sessions) != len(presence):
        raise ValidationError(_("Buổi học không thuộc lớp này."))
    require_centre_edit(by, course.centre)
    locked = sorted({s.date.year for s in sessions if s.year_locked})
    if locked:
        raise ValidationError(locked_year_message(locked[0]))
    enrolments = _enrolments_to_save.tuples(course.pk)
    female = Learner.Gender.FEMALE
    rows, audits, deltas, changed = [], [], defaultdict(Counts), []
    for session in sessions:
        day = session.date
        active = [e for e in enrolments if Enrolment.active_on(e[1], e[2], day)]
        chosen = presence[session.pk]
        stray = chosen - {e[0] for e in active}
        if stray:
            raise ValidationError(
                _("Có người chưa ghi danh vào lớp vào ngày %(day)s được đánh dấu có mặt; chưa lưu gì.")
                % {"day": _d(day)}
            )
        here = [e for e in active if e[0] in chosen]
        after = (len(here), sum(e[3] == female for e in here), sum(e[4] for e in here))
        before = (session.present, session.women, session.minorities)
        rows += [(session.pk, e[0], e[0] in chosen) for e in active]
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
            key = session_key(course, day)
            deltas[key].add_session(-1, session)
            session.present, session.women, session.minorities = after
            deltas[key].add_session(1, session)
            changed.append(session)
    _attendance_upsert(rows, audits)
    if changed:
        ClassSession.objects.bulk_update(changed, ["present", "women", "minorities"])
    figures_apply(dict(deltas))
    return sessions


@transaction.atomic
def enrolment_add(
    *,
    course: Course,
    learners: Iterable[Learner],
    new_learners: Iterable[dict],
    from_date: datetime.date,
    by,
    allow_duplicates: bool = False,
) -> list[Enrolment]:
    """Create the new learners of the quick-add lines (a likely duplicate refuses them all unless
    `allow_duplicates`), then enrol them and the chosen existing learners."""
    created = [
        learner_create(centre=course.centre, by=by, allow_duplicate=allow_duplicates, **fields)
        for fields in new_learners
    ]
    return enrolment_create_many(course=course, learners=[*learners, *created], from_date=from_date, by=by)


@dataclass
class ImportCounts:
    classes: int = 0  # new classes
    sessions: int = 0  # new sessions
    updated: int = 0  # sessions already in the portal whose counts were updated ("cập nhật" ticked)
    unchanged: int = 0  # rows already in the portal, left alone


@transaction.atomic
def class_list_import(*, centre, classes, by, update: bool = False) -> ImportCounts:
    """Write a checked import through the same services, all or nothing: the first refusal rolls everything back
    and names its row. Rows the portal already has (courses.spreadsheet.match_existing: same class, same session
    date and topic) are left alone, or, with `update`, a session whose counts or hours differ is updated; so
    importing a file twice, or one that overlaps an earlier upload, adds only what is new."""
    counts = ImportCounts()
    known = instructors_by_name(centre=centre)
    for item in classes:
        linked, guests = split_instructor_names(item.instructor_names, known)
        course = item.existing
        if course is None:
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
            counts.classes += 1
        elif course.is_roster:
            raise ValidationError(
                _("Dòng %(row)s: lớp «%(title)s» đã có trên cổng và điểm danh từng người; không nhập buổi học từ tệp.")
                % {"row": item.first_row, "title": course.title}
            )
        elif item.new_sessions and course.end_date < max(s["date"] for s in item.new_sessions):
            course = course_update(course=course, by=by, end_date=item.end_date)
        for fields in item.sessions:
            existing = fields.get("existing")
            try:
                if existing is None:
                    class_session_create(
                        course=course,
                        by=by,
                        instructor=linked[0] if len(linked) == 1 and not guests else None,
                        instructor_name="" if len(linked) == 1 and not guests else item.instructor_names[:200],
                        place=item.place,
                        **{k: v for k, v in fields.items() if k not in ("existing", "changed")},
                    )
                    counts.sessions += 1
                elif update and fields.get("changed"):
                    class_session_update(
                        session=existing, by=by, **{f: fields[f] for f in ("present", "women", "minorities", "hours")}
                    )
                    counts.updated += 1
                else:
                    counts.unchanged += 1
            except ValidationError as exc:
                raise ValidationError(
                    _("Dòng %(row)s: %(message)s") % {"row": fields["row"], "message": " ".join(exc.messages)}
                ) from exc
    return counts
