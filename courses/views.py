"""Classes, sessions, attendance, learners, programme kinds, Excel in and out.

Every lookup by id goes through accounts.scoping (another unit's object is a 404); every write calls
require_centre_edit (a read-only user gets 403) and then a service, which refuses with a Vietnamese message.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import scoping
from centres.models import Centre
from centres.selectors import centre_for_user
from courses import selectors, services, sync
from courses.filters import CourseFilter, LearnerFilter
from courses.forms import (
    CourseForm,
    EnrolForm,
    ImportUploadForm,
    LearnerForm,
    ProgrammeKindForm,
    QuickLearnerFormSet,
    SessionForm,
    WithdrawForm,
    parse_month,
)
from courses.models import Course, Learner, ProgrammeKind, ProvinceProgrammeKind
from courses.spreadsheet import parse_class_list, template_workbook
from evaluations.selectors import locked_years
from tthtcd_portal.page_cache import snapshot_cached
from tthtcd_portal.pagination import paginate
from tthtcd_portal.params import date_param, id_param, int_param
from tthtcd_portal.refusal import refusal_shown
from tthtcd_portal.rows import text, url_for
from tthtcd_portal.spreadsheets import (
    SpreadsheetError,
    discard_staged,
    staged_path,
    upload_preview,
)
from tthtcd_portal.template_filters import so
from tthtcd_portal.vietnamese import by_name

PAGE_SIZE = 50
IMPORT_SESSION_KEY = "courses_import"


def _editable_centres(user):
    """Active centres in the user's scope that the user may change (centre staff: theirs; officials: many)."""
    centres = Centre.objects.visible_to(user).active().with_units().order_by(by_name())
    editable = [c for c in centres if scoping.can_edit_centre(user, c)]
    if not editable:
        if user.is_centre_staff and user.centre_id:
            scoping.require_centre_edit(user, user.centre)  # a merged centre's staff are told so
        raise PermissionDenied(_("Bạn chỉ được xem, không được thêm lớp học."))
    return centres.filter(pk__in=[c.pk for c in editable])


# --- Lists ----------------------------------------------------------------------------------------------------


@login_required
@snapshot_cached
def course_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    found = CourseFilter(request.GET or None, queryset=selectors.course_list(user=user), user=user)
    context = {
        "filter": found,
        "page": paginate(request, found.qs.only(*selectors.COURSE_ROW_FIELDS), PAGE_SIZE, count=found.count()),
        "many_centres": not user.is_centre_staff,
        "can_add": scoping.is_province_level(user)
        or bool(user.is_centre_staff and user.centre_id and scoping.can_edit_centre(user, user.centre)),
        "is_province_level": scoping.is_province_level(user),
        "read_only": read_only_note(user, user.centre) if user.is_centre_staff and user.centre_id else "",
    }
    return render(request, "courses/course_list.html", context)


def read_only_note(user, centre: Centre, years: Iterable[int] = ()) -> str:
    """Why a page offers no change before the user tries one: the centre merged or dissolved (for everyone), or,
    for a user who may change the centre, every year the page would change locked by the province. Empty
    otherwise (a reviewer simply reads). Queries: the successor's name (1, merged only), locked years (1)."""
    if not centre.is_active:
        day = centre.status_date.strftime("%d/%m/%Y") if centre.status_date else ""
        if centre.merged_into_id:
            return _(
                "Trung tâm đã sáp nhập vào %(target)s từ ngày %(day)s: dữ liệu của trung tâm được giữ nguyên và chỉ "
                "được xem, không thêm, sửa hay xóa được."
            ) % {"target": centre.merged_into.name, "day": day}
        return _("Trung tâm đã giải thể từ ngày %(day)s: dữ liệu chỉ được xem, không thêm, sửa hay xóa được.") % {
            "day": day
        }
    years = sorted(set(years))
    if not years or not scoping.can_edit_centre(user, centre):
        return ""
    locked = locked_years(centre_id=centre.pk, years=years)
    if len(locked) < len(years):
        return ""
    return _(
        "Năm %(years)s đã khóa số liệu (Sở đã phê duyệt xếp loại của trung tâm): trang này chỉ để xem, không thêm, "
        "sửa hay xóa được."
    ) % {"years": ", ".join(str(y) for y in locked)}


