"""Exports of the registry's, the classes' and the evaluations' list pages, with the page's filters.

Each builder reads the same GET parameters as its page (the "Xuất Excel" button carries the page's query
string), filters by the user's scope through accounts.scoping, and streams `values_list` rows — only the
columns the sheet needs, no model instances — from `read_db()` with `.iterator(chunk_size=CHUNK)`. A filter
naming another unit's centre or class is a 404, as on the pages. Registered in reports.exports.EXPORTS by
ReportsConfig.ready() (this module needs TableSpec from there, so it cannot be imported by it).
"""

from __future__ import annotations

import datetime

from django import forms
from django.db.models import Count, F, FilteredRelation, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import scoping
from centres.forms import CentreFilterForm
from centres.models import BoardMember, Gender, InstructorAssignment
from centres.selectors import centre_list
from courses.models import ClassSession, Course, Learner, ProgrammeKind
from courses.selectors import course_for_user, course_list
from evaluations.models import Assessment, Rating
from reports.exports import CHUNK, ExportKind, TableSpec, _context, _int, scope_label, yes_no
from reports.xlsx import DATE, DECIMAL, NUMBER, TEXT, Column
from tthtcd_portal.db_router import read_db
from tthtcd_portal.vietnamese import person_order

# --- Filters shared by several lists -----------------------------------------------------------------


def _labels(choices) -> dict:
    return {value: str(label) for value, label in choices}


def form_described(form: forms.Form) -> list[tuple[str, str]]:
    """A valid filter form's non-empty values in words (choice labels, object names), for the title rows."""
    if not form.is_valid():
        return []
    described = []
    for name, field in form.fields.items():
        value = form.cleaned_data.get(name)
        if value in ("", None):
            continue
        if isinstance(field, forms.ModelChoiceField):
            text = str(value)
        elif isinstance(field, forms.ChoiceField):
            text = _labels(field.choices).get(value, str(value))
        else:
            text = str(value)
        described.append((str(field.label), text))
    return described


def registry_centres(user, params: dict) -> tuple[Q, list[tuple[str, str]]]:
    """Which centres a registry export (board, instructors) covers, as a Q on `centre`, with its description.

    `trung_tam` names one centre (the centre page's button; 404 outside the user's scope); otherwise the
    centres list's own filter form (q, district, commune_kind, status, has_library, rating) selects them."""
    centre_id = _int(params.get("trung_tam"))
    if centre_id:
        centre = scoping.get_centre_for_user(user, centre_id)
        return Q(centre_id=centre.pk), [(_("Trung tâm"), centre.name)]
    form = CentreFilterForm(params, districts=scoping.visible_districts(user))
    wanted = form.filters()
    if not any(value not in ("", None) for value in wanted.values()):
        return Q(), []
    # The list page's own selector (its rating filter is an annotation), as a subquery of ids.
    rating_year = timezone.localdate().year - 1
    ids = centre_list(user=user, rating_year=rating_year, **wanted).values("pk")
    return Q(centre__in=ids), form_described(form)


def course_filters(user, params: dict, prefix: str = "") -> tuple[Q, list[tuple[str, str]]]:
    """The class list's filters `trung_tam` and `loai` as a Q on Course (through `prefix`, e.g. "course__");
    a centre outside the user's scope is a 404. (`nam` differs: a class's start year, a session's year.)"""
    q = Q()
    described = []
    centre_id = _int(params.get("trung_tam"))
    if centre_id:
        centre = scoping.get_centre_for_user(user, centre_id)
        q &= Q(**{f"{prefix}centre_id": centre.pk})
        described.append((_("Trung tâm"), centre.name))
    kind_id = _int(params.get("loai"))
    if kind_id:
        kind = ProgrammeKind.objects.filter(pk=kind_id).first()
        if kind is None:
            raise Http404(_("Không có loại chương trình này."))
        q &= Q(**{f"{prefix}programme_kind_id": kind.pk})
        described.append((_("Loại chương trình"), kind.name))
    return q, described


def _year(params: dict) -> int | None:
    year = _int(params.get("nam"))
    return year if 1900 < year < 2200 else None


def _district(name: str | None) -> str:
    return name or ""


# --- Board members and instructors (centres) ----------------------------------------------------------


