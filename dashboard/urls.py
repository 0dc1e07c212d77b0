from django.urls import path

from dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("pilotage/", views.index, name="index"),
    path("pilotage/objectifs/", views.targets, name="targets"),
    path("pilotage/<slug:table>.csv", views.export_csv, name="export_csv"),
]