def _lock_note(course: Course) -> tuple[str, bool]:
    """What the class's page says about the years of it the province has locked, and whether that is all of them
    (then it offers no change: every one would be refused). One query."""
    years = range(course.start_date.year, course.end_date.year + 1)
    locked = locked_years(centre_id=course.centre_id, years=years)
    if not locked:
        return "", False
    shown = ", ".join(str(y) for y in locked)
    if len(locked) == len(years):
        return _("Năm %(years)s đã khóa số liệu (Sở đã phê duyệt xếp loại của trung tâm): lớp này chỉ để xem.") % {
            "years": shown
        }, True
    return _(
        "Năm %(years)s đã khóa số liệu (Sở đã phê duyệt xếp loại của trung tâm): chỉ ghi được buổi học của năm khác."
    ) % {"years": shown}, False


@login_required
@snapshot_cached
def course_detail(request: HttpRequest, pk: int) -> HttpResponse:
    course = selectors.course_for_user(request.user, pk)
    sessions = selectors.course_sessions(course)
    lock_note, all_locked = _lock_note(course)
    context = {
        "course": course,
        "instructors": selectors.course_instructors(course),
        "sessions": sessions,
        "enrolments": selectors.course_enrolments(course) if course.is_roster else [],
        "can_edit": scoping.can_edit_centre(request.user, course.centre) and not all_locked,
        "lock_note": lock_note,
        # A merged centre says so; a class wholly in locked years says which (its lock note).
        "read_only": read_only_note(request.user, course.centre) or (lock_note if all_locked else ""),
        "totals": {
            "present": sum(s.present for s in sessions),
            "women": sum(s.women for s in sessions),
            "minorities": sum(s.minorities for s in sessions),
        },
    }
    return render(request, "courses/course_detail.html", context)


# --- Classes --------------------------------------------------------------------------------------------------


