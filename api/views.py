"""Back office of partner keys: the national coordination issues and revokes them."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from api import rules, services
from api.forms import ApiKeyForm
from api.models import ApiKey


def _national(request):
    if not rules.can_manage_keys(request.user):
        raise PermissionDenied


def key_list(request):
    _national(request)
    form = ApiKeyForm(request.POST or None)
    new_key = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            _key, new_key = services.api_key_issue(
                by=request.user,
                name=form.cleaned_data["name"],
                contact_email=form.cleaned_data["contact_email"],
                regions=list(form.cleaned_data["regions"]),
            )
            form = ApiKeyForm()
        else:
            status = 400
    keys = ApiKey.objects.prefetch_related("regions").select_related("created_by")
    response = render(
        request, "api/key_list.html", {"form": form, "keys": keys, "new_key": new_key}, status=status
    )
    response["Cache-Control"] = "private, no-store"  # the new key is on this page, once
    return response


@require_POST
def key_revoke(request, pk):
    _national(request)
    key = get_object_or_404(ApiKey, pk=pk)
    services.api_key_revoke(by=request.user, key=key)
    messages.success(
        request, f"La clé {key.prefix} de « {key.name} » est révoquée : elle ne fonctionne plus."
    )
    return redirect("api_keys:list")
