"""Reads of the training courses. Each docstring says what it costs in queries.

Who sees a course (accounts.scoping): the province's officials every course of their province; reviewers and
centre staff the courses that invite a centre they see — and, on a course, only those centres' invitations and
attendance."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from accounts import scoping
from centres.models import BoardMember, Centre, InstructorAssignment
from training.models import TrainingAttendance, TrainingCourse, TrainingInvitation
from tthtcd_portal.vietnamese import person_order, person_sort_key


def visible_courses_q(user) -> Q:
    """The training courses `user` sees, as a Q on TrainingCourse."""
    province_q = scoping.province_level_q(user)
    if province_q is not None:
        return province_q
    invited = TrainingInvitation.objects.filter(scoping.centre_q(user, "centre__")).values("course_id")
    return Q(pk__in=invited)


def training_course_list(*, user) -> QuerySet:
    """Courses the user sees, newest first, with the number of invited centres and of attendees (as the user
    sees them: their own centres' for staff and reviewers). One query per page."""
    centre_q = scoping.centre_q(user, "invitations__centre__")
    attend_q = scoping.centre_q(user, "attendances__centre__")
    return (
        TrainingCourse.objects.filter(visible_courses_q(user))
        .annotate(
            invited_count=Count("invitations", filter=centre_q, distinct=True),
            attendee_count=Count("attendances", filter=attend_q, distinct=True),
        )
        .order_by("-start_date", "-id")
    )


def training_course_for_user(user, pk: int) -> TrainingCourse:
    """One course the user sees, with its province, or 404 (another province's, or one that invites none of
    the user's centres). One query."""
    course = TrainingCourse.objects.filter(visible_courses_q(user), pk=pk).select_related("province").first()
    if course is None:
        raise Http404(_("Không tìm thấy hoặc bạn không có quyền xem."))
    return course


def course_invitations(*, user, course: TrainingCourse) -> list[TrainingInvitation]:
    """The invited centres the user sees, in commune code order, each with its number of attendees. One query."""
    return list(
        TrainingInvitation.objects.filter(scoping.centre_q(user, "centre__"), course=course)
        .select_related("centre__commune")
        .annotate(
            attendee_count=Count(
                "centre__training_attendances", filter=Q(centre__training_attendances__course=course), distinct=True
            )
        )
        .order_by("centre__commune__code", "centre_id")
    )


def course_attendances(*, user, course: TrainingCourse) -> list[TrainingAttendance]:
    """Who attended, of the centres the user sees, by centre then role then name. One query."""
    return list(
        TrainingAttendance.objects.filter(scoping.centre_q(user, "centre__"), course=course)
        .select_related("centre__commune", "board_member", "instructor")
        .order_by("centre__commune__code", "centre_id", "role", "id")
    )


@dataclass(frozen=True)
class Person:
    """A board member or an instructor of an invited centre, as the attendance form lists them."""

    key: str  # "b<board member id>" or "i<instructor id>"
    name: str
    role: str  # TrainingAttendance.Role
    detail: str  # position or kind


def centre_people(*, centre: Centre, course: TrainingCourse, day: datetime.date) -> list[Person]:
    """The board in office on `day` and the active instructors of `centre`, as far as the course's audience
    concerns them. Two queries."""
    people: list[Person] = []
    if course.invites_board:
        for m in BoardMember.objects.filter(centre=centre).on_date(day).order_by("position", *person_order()):
            people.append(Person(f"b{m.pk}", m.full_name, TrainingAttendance.Role.BOARD, m.get_position_display()))
    if course.invites_instructors:
        links = (
            InstructorAssignment.objects.filter(centre=centre, active=True)
            .select_related("instructor")
            .order_by(*person_order("instructor__full_name"), "id")
        )
        for a in links:
            people.append(
                Person(
                    f"i{a.instructor_id}",
                    a.instructor.full_name,
                    TrainingAttendance.Role.INSTRUCTOR,
                    a.get_kind_display(),
                )
            )
    return people


def attended_keys(*, course: TrainingCourse, centre: Centre) -> set[str]:
    """The people of `centre` recorded present at `course`, as Person keys. One query."""
    keys = set()
    for board_id, instructor_id in TrainingAttendance.objects.filter(course=course, centre=centre).values_list(
        "board_member_id", "instructor_id"
    ):
        keys.add(f"b{board_id}" if board_id else f"i{instructor_id}")
    return keys


# --- Who has never been trained ---------------------------------------------------------------------------


@dataclass(frozen=True)
class UntrainedRow:
    centre_id: int
    district: str
    commune_code: str
    commune: str
    centre: str
    role: str  # TrainingAttendance.Role value
    role_label: str
    name: str
    detail: str


ROLE_LABELS = dict(TrainingAttendance.Role.choices)


def untrained_people(*, user, day: datetime.date, centre_id: int | None = None, role: str | None = None):
    """Board members in office on `day` and active instructors of the active centres the user sees who have
    never attended a training course. A board member counts as trained when the same name on the same centre's
    board attended (a new term is a new row); an instructor when the person attended for any centre (their
    history follows them). Sorted by commune code, role, name. Two queries (one when a role is chosen)."""
    centres = Centre.objects.visible_to(user).active()
    if centre_id:
        centres = centres.filter(pk=centre_id)
    rows: list[UntrainedRow] = []
    if role in (None, "", TrainingAttendance.Role.BOARD):
        trained = TrainingAttendance.objects.filter(
            board_member__centre_id=OuterRef("centre_id"), board_member__full_name=OuterRef("full_name")
        )
        members = (
            BoardMember.objects.filter(centre__in=centres)
            .on_date(day)
            .filter(~Exists(trained))
            .values_list(
                "centre_id",
                "centre__commune__district__name",
                "centre__commune__code",
                "centre__commune__name",
                "centre__name",
                "full_name",
                "position",
            )
        )
        positions = dict(BoardMember.Position.choices)
        for cid, district, code, commune, name, full_name, position in members:
            rows.append(
                UntrainedRow(
                    cid,
                    district or "",
                    code,
                    commune,
                    name,
                    "board",
                    str(ROLE_LABELS["board"]),
                    full_name,
                    str(positions.get(position, position)),
                )
            )
    if role in (None, "", TrainingAttendance.Role.INSTRUCTOR):
        trained = TrainingAttendance.objects.filter(instructor_id=OuterRef("instructor_id"))
        links = (
            InstructorAssignment.objects.filter(centre__in=centres, active=True)
            .filter(~Exists(trained))
            .values_list(
                "centre_id",
                "centre__commune__district__name",
                "centre__commune__code",
                "centre__commune__name",
                "centre__name",
                "instructor__full_name",
                "kind",
            )
        )
        kinds = dict(InstructorAssignment.Kind.choices)
        for cid, district, code, commune, name, full_name, kind in links:
            rows.append(
                UntrainedRow(
                    cid,
                    district or "",
                    code,
                    commune,
                    name,
                    "instructor",
                    str(ROLE_LABELS["instructor"]),
                    full_name,
                    str(kinds.get(kind, kind)),
                )
            )
    rows.sort(key=lambda r: (r.commune_code, r.centre_id, r.role != "board", person_sort_key(r.name)))
    return rows
