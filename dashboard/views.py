from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from core import exports
from dashboard import maps, rules, selectors, services
from dashboard.forms import RegionTargetsForm
from dashboard.models import NATIONAL_TARGET, RegionTarget
from dashboard.tables import export_rows
from territories.models import Region


def _scope(request) -> selectors.Scope:
    scope = selectors.scope_for(request.user) if rules.can_view(request.user) else None
    if scope is None:
        raise PermissionDenied
    return scope


@never_cache
def index(request):
    scope = _scope(request)
    context = selectors.overview(scope)
    names = dict(Region.objects.values_list("code", "name"))
    context |= {
        "scope": scope,
        "tiles": maps.tiles(context["figures"], names),
        "legend": maps.LEGEND,
        "map": maps.GEOMETRY,
        "can_set_targets": rules.can_set_targets(request.user),
        "computed_at": timezone.now(),
    }
    return render(request, "dashboard/index.html", context)


@never_cache
def export(request, table, fmt):
    """``/pilotage/<tableau>.csv`` and ``.xlsx``: the table of the page, in the user's scope, with its total row."""
    scope = _scope(request)
    builder = selectors.tables_for_csv().get(table)
    if builder is None:
        raise Http404("Tableau inconnu.")
    built = builder(scope)
    return exports.export_response(
        fmt,
        header=built.csv_header,
        rows=export_rows(built),
        filename=f"pilotage-{table}",
        title=built.caption,
    )


def targets(request):
    if not rules.can_set_targets(request.user):
        raise PermissionDenied
    regions = selectors.regions_in(selectors.Scope())
    current = dict(RegionTarget.objects.values_list("region_id", "target"))
    form = RegionTargetsForm(request.POST or None, regions=regions, current=current)
    if request.method == "POST" and form.is_valid():
        changed = services.region_targets_set(targets=form.targets(), by=request.user)
        messages.success(
            request,
            f"{changed} objectif{'s' if changed > 1 else ''} modifié{'s' if changed > 1 else ''}."
            if changed
            else "Aucun objectif n’a changé.",
        )
        return redirect("dashboard:index")
    return render(
        request,
        "dashboard/targets.html",
        {"form": form, "total": sum(current.values()), "national_target": NATIONAL_TARGET},
        status=400 if form.is_bound and not form.is_valid() else 200,
    )
