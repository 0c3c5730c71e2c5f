"""Pages of the needs surveys and annual plans (docs/planning.md). A centre's pages take the centre and year in
the URL: its staff edit them, reviewers and the province read their scope (another unit's centre is a 404, a
read-only user's write a 403). The overviews are for reviewers and the province, over the centres they see."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts import scoping
from centres.models import Centre
from centres.selectors import centre_for_user
from courses.forms import ImportUploadForm
from planning import selectors, services, spreadsheet
from planning.forms import PlanApproveForm, PlanLineForm, PlanReopenForm, TallyForm, cell_name
from planning.models import PlanLine
from tthtcd_portal.params import id_param
from tthtcd_portal.refusal import refusal_shown
from tthtcd_portal.spreadsheets import (
    SpreadsheetError,
    discard_staged,
    staged_path,
    upload_preview,
)
from tthtcd_portal.vietnamese import by_name
from tthtcd_portal.xlsx import XLSX_CONTENT_TYPE


def _centre_year(request: HttpRequest, centre_pk: int, year: int) -> Centre:
    if not 2000 <= year <= 2100:
        raise Http404(_("Năm không hợp lệ."))
    return centre_for_user(request.user, centre_pk)


def _years(today) -> list[int]:
    return list(range(today.year + 1, today.year - 6, -1))


def _own_page(request: HttpRequest, name: str) -> HttpResponse | None:
    """Centre staff go straight to their centre's page of this year."""
    if request.user.is_centre_staff and request.user.centre_id:
        return redirect(name, centre_pk=request.user.centre_id, year=timezone.localdate().year)
    return None


# --- Needs survey ----------------------------------------------------------------------------------------------


@login_required
def needs_home(request: HttpRequest) -> HttpResponse:
    """Centre staff: their tally of this year. Reviewers and the province: needs against classes offered, by
    programme kind and by commune, and the gaps."""
    own = _own_page(request, "planning:needs_centre")
    if own is not None:
        return own
    scoping.require_reviewer_or_above(request.user)
    year = selectors.overview_year(request.GET)
    overview = selectors.needs_overview(user=request.user, year=year)
    context = {
        "overview": overview,
        "kinds_max": {
            "respondents": max([k.respondents for k in overview.kinds], default=0),
            "classes": max([k.classes for k in overview.kinds], default=0),
        },
        "province_level": scoping.is_province_level(request.user),
        "years": _years(timezone.localdate()),
        "year": year,
        "query": request.GET.urlencode(),
    }
    return render(request, "planning/needs_overview.html", context)


@login_required
def needs_centre(request: HttpRequest, centre_pk: int, year: int) -> HttpResponse:
    """One centre's tally of a year (kind × group) beside the classes it ran that year; a form for who may
    change it, else the reason it is read-only."""
    centre = _centre_year(request, centre_pk, year)
    needs = selectors.centre_needs(centre=centre, year=year)
    can_edit = scoping.can_edit_centre(request.user, centre)
    refusal = selectors.write_refusal(centre=centre, year=year) if can_edit or not centre.is_active else ""
    kinds = [row.kind for row in needs.rows if row.editable]
    form = TallyForm(
        request.POST or None,
        kinds=kinds,
        survey=needs.survey,
        initial={cell_name(r.kind.pk, g): n or None for r in needs.rows for g, n in r.cells},
    )
    if request.method == "POST":
        scoping.require_centre_edit(request.user, centre)
        with refusal_shown(request, form=form):
            services.year_writable_check(centre=centre, year=year)
            if form.is_valid():
                services.need_tally_save(
                    centre=centre,
                    year=year,
                    counts=form.counts(),
                    by=request.user,
                    version=form.cleaned_data.get("version"),
                )
                messages.success(request, _("Đã lưu kết quả khảo sát nhu cầu học tập năm %(year)s.") % {"year": year})
                return redirect("planning:needs_centre", centre_pk=centre.pk, year=year)
    grid = [
        (row, [form[cell_name(row.kind.pk, g)] for g, _n in row.cells] if row.editable else None) for row in needs.rows
    ]
    context = {
        "centre": centre,
        "year": year,
        "years": _years(timezone.localdate()),
        "needs": needs,
        "grid": grid,
        "form": form,
        "can_edit": can_edit and not refusal,
        "refusal": refusal,
    }
    return render(request, "planning/needs_centre.html", context)


# --- Annual plan -----------------------------------------------------------------------------------------------


@login_required
def plans_home(request: HttpRequest) -> HttpResponse:
    """Centre staff: their plan of this year. Reviewers and the province: plan against actual by commune."""
    own = _own_page(request, "planning:plan_centre")
    if own is not None:
        return own
    scoping.require_reviewer_or_above(request.user)
    year = selectors.overview_year(request.GET)
    overview = selectors.plans_overview(user=request.user, year=year)
    context = {
        "overview": overview,
        "kinds_max": max([max(k.planned, k.actual) for k in overview.kinds], default=0),
        "province_level": scoping.is_province_level(request.user),
        "years": _years(timezone.localdate()),
        "year": year,
        "query": request.GET.urlencode(),
    }
    return render(request, "planning/plans_overview.html", context)


