"""Reads of the steering page (/pilotage/). Each function takes a ``Scope`` (``scope_for(user)``) and aggregates in
the database: a fixed number of queries, whatever the number of ambassadors, events, applications or requests.
Medians are taken in Python from a list of durations computed by the database (one small value per row).

Every table is a ``dashboard.tables.Table``: the page and its CSV export are written from the same object.

The national page reads every event of the agenda twice (``event_counts``, ``_activity_counts``): 0.4 s on
PostgreSQL, 1 s on SQLite on the bench data (scripts/bench.py), whatever the shape of the queries (measured: a pass
over the 200,000 public events costs 0.1 to 0.2 s on SQLite even as a plain scan). The views keep the result for
at most a minute, by a version of the data (``dashboard.caching``)."""

import statistics
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property

from django.db.models import (
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Sum,
)
from django.utils import timezone

from accounts.enums import Role
from agenda.enums import Format
from agenda.models import Event
from ambassadors.enums import ProfileKind
from ambassadors.models import Ambassador, PartnerNetwork
from contact.enums import DeclineReason
from contact.models import CompanyRequest, RequestDecline
from contact.services import requests_unanswered_filter
from core.formats import french_month
from dashboard.models import NATIONAL_TARGET, RegionTarget
from dashboard.tables import DEC, GAP, TEXT, Column, Table
from diagnostic.enums import BASELINE, Profile
from diagnostic.models import DiagnosticCount
from diagnostic.selectors import MIN_GROUP
from recruitment.enums import ApplicationState
from recruitment.models import Application, Call
from territories.models import NafActivity, Region

BASELINE_SIZE = 1209  # leaders in the Bpifrance Le Lab study behind ``diagnostic.enums.BASELINE``
MONTHS_BACK, MONTHS_AHEAD = 8, 3  # the months of the events table: 8 past, the current one, 3 to come
ACTIVITY_ON_PAGE = 20  # the activity table on the page; its CSV lists everyone with some activity

AmbassadorRegion = Ambassador.regions.through
EventAmbassador = Event.ambassadors.through


# Scope.


@dataclass(frozen=True)
class Scope:
    """What a user's figures cover.

    National coordination: everything. Regional coordination: their region. Reviewer: what their partner network
    proposed (ambassadors, applications; the requests sent to those ambassadors; the events one of them created or
    takes part in), within their region if they have one. Diagnostics are anonymous and carry no network: a reviewer
    sees those of their region, or all of them. An ambassador in several regions counts in each of them."""

    region: Region | None = None
    network: PartnerNetwork | None = None

    @property
    def region_code(self) -> str | None:
        return self.region.code if self.region else None

    @property
    def network_id(self) -> int | None:
        return self.network.pk if self.network else None

    @property
    def label(self) -> str:
        parts = []
        if self.network:
            parts.append(f"réseau {self.network.name}")
        if self.region:
            parts.append(f"région {self.region.name}")
        return ", ".join(parts) if parts else "national"

    @cached_property
    def regions(self) -> list[Region]:
        """The regions of the scope, in French alphabetical order (read once per scope)."""
        if self.region:
            return [self.region]
        return sorted(Region.objects.all(), key=lambda region: _french_order(region.name))


def scope_for(user) -> Scope | None:
    """The scope of ``user``, or None for a user who has no steering page (see ``rules.can_view``)."""
    if not user.is_authenticated:
        return None
    if user.is_national_coordinator:
        return Scope()
    if user.is_regional_coordinator:
        return Scope(region=user.region)
    if user.is_reviewer:
        return Scope(region=user.region, network=user.partner_network)
    return None


def _french_order(name: str) -> str:
    """« Île-de-France » between « Hauts-de-France » and « La Réunion », not after « Provence »."""
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()


def regions_in(scope: Scope) -> list[Region]:
    return scope.regions


def _in_region(code: str, ambassador_ref: str = "pk") -> Exists:
    return Exists(AmbassadorRegion.objects.filter(ambassador_id=OuterRef(ambassador_ref), region_id=code))


