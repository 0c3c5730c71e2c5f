"""The navigation bar, by role. Each app adds its entries to NAV_ITEMS; an entry whose URL name does not
resolve (an app not yet installed) or whose role check fails is left out."""

from django.urls import get_script_prefix, get_urlconf
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from accounts import scoping
from reminders.selectors import remembered_count
from tthtcd_portal.fixed_urls import fixed_url

ANY = "any"
REVIEWER_OR_ABOVE = "reviewer_or_above"
PROVINCE = "province"
ADMIN = "admin"
STAFF = "staff"
WORKS_IN_A_PROVINCE = "in_a_province"  # everyone but the Ministry, which has no deadlines or reminders

# (label, url name, who sees it, where): BAR on the menu bar itself, MORE under its "Khác" dropdown. The bar holds
# the daily work and stays one line at 1280 px for the role with the most entries (the province: six and "Khác");
# the programmes run a few times a year, and the administration, wait one click further.
BAR = "bar"
MORE = "more"
NAV_ITEMS = [
    (_("Trung tâm của tôi"), "centres:mine", STAFF, BAR),
    # "menu" context: English needs the plural here ("Centres") where table headings say "Centre".
    (pgettext_lazy("menu", "Trung tâm"), "centres:list", REVIEWER_OR_ABOVE, BAR),
    (_("Lớp học"), "courses:list", ANY, BAR),
    (_("Ghi khi mất mạng"), "offline", STAFF, BAR),
    (_("Đánh giá xếp loại"), "evaluations:home", ANY, BAR),
    (_("Nhắc việc"), "reminders:list", WORKS_IN_A_PROVINCE, BAR),
    (_("Số liệu"), "reports:dashboard", ANY, BAR),
    (_("Báo cáo"), "reports:exports", REVIEWER_OR_ABOVE, BAR),
    (_("Thư viện"), "library:home", ANY, MORE),
    (_("Nguồn lực"), "resources:home", ANY, MORE),
    (_("Tập huấn"), "training:list", ANY, MORE),
    (_("Học liệu"), "materials:list", ANY, MORE),
    (_("Nhu cầu, kế hoạch"), "planning:plans", ANY, MORE),
    (_("Tài khoản"), "staff_accounts:list", PROVINCE, MORE),
    (_("Nhập đơn vị hành chính"), "units:import", ADMIN, MORE),
]

_CHECKS = {
    ANY: lambda user: True,
    STAFF: lambda user: user.is_centre_staff,
    REVIEWER_OR_ABOVE: scoping.is_reviewer_or_above,
    PROVINCE: scoping.is_province_level,
    ADMIN: lambda user: user.is_superuser or user.is_administrator,
    WORKS_IN_A_PROVINCE: lambda user: not scoping.is_ministry(user),
}


# (URL configuration, script prefix, language, role, superuser, active) -> the entries that user sees, as
# (label, url, url name, where): the checks read only these attributes, so the list is the same for every page of every
# such user; each page then only marks its active entry and the reminders' count.
_visible: dict[tuple, tuple[tuple[str, str, str, str], ...]] = {}


def _entries(user) -> tuple[tuple[str, str, str, str], ...]:
    key = (get_urlconf(), get_script_prefix(), get_language(), user.role, user.is_superuser, user.is_active)
    try:
        return _visible[key]
    except KeyError:
        pass
    entries = []
    for label, url_name, who, where in NAV_ITEMS:
        if not _CHECKS[who](user):
            continue
        url = fixed_url(url_name)  # None: the app is not installed
        if url is not None:
            entries.append((str(label), url, url_name, where))
    _visible[key] = entries = tuple(entries)
    return entries


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = []
    path = request.path
    for label, url, url_name, where in _entries(user):
        item = {"label": label, "url": url, "active": path.startswith(url), "more": where == MORE}
        if url_name == "reminders:list":
            # The count the home page or the reminders page last computed (cached): the menu never queries.
            item["count"] = remembered_count(user)
        items.append(item)
    return {"nav_items": items}
