from django.urls import path, register_converter

from diagnostic import views


class TokenConverter:
    regex = r"[A-Za-z0-9_-]{20,64}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(TokenConverter, "result_token")

app_name = "diagnostic"
urlpatterns = [
    path("diagnostic/", views.questionnaire, name="questionnaire"),
    path("diagnostic/resultat/<result_token:token>/", views.result, name="result"),
    path("diagnostic/statistiques/", views.statistics, name="statistics"),
]