def build_board_members(user, params: dict) -> TableSpec:
    where, described = registry_centres(user, params)
    qs = scoping.scoped(user, BoardMember.objects.using(read_db()).filter(where), "centre")
    day = _date(params.get("ngay"))
    if day:
        qs = qs.on_date(day)
        described.append((_("Tại nhiệm ngày"), day.strftime("%d/%m/%Y")))
    qs = qs.order_by("centre__commune__district__code", "centre__commune__code", "position", "-term_start", "id")
    positions, genders, engagements = (
        _labels(BoardMember.Position.choices),
        _labels(Gender.choices),
        _labels(BoardMember._meta.get_field("engagement").choices),
    )
    columns = [
        Column(_("Huyện"), TEXT, 22),
        Column(_("Mã xã"), TEXT, 9),
        Column(_("Trung tâm"), TEXT, 45),
        Column(_("Họ và tên"), TEXT, 28),
        Column(_("Giới tính"), TEXT, 9),
        Column(_("Chức danh"), TEXT, 16),
        Column(_("Chức vụ chính"), TEXT, 30),
        Column(_("Chuyên trách/kiêm nhiệm"), TEXT, 14),
        Column(_("Quyết định bổ nhiệm"), TEXT, 20),
        Column(_("Bắt đầu nhiệm kỳ"), DATE),
        Column(_("Kết thúc nhiệm kỳ"), DATE),
    ]
    fields = (
        "centre__commune__district__name",
        "centre__commune__code",
        "centre__name",
        "full_name",
        "gender",
        "position",
        "main_post",
        "engagement",
        "appointment_decision",
        "term_start",
        "term_end",
    )
    rows = (
        (_district(d), code, centre, name, genders.get(g, g), positions.get(p, p), post, engagements.get(e, e), *rest)
        for d, code, centre, name, g, p, post, e, *rest in qs.values_list(*fields).iterator(chunk_size=CHUNK)
    )
    return TableSpec(
        title=_("Danh sách thành viên Ban Giám đốc trung tâm"),
        context=_context(user, scope_label(user), "", described),
        columns=columns,
        rows=rows,
        total=qs.count(),
    )


def build_instructors(user, params: dict) -> TableSpec:
    where, described = registry_centres(user, params)
    qs = scoping.scoped(user, InstructorAssignment.objects.using(read_db()).filter(where), "centre")
    qs = qs.order_by(
        "centre__commune__district__code", "centre__commune__code", "-active", *person_order("instructor__full_name")
    )
    kinds, genders = _labels(InstructorAssignment.Kind.choices), _labels(Gender.choices)
    engagements = _labels(InstructorAssignment._meta.get_field("engagement").choices)
    columns = [
        Column(_("Huyện"), TEXT, 22),
        Column(_("Mã xã"), TEXT, 9),
        Column(_("Trung tâm"), TEXT, 45),
        Column(_("Họ và tên"), TEXT, 28),
        Column(_("Giới tính"), TEXT, 9),
        Column(_("Năm sinh"), NUMBER, 9),
        Column(_("Dân tộc"), TEXT, 10),
        Column(_("Lĩnh vực"), TEXT, 20),
        Column(_("Nơi công tác"), TEXT, 24),
        Column(_("Điện thoại"), TEXT, 13),
        Column(_("Loại"), TEXT, 15),
        Column(_("Chuyên trách/kiêm nhiệm"), TEXT, 14),
        Column(_("Đang tham gia"), TEXT, 10),
    ]
    fields = (
        "centre__commune__district__name",
        "centre__commune__code",
        "centre__name",
        "instructor__full_name",
        "instructor__gender",
        "instructor__birth_year",
        "instructor__ethnicity",
        "instructor__field",
        "instructor__workplace",
        "instructor__phone",
        "kind",
        "engagement",
        "active",
    )
    rows = (
        (
            _district(d),
            code,
            centre,
            name,
            genders.get(g, g),
            *person,
            kinds.get(k, k),
            engagements.get(e, e),
            yes_no(a),
        )
        for d, code, centre, name, g, *person, k, e, a in qs.values_list(*fields).iterator(chunk_size=CHUNK)
    )
    return TableSpec(
        title=_("Danh sách giáo viên, báo cáo viên, hướng dẫn viên"),
        context=_context(user, scope_label(user), "", described),
        columns=columns,
        rows=rows,
        total=qs.count(),
    )


def _date(value) -> datetime.date | None:
    from django.utils.dateparse import parse_date

    try:
        return parse_date(value or "")
    except ValueError:
        return None


# --- Classes, sessions, learners (courses) ------------------------------------------------------------