def _ambassadors(scope: Scope, qs: QuerySet[Ambassador] | None = None) -> QuerySet[Ambassador]:
    qs = Ambassador.objects.all() if qs is None else qs
    if scope.region:
        qs = qs.filter(_in_region(scope.region_code))
    if scope.network:
        qs = qs.filter(proposing_network_id=scope.network_id)
    return qs.order_by()


def _published(field: str = "pk") -> Q:
    """The one rule of publication (``Ambassador.objects.published``), as a condition on ``field``."""
    return Q(**{f"{field}__in": Ambassador.objects.published().values("pk")})


def _applications(scope: Scope) -> QuerySet[Application]:
    qs = Application.objects.order_by()
    if scope.region:
        qs = qs.filter(region_id=scope.region_code)
    if scope.network:
        qs = qs.filter(proposing_network_id=scope.network_id)
    return qs


def _events(scope: Scope) -> QuerySet[Event]:
    qs = Event.objects.public().order_by()
    if scope.region:
        qs = qs.filter(region_id=scope.region_code)
    if scope.network:
        listed = EventAmbassador.objects.filter(
            event_id=OuterRef("pk"), ambassador__proposing_network_id=scope.network_id
        )
        # The creators as a list of accounts read once, not a join from each event to its creator's account and
        # profile: SQLite read the join by scanning every ambassador for each event (region 84 of the bench data,
        # 11,000 events: 11 s for the counts by format, 6 s for the months; with the list, 0.1 s).
        creators = Ambassador.objects.filter(proposing_network_id=scope.network_id, user_id__isnull=False)
        qs = qs.filter(Q(created_by_id__in=creators.values("user_id")) | Exists(listed))
    return qs


def _requests(scope: Scope) -> QuerySet[CompanyRequest]:
    qs = CompanyRequest.objects.order_by()
    if scope.region:
        qs = qs.filter(region_id=scope.region_code)
    if scope.network:
        qs = qs.filter(ambassador__proposing_network_id=scope.network_id)
    return qs


def _diagnostic_counts(scope: Scope) -> QuerySet[DiagnosticCount]:
    """The pre-aggregated counts of results (``diagnostic.counts``) of the scope."""
    qs = DiagnosticCount.objects.filter(n__gt=0).order_by()
    return qs.filter(region_id=scope.region_code) if scope.region else qs


def _percent(part: int, whole: int | None) -> int | None:
    return round(100 * part / whole) if whole else None


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None


def _duration(end: str, start: str) -> ExpressionWrapper:
    return ExpressionWrapper(F(end) - F(start), output_field=DurationField())


# Designations against the targets.


