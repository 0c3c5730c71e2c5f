"""Exports of the classes list (courses:list) and the learners list (courses:learners): the classes, their
sessions, a centre's learners — of exactly the rows the page shows, through the page's own filter
(courses.filters); from a class page, `lop` names one class (404 outside the user's scope)."""

from __future__ import annotations

from django.db.models import Value
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import scoping
from courses.filters import CourseFilter, LearnerFilter
from courses.models import ClassSession
from courses.selectors import centre_learners, course_for_user, course_list
from reports.exports.base import Export, TableSpec, everyone, export_context, headed, query_rows, unit_columns
from tthtcd_portal.db_router import read_db
from tthtcd_portal.params import id_param
from tthtcd_portal.vietnamese import person_order
from tthtcd_portal.xlsx import DATE, DECIMAL, NUMBER, TEXT, YEAR, Column

COURSE_COLUMNS = [
    *unit_columns("centre__"),
    Column(gettext_lazy("Tên lớp, chuyên đề"), TEXT, 40, "title"),
    Column(gettext_lazy("Loại chương trình"), TEXT, 28, "programme_kind__name"),
    Column(gettext_lazy("Hình thức"), TEXT, 20, "format"),
    Column(gettext_lazy("Người dạy, báo cáo viên"), TEXT, 24, "instructor_names"),
    Column(gettext_lazy("Đơn vị phối hợp"), TEXT, 20, "partner"),
    Column(gettext_lazy("Địa điểm"), TEXT, 20, "place"),
    Column(gettext_lazy("Ngày bắt đầu"), DATE, None, "start_date"),
    Column(gettext_lazy("Ngày kết thúc"), DATE, None, "end_date"),
    Column(gettext_lazy("Số buổi dự kiến"), NUMBER, 10, "planned_sessions"),
    Column(gettext_lazy("Số buổi đã học"), NUMBER, 10, "session_count"),
    Column(gettext_lazy("Lượt người học"), NUMBER, 12, "participation_count"),
]


def filtered_courses(user, params: dict) -> CourseFilter:
    """The classes list's filter over the user's classes (from the replica), as the page applies it."""
    return CourseFilter(params, queryset=course_list(user=user).using(read_db()), user=user)


def build_courses(user, params: dict) -> TableSpec:
    found = filtered_courses(user, params)
    qs = found.qs
    return TableSpec(
        title=_("Danh sách lớp học, chuyên đề"),
        context=export_context(user, described=found.described()),
        columns=headed(COURSE_COLUMNS),
        rows=query_rows(qs, COURSE_COLUMNS),
        total=qs.count(),
    )


SESSION_COLUMNS = [
    *unit_columns("course__centre__"),
    Column(gettext_lazy("Lớp, chuyên đề"), TEXT, 36, "course__title"),
    Column(gettext_lazy("Loại chương trình"), TEXT, 28, "course__programme_kind__name"),
    Column(gettext_lazy("Ngày học"), DATE, None, "date"),
    Column(gettext_lazy("Nội dung"), TEXT, 30, "topic"),
    # Who taught, as the class page shows it (ClassSession.instructor_label): the registry's instructor, else
    # the name typed in.
    Column(gettext_lazy("Người dạy"), TEXT, 22, "taught_by"),
    Column(gettext_lazy("Số giờ"), DECIMAL, 8, "hours"),
    Column(gettext_lazy("Địa điểm"), TEXT, 20, "place"),
    Column(gettext_lazy("Số người dự"), NUMBER, 10, "present"),
    Column(gettext_lazy("Trong đó nữ"), NUMBER, 10, "women"),
    Column(gettext_lazy("Trong đó DTTS"), NUMBER, 10, "minorities"),
]


def sessions_queryset(user, params: dict):
    """The sessions an export covers and the filters in words: of one class (`lop`, 404 outside the scope),
    else of the classes the classes list shows for these parameters."""
    qs = scoping.scoped(user, ClassSession.objects.using(read_db()), "course__centre")
    if params.get("lop") not in (None, ""):
        course = course_for_user(user, id_param(params.get("lop")) or 0)
        qs = qs.filter(course_id=course.pk)
        described = [(_("Lớp"), course.title), (_("Trung tâm"), course.centre.name)]
    else:
        # The classes list's filter through the session's class, on the list's base (scope as above, live
        # classes): a join PostgreSQL drives from the classes of the year (course_centre_start_idx), not an
        # `IN (the list's query)` that walked every class of the province (issue 17 item 4).
        found = filtered_courses(user, params)
        qs = found.filter_through(qs.filter(course__archived_at__isnull=True), "course")
        described = found.described()
    qs = qs.annotate(taught_by=Coalesce("instructor__full_name", NullIf("instructor_name", Value(""))))
    return qs.order_by("course__centre__commune__code", "course_id", "date", "id"), described


def build_sessions(user, params: dict) -> TableSpec:
    qs, described = sessions_queryset(user, params)
    return TableSpec(
        title=_("Danh sách buổi học và số người dự"),
        context=export_context(user, described=described),
        columns=headed(SESSION_COLUMNS),
        rows=query_rows(qs, SESSION_COLUMNS),
        total=qs.count(),
    )


LEARNER_COLUMNS = [
    *unit_columns("centre__"),
    Column(gettext_lazy("Họ và tên"), TEXT, 28, "full_name"),
    Column(gettext_lazy("Giới tính"), TEXT, 9, "gender"),
    Column(gettext_lazy("Năm sinh"), YEAR, 9, "birth_year"),
    Column(gettext_lazy("Dân tộc"), TEXT, 10, "ethnicity"),
    Column(gettext_lazy("Dân tộc thiểu số"), TEXT, 10, "is_minority"),
    Column(gettext_lazy("Thôn, xóm"), TEXT, 18, "village"),
    Column(gettext_lazy("Số lớp đã ghi danh"), NUMBER, 10, "class_count"),
]


def build_learners(user, params: dict) -> TableSpec:
    base = scoping.scoped(user, centre_learners().using(read_db()), "centre")
    found = LearnerFilter(params, queryset=base, user=user)
    qs = found.qs.order_by("centre__commune__code", *person_order(), "id")
    return TableSpec(
        title=_("Danh sách người học"),
        context=export_context(user, described=found.described()),
        columns=headed(LEARNER_COLUMNS),
        rows=query_rows(qs, LEARNER_COLUMNS),
        total=qs.count(),
    )


EXPORTS = [
    Export("lop-hoc", gettext_lazy("Danh sách lớp học, chuyên đề"), everyone, build_courses),
    Export("buoi-hoc", gettext_lazy("Buổi học và số người dự"), everyone, build_sessions),
    Export("hoc-vien", gettext_lazy("Danh sách người học"), everyone, build_learners),
]
