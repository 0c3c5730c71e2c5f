from django.contrib import admin

from reminders.models import ReminderSettings


@admin.register(ReminderSettings)
class ReminderSettingsAdmin(admin.ModelAdmin):
    list_display = ["user", "daily_digest", "last_digest_on"]
    raw_id_fields = ["user"]
