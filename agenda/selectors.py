import calendar
from bisect import bisect_right
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.lookups import GreaterThanOrEqual, LessThan
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from accounts.scope import scope_for
from agenda import rules
from agenda.enums import Mode, Moderation
from agenda.models import Event, ImportSource
from ambassadors.data_rights import Section, personal_data_item
from ambassadors.models import Topic
from core.awaiting import Awaiting
from core.fragments import EVENTS_DELETED_KEY, REFERENCE_KEY, digest, token_versions
from core.search import Matches, Term, own_text, text_ids
from territories.geo import DEFAULT_TIMEZONE, OVERSEAS_TIMEZONES, Origin, near
from territories.models import Commune, Departement, NafActivity, Region
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
    # « Près de »: the commune's centre measured from (``territories.geo.origin_for``) and the distance in km; the
    # events found are those whose point (``Event.point_latitude/longitude``) lies within it, nearest first.
    origin: Origin | None = None
    km: int | None = None

    @property
    def is_near(self) -> bool:
        return self.origin is not None and self.km is not None


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


class _StartedBefore(_Likely, LessThan):
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
    if filters.is_near:
        # The box on the point's columns (the index ``event_point``, with the moderation and the end the public
        # lists test), then the exact distance on the rows inside: annotated ``distance_km``. An event online has
        # no point: never « près de » anything.
        qs = near(qs, filters.origin, filters.km, latitude="point_latitude", longitude="point_longitude")
    return qs.order_by()


def events_public(
    filters: AgendaFilters = AgendaFilters(), *, past: bool = False, now: datetime | None = None
) -> QuerySet[Event]:
    """Published events (cancelled ones included, with their status), upcoming (not yet ended at ``now``, by
    default the present moment) or past. Every filter narrows; ``du``/``au`` are days in Paris time, both
    included. « Près de » a place (``filters.origin``): the nearest first, then by start (the soonest upcoming,
    the latest past), each annotated ``distance_km``."""
    now = now or timezone.now()
    qs = _published(filters).select_related("region", "commune", "departement")
    if past and filters.is_near:
        # No index gives the order by distance: the box is read from ``event_point`` and sorted. SQLite is told
        # that both ends pass most rows, or it would take the range of the index by start or by end for a narrower
        # one than the box and test every past event's distance (0.7 s at 200,000 events, scripts/bench.py).
        qs = qs.filter(_EndedBefore(F("ends_at"), now), _StartedBefore(F("starts_at"), now))
        qs = qs.order_by("distance_km", "-starts_at", "-pk")
    elif past:
        # An event ended before now started before now (``event_ends_after_start``): said, so that the list is
        # read backwards from now along the index by start instead of from its first event.
        qs = qs.filter(_EndedBefore(F("ends_at"), now), starts_at__lt=now).order_by("-starts_at", "-pk")
    else:
        # « Près de », the same ``likely()`` keeps SQLite on the box of ``event_point`` rather than the index by end.
        qs = qs.filter(_EndsFrom(F("ends_at"), now)).order_by(
            *(("distance_km",) if filters.is_near else ()), "starts_at", "pk"
        )
    return qs.prefetch_related(*LIST_PREFETCH)


def _events_version_query(now: datetime) -> QuerySet:
    first_end = Event.objects.public().filter(ends_at__gte=now).order_by("ends_at").values("ends_at")[:1]
    # One query: the last change is the first row by ``updated_at`` backwards, the first end a sub-select.
    return (
        Event.objects.order_by("-updated_at")
        .annotate(first_end=Subquery(first_end))
        .values_list("updated_at", "first_end")
    )[:1]


# ``_events_version_query``'s SQL, compiled once per process with this instant in place of ``now``: building the
# queryset and its SQL again at every request was three quarters of the version's 1.7 ms (PostgreSQL, measured
# with timeit), on every public list and page of the API. No event is dated at this instant to the microsecond.
_NOW_MARK = datetime(2001, 2, 3, 4, 5, 6, 789012, tzinfo=UTC)
_version_sql: dict[str, tuple[str, tuple, tuple]] = {}  # by database vendor: SQL, parameters, where now goes


