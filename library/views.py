"""Pages of the library app: a centre's library (kind, holdings, the month grid, reading events, Excel import)
and the province's view of library activity by commune and year (docs/library.md)."""

from __future__ import annotations

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import scoping
from centres.selectors import GROUP_TODAY, centre_for_user, grouping_param
from library import selectors, services
from library.forms import HoldingForm, ImportForm, LibraryForm, MonthGridForm, ReadingEventForm
from library.models import Library
from library.spreadsheet import parse_months, template_workbook
from tthtcd_portal.params import year_param
from tthtcd_portal.refusal import refusal_shown
from tthtcd_portal.spreadsheets import (
    SpreadsheetError,
    discard_staged,
    staged_path,
    upload_preview,
)
from tthtcd_portal.xlsx import XLSX_CONTENT_TYPE, download_disposition

IMPORT_SESSION_KEY = "library_import"
YEARS_SHOWN = 10  # the province's trend: this year and the nine before


def _year(request: HttpRequest) -> int:
    today = timezone.localdate()
    year = year_param(request.GET.get("nam") or request.POST.get("nam"))
    return year if year is not None and 1990 <= year <= today.year else today.year


def _centre_url(centre_pk: int, year: int) -> str:
    return reverse("library:centre", args=[centre_pk]) + f"?nam={year}"


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Centre staff land on their centre's library; everyone else on the activity by commune."""
    if request.user.is_centre_staff:
        return redirect("library:centre", centre_pk=request.user.centre_id)
    return redirect("library:overview")


def _render_centre(request: HttpRequest, centre, year: int, status: int = 200, **forms) -> HttpResponse:
    page = selectors.centre_library(centre=centre, year=year)
    can_edit = scoping.can_edit_centre(request.user, centre)
    context = {
        "centre": centre,
        "page": page,
        "year": year,
        "years": list(range(timezone.localdate().year, timezone.localdate().year - YEARS_SHOWN, -1)),
        "can_edit": can_edit,
    }
    if can_edit:
        context |= {
            "library_form": forms.get("library_form") or LibraryForm(instance=page.library or Library(centre=centre)),
            "holding_form": forms.get("holding_form") or HoldingForm(),
            "event_form": forms.get("event_form") or ReadingEventForm(),
            "grid": forms.get("grid") or MonthGridForm(year=year, months=[m.row for m in page.months if m.row]),
        }
    else:
        context["grid"] = MonthGridForm(year=year, months=[m.row for m in page.months if m.row])
    return render(request, "library/centre.html", context, status=status)


@login_required
def centre_library(request: HttpRequest, centre_pk: int) -> HttpResponse:
    """A centre's library for a year (`nam`): what it has, holdings, the month grid, reading events. Queries:
    session and user (2), the centre (1), the page's four reads (library.selectors.centre_library)."""
    centre = centre_for_user(request.user, centre_pk)
    return _render_centre(request, centre, _year(request))


def _editable(request: HttpRequest, centre_pk: int):
    centre = centre_for_user(request.user, centre_pk)
    scoping.require_centre_edit(request.user, centre)
    return centre


@login_required
@require_POST
def library_edit(request: HttpRequest, centre_pk: int) -> HttpResponse:
    centre = _editable(request, centre_pk)
    library = Library.objects.filter(centre=centre).first()
    form = LibraryForm(request.POST, instance=library or Library(centre=centre))
    if form.is_valid():
        with refusal_shown(request, form=form):
            services.library_save(
                centre=centre,
                kind=form.cleaned_data["kind"],
                place=form.cleaned_data["place"],
                by=request.user,
                version=form.cleaned_data.get("version"),
            )
            messages.success(request, _("Đã lưu thư viện của trung tâm."))
            return redirect(_centre_url(centre.pk, _year(request)))
    return _render_centre(request, centre, _year(request), status=400, library_form=form)


@login_required
@require_POST
def holding_add(request: HttpRequest, centre_pk: int) -> HttpResponse:
    centre = _editable(request, centre_pk)
    form = HoldingForm(request.POST)
    if form.is_valid():
        with refusal_shown(request, form=form):
            _holding, created = services.holding_record(centre=centre, by=request.user, **form.cleaned_data)
            messages.success(
                request, _("Đã ghi vốn tài liệu.") if created else _("Đã cập nhật vốn tài liệu của ngày này.")
            )
            return redirect(_centre_url(centre.pk, form.cleaned_data["as_of"].year))
    return _render_centre(request, centre, _year(request), status=400, holding_form=form)


@login_required
@require_POST
def holding_delete(request: HttpRequest, holding_pk: int) -> HttpResponse:
    holding = selectors.holding_for_user(request.user, holding_pk)
    scoping.require_centre_edit(request.user, holding.centre)
    with refusal_shown(request):
        services.holding_archive(holding=holding, by=request.user)
        messages.success(request, _("Đã xóa số liệu vốn tài liệu."))
    return redirect(_centre_url(holding.centre_id, holding.as_of.year))


@login_required
@require_POST
def months_save(request: HttpRequest, centre_pk: int) -> HttpResponse:
    """The month grid of a year: every month's readers and loans at once."""
    centre = _editable(request, centre_pk)
    year = _year(request)
    grid = MonthGridForm(request.POST, year=year)
    if grid.is_valid():
        with refusal_shown(request, form=grid):
            counts = services.library_months_save(centre=centre, year=year, figures=grid.figures(), by=request.user)
            messages.success(
                request,
                _("Đã lưu bạn đọc năm %(y)s: %(a)s tháng mới, %(u)s tháng sửa, %(c)s tháng xóa.")
                % {"y": year, "a": counts.added, "u": counts.updated, "c": counts.cleared},
            )
            return redirect(_centre_url(centre.pk, year))
    return _render_centre(request, centre, year, status=400, grid=grid)


