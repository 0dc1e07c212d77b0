from django.urls import path, re_path

import core.converters  # noqa: F401 - registers <id:…>
from agenda import views, views_imports

app_name = "agenda"
urlpatterns = [
    path("agenda/", views.agenda_list, name="list"),
    path("agenda/passes/", views.agenda_past, name="past"),
    path("agenda/mois/", views.agenda_month, name="month"),
    # ASCII digits only (« ٢٠٢٧ » is no year here); a month that does not exist is the view's 404.
    re_path(r"^agenda/mois/(?P<month>[0-9]{4}-[0-9]{2})/$", views.agenda_month, name="month"),
    path("agenda/flux.ics", views.feed_ics, name="feed_ics"),
    path("agenda/flux.rss", views.EventsRss(), name="feed_rss"),
    path("agenda/flux.atom", views.EventsAtom(), name="feed_atom"),
    path("agenda/<slug:slug>.ics", views.event_ics, name="event_ics"),
    path("agenda/<slug:slug>/", views.event_detail, name="detail"),
    path("espace/evenements/", views.manage_list, name="manage_list"),
    path("espace/evenements/nouveau/", views.manage_edit, name="manage_create"),
    path("espace/evenements/<id:pk>/", views.manage_detail, name="manage_detail"),
    path("espace/evenements/<id:pk>/modifier/", views.manage_edit, name="manage_edit"),
    path("espace/evenements/<id:pk>/moderer/", views.manage_moderate, name="manage_moderate"),
    path("espace/evenements/<id:pk>/statut/", views.manage_status, name="manage_status"),
    path("espace/evenements/sources/", views_imports.source_list, name="source_list"),
    path("espace/evenements/sources/nouvelle/", views_imports.source_create, name="source_create"),
    path("espace/evenements/sources/<id:pk>/", views_imports.source_detail, name="source_detail"),
    path("espace/evenements/sources/<id:pk>/importer/", views_imports.source_import, name="source_import"),
]