@dataclass
class RegionFigure:
    code: str
    name: str
    is_overseas: bool
    target: int | None
    designated: int
    published: int

    @property
    def percent(self) -> int | None:
        return _percent(self.published, self.target)

    @property
    def level(self) -> str:
        """The colour class of the map: « na » without a target, then 0 to 4 by quarters of the target."""
        if self.percent is None:
            return "na"
        return str(min(4, self.percent // 25))


def region_figures(scope: Scope) -> list[RegionFigure]:
    """Designated and published ambassadors of each region of the scope, next to the region's target."""
    targets = RegionTarget.objects.all()
    links = AmbassadorRegion.objects.filter(ambassador__in=_ambassadors(scope)).order_by()
    if scope.region:
        targets = targets.filter(region_id=scope.region_code)
        links = links.filter(region_id=scope.region_code)
    target_of = dict(targets.values_list("region_id", "target"))
    counts = {
        row["region_id"]: row
        for row in links.values("region_id").annotate(
            designated=Count("ambassador_id", filter=Q(ambassador__designated_at__isnull=False)),
            published=Count("ambassador_id", filter=_published("ambassador_id")),
        )
    }
    return [
        RegionFigure(
            code=region.code,
            name=region.name,
            is_overseas=region.is_overseas,
            target=target_of.get(region.code),
            designated=counts.get(region.code, {}).get("designated", 0),
            published=counts.get(region.code, {}).get("published", 0),
        )
        for region in regions_in(scope)
    ]


def _designation_counts() -> dict:
    return {
        "designated": Count("pk", filter=Q(designated_at__isnull=False)),
        "published": Count("pk", filter=_published()),
    }


def designations_by_region(scope: Scope, figures: list[RegionFigure] | None = None) -> Table:
    figures = region_figures(scope) if figures is None else figures
    ambassadors = _ambassadors(scope)
    table = Table(
        "designations-regions",
        "Ambassadeurs désignés et publiés par région, au regard de l’objectif",
        [
            Column("Région", TEXT),
            Column("Objectif"),
            Column("Désignés"),
            Column("Publiés", GAP),
            Column("Publiés / objectif (%)"),
        ],
        [[f.name, f.target, f.designated, f.published, f.percent] for f in figures],
    )
    if not scope.region:
        national = ambassadors.filter(~Exists(AmbassadorRegion.objects.filter(ambassador_id=OuterRef("pk"))))
        row = national.aggregate(**_designation_counts())
        table.rows.append(
            ["Sans région (ambassadeurs nationaux)", None, row["designated"], row["published"], None]
        )
    total = ambassadors.aggregate(**_designation_counts())
    target = figures[0].target if scope.region else NATIONAL_TARGET
    table.footer = [
        "Ensemble du périmètre",
        target,
        total["designated"],
        total["published"],
        _percent(total["published"], target),
    ]
    table.note = "Un ambassadeur actif dans plusieurs régions compte dans chacune : le total compte chaque personne une fois."
    return table


def designations_by_profile(scope: Scope) -> Table:
    ambassadors = _ambassadors(scope)
    counts = {row["kind"]: row for row in ambassadors.values("kind").annotate(**_designation_counts())}
    return Table(
        "designations-profils",
        "Ambassadeurs désignés et publiés par profil",
        [Column("Profil", TEXT), Column("Désignés"), Column("Publiés")],
        [
            [label, counts.get(kind, {}).get("designated", 0), counts.get(kind, {}).get("published", 0)]
            for kind, label in ProfileKind.choices
        ],
    )


def designations_by_network(scope: Scope) -> Table:
    ambassadors = _ambassadors(scope)
    counts = {
        row["proposing_network_id"]: row
        for row in ambassadors.values("proposing_network_id").annotate(**_designation_counts())
    }
    networks = PartnerNetwork.objects.order_by("name")
    if scope.network:
        networks = networks.filter(pk=scope.network_id)
    rows = [
        [name, counts.get(pk, {}).get("designated", 0), counts.get(pk, {}).get("published", 0)]
        for pk, name in networks.values_list("pk", "name")
    ]
    if None in counts:
        rows.append(["Sans réseau", counts[None]["designated"], counts[None]["published"]])
    return Table(
        "designations-reseaux",
        "Ambassadeurs désignés et publiés par réseau qui les a proposés",
        [Column("Réseau", TEXT), Column("Désignés"), Column("Publiés")],
        rows,
    )


# Coverage: regions and sectors without a published sectoral and regional ambassador.


def _sections() -> list[tuple[int, str, str]]:
    return list(
        NafActivity.objects.filter(level="section", version="rev2")
        .order_by("code")
        .values_list("pk", "code", "label")
    )


def coverage(scope: Scope) -> tuple[Table, Table]:
    """Two tables: each region with its published « sectoriel et régional » ambassadors and the NAF sections none
    of them covers; and the matrix region x section (0 = nobody)."""
    sectoral = _ambassadors(scope, Ambassador.objects.published().filter(kind=ProfileKind.SECTORIEL_REGIONAL))
    per_region = dict(
        AmbassadorRegion.objects.filter(ambassador__in=sectoral)
        .values("region_id")
        .annotate(n=Count("ambassador_id"))
        .values_list("region_id", "n")
        .order_by()
    )
    per_cell = {
        (row["regions"], row["sectors"]): row["n"]
        for row in sectoral.values("regions", "sectors").annotate(n=Count("pk", distinct=True))
    }
    sections = _sections()
    regions = regions_in(scope)
    summary = Table(
        "couverture-regions",
        "Couverture de chaque région par des ambassadeurs sectoriels et régionaux publiés",
        [
            Column("Région", TEXT),
            Column("Ambassadeurs sectoriels publiés", GAP),
            Column(f"Sections NAF couvertes (sur {len(sections)})"),
            Column("Sections NAF sans ambassadeur", TEXT),
        ],
    )
    matrix = Table(
        "couverture-secteurs",
        "Ambassadeurs sectoriels et régionaux publiés par région et section NAF (0 : aucun)",
        [Column("Région", TEXT), *(Column(code, GAP, f"{code} – {label}") for _, code, label in sections)],
    )
    for region in regions:
        cells = [per_cell.get((region.code, pk), 0) for pk, _, _ in sections]
        missing = [code for (_, code, _), n in zip(sections, cells, strict=True) if n == 0]
        summary.rows.append(
            [
                region.name,
                per_region.get(region.code, 0),
                len(sections) - len(missing),
                "toutes" if len(missing) == len(sections) else ", ".join(missing) or "aucune",
            ]
        )
        matrix.rows.append([region.name, *cells])
    return summary, matrix


# Recruitment funnel.

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


# Events of the public agenda.


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def months_window(now: datetime | None = None) -> list[date]:
    """The first day of each month of the events table (Paris time)."""
    first = timezone.localdate(now).replace(day=1)
    return [_add_months(first, n) for n in range(-MONTHS_BACK, MONTHS_AHEAD + 1)]


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day))


