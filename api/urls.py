from django.urls import include, path

from api.api import api

_patterns, _app, _namespace = api.urls
for _pattern in _patterns:
    # The API is public or authenticated by its own keys: not by the site's login (LoginRequiredMiddleware).
    _pattern.callback.login_required = False

urlpatterns = [path("api/v1/", (_patterns, _app, _namespace)), path("", include("api.urls_backoffice"))]
