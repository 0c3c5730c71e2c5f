from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from centres.models import BoardMember, Centre, Instructor, InstructorAssignment


@admin.register(Centre)
class CentreAdmin(SimpleHistoryAdmin):
    list_display = ["name", "commune", "status", "review_office"]
    list_filter = ["status"]
    search_fields = ["name", "commune__code", "commune__name"]
    list_select_related = ["commune", "review_office"]
    autocomplete_fields = ["commune", "merged_into", "review_office"]


@admin.register(BoardMember)
class BoardMemberAdmin(SimpleHistoryAdmin):
    list_display = ["full_name", "position", "centre", "term_start", "term_end"]
    list_filter = ["position"]
    search_fields = ["full_name", "centre__name", "centre__commune__code"]
    list_select_related = ["centre"]
    autocomplete_fields = ["centre"]

    def has_delete_permission(self, request, obj=None) -> bool:
        # Nothing is destroyed (issue 14.2): a term is deleted from its edit page, archived, restorable.
        return False


class AssignmentInline(admin.TabularInline):
    model = InstructorAssignment
    extra = 0
    autocomplete_fields = ["centre"]


@admin.register(Instructor)
class InstructorAdmin(SimpleHistoryAdmin):
    list_display = ["full_name", "gender", "birth_year", "field", "phone"]
    search_fields = ["full_name", "phone"]
    inlines = [AssignmentInline]
