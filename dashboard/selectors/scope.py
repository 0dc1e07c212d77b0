"""The scope of the steering page's figures (``Scope``, ``scope_for``) and the querysets every table starts from,
each filtered to the scope (``_ambassadors``, ``_applications``, ``_events``, ``_requests``, ``_diagnostic_counts``),
with the small helpers of the tables (percentages, medians, durations)."""

import statistics
import unicodedata
from dataclasses import dataclass
from functools import cached_property

from django.db.models import DurationField, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet

from agenda.models import Event
from ambassadors.models import Ambassador, PartnerNetwork
from contact.models import CompanyRequest
from diagnostic.models import DiagnosticCount
from recruitment.models import Application
from territories.models import Region

AmbassadorRegion = Ambassador.regions.through
EventAmbassador = Event.ambassadors.through


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
