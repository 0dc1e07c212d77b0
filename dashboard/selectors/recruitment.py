"""The recruitment funnel: applications by call, region and network, by state; and by month of submission."""

from datetime import datetime

from django.db.models import Count

from ambassadors.models import PartnerNetwork
from dashboard.selectors.months import Trend, counts_by_month, past_months
from dashboard.selectors.scope import Scope, _applications, _duration, _median
from dashboard.tables import DEC, TEXT, Column, Table
from recruitment.enums import ApplicationState
from recruitment.models import Call
from territories.models import Region

STATE_COLUMNS = [
    Column("Candidatures"),
    *(Column(label) for label in ApplicationState.labels),
]


def _state_cells(counts: dict[str, int]) -> list[int]:
    return [sum(counts.values()), *(counts.get(state, 0) for state in ApplicationState.values)]


def recruitment_by_call(scope: Scope) -> Table:
    """Each call: its applications by state, and the median time from application to decision."""
    apps = _applications(scope)
    counts: dict[int, dict[str, int]] = {}
    for call_id, state, n in apps.values_list("call_id", "state").annotate(n=Count("pk")):
        counts.setdefault(call_id, {})[state] = n
    durations: dict[int, list[float]] = {}
    for call_id, delay in apps.filter(decided_at__isnull=False).values_list(
        "call_id", _duration("decided_at", "submitted_at")
    ):
        durations.setdefault(call_id, []).append(delay.total_seconds() / 86400)
    return Table(
        "recrutement-appels",
        "Candidatures par appel et par état, et délai médian jusqu’à la décision",
        [Column("Appel", TEXT), *STATE_COLUMNS, Column("Délai médian jusqu’à la décision (jours)", DEC)],
        [
            [title, *_state_cells(counts.get(pk, {})), _median(durations.get(pk, []))]
            for pk, title in Call.objects.order_by("-opens_at", "pk").values_list("pk", "title")
        ],
    )


def _recruitment_by(scope: Scope, field: str, slug: str, caption: str, header: str, names: dict) -> Table:
    counts: dict[tuple, dict[str, int]] = {}
    for call_id, key, state, n in (
        _applications(scope).values_list("call_id", field, "state").annotate(n=Count("pk"))
    ):
        counts.setdefault((call_id, key), {})[state] = n
    calls = Call.objects.order_by("-opens_at", "pk").values_list("pk", "title")
    rows = []
    for call_id, title in calls:
        keys = sorted((k for c, k in counts if c == call_id), key=lambda k: names.get(k, "~"))
        for key in keys:
            rows.append([title, names.get(key, "Sans réseau"), *_state_cells(counts[(call_id, key)])])
    return Table(slug, caption, [Column("Appel", TEXT), Column(header, TEXT), *STATE_COLUMNS], rows)


def recruitment_by_region(scope: Scope) -> Table:
    return _recruitment_by(
        scope,
        "region_id",
        "recrutement-regions",
        "Candidatures par appel, région et état",
        "Région",
        dict(Region.objects.values_list("code", "name")),
    )


def recruitment_by_network(scope: Scope) -> Table:
    return _recruitment_by(
        scope,
        "proposing_network_id",
        "recrutement-reseaux",
        "Candidatures par appel, réseau qui propose et état",
        "Réseau",
        dict(PartnerNetwork.objects.values_list("pk", "name")),
    )


def applications_by_month(scope: Scope, now: datetime | None = None) -> Trend:
    """The scope's applications, every call together, by month of submission (``submitted_at``, Paris time), in
    one query."""
    months = past_months(now)
    return Trend(months, counts_by_month(_applications(scope), {"received": "submitted_at"}, months))
