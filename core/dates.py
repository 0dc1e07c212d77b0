"""The years a date may fall in, whichever door it comes through (the agenda's filters and month view, the
contribution form, the call form, the partner API, calendar imports): 2000 to 2100, one rule, one message.

Why a bound at all: Python's datetimes stop at years 1 and 9999, so a date at either end overflows as soon as it is
turned into another clock (Paris → UTC, UTC → Guyane) or moved by a day (the exclusive end of an all-day event in
iCalendar), and a page or a feed that shows it answers 500. A date is judged on the clock it was typed on (its
wall-clock day), so « 31 décembre 2100, 23 h » in Guyane is in, and its instant in UTC, early 2101, stays far from
any overflow.

Rows written past these doors (a bulk write, an old import) are not public (``public_instants``, read by
``agenda.models.EventQuerySet.public``), and every local time shown of them goes through ``localtime``, which never
overflows."""

import logging
from datetime import UTC, date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

logger = logging.getLogger(__name__)

DATE_RANGE = (date(2000, 1, 1), date(2100, 12, 31))
OUT_OF_RANGE = "Date hors de l’agenda : choisissez une date entre l’an 2000 et l’an 2100."
# Wall-clock days of DATE_RANGE on any clock (UTC offsets reach ±14 h) lie between these instants.
_MARGIN = timedelta(days=1)


def day_of(value: date | datetime) -> date:
    """The day a date or a datetime names on its own clock (an aware datetime is not converted)."""
    return value.date() if isinstance(value, datetime) else value


def in_range(value: date | datetime | None) -> bool:
    return value is not None and DATE_RANGE[0] <= day_of(value) <= DATE_RANGE[1]


def validate_in_range(value: date | datetime | None) -> None:
    """A form field validator (``validators=[validate_in_range]``): the French message, a field error, a 400."""
    if value is not None and not in_range(value):
        raise ValidationError(OUT_OF_RANGE, code="out_of_range")


def public_instants() -> tuple[datetime, datetime]:
    """The instants (UTC) between which an event may be shown: DATE_RANGE on every clock, with a day's margin."""
    return (
        datetime.combine(DATE_RANGE[0], datetime.min.time(), tzinfo=UTC) - _MARGIN,
        datetime.combine(DATE_RANGE[1], datetime.min.time(), tzinfo=UTC) + 2 * _MARGIN,
    )


def localtime(value: datetime, zone=None) -> datetime:
    """``django.utils.timezone.localtime`` that never overflows: a stored instant that cannot be read on ``zone``'s
    clock (year 1 behind UTC, year 9999 ahead of it) is given as it is, in UTC, and logged, so the page that shows
    it still answers."""
    try:
        return timezone.localtime(value, zone)
    except OverflowError:
        logger.warning("date out of range shown in UTC: %r", value)
        return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
