"""Training courses: the province creates a course, invites centres, records who attended; everyone sees the
courses of their centres; the province sees who has never been trained. Lookups go through training.selectors
(another unit's course is a 404); writes are the province's (403 for others) and go through training.services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import scoping
from centres.selectors import centre_for_user
from training import selectors, services
from training.filters import untrained_filtered
from training.forms import AttendanceForm, InviteForm, TrainingCourseForm
from training.models import TrainingCourse
from tthtcd_portal.page_cache import snapshot_cached
from tthtcd_portal.pagination import paginate
from tthtcd_portal.params import text_param, year_param
from tthtcd_portal.refusal import refusal_shown

PAGE_SIZE = 50


def _require_course_edit(user, course: TrainingCourse) -> None:
    """The province's officials (and administrators) run their province's courses; others only read."""
    province_q = scoping.province_level_q(user)
    if province_q is None or not TrainingCourse.objects.filter(province_q, pk=course.pk).exists():
        raise PermissionDenied(_("Chỉ chuyên viên Sở GD&ĐT tổ chức lớp tập huấn mới sửa được lớp này."))


@login_required
@snapshot_cached
def course_list(request: HttpRequest) -> HttpResponse:
    courses = selectors.training_course_list(user=request.user)
    year = year_param(request.GET.get("nam"))
    if year:
        courses = courses.filter(start_date__year=year)
    q = text_param(request.GET.get("q"))
    if q:
        courses = courses.filter(Q(title__icontains=q) | Q(topic__icontains=q) | Q(place__icontains=q))
    context = {
        "page": paginate(request, courses, PAGE_SIZE),
        "q": q,
        "year": year,
        "years": range(timezone.localdate().year + 1, timezone.localdate().year - 6, -1),
        "can_add": scoping.is_province_level(request.user) and request.user.province_id is not None,
    }
    return render(request, "training/list.html", context)


@login_required
def course_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    scoping.require_province_level(user)
    if user.province_id is None:
        raise PermissionDenied(_("Tài khoản chưa gắn với tỉnh nào: không tạo được lớp tập huấn."))
    today = timezone.localdate()
    form = TrainingCourseForm(request.POST or None, initial={"start_date": today, "end_date": today})
    if request.method == "POST" and form.is_valid():
        with refusal_shown(request, form=form):
            course = services.training_course_create(province=user.province, by=user, **form.cleaned_data)
            messages.success(
                request, _("Đã tạo lớp tập huấn «%(title)s». Hãy mời các trung tâm.") % {"title": course.title}
            )
            return redirect("training:invite", pk=course.pk)
    return render(request, "training/form.html", {"form": form})


@login_required
def course_edit(request: HttpRequest, pk: int) -> HttpResponse:
    course = selectors.training_course_for_user(request.user, pk)
    _require_course_edit(request.user, course)
    form = TrainingCourseForm(request.POST or None, instance=course)
    if request.method == "POST" and form.is_valid():
        with refusal_shown(request, form=form):
            # The form is a ModelForm for its widgets and labels; the service writes.
            fresh = TrainingCourse.objects.get(pk=course.pk)
            services.training_course_update(course=fresh, by=request.user, **form.cleaned_data)
            messages.success(request, _("Đã lưu lớp tập huấn «%(title)s».") % {"title": fresh.title})
            return redirect("training:detail", pk=course.pk)
    return render(request, "training/form.html", {"form": form, "course": course})


@login_required
def course_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    course = selectors.training_course_for_user(user, pk)
    province_q = scoping.province_level_q(user)
    can_edit = province_q is not None and TrainingCourse.objects.filter(province_q, pk=course.pk).exists()
    context = {
        "course": course,
        "invitations": selectors.course_invitations(user=user, course=course),
        "attendances": selectors.course_attendances(user=user, course=course),
        "can_edit": can_edit,
        "started": course.start_date <= timezone.localdate(),
    }
    return render(request, "training/detail.html", context)


@login_required
def course_invite(request: HttpRequest, pk: int) -> HttpResponse:
    course = selectors.training_course_for_user(request.user, pk)
    _require_course_edit(request.user, course)
    form = InviteForm(request.POST if request.method == "POST" else None, course=course)
    if request.method == "POST" and form.is_valid():
        with refusal_shown(request, form=form):
            added = services.training_course_invite(
                course=course, centres=form.cleaned_data["centres"], by=request.user
            )
            messages.success(request, _("Đã mời thêm %(n)s trung tâm.") % {"n": added})
            return redirect("training:detail", pk=course.pk)
    return render(request, "training/invite.html", {"course": course, "form": form})


@login_required
def course_attendance(request: HttpRequest, pk: int, centre_pk: int) -> HttpResponse:
    course = selectors.training_course_for_user(request.user, pk)
    centre = centre_for_user(request.user, centre_pk)
    if not course.invitations.filter(centre=centre).exists():
        raise Http404(_("Không tìm thấy hoặc bạn không có quyền xem."))
    _require_course_edit(request.user, course)
    today = timezone.localdate()
    people = selectors.centre_people(centre=centre, course=course, day=min(course.end_date, today))
    attended = selectors.attended_keys(course=course, centre=centre)
    form = AttendanceForm(request.POST if request.method == "POST" else None, people=people, attended=attended)
    if request.method == "POST" and form.is_valid():
        with refusal_shown(request, form=form):
            n = services.training_attendance_record(
                course=course, centre=centre, present=form.present(), by=request.user
            )
            messages.success(
                request, _("Đã ghi %(n)s người của %(centre)s dự tập huấn.") % {"n": n, "centre": centre.commune.name}
            )
            return redirect("training:detail", pk=course.pk)
    return render(request, "training/attendance.html", {"course": course, "centre": centre, "form": form})


@login_required
def untrained(request: HttpRequest) -> HttpResponse:
    """Board members and instructors never trained, by centre and role: for the province and reviewers."""
    scoping.require_reviewer_or_above(request.user)
    form, rows = untrained_filtered(user=request.user, params=request.GET)
    context = {"form": form, "page": paginate(request, rows, PAGE_SIZE), "total": len(rows)}
    return render(request, "training/untrained.html", context)
