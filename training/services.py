"""Writes of the training courses: keyword-only, each in one transaction, refusing with a Vietnamese message.

Who may call them is decided by the views (accounts.scoping: the province's officials run their courses);
these functions hold the rules of the course itself: dates in order, only active centres of the course's
province invited, attendance only of invited centres' own people, and not before the course has begun."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from centres.models import Centre
from training.models import TrainingAttendance, TrainingCourse, TrainingInvitation
from training.selectors import centre_people

if TYPE_CHECKING:
    from accounts.models import User
    from units.models import Province

COURSE_FIELDS = ("title", "topic", "organiser", "audience", "place", "start_date", "end_date")


def _check_dates(start: datetime.date, end: datetime.date) -> None:
    if start and end and end < start:
        raise ValidationError({"end_date": _("Ngày kết thúc phải sau hoặc cùng ngày bắt đầu.")})


@transaction.atomic
def training_course_create(*, province: Province, by: User, **fields) -> TrainingCourse:
    """A new course of `province` (no centre invited yet)."""
    course = TrainingCourse(province=province, created_by=by, **{f: fields[f] for f in COURSE_FIELDS if f in fields})
    _check_dates(course.start_date, course.end_date)
    course.save()
    return course


@transaction.atomic
def training_course_update(*, course: TrainingCourse, by: User, **fields) -> TrainingCourse:
    """Change a course's details; its dates must still hold the attendance already recorded (any date does:
    attendance is per course, not per day), so only their order is checked."""
    changed = [f for f in COURSE_FIELDS if f in fields and getattr(course, f) != fields[f]]
    for name in changed:
        setattr(course, name, fields[name])
    _check_dates(course.start_date, course.end_date)
    if changed:
        course.save(update_fields=changed)
    return course


@transaction.atomic
def training_course_invite(*, course: TrainingCourse, centres: Iterable[Centre], by: User) -> int:
    """Invite `centres` (active, of the course's province) to the course; those already invited stay. Returns
    how many were added."""
    centres = list(centres)
    if not centres:
        raise ValidationError(_("Chọn ít nhất một trung tâm để mời."))
    for centre in centres:
        if not centre.is_active:
            raise ValidationError(
                _("Trung tâm %(name)s đã sáp nhập hoặc giải thể, không mời tập huấn được.") % {"name": centre.name}
            )
        if centre.commune.province_id != course.province_id:
            raise ValidationError(_("Chỉ mời được trung tâm trong tỉnh tổ chức lớp tập huấn."))
    already = set(course.invitations.values_list("centre_id", flat=True))
    new = [TrainingInvitation(course=course, centre=c) for c in centres if c.pk not in already]
    for invitation in new:
        invitation.save()  # one by one: each invitation has its history row
    return len(new)


@transaction.atomic
def training_attendance_record(*, course: TrainingCourse, centre: Centre, present: Iterable[str], by: User) -> int:
    """Set who of `centre`'s board and instructors attended `course` (keys as training.selectors.Person):
    those not listed are removed. Refused for a centre not invited, a merged or dissolved centre, a course not
    yet begun, or a person who is not on the centre's lists. Returns the number present."""
    today = timezone.localdate()
    if course.start_date > today:
        raise ValidationError(_("Lớp tập huấn chưa diễn ra: chỉ ghi danh sách dự từ ngày bắt đầu."))
    if not centre.is_active:
        raise ValidationError(_("Trung tâm đã sáp nhập hoặc giải thể, chỉ được xem."))
    if not TrainingInvitation.objects.filter(course=course, centre=centre).exists():
        raise ValidationError(_("Trung tâm này không được mời dự lớp tập huấn."))
    # The people the form offered: the board on the course's last day (or today, if it runs on) and the
    # centre's active instructors, plus those already recorded (a member whose term ended since stays).
    day = min(course.end_date, today)
    offered = {p.key: p for p in centre_people(centre=centre, course=course, day=day)}
    recorded = {
        (f"b{a.board_member_id}" if a.board_member_id else f"i{a.instructor_id}"): a
        for a in TrainingAttendance.objects.select_for_update().filter(course=course, centre=centre)
    }
    wanted = set(present)
    unknown = wanted - set(offered) - set(recorded)
    if unknown:
        raise ValidationError(_("Có người không thuộc Ban Giám đốc hoặc giảng viên của trung tâm."))
    for key, row in recorded.items():
        if key not in wanted:
            row.delete()
    for key in sorted(wanted - set(recorded)):
        person = offered[key]
        # An instructor teaching at two invited centres attends once: the first centre recorded keeps them.
        if (
            person.role == TrainingAttendance.Role.INSTRUCTOR
            and TrainingAttendance.objects.filter(course=course, instructor_id=int(key[1:])).exists()
        ):
            raise ValidationError(_("%(name)s đã được ghi dự lớp này ở trung tâm khác.") % {"name": person.name})
        TrainingAttendance.objects.create(
            course=course,
            centre=centre,
            role=person.role,
            board_member_id=int(key[1:]) if person.role == TrainingAttendance.Role.BOARD else None,
            instructor_id=int(key[1:]) if person.role == TrainingAttendance.Role.INSTRUCTOR else None,
            recorded_by=by,
        )
    return len(wanted)
