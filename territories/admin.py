from django.contrib import admin

from territories.models import Commune, Departement, NafActivity, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "zone", "timezone"]


@admin.register(Departement)
class DepartementAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "region"]
    list_filter = ["region"]


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "departement"]
    search_fields = ["code", "name"]
    list_select_related = ["departement"]


@admin.register(NafActivity)
class NafActivityAdmin(admin.ModelAdmin):
    list_display = ["code", "level", "label"]
    list_filter = ["level", "version"]
