from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from planning.models import ActivityPlan, NeedSurvey, NeedTally, PlanLine


class NeedTallyInline(admin.TabularInline):
    model = NeedTally
    extra = 0


@admin.register(NeedSurvey)
class NeedSurveyAdmin(SimpleHistoryAdmin):
    list_display = ["centre", "year", "updated_at"]
    list_filter = ["year"]
    raw_id_fields = ["centre", "updated_by"]
    inlines = [NeedTallyInline]


class PlanLineInline(admin.TabularInline):
    model = PlanLine
    extra = 0


@admin.register(ActivityPlan)
class ActivityPlanAdmin(SimpleHistoryAdmin):
    list_display = ["centre", "year", "status", "decision_number", "decision_date"]
    list_filter = ["year", "status"]
    raw_id_fields = ["centre", "approval_recorded_by"]
    inlines = [PlanLineInline]
