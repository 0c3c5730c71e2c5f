"""Dashboards, exports, official reports, background export jobs and report settings."""

from __future__ import annotations

import functools

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import scoping
from centres.selectors import centre_for_user
from courses.selectors import centre_recent_courses, kinds_for_user
from reports import audit, services
from reports import dashboard as engine
from reports.exports import EXPORTS
from reports.filters import DashboardFilter, ReportSettingsForm, filters_to_params, grouping_label
from reports.models import ExportJob
from reports.official import OFFICIAL_REPORTS, report_settings_for
from reports.scopes import board_scope
from tthtcd_portal.page_cache import snapshot_cached
from tthtcd_portal.pagination import PAGE_PARAM
from tthtcd_portal.params import id_param
from tthtcd_portal.refusal import refusal_shown
from tthtcd_portal.xlsx import XLSX_CONTENT_TYPE, download_disposition, table_response

# Exports with more rows than this run in the background (a few seconds of work at ~10,000 rows/s).
BACKGROUND_ROWS = 20000


def _filters(request):
    # Bound only when a filter is given: `?tinh=<id>` alone shows the defaults in the form, as the bare page does.
    asked = any(request.GET.get(name) for name in DashboardFilter.base_fields)
    form = DashboardFilter(request.GET if asked else None, kinds=list(kinds_for_user(request.user)))
    filters = form.filters()
    if asked and not form.is_valid():
        messages.warning(
            request,
            _("Bộ lọc không hợp lệ, đang hiện số liệu mặc định: %(e)s")
            % {"e": " ".join(str(e) for errors in form.errors.values() for e in errors)},
        )
    return form, filters


def _board_context(request, form, filters, board, *, extra_params=None) -> dict:
    params = filters_to_params(filters)
    if extra_params:
        params.update(extra_params)
    return {
        "form": form,
        "filters": filters,
        "board": board,
        **board.derived(),
        "rating_labels": [label for _v, label in engine.Rating.choices],
        "grouping_label": grouping_label(filters.grouping),
        "query": urlencode(params),
    }


@login_required
@snapshot_cached
def dashboard(request):
    """Ministry officials: by province (the national dashboard), `tinh` one province's. Province officials: by
    district. Reviewers: their office's centres. Centre staff: their centre against its district's average."""
    user = request.user
    if user.is_centre_staff:
        return _centre_page(request, user.centre_id)
    form, filters = _filters(request)
    chosen = board_scope(user, request.GET)  # reports/scopes.py: the page, its exports and reports alike
    scope = chosen.scope
    # A reviewer's centres with their predecessors' history (a cluster office reviews new centres only).
    board = chosen.board(filters)
    today = timezone.localdate()
    # Called by the template only when its cached fragment (keyed by the dashboard's data stamp and the day)
    # is missing: a cached page runs none of these queries. The national dashboard lists no centres.
    missing = (
        None
        if chosen.national
        else functools.cache(
            lambda: engine.missing_data(
                scope=scope, centres=board.centres, today=today, cycle_year=engine.current_cycle_year(today)
            )
        )
    )
    context = _board_context(request, form, filters, board, extra_params=chosen.params)
    context.update(
        {
            "missing": missing,
            "today": today,
            "unit": chosen.unit,
            "is_province": chosen.province_level and not chosen.national,
            "is_national": chosen.national,
            "province": chosen.province,
            "national_back": scoping.is_ministry(user) and chosen.province is not None,
            "query_national": urlencode(filters_to_params(filters)),
        }
    )
    return render(request, "reports/dashboard.html", context)


@login_required
@snapshot_cached
def district(request, pk: int):
    """One district's centres (drill-down from the province dashboard)."""
    scoping.require_reviewer_or_above(request.user)
    found = get_object_or_404(scoping.visible_districts(request.user).select_related("province"), pk=pk)
    form, filters = _filters(request)
    scope = scoping.centre_q(request.user)
    if scoping.is_ministry(request.user):
        # Every centre of the country is in scope: read only the district's province and the one it merged into.
        scope &= Q(commune__province_id__in=[found.province_id, found.province.merged_into_id or found.province_id])
    board = engine.dashboard(scope=scope, filters=filters, by_centre=True, only_group=("district", found.pk))
    today = timezone.localdate()
    # As on the dashboard: called by the template only when its cached tables (keyed by the board, whose key
    # holds the scope, the district, the filters, the language and the data stamp, and by the day) are missing.
    missing = functools.cache(
        lambda: engine.missing_data(
            scope=scope, centres=board.centres, today=today, cycle_year=engine.current_cycle_year(today)
        )
    )
    context = _board_context(request, form, filters, board, extra_params={"huyen": found.pk})
    context.update({"district": found, "missing": missing, "unit": found.name, "today": today})
    return render(request, "reports/district.html", context)