def build_courses(user, params: dict) -> TableSpec:
    where, described = course_filters(user, params)
    year = _year(params)
    qs = course_list(user=user, year=year).filter(where).using(read_db())
    formats = _labels(Course.Format.choices)
    columns = [
        Column(_("Huyện"), TEXT, 22),
        Column(_("Mã xã"), TEXT, 9),
        Column(_("Trung tâm"), TEXT, 40),
        Column(_("Tên lớp, chuyên đề"), TEXT, 40),
        Column(_("Loại chương trình"), TEXT, 28),
        Column(_("Hình thức"), TEXT, 20),
        Column(_("Người dạy, báo cáo viên"), TEXT, 24),
        Column(_("Đơn vị phối hợp"), TEXT, 20),
        Column(_("Địa điểm"), TEXT, 20),
        Column(_("Ngày bắt đầu"), DATE),
        Column(_("Ngày kết thúc"), DATE),
        Column(_("Số buổi dự kiến"), NUMBER, 10),
        Column(_("Số buổi đã học"), NUMBER, 10),
        Column(_("Lượt người học"), NUMBER, 12),
    ]
    fields = (
        "centre__commune__district__name",
        "centre__commune__code",
        "centre__name",
        "title",
        "programme_kind__name",
        "format",
        "instructor_names",
        "partner",
        "place",
        "start_date",
        "end_date",
        "planned_sessions",
        "session_count",
        "participation_count",
    )
    rows = (
        (_district(d), code, centre, title, kind, formats.get(f, f), *rest)
        for d, code, centre, title, kind, f, *rest in qs.values_list(*fields).iterator(chunk_size=CHUNK)
    )
    return TableSpec(
        title=_("Danh sách lớp học, chuyên đề"),
        context=_context(user, scope_label(user), str(year or ""), described),
        columns=columns,
        rows=rows,
        total=qs.count(),
    )


SESSION_COLUMNS = [
    Column(gettext_lazy("Huyện"), TEXT, 22),
    Column(gettext_lazy("Mã xã"), TEXT, 9),
    Column(gettext_lazy("Trung tâm"), TEXT, 40),
    Column(gettext_lazy("Lớp, chuyên đề"), TEXT, 36),
    Column(gettext_lazy("Loại chương trình"), TEXT, 28),
    Column(gettext_lazy("Ngày học"), DATE),
    Column(gettext_lazy("Nội dung"), TEXT, 30),
    Column(gettext_lazy("Người dạy"), TEXT, 22),
    Column(gettext_lazy("Số giờ"), DECIMAL, 8),
    Column(gettext_lazy("Địa điểm"), TEXT, 20),
    Column(gettext_lazy("Số người dự"), NUMBER, 10),
    Column(gettext_lazy("Trong đó nữ"), NUMBER, 10),
    Column(gettext_lazy("Trong đó DTTS"), NUMBER, 10),
]
SESSION_FIELDS = (
    "course__centre__commune__district__name",
    "course__centre__commune__code",
    "course__centre__name",
    "course__title",
    "course__programme_kind__name",
    "date",
    "topic",
    "instructor_name",
    "hours",
    "place",
    "present",
    "women",
    "minorities",
)


def sessions_queryset(user, params: dict):
    """The sessions an export covers and the filters in words. `lop` names one class (404 outside scope);
    otherwise every class in scope, narrowed by `trung_tam`, `loai` and `nam` (the session's year)."""
    qs = scoping.scoped(user, ClassSession.objects.using(read_db()), "course__centre")
    course_id = _int(params.get("lop"))
    if course_id:
        course = course_for_user(user, course_id)
        qs = qs.filter(course_id=course.pk)
        described = [(_("Lớp"), course.title), (_("Trung tâm"), course.centre.name)]
    else:
        where, described = course_filters(user, params, prefix="course__")
        qs = qs.filter(where)
    year = _year(params)
    if year:
        qs = qs.filter(date__gte=datetime.date(year, 1, 1), date__lte=datetime.date(year, 12, 31))
    ordered = qs.order_by("course__centre__commune__code", "course_id", "date", "id")
    return ordered, described, year


def build_sessions(user, params: dict) -> TableSpec:
    qs, described, year = sessions_queryset(user, params)
    rows = ((d or "", *rest) for d, *rest in qs.values_list(*SESSION_FIELDS).iterator(chunk_size=CHUNK))
    return TableSpec(
        title=_("Danh sách buổi học và số người dự"),
        context=_context(user, scope_label(user), str(year or ""), described),
        columns=[Column(str(c.header), c.kind, c.width) for c in SESSION_COLUMNS],
        rows=rows,
        total=qs.count(),
    )


