from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from materials.models import CourseMaterial, Material


@admin.register(Material)
class MaterialAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "status", "centre", "province", "issued_on"]
    list_filter = ["status", "kind", "province"]
    search_fields = ["title", "topic", "author"]
    raw_id_fields = ["centre", "uploaded_by", "reviewed_by"]


@admin.register(CourseMaterial)
class CourseMaterialAdmin(SimpleHistoryAdmin):
    list_display = ["course", "material", "added_at"]
    raw_id_fields = ["course", "material", "added_by"]