def events_by_region_month(scope: Scope, now: datetime | None = None) -> Table:
    """Published events by region and month of their start (Paris time). Each month a count between its bounds,
    in one pass: no truncation of every start to its month (on SQLite a Python function called for each event)."""
    months = months_window(now)
    bounds = [_aware(m) for m in months] + [_aware(_add_months(months[-1], 1))]
    rows = (
        _events(scope)
        .filter(starts_at__gte=bounds[0], starts_at__lt=bounds[-1])
        .values("region_id")
        .annotate(
            **{
                f"month_{i}": Count("pk", filter=Q(starts_at__gte=bounds[i], starts_at__lt=bounds[i + 1]))
                for i in range(len(months))
            }
        )
    )
    counts: dict[tuple[str, date], int] = {
        (row["region_id"], month): row[f"month_{i}"] for row in rows for i, month in enumerate(months)
    }
    table = Table(
        "evenements-mois",
        f"Événements publiés par région et par mois de début, de {french_month(months[0])} "
        f"à {french_month(months[-1])}",
        [
            Column("Région", TEXT),
            *(Column(french_month(m, short=True), title=french_month(m)) for m in months),
            Column("Total"),
        ],
    )
    totals = [0] * len(months)
    for region in regions_in(scope):
        cells = [counts.get((region.code, m), 0) for m in months]
        totals = [a + b for a, b in zip(totals, cells, strict=True)]
        table.rows.append([region.name, *cells, sum(cells)])
    if not scope.region:
        table.footer = ["Total", *totals, sum(totals)]
    return table


def event_counts(scope: Scope, now: datetime | None = None) -> dict[str, int]:
    """One pass over the published events of the scope (each pass reads them all): by format, published and still
    to come, and by origin, for ``events_by_format`` and ``events_by_origin``."""
    now = now or timezone.now()
    manual = Q(source__isnull=True)
    counts = {
        "total": Count("pk"),
        "imports": Count("pk", filter=~manual),
        "ambassadors": Count("pk", filter=manual & Q(created_by__role=Role.AMBASSADOR)),
        "coordinators": Count(
            "pk",
            filter=manual & Q(created_by__role__in=[Role.NATIONAL_COORDINATOR, Role.REGIONAL_COORDINATOR]),
        ),
    }
    for n, value in enumerate(Format.values):
        counts[f"published_{n}"] = Count("pk", filter=Q(format=value))
        counts[f"upcoming_{n}"] = Count("pk", filter=Q(format=value, ends_at__gte=now))
    return _events(scope).aggregate(**counts)