def _compiled_version() -> tuple[str, tuple, tuple]:
    compiled = _version_sql.get(connection.vendor)
    if compiled is None:
        sql, params = _events_version_query(_NOW_MARK).query.sql_with_params()
        mark = connection.ops.adapt_datetimefield_value(_NOW_MARK)
        at = tuple(n for n, value in enumerate(params) if value == mark)
        if not at:
            raise RuntimeError("events_version: the SQL compiled does not read now")
        compiled = _version_sql[connection.vendor] = (sql, tuple(params), at)
    return compiled


def events_version(now: datetime) -> tuple:
    """What the public lists of events (upcoming or past, any filters) read of the events at ``now``, as a key that
    changes whenever one of those lists would: the events' last change (every save and import writes
    ``updated_at``; a deletion, which does not move it, drops ``core.fragments.events_deleted_version``) and the
    end of the first public event not yet ended, as the database gives them (a key, never shown). The upcoming
    events are those that end at ``now`` or later: that set stays the same until ``now`` passes the first of those
    ends, and the past events are the others. Two index seeks (``updated_at``, ``event_public_end``) in one query,
    well under a millisecond on both databases, its SQL compiled once (``_compiled_version``)."""
    sql, params, at = _compiled_version()
    params = list(params)
    adapted = connection.ops.adapt_datetimefield_value(now)
    for n in at:
        params[n] = adapted
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchone()
    return tuple(found) if found else (None, None)


# How long a list's count and page (``found_key``) stay in the shared cache: their key is the exact version of what
# they show, so a change shows at once; the bound only frees the entries of searches nobody repeats.
FOUND_SECONDS = 60


def found_key(kind: str, now, *parts) -> str:
    """The cache key of what a public list of events found at ``now`` (its count, its page, a feed, a page of the
    API): ``kind`` and ``parts`` say the list (the filters sent, the page asked), then the version of the events it
    reads (``events_version``, and their deletions) and of the reference lists (a search matches topics and
    places by their current names), as the month view and the feeds are kept: a change shows at once.
    ``FOUND_SECONDS`` bounds what a bulk write that sends no signal could leave. Counting the 33,461 events
    « café » finds and ordering them took 100 to 250 ms a request on SQLite and PostgreSQL (``scripts/bench.py``);
    the version's query and the reads of the cache take about a millisecond."""
    return f"agenda-found:{kind}:" + digest(
        parts, events_version(now), token_versions(EVENTS_DELETED_KEY, REFERENCE_KEY)
    )


def _any_of(*id_sets: QuerySet | RawSQL) -> Q:
    """The events whose pk is in one of ``id_sets``: one sub-select, a UNION of lookups each served by an index (the
    full-text index, the topics' link table, the events' place columns). The database gathers the events a word
    finds once, then keeps those that pass the other filters from the list's own index, instead of testing each
    event against several conditions OR-ed, which made it read every row. Written as SQL because SQLite's
    full-text lookup is no queryset (``core.search.text_ids``)."""
    parts, params = [], []
    for n, ids in enumerate(id_sets):
        sql, values = (
            (ids.sql, ids.params) if isinstance(ids, RawSQL) else ids.order_by().query.sql_with_params()
        )
        parts.append(f"SELECT * FROM ({sql}) AS ids{n}")  # noqa: S608 - SQL compiled by Django, values as parameters
        params.extend(values)
    return Q(pk__in=RawSQL(" UNION ALL ".join(parts), params))  # noqa: S611 - compiled querysets, their parameters


def _in_places(column: str, places) -> QuerySet:
    return Event.objects.filter(**{f"{column}__in": places}).values("pk")


