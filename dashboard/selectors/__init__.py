"""Reads of the steering page (/pilotage/). Each function takes a ``Scope`` (``scope_for(user)``) and aggregates in
the database: a fixed number of queries, whatever the number of ambassadors, events, applications or requests.
Medians are taken in Python from a list of durations computed by the database (one small value per row).

Every table is a ``dashboard.tables.Table``: the page and its CSV export are written from the same object.

The counts of events come from pre-aggregated tallies (``dashboard.tallies``) when they are exact for the data as it
is: counting the 200,000 public events of the bench data (scripts/bench.py) took 0.6 s on PostgreSQL and 1.2 s on
SQLite whatever the shape of the queries; a network's figures, and any while the worker rebuilds the tallies, are
counted from the events. The views keep the result for at most a minute, by a version of the data
(``dashboard.caching``).

The package, by table family: ``scope`` (``Scope``, ``scope_for`` and the querysets every table starts from),
``designations`` (designations against the targets, coverage), ``recruitment``, ``events`` (the public agenda),
``company_requests``, ``diagnostic_profiles``, ``activity`` (the ambassadors' activity) and ``page`` (``overview_kept``,
the whole page, and ``tables_for_csv``, its exports). This module re-exports the public names of each."""

from dashboard.selectors.activity import ACTIVITY_ON_PAGE, ambassador_activity
from dashboard.selectors.company_requests import requests_by_month, requests_tables, returns_and_availability
from dashboard.selectors.designations import (
    RegionFigure,
    coverage,
    designations_by_month,
    designations_by_network,
    designations_by_profile,
    designations_by_region,
    region_figures,
)
from dashboard.selectors.diagnostic_profiles import BASELINE_SIZE, ProfileShare, diagnostics
from dashboard.selectors.events import (
    event_counts,
    events_by_format,
    events_by_origin,
    events_by_region_month,
)
from dashboard.selectors.months import MONTHS_AHEAD, MONTHS_BACK, Trend, months_window, past_months
from dashboard.selectors.page import SECTIONS, overview_kept, tables_for_csv
from dashboard.selectors.recruitment import (
    STATE_COLUMNS,
    applications_by_month,
    recruitment_by_call,
    recruitment_by_network,
    recruitment_by_region,
)
from dashboard.selectors.scope import Scope, regions_in, scope_for

__all__ = [
    "ACTIVITY_ON_PAGE",
    "BASELINE_SIZE",
    "MONTHS_AHEAD",
    "MONTHS_BACK",
    "SECTIONS",
    "STATE_COLUMNS",
    "ProfileShare",
    "RegionFigure",
    "Scope",
    "Trend",
    "ambassador_activity",
    "applications_by_month",
    "coverage",
    "designations_by_month",
    "designations_by_network",
    "designations_by_profile",
    "designations_by_region",
    "diagnostics",
    "event_counts",
    "events_by_format",
    "events_by_origin",
    "events_by_region_month",
    "months_window",
    "overview_kept",
    "past_months",
    "recruitment_by_call",
    "recruitment_by_network",
    "recruitment_by_region",
    "region_figures",
    "regions_in",
    "requests_by_month",
    "requests_tables",
    "returns_and_availability",
    "scope_for",
    "tables_for_csv",
]
