from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.dateparse import parse_date
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.scoping import require_administrator
from tthtcd_portal.spreadsheets import SpreadsheetError, discard_staged, stage_upload, staged_path
from units.forms import AdminUnitsUploadForm
from units.gso import parse_gso
from units.models import Commune
from units.selectors import admin_units_import_preview
from units.services import admin_units_import, default_valid_from

SESSION_KEY = "units_import"


@login_required
def import_upload(request: HttpRequest) -> HttpResponse:
    """Step 1: upload and validate; show what would be created and updated. Nothing is written."""
    require_administrator(request.user)
    form = AdminUnitsUploadForm(request.POST or None, request.FILES or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        try:
            gso = parse_gso(uploaded, uploaded.name)
        except SpreadsheetError as exc:
            form.add_error("file", str(exc))
        else:
            valid_from = form.cleaned_data["valid_from"] or default_valid_from(gso=gso)
            uploaded.seek(0)
            token = stage_upload(uploaded)
            request.session[SESSION_KEY] = {"token": token, "name": uploaded.name, "valid_from": valid_from.isoformat()}
            context.update(
                preview=admin_units_import_preview(gso=gso, valid_from=valid_from),
                commune_kinds=[(Commune.Kind(kind).label, n) for kind, n in gso.commune_kinds().items()],
                gso=gso,
                valid_from=valid_from,
                file_name=uploaded.name,
            )
    return render(request, "units/import.html", context)


@login_required
@require_POST
def import_confirm(request: HttpRequest) -> HttpResponse:
    """Step 2: write the staged file, all or nothing."""
    require_administrator(request.user)
    staged = request.session.pop(SESSION_KEY, None)
    path = staged_path(staged["token"]) if staged else None
    if path is None:
        messages.error(request, _("Không còn tệp chờ nhập; vui lòng tải tệp lên lại."))
        return redirect("units:import")
    try:
        with path.open("rb") as handle:
            gso = parse_gso(handle, staged["name"])
        result = admin_units_import(gso=gso, valid_from=parse_date(staged["valid_from"]))
    except SpreadsheetError as exc:
        messages.error(request, str(exc))
        return redirect("units:import")
    finally:
        discard_staged(staged["token"])
    messages.success(
        request,
        _("Đã nhập danh mục: %(p)s tỉnh, %(d)s huyện, %(c)s xã; tạo mới %(new)s, cập nhật %(upd)s.")
        % {
            name: number_format(value, force_grouping=True)
            for name, value in (
                ("p", result.provinces),
                ("d", result.districts),
                ("c", result.communes),
                ("new", result.created),
                ("upd", result.updated),
            )
        },
    )
    return redirect("units:import")
