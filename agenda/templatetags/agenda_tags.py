from django import template
from django.utils.safestring import mark_safe

from agenda.dates import event_first_day as _event_first_day
from agenda.dates import event_when as _event_when
from agenda.dates import event_when_announced as _event_when_announced
from agenda.ical import event_location
from agenda.selectors import region_event_cards
from agenda.text import markdown_safe_html
from core.fragments import digest

register = template.Library()


@register.simple_tag
def region_events(region):
    """``{% region_events region as found %}``: a region's next events for its page (``ambassadors``'s template:
    the agenda sits above the ambassadors in the dependency order, its events come to their pages here)."""
    return region_event_cards(region)


@register.simple_tag
def event_when(event) -> str:
    return _event_when(event)


@register.simple_tag
def event_when_announced(event) -> str:
    """« Nouvelle date à venir (initialement prévu le …) » for a postponed event; see ``agenda.dates``."""
    return _event_when_announced(event)


@register.simple_tag
def event_first_day(event) -> str:
    return _event_first_day(event)


@register.filter
def event_place(event) -> str:
    return event_location(event)


@register.filter
def safe_markdown(text: str) -> str:
    """Plain text or simple Markdown, rendered then sanitised (nh3): no script, no style, no event handler."""
    return mark_safe(markdown_safe_html(text or ""))  # noqa: S308 - sanitised by nh3 in markdown_safe_html


@register.simple_tag
def event_cards_key(events, *parts) -> str:
    """The key of a cached list of event cards (``_event_card.html``): each event's version and its places' names
    (``core/fragments.py``)."""
    return digest(
        "event-cards",
        parts,
        [(e.pk, e.updated_at, e.region.name, e.commune.name if e.commune_id else None) for e in events],
    )
