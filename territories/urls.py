from django.urls import path

from territories import views

app_name = "territories"
urlpatterns = [
    path("codes-postaux/<str:postcode>/", views.postcode_lookup, name="postcode_lookup"),
]
