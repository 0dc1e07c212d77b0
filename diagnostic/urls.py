from django.urls import path

import core.converters  # noqa: F401 - registers <token:…> and <id:…>
from diagnostic import views

app_name = "diagnostic"
urlpatterns = [
    path("diagnostic/", views.questionnaire, name="questionnaire"),
    path("diagnostic/etape-<id:step>/", views.questionnaire, name="step"),
    path("diagnostic/resultat/<token:token>/", views.result, name="result"),
    path("diagnostic/statistiques/", views.statistics, name="statistics"),
]
