from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from centres.models import Centre


@admin.register(Centre)
class CentreAdmin(SimpleHistoryAdmin):
    list_display = ["name", "commune", "status", "review_office"]
    list_filter = ["status"]
    search_fields = ["name", "commune__code", "commune__name"]
    list_select_related = ["commune", "review_office"]
    autocomplete_fields = ["commune", "merged_into", "review_office"]