@login_required
@require_POST
def event_add(request: HttpRequest, centre_pk: int) -> HttpResponse:
    centre = _editable(request, centre_pk)
    form = ReadingEventForm(request.POST)
    if form.is_valid():
        with refusal_shown(request, form=form):
            event = services.reading_event_record(centre=centre, by=request.user, **form.cleaned_data)
            messages.success(request, _("Đã ghi hoạt động «%(t)s».") % {"t": event.title})
            return redirect(_centre_url(centre.pk, event.date.year))
    return _render_centre(request, centre, _year(request), status=400, event_form=form)


@login_required
@require_POST
def event_delete(request: HttpRequest, event_pk: int) -> HttpResponse:
    event = selectors.reading_event_for_user(request.user, event_pk)
    scoping.require_centre_edit(request.user, event.centre)
    with refusal_shown(request):
        services.reading_event_archive(event=event, by=request.user)
        messages.success(request, _("Đã xóa hoạt động đọc sách."))
    return redirect(_centre_url(event.centre_id, event.date.year))


# --- Excel: the month grid from a spreadsheet ------------------------------------------------------------------


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(template_workbook(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = download_disposition(_("Mẫu nhập bạn đọc theo tháng"))
    return response


@login_required
def import_upload(request: HttpRequest, centre_pk: int) -> HttpResponse:
    """Step 1: upload and check every row; show the months it would add or name each bad row. Writes nothing."""
    centre = _editable(request, centre_pk) if request.method == "POST" else centre_for_user(request.user, centre_pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    context = {"form": form, "centre": centre}
    if request.method == "POST" and form.is_valid():
        parse = functools.partial(parse_months, centre=centre)
        context.update(upload_preview(request, form, parse, session_key=IMPORT_SESSION_KEY, centre_pk=centre.pk))
    return render(request, "library/import.html", context)


@login_required
@require_POST
def import_confirm(request: HttpRequest, centre_pk: int) -> HttpResponse:
    """Step 2: read the staged file again and write everything or nothing."""
    centre = _editable(request, centre_pk)
    staged = request.session.pop(IMPORT_SESSION_KEY, None)
    path = staged_path(staged["token"]) if staged and staged.get("centre") == centre.pk else None
    if path is None:
        messages.error(request, _("Không còn tệp chờ nhập; vui lòng tải tệp lên lại."))
        return redirect("library:import", centre_pk=centre.pk)
    try:
        with refusal_shown(request):
            with path.open("rb") as handle:
                result = parse_months(handle, staged["name"], centre=centre)
            if result.errors:
                raise ValidationError(result.errors)
            counts = services.library_months_import(
                centre=centre, rows=result.rows, by=request.user, update=request.POST.get("cap_nhat") == "1"
            )
            text = _("Đã nhập %(n)s tháng.") % {"n": counts.added}
            if counts.updated:
                text += " " + _("Đã cập nhật %(n)s tháng đã có.") % {"n": counts.updated}
            if counts.unchanged:
                text += " " + _("Giữ nguyên %(n)s tháng đã có trên cổng.") % {"n": counts.unchanged}
            messages.success(request, text)
            return redirect(_centre_url(centre.pk, max(r.year for r in result.rows)))
    except SpreadsheetError as exc:
        messages.error(request, str(exc))
    finally:
        discard_staged(staged["token"])
    return redirect("library:import", centre_pk=centre.pk)


# --- The province: activity by commune and year ----------------------------------------------------------------


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """Library activity in the user's scope: by year (chart and table) and, for the year `nam`, by commune (the
    table the export "thu-vien" mirrors), by the units of that year or, `nhom=today`, by today's centres (same
    territory). Reviewers and above. Queries: session and user (2), the centres with their figures (1), the years
    (2), plus one for an official's province ids; `nhom=today` two more (the successors, today's centres)."""
    scoping.require_reviewer_or_above(request.user)
    year = _year(request)
    grouping = grouping_param(request.GET.get("nhom"))
    today = timezone.localdate()
    years = list(range(today.year - YEARS_SHOWN + 1, today.year + 1))
    trend = selectors.library_years(user=request.user, years=years)
    if grouping == GROUP_TODAY:
        rows = selectors.library_activity_today(user=request.user, year=year)
    else:
        rows = list(selectors.library_activity(user=request.user, year=year))
    totals = {name: sum(getattr(r, name) for r in rows) for name in selectors.ACTIVITY_FIGURES}
    chart = {
        "years": years,
        "series": [
            {"label": _("Lượt bạn đọc"), "values": [t.readers for t in trend]},
            {"label": _("Lượt mượn"), "values": [t.loans for t in trend]},
        ],
    }
    return render(
        request,
        "library/overview.html",
        {
            "year": year,
            "years": list(reversed(years)),
            "grouping": grouping,
            "trend": trend,
            "rows": rows,
            "totals": totals,
            "with_library": sum(1 for r in rows if getattr(r, "library", None) and r.library.exists),
            "chart": chart,
            "unit": scoping_label(request.user),
        },
    )


def scoping_label(user) -> str:
    if scoping.is_province_level(user) and user.province_id:
        return user.province.name
    if user.is_reviewer and user.office_id:
        return user.office.name
    return ""