def build_learners(user, params: dict) -> TableSpec:
    qs = scoping.scoped(user, Learner.objects.using(read_db()), "centre")
    described = []
    centre_id = _int(params.get("trung_tam"))
    if centre_id:
        centre = scoping.get_centre_for_user(user, centre_id)
        qs = qs.filter(centre_id=centre.pk)
        described.append((_("Trung tâm"), centre.name))
    qs = qs.annotate(class_count=Count("enrolments")).order_by("centre__commune__code", *person_order(), "id")
    genders = _labels(Learner.Gender.choices)
    columns = [
        Column(_("Huyện"), TEXT, 22),
        Column(_("Mã xã"), TEXT, 9),
        Column(_("Trung tâm"), TEXT, 40),
        Column(_("Họ và tên"), TEXT, 28),
        Column(_("Giới tính"), TEXT, 9),
        Column(_("Năm sinh"), NUMBER, 9),
        Column(_("Dân tộc"), TEXT, 10),
        Column(_("Dân tộc thiểu số"), TEXT, 10),
        Column(_("Thôn, xóm"), TEXT, 18),
        Column(_("Số lớp đã ghi danh"), NUMBER, 10),
    ]
    fields = (
        "centre__commune__district__name",
        "centre__commune__code",
        "centre__name",
        "full_name",
        "gender",
        "birth_year",
        "ethnicity",
        "is_minority",
        "village",
        "class_count",
    )
    rows = (
        (_district(d), code, centre, name, genders.get(g, g), born, ethnicity, yes_no(minority), village, n)
        for d, code, centre, name, g, born, ethnicity, minority, village, n in qs.values_list(*fields).iterator(
            chunk_size=CHUNK
        )
    )
    return TableSpec(
        title=_("Danh sách người học"),
        context=_context(user, scope_label(user), "", described),
        columns=columns,
        rows=rows,
        total=qs.count(),
    )


# --- Ratings of a year (evaluations overview) ---------------------------------------------------------


def build_ratings(user, params: dict) -> TableSpec:
    """Every active centre in scope with its assessment of the year (`nam`, default the current cycle),
    optionally of one reviewing office (`don_vi`), as the evaluations overview lists them."""
    from evaluations.selectors import evaluation_years

    year = _year(params) or next(iter(evaluation_years()), timezone.localdate().year)
    qs = scoping.visible_centres(user).using(read_db()).active()
    described = []
    office_id = _int(params.get("don_vi"))
    if office_id:
        qs = qs.filter(review_office_id=office_id)
        office = scoping.visible_offices(user).filter(pk=office_id).first()
        described.append((_("Đơn vị đánh giá"), office.name if office else str(office_id)))
    qs = qs.annotate(a=FilteredRelation("assessments", condition=Q(assessments__year=year))).order_by(
        "commune__district__code", "commune__code"
    )
    statuses, ratings = _labels(Assessment.Status.choices), _labels(Rating.choices)
    columns = [
        Column(_("Huyện"), TEXT, 22),
        Column(_("Mã xã"), TEXT, 9),
        Column(_("Trung tâm"), TEXT, 40),
        Column(_("Đơn vị đánh giá"), TEXT, 28),
        Column(_("Trạng thái"), TEXT, 24),
        Column(_("Điểm tự đánh giá"), DECIMAL),
        Column(_("Điểm thẩm định"), DECIMAL),
        Column(_("Xếp loại đề xuất"), TEXT, 14),
        Column(_("Xếp loại chính thức"), TEXT, 14),
        Column(_("Ngày phê duyệt"), DATE),
    ]
    fields = (
        "commune__district__name",
        "commune__code",
        "name",
        "review_office__name",
        F("a__status"),
        F("a__self_score"),
        F("a__review_score"),
        F("a__proposed_rating"),
        F("a__rating"),
        F("a__approved_at"),
    )
    approved = Assessment.Status.APPROVED

    def rows():
        for d, code, name, office, status, self_score, review, proposed, rating, approved_at in qs.values_list(
            *fields
        ).iterator(chunk_size=CHUNK):
            official = status == approved
            yield (
                _district(d),
                code,
                name,
                office or "",
                statuses.get(status, _("Chưa bắt đầu")),
                self_score,
                review,
                ratings.get(proposed, ""),
                ratings.get(rating, "") if official else "",
                timezone.localdate(approved_at) if official and approved_at else None,
            )

    return TableSpec(
        title=_("Kết quả đánh giá, xếp loại trung tâm năm %(year)s") % {"year": year},
        context=_context(user, scope_label(user), str(year), described),
        columns=columns,
        rows=rows(),
        total=qs.count(),
    )


def _everyone(user) -> bool:
    return True


KINDS = [
    ExportKind("ban-giam-doc", gettext_lazy("Danh sách Ban Giám đốc"), _everyone, build_board_members),
    ExportKind("giang-vien", gettext_lazy("Danh sách giáo viên, báo cáo viên"), _everyone, build_instructors),
    ExportKind("lop-hoc", gettext_lazy("Danh sách lớp học, chuyên đề"), _everyone, build_courses),
    ExportKind("buoi-hoc", gettext_lazy("Buổi học và số người dự"), _everyone, build_sessions),
    ExportKind("hoc-vien", gettext_lazy("Danh sách người học"), _everyone, build_learners),
    ExportKind("xep-loai-nam", gettext_lazy("Kết quả đánh giá, xếp loại của năm"), _everyone, build_ratings),
]
