"""The steering page (``SECTIONS``, ``overview_kept``) and its exports (``tables_for_csv``): every table of the other modules."""

from datetime import datetime

from dashboard import caching
from dashboard.selectors.activity import ambassador_activity
from dashboard.selectors.company_requests import requests_by_month, requests_tables, returns_and_availability
from dashboard.selectors.designations import (
    coverage,
    designations_by_month,
    designations_by_network,
    designations_by_profile,
    designations_by_region,
    region_figures,
)
from dashboard.selectors.diagnostic_profiles import diagnostics
from dashboard.selectors.events import (
    event_counts,
    events_by_format,
    events_by_origin,
    events_by_region_month,
)
from dashboard.selectors.recruitment import (
    applications_by_month,
    recruitment_by_call,
    recruitment_by_network,
    recruitment_by_region,
)
from dashboard.selectors.scope import Scope


def tables_for_csv() -> dict:
    """slug -> function(scope) returning the table, for /pilotage/<slug>.csv."""
    return {
        "designations-regions": designations_by_region,
        "designations-profils": designations_by_profile,
        "designations-reseaux": designations_by_network,
        "couverture-regions": lambda scope: coverage(scope)[0],
        "couverture-secteurs": lambda scope: coverage(scope)[1],
        "recrutement-appels": recruitment_by_call,
        "recrutement-regions": recruitment_by_region,
        "recrutement-reseaux": recruitment_by_network,
        "evenements-mois": events_by_region_month,
        "evenements-formats": events_by_format,
        "evenements-origines": events_by_origin,
        "demandes-suivi": lambda scope: requests_tables(scope)[0],
        "demandes-satisfaction": lambda scope: requests_tables(scope)[1],
        "demandes-disponibilite": lambda scope: returns_and_availability(scope)[0],
        "demandes-rendues-motifs": lambda scope: returns_and_availability(scope)[1],
        "autodiagnostics": lambda scope: diagnostics(scope)[0],
        "activite-ambassadeurs": lambda scope: ambassador_activity(scope, limit=None),
    }


def _designations(scope: Scope) -> dict:
    figures = region_figures(scope)
    coverage_summary, coverage_matrix = coverage(scope)
    return {
        "figures": figures,
        "designations": designations_by_region(scope, figures),
        "by_profile": designations_by_profile(scope),
        "by_network": designations_by_network(scope),
        "designations_by_month": designations_by_month(scope),
        "coverage_summary": coverage_summary,
        "coverage_matrix": coverage_matrix,
        "uncovered_regions": [row[0] for row in coverage_summary.rows if row[1] == 0],
        "uncovered_cells": sum(1 for row in coverage_matrix.rows for n in row[1:] if n == 0),
        "all_cells": sum(len(row) - 1 for row in coverage_matrix.rows),
    }


def _recruitment(scope: Scope) -> dict:
    return {
        "calls": recruitment_by_call(scope),
        "applications_by_region": recruitment_by_region(scope),
        "applications_by_network": recruitment_by_network(scope),
        "applications_by_month": applications_by_month(scope),
    }


def _events(scope: Scope) -> dict:
    events = event_counts(scope)
    formats = events_by_format(scope, counts=events)
    return {
        "events_by_month": events_by_region_month(scope),
        "events_by_format": formats,
        "events_by_origin": events_by_origin(scope, counts=events),
        "upcoming_events": formats.footer[2],
    }


def _requests(scope: Scope) -> dict:
    followup, satisfaction = requests_tables(scope)
    availability, returns = returns_and_availability(scope)
    return {
        "requests_followup": followup,
        "requests_satisfaction": satisfaction,
        "requests_availability": availability,
        "requests_returns": returns,
        "requests_by_month": requests_by_month(scope),
    }


def _diagnostics(scope: Scope) -> dict:
    table, shares = diagnostics(scope)
    return {"diagnostics": table, "profile_shares": shares}


def _activity(scope: Scope) -> dict:
    return {"activity": ambassador_activity(scope)}


# The sections of the page: name -> (what computes it, the parts of the data it reads: ``dashboard.caching``). A
# section is computed again only when what it reads changed (or after ``caching.FRESH_SECONDS``). The ambassadors
# are read by the events of a network, the availability of the requests and the activity; the applications by
# none but the recruitment.
SECTIONS = {
    "designations": (_designations, (*caching.AMBASSADORS, "targets_n", "targets")),
    "recruitment": (_recruitment, ("applications_id", "applications", "calls_n", "calls")),
    "events": (_events, (*caching.EVENTS, *caching.AMBASSADORS)),
    "requests": (_requests, ("requests", "declines", "messages", *caching.AMBASSADORS)),
    "diagnostics": (_diagnostics, ("diagnostics",)),
    "activity": (_activity, (*caching.EVENTS, *caching.AMBASSADORS, "requests")),
}


def overview_kept(scope: Scope, parts: dict, *, renew: bool = False) -> tuple[dict, datetime]:
    """Everything the steering page shows, each section from the cache while what it reads has not changed (``caching.kept``, by the
    scope), with the instant the oldest of them was read. ``parts``: ``caching.versions()``; ``renew``: every
    section computed again."""
    context, oldest = {}, None
    for name, (build, reads) in SECTIONS.items():
        section, computed_at = caching.kept(
            f"section-{name}",
            (scope.access,),
            lambda build=build: build(scope),
            version=caching.data_version(parts, reads),
            renew=renew,
        )
        context |= section
        oldest = computed_at if oldest is None else min(oldest, computed_at)
    return context, oldest