def events_by_format(
    scope: Scope, now: datetime | None = None, counts: dict[str, int] | None = None
) -> Table:
    counts = counts or event_counts(scope, now)
    rows = [
        [label, counts[f"published_{n}"], counts[f"upcoming_{n}"]]
        for n, (_value, label) in enumerate(Format.choices)
    ]
    return Table(
        "evenements-formats",
        "Événements publiés par format, dont à venir",
        [Column("Format", TEXT), Column("Publiés"), Column("À venir")],
        rows,
        footer=["Total", sum(r[1] for r in rows), sum(r[2] for r in rows)],
    )


def events_by_origin(scope: Scope, counts: dict[str, int] | None = None) -> Table:
    """Who brought the published events: ambassadors, coordinators, imported calendars, or others (an account of
    another role, a partner's API, an account since deleted)."""
    counts = counts or event_counts(scope)
    others = counts["total"] - counts["imports"] - counts["ambassadors"] - counts["coordinators"]
    rows = [
        ["Ambassadeurs", counts["ambassadors"]],
        ["Coordination", counts["coordinators"]],
        ["Imports de calendriers", counts["imports"]],
        ["Autres", others],
    ]
    return Table(
        "evenements-origines",
        "Qui a apporté les événements publiés",
        [Column("Origine", TEXT), Column("Événements publiés"), Column("Part (%)")],
        [[label, n, _percent(n, counts["total"])] for label, n in rows],
        footer=["Total", counts["total"], 100 if counts["total"] else None],
    )


# Company requests.


def _request_counts(now: datetime) -> dict:
    return {
        "received": Count("pk"),
        "taken": Count("pk", filter=Q(taken_at__isnull=False)),
        "answered": Count("pk", filter=Q(answered_at__isnull=False)),
        "unanswered": Count("pk", filter=requests_unanswered_filter(now)),
        "feedback": Count("pk", filter=~Q(feedback_useful="")),
        "useful_yes": Count("pk", filter=Q(feedback_useful="yes")),
        "useful_partly": Count("pk", filter=Q(feedback_useful="partly")),
        "useful_no": Count("pk", filter=Q(feedback_useful="no")),
        "contacted_answers": Count("pk", filter=Q(feedback_contacted__isnull=False)),
        "contacted_yes": Count("pk", filter=Q(feedback_contacted=True)),
    }


