from django.urls import path

from core import converters  # noqa: F401  (registers <token:...>)
from core.exports import CSV, XLSX
from recruitment import views

app_name = "recruitment"
urlpatterns = [
    path("ami/", views.ami, name="ami"),
    path("ami/envoyee/", views.ami_sent, name="ami_sent"),
    path("candidature/<token:token>/", views.status, name="status"),
    path("candidature/<token:token>/retirer/", views.withdraw, name="withdraw"),
    path("candidature/<token:token>/donnees.json", views.personal_data, name="personal_data"),
    path("candidature/<token:token>/corriger/", views.correct, name="correct"),
    path("candidature/<token:token>/message/", views.applicant_message, name="applicant_message"),
    path("candidature/<token:token>/effacer/", views.erase, name="erase"),
    path("candidature/effacee/", views.erased, name="erased"),
    path("espace/candidatures/", views.queue, name="queue"),
    path("espace/candidatures/export.csv", views.export, {"fmt": CSV}, name="export_csv"),
    path("espace/candidatures/export.xlsx", views.export, {"fmt": XLSX}, name="export_xlsx"),
    path("espace/candidatures/decision-groupee/", views.decide_bulk, name="decide_bulk"),
    path("espace/candidatures/<id:pk>/", views.detail, name="detail"),
    path("espace/candidatures/<id:pk>/avis/", views.review, name="review"),
    path("espace/candidatures/<id:pk>/decision/", views.decide, name="decide"),
    path("espace/candidatures/<id:pk>/correction/", views.request_correction, name="request_correction"),
    path("espace/candidatures/<id:pk>/reprendre/", views.resume, name="resume"),
    path("espace/candidatures/<id:pk>/message/", views.team_message, name="team_message"),
    path("espace/appels/", views.call_list, name="call_list"),
    path("espace/appels/nouveau/", views.call_edit, name="call_create"),
    path("espace/appels/<id:pk>/", views.call_edit, name="call_edit"),
]