@login_required
def plan_centre(request: HttpRequest, centre_pk: int, year: int) -> HttpResponse:
    """One centre's plan of a year: its lines by month, plan against actual by kind, the form to add a line
    (posted here) and the commune's approval; read-only, saying why, when it cannot change."""
    centre = _centre_year(request, centre_pk, year)
    comparison = selectors.plan_vs_actual(centre=centre, year=year)
    plan = comparison.plan
    can_edit = scoping.can_edit_centre(request.user, centre)
    refusal = selectors.write_refusal(centre=centre, year=year, plan=plan) if can_edit or not centre.is_active else ""
    form = PlanLineForm(request.POST or None, province_id=centre.commune.province_id)
    if request.method == "POST":
        scoping.require_centre_edit(request.user, centre)
        with refusal_shown(request, form=form):
            services.year_writable_check(centre=centre, year=year)
            if form.is_valid():
                services.plan_line_save(centre=centre, year=year, by=request.user, **form.cleaned_data)
                messages.success(request, _("Đã lưu dòng kế hoạch."))
                return redirect("planning:plan_centre", centre_pk=centre.pk, year=year)
    context = {
        "centre": centre,
        "year": year,
        "years": _years(timezone.localdate()),
        "plan": plan,
        "lines": selectors.plan_lines(plan),
        "comparison": comparison,
        "form": form,
        "approve_form": PlanApproveForm(plan=plan) if plan is not None else None,
        "reopen_form": PlanReopenForm(plan=plan) if plan is not None else None,
        "can_edit": can_edit and not refusal,
        "can_reopen": bool(plan and plan.is_approved and centre.is_active and scoping.is_province_level(request.user)),
        "refusal": refusal,
    }
    return render(request, "planning/plan_centre.html", context)


def _plan_write(request: HttpRequest, centre_pk: int, year: int) -> Centre:
    centre = _centre_year(request, centre_pk, year)
    scoping.require_centre_edit(request.user, centre)
    return centre


@login_required
@require_POST
def plan_line_delete(request: HttpRequest, centre_pk: int, year: int) -> HttpResponse:
    centre = _plan_write(request, centre_pk, year)
    with refusal_shown(request):
        services.year_writable_check(centre=centre, year=year)
        line = (
            PlanLine.objects.filter(plan__centre=centre, plan__year=year, pk=id_param(request.POST.get("dong")) or 0)
            .select_related("plan__centre")
            .first()
        )
        if line is None:
            raise Http404(_("Không tìm thấy dòng kế hoạch."))
        services.plan_line_delete(line=line, by=request.user)
        messages.success(request, _("Đã xóa dòng kế hoạch."))
    return redirect("planning:plan_centre", centre_pk=centre.pk, year=year)


@login_required
@require_POST
def plan_approve(request: HttpRequest, centre_pk: int, year: int) -> HttpResponse:
    """Record the commune's decision approving the plan (decision number, date, signer)."""
    centre = _plan_write(request, centre_pk, year)
    with refusal_shown(request):
        services.year_writable_check(centre=centre, year=year)
        plan = selectors.plan_for(centre=centre, year=year)
        if plan is None:
            raise ValidationError(_("Trung tâm chưa lập kế hoạch năm %(year)s.") % {"year": year})
        form = PlanApproveForm(request.POST, plan=plan)
        if not form.is_valid():
            raise ValidationError([e for errors in form.errors.values() for e in errors])
        services.plan_approve(plan=plan, by=request.user, version=form.cleaned_data.get("version"),
                              **{k: form.cleaned_data[k] for k in ("decision_number", "decision_date", "signer")})  # fmt: skip
        messages.success(request, _("Đã ghi quyết định phê duyệt kế hoạch năm %(year)s.") % {"year": year})
    return redirect("planning:plan_centre", centre_pk=centre.pk, year=year)


@login_required
@require_POST
def plan_reopen(request: HttpRequest, centre_pk: int, year: int) -> HttpResponse:
    """The province returns an approved plan to draft."""
    centre = _centre_year(request, centre_pk, year)
    scoping.require_province_level(request.user)
    scoping.require_centre_edit(request.user, centre)
    with refusal_shown(request):
        services.year_writable_check(centre=centre, year=year)
        plan = selectors.plan_for(centre=centre, year=year)
        if plan is None:
            raise Http404(_("Trung tâm chưa lập kế hoạch năm %(year)s.") % {"year": year})
        form = PlanReopenForm(request.POST, plan=plan)
        form.is_valid()
        services.plan_reopen(plan=plan, by=request.user, version=form.cleaned_data.get("version"))
        messages.success(request, _("Đã mở lại kế hoạch năm %(year)s để trung tâm sửa.") % {"year": year})
    return redirect("planning:plan_centre", centre_pk=centre.pk, year=year)


