from django.urls import path

from core import converters  # noqa: F401  (registers <postcode:...>)
from territories import views

app_name = "territories"
urlpatterns = [
    path("codes-postaux/<postcode:postcode>/", views.postcode_lookup, name="postcode_lookup"),
    path("adresses/suggestions/", views.address_suggestions, name="address_suggestions"),
]
