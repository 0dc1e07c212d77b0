from django.urls import path

import core.converters  # noqa: F401 - registers <id:…>
from api import views

app_name = "api_keys"
urlpatterns = [
    path("espace/cles-api/", views.key_list, name="list"),
    path("espace/cles-api/<id:pk>/revoquer/", views.key_revoke, name="revoke"),
]
