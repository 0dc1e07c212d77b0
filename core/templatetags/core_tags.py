import datetime

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from core import formats, fragments

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


# French formats (core/formats.py). Stored datetimes are read on Paris time (the current time zone).


@register.filter
def jour(value, weekday: bool = True) -> str:
    """« jeudi 15 janvier 2026 », « 1er mai 2026 » (``value|jour:False``, without the weekday)."""
    return formats.french_date(formats.local(value), weekday=weekday) if value else ""


@register.filter
def date_fr(value) -> str:
    """« 15 janvier 2026 », « 1er mai 2026 »: a day in a table or a sentence."""
    return formats.french_date(formats.local(value), weekday=False) if value else ""


@register.filter
def date_heure(value) -> str:
    """« 15 janvier 2026 à 14 h 30 »."""
    return formats.french_datetime(formats.local(value)) if value else ""


@register.filter
def heure(value) -> str:
    """« 9 h », « 14 h 30 »."""
    return formats.french_time(formats.local(value)) if value else ""


@register.filter
def dates_fr(text) -> str:
    """The ISO dates inside a stored text written the French way (« 2026-05-01 » → « 1er mai 2026 »)."""
    return formats.french_dates_in(text)


@register.filter
def mois(value) -> str:
    """« janvier 2026 »."""
    return formats.french_month(formats.local(value)) if value else ""


@register.filter
def nombre(value) -> str:
    """« 1 209 »."""
    return formats.french_number(value) if value not in (None, "") else ""


@register.filter
def compte(value, forms: str) -> str:
    """``n|compte:"ambassadeur trouvé"`` → « 0 ambassadeur trouvé », « 3 ambassadeurs trouvés »;
    ``n|compte:"travail,travaux"`` for an irregular plural."""
    singular, _, plural = forms.partition(",")
    return formats.count(value or 0, singular, plural or None)


@register.filter
def pluriel(value, suffix: str = "s") -> str:
    """Like ``pluralize``, but French: 0 and 1 take the singular. ``n|pluriel``, ``n|pluriel:"aux"``."""
    return suffix if abs(value or 0) >= 2 else ""


@register.filter
def typo(text) -> str:
    """Text typed by people (or reference data) with French punctuation and apostrophes."""
    return formats.french_typography(str(text)) if text not in (None, "") else ""


@register.simple_tag
def active_filters(form) -> list[tuple[str, str]]:
    """The filters a list is narrowed by, as (label, value) for people to read: « Région : Bretagne »."""
    if not form.is_bound or not form.is_valid():
        return []
    active = []
    for field in form:
        value = form.cleaned_data.get(field.name)
        if value in (None, "", False, [], ()):
            continue
        if value is True:
            text = "oui"
        elif isinstance(value, datetime.date):
            text = formats.french_date(value, weekday=False)
        elif isinstance(value, str) and getattr(field.field, "choices", None):
            text = str(dict(field.field.choices).get(value, value))
        else:
            text = str(value)
        active.append((field.label, formats.french_typography(text)))
    return active


@register.filter
def accord(gender, forms: str) -> str:
    """``person.gender|accord:"désignée|désigné|retenue"``: feminine|masculine|neutral (see ``formats.agree``)."""
    feminine, masculine, neutral = [*forms.split("|"), "", "", ""][:3]
    return formats.agree(gender or "", feminine=feminine, masculine=masculine, neutral=neutral)


@register.filter
def select_options(field) -> str:
    """The ``<option>`` elements of a select field, written in Python: a list page's filters hold some 150
    options, and a template loop over them cost a tenth of the page's time. An option may carry its region
    (``data-region``, ambassadors/forms.py: DepartementSelect)."""
    parts = []
    for option in field.subwidgets:
        data = option.data
        region = f' data-region="{escape(data["region"])}"' if data.get("region") else ""
        selected = " selected" if data["selected"] else ""
        parts.append(
            f'<option value="{escape(data["value"])}"{region}{selected}>{escape(data["label"])}</option>'
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value escaped above


@register.simple_tag
def filters_key(form) -> str:
    """The key of a filter form's cached HTML (``{% cache … form_key %}``): see ``core.fragments.filters_key``."""
    return fragments.filters_key(form)


@register.simple_tag
def fragment_key(*parts) -> str:
    """``{% fragment_key request.resolver_match.view_name as key %}``: a ``{% cache %}`` key that also names the
    release (``core.fragments.digest``)."""
    return fragments.digest(*parts)
