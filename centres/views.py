"""Pages of the registry. Each looks objects up through accounts.scoping (another unit's object is a 404)
and checks the right to change before any write (a read-only user gets 403)."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts import scoping
from centres import selectors, services
from centres.filters import CentreFilter
from centres.forms import (
    BoardMemberEndForm,
    BoardMemberForm,
    CentreCreateForm,
    CentreForm,
    FacilitiesForm,
    InstructorForm,
    MergeForm,
)
from centres.models import BoardMember, Centre, Instructor, InstructorAssignment, Rating
from tthtcd_portal.page_cache import snapshot_cached
from tthtcd_portal.pagination import KeptIdsFirst, paginate
from tthtcd_portal.params import id_param, text_param
from tthtcd_portal.refusal import refusal_shown
from tthtcd_portal.rows import text, url_for
from tthtcd_portal.template_filters import so
from tthtcd_portal.vietnamese import by_name
from units.models import Commune

PAGE_SIZE = 50
# ?tat_ca=1 shows every centre the user sees on one page (the 242 of the demo province, a whole
# province at most); this cap only guards against a runaway request.
ALL_CAP = 5000
# The values _centre_rows writes (the page's object_list), read as tuples (centre_list's annotations among them): not the registry's ~40
# other columns, nor a model instance for each centre, commune and district of the page.
ROW_VALUES = (
    "pk",
    "name",
    "status",
    "commune__code",
    "commune__district_id",
    "commune__district__name",
    "director_name",
    "instructor_count",
    "has_library",
    "last_rating",
)


def _centre(request: HttpRequest, pk: int) -> Centre:
    return scoping.get_scoped_or_404(request.user, Centre.objects.with_units().select_related("merged_into"), "", pk=pk)


def _editable_centre(request: HttpRequest, pk: int) -> Centre:
    centre = _centre(request, pk)
    scoping.require_centre_edit(request.user, centre)
    return centre


# --- Lists -----------------------------------------------------------------------------------------


@login_required
@snapshot_cached
def centre_list(request: HttpRequest) -> HttpResponse:
    scoping.require_reviewer_or_above(request.user)
    today = timezone.localdate()
    rating_year = today.year - 1
    # The filter's form and values; its queryset is built by centres() below, only when the SQL is not kept.
    found = CentreFilter(request.GET or None, queryset=Centre.objects.none(), user=request.user)
    # What the list's SQL is built from (tthtcd_portal.kept_sql): the user's scope, the day, the filters.
    key = ("centres:list", repr(scoping.centre_q(request.user)), today, found.key())

    def centres():
        return found.applied_to(selectors.centre_list(user=request.user, rating_year=rating_year, today=today))

    show_all = request.GET.get("tat_ca") == "1"
    listed = KeptIdsFirst(centres, key=key, fields=ROW_VALUES, model=Centre)
    page = paginate(request, listed, ALL_CAP if show_all else PAGE_SIZE)
    return render(
        request,
        "centres/list.html",
        {
            "filter": found,
            "form": found.form,
            "page": page,
            "rows": _centre_rows(page.object_list, rating_year=rating_year),
            "rating_year": rating_year,
            "show_all": show_all,
            "can_create": scoping.is_province_level(request.user),
        },
    )


def _centre_rows(centres, *, rating_year: int) -> str:
    """The list's table rows from tuples of ROW_VALUES (tthtcd_portal.rows: the markup the row template wrote,
    character for character; tests/centres/test_views.py compares them): the URL, the translations and the
    rating labels once, not per row."""
    detail = url_for("centres:detail")
    # the two cells a phone shows after the name, with their headings (.table-stack in static/css/portal.css)
    h_rating = text(_("Xếp loại %(y)s") % {"y": rating_year})
    h_status = text(_("Tình trạng"))
    ratings = {value: text(label) for value, label in Rating.choices}
    statuses = {value: text(label) for value, label in Centre.Status.choices}
    active = Centre.Status.ACTIVE
    yes, no = text(_("Có")), text(_("Không"))
    rows = []
    for pk, name, status, code, district_id, district, director, instructors, library, rating in centres:
        name, code = text(name), text(code)
        district_name = text(district) if district_id is not None else ""
        director = text(director) if director else ""
        label = statuses.get(status) or text(status)  # get_status_display: the value itself when not a choice
        badge = "text-bg-success" if status == active else "text-bg-secondary"
        rows.append(
            f'\n    <tr data-key="{name}">\n      <td class="d-none d-md-table-cell">{code}</td>\n'
            f'      <td><a href="{detail(pk)}">{name}</a><div class="d-md-none small text-muted">{code}'
            f"{f' · {district_name}' if district_id is not None else ''}{f' · {director}' if director else ''}</div></td>\n"
            f'      <td class="d-none d-md-table-cell">{district_name or "—"}</td>\n'
            f'      <td class="d-none d-md-table-cell">{director or "—"}</td>\n'
            f'      <td class="text-end d-none d-md-table-cell">{text(so(instructors))}</td>\n'
            f'      <td class="d-none d-md-table-cell">{yes if library else no}</td>\n'
            f'      <td data-label="{h_rating}">{ratings.get(rating) or "—"}</td>\n'
            f'      <td data-label="{h_status}"><span class="badge {badge}">{label}</span></td>\n    </tr>\n  '
        )
    return mark_safe("".join(rows))


@login_required
def centre_mine(request: HttpRequest) -> HttpResponse:
    """Centre staff land on their centre; everyone else on the list."""
    if request.user.is_centre_staff:
        return redirect("centres:detail", pk=request.user.centre_id)
    return redirect("centres:list")


# --- Centre record and facilities ------------------------------------------------------------------


def _edit_centre(request: HttpRequest, pk: int, form_class, title: str) -> HttpResponse:
    centre = _editable_centre(request, pk)
    form = form_class(request.POST or None, instance=Centre.objects.get(pk=centre.pk))
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        with refusal_shown(request, form=form):
            services.centre_update(
                centre=centre, fields=fields, by=request.user, version=form.cleaned_data.get("version")
            )
            messages.success(request, _("Đã lưu thông tin trung tâm."))
            return redirect("centres:detail", pk=centre.pk)
    return render(request, "centres/form.html", {"centre": centre, "form": form, "title": title})


@login_required
@require_http_methods(["GET", "POST"])
def centre_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _edit_centre(request, pk, CentreForm, _("Sửa thông tin trung tâm"))


@login_required
@require_http_methods(["GET", "POST"])
def centre_facilities(request: HttpRequest, pk: int) -> HttpResponse:
    return _edit_centre(request, pk, FacilitiesForm, _("Sửa cơ sở vật chất"))


@login_required
@require_http_methods(["GET", "POST"])
def centre_create(request: HttpRequest) -> HttpResponse:
    """A provincial official opens a centre for a commune that has none."""
    scoping.require_province_level(request.user)
    communes = (
        Commune.objects.filter(province__in=scoping.visible_provinces(request.user))
        .valid_on(timezone.localdate())
        .select_related("district")
        .order_by(by_name(), "code")
    )
    form = CentreCreateForm(request.POST or None, communes=communes)
    if request.method == "POST" and form.is_valid():
        with refusal_shown(request, form=form):
            centre = services.centre_create(
                commune=form.cleaned_data["commune"], name=form.cleaned_data["name"], by=request.user
            )
            messages.success(request, _("Đã tạo %(name)s.") % {"name": centre.name})
            return redirect("centres:detail", pk=centre.pk)
    return render(request, "centres/form.html", {"form": form, "title": _("Thêm trung tâm")})


# --- Board -----------------------------------------------------------------------------------------


def _member(request: HttpRequest, centre: Centre, member_pk: int) -> BoardMember:
    member = scoping.get_scoped_or_404(
        request.user, BoardMember.objects.all(), "centre", pk=member_pk, centre_id=centre.pk
    )
    member.centre = centre
    return member


@login_required
@require_http_methods(["GET", "POST"])
def board_member_add(request: HttpRequest, pk: int) -> HttpResponse:
    centre = _editable_centre(request, pk)
    form = BoardMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in BoardMemberForm.Meta.fields}
        with refusal_shown(request, form=form):
            member = services.board_member_create(centre=centre, fields=fields, by=request.user)
            messages.success(request, _("Đã thêm %(name)s vào Ban Giám đốc.") % {"name": member.full_name})
            return redirect("centres:detail", pk=centre.pk)
    return render(
        request, "centres/form.html", {"centre": centre, "form": form, "title": _("Thêm thành viên Ban Giám đốc")}
    )


@login_required
@require_http_methods(["GET", "POST"])
def board_member_edit(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    centre = _editable_centre(request, pk)
    member = _member(request, centre, member_pk)
    form = BoardMemberForm(request.POST or None, instance=BoardMember.objects.get(pk=member.pk))
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in BoardMemberForm.Meta.fields}
        with refusal_shown(request, form=form):
            services.board_member_update(
                member=member, fields=fields, by=request.user, version=form.cleaned_data.get("version")
            )
            messages.success(request, _("Đã lưu thông tin của %(name)s.") % {"name": member.full_name})
            return redirect("centres:detail", pk=centre.pk)
    title = _("Sửa thành viên Ban Giám đốc: %(name)s") % {"name": member.full_name}
    delete = {
        "url": reverse("centres:board_delete", args=[centre.pk, member.pk]),
        "label": _("Xóa thành viên này (nhập nhầm)"),
        "confirm": _("Xóa %(name)s khỏi Ban Giám đốc?") % {"name": member.full_name},
    }
    return render(request, "centres/form.html", {"centre": centre, "form": form, "title": title, "delete": delete})


@login_required
@require_http_methods(["GET", "POST"])
def board_member_end(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    centre = _editable_centre(request, pk)
    member = _member(request, centre, member_pk)
    form = BoardMemberEndForm(request.POST or None, member=member)
    if request.method == "POST" and form.is_valid():
        with refusal_shown(request, form=form):
            services.board_member_end(member=member, term_end=form.cleaned_data["term_end"], by=request.user)
            messages.success(request, _("Đã kết thúc nhiệm kỳ của %(name)s.") % {"name": member.full_name})
            return redirect("centres:detail", pk=centre.pk)
    title = _("Kết thúc nhiệm kỳ: %(name)s") % {"name": member.full_name}
    return render(request, "centres/form.html", {"centre": centre, "form": form, "title": title})


@login_required
@require_POST
def board_member_delete(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    """Delete a term entered by mistake (archived; the province can restore). A term that ended is ended."""
    centre = _editable_centre(request, pk)
    member = _member(request, centre, member_pk)
    with refusal_shown(request):
        services.board_member_archive(member=member, by=request.user)
        messages.success(
            request,
            _("Đã xóa %(name)s khỏi Ban Giám đốc. Sở GD&ĐT có thể khôi phục nếu xóa nhầm.")
            % {"name": member.full_name},
        )
    return redirect("centres:detail", pk=centre.pk)


# --- Instructors -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def instructor_add(request: HttpRequest, pk: int) -> HttpResponse:
    centre = _editable_centre(request, pk)
    phone = re.sub(r"[\s.\-]", "", text_param(request.GET.get("dien_thoai"), max_length=20))
    found = (
        list(
            Instructor.objects.filter(scoping.findable_instructors_q(request.user, centre), phone=phone)
            .exclude(assignments__centre=centre)
            .distinct()
        )
        if phone
        else []
    )
    form = InstructorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusal_shown(request, form=form):
            link = services.instructor_create(
                centre=centre, person=form.person(), assignment=form.assignment(), by=request.user
            )
            messages.success(request, _("Đã thêm giảng viên %(name)s.") % {"name": link.instructor.full_name})
            return redirect("centres:detail", pk=centre.pk)
    return render(
        request,
        "centres/instructor_add.html",
        {
            "centre": centre,
            "form": form,
            "title": _("Thêm giảng viên"),
            "phone": phone,
            "found": found,
            "kinds": InstructorAssignment.Kind.choices,
        },
    )


@login_required
@require_POST
def instructor_link(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a person who already teaches at another centre of the province (found by phone number)."""
    centre = _editable_centre(request, pk)
    instructor_id = request.POST.get("instructor", "")
    instructor = (
        Instructor.objects.filter(scoping.findable_instructors_q(request.user, centre))
        .filter(pk=id_param(instructor_id) or 0)
        .first()
    )
    if instructor is None:
        raise Http404(_("Không tìm thấy giảng viên."))
    kind = request.POST.get("kind", "")
    if kind not in InstructorAssignment.Kind.values:
        kind = InstructorAssignment.Kind.CONG_TAC_VIEN
    with refusal_shown(request):
        services.instructor_link(
            centre=centre, instructor=instructor, assignment={"kind": kind, "active": True}, by=request.user
        )
        messages.success(request, _("Đã thêm giảng viên %(name)s.") % {"name": instructor.full_name})
    return redirect("centres:detail", pk=centre.pk)