def requests_tables(scope: Scope, now: datetime | None = None) -> tuple[Table, Table]:
    """The follow-up of company requests by region (where the company is) and the companies' feedback."""
    now = now or timezone.now()
    qs = _requests(scope)
    by_region = {row["region_id"]: row for row in qs.values("region_id").annotate(**_request_counts(now))}
    # Every count is a sum over the regions (a request has one region, or none: a group of its own), so the total
    # is added up here rather than read again: one pass over the requests instead of two.
    total = {name: sum(row[name] for row in by_region.values()) for name in _request_counts(now)}
    delays: dict[str, list[float]] = {}
    for region_id, delay in qs.filter(taken_at__isnull=False).values_list(
        "region_id", _duration("taken_at", "created_at")
    ):
        delays.setdefault(region_id, []).append(delay.total_seconds() / 3600)
    every_delay = [d for values in delays.values() for d in values]
    followup = Table(
        "demandes-suivi",
        "Demandes des entreprises par région : prise en charge et réponse",
        [
            Column("Région", TEXT),
            Column("Reçues"),
            Column("Prises en charge"),
            Column("Échange réalisé"),
            Column("Délai médian de prise en charge (heures)", DEC),
            Column("Sans réponse après 10 jours"),
        ],
    )
    satisfaction = Table(
        "demandes-satisfaction",
        "Avis des entreprises par région",
        [
            Column("Région", TEXT),
            Column("Avis reçus"),
            Column("Utile : oui (%)"),
            Column("Utile : en partie (%)"),
            Column("Utile : non (%)"),
            Column("Recontactée par l’ambassadeur (%)"),
        ],
    )

    def follow(label, row, delay):
        return [label, row["received"], row["taken"], row["answered"], delay, row["unanswered"]]

    def satisfied(label, row):
        return [
            label,
            row["feedback"],
            _percent(row["useful_yes"], row["feedback"]),
            _percent(row["useful_partly"], row["feedback"]),
            _percent(row["useful_no"], row["feedback"]),
            _percent(row["contacted_yes"], row["contacted_answers"]),
        ]

    empty = dict.fromkeys(_request_counts(now), 0)
    for region in regions_in(scope):
        row = by_region.get(region.code, empty)
        followup.rows.append(follow(region.name, row, _median(delays.get(region.code, []))))
        satisfaction.rows.append(satisfied(region.name, row))
    followup.footer = follow("Ensemble du périmètre", total, _median(every_delay))
    satisfaction.footer = satisfied("Ensemble du périmètre", total)
    return followup, satisfaction


def returns_and_availability(scope: Scope, today: date | None = None) -> tuple[Table, Table]:
    """What keeps requests from their ambassadors: by region, the published ambassadors, those who paused the
    requests, those in the absence they announced today, and the requests given back with « Ce n’est pas pour
    moi »; and those returns by reason. An ambassador of two regions counts in each, once in the total."""
    today = today or timezone.localdate()
    absent = Q(ambassador__absent_from__lte=today, ambassador__absent_until__gte=today)
    people = {
        "published": Count("pk"),
        "paused": Count("pk", filter=Q(ambassador__requests_paused=True)),
        "absent": Count("pk", filter=absent),
    }
    published = _ambassadors(scope).filter(_published())
    by_region = {
        row["region_id"]: row
        for row in AmbassadorRegion.objects.filter(ambassador__in=published)
        .order_by()
        .values("region_id")
        .annotate(**people)
    }
    everyone = Ambassador.objects.filter(pk__in=published.values("pk")).aggregate(
        published=Count("pk"),
        paused=Count("pk", filter=Q(requests_paused=True)),
        absent=Count("pk", filter=Q(absent_from__lte=today, absent_until__gte=today)),
    )
    returns = RequestDecline.objects.filter(request__in=_requests(scope)).order_by()
    returned = dict(
        returns.values("request__region_id").annotate(n=Count("pk")).values_list("request__region_id", "n")
    )
    availability = Table(
        "demandes-disponibilite",
        "Disponibilité des ambassadeurs et demandes rendues, par région",
        [
            Column("Région", TEXT),
            Column("Ambassadeurs publiés"),
            Column("Demandes en pause"),
            Column("Absents aujourd’hui"),
            Column("Demandes rendues", title="Demandes rendues (« Ce n’est pas pour moi »)"),
        ],
    )
    empty = dict.fromkeys(people, 0)
    for region in regions_in(scope):
        row = by_region.get(region.code, empty)
        availability.rows.append(
            [region.name, row["published"], row["paused"], row["absent"], returned.get(region.code, 0)]
        )
    availability.footer = [
        "Ensemble du périmètre",
        everyone["published"],
        everyone["paused"],
        everyone["absent"],
        sum(returned.values()),
    ]
    by_reason = dict(returns.values("reason").annotate(n=Count("pk")).values_list("reason", "n"))
    total = sum(by_reason.values())
    reasons = Table(
        "demandes-rendues-motifs",
        "Demandes rendues par motif",
        [Column("Motif", TEXT), Column("Demandes rendues"), Column("Part (%)")],
        [
            [label, by_reason.get(value, 0), _percent(by_reason.get(value, 0), total)]
            for value, label in DeclineReason.choices
        ],
        footer=["Ensemble", total, _percent(total, total)],
    )
    return availability, reasons


