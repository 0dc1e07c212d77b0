"""The person's data page (« Mes données »: see, download, correct, ask erasure, ask a change of regions) and
the coordinator's « Mettre fin au mandat ». The rules are in ``ambassadors.data_rights``."""

import json

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from ambassadors import data_rights, rules, services
from ambassadors.selectors import ambassadors_for_user
from core.formats import french_date, local


class EndMandateForm(forms.Form):
    reason = forms.CharField(
        label="Motif",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Communiqué à la personne par courriel.",
        error_messages={"required": "Indiquez le motif de la fin du mandat."},
    )


class TerritoryChangeForm(forms.Form):
    message = forms.CharField(
        label="Votre demande",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Les régions ou départements à ajouter ou à retirer, et pourquoi.",
        error_messages={"required": "Écrivez votre demande avant de l’envoyer."},
    )


def _own_profile(request):
    return getattr(request.user, "ambassador", None) if request.user.is_ambassador else None


def _private(response):
    # Everything here is the person's own data: never in a shared cache, nor in the browser's history cache.
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
def my_data(request):
    ambassador = _own_profile(request)
    form = TerritoryChangeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if ambassador is None:
            raise Http404
        if form.is_valid():
            try:
                data_rights.ambassador_ask_territory_change(
                    ambassador=ambassador, by=request.user, message=form.cleaned_data["message"]
                )
            except services.AmbassadorError as exc:
                form.add_error("message", str(exc))
        if form.is_valid():
            messages.success(
                request, "Votre demande est envoyée à la coordination : elle vous répondra par courriel."
            )
            return redirect("ambassadors:my_data")
        status = 400
    context = {
        "ambassador": ambassador,
        "sections": data_rights.personal_data(request.user),
        "form": form,
        "coordinators": data_rights.coordinators_of(ambassador) if ambassador else [],
    }
    return _private(render(request, "ambassadors/my_data.html", context, status=status))


@require_GET
def my_data_export(request):
    payload = data_rights.personal_data_json(request.user)
    response = HttpResponse(
        json.dumps(payload, ensure_ascii=False, indent=1), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="mes-donnees-ambassadeurs-ia.json"'
    return _private(response)


@require_http_methods(["GET", "POST"])
def my_data_erase(request):
    ambassador = _own_profile(request)
    if ambassador is None:
        raise Http404
    if request.method == "POST":
        data_rights.ambassador_request_erasure(ambassador=ambassador, by=request.user)
        logout(request)
        return redirect("ambassadors:erasure_requested")
    return _private(render(request, "ambassadors/my_data_erase.html", {"ambassador": ambassador}))


@login_not_required
@require_GET
@never_cache
def erasure_requested(request):
    return render(request, "ambassadors/erasure_requested.html")


@require_http_methods(["GET", "POST"])
def manage_end_mandate(request, pk):
    ambassador = get_object_or_404(ambassadors_for_user(request.user), pk=pk)
    if not rules.can_end_mandate(request.user, ambassador):
        raise PermissionDenied
    form = EndMandateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            data_rights.ambassador_end_mandate(
                ambassador=ambassador, by=request.user, reason=form.cleaned_data["reason"]
            )
        except services.AmbassadorError as exc:
            form.add_error("reason", str(exc))
        else:
            erased_on = french_date(
                local(ambassador.mandate_ended_at + data_rights.MANDATE_RETENTION), weekday=False
            )
            messages.success(
                request,
                f"Le mandat a pris fin : le profil n’est plus public et sera effacé le {erased_on}. "
                "La personne est prévenue par courriel.",
            )
            return redirect("ambassadors:manage_detail", pk=ambassador.pk)
    return render(
        request,
        "ambassadors/manage_end_mandate.html",
        {"ambassador": ambassador, "form": form, "now": timezone.now()},
        status=400 if request.method == "POST" else 200,
    )
