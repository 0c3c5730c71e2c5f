from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from training.models import TrainingAttendance, TrainingCourse, TrainingInvitation


class InvitationInline(admin.TabularInline):
    model = TrainingInvitation
    raw_id_fields = ["centre"]
    extra = 0


@admin.register(TrainingCourse)
class TrainingCourseAdmin(SimpleHistoryAdmin):
    list_display = ["title", "organiser", "start_date", "end_date", "province"]
    list_filter = ["organiser", "province"]
    search_fields = ["title", "topic"]
    inlines = [InvitationInline]


@admin.register(TrainingAttendance)
class TrainingAttendanceAdmin(SimpleHistoryAdmin):
    list_display = ["course", "centre", "role", "board_member", "instructor"]
    raw_id_fields = ["course", "centre", "board_member", "instructor"]