def _matches(term: Term) -> Q:
    """A word of the agenda's search: in the event's own text (title, description, organiser, venue: the full-text
    index, GIN on PostgreSQL, FTS5 on SQLite) or in the name of one of its topics, of its commune, département or
    region.

    Two shapes of the same rows, each the faster on its database (``scripts/bench.py``): PostgreSQL walks the list's
    index testing each event against the sets (hashed sub-plans, the texts from the GIN index; the places' names
    through the joins the list already makes), which finds a page of a common word at once; SQLite gathers the
    events of each set (``_any_of``: the places whose name holds the word read once) instead of reading every
    row."""
    if connection.vendor == "postgresql":
        ids = (
            text_ids(Event, term)
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
    return _any_of(
        text_ids(Event, term),
        Event.topics.through.objects.filter(
            topic_id__in=Topic.objects.filter(Matches(term)).values("pk")
        ).values("event_id"),
        _in_places("commune_id", Commune.objects.filter(Matches(term)).values("pk")),
        _in_places("departement_id", Departement.objects.filter(Matches(term)).values("pk")),
        _in_places("region_id", Region.objects.filter(Matches(term)).values("pk")),
    )


def _held_in(place: PlaceTerm) -> Q:
    """A place name typed in the agenda's search: the events held there, or whose own text names it. A commune
    means it and its département (« Lyon »: the events of the Rhône); an event with no commune nor département (a
    webinar of the region) is in its region only. The same rows as conditions OR-ed (PostgreSQL) or as one set
    (SQLite, as ``_matches``)."""
    if connection.vendor == "postgresql":
        found = own_text(Event, place.text) if place.text else Q(pk__in=[])
        if place.regions:
            found |= Q(region_id__in=place.regions)
        if place.departements:
            found |= Q(departement_id__in=place.departement_codes)
        if place.communes:
            found |= Q(commune_id__in=place.communes)
        return found
    found = [text_ids(Event, place.text)] if place.text else []
    if place.regions:
        found.append(_in_places("region_id", place.regions))
    if place.departements:
        found.append(_in_places("departement_id", place.departement_codes))
    if place.communes:
        found.append(_in_places("commune_id", place.communes))
    return _any_of(*found) if found else Q(pk__in=[])


# What an event's card shows besides the event's own row (its version, ``updated_at``): the names of its places.
CARD_VERSION = ("pk", "updated_at", "region__name", "commune__name")


@dataclass(frozen=True)
class EventCards:
    """Events to show as cards: the key of their cached HTML (``core/fragments.py``), empty when there is none,
    and the events, read only when the HTML is missing."""

    key: str
    events: object


def region_event_cards(region: Region, limit: int = 6) -> EventCards:
    """A region's next events (its page, ``{% region_events %}``) as the versions of their cards, as the agenda's
    list reads them."""
    rows = list(
        events_public(AgendaFilters(region=region)).prefetch_related(None).values_list(*CARD_VERSION)[:limit]
    )

    def events():
        found = events_public().in_bulk([row[0] for row in rows])
        return [found[row[0]] for row in rows if row[0] in found]

    return EventCards(digest("region-events", rows) if rows else "", SimpleLazyObject(events))


def events_for_user(user) -> QuerySet[Event]:
    """Back office: national coordination all; regional coordination its region; others the events they created."""
    qs = Event.objects.select_related("region", "created_by")
    if not user.is_authenticated:
        return qs.none()
    if scope_for(user).everything:
        return qs  # (an empty Q OR-ed with another is that other: said apart)
    return qs.filter(moderation_scope(user) | Q(created_by=user))


# The month view (/agenda/mois/): each day shows its first few events and how many it holds in all. A month of the
# national agenda holds thousands of events: the database ranks and counts them, and only the events shown are read.
# An event's days are read on its own clock (an event at 23 h in Martinique is on that day, not on the next one as
# in Paris), as its page says them.

MONTH_DAY_LIMIT = 4  # events shown in a day; the others are one link away (the list of that day)
# The zones whose midnights are written into the query: the regions' zones (those the forms offer). An event of
# another zone (imported from Montréal) comes back alone and is placed in Python, the same way.
# What a day of the month shows of an event (agenda/templates/agenda/month.html) and its version.
MONTH_EVENT_FIELDS = (
    "slug",
    "title",
    "status",
    "starts_at",
    "previous_starts_at",
    "all_day",
    "timezone",
    "updated_at",
)
MONTH_ZONES = (DEFAULT_TIMEZONE, *sorted(set(OVERSEAS_TIMEZONES.values())))


@dataclass(frozen=True)
class MonthEvents:
    days: dict[date, list[Event]]  # each day of the month that holds events → its first events, soonest first
    totals: dict[date, int]  # each day of the month that holds events → how many in all
    count: int  # the events held at least one day of the month


def _midnights(zone: str, first: date, days: int) -> list[datetime]:
    """The instants (UTC) at which the ``days`` days from ``first`` begin on ``zone``'s clock, then the instant the
    last one ends: an instant's day of the month is how many of them it has passed."""
    tz = ZoneInfo(zone)
    return [
        datetime.combine(first + timedelta(days=n), time.min, tzinfo=tz).astimezone(UTC)
        for n in range(days + 1)
    ]


def _day_number(column: str, midnights: list[datetime], low: int, high: int) -> tuple[str, list]:
    """SQL counting the ``midnights`` at or before ``column``, a count known to lie between ``low`` and ``high``:
    a tree of comparisons (five or six for a month), the same SQL on every database."""
    if low == high:
        return str(low), []
    middle = (low + high + 1) // 2
    before, before_params = _day_number(column, midnights, low, middle - 1)
    after, after_params = _day_number(column, midnights, middle, high)
    bound = connection.ops.adapt_datetimefield_value(midnights[middle - 1])
    return f"CASE WHEN {column} < %s THEN {before} ELSE {after} END", [bound, *before_params, *after_params]


def _month_day(column: str, zones: dict[tuple[datetime, ...], list[str]]) -> RawSQL:
    """The day of the month (0 before it, its number of days + 1 after) of the event's ``column`` on the event's
    clock; NULL for a zone not in ``zones`` (zones with the same midnights share their comparisons)."""
    quote = connection.ops.quote_name
    table = quote(Event._meta.db_table)
    parts, params = [], []
    for midnights, names in zones.items():
        tree, tree_params = _day_number(f"{table}.{quote(column)}", list(midnights), 0, len(midnights))
        parts.append(f"WHEN {table}.{quote('timezone')} IN ({', '.join(['%s'] * len(names))}) THEN {tree}")
        params.extend([*names, *tree_params])
    return RawSQL(f"CASE {' '.join(parts)} END", params)  # noqa: S611 - our SQL, values as parameters


def _instant(value) -> datetime:
    """A date and time read by a raw query: aware on PostgreSQL, text in UTC on SQLite."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def month_events(filters: AgendaFilters, month: date, limit: int = MONTH_DAY_LIMIT) -> MonthEvents:
    """The published events, past and upcoming, of the month of ``month`` that pass the agenda's filters (``du``
    and ``au`` narrow the month further: the events held one of those days, shown on all their days of the
    month): for each day, the first ``limit`` events held that day (soonest first; an event over several days on
    each of them; its days read on its own clock) and how many it holds; and how many the month holds.

    Two queries whatever the number of events. The first ranks the month's events within each pair (first day,
    last day in the month), with their count, and returns the first ``limit`` of each pair: a day's first events
    are among those of the pairs that cover it. The second reads the events shown."""
    first = month.replace(day=1)
    days = calendar.monthrange(first.year, first.month)[1]
    last = first + timedelta(days=days - 1)
    du, au = max(filters.du or first, first), min(filters.au or last, last)
    if au < du:
        return MonthEvents({}, {}, 0)
    asked = ((du - first).days + 1, (au - first).days + 1)
    zones: dict[tuple[datetime, ...], list[str]] = {}
    for zone in MONTH_ZONES:
        zones.setdefault(tuple(_midnights(zone, first, days)), []).append(zone)
    # Every clock is within a day of UTC: the events that may touch the days asked, whatever their clock.
    low = datetime.combine(du, time.min, tzinfo=UTC) - timedelta(days=1)
    high = datetime.combine(au, time.min, tzinfo=UTC) + timedelta(days=2)
    candidates = (
        _published(AgendaFilters(**{**filters.__dict__, "du": None, "au": None}))
        .filter(_EndsFrom(F("ends_at"), low), starts_at__lt=high)
        .annotate(first_day=_month_day("starts_at", zones), last_day=_month_day("ends_at", zones))
        .values_list("pk", "starts_at", "ends_at", "timezone", "first_day", "last_day")
    )
    sql, params = candidates.query.sql_with_params()
    # An event of another zone: a pair of its own, placed below.
    alone = "CASE WHEN first_day IS NULL THEN id END"
    ranked = f"""
        WITH candidate (id, starts_at, ends_at, event_zone, first_day, last_day) AS MATERIALIZED ({sql})
        SELECT id, starts_at, ends_at, event_zone, first_day, last_day, total FROM (
            SELECT candidate.*,
                ROW_NUMBER() OVER pair AS place,
                COUNT(*) OVER (pair ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS total
            FROM candidate
            WHERE first_day IS NULL OR (first_day <= %s AND last_day >= %s)
            WINDOW pair AS (PARTITION BY first_day, last_day, {alone} ORDER BY starts_at, id)
        ) ranked WHERE place <= %s
    """  # noqa: S608 - SQL compiled by Django, values as parameters
    with connection.cursor() as cursor:
        cursor.execute(ranked, [*params, asked[1], asked[0], limit])
        rows = cursor.fetchall()
    totals = [0] * (days + 1)
    found: list[list[tuple[datetime, int]]] = [[] for _ in range(days + 1)]
    count, pairs = 0, set()
    for pk, start, end, zone, first_day, last_day, total in rows:
        start = _instant(start)
        key = (first_day, last_day)
        if first_day is None:
            midnights = _midnights(zone, first, days)
            first_day, last_day = bisect_right(midnights, start), bisect_right(midnights, _instant(end))
            if first_day > asked[1] or last_day < asked[0]:
                continue
            key = pk
        covered = range(max(first_day, 1), min(last_day, days) + 1)
        if key not in pairs:
            pairs.add(key)
            count += total
            for day in covered:
                totals[day] += total
        for day in covered:
            found[day].append((start, pk))
    shown = {day: [pk for _, pk in sorted(events)[:limit]] for day, events in enumerate(found) if events}
    events = Event.objects.only(*MONTH_EVENT_FIELDS).in_bulk({pk for pks in shown.values() for pk in pks})
    return MonthEvents(
        days={first + timedelta(days=day - 1): [events[pk] for pk in pks] for day, pks in shown.items()},
        totals={first + timedelta(days=day - 1): totals[day] for day in shown},
        count=count,
    )


# What awaits a person (``core.awaiting``): the moderators, the events of their scope to moderate (every event waiting
# for their decision: new ones and published ones come back with changes, the latter also counted apart); the
# contributors, their own events waiting, refused, upcoming. Each line is also a filter of the back office's list
# (``/espace/evenements/?etat=…``), and the list's « À modérer » box counts with the same condition.

MODERATION_SOON_DAYS = 7  # a submitted event that starts within a week: late moderation makes it useless


def moderation_scope(user) -> Q:
    """The events ``user`` moderates (``rules.can_moderate``): all for the national coordination, its region's for a
    regional one, none otherwise."""
    moderated = scope_for(user).condition(region="region_id")  # reviewers (a network) and ambassadors: none
    return Q(pk__in=[]) if moderated is None else moderated


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


def ambassador_personal_data(*, user, ambassador) -> Section:
    """The « Agenda » section of an ambassador's personal data (``ambassadors.data_rights``)."""

    return Section(
        "evenements",
        "Agenda",
        [
            personal_data_item(
                "evenements_presents", "Événements où votre présence est annoncée", ambassador.events.count()
            ),
            personal_data_item(
                "evenements_proposes",
                "Événements que vous avez proposés",
                Event.objects.filter(created_by=user).count(),
            ),
        ],
    )


def sources_for_user(user):
    """The sources a coordinator manages: all for the national coordination, their region's for a regional one."""
    return scope_for(user).narrow(
        ImportSource.objects.select_related("default_region"), region="default_region_id"
    )
