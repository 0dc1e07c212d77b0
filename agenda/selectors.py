from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.lookups import GreaterThanOrEqual, LessThan
from django.urls import reverse
from django.utils import timezone

from agenda import rules
from agenda.enums import Mode, Moderation
from agenda.models import Event
from ambassadors.models import Topic
from core.awaiting import Awaiting
from core.search import Matches, Term, own_text
from territories.models import Departement, NafActivity, Region
from territories.search import PlaceTerm, query_terms

LIST_PREFETCH = ("topics", "sectors")


@dataclass(frozen=True)
class AgendaFilters:
    region: Region | None = None
    departement: Departement | None = None
    du: date | None = None
    au: date | None = None
    format: str = ""
    mode: str = ""
    secteur: NafActivity | None = None
    thematique: Topic | None = None
    q: str = ""


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


class _Likely:
    """A comparison SQLite's planner is told holds for most rows (``likely()``; the same condition elsewhere).
    Keeping no histogram, it takes any range on ``ends_at`` for a narrow one and would read the upcoming events by
    their end, then sort them all to show twenty; told that most rows pass, it walks the index by start in the
    list's order (``Event.Meta.indexes``), and still counts them from the index by end."""

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = super().as_sql(compiler, connection)
        return f"likely({sql})", params


class _EndsFrom(_Likely, GreaterThanOrEqual):
    pass


class _EndedBefore(_Likely, LessThan):
    pass


def _published(filters: AgendaFilters) -> QuerySet[Event]:
    """The published events that pass ``filters``, past and upcoming, unordered."""
    qs = Event.objects.public()
    if filters.region:
        qs = qs.filter(region=filters.region)
    if filters.departement:
        qs = qs.filter(departement=filters.departement)
    if filters.du:
        qs = qs.filter(ends_at__gte=_day_start(filters.du))
    if filters.au:
        qs = qs.filter(starts_at__lt=_day_start(filters.au) + timezone.timedelta(days=1))
    if filters.format:
        qs = qs.filter(format=filters.format)
    if filters.mode:
        # « En ligne » and « En présentiel » both include an event « présentiel et en ligne »: one can go there
        # either way.
        qs = qs.filter(mode__in={filters.mode, Mode.HYBRID})
    if filters.secteur:
        qs = qs.filter(
            Exists(
                Event.sectors.through.objects.filter(
                    event_id=OuterRef("pk"), nafactivity_id=filters.secteur.pk
                )
            )
        )
    if filters.thematique:
        qs = qs.filter(
            Exists(
                Event.topics.through.objects.filter(event_id=OuterRef("pk"), topic_id=filters.thematique.pk)
            )
        )
    for term in query_terms(filters.q):
        qs = qs.filter(_held_in(term) if isinstance(term, PlaceTerm) else _matches(term))
    return qs.order_by()


def events_public(filters: AgendaFilters = AgendaFilters(), *, past: bool = False) -> QuerySet[Event]:
    """Published events (cancelled ones included, with their status), upcoming (not yet ended) or past.
    Every filter narrows; ``du``/``au`` are days in Paris time, both included."""
    now = timezone.now()
    qs = _published(filters).select_related("region", "commune", "departement")
    if past:
        # An event ended before now started before now (``event_ends_after_start``): said, so that the list is
        # read backwards from now along the index by start instead of from its first event.
        qs = qs.filter(_EndedBefore(F("ends_at"), now), starts_at__lt=now).order_by("-starts_at", "-pk")
    else:
        qs = qs.filter(_EndsFrom(F("ends_at"), now)).order_by("starts_at", "pk")
    return qs.prefetch_related(*LIST_PREFETCH)


def _own_text(term: Term) -> Q:
    return own_text(Event, term)


def _matches(term: Term) -> Q:
    """A word of the agenda's search: in the event's own text (title, description, organiser, venue) or in the
    name of one of its topics (one sub-select of the ids, a UNION that PostgreSQL serves from the GIN index), of its
    commune, département or region (through the joins the list already makes: one short name per event rather than
    a scan of 35,000 communes)."""
    ids = (
        Event.objects.filter(Matches(term))
        .values("pk")
        .union(
            Event.topics.through.objects.filter(
                topic_id__in=Topic.objects.filter(Matches(term)).values("pk")
            ).values("event_id"),
            all=True,
        )
        .order_by()
    )
    return (
        Q(pk__in=ids)
        | Q(Matches(term, "commune__search_text"))
        | Q(Matches(term, "departement__search_text"))
        | Q(Matches(term, "region__search_text"))
    )


def _held_in(place: PlaceTerm) -> Q:
    """A place name typed in the agenda's search: the events held there, or whose own text names it. A commune
    means it and its département (« Lyon »: the events of the Rhône); an event with no commune nor département (a
    webinar of the region) is in its region only."""
    found = _own_text(place.text) if place.text else Q(pk__in=[])
    if place.regions:
        found |= Q(region_id__in=place.regions)
    if place.departements:
        found |= Q(departement_id__in=place.departement_codes)
    if place.communes:
        found |= Q(commune_id__in=place.communes)
    return found


