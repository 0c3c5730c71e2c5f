"""The reminders page: everything that concerns the user now, and their daily digest setting."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from reminders import selectors, services
from reminders.forms import DigestSettingForm
from tthtcd_portal.page_cache import snapshot_cached


@login_required
@snapshot_cached
def reminder_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        form = DigestSettingForm(request.POST)
        if form.is_valid():
            services.reminder_settings_update(user=user, daily_digest=form.cleaned_data["daily_digest"])
            if form.cleaned_data["daily_digest"]:
                messages.success(request, _("Bạn sẽ nhận thư nhắc việc mỗi sáng."))
            else:
                messages.success(request, _("Đã tắt thư nhắc việc hằng ngày."))
            return redirect("reminders:list")
    items = selectors.reminders_for(user=user, today=timezone.localdate())
    selectors.remember_count(user, items)
    form = DigestSettingForm(initial={"daily_digest": selectors.digest_wanted(user)})
    return render(request, "reminders/list.html", {"items": items, "form": form})
