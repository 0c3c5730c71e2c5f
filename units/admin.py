from django.contrib import admin

from units.models import Commune, District, Province


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "valid_from", "valid_until", "merged_into"]
    search_fields = ["code", "name"]


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "province", "valid_from", "valid_until"]
    list_filter = ["province"]
    search_fields = ["code", "name"]
    list_select_related = ["province"]


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "district", "province", "valid_from", "valid_until"]
    list_filter = ["kind", "province"]
    search_fields = ["code", "name"]
    list_select_related = ["district", "province"]
    autocomplete_fields = ["district", "merged_into"]
