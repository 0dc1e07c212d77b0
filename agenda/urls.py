from django.urls import path

from agenda import views, views_imports

app_name = "agenda"
urlpatterns = [
    path("agenda/", views.agenda_list, name="list"),
    path("agenda/passes/", views.agenda_past, name="past"),
    path("agenda/flux.ics", views.feed_ics, name="feed_ics"),
    path("agenda/flux.rss", views.EventsRss(), name="feed_rss"),
    path("agenda/flux.atom", views.EventsAtom(), name="feed_atom"),
    path("agenda/<slug:slug>.ics", views.event_ics, name="event_ics"),
    path("agenda/<slug:slug>/", views.event_detail, name="detail"),
    path("espace/evenements/", views.manage_list, name="manage_list"),
    path("espace/evenements/nouveau/", views.manage_edit, name="manage_create"),
    path("espace/evenements/<int:pk>/", views.manage_detail, name="manage_detail"),
    path("espace/evenements/<int:pk>/modifier/", views.manage_edit, name="manage_edit"),
    path("espace/evenements/<int:pk>/moderer/", views.manage_moderate, name="manage_moderate"),
    path("espace/evenements/<int:pk>/statut/", views.manage_status, name="manage_status"),
    path("espace/evenements/sources/", views_imports.source_list, name="source_list"),
    path("espace/evenements/sources/nouvelle/", views_imports.source_create, name="source_create"),
    path("espace/evenements/sources/<int:pk>/", views_imports.source_detail, name="source_detail"),
    path("espace/evenements/sources/<int:pk>/importer/", views_imports.source_import, name="source_import"),
]
