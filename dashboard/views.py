import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache

from core import exports
from core.formats import french_month, french_number
from dashboard import caching, maps, rules, selectors, services
from dashboard.forms import RegionTargetsForm
from dashboard.models import NATIONAL_TARGET, RegionTarget
from dashboard.tables import export_rows
from territories.models import Region


def _scope(request) -> selectors.Scope:
    scope = selectors.scope_for(request.user)  # None without a steering page (rules.can_view)
    if scope is None:
        raise PermissionDenied
    return scope


def _series(values) -> str:
    """A list as DSFR Chart's attributes read it: JSON (the template escapes it into the attribute)."""
    return json.dumps(values, ensure_ascii=False)


def _plural(n: int, word: str) -> str:
    """« 0 reçue », « 1 reçue », « 2 reçues » (French: the singular below 2); the figure as the tables write it."""
    return f"{french_number(n)} {word}{'s' if n > 1 else ''}"


def _trend(trend: selectors.Trend, names: dict[str, str], about) -> dict:
    """A line chart of counts by month (one line per name of ``names``, in its order), and its table's rows: the
    month, then one count per line. ``about(*totals)``, the totals of the lines, follows its title."""
    months = [french_month(month) for month in trend.months]
    series = [trend.series[key] for key in names]
    totals = [sum(counts) for counts in series]
    return {
        "x": _series([months] * len(series)),
        "y": _series(series),
        "name": _series(list(names.values())),
        "names": list(names.values()),
        "rows": [(month, *counts) for month, *counts in zip(months, *series, strict=True)],
        "totals": totals,
        "about": about(*totals),
    }


def charts(context: dict) -> dict:
    """The charts of the page, drawn from the figures of its tables and trends (no query of their own): each one's
    x and y as DSFR Chart reads them (``<line-chart x='[[…]]' y='[[…]]'>``), and the rows of the table shown
    beside it."""
    events = context["events_by_month"]
    months = [column.title or column.label for column in events.columns[1:-1]]
    per_month = [sum(row[1 + i] for row in events.rows) for i in range(len(months))]
    shares = [s for s in context["profile_shares"] if s.share is not None]
    labels = [s.label for s in shares]
    return {
        "events": {
            "x": _series([months]),
            "y": _series([per_month]),
            "name": _series(["Événements publiés"]),
            "rows": list(zip(months, per_month, strict=True)),
            "total": sum(per_month),
        },
        "designations": _trend(
            context["designations_by_month"],
            {"designated": "Ambassadeurs désignés"},
            lambda n: f"{french_number(n)} sur la période, par date de désignation",
        ),
        "applications": _trend(
            context["applications_by_month"],
            {"received": "Candidatures reçues"},
            lambda n: f"{french_number(n)} sur la période, tous appels confondus, par date de dépôt",
        ),
        "requests": _trend(
            context["requests_by_month"],
            {"received": "Demandes reçues", "answered": "Échanges réalisés"},
            lambda received, answered: (
                f"{_plural(received, 'reçue')} et "
                f"{_plural(answered, 'échange')} réalisé{'s' if answered > 1 else ''} sur la période"
            ),
        ),
        "profiles": {
            "x": _series([labels, labels]),
            "y": _series([[s.share for s in shares], [s.baseline for s in shares]]),
            "name": _series(["Périmètre", "Référence nationale"]),
            "rows": [(s.label, s.share, s.baseline) for s in shares],
        }
        if shares
        else None,
    }


def _figures_html(
    scope: selectors.Scope, is_coordinator: bool, parts: dict, *, renew: bool = False
) -> tuple[str, object]:
    """Every figure of the page, as HTML, and the instant the oldest of its sections was read: what
    ``caching.kept`` keeps (the template writes some 3,000 cells). The sections come from the cache while what
    they read has not changed (``selectors.page.overview_kept``)."""
    context, computed_at = selectors.overview_kept(scope, parts, renew=renew)
    names = dict(Region.objects.values_list("code", "name"))
    context |= {
        "tiles": maps.tiles(context["figures"], names),
        "legend": maps.LEGEND,
        "map": maps.GEOMETRY,
        "is_coordinator": is_coordinator,
    }
    context["charts"] = charts(context)
    return render_to_string("dashboard/figures.html", context), computed_at


def page_figures(scope: selectors.Scope, is_coordinator: bool, *, renew: bool = False) -> tuple[str, object]:
    """The HTML of the page's figures for a scope and a role, and when they were read: kept (``caching.kept``),
    or computed. ``renew``: computed again, for the worker that keeps the coordinations' pages ready
    (``dashboard.tasks.refresh_figures``)."""
    parts = caching.versions()
    return caching.kept(
        "page",
        (scope.access, is_coordinator),
        lambda: _figures_html(scope, is_coordinator, parts, renew=renew),
        version=caching.data_version(parts),
        dated=True,
        renew=renew,
    )


@never_cache
def index(request):
    scope = _scope(request)
    figures, computed_at = page_figures(scope, request.user.is_coordinator)
    context = {
        "scope": scope,
        "figures": mark_safe(figures),  # written by our template, escaped there  # noqa: S308
        "can_set_targets": rules.can_set_targets(request.user),
        "computed_at": computed_at,
    }
    return render(request, "dashboard/index.html", context)


def _export(scope: selectors.Scope, builder, table: str, fmt: str):
    built = builder(scope)
    return exports.export_response(
        fmt,
        header=built.csv_header,
        rows=export_rows(built),
        filename=f"pilotage-{table}",
        title=built.caption,
    )


@never_cache
def export(request, table, fmt):
    """``/pilotage/<tableau>.csv`` and ``.xlsx``: the table of the page, in the user's scope, with its total row."""
    scope = _scope(request)
    builder = selectors.tables_for_csv().get(table)
    if builder is None:
        raise Http404("Tableau inconnu.")
    # Kept as the page's figures (dashboard/caching.py), written: the table of every active ambassador reads all
    # the events (0.3 s on the bench data), then writing its 5,000 rows takes 30 ms in CSV, more in XLSX.
    response, _computed_at = caching.kept(
        "export",
        (table, fmt, scope.access),
        lambda: _export(scope, builder, table, fmt),
    )
    return response


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
