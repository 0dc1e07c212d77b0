"""Reading the values of a component of an untrusted feed: text without control characters and within a length,
integers, instants in UTC, links, coordinates; and the keys an event is matched on from one import to the next
(``_source_uid``). None of them raises on a broken value: it reads as empty."""

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from hashlib import sha256

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from core.dates import in_range

# NUL and other control characters: PostgreSQL refuses NUL in text, and none of them is meant to be shown.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_url_validator = URLValidator(schemes=["http", "https"])


def _first(value):
    return value[0] if isinstance(value, list) else value


def _prop(component, name: str):
    """``component.get(name)`` for a name in capitals, the way the library stores every name: without its case
    folding and the exception it raises and catches for a missing one (a tenth of the reading of 10,000 events,
    cProfile), the same value."""
    return dict.get(component, name)


def _text(component, name: str, limit: int | None) -> str:
    value = _first(_prop(component, name))
    if value is None:
        return ""
    text = CONTROL_CHARACTERS.sub("", str(value).replace("\r\n", "\n")).strip()
    return text[:limit] if limit else text


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _int(component, name: str) -> int | None:
    try:
        return int(_first(_prop(component, name)))
    except (TypeError, ValueError, AttributeError):
        return None


def _utc(component, name: str) -> datetime | None:
    try:
        value = _first(_prop(component, name)).dt
    except Exception:  # missing or broken: LAST-MODIFIED is only a hint
        return None
    if not isinstance(value, datetime) or not in_range(value):
        return None  # outside the agenda's years (core/dates.py) the hint is worthless, and year 1 overflows in UTC
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)


def _last(start, end):
    """The last instant or day of an event: DTEND of a day is exclusive."""
    if isinstance(end, datetime) or end <= start:
        return end
    return end - timedelta(days=1)


def _within_years(component) -> bool:
    """Whether a prepared component (``_Importer.prepare``) starts and ends within the agenda's years."""
    start = component["DTSTART"].dt
    try:
        if "DTEND" in component:
            end = _first(component["DTEND"]).dt
        elif "DURATION" in component:
            end = start + _first(component["DURATION"]).dt
        else:
            end = start
    except OverflowError:
        return False
    return in_range(start) and in_range(_last(start, end))


def _url(value: str) -> str:
    value = value.strip()
    if not value or len(value) > 500:
        return ""
    try:
        _url_validator(value)
    except ValidationError:
        return ""
    return value


def _coordinate(value, bound: int):
    try:
        number = Decimal(str(value)).quantize(Decimal("0.000001"))
    except (ArithmeticError, ValueError, TypeError):
        return None
    return number if -bound <= number <= bound else None


def _instant_key(value) -> str:
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return value.isoformat()


def _source_uid(uid: str, recurrence=None) -> str:
    key = uid if recurrence is None else f"{uid}#{_instant_key(recurrence)}"
    if len(key) > 500:  # the column's size: a long UID is kept unique by its digest
        digest = sha256(uid.encode()).hexdigest()
        key = f"sha256:{digest}" if recurrence is None else f"sha256:{digest}#{_instant_key(recurrence)}"
    return key