# Diagnostics.


@dataclass
class ProfileShare:
    label: str
    share: int | None
    baseline: int


def _profile_cells(by_profile: dict[str, int]) -> list:
    total = sum(by_profile.values())
    if total < MIN_GROUP:
        return [f"moins de {MIN_GROUP}" if total else 0, *([None] * len(Profile.values))]
    return [total, *(_percent(by_profile.get(p, 0), total) for p in Profile.values)]


def diagnostics(scope: Scope) -> tuple[Table, list[ProfileShare]]:
    """The profiles of the self-diagnostics of the scope against the national baseline; a group of fewer than
    ``MIN_GROUP`` results is not detailed (as on the public statistics)."""
    counts: dict[str, dict[str, int]] = {}
    for region_id, profile, n in (
        _diagnostic_counts(scope).values_list("region_id", "profile").annotate(total=Sum("n"))
    ):
        counts.setdefault(region_id, {})[profile] = n
    overall: dict[str, int] = {}
    for by_profile in counts.values():
        for profile, n in by_profile.items():
            overall[profile] = overall.get(profile, 0) + n
    table = Table(
        "autodiagnostics",
        "Profils des dirigeants ayant fait l’autodiagnostic, en pourcentage, au regard de la référence nationale",
        [Column("Groupe", TEXT), Column("Résultats"), *(Column(f"{label} (%)") for label in Profile.labels)],
        [
            ["Référence nationale (Bpifrance Le Lab, 2025)", BASELINE_SIZE, *(BASELINE[p] for p in Profile)],
            ["Ensemble du périmètre", *_profile_cells(overall)],
            *([region.name, *_profile_cells(counts.get(region.code, {}))] for region in regions_in(scope)),
        ],
        note=f"– : moins de {MIN_GROUP} résultats, groupe non détaillé (trop peu pour être significatif).",
    )
    total = sum(overall.values())
    shares = [
        ProfileShare(label, _percent(overall.get(p, 0), total) if total >= MIN_GROUP else None, BASELINE[p])
        for p, label in Profile.choices
    ]
    return table, shares


# Ambassadors' activity.


def _activity_counts(scope: Scope) -> tuple[dict[int, int], dict[int, int], dict[int, int]]:
    """Per ambassador, computed once for everyone with GROUP BY (no subquery per ambassador): the public events
    they are listed in (by ambassador pk), the public events a user created without being listed in them (by user
    pk: the account of at most one ambassador), and the requests answered (by ambassador pk). Three queries.

    An ambassador's counts are the same in every scope (their events anywhere); a region or a network counts only
    its own ambassadors, from their links (index by ambassador) with each event looked up by its key: the whole
    country's 100,000 links against the list of the 200,000 public events took 0.3 s on SQLite for region 84 of
    the bench data as for the country; its 5,000 links this way, 0.02 s."""
    public = Event.objects.public().order_by()
    links = EventAmbassador.objects.order_by()
    created = public.filter(created_by_id__isnull=False)
    answered = CompanyRequest.objects.filter(answered_at__isnull=False).order_by()
    if scope.region or scope.network:
        people = _ambassadors(scope)
        links = links.filter(
            Exists(public.filter(pk=OuterRef("event_id"))), ambassador_id__in=people.values("pk")
        )
        created = created.filter(created_by_id__in=people.filter(user_id__isnull=False).values("user_id"))
        answered = answered.filter(ambassador_id__in=people.values("pk"))
    else:
        links = links.filter(event__in=public.values("pk"))
    listed = dict(links.values_list("ambassador_id").annotate(n=Count("pk")))
    created_only = dict(
        created.exclude(
            Exists(
                EventAmbassador.objects.filter(
                    event_id=OuterRef("pk"), ambassador__user_id=OuterRef("created_by_id")
                )
            )
        )
        .values_list("created_by_id")
        .annotate(n=Count("pk"))
    )
    answered = dict(answered.values_list("ambassador_id").annotate(n=Count("pk")))
    return listed, created_only, answered


