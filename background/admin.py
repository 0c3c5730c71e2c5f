from django.contrib import admin

from background.models import PeriodicRun


@admin.register(PeriodicRun)
class PeriodicRunAdmin(admin.ModelAdmin):
    # What ran when: written by `manage.py run_periodic` only.
    list_display = ["task", "slot", "enqueued_at", "result_id"]
    list_filter = ["task"]
    readonly_fields = ["task", "slot", "enqueued_at", "result_id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
