from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("core.urls")),
    path("", include("ambassadors.urls")),
    path("", include("accounts.urls")),
    path("", include("recruitment.urls")),
    path("", include("agenda.urls")),
    path("", include("contact.urls")),
    path("", include("diagnostic.urls")),
    path("", include("dashboard.urls")),
    path("", include("api.urls")),
    path("territoires/", include("territories.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "core.views.bad_request"
handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"