@login_required
@require_http_methods(["GET", "POST"])
def instructor_edit(request: HttpRequest, pk: int, link_pk: int) -> HttpResponse:
    centre = _editable_centre(request, pk)
    link = scoping.get_scoped_or_404(
        request.user,
        InstructorAssignment.objects.select_related("instructor"),
        "centre",
        pk=link_pk,
        centre_id=centre.pk,
    )
    link.centre = centre
    form = InstructorForm(
        request.POST or None, link=InstructorAssignment.objects.select_related("instructor").get(pk=link.pk)
    )
    if request.method == "POST" and form.is_valid():
        with refusal_shown(request, form=form):
            services.instructor_update(
                link=link,
                person=form.person(),
                assignment=form.assignment(),
                by=request.user,
                version=form.cleaned_data.get("version"),
                person_version=form.cleaned_data.get("person_version"),
            )
            messages.success(request, _("Đã lưu thông tin giảng viên %(name)s.") % {"name": link.instructor.full_name})
            return redirect("centres:detail", pk=centre.pk)
    title = _("Sửa giảng viên: %(name)s") % {"name": link.instructor.full_name}
    return render(request, "centres/form.html", {"centre": centre, "form": form, "title": title})


# --- Merging ---------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def centre_merge(request: HttpRequest, pk: int) -> HttpResponse:
    """A provincial official merges centres into this one: choose → confirmation that says exactly what
    will happen → merge. Nothing is written before the confirmation is posted."""
    target = _editable_centre(request, pk)  # 404 outside the scope first, then who may merge
    scoping.require_province_level(request.user)
    candidates = Centre.objects.visible_to(request.user).active().exclude(pk=target.pk).with_units()
    form = MergeForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        sources = list(form.cleaned_data["sources"])
        on_date = form.cleaned_data["on_date"]
        problems = services.merge_problems(sources=sources, target=target)
        if problems:
            form.add_error(None, ValidationError(problems))
        elif request.POST.get("confirm") == "1":
            result = services.centres_merge(sources=sources, target=target, on_date=on_date, by=request.user)
            messages.success(
                request,
                _("Đã sáp nhập %(n)s trung tâm vào %(name)s.") % {"n": len(result.merged), "name": target.name},
            )
            return redirect("centres:detail", pk=target.pk)
        else:
            return render(
                request,
                "centres/merge_confirm.html",
                {"centre": target, "form": form, "sources": sources, "on_date": on_date},
            )
    return render(request, "centres/merge.html", {"centre": target, "form": form})