def events_for_region(region: Region, limit: int = 6) -> list[Event]:
    return list(events_public(AgendaFilters(region=region))[:limit])


def events_for_user(user) -> QuerySet[Event]:
    """Back office: national coordination all; regional coordination its region; others the events they created."""
    qs = Event.objects.select_related("region", "created_by")
    if not user.is_authenticated:
        return qs.none()
    if user.is_national_coordinator:
        return qs
    if user.is_regional_coordinator:
        return qs.filter(Q(region_id=user.region_id) | Q(created_by=user))
    return qs.filter(created_by=user)


def events_in_month(filters: AgendaFilters, month: date) -> QuerySet[Event]:
    """The month view (/agenda/mois/): the published events, past and upcoming, held at least partly in the month
    of ``month``, with the agenda's filters (``du``/``au`` narrow the month further), soonest first. One query."""
    first = month.replace(day=1)
    last = (first + timezone.timedelta(days=31)).replace(day=1) - timezone.timedelta(days=1)
    du, au = max(filters.du or first, first), min(filters.au or last, last)
    if au < du:
        return Event.objects.none()
    within = AgendaFilters(**{**filters.__dict__, "du": du, "au": au})
    return _published(within).select_related("region", "commune").order_by("starts_at", "pk")


# What awaits a person (``core.awaiting``): the moderators, the events of their scope to moderate (every event waiting
# for their decision: new ones and published ones come back with changes, the latter also counted apart); the
# contributors, their own events waiting, refused, upcoming. Each line is also a filter of the back office's list
# (``/espace/evenements/?etat=…``), and the list's « À modérer » box counts with the same condition.

MODERATION_SOON_DAYS = 7  # a submitted event that starts within a week: late moderation makes it useless


def moderation_scope(user) -> Q:
    """The events ``user`` moderates (``rules.can_moderate``): all for the national coordination, its region's for a
    regional one, none otherwise."""
    if user.is_national_coordinator:
        return Q()
    if user.is_regional_coordinator:
        return Q(region_id=user.region_id)
    return Q(pk__in=[])


AWAITING_STATES = (
    (
        "a-moderer",
        "à modérer",
        lambda user: moderation_scope(user) & Q(moderation=Moderation.SUBMITTED),
    ),
    (
        "modifies",
        "à modérer revenus avec des modifications après publication",
        lambda user: (
            moderation_scope(user) & Q(moderation=Moderation.SUBMITTED, published_snapshot__isnull=False)
        ),
    ),
    (
        "en-attente",
        "en attente de modération",
        lambda user: Q(created_by=user, moderation=Moderation.SUBMITTED),
    ),
    ("refuses", "refusés, à corriger", lambda user: Q(created_by=user, moderation=Moderation.REFUSED)),
    (
        "a-venir",
        "à venir",
        lambda user: Q(created_by=user, moderation=Moderation.PUBLISHED, ends_at__gte=timezone.now()),
    ),
)


def awaiting_for_user(user) -> list[Awaiting]:
    """« Ce qui vous attend » on the agenda's side, in one query (none for a person who neither moderates nor
    contributes). Moderators: one line, the events to moderate in their scope, new or come back with changes (urgent
    when one starts within a week; the label tells how many came back); ambassadors: their events waiting for moderation, refused (to correct), upcoming."""
    if not user.is_authenticated:
        return []
    moderator = user.is_national_coordinator or user.is_regional_coordinator
    contributor = not moderator and rules.can_contribute(user)
    if not (moderator or contributor):
        return []
    conditions = {key: condition(user) for key, _, condition in AWAITING_STATES}
    soon = timezone.now() + timezone.timedelta(days=MODERATION_SOON_DAYS)
    counts = Event.objects.aggregate(
        **{key.replace("-", "_"): Count("pk", filter=condition) for key, condition in conditions.items()},
        soon=Count(
            "pk", filter=conditions["a-moderer"] & Q(starts_at__lte=soon, ends_at__gte=timezone.now())
        ),
    )
    url = reverse("agenda:manage_list")

    def line(key, label, empty, urgent=False):
        return Awaiting(
            label=label,
            count=counts[key.replace("-", "_")],
            url=f"{url}?etat={key}",
            empty=empty,
            urgent=urgent,
        )

    if moderator:
        changed = counts["modifies"]
        label = "Événements à modérer"
        if changed:
            label += f", dont {changed} {'revenu' if changed == 1 else 'revenus'} avec des modifications"
        return [line("a-moderer", label, "Aucun événement à modérer.", urgent=counts["soon"] > 0)]
    return [
        line("refuses", "Mes événements refusés, à corriger", "Aucun événement refusé."),
        line(
            "en-attente",
            "Mes événements en attente de modération",
            "Aucun événement en attente de modération.",
        ),
        line(
            "a-venir",
            "Mes prochains événements publiés",
            "Aucun événement à venir : proposez-en un depuis « Événements ».",
        ),
    ]
