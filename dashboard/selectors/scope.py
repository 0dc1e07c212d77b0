"""The scope of the steering page's figures (``Scope``, ``scope_for``: the back office's ``accounts.scope``, presented)
and the querysets every table starts from, each narrowed to the scope by how its rows meet a region and a network
(``_ambassadors``, ``_applications``, ``_events``, ``_requests``, ``_diagnostic_counts``), with the small helpers of
the tables (percentages, medians, durations)."""

import statistics
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import DurationField, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet

from accounts import scope as accounts
from agenda.models import Event
from ambassadors.models import Ambassador, PartnerNetwork
from contact.models import CompanyRequest
from dashboard import rules, tallies
from dashboard.models import EventTally, TallyState
from diagnostic.models import DiagnosticCount
from recruitment.models import Application
from territories.models import Region

AmbassadorRegion = Ambassador.regions.through
EventAmbassador = Event.ambassadors.through

NATIONAL = accounts.Scope(everything=True)


def every(_value) -> Q:
    """How rows that do not depend on a part of the scope meet it: all of them (``accounts.scope.Match``)."""
    return Q()


@dataclass(frozen=True)
class Scope:
    """What a user's figures cover: their back office's scope (``accounts.scope``, where who sees what is decided,
    once for every list and this page), with what the page shows of it (``label``, ``regions``, ``region``,
    ``network``). Each table narrows its rows through ``narrow``, saying how they meet a region and a network.

    National coordination: everything. Regional coordination: their region. Reviewer: what their partner network
    proposed (ambassadors, applications; the requests sent to those ambassadors; the events one of them created or
    takes part in), within their region if they have one. Diagnostics are anonymous and carry no network: a reviewer
    sees those of their region, or all of them. An ambassador in several regions counts in each of them."""

    access: accounts.Scope = field(default=NATIONAL)

    @property
    def everything(self) -> bool:
        return self.access.everything

    @property
    def region_code(self) -> str | None:
        return self.access.region_code

    @property
    def network_id(self) -> int | None:
        return self.access.network_id

    def narrow(
        self, qs: QuerySet, *, region: accounts.Match = None, network: accounts.Match = None
    ) -> QuerySet:
        """``qs`` limited to the scope (``accounts.scope.Scope.narrow``); a part the rows do not meet: none."""
        return self.access.narrow(qs, region=region, network=network)

    @cached_property
    def regions(self) -> list[Region]:
        """The regions of the scope, in French alphabetical order (read once per scope)."""
        regions = self.narrow(Region.objects.all(), region="pk", network=every)
        return sorted(regions, key=lambda region: _french_order(region.name))

    @property
    def region(self) -> Region | None:
        """The scope's region, for display (the one of ``regions``: no other query)."""
        return self.regions[0] if self.region_code else None

    @cached_property
    def network(self) -> PartnerNetwork | None:
        """The scope's partner network, for display."""
        return PartnerNetwork.objects.get(pk=self.network_id) if self.network_id else None

    @cached_property
    def tallies(self) -> TallyState | None:
        """The pre-aggregated counts of events if they are exact for the data as it is (``dashboard.tallies.fresh``),
        read once for all the tables of a page; None while the worker rebuilds them."""
        return tallies.fresh()

    @property
    def uses_tallies(self) -> bool:
        """The tables of events read the tallies: they are exact, and by region (a network's events, those its
        ambassadors created or take part in, are counted from the events themselves)."""
        return self.network_id is None and self.tallies is not None

    @property
    def label(self) -> str:
        parts = []
        if self.network:
            parts.append(f"réseau {self.network.name}")
        if self.region:
            parts.append(f"région {self.region.name}")
        return ", ".join(parts) if parts else "national"


def scope_for(user) -> Scope | None:
    """The scope of ``user``'s figures: their back office's (``accounts.scope.scope_for``), or None for a user who
    has no steering page (``rules.can_view``)."""
    if not rules.can_view(user):
        return None
    scope = accounts.scope_for(user)
    return None if scope.is_empty else Scope(scope)


