import calendar
import hashlib
from dataclasses import dataclass, field
from datetime import date, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.syndication.views import Feed
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Max
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.functional import SimpleLazyObject
from django.utils.text import Truncator
from django.views.decorators.http import condition, require_GET, require_POST

from agenda import rules, services, versions
from agenda.dates import event_when, event_when_announced
from agenda.enums import Moderation
from agenda.forms import AgendaFilterForm, EventForm, ModerationForm, StatusForm
from agenda.ical import calendar_for, event_location
from agenda.jsonld import event_jsonld_script
from agenda.models import Event
from agenda.selectors import (
    AWAITING_STATES,
    CARD_VERSION,
    FOUND_SECONDS,
    AgendaFilters,
    MonthEvents,
    events_for_user,
    events_public,
    found_key,
    month_events,
)
from agenda.text import feed_title, markdown_text, plain_line
from core.dates import in_range, localtime
from core.errors import DomainError
from core.formats import french_month, french_time
from core.fragments import (
    EVENTS_DELETED_KEY,
    FRAGMENT_SECONDS,
    REFERENCE_KEY,
    digest,
    events_deleted_version,
    filters_key_for,
    token_versions,
    whole_page,
)
from territories.geo import distance_label

PAGE_SIZE = 20
# The lines of « Ce qui vous attend » (agenda.selectors.awaiting_for_user), as filters of the back office's list.
STATES = {key: (label, condition) for key, label, condition in AWAITING_STATES}
FEED_LIMIT = 500
FEED_CACHE_SECONDS = 900
ICS_TYPE = "text/calendar; charset=utf-8"


def _last_change(request, *args, **kwargs):
    return Event.objects.aggregate(last=Max("updated_at"))["last"]


def _filtered(request):
    """The filter form and the filters it reads (None when one is invalid: nothing is found), with the status."""
    if not request.GET:
        # No filter: the form is built only if its cached HTML is missing (core/fragments.py).
        return SimpleLazyObject(AgendaFilterForm), AgendaFilters(), 200
    form = AgendaFilterForm(request.GET)
    if not form.is_valid():
        return form, None, 400
    return form, form.filters(), 200


def _by_day(events):
    """[(day label, [events])], days in the event's own zone."""
    days: list = []
    for event in events:
        label = timezone.localtime(event.starts_at, ZoneInfo(event.timezone)).date()
        if days and days[-1][0] == label:
            days[-1][1].append(event)
        else:
            days.append((label, [event]))
    return days


def _distance_text(event, km: float) -> str:
    """« à 4,2 km » to the venue; to the centre of its commune when the venue is not located, said so: « à 12 km,
    mesurés jusqu’au centre de Villeurbanne », or « à Lyon » for the commune measured from (no « à 100 m » for
    an event whose venue nobody located)."""
    label = distance_label(km)
    if event.is_located_at_venue:
        return label
    commune = event.commune.name if event.commune_id else "la commune"
    if km < 1:
        return f"à {commune}" if event.commune_id else label
    return f"{label}, mesurés jusqu’au centre de {commune}"


def _list(request, *, past):
    now = timezone.now()
    form, filters, status = _filtered(request)
    # The count and the events of the page are kept by the events' version (``found_key``): the query is not even
    # built then (building it, the search's sub-selects and the lookup of the place names typed, was some 10 ms of
    # a search's 15 ms once its count was cached, measured with cProfile). Rendered, the versions of the cards are
    # read again by pk (twenty rows from the primary key), for their fragments. An invalid filter finds nothing and
    # reads nothing. « Près de » a place, the distances found are kept with them.
    key = found_key("list", now, past, sorted(request.GET.lists()), "km") if filters is not None else None
    # The same key keeps the whole page for the anonymous visitors (core/fragments.py).
    return whole_page(
        request,
        key,
        lambda: _render_list(request, past=past, now=now, form=form, filters=filters, status=status, key=key),
    )


