from django.urls import path

from ambassadors import views, views_data_rights
from core import converters  # noqa: F401  (registers <region_code:...>)
from core.exports import CSV, XLSX

app_name = "ambassadors"
urlpatterns = [
    path("", views.home, name="home"),
    path("ambassadeurs/", views.directory, name="directory"),
    path("ambassadeurs/<slug:slug>/", views.ambassador_detail, name="detail"),
    path("regions/", views.region_list, name="region_list"),
    path("regions/<region_code:code>/", views.region_detail, name="region_detail"),
    path("regions/<region_code:code>/integration/", views.region_embed, name="region_embed"),
    path("donnees/", views.open_data, name="open_data"),
    path("donnees/ambassadeurs.csv", views.export_csv, name="export_csv"),
    path("donnees/ambassadeurs.json", views.export_json, name="export_json"),
    path("donnees/activateurs-france-num.csv", views.export_france_num, name="export_france_num"),
    path("espace/ambassadeurs/", views.manage_list, name="manage_list"),
    path("espace/ambassadeurs/export.csv", views.manage_export, {"fmt": CSV}, name="manage_export_csv"),
    path("espace/ambassadeurs/export.xlsx", views.manage_export, {"fmt": XLSX}, name="manage_export_xlsx"),
    path("espace/ambassadeurs/<id:pk>/", views.manage_detail, name="manage_detail"),
    path("espace/ambassadeurs/<id:pk>/modifier/", views.manage_edit, name="manage_edit"),
    path("espace/ambassadeurs/<id:pk>/apercu/", views.manage_preview, name="manage_preview"),
    path("espace/ambassadeurs/<id:pk>/publier/", views.manage_publish, name="manage_publish"),
    path("espace/ambassadeurs/<id:pk>/retirer/", views.manage_unpublish, name="manage_unpublish"),
    path("espace/ambassadeurs/<id:pk>/consentement/", views.manage_consent, name="manage_consent"),
    path("espace/ambassadeurs/<id:pk>/confiance/", views.manage_trust, name="manage_trust"),
    path(
        "espace/ambassadeurs/<id:pk>/fin-de-mandat/",
        views_data_rights.manage_end_mandate,
        name="manage_end_mandate",
    ),
    path("espace/mes-donnees/", views_data_rights.my_data, name="my_data"),
    path("espace/mes-donnees/export.json", views_data_rights.my_data_export, name="my_data_export"),
    path("espace/mes-donnees/effacement/", views_data_rights.my_data_erase, name="my_data_erase"),
    path("effacement-demande/", views_data_rights.erasure_requested, name="erasure_requested"),
]
