from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import Office, User

admin.site.site_header = _("Quản trị cổng TTHTCĐ")
admin.site.site_title = _("Quản trị TTHTCĐ")


def _admin_only(request) -> bool:
    # The admin site is for administrators only, whatever is_staff says.
    user = request.user
    return user.is_active and (user.is_superuser or (user.is_staff and user.role == User.Role.ADMIN))


admin.site.has_permission = _admin_only


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "centre", "office", "province", "is_active"]
    list_filter = ["role", "is_active"]
    list_select_related = ["centre", "office", "province"]
    autocomplete_fields = ["centre", "office", "province"]
    fieldsets = [
        *UserAdmin.fieldsets,
        (_("Vai trò và phạm vi"), {"fields": ["role", "centre", "office", "province", "position", "phone"]}),
    ]
    add_fieldsets = [
        *UserAdmin.add_fieldsets,
        (_("Vai trò và phạm vi"), {"fields": ["role", "centre", "office", "province"]}),
    ]


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "province", "district"]
    list_filter = ["kind"]
    search_fields = ["name"]
    list_select_related = ["province", "district"]
