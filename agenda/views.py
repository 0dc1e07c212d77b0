import hashlib
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.syndication.views import Feed
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Max
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.cache import cache_control
from django.views.decorators.http import condition, require_GET, require_POST

from agenda import rules, services
from agenda.dates import event_when
from agenda.enums import Moderation
from agenda.forms import AgendaFilterForm, EventForm, ModerationForm, StatusForm
from agenda.ical import calendar_for, event_location
from agenda.jsonld import event_jsonld_script
from agenda.models import Event
from agenda.selectors import events_for_user, events_public

PAGE_SIZE = 20
FEED_LIMIT = 500
FEED_CACHE_SECONDS = 900
ICS_TYPE = "text/calendar; charset=utf-8"


def _last_change(request, *args, **kwargs):
    return Event.objects.aggregate(last=Max("updated_at"))["last"]


def _filtered(request, *, past=False):
    form = AgendaFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return form, Event.objects.none(), 400
    return form, events_public(form.filters(), past=past), 200


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


def _list(request, *, past):
    form, qs, status = _filtered(request, past=past)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode([(k, v) for k, v in request.GET.items() if k != "page"])
    return render(
        request,
        "agenda/list.html",
        {"form": form, "page_obj": page, "days": _by_day(page.object_list), "past": past, "query": query},
        status=status,
    )


@login_not_required
@require_GET
def agenda_list(request):
    return _list(request, past=False)


@login_not_required
@require_GET
def agenda_past(request):
    return _list(request, past=True)


@login_not_required
@require_GET
def event_detail(request, slug):
    event = get_object_or_404(
        Event.objects.public()
        .select_related("region", "commune", "departement")
        .prefetch_related("topics", "sectors"),
        slug=slug,
    )
    zone = ZoneInfo(event.timezone)
    start, end = timezone.localtime(event.starts_at, zone), timezone.localtime(event.ends_at, zone)
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
    ambassadors = event.ambassadors.published().order_by("sort_name", "pk")
    return render(
        request,
        "agenda/detail.html",
        {
            "event": event,
            "when": event_when(event),
            "location": event_location(event),
            "jsonld": event_jsonld_script(event),
            "google_url": google,
            "outlook_url": outlook,
            "ambassadors": ambassadors,
        },
    )


@login_not_required
@require_GET
def event_ics(request, slug):
    event = get_object_or_404(Event.objects.public().select_related("commune", "region"), slug=slug)
    response = HttpResponse(calendar_for([event], name=event.title), content_type=ICS_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
    return response


def _feed_etag(request):
    last = _last_change(request)
    return f'"{request.get_full_path()}|{last.timestamp() if last else 0}"'


@login_not_required
@require_GET
@cache_control(public=True, max_age=900)
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
        events = list(events_public(filters)[:FEED_LIMIT]) + list(recent[:FEED_LIMIT])
        body = calendar_for(events, name="Agenda des ambassadeurs IA")
        cache.set(key, body, timeout=FEED_CACHE_SECONDS)
    return HttpResponse(body, content_type=ICS_TYPE)


class EventsRss(Feed):
    login_required = False  # public (read by LoginRequiredMiddleware on the view object)
    title = "Agenda des ambassadeurs IA"
    description = "Les prochains événements sur l’intelligence artificielle pour les entreprises, par région."

    def __call__(self, request, *args, **kwargs):
        # One instance serves every request (and thread): the filters go on the request, never on ``self``.
        form = AgendaFilterForm(request.GET or None)
        if form.is_bound and not form.is_valid():
            return HttpResponse("Filtre invalide.", status=400, content_type="text/plain; charset=utf-8")
        request.agenda_filters = form.filters()
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request, *args, **kwargs):
        return request.agenda_filters

    def link(self):
        return "/agenda/"

    def items(self, filters):
        return events_public(filters)[:100]

    def item_title(self, item):
        return item.title if item.status == "scheduled" else f"{item.title} ({item.get_status_display()})"

    def item_description(self, item):
        return f"{event_when(item)} – {event_location(item)}\n\n{item.description[:500]}"

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.updated_at


class EventsAtom(EventsRss):
    feed_type = Atom1Feed
    subtitle = EventsRss.description


# Back office: contribution and moderation.


def manage_list(request):
    if not rules.can_contribute(request.user):
        raise PermissionDenied
    qs = events_for_user(request.user).order_by("-starts_at")
    to_moderate = (
        qs.filter(moderation=Moderation.SUBMITTED) if request.user.is_coordinator else Event.objects.none()
    )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "agenda/manage_list.html",
        {"page_obj": page, "events": page.object_list, "to_moderate": to_moderate},
    )


def manage_edit(request, pk=None):
    if not rules.can_contribute(request.user):
        raise PermissionDenied
    event = get_object_or_404(events_for_user(request.user), pk=pk) if pk else None
    form = EventForm(request.POST or None, instance=event)
    if request.method == "POST" and form.is_valid():
        data, m2m = form.event_data()
        try:
            fresh = Event.objects.get(pk=event.pk) if event else None
            saved = services.event_save(by=request.user, data=data, m2m=m2m, event=fresh)
        except services.NotAllowed as exc:
            raise PermissionDenied(str(exc)) from exc
        except services.AgendaError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                "L’événement est publié."
                if saved.moderation == Moderation.PUBLISHED
                else "L’événement est enregistré ; il sera publié après relecture par la coordination.",
            )
            return redirect("agenda:manage_detail", pk=saved.pk)
    return render(
        request,
        "agenda/manage_edit.html",
        {"form": form, "event": event},
        status=400 if request.method == "POST" else 200,
    )


def manage_detail(request, pk):
    event = get_object_or_404(events_for_user(request.user), pk=pk)
    return render(
        request,
        "agenda/manage_detail.html",
        {
            "event": event,
            "when": event_when(event),
            "can_moderate": rules.can_moderate(request.user, event),
            "can_edit": rules.can_edit(request.user, event),
            "moderation_form": ModerationForm(),
            "status_form": StatusForm(initial={"status": event.status}),
        },
    )


@require_POST
def manage_moderate(request, pk):
    event = get_object_or_404(events_for_user(request.user), pk=pk)
    form = ModerationForm(request.POST)
    if form.is_valid():
        try:
            services.event_moderate(
                event=event, by=request.user, to=form.cleaned_data["to"], reason=form.cleaned_data["reason"]
            )
        except services.NotAllowed as exc:
            raise PermissionDenied(str(exc)) from exc
        except services.AgendaError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "La décision de modération est enregistrée.")
    return redirect("agenda:manage_detail", pk=pk)


@require_POST
def manage_status(request, pk):
    event = get_object_or_404(events_for_user(request.user), pk=pk)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            services.event_set_status(event=event, by=request.user, status=form.cleaned_data["status"])
        except services.NotAllowed as exc:
            raise PermissionDenied(str(exc)) from exc
        messages.success(request, "Le statut est enregistré.")
    return redirect("agenda:manage_detail", pk=pk)
