from django.core.exceptions import PermissionDenied
from django.shortcuts import render


def index(request):
    """Placeholder until the indicators land (issue 7)."""
    if not (request.user.is_coordinator or request.user.is_reviewer):
        raise PermissionDenied
    return render(request, "dashboard/index.html", {})
