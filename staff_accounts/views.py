"""The province keeps its own accounts: provincial officials (and administrators) list, create, change,
deactivate and reactivate the accounts of their centres' staff and their reviewers, give a first-time password,
and import a list from a spreadsheet. Another province's account is a 404; other roles get 403."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import scoping
from staff_accounts import selectors, services
from staff_accounts.forms import AccountForm, AccountImportForm
from staff_accounts.importer import EXAMPLE_ROWS, HEADERS, parse_accounts
from tthtcd_portal.page_cache import snapshot_cached
from tthtcd_portal.pagination import paginate
from tthtcd_portal.params import text_param
from tthtcd_portal.refusal import refusal_shown
from tthtcd_portal.spreadsheets import SpreadsheetError, discard_staged, stage_upload, staged_path
from tthtcd_portal.xlsx import TEXT, Column, Sheet, write_workbook

IMPORT_SESSION_KEY = "accounts_import"
PER_PAGE = 50


def _form(request, instance=None):
    user = request.user
    return AccountForm(
        request.POST or None,
        instance=instance,
        centres=selectors.assignable_centres(user),
        offices=selectors.assignable_offices(user),
    )


def _passwords_page(request, issued, *, title):
    return render(request, "staff_accounts/passwords.html", {"issued": issued, "title": title})


@login_required
@snapshot_cached
def account_list(request: HttpRequest) -> HttpResponse:
    scoping.require_province_level(request.user)
    params = {k: text_param(request.GET.get(k)) for k in ("q", selectors.ROLE_PARAM, selectors.ACTIVE_PARAM)}
    accounts = selectors.managed_accounts(
        user=request.user, q=params["q"], role=params[selectors.ROLE_PARAM], active=params[selectors.ACTIVE_PARAM]
    )
    return render(
        request, "staff_accounts/list.html", {"page": paginate(request, accounts, PER_PAGE), "params": params}
    )


@login_required
def account_create(request: HttpRequest) -> HttpResponse:
    scoping.require_province_level(request.user)
    form = _form(request)
    if request.method == "POST" and form.is_valid():
        with refusal_shown(request, form=form):
            issued = services.account_create(by=request.user, fields=form.cleaned_data)
            return _passwords_page(request, [issued], title=_("Tài khoản mới"))
    return render(request, "staff_accounts/form.html", {"form": form})


@login_required
def account_edit(request: HttpRequest, pk: int) -> HttpResponse:
    scoping.require_not_ministry(request.user)  # reads every province, manages nobody: 403, not 404
    account = selectors.managed_account_or_404(user=request.user, pk=pk)  # 404 for anyone who manages nobody
    form = _form(request, instance=account)
    if request.method == "POST" and form.is_valid():
        with refusal_shown(request, form=form):
            services.account_update(account=account, fields=form.cleaned_data, by=request.user)
            messages.success(request, _("Đã lưu tài khoản %(name)s.") % {"name": account.username})
            return redirect("staff_accounts:list")
    return render(request, "staff_accounts/form.html", {"form": form, "account": account})


def _set_active(request, pk: int, *, active: bool) -> HttpResponse:
    scoping.require_not_ministry(request.user)  # reads every province, manages nobody: 403, not 404
    account = selectors.managed_account_or_404(user=request.user, pk=pk)  # 404 for anyone who manages nobody
    with refusal_shown(request):
        services.account_set_active(account=account, active=active, by=request.user)
        text = _("Đã mở lại tài khoản %(name)s.") if active else _("Đã khóa tài khoản %(name)s.")
        messages.success(request, text % {"name": account.username})
    return redirect("staff_accounts:edit", pk=account.pk)


@login_required
@require_POST
def account_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    return _set_active(request, pk, active=False)


@login_required
@require_POST
def account_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    return _set_active(request, pk, active=True)


@login_required
@require_POST
def account_password(request: HttpRequest, pk: int) -> HttpResponse:
    scoping.require_not_ministry(request.user)  # reads every province, manages nobody: 403, not 404
    account = selectors.managed_account_or_404(user=request.user, pk=pk)  # 404 for anyone who manages nobody
    with refusal_shown(request):
        issued = services.account_password_reset(account=account, by=request.user)
        return _passwords_page(request, [issued], title=_("Mật khẩu mới"))
    return redirect("staff_accounts:edit", pk=account.pk)


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    scoping.require_province_level(request.user)
    columns = [Column(h, TEXT, 24) for h in HEADERS]
    body = write_workbook([Sheet(title=_("Tài khoản"), columns=columns, rows=EXAMPLE_ROWS)])
    response = HttpResponse(body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="mau-nhap-tai-khoan.xlsx"'
    return response


@login_required
def import_upload(request: HttpRequest) -> HttpResponse:
    """Step 1: upload and check every row; show what would be created, what is already there, each bad row."""
    scoping.require_province_level(request.user)
    form = AccountImportForm(request.POST or None, request.FILES or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        try:
            parsed = parse_accounts(uploaded, uploaded.name, by=request.user)
        except SpreadsheetError as exc:
            form.add_error("file", str(exc))
        else:
            context.update(parsed=parsed, file_name=uploaded.name)
            if not parsed.errors and parsed.new:
                uploaded.seek(0)
                request.session[IMPORT_SESSION_KEY] = {"token": stage_upload(uploaded), "name": uploaded.name}
    return render(request, "staff_accounts/import.html", context)


@login_required
@require_POST
def import_confirm(request: HttpRequest) -> HttpResponse:
    """Step 2: read the staged file again and create every new account or none; the answer is the printable
    list of first-time passwords (never stored: printed now or given again one by one)."""
    scoping.require_province_level(request.user)
    staged = request.session.pop(IMPORT_SESSION_KEY, None)
    path = staged_path(staged["token"]) if staged else None
    if path is None:
        messages.error(request, _("Không còn tệp chờ nhập; vui lòng tải tệp lên lại."))
        return redirect("staff_accounts:import")
    try:
        with path.open("rb") as handle:
            parsed = parse_accounts(handle, staged["name"], by=request.user)
    except SpreadsheetError as exc:
        messages.error(request, str(exc))
        return redirect("staff_accounts:import")
    finally:
        discard_staged(staged["token"])
    if parsed.errors:
        messages.error(request, " ".join(parsed.errors[:5]))
        return redirect("staff_accounts:import")
    with refusal_shown(request):
        issued = services.accounts_import(rows=[r.fields for r in parsed.new], by=request.user)
        return _passwords_page(request, issued, title=_("Danh sách tài khoản mới"))
    return redirect("staff_accounts:import")
