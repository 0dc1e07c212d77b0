from django import template
from django.utils import timezone

from core.dates import french_date

register = template.Library()


@register.simple_tag(takes_context=True)
def page_url(context, number) -> str:
    """The current query string with ``page`` replaced: pagination keeps the filters."""
    query = context["request"].GET.copy()
    query["page"] = number
    return "?" + query.urlencode()


@register.filter
def page_window(page_obj, size: int = 2) -> list:
    """Page numbers around the current one, with None for the gaps: [1, None, 4, 5, 6, None, 12]."""
    last, current = page_obj.paginator.num_pages, page_obj.number
    numbers = sorted({1, last, *range(max(1, current - size), min(last, current + size) + 1)})
    window: list = []
    for n in numbers:
        if window and n - window[-1] > 1:
            window.append(None)
        window.append(n)
    return window


@register.filter
def jour(value, weekday: bool = True) -> str:
    """« jeudi 15 janvier 2026 », « 1er mai 2026 » (``value|jour:False``, without the weekday)."""
    if not value:
        return ""
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        value = timezone.localtime(value)
    return french_date(value, weekday=weekday)