def _render_list(request, *, past, now, form, filters, status, key):
    near = filters is not None and filters.is_near
    found = cache.get(key) if key else None
    if found is None:
        qs = events_public(filters, past=past, now=now) if filters is not None else Event.objects.none()
        # The page is read as the versions of its cards: their HTML is cached by them (core/fragments.py), and the
        # events themselves are read only to render it.
        rows = qs.prefetch_related(None).values_list(*CARD_VERSION, *(("distance_km",) if near else ()))
        paginator = Paginator(rows, PAGE_SIZE)
        paginator.count = qs.count()  # counted without the joins that the places' names need
        page = paginator.get_page(request.GET.get("page"))
        # (pk, updated_at, region, commune[, km rounded as shown]): the cards' versions.
        shown = [(*row[:-1], round(row[-1], 1)) if near else row for row in page.object_list]
        if key:
            kms = {row[0]: row[-1] for row in shown} if near else {}
            cache.set(key, (paginator.count, page.number, [row[0] for row in shown], kms), FOUND_SECONDS)
    else:
        count, number, pks, kms = found
        paginator = Paginator([], PAGE_SIZE)
        paginator.count = count
        page = paginator.page(number)
        by_pk = {row[0]: row for row in Event.objects.filter(pk__in=pks).values_list(*CARD_VERSION)}
        shown = page.object_list = [(*by_pk[pk], kms[pk]) if near else by_pk[pk] for pk in pks if pk in by_pk]

    def events():
        found = Event.objects.select_related("region", "commune").in_bulk([row[0] for row in shown])
        for row in shown:
            if row[0] in found:
                event = found[row[0]]
                if near:
                    event.distance_km = row[-1]
                    event.distance_text = _distance_text(event, row[-1])
                yield event

    def days():
        return _by_day(events())

    query = urlencode([(k, v) for k, v in request.GET.items() if k != "page"])
    form_key, cards_key = filters_key_for(AgendaFilterForm, request.GET), digest(shown) if shown else ""
    # The whole list, once its parts are known: the filters sent (the pagination's links keep them), the cards,
    # the count, the page, and the address the subscription links are written with.
    list_key = digest(
        form_key,
        cards_key,
        page.paginator.count,
        page.number,
        past,
        request.GET.urlencode(),
        request.scheme,
        request.get_host(),
    )
    context = {
        "form": form,
        "page_obj": page,
        "days": days,
        "form_key": form_key,
        "cards_key": cards_key,
        "list_key": list_key,
        "fragment_seconds": FRAGMENT_SECONDS,
        "past": past,
        "query": query,
        # An invalid filter finds nothing: no subscription to it (its feed would answer 400).
        "invalid": filters is None,
    }
    if near:
        # Sorted by distance, not by day: one list, each card with its distance; the heading says the place
        # understood (which Saint-Denis), and where the events online are, that a distance leaves out.
        online = [(k, v) for k, v in request.GET.items() if k not in ("page", "pres_de", "distance", "mode")]
        context |= {
            "near": filters,
            "near_events": SimpleLazyObject(lambda: list(events())),
            "online_url": f"{reverse('agenda:past' if past else 'agenda:list')}?"
            + urlencode([*online, ("mode", "online")]),
        }
    return render(request, "agenda/list.html", context, status=status)


@login_not_required
@require_GET
def agenda_list(request):
    return _list(request, past=False)


@login_not_required
@require_GET
def agenda_past(request):
    return _list(request, past=True)


def _page(request, event) -> dict:
    """What the public page of ``event`` shows (``agenda/_event_page.html``): the public view and the back office's
    preview build it alike, so the preview is the page."""
    zone = ZoneInfo(event.timezone)
    start, end = localtime(event.starts_at, zone), localtime(event.ends_at, zone)
    fmt = "%Y%m%dT%H%M%SZ"
    google = "https://calendar.google.com/calendar/render?" + urlencode(
        {
            "action": "TEMPLATE",
            "text": event.title,
            "dates": f"{event.starts_at.astimezone(ZoneInfo('UTC')):{fmt}}/{event.ends_at.astimezone(ZoneInfo('UTC')):{fmt}}",
            "details": request.build_absolute_uri(event.get_absolute_url()),
            "location": event_location(event),
            "ctz": event.timezone,
        }
    )
    outlook = "https://outlook.office.com/calendar/0/deeplink/compose?" + urlencode(
        {
            "subject": event.title,
            "startdt": start.isoformat(),
            "enddt": end.isoformat(),
            "body": request.build_absolute_uri(event.get_absolute_url()),
            "location": event_location(event),
            "path": "/calendar/action/compose",
            "rru": "addevent",
        }
    )
    return {
        "event": event,
        "when": event_when(event),
        "location": event_location(event),
        "google_url": google,
        "outlook_url": outlook,
        "ambassadors": event.ambassadors.published().order_by("sort_name", "pk"),
    }


