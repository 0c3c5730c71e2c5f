from django.contrib import admin

from courses.models import ProgrammeKind


@admin.register(ProgrammeKind)
class ProgrammeKindAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "order", "is_active"]