# --- Excel: the same steps for the survey and the plan -----------------------------------------------------------


@dataclass(frozen=True)
class Importer:
    key: str  # the session key of the staged file
    title: str
    intro: str
    template: Callable[[], bytes]
    template_name: str
    parse: Callable
    write: Callable
    url: str  # this importer's upload page
    done: str  # where a finished import goes: a centre's page of the file's first year


IMPORTERS = {
    "needs": Importer(
        "planning_needs_import",
        gettext_lazy("Nhập kết quả khảo sát nhu cầu học tập từ Excel"),
        gettext_lazy("Mỗi dòng là một ô của phiếu tổng hợp: năm, loại chương trình, nhóm đối tượng, số người. "
                     "Tệp có lỗi thì không ghi gì; ô đã có trên cổng không bị cộng thêm."),
        spreadsheet.needs_template, "mau-nhu-cau-hoc-tap.xlsx", spreadsheet.parse_needs,
        services.need_tally_import, "planning:needs_import", "planning:needs_centre",
    ),
    "plans": Importer(
        "planning_plans_import",
        gettext_lazy("Nhập kế hoạch hoạt động năm từ Excel"),
        gettext_lazy("Mỗi dòng là các lớp, chuyên đề của một loại chương trình dự kiến mở trong một tháng. "
                     "Tệp có lỗi thì không ghi gì; dòng đã có trên cổng không bị nhập hai lần."),
        spreadsheet.plan_template, "mau-ke-hoach-nam.xlsx", spreadsheet.parse_plans,
        services.plan_import, "planning:plans_import", "planning:plan_centre",
    ),
}  # fmt: skip


def _editable_centres(user):
    """Active centres in the user's scope that the user may change (centre staff: theirs; officials: many)."""
    centres = Centre.objects.visible_to(user).active().with_units().order_by(by_name())
    editable = [c for c in centres if scoping.can_edit_centre(user, c)]
    if not editable:
        if user.is_centre_staff and user.centre_id:
            scoping.require_centre_edit(user, user.centre)  # a merged centre's staff are told so
        raise PermissionDenied(_("Bạn chỉ được xem, không được nhập dữ liệu."))
    return centres.filter(pk__in=[c.pk for c in editable])


@login_required
def import_template(request: HttpRequest, what: str) -> HttpResponse:
    importer = IMPORTERS[what]
    response = HttpResponse(importer.template(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{importer.template_name}"'
    return response


@login_required
def import_upload(request: HttpRequest, what: str) -> HttpResponse:
    """Step 1: upload and check every row; show what it would add or name each bad row. Writes nothing."""
    importer = IMPORTERS[what]
    form = ImportUploadForm(request.POST or None, request.FILES or None, centres=_editable_centres(request.user))
    context = {"form": form, "importer": importer, "what": what}
    if request.method == "POST" and form.is_valid():
        centre = form.cleaned_data["centre"]
        scoping.require_centre_edit(request.user, centre)
        context["centre"] = centre
        parse = functools.partial(importer.parse, centre=centre)
        context.update(upload_preview(request, form, parse, session_key=importer.key, centre_pk=centre.pk))
    return render(request, "planning/import.html", context)


@login_required
@require_POST
def import_confirm(request: HttpRequest, what: str) -> HttpResponse:
    """Step 2: read the staged file again and write everything or nothing."""
    scoping.require_not_ministry(request.user)
    importer = IMPORTERS[what]
    staged = request.session.pop(importer.key, None)
    path = staged_path(staged["token"]) if staged else None
    if path is None:
        messages.error(request, _("Không còn tệp chờ nhập; vui lòng tải tệp lên lại."))
        return redirect(importer.url)
    try:
        with refusal_shown(request):
            centre = centre_for_user(request.user, staged["centre"])
            scoping.require_centre_edit(request.user, centre)
            with path.open("rb") as handle:
                result = importer.parse(handle, staged["name"], centre=centre)
            if result.errors:
                raise ValidationError(result.errors)
            counts = importer.write(
                centre=centre, rows=result.rows, by=request.user, update=request.POST.get("cap_nhat") == "1"
            )
            messages.success(
                request,
                _("Đã nhập %(added)s dòng mới, cập nhật %(updated)s dòng, giữ nguyên %(same)s dòng đã có.")
                % {"added": counts.added, "updated": counts.updated, "same": counts.unchanged},
            )
            return redirect(reverse(importer.done, kwargs={"centre_pk": centre.pk, "year": result.rows[0].year}))
    except SpreadsheetError as exc:
        messages.error(request, str(exc))
    finally:
        discard_staged(staged["token"])
    return redirect(importer.url)
