from django.contrib import admin

from evaluations.models import Assessment, AssessmentEvent, Criterion, EvaluationCycle, RatingThreshold, Rubric


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


class ThresholdInline(admin.TabularInline):
    model = RatingThreshold
    extra = 0


@admin.register(Rubric)
class RubricAdmin(admin.ModelAdmin):
    list_display = ["year", "province", "title", "is_starter", "frozen_at"]
    list_filter = ["province", "year"]
    list_select_related = ["province"]
    inlines = [CriterionInline, ThresholdInline]


@admin.register(EvaluationCycle)
class EvaluationCycleAdmin(admin.ModelAdmin):
    list_display = ["year", "province", "self_assessment_due", "review_due", "approval_due"]
    list_filter = ["province", "year"]
    list_select_related = ["province"]


class EventInline(admin.TabularInline):
    model = AssessmentEvent
    extra = 0
    can_delete = False
    readonly_fields = ["actor", "at", "action", "from_status", "to_status", "reason", "changes"]


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    # Read-only here: every change goes through the workflow services so it is recorded.
    list_display = ["centre", "year", "status", "self_score", "review_score", "rating"]
    list_filter = ["year", "status", "rating"]
    list_select_related = ["centre"]
    readonly_fields = [f.name for f in Assessment._meta.fields]
    inlines = [EventInline]

    def has_add_permission(self, request):
        return False
