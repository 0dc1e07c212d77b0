from django.urls import path

from core import views

app_name = "core"
urlpatterns = [
    path("sante/", views.health, name="health"),
    path("accessibilite/", views.page, {"template": "core/accessibilite.html"}, name="accessibility"),
    path("mentions-legales/", views.page, {"template": "core/mentions_legales.html"}, name="legal"),
    path("donnees-personnelles/", views.page, {"template": "core/donnees_personnelles.html"}, name="privacy"),
]
