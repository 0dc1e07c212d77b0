from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt

from api.api import api, json_errors_outside_operations, not_found

_patterns, _app, _namespace = api.urls
for _pattern in _patterns:
    _pattern.callback = json_errors_outside_operations(_pattern.callback)
    # The API is public or authenticated by its own keys: not by the site's login (LoginRequiredMiddleware).
    _pattern.callback.login_required = False
not_found.login_required = False
_patterns.append(re_path(r"^", csrf_exempt(not_found)))

urlpatterns = [path("api/v1/", (_patterns, _app, _namespace)), path("", include("api.urls_backoffice"))]