PAGE_RELATED = ("region", "commune", "departement")
PAGE_PREFETCH = ("topics", "sectors")


@login_not_required
@require_GET
def event_detail(request, slug):
    event = get_object_or_404(
        Event.objects.public().select_related(*PAGE_RELATED).prefetch_related(*PAGE_PREFETCH), slug=slug
    )
    return render(
        request, "agenda/detail.html", {**_page(request, event), "jsonld": event_jsonld_script(event)}
    )


def _event_version(request, slug):
    """The ETag of an event's .ics: its DTSTAMP is the moment of the download, so the body's hash would change
    every second; the event's last change does not."""
    updated = Event.objects.public().filter(slug=slug).values_list("updated_at", flat=True).first()
    return f'"{slug}|{updated.timestamp()}"' if updated else None


@login_not_required
@require_GET
@condition(etag_func=_event_version)
def event_ics(request, slug):
    event = get_object_or_404(Event.objects.public().select_related("commune", "region"), slug=slug)
    response = HttpResponse(calendar_for([event], name=event.title), content_type=ICS_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
    return response


def _for_feed(events):
    """What a VEVENT reads (``agenda.ical``): the event and its commune, not the topics and sectors a list shows nor
    the search and published-version columns (the largest of a row)."""
    return (
        events.prefetch_related(None)
        .select_related(None)
        .select_related("commune")
        .defer("search_text", "published_snapshot")
    )


def _feed_etag(request):
    """The feed's version: the filters, the events' last change and their deletions (which do not move it)."""
    last = _last_change(request)
    return f'"{request.get_full_path()}|{last.timestamp() if last else 0}|{events_deleted_version()}"'


@login_not_required
@require_GET
@condition(etag_func=lambda request: _feed_etag(request), last_modified_func=_last_change)
def feed_ics(request):
    """The agenda as an iCalendar feed, with the same filters as /agenda/ (upcoming and the last 30 days)."""
    form = AgendaFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        errors = "; ".join(f"{k} : {' '.join(v)}" for k, v in form.errors.items())
        return HttpResponse(
            f"Filtre invalide – {errors}", status=400, content_type="text/plain; charset=utf-8"
        )
    # Calendar clients poll: the body is kept in the shared cache for 15 minutes, keyed by the ETag (the filters and
    # the last change), so a change of any event is served at once.
    key = "agenda-feed:" + hashlib.sha256(_feed_etag(request).encode()).hexdigest()
    body = cache.get(key)
    if body is None:
        filters = form.filters()
        recent = events_public(filters, past=True).filter(
            ends_at__gte=timezone.now() - timezone.timedelta(days=30)
        )
        events = list(_for_feed(events_public(filters))[:FEED_LIMIT]) + list(_for_feed(recent)[:FEED_LIMIT])
        body = calendar_for(events, name=feed_title(filters))
        cache.set(key, body, timeout=FEED_CACHE_SECONDS)
    return HttpResponse(body, content_type=ICS_TYPE)


class EventsRss(Feed):
    login_required = False  # public (read by LoginRequiredMiddleware on the view object)
    description = "Les prochains événements sur l’intelligence artificielle pour les entreprises, par région."

    def __call__(self, request, *args, **kwargs):
        # One instance serves every request (and thread): the filters go on the request, never on ``self``.
        form = AgendaFilterForm(request.GET or None)
        if form.is_bound and not form.is_valid():
            return HttpResponse("Filtre invalide.", status=400, content_type="text/plain; charset=utf-8")
        # The feed is kept by the events' version (``found_key``), as the iCalendar feed is: rendering its hundred
        # items (each description's Markdown read as text) took some 35 ms on either database (``scripts/bench.py``).
        # The address the links are written with is part of the key.
        request.agenda_now = timezone.now()
        key = found_key(
            "feed",
            request.agenda_now,
            type(self).__qualname__,
            sorted(request.GET.lists()),
            request.scheme,
            request.get_host(),
        )
        kept = cache.get(key)
        if kept is None:
            request.agenda_filters = form.filters()
            response = super().__call__(request, *args, **kwargs)
            kept = (response.content, response["Content-Type"], response.get("Last-Modified"))
            cache.set(key, kept, FOUND_SECONDS)
        content, content_type, last_modified = kept
        response = HttpResponse(content, content_type=content_type)
        if last_modified:
            response["Last-Modified"] = last_modified
        return response

    def get_object(self, request, *args, **kwargs):
        # The filters and the moment of the version the feed is kept by (``__call__``).
        return request.agenda_filters, request.agenda_now

    def title(self, obj):
        return feed_title(obj[0])

    def link(self):
        return "/agenda/"

    def items(self, obj):
        filters, now = obj
        # An item reads the event and its places (``event_location``), not the topics and sectors a list shows nor
        # the search and published-version columns (the largest of a row).
        return (
            events_public(filters, now=now)
            .prefetch_related(None)
            .defer("search_text", "published_snapshot")[:100]
        )

    def item_title(self, item):
        title = plain_line(item.title)  # readers may take an RSS title for HTML too
        return title if item.status == "scheduled" else f"{title} ({item.get_status_display()})"

    def item_description(self, item):
        # Plain text: the description's Markdown rendered to text (a reader shows it as it is, escaped once). An
        # RSS reader reads it as HTML once unescaped: the place typed by people loses its markup too.
        place = plain_line(event_location(item))
        text = Truncator(markdown_text(item.description)).chars(500)
        return f"{event_when_announced(item)}{f' – {place}' if place else ''}\n\n{text}".strip()

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.updated_at


class PlainTextAtom1Feed(Atom1Feed):
    """Atom whose summaries say what they are: text (``type="text"``), never HTML a reader would unescape and
    run (Django writes ``type="html"``)."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


class EventsAtom(EventsRss):
    feed_type = PlainTextAtom1Feed
    subtitle = EventsRss.description


# The month view: a calendar table, without JavaScript; on a phone, the list of the days that have events.

WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]


@dataclass
class MonthDay:
    day: date
    in_month: bool
    today: bool
    # (event, « 14 h 30 » on its first day, « suite » on the next ones)
    items: list = field(default_factory=list)
    more: int = 0
    more_url: str = ""


def _month_start(value: str | None) -> date:
    """``2027-01`` → 1 January 2027; no value → this month (Paris). A month that does not exist, or outside the
    agenda's years, is a 404 (the address names a page)."""
    if value is None:
        return timezone.localdate().replace(day=1)
    year, month = int(value[:4]), int(value[5:])
    # The agenda's years (core/dates.py) before ``date()``: year 0 does not exist, and 9999-12 has no next month.
    if not 1 <= month <= 12 or year < 1 or not in_range(date(year, month, 1)):
        raise Http404("Ce mois n’existe pas dans l’agenda.")
    return date(year, month, 1)


def _of_month(first: date) -> str:
    """« de janvier 2027 », « d’avril 2027 »."""
    words = french_month(first)
    return f"d’{words}" if words[0] in "aeiouéèêâîôûh" else f"de {words}"


def _month_days(first: date, month: MonthEvents, query: list[tuple[str, str]]) -> list[list[MonthDay]]:
    """The weeks of the month, Monday first, each day with its first events (on the event's own clock: an event
    over several days is on each of them, « suite » after its first) and a link to the list of that day for the
    others."""
    today = timezone.localdate()
    weeks = [
        [MonthDay(day=d, in_month=d.month == first.month, today=d == today) for d in week]
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    ]
    for cell in (d for week in weeks for d in week if d.in_month and d.day in month.days):
        for event in month.days[cell.day]:
            start = timezone.localtime(event.starts_at, ZoneInfo(event.timezone))
            label = ("" if event.all_day else french_time(start)) if cell.day == start.date() else "suite"
            cell.items.append((event, label))
        cell.more = month.totals[cell.day] - len(cell.items)
        if cell.more:
            path = "agenda:list" if cell.day >= today else "agenda:past"
            words = urlencode([*query, ("du", cell.day.isoformat()), ("au", cell.day.isoformat())])
            cell.more_url = f"{reverse(path)}?{words}"
    return weeks


@login_not_required
@require_GET
def agenda_month(request, month=None):
    first = _month_start(month)
    form = AgendaFilterForm(request.GET or None)
    kept = [(k, v) for k, v in request.GET.items() if k != "page"]
    if form.is_bound and not form.is_valid():
        return _render_month(request, form, first, kept, MonthEvents({}, {}, 0), status=400)
    # The month's ranking is kept in the shared cache by the events' last change, their deletions (the admin's:
    # cancelled ones stay public, imports mark the missing) and the reference lists (a search matches places and
    # topics by their current names), as the feeds are: a change shows at once. The same key, with the day (the
    # calendar marks today), keeps the whole page for the anonymous visitors (core/fragments.py).
    key = "agenda-month:" + digest(
        first, kept, _last_change(request), token_versions(EVENTS_DELETED_KEY, REFERENCE_KEY)
    )

    def render_page():
        found = cache.get(key)
        if found is None:
            found = month_events(form.filters(), first)
            cache.set(key, found, FRAGMENT_SECONDS)
        return _render_month(request, form, first, kept, found, status=200)

    return whole_page(request, digest(key, timezone.localdate()), render_page)


def _render_month(request, form, first, kept, found, *, status):
    weeks = _month_days(first, found, [(k, v) for k, v in kept if k not in ("du", "au")])
    previous = (first - timedelta(days=1)).replace(day=1)
    following = (first + timedelta(days=31)).replace(day=1)
    # The calendar's HTML (core/fragments.py): the month, today, the filters its links keep, the events shown
    # (their versions) and how many each day and the month hold.
    shown = [
        (day, [(e.pk, e.updated_at) for e in events], found.totals[day]) for day, events in found.days.items()
    ]
    return render(
        request,
        "agenda/month.html",
        {
            "form": form,
            "first": first,
            "of_month": _of_month(first),
            "weekdays": WEEKDAYS,
            "weeks": weeks,
            "days": [d for week in weeks for d in week if d.in_month and d.items],
            "count": found.count,
            "previous": previous if in_range(previous) else None,
            "following": following if in_range(following) else None,
            "this_month": timezone.localdate().replace(day=1),
            "query": urlencode(kept),
            "month_key": digest(first, timezone.localdate(), kept, shown, found.count),
            "fragment_seconds": FRAGMENT_SECONDS,
        },
        status=status,
    )


# Back office: contribution and moderation.


def manage_list(request):
    if not rules.can_contribute(request.user):
        raise PermissionDenied
    qs = events_for_user(request.user).order_by("-starts_at")
    # The events waiting for this user's decision: the same condition as « Ce qui vous attend » and ``?etat=a-moderer``
    # (a coordinator's own event in another region waits for that region's moderators, not for them).
    to_moderate = (
        list(qs.filter(STATES["a-moderer"][1](request.user)).order_by("starts_at", "pk"))
        if request.user.is_coordinator
        else []
    )
    # ``?etat=`` narrows the table to one line of « Ce qui vous attend » (agenda.selectors.awaiting_for_user).
    state, status = request.GET.get("etat", ""), 200
    if state in STATES:
        qs = qs.filter(STATES[state][1](request.user))
    elif state:
        messages.error(request, "Ce filtre n’existe pas : tous les événements sont affichés.")
        state, status = "", 400
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "agenda/manage_list.html",
        {
            "page_obj": page,
            "events": page.object_list,
            "to_moderate": to_moderate,
            "came_back": sum(1 for e in to_moderate if e.published_snapshot is not None),
            "scope_wording": request.user.is_coordinator,
            "state": STATES[state][0] if state else "",
            "query": urlencode({"etat": state}) if state else "",
        },
        status=status,
    )