def ambassador_activity(scope: Scope, limit: int | None = ACTIVITY_ON_PAGE) -> Table:
    """The ambassadors of the scope by what they did: published events they created or take part in, and exchanges
    with companies (requests answered). Most active first; only those with some activity.

    The events of an ambassador are those they take part in, plus those they created without being listed in them:
    their sum counts each event once. The counts are grouped once for all of the scope (``_activity_counts``), then
    matched to the ambassadors of the scope, read in the order of the ties (name, pk); a stable sort by activity
    keeps it. Four queries whatever the number of ambassadors, events and requests."""
    listed, created_only, answered = _activity_counts(scope)
    rows = []
    for (
        pk,
        user_id,
        first,
        last,
        network,
    ) in (
        _ambassadors(scope)
        .order_by("sort_name", "pk")
        .values_list("pk", "user_id", "first_name", "last_name", "proposing_network__name")
    ):
        events_n = listed.get(pk, 0) + (created_only.get(user_id, 0) if user_id else 0)
        answered_n = answered.get(pk, 0)
        if events_n + answered_n > 0:
            rows.append((first, last, network, events_n, answered_n, events_n + answered_n))
    rows.sort(key=lambda row: (-row[5], -row[3]))  # stable: equal ones stay in name order
    qs = rows if limit is None else rows[:limit]
    return Table(
        "activite-ambassadeurs",
        "Activité des ambassadeurs, les plus actifs d’abord",
        [
            Column("Ambassadeur", TEXT),
            Column("Réseau", TEXT),
            Column("Événements publiés (créés ou avec participation)"),
            Column("Échanges réalisés avec des entreprises"),
            Column("Total"),
        ],
        [[f"{first} {last}", network or "–", ev, ans, total] for first, last, network, ev, ans, total in qs],
        note=(
            f"La page montre les {limit} plus actifs ; l’export CSV donne tous ceux qui ont une activité."
            if limit is not None
            else ""
        ),
    )


# The page and its exports.


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


def overview(scope: Scope) -> dict:
    """Everything the steering page shows, section by section."""
    figures = region_figures(scope)
    designations = designations_by_region(scope, figures)
    coverage_summary, coverage_matrix = coverage(scope)
    followup, satisfaction = requests_tables(scope)
    availability, returns = returns_and_availability(scope)
    diagnostics_table, profile_shares = diagnostics(scope)
    events = event_counts(scope)
    formats = events_by_format(scope, counts=events)
    return {
        "figures": figures,
        "designations": designations,
        "by_profile": designations_by_profile(scope),
        "by_network": designations_by_network(scope),
        "coverage_summary": coverage_summary,
        "coverage_matrix": coverage_matrix,
        "uncovered_regions": [row[0] for row in coverage_summary.rows if row[1] == 0],
        "uncovered_cells": sum(1 for row in coverage_matrix.rows for n in row[1:] if n == 0),
        "all_cells": sum(len(row) - 1 for row in coverage_matrix.rows),
        "calls": recruitment_by_call(scope),
        "applications_by_region": recruitment_by_region(scope),
        "applications_by_network": recruitment_by_network(scope),
        "events_by_month": events_by_region_month(scope),
        "events_by_format": formats,
        "events_by_origin": events_by_origin(scope, counts=events),
        "upcoming_events": formats.footer[2],
        "requests_followup": followup,
        "requests_satisfaction": satisfaction,
        "requests_availability": availability,
        "requests_returns": returns,
        "diagnostics": diagnostics_table,
        "profile_shares": profile_shares,
        "activity": ambassador_activity(scope),
    }
