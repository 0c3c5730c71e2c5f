"""Learning materials: the list (search and filters), an upload form for centre staff and the Sở, the detail
page with the province's approval, the scoped download, and the materials a class used."""

from __future__ import annotations

from pathlib import PurePath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import scoping
from courses.selectors import course_for_user
from materials import selectors, services
from materials.filters import MaterialFilter
from materials.forms import CourseMaterialForm, MaterialForm, RejectForm
from materials.models import CourseMaterial, Material
from tthtcd_portal.page_cache import snapshot_cached
from tthtcd_portal.pagination import paginate
from tthtcd_portal.refusal import refusal_shown

PAGE_SIZE = 30


def _can_review(user, material: Material) -> bool:
    province_q = scoping.province_level_q(user)
    return province_q is not None and Material.objects.filter(province_q, pk=material.pk).exists()


@login_required
@snapshot_cached
def material_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    found = MaterialFilter(request.GET or None, queryset=selectors.material_list(user=user))
    context = {
        "filter": found,
        "page": paginate(request, found.qs, PAGE_SIZE),
        "can_upload": user.is_centre_staff or (scoping.is_province_level(user) and user.province_id is not None),
        "show_status": not (user.is_reviewer),
    }
    return render(request, "materials/list.html", context)


@login_required
def material_upload(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.is_centre_staff:
        scoping.require_centre_edit(user, user.centre)
        centre, province = user.centre, user.centre.commune.province
    elif scoping.is_province_level(user) and user.province_id is not None:
        centre, province = None, user.province
    else:
        raise PermissionDenied(_("Chỉ cán bộ trung tâm và chuyên viên Sở GD&ĐT tải học liệu lên."))
    form = MaterialForm(
        request.POST if request.method == "POST" else None,
        request.FILES or None,
        initial={"issued_on": timezone.localdate()},
        user=request.user,
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        with refusal_shown(request, form=form):
            material = services.material_upload(
                province=province, centre=centre, by=user, uploaded=data.pop("file"), url=data.pop("url"), **data
            )
            if centre is None:
                messages.success(request, _("Đã đăng học liệu «%(title)s».") % {"title": material.title})
            else:
                messages.success(request, _("Đã gửi học liệu «%(title)s», chờ Sở duyệt.") % {"title": material.title})
            return redirect("materials:detail", pk=material.pk)
    return render(request, "materials/upload.html", {"form": form, "centre": centre})


@login_required
def material_detail(request: HttpRequest, pk: int) -> HttpResponse:
    material = selectors.material_for_user(request.user, pk)
    can_review = material.status == Material.Status.PENDING and _can_review(request.user, material)
    context = {"material": material, "can_review": can_review, "reject_form": RejectForm() if can_review else None}
    return render(request, "materials/detail.html", context)


@login_required
def material_download(request: HttpRequest, pk: int) -> HttpResponse:
    """Served only to those who see the material, as an attachment with its own type (never from MEDIA)."""
    material = selectors.material_for_user(request.user, pk)
    if not material.is_file:
        raise Http404(_("Học liệu này là liên kết, không có tệp để tải."))
    try:
        handle = material.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("Tệp không còn trên máy chủ.")) from None
    suffix = PurePath(material.file_name).suffix.lower()
    return FileResponse(
        handle,
        as_attachment=True,
        filename=material.file_name,
        content_type=services.CONTENT_TYPES.get(suffix, "application/octet-stream"),
    )


def _reviewable(request: HttpRequest, pk: int) -> Material:
    scoping.require_not_ministry(request.user)  # it may not see a material waiting for approval: 403, not 404
    material = selectors.material_for_user(request.user, pk)
    if not _can_review(request.user, material):
        raise PermissionDenied(_("Chức năng này dành cho chuyên viên Sở GD&ĐT."))
    return material


@login_required
@require_POST
def material_approve(request: HttpRequest, pk: int) -> HttpResponse:
    material = _reviewable(request, pk)
    with refusal_shown(request):
        services.material_approve(material=material, by=request.user)
        messages.success(request, _("Đã duyệt và đăng học liệu «%(title)s».") % {"title": material.title})
    return redirect("materials:detail", pk=material.pk)


@login_required
@require_POST
def material_reject(request: HttpRequest, pk: int) -> HttpResponse:
    material = _reviewable(request, pk)
    form = RejectForm(request.POST)
    with refusal_shown(request, form=form):
        services.material_reject(material=material, by=request.user, reason=request.POST.get("reason", ""))
        messages.success(request, _("Đã trả lại học liệu «%(title)s» cho trung tâm.") % {"title": material.title})
        return redirect("materials:detail", pk=material.pk)
    context = {"material": material, "can_review": True, "reject_form": form}
    return render(request, "materials/detail.html", context, status=200)


@login_required
def course_materials(request: HttpRequest, course_pk: int) -> HttpResponse:
    course = course_for_user(request.user, course_pk)
    can_edit = scoping.can_edit_centre(request.user, course.centre)
    form = None
    if can_edit or request.method == "POST":
        form = CourseMaterialForm(
            request.POST if request.method == "POST" else None,
            choices=selectors.course_material_choices(user=request.user, course=course),
        )
    if request.method == "POST":
        scoping.require_centre_edit(request.user, course.centre)
        if form.is_valid():
            with refusal_shown(request, form=form):
                services.course_material_add(course=course, material=form.cleaned_data["material"], by=request.user)
                messages.success(request, _("Đã thêm học liệu cho lớp."))
                return redirect("materials:course", course_pk=course.pk)
    context = {
        "course": course,
        "uses": selectors.course_materials(course=course),
        "form": form,
        "can_edit": can_edit,
    }
    return render(request, "materials/course.html", context)


@login_required
@require_POST
def course_material_remove(request: HttpRequest, course_pk: int, use_pk: int) -> HttpResponse:
    course = course_for_user(request.user, course_pk)
    try:
        use = CourseMaterial.objects.select_related("course__centre").get(pk=use_pk, course=course)
    except CourseMaterial.DoesNotExist:
        raise Http404(_("Không tìm thấy hoặc bạn không có quyền xem.")) from None
    scoping.require_centre_edit(request.user, course.centre)
    with refusal_shown(request):
        services.course_material_remove(use=use, by=request.user)
        messages.success(request, _("Đã bỏ học liệu khỏi lớp."))
    return redirect("materials:course", course_pk=course.pk)
