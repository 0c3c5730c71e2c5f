from django.contrib import admin

from courses.models import ProgrammeKind, ProvinceProgrammeKind


@admin.register(ProgrammeKind)
class ProgrammeKindAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "order", "is_active"]


@admin.register(ProvinceProgrammeKind)
class ProvinceProgrammeKindAdmin(admin.ModelAdmin):
    """The kinds each province hides (its officials tick them at /lop-hoc/loai-chuong-trinh/)."""

    list_display = ["province", "programme_kind", "hidden_at", "hidden_by"]
    list_filter = ["province"]
    list_select_related = ["province", "programme_kind", "hidden_by"]
    readonly_fields = ["hidden_at"]
