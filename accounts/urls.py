from django.urls import path
from django.views.decorators.cache import never_cache

from accounts import proconnect, views

app_name = "accounts"
urlpatterns = [
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("deconnexion/", views.LogoutView.as_view(), name="logout"),
    # ProConnect (accounts/proconnect.py): 404 while it is not configured.
    path("connexion/proconnect/", never_cache(proconnect.LoginView.as_view()), name="proconnect_login"),
    path(
        "connexion/proconnect/retour/",
        never_cache(proconnect.CallbackView.as_view()),
        name="proconnect_callback",
    ),
    path(
        "deconnexion/proconnect/",
        never_cache(proconnect.LoggedOutView.as_view()),
        name="proconnect_logged_out",
    ),
    path("compte/activer/<uidb64>/<token>/", views.ActivateView.as_view(), name="activate"),
    path("connexion/mot-de-passe-oublie/", views.password_link, name="password_link"),
    path("connexion/mot-de-passe-oublie/envoye/", views.password_link_sent, name="password_link_sent"),
    path("espace/", views.dashboard, name="dashboard"),
    path("espace/compte/", views.account, name="account"),
    path("espace/compte/adresse/<str:token>/", views.email_confirm, name="email_confirm"),
    path("espace/journal/", views.audit_log, name="audit_log"),
]