@login_required
def course_create(request: HttpRequest) -> HttpResponse:
    centres = _editable_centres(request.user)
    # ?trung_tam=<id> (the centre page's "Thêm lớp") picks the centre, so its instructors are offered.
    initial = {"start_date": timezone.localdate(), "centre": id_param(request.GET.get("trung_tam"))}
    form = CourseForm(request.POST or None, centres=centres, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        centre = data.pop("centre")
        scoping.require_centre_edit(request.user, centre)
        with refusal_shown(request, form=form):
            course = services.course_create(centre=centre, by=request.user, **data)
            messages.success(request, _("Đã tạo lớp «%(title)s».") % {"title": course.title})
            return redirect("courses:detail", pk=course.pk)
    return render(request, "courses/course_form.html", {"form": form})


@login_required
def course_edit(request: HttpRequest, pk: int) -> HttpResponse:
    course = selectors.course_for_user(request.user, pk)
    scoping.require_centre_edit(request.user, course.centre)
    form = CourseForm(request.POST or None, instance=course)
    if request.method == "POST" and form.is_valid():
        with refusal_shown(request, form=form):
            services.course_update(course=course, by=request.user, **form.cleaned_data)
            messages.success(request, _("Đã lưu lớp «%(title)s».") % {"title": course.title})
            return redirect("courses:detail", pk=course.pk)
    return render(request, "courses/course_form.html", {"form": form, "course": course})


@login_required
@require_POST
def course_delete(request: HttpRequest, pk: int) -> HttpResponse:
    course = selectors.course_for_user(request.user, pk)
    scoping.require_centre_edit(request.user, course.centre)
    with refusal_shown(request):
        services.course_archive(course=course, by=request.user)
        messages.success(
            request,
            _("Đã xóa lớp «%(title)s» và các buổi học của lớp. Sở GD&ĐT có thể khôi phục nếu xóa nhầm.")
            % {"title": course.title},
        )
        return redirect("courses:list")
    return redirect("courses:detail", pk=course.pk)


# --- Sessions -------------------------------------------------------------------------------------------------


def _next_session_initial(course: Course) -> dict:
    """The next session copies the last one; its date is a week later (never after today or the class end)."""
    today = timezone.localdate()
    last = selectors.last_session(course)
    if last is None:
        linked = selectors.course_instructors(course)
        return {
            "date": min(course.start_date if course.start_date <= today else today, course.end_date),
            "topic": course.title,
            "instructor": linked[0].pk if linked else None,
            "instructor_name": "" if linked else course.instructor_names[:200],
            "place": course.place,
        }
    return {
        "date": min(last.date + datetime.timedelta(days=7), today, course.end_date),
        "topic": last.topic,
        "instructor": last.instructor_id,
        "instructor_name": last.instructor_name,
        "hours": last.hours,
        "place": last.place,
    }


@login_required
def session_add(request: HttpRequest, pk: int) -> HttpResponse:
    course = selectors.course_for_user(request.user, pk)
    read_only = read_only_note(request.user, course.centre, range(course.start_date.year, course.end_date.year + 1))
    if read_only and request.method != "POST":
        return render(request, "courses/session_form.html", {"course": course, "read_only": read_only})
    scoping.require_centre_edit(request.user, course.centre)
    form = SessionForm(
        request.POST or None, course=course, initial=None if request.method == "POST" else _next_session_initial(course)
    )
    if request.method == "POST" and form.is_valid():
        with refusal_shown(request, form=form):
            session = services.class_session_create(course=course, by=request.user, **form.cleaned_data)
            if course.is_roster:
                messages.success(request, _("Đã thêm buổi học; hãy điểm danh."))
                return redirect("courses:attendance", pk=session.pk)
            messages.success(
                request,
                _("Đã ghi buổi học ngày %(day)s: %(n)s người dự.")
                % {"day": session.date.strftime("%d/%m/%Y"), "n": session.present},
            )
            return redirect("courses:detail", pk=course.pk)
    return render(request, "courses/session_form.html", {"form": form, "course": course})


@login_required
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_for_user(request.user, pk)
    course = session.course
    read_only = read_only_note(request.user, course.centre, [session.date.year])
    if read_only and request.method != "POST":
        form = SessionForm(instance=session, course=course)
        for field in form.fields.values():
            field.disabled = True
        context = {"form": form, "course": course, "session": session, "read_only": read_only}
        return render(request, "courses/session_form.html", context)
    scoping.require_centre_edit(request.user, course.centre)
    form = SessionForm(request.POST or None, instance=session, course=course)
    if request.method == "POST" and form.is_valid():
        with refusal_shown(request, form=form):
            services.class_session_update(session=session, by=request.user, **form.cleaned_data)
            messages.success(request, _("Đã lưu buổi học."))
            return redirect("courses:detail", pk=course.pk)
    return render(request, "courses/session_form.html", {"form": form, "course": course, "session": session})


@login_required
@require_POST
def session_delete(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_for_user(request.user, pk)
    scoping.require_centre_edit(request.user, session.course.centre)
    with refusal_shown(request):
        services.class_session_archive(session=session, by=request.user)
        messages.success(request, _("Đã xóa buổi học."))
    return redirect("courses:detail", pk=session.course_id)


# --- Attendance -----------------------------------------------------------------------------------------------


def _presence_from_post(post, session_ids: list[int]) -> dict[int, set[int]]:
    """Checkbox names "a-<session>-<enrolment>"; a session not in the grid is refused."""
    presence: dict[int, set[int]] = {pk: set() for pk in session_ids}
    for name in post:
        if not name.startswith("a-"):
            continue
        parts = name.split("-")
        session_id, enrolment_id = (id_param(parts[1]), id_param(parts[2])) if len(parts) == 3 else (None, None)
        if session_id not in presence or enrolment_id is None:
            raise ValidationError(_("Dữ liệu điểm danh không hợp lệ; chưa lưu gì."))
        presence[session_id].add(enrolment_id)
    return presence


@login_required
@snapshot_cached
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """The roster of one session: everyone present when it opens the first time; one POST saves it all."""
    session = selectors.session_for_user(request.user, pk)
    course = session.course
    if not course.is_roster:
        raise Http404(_("Chuyên đề đếm số người dự không điểm danh từng người."))
    if request.method == "POST":
        scoping.require_centre_edit(request.user, course.centre)
        with refusal_shown(request):
            presence = _presence_from_post(request.POST, [session.pk])
            services.attendance_save(course=course, presence=presence, by=request.user)
            messages.success(
                request,
                _("Đã lưu điểm danh ngày %(day)s: %(n)s người có mặt.")
                % {"day": session.date.strftime("%d/%m/%Y"), "n": len(presence[session.pk])},
            )
            return redirect("courses:detail", pk=course.pk)
        return redirect("courses:attendance", pk=session.pk)
    grid = selectors.attendance_grid(course, [session])
    read_only = read_only_note(request.user, course.centre, [session.date.year])
    context = {
        "course": course,
        "session": session,
        "grid": grid,
        "can_edit": scoping.can_edit_centre(request.user, course.centre) and not read_only,
        "read_only": read_only,
    }
    return render(request, "courses/attendance.html", context)


@login_required
@require_POST
def month_add_sessions(request: HttpRequest, pk: int) -> HttpResponse:
    """Add the dates of a paper register's month as sessions, then tick them in the month grid."""
    course = selectors.course_for_user(request.user, pk)
    if not course.is_roster:
        raise Http404(_("Chuyên đề đếm số người dự không điểm danh từng người."))
    scoping.require_centre_edit(request.user, course.centre)
    year, month = parse_month(request.POST.get("thang"))
    back = reverse("courses:month", kwargs={"pk": course.pk}) + f"?thang={year}-{month:02d}"
    # The i-th date input's ticks are "moi-<i>-<enrolment>" (blank inputs keep their place).
    raw = [value.strip() for value in request.POST.getlist("ngay")]
    dates = {i: date_param(value) for i, value in enumerate(raw) if value}
    if not dates or None in dates.values():
        messages.error(request, _("Nhập ngày học hợp lệ (ngày/tháng/năm) cho các buổi cần thêm."))
        return redirect(back)
    presence: dict[datetime.date, set[int]] = {day: set() for day in dates.values()}
    for name in request.POST:
        parts = name.split("-")
        if len(parts) == 3 and parts[0] == "moi" and id_param(parts[2]) is not None:
            index = int_param(parts[1], minimum=0)
            if index in dates:
                presence[dates[index]].add(id_param(parts[2]))
    with refusal_shown(request):
        created = services.class_sessions_add_dates(
            course=course, dates=list(dates.values()), presence=presence, by=request.user
        )
        messages.success(
            request,
            _("Đã thêm %(n)s buổi học với điểm danh: %(p)s lượt có mặt.")
            % {"n": len(created), "p": sum(s.present for s in created)},
        )
    return redirect(back)


@login_required
def month_grid(request: HttpRequest, pk: int) -> HttpResponse:
    """Sessions × learners of one month, to type up a paper register in one go."""
    course = selectors.course_for_user(request.user, pk)
    if not course.is_roster:
        raise Http404(_("Chuyên đề đếm số người dự không điểm danh từng người."))
    chosen = request.POST.get("thang") or request.GET.get("thang")
    year, month = parse_month(chosen) if chosen else selectors.month_to_open(course, timezone.localdate())
    sessions = selectors.month_sessions(course, year, month)
    if request.method == "POST":
        scoping.require_centre_edit(request.user, course.centre)
        with refusal_shown(request):
            presence = _presence_from_post(request.POST, [s.pk for s in sessions])
            services.attendance_save(course=course, presence=presence, by=request.user)
            messages.success(
                request,
                _("Đã lưu điểm danh %(n)s buổi của tháng %(month)s/%(year)s.")
                % {"n": len(sessions), "month": month, "year": year},
            )
        return redirect(reverse("courses:month", kwargs={"pk": course.pk}) + f"?thang={year}-{month:02d}")
    read_only = read_only_note(request.user, course.centre, [year])
    first = datetime.date(year, month, 1)
    previous = first - datetime.timedelta(days=1)
    following = first + datetime.timedelta(days=32)
    context = {
        "course": course,
        "grid": selectors.attendance_grid(course, sessions),
        "month_enrolments": selectors.month_enrolments(course, year, month),
        "new_columns": range(4),
        "month": first,
        "month_value": f"{year}-{month:02d}",
        "previous": f"{previous.year}-{previous.month:02d}",
        "following": f"{following.year}-{following.month:02d}",
        "can_edit": scoping.can_edit_centre(request.user, course.centre) and not read_only,
        "read_only": read_only,
    }
    return render(request, "courses/month_grid.html", context)


@login_required
def register_print(request: HttpRequest, pk: int) -> HttpResponse:
    """A blank paper register: learners × empty date columns, with the centre's header, for printing."""
    course = selectors.course_for_user(request.user, pk)
    context = {
        "course": course,
        "enrolments": selectors.course_enrolments(course),
        "columns": range(12),
        "blank_rows": range(5),
        "today": timezone.localdate(),
    }
    return render(request, "courses/register_print.html", context)


# --- Learners -------------------------------------------------------------------------------------------------


@login_required
def enrol(request: HttpRequest, pk: int) -> HttpResponse:
    """Enrol existing learners of the centre, or add new ones quickly (a few lines), in one POST."""
    course = selectors.course_for_user(request.user, pk)
    scoping.require_centre_edit(request.user, course.centre)
    if not course.is_roster:
        raise Http404(_("Chuyên đề đếm số người dự không có danh sách học viên."))
    form = EnrolForm(request.POST or None, course=course)
    formset = QuickLearnerFormSet(request.POST or None, prefix="moi")
    likely_duplicate = False
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        new = [
            {k: v for k, v in line.items() if v not in (None, "")} | {"is_minority": bool(line.get("is_minority"))}
            for line in formset.cleaned_data
            if line.get("full_name")
        ]
        with refusal_shown(request, form=form):
            added = services.enrolment_add(
                course=course,
                learners=form.cleaned_data["learners"],
                new_learners=new,
                from_date=form.cleaned_data["from_date"],
                by=request.user,
                allow_duplicates=form.cleaned_data["confirm_new"],
            )
            messages.success(request, _("Đã ghi danh %(n)s người học.") % {"n": len(added)})
            return redirect("courses:detail", pk=course.pk)
        # A likely duplicate is refused with its own code: the page then offers "Đây là người khác".
        likely_duplicate = any(
            getattr(e, "code", None) == "likely_duplicate" for errors in form.errors.as_data().values() for e in errors
        )
    context = {"course": course, "form": form, "formset": formset, "likely_duplicate": likely_duplicate}
    return render(request, "courses/enrol.html", context)


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """A learner leaves a roster class after a date: attendance up to it is kept, later sessions stop counting
    them."""
    enrolment = selectors.enrolment_for_user(request.user, pk)
    course = enrolment.course
    scoping.require_centre_edit(request.user, course.centre)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Nhập ngày thôi học hợp lệ (ngày/tháng/năm)."))
        return redirect("courses:detail", pk=course.pk)
    day = form.cleaned_data["until_date"]
    with refusal_shown(request):
        recounted = services.enrolment_withdraw(enrolment=enrolment, until_date=day, by=request.user)
        messages.success(
            request,
            _("%(name)s thôi học từ sau ngày %(day)s; điểm danh trước đó được giữ, %(n)s buổi sau đó không còn tính.")
            % {"name": enrolment.learner.full_name, "day": day.strftime("%d/%m/%Y"), "n": len(recounted)},
        )
    return redirect("courses:detail", pk=course.pk)


@login_required
@snapshot_cached
def learner_list(request: HttpRequest) -> HttpResponse:
    """A centre's learners (`trung_tam`, or the staff's own centre), with a form to add one."""
    user = request.user
    params = request.GET.copy()
    if not params.get("trung_tam") and user.centre_id:
        params["trung_tam"] = str(user.centre_id)
    found = LearnerFilter(params, queryset=scoping.scoped(user, selectors.centre_learners(), "centre"), user=user)
    if not params.get("trung_tam"):
        return render(request, "courses/learner_list.html", {"filter": found})
    learners = found.qs  # a centre of another unit is a 404 (ListFilter.outside_is_404)
    centre = found.form.cleaned_data["trung_tam"]
    form = LearnerForm(request.POST or None)
    if request.method == "POST":
        scoping.require_centre_edit(user, centre)
        if form.is_valid():
            with refusal_shown(request, form=form):
                data = dict(form.cleaned_data)
                allow = data.pop("confirm_new")
                learner = services.learner_create(centre=centre, by=user, allow_duplicate=allow, **data)
                messages.success(request, _("Đã thêm người học %(name)s.") % {"name": learner.full_name})
                return redirect(reverse("courses:learners") + f"?trung_tam={centre.pk}")
    can_edit = scoping.can_edit_centre(user, centre)
    csrf_token = get_token(request)
    context = {
        "filter": found,
        "centre": centre,
        "learners": learners,
        "rows": _learner_rows(learners, can_edit=can_edit, csrf_token=csrf_token),
        "csrf_token": csrf_token,  # the rows' forms and the page's carry one token
        "form": form,
        "can_edit": can_edit,
        "read_only": read_only_note(user, centre),
        # "Đây là người khác" is offered only once a likely duplicate was shown.
        "likely_duplicate": form.is_bound and form.has_error(NON_FIELD_ERRORS, "likely_duplicate"),
    }
    return render(request, "courses/learner_list.html", context)


def _learner_rows(learners, *, can_edit: bool, csrf_token: str) -> str:
    """The learners table's rows (tthtcd_portal.rows: the markup the row template wrote, character for character;
    tests/courses/test_learners.py compares them): the URL, the translations and the labels once, not per row."""
    delete = url_for("courses:learner_delete")
    genders = {value: text(label) for value, label in Learner.Gender.choices}
    unknown_ethnicity = text(_("Dân tộc thiểu số (chưa ghi rõ)"))
    confirm = _("Xóa %(name)s khỏi danh sách người học?")
    token = text(csrf_token)
    delete_button = (
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{token}"><button class="btn btn-link btn-sm p-0 '
        f'text-danger" type="submit">{text(_("Xóa"))}</button></form></td>'
    )
    # each cell's heading for the phone's stacked rows (.table-stack in static/css/portal.css)
    h_gender, h_born, h_ethnicity = text(_("Giới tính")), text(_("Năm sinh")), text(_("Dân tộc"))
    h_village, h_classes = text(_("Thôn, xóm")), text(_("Số lớp"))
    rows = []
    for learner in learners:
        name = text(learner.full_name)
        gender = genders.get(learner.gender) or text(learner.get_gender_display())
        born = text(learner.birth_year) if learner.birth_year else "—"
        ethnicity = text(learner.ethnicity) if learner.ethnicity else unknown_ethnicity
        row = (
            f'<tr data-key="{name}"><td>{name}</td><td data-label="{h_gender}">{gender}</td>'
            f'<td data-label="{h_born}">{born}</td><td data-label="{h_ethnicity}">{ethnicity}</td>'
            f'<td data-label="{h_village}">{text(learner.village)}</td>'
            f'<td class="text-end" data-label="{h_classes}">{text(so(learner.class_count))}</td>'
        )
        if can_edit:
            row += (
                f'<td class="text-end"><form method="post" action="{delete(learner.pk)}" '
                f'data-confirm="{confirm % {"name": name}}">{delete_button}'
            )
        rows.append(f"{row}</tr>\n  ")
    return mark_safe("".join(rows))


@login_required
@require_POST
def learner_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove a learner from the centre's list (archived with their enrolments; the province can restore)."""
    learner = selectors.learner_for_user(request.user, pk)
    scoping.require_centre_edit(request.user, learner.centre)
    with refusal_shown(request):
        services.learner_archive(learner=learner, by=request.user)
        messages.success(
            request,
            _("Đã xóa người học %(name)s khỏi danh sách. Sở GD&ĐT có thể khôi phục nếu xóa nhầm.")
            % {"name": learner.full_name},
        )
    return redirect(reverse("courses:learners") + f"?trung_tam={learner.centre_id}")


@login_required
@require_POST
def enrolment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Take a learner off a class's roster (archived with their attendance; the province can restore)."""
    enrolment = selectors.enrolment_for_user(request.user, pk)
    scoping.require_centre_edit(request.user, enrolment.course.centre)
    with refusal_shown(request):
        services.enrolment_archive(enrolment=enrolment, by=request.user)
        messages.success(
            request,
            _("Đã xóa %(name)s khỏi danh sách học viên của lớp.") % {"name": enrolment.learner.full_name},
        )
    return redirect("courses:detail", pk=enrolment.course_id)


# --- Programme kinds (province) -------------------------------------------------------------------------------


@login_required
def kind_list(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Programme kinds. Administrators keep the national list (add one, or change the one chosen: `pk`); a
    provincial official ticks the kinds their province uses (an untick hides a kind from its class forms, the
    class-list import and its dashboards' filter; classes already recorded with it still show and count)."""
    user = request.user
    scoping.require_province_level(user)
    administrator = user.is_superuser or user.is_administrator
    if pk is not None or (request.method == "POST" and administrator):
        scoping.require_administrator(user)
    if not administrator:
        return _province_kinds(request)
    kind = None
    if pk is not None:
        kind = ProgrammeKind.objects.filter(pk=pk).first()
        if kind is None:
            raise Http404(_("Không tìm thấy loại chương trình."))
    form = ProgrammeKindForm(request.POST or None, instance=kind)
    if request.method == "POST" and form.is_valid():
        services.programme_kind_save(kind=kind, by=user, **form.cleaned_data)
        messages.success(request, _("Đã lưu loại chương trình."))
        return redirect("courses:kinds")
    context = {"kinds": ProgrammeKind.objects.all(), "form": form, "kind": kind}
    return render(request, "courses/kind_list.html", context)


def _province_kinds(request: HttpRequest) -> HttpResponse:
    """The official's own province: which national kinds it uses (a tick each)."""
    user = request.user
    province = user.province
    if request.method == "POST":
        used = {i for i in (id_param(v) for v in request.POST.getlist("dung")) if i is not None}
        with refusal_shown(request):
            services.province_kinds_save(province=province, used_ids=used, by=user)
            messages.success(request, _("Đã lưu các loại chương trình tỉnh dùng."))
        return redirect("courses:kinds")
    hidden = set(ProvinceProgrammeKind.objects.filter(province=province).values_list("programme_kind_id", flat=True))
    kinds = [(k, k.pk not in hidden) for k in ProgrammeKind.objects.filter(is_active=True)]
    return render(request, "courses/province_kinds.html", {"kinds": kinds, "province": province})


# --- Excel ----------------------------------------------------------------------------------------------------


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        template_workbook(selectors.kinds_for_user(request.user)),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="mau-nhap-lop-hoc.xlsx"'
    return response


@login_required
def import_upload(request: HttpRequest) -> HttpResponse:
    """Step 1: upload and check every row; show the classes it would create or name each bad row. Writes nothing."""
    centres = _editable_centres(request.user)
    form = ImportUploadForm(request.POST or None, request.FILES or None, centres=centres)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        centre = form.cleaned_data["centre"]
        scoping.require_centre_edit(request.user, centre)
        context["centre"] = centre
        parse = functools.partial(parse_class_list, centre=centre)
        context.update(upload_preview(request, form, parse, session_key=IMPORT_SESSION_KEY, centre_pk=centre.pk))
    return render(request, "courses/import.html", context)


@login_required
@require_POST
def import_confirm(request: HttpRequest) -> HttpResponse:
    """Step 2: read the staged file again and write everything or nothing."""
    scoping.require_not_ministry(request.user)
    staged = request.session.pop(IMPORT_SESSION_KEY, None)
    path = staged_path(staged["token"]) if staged else None
    if path is None:
        messages.error(request, _("Không còn tệp chờ nhập; vui lòng tải tệp lên lại."))
        return redirect("courses:import")
    try:
        with refusal_shown(request):
            centre = centre_for_user(request.user, staged["centre"])
            scoping.require_centre_edit(request.user, centre)
            with path.open("rb") as handle:
                result = parse_class_list(handle, staged["name"], centre=centre)
            if result.errors:
                raise ValidationError(result.errors)
            counts = services.class_list_import(
                centre=centre, classes=result.classes, by=request.user, update=request.POST.get("cap_nhat") == "1"
            )
            text = _("Đã nhập %(c)s lớp, %(s)s buổi học.") % {"c": counts.classes, "s": counts.sessions}
            if counts.updated:
                text += " " + _("Đã cập nhật %(n)s buổi đã có.") % {"n": counts.updated}
            if counts.unchanged:
                text += " " + _("Giữ nguyên %(n)s buổi đã có trên cổng.") % {"n": counts.unchanged}
            messages.success(request, text)
            return redirect(reverse("courses:list") + f"?trung_tam={centre.pk}")
    except SpreadsheetError as exc:
        messages.error(request, str(exc))
    finally:
        discard_staged(staged["token"])
    return redirect("courses:import")


# --- Offline recording: the phone's data and the sync API (courses/sync.py, docs/offline.md) -------------------


@login_required
def offline_data(request: HttpRequest) -> JsonResponse:
    """The centre's current classes for the phone to keep (IndexedDB), and the CSRF token its sync will send."""
    user = request.user
    if not user.is_centre_staff:
        raise PermissionDenied(_("Ghi khi mất mạng dành cho cán bộ trung tâm."))
    note = ""
    if user.centre_id and not scoping.can_edit_centre(user, user.centre):
        note = _("Trung tâm đã sáp nhập hoặc giải thể, chỉ được xem.")
    return JsonResponse(
        {
            "csrf": get_token(request),
            "user": user.pk,
            "today": timezone.localdate().isoformat(),
            "fetched_at": timezone.localtime().strftime("%d/%m/%Y %H:%M"),
            "note": note,
            "classes": selectors.offline_snapshot(user=user, today=timezone.localdate()),
        }
    )


@login_required
@require_POST
def offline_sync(request: HttpRequest) -> JsonResponse:
    """Entries recorded on the phone: each recorded at most once under its key, answered one by one."""
    scoping.require_not_ministry(request.user)
    try:
        results = sync.sync_payload_record(body=request.body, by=request.user)
    except ValidationError as exc:
        return JsonResponse({"error": " ".join(exc.messages)}, status=400)
    counts = {status: sum(r["status"] == status for r in results) for status in ("saved", "refused", "conflict")}
    return JsonResponse({"results": results, "counts": counts})
