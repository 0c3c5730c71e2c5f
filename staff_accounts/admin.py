from django.contrib import admin

from staff_accounts.models import AccountChange


@admin.register(AccountChange)
class AccountChangeAdmin(admin.ModelAdmin):
    list_display = ["at", "action", "account", "by", "province"]
    list_filter = ["action"]
    readonly_fields = ["account", "province", "action", "changes", "by", "at"]