def manage_edit(request, pk=None):
    if not rules.can_contribute(request.user):
        raise PermissionDenied
    event = get_object_or_404(events_for_user(request.user), pk=pk) if pk else None
    form = EventForm(request.POST or None, instance=event, user=request.user)
    if request.method == "POST" and form.is_valid():
        data, m2m = form.event_data()
        try:
            fresh = Event.objects.get(pk=event.pk) if event else None
            was = fresh.moderation if fresh else None  # read before the save changes ``fresh``
            saved = services.event_save(by=request.user, data=data, m2m=m2m, event=fresh)
        except services.AgendaError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(request, _saved_message(saved, was=was))
            return redirect("agenda:manage_detail", pk=saved.pk)
    return render(
        request,
        "agenda/manage_edit.html",
        {"form": form, "event": event, "hides_while_moderated": _hides_while_moderated(request.user, event)},
        status=400 if request.method == "POST" else 200,
    )


def _hides_while_moderated(user, event) -> bool:
    """Whether a change of what the moderators judged, made by ``user``, takes ``event`` off the public agenda until
    it is published again (``services.event_save``): a published event, a writer who does not publish directly."""
    if event is None or event.moderation != Moderation.PUBLISHED:
        return False
    return not (rules.publishes_directly(user, event) or rules.can_moderate(user, event))


