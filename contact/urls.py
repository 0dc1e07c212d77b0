from django.urls import path

import core.converters  # noqa: F401 - registers <token:…> and <id:…>
from contact import views

app_name = "contact"
urlpatterns = [
    path("trouver-un-ambassadeur/", views.find, name="find"),
    path("ambassadeurs/<slug:slug>/contact/", views.contact, name="contact"),
    path("demande/envoyee/", views.sent, name="sent"),
    path("demande/<token:token>/", views.followup, name="followup"),
    path("demande/<token:token>/avis/", views.feedback, name="feedback"),
    path("demande/<token:token>/ecrire/", views.company_message, name="company_message"),
    path("demande/<token:token>/effacer/", views.erase, name="erase"),
    path("demande/<token:token>/corriger/", views.correct, name="correct"),
    path("demande/<token:token>/donnees.json", views.personal_data, name="personal_data"),
    path("espace/demandes/", views.inbox, name="inbox"),
    path("espace/demandes/disponibilite/", views.availability, name="availability"),
    path("espace/demandes/<id:pk>/", views.detail, name="detail"),
    path("espace/demandes/<id:pk>/ecrire/", views.message, name="message"),
    path("espace/demandes/<id:pk>/partage/", views.share, name="share"),
    path("espace/demandes/<id:pk>/<slug:action>/", views.act, name="act"),
]
