from django.urls import path

from core import exports
from dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("pilotage/", views.index, name="index"),
    path("pilotage/objectifs/", views.targets, name="targets"),
    path("pilotage/<slug:table>.csv", views.export, {"fmt": exports.CSV}, name="export_csv"),
    path("pilotage/<slug:table>.xlsx", views.export, {"fmt": exports.XLSX}, name="export_xlsx"),
]