def _saved_message(event, *, was: str | None) -> str:
    """What happens next, said to the contributor after saving (then shown the preview)."""
    if event.moderation == Moderation.PUBLISHED:
        return "L’événement est publié : voici sa page telle que le public la voit."
    if was == Moderation.PUBLISHED:
        return (
            "Vos modifications sont enregistrées et en attente de modération : l’événement n’est plus affiché "
            "publiquement (agenda, flux, API) jusqu’à leur publication par la coordination de sa région. Voici "
            "l’aperçu de sa page."
        )
    if event.moderation == Moderation.SUBMITTED:
        return (
            "L’événement est enregistré et en attente de modération : la coordination de sa région le relira "
            "avant de le publier, et un courriel vous dira sa décision. Voici l’aperçu de sa page."
        )
    return "Vos modifications sont enregistrées. Voici l’aperçu de la page de l’événement."


def manage_detail(request, pk):
    """The event in the back office: its state, what changed since its last published version, and its page as
    the public will see it (« Aperçu ») above the decisions."""
    event = get_object_or_404(
        events_for_user(request.user)
        .select_related(*PAGE_RELATED, "source")
        .prefetch_related(*PAGE_PREFETCH),
        pk=pk,
    )
    changes = versions.changes_since_published(event) if event.moderation != Moderation.PUBLISHED else []
    return render(
        request,
        "agenda/manage_detail.html",
        {
            **_page(request, event),
            "changes": changes,
            "can_moderate": rules.can_moderate(request.user, event),
            "can_edit": rules.can_edit(request.user, event),
            "moderation_form": ModerationForm(event=event),
            "status_form": StatusForm(initial={"status": event.status}),
            "steps": event.steps.select_related("actor"),
        },
    )


@require_POST
def manage_moderate(request, pk):
    event = get_object_or_404(events_for_user(request.user), pk=pk)
    form = ModerationForm(request.POST)
    if form.is_valid():
        try:
            services.event_transition(
                event=event,
                by=request.user,
                action=form.cleaned_data["action"],
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            )
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "La décision de modération est enregistrée.")
    return redirect("agenda:manage_detail", pk=pk)


@require_POST
def manage_status(request, pk):
    event = get_object_or_404(events_for_user(request.user), pk=pk)
    form = StatusForm(request.POST)
    if form.is_valid():
        services.event_set_status(event=event, by=request.user, status=form.cleaned_data["status"])
        messages.success(request, "Le statut est enregistré.")
    return redirect("agenda:manage_detail", pk=pk)