@login_required
@snapshot_cached
def centre(request, pk: int):
    """A centre's figures by year against its district's average per centre."""
    return _centre_page(request, pk)


def _centre_page(request, pk: int):
    """The centre's figures page (also centre staff's dashboard, whose view keeps its own answer)."""
    found = centre_for_user(request.user, pk)
    form, filters = _filters(request)
    comparison = engine.centre_comparison_kept(centre=found, filters=filters)
    return render(
        request,
        "reports/centre.html",
        {
            "form": form,
            "filters": filters,
            "centre": found,
            "comparison": comparison,
            "rows": comparison.year_rows(),
            "recent_classes": centre_recent_courses(user=request.user, centre=found),
            "record_url": engine.centre_url(found.pk),
            "query": urlencode(filters_to_params(filters)),
        },
    )


# --- Exports ----------------------------------------------------------------------------------------


@login_required
@snapshot_cached
def exports(request):
    """The exports and official reports the user may have, with the dashboard filters."""
    user = request.user
    form, filters = _filters(request)
    return render(
        request,
        "reports/exports.html",
        {
            "form": form,
            "query": urlencode(filters_to_params(filters)),
            "exports": [k for k in EXPORTS.values() if k.allowed(user)],
            "official": list(OFFICIAL_REPORTS.values()) if scoping.is_reviewer_or_above(user) else [],
            "jobs": ExportJob.objects.filter(user=user)[:10],
            "can_edit_settings": scoping.is_province_level(user),
        },
    )


def _export_kind(user, code: str):
    kind = EXPORTS.get(code)
    if kind is None:
        raise Http404(_("Không có loại xuất dữ liệu này."))
    if not kind.allowed(user):
        raise PermissionDenied(_("Bạn không có quyền xuất dữ liệu này."))
    return kind


@login_required
def export(request, code: str):
    """The export as .xlsx now, or — when it is large — a page offering to prepare it in the background (a POST
    to export_start). A GET never starts a job: when the same request is already running, it shows that job."""
    kind = _export_kind(request.user, code)
    params = request.GET.dict()
    spec = kind.build(request.user, params)
    limit = getattr(settings, "REPORTS_BACKGROUND_ROWS", BACKGROUND_ROWS)
    if spec.total is not None and spec.total > limit:
        running = ExportJob.objects.active().of_request(user=request.user, kind=code, params=params).first()
        if running is not None and not running.is_stale:
            messages.info(request, _("Tệp này đang được chuẩn bị; đây là tiến độ của nó."))
            return redirect("reports:job", pk=running.pk)
        return render(
            request,
            "reports/export_confirm.html",
            {"code": code, "title": spec.title, "total": spec.total, "params": params},
        )
    return table_response(title=spec.title, context=spec.context, columns=spec.columns, rows=spec.rows)


def _start_job(request, code: str, params: dict):
    """Build the spec now (the user's rights and scope, the params' validity), then queue it or show the running
    one of the same request."""
    kind = _export_kind(request.user, code)
    spec = kind.build(request.user, params)
    job, created = services.export_job_start(
        kind=code, title=spec.title, params=params, rows_total=spec.total or 0, by=request.user
    )
    if created:
        messages.success(request, _("Đã đưa yêu cầu xuất “%(t)s” vào hàng đợi.") % {"t": spec.title})
    else:
        messages.info(request, _("Tệp này đang được chuẩn bị; đây là tiến độ của nó."))
    return redirect("reports:job", pk=job.pk)


@login_required
@require_POST
def export_start(request, code: str):
    """Run an export in the background whatever its size (the exports page's button, the large-export page)."""
    params = request.POST.dict()
    params.pop("csrfmiddlewaretoken", None)
    return _start_job(request, code, params)


