from django.urls import path, register_converter

from contact import views


class TokenConverter:
    regex = r"[A-Za-z0-9_-]{20,64}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


class IdConverter:
    regex = r"[0-9]{1,9}"  # a database id: never more digits than an integer column holds

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


register_converter(TokenConverter, "request_token")
register_converter(IdConverter, "request_id")

app_name = "contact"
urlpatterns = [
    path("trouver-un-ambassadeur/", views.find, name="find"),
    path("ambassadeurs/<slug:slug>/contact/", views.contact, name="contact"),
    path("demande/envoyee/", views.sent, name="sent"),
    path("demande/<request_token:token>/", views.followup, name="followup"),
    path("demande/<request_token:token>/avis/", views.feedback, name="feedback"),
    path("demande/<request_token:token>/effacer/", views.erase, name="erase"),
    path("espace/demandes/", views.inbox, name="inbox"),
    path("espace/demandes/disponibilite/", views.availability, name="availability"),
    path("espace/demandes/<request_id:pk>/", views.detail, name="detail"),
    path("espace/demandes/<request_id:pk>/<slug:action>/", views.act, name="act"),
]
