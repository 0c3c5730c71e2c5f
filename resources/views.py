"""Pages of resources mobilised: a centre's contributions of a year (entered one by one, or from Excel) and the
province's totals by commune, source and year (docs/library.md)."""

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
from django.views.decorators.http import require_http_methods, require_POST

from accounts import scoping
from centres.selectors import GROUP_TODAY, centre_for_user, grouping_param
from resources import selectors, services
from resources.forms import ContributionForm, ImportForm
from resources.models import Source
from resources.spreadsheet import parse_contributions, template_workbook
from tthtcd_portal.params import year_param
from tthtcd_portal.refusal import refusal_shown
from tthtcd_portal.spreadsheets import (
    SpreadsheetError,
    discard_staged,
    staged_path,
    upload_preview,
)
from tthtcd_portal.xlsx import XLSX_CONTENT_TYPE, download_disposition

IMPORT_SESSION_KEY = "resources_import"
YEARS_SHOWN = 10


def _year(request: HttpRequest) -> int:
    today = timezone.localdate()
    year = year_param(request.GET.get("nam"))
    return year if year is not None and 1990 <= year <= today.year else today.year


def _centre_url(centre_pk: int, year: int) -> str:
    return reverse("resources:centre", args=[centre_pk]) + f"?nam={year}"


@login_required
def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_centre_staff:
        return redirect("resources:centre", centre_pk=request.user.centre_id)
    return redirect("resources:overview")


@login_required
@require_http_methods(["GET", "POST"])
def centre_contributions(request: HttpRequest, centre_pk: int) -> HttpResponse:
    """A centre's contributions of a year (`nam`), with the form to record one. Queries: session and user (2),
    the centre (1), the year's contributions (1), the totals by year (1)."""
    centre = centre_for_user(request.user, centre_pk)
    year = _year(request)
    can_edit = scoping.can_edit_centre(request.user, centre)
    form = None
    if request.method == "POST":
        scoping.require_centre_edit(request.user, centre)
        form = ContributionForm(request.POST)
        if form.is_valid():
            with refusal_shown(request, form=form):
                item = services.contribution_record(centre=centre, by=request.user, **form.cleaned_data)
                text = _("Đã ghi khoản «%(d)s».") % {"d": item.description}
                if item.equipment_id:
                    text += " " + _("Thiết bị đã được ghi vào cơ sở vật chất của trung tâm.")
                messages.success(request, text)
                return redirect(_centre_url(centre.pk, item.date.year))
    elif can_edit:
        form = ContributionForm(initial={"date": timezone.localdate()})
    today = timezone.localdate()
    return render(
        request,
        "resources/centre.html",
        {
            "centre": centre,
            "year": year,
            "years": list(range(today.year, today.year - YEARS_SHOWN, -1)),
            "contributions": selectors.centre_contributions(centre=centre, year=year),
            "totals_by_year": selectors.centre_totals_by_year(centre=centre),
            "form": form,
            "can_edit": can_edit,
        },
        status=400 if form is not None and form.is_bound else 200,
    )


@login_required
@require_POST
def contribution_delete(request: HttpRequest, contribution_pk: int) -> HttpResponse:
    item = selectors.contribution_for_user(request.user, contribution_pk)
    scoping.require_centre_edit(request.user, item.centre)
    with refusal_shown(request):
        services.contribution_archive(contribution=item, by=request.user)
        messages.success(request, _("Đã xóa khoản «%(d)s».") % {"d": item.description})
    return redirect(_centre_url(item.centre_id, item.date.year))


# --- Excel ----------------------------------------------------------------------------------------------------


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(template_workbook(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = download_disposition(_("Mẫu nhập khoản huy động"))
    return response


@login_required
def import_upload(request: HttpRequest, centre_pk: int) -> HttpResponse:
    """Step 1: upload and check every row; show what it would add or name each bad row. Writes nothing."""
    centre = centre_for_user(request.user, centre_pk)
    if request.method == "POST":
        scoping.require_centre_edit(request.user, centre)
    form = ImportForm(request.POST or None, request.FILES or None)
    context = {"form": form, "centre": centre}
    if request.method == "POST" and form.is_valid():
        parse = functools.partial(parse_contributions, centre=centre)
        context.update(upload_preview(request, form, parse, session_key=IMPORT_SESSION_KEY, centre_pk=centre.pk))
    return render(request, "resources/import.html", context)


@login_required
@require_POST
def import_confirm(request: HttpRequest, centre_pk: int) -> HttpResponse:
    """Step 2: read the staged file again and write everything or nothing."""
    centre = centre_for_user(request.user, centre_pk)
    scoping.require_centre_edit(request.user, centre)
    staged = request.session.pop(IMPORT_SESSION_KEY, None)
    path = staged_path(staged["token"]) if staged and staged.get("centre") == centre.pk else None
    if path is None:
        messages.error(request, _("Không còn tệp chờ nhập; vui lòng tải tệp lên lại."))
        return redirect("resources:import", centre_pk=centre.pk)
    try:
        with refusal_shown(request):
            with path.open("rb") as handle:
                result = parse_contributions(handle, staged["name"], centre=centre)
            if result.errors:
                raise ValidationError(result.errors)
            counts = services.contributions_import(centre=centre, rows=result.rows, by=request.user)
            text = _("Đã nhập %(n)s khoản.") % {"n": counts.added}
            if counts.unchanged:
                text += " " + _("Giữ nguyên %(n)s khoản đã có trên cổng.") % {"n": counts.unchanged}
            messages.success(request, text)
            return redirect(_centre_url(centre.pk, max(r.date.year for r in result.rows)))
    except SpreadsheetError as exc:
        messages.error(request, str(exc))
    finally:
        discard_staged(staged["token"])
    return redirect("resources:import", centre_pk=centre.pk)


# --- The province: totals by commune, source and year ----------------------------------------------------------


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """Contributions in the user's scope: totals by source and year (chart and table) and, for the year `nam`, by
    commune (the table the export "nguon-luc" mirrors), by the units of that year or, `nhom=today`, by today's
    centres (same territory). Reviewers and above. Queries: session and user (2), the years (1), the year's totals
    (1), the centres (1), plus one for an official's province ids; `nhom=today` two more (the successors, today's
    centres)."""
    scoping.require_reviewer_or_above(request.user)
    year = _year(request)
    grouping = grouping_param(request.GET.get("nhom"))
    today = timezone.localdate()
    years = list(range(today.year - YEARS_SHOWN + 1, today.year + 1))
    trend = selectors.contributions_by_year(user=request.user, years=years)
    if grouping == GROUP_TODAY:
        rows = selectors.contributions_by_centre_today(user=request.user, year=year)
    else:
        rows = selectors.contributions_by_centre(user=request.user, year=year)
    sources = list(Source)
    totals = [sum(r.totals.values()[i] for r in rows) for i in range(len(sources))]
    chart = {
        "years": years,
        "series": [
            {"label": str(source.label), "values": [t.values()[i] for _y, t in trend]}
            for i, source in enumerate(sources)
        ],
        "stacked": True,
    }
    return render(
        request,
        "resources/overview.html",
        {
            "year": year,
            "years": list(reversed(years)),
            "grouping": grouping,
            "trend": trend,
            "rows": rows,
            "sources": sources,
            "totals": totals,
            "grand_total": sum(totals),
            "chart": chart,
        },
    )