def _french_order(name: str) -> str:
    """« Île-de-France » between « Hauts-de-France » and « La Réunion », not after « Provence »."""
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()


def regions_in(scope: Scope) -> list[Region]:
    return scope.regions


# How the rows of each table meet a region and a network (``Scope.narrow``).


def _in_region(code: str, ambassador_ref: str = "pk") -> Exists:
    return Exists(AmbassadorRegion.objects.filter(ambassador_id=OuterRef(ambassador_ref), region_id=code))


def _ambassadors(scope: Scope, qs: QuerySet[Ambassador] | None = None) -> QuerySet[Ambassador]:
    """Ambassadors: one of their regions; the network that proposed them."""
    qs = Ambassador.objects.all() if qs is None else qs
    return scope.narrow(qs, region=_in_region, network="proposing_network_id").order_by()


def _published(field: str = "pk") -> Q:
    """The one rule of publication (``Ambassador.objects.published``), as a condition on ``field``."""
    return Q(**{f"{field}__in": Ambassador.objects.published().values("pk")})


def _applications(scope: Scope) -> QuerySet[Application]:
    """Applications: their region; the network that proposed them."""
    return scope.narrow(Application.objects.order_by(), region="region_id", network="proposing_network_id")


def _events_of_network(network_id: int) -> Q:
    """The events one of the network's ambassadors created or takes part in."""
    listed = EventAmbassador.objects.filter(
        event_id=OuterRef("pk"), ambassador__proposing_network_id=network_id
    )
    # The creators as a list of accounts read once, not a join from each event to its creator's account and
    # profile: SQLite read the join by scanning every ambassador for each event (region 84 of the bench data,
    # 11,000 events: 11 s for the counts by format, 6 s for the months; with the list, 0.1 s).
    creators = Ambassador.objects.filter(proposing_network_id=network_id, user_id__isnull=False)
    return Q(created_by_id__in=creators.values("user_id")) | Exists(listed)


def _events(scope: Scope, first: Q | None = None) -> QuerySet[Event]:
    """Public events: their region; one of the network's ambassadors created them or takes part in them.
    ``first``: a condition written before those of publication, for SQLite's planner: of two upper bounds on the
    same column of an index (a range of ends, and the agenda's last year), it uses the first it reads (today's
    events ending after now: 25 ms with the year first, under 1 ms with the day's end first)."""
    qs = Event.objects.filter(first) if first is not None else Event.objects
    return scope.narrow(qs.public().order_by(), region="region_id", network=_events_of_network)


def _event_tallies(scope: Scope, model=EventTally) -> QuerySet:
    """The tallies of the scope's events (``dashboard.tallies``), by their region, when ``Scope.uses_tallies``."""
    if not scope.uses_tallies:
        raise ValueError("_event_tallies: the tallies do not know the networks, or are not exact")
    return scope.narrow(model.objects.order_by(), region="region_id", network=every)


def _requests(scope: Scope) -> QuerySet[CompanyRequest]:
    """Company requests: the company's region; the network of the ambassador they were sent to."""
    return scope.narrow(
        CompanyRequest.objects.order_by(), region="region_id", network="ambassador__proposing_network_id"
    )


def _diagnostic_counts(scope: Scope) -> QuerySet[DiagnosticCount]:
    """The pre-aggregated counts of results (``diagnostic.counts``) of the scope: their region; anonymous, they
    carry no network (every network sees them)."""
    return scope.narrow(DiagnosticCount.objects.filter(n__gt=0).order_by(), region="region_id", network=every)


def _percent(part: int, whole: int | None) -> int | None:
    return round(100 * part / whole) if whole else None


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None


def _duration(end: str, start: str) -> ExpressionWrapper:
    return ExpressionWrapper(F(end) - F(start), output_field=DurationField())