@login_required
def official(request, code: str):
    scoping.require_reviewer_or_above(request.user)
    report = OFFICIAL_REPORTS.get(code)
    if report is None:
        raise Http404(_("Không có loại báo cáo này."))
    title, content = report.build(request.user, request.GET.dict())
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = download_disposition(title)
    return response


# --- Background jobs: only their owner sees them ----------------------------------------------------


def _own_job(request, pk: int) -> ExportJob:
    return get_object_or_404(ExportJob, pk=pk, user=request.user)


@login_required
def job(request, pk: int):
    return render(request, "reports/job.html", {"job": _own_job(request, pk)})


@login_required
def job_status(request, pk: int):
    found = _own_job(request, pk)
    return JsonResponse(
        {
            "status": found.shown_status,
            "status_label": found.shown_status_label,
            "percent": found.percent,
            "rows_done": found.rows_done,
            "rows_total": found.rows_total,
            "download_url": reverse("reports:job_download", args=[found.pk]) if found.status == "done" else None,
        }
    )


@login_required
@require_POST
def job_restart(request, pk: int):
    """Start a failed job again, or one whose worker died (same export and parameters, checked again)."""
    found = _own_job(request, pk)
    if not found.can_restart:
        messages.info(request, _("Tệp này không cần chạy lại."))
        return redirect("reports:job", pk=found.pk)
    return _start_job(request, found.kind, found.params)


@login_required
def job_download(request, pk: int):
    found = _own_job(request, pk)
    if found.status != ExportJob.Status.DONE or not found.file:
        raise Http404(_("Tệp chưa sẵn sàng."))
    response = FileResponse(found.file.open("rb"), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = download_disposition(found.title, found.created_at)
    return response


# --- Audit trail ----------------------------------------------------------------------------------

AUDIT_PAGE_SIZE = 50


@login_required
@snapshot_cached
def audit_trail(request):
    """Who changed what and when, old → new, across the registry, classes and evaluations of the official's
    province (reports/audit.py says what it reads and what it costs)."""
    scoping.require_province_level(request.user)
    form, filters = audit.filter_form(request.user, request.GET)
    page = audit.keys_page(audit.entry_keys(request.user, filters), request.GET.get(PAGE_PARAM), AUDIT_PAGE_SIZE)
    query = request.GET.copy()
    query.pop("trang", None)
    entries = audit.entries_for(list(page.object_list))
    return render(
        request,
        "reports/audit.html",
        {"form": form, "page": page, "entries": entries, "rows": audit.rows_html(entries), "query": query.urlencode()},
    )


# --- Report settings --------------------------------------------------------------------------------


@login_required
def report_settings(request):
    """The issuing body, place and signer of the province's official reports (province officials)."""
    user = request.user
    scoping.require_province_level(user)
    provinces = scoping.visible_provinces(user).order_by("code")
    asked = id_param(request.GET.get("tinh"))  # not a number: the user's own, as every bad parameter
    if asked is not None:
        # Another province's settings do not exist for this official (404), as any other unit's object.
        province = provinces.filter(pk=asked).first()
        if province is None:
            raise Http404(_("Không tìm thấy hoặc bạn không có quyền xem."))
    else:
        province = provinces.filter(pk=user.province_id).first() or provinces.first()
    if province is None:
        raise Http404(_("Chưa có tỉnh nào."))
    can_edit = scoping.can_edit_province_settings(user, province.pk)
    if request.method == "POST":
        scoping.require_province_settings_edit(user, province.pk)  # a former province's header: history
    current = report_settings_for(province)
    form = ReportSettingsForm(request.POST or None, instance=current)
    if not can_edit:
        for field in form.fields.values():
            field.disabled = True
    if request.method == "POST" and form.is_valid():
        with refusal_shown(request, form=form):
            services.report_settings_update(province=province, by=user, **form.cleaned_data)
            messages.success(request, _("Đã lưu thiết lập báo cáo."))
            return redirect(f"{reverse('reports:settings')}?{urlencode({'tinh': province.pk})}")
    return render(
        request,
        "reports/settings.html",
        {"form": form, "province": province, "provinces": provinces, "can_edit": can_edit},
    )
