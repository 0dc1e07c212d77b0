"""The last published version of an event, and what changed since.

Every door that publishes an event (moderation, a direct publication by a coordinator or a trusted ambassador, an
import of a trusted calendar, a change of status or a partner's change that keeps it published) calls
``record_published``: the event's public fields are kept in ``Event.published_snapshot``. When the event comes back
to moderation, ``changes_since_published`` lists field by field what the moderators would publish that the public
does not see yet. The ambassadors present are kept by primary key only (their names are read at display time, so an
erased profile leaves no name behind).

Values are kept, and compared, in one canonical form, whatever the door handed over (an instant in the event's
local offset from the form or the API, the same instant read back in UTC from the database; ``45.75`` from a
writer, ``45.750000`` from the column): instants in UTC (``2027-03-10T09:00:00Z``, to the millisecond, as
``DjangoJSONEncoder`` writes them), dates as ``YYYY-MM-DD``, decimals quantized to their column's places, texts
never None, other empty values None, relations as sorted primary keys. A version kept before this form is
brought to it when compared, so an untouched field never shows as a change.
"""

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    DecimalField,
    ManyToManyField,
    TextField,
    prefetch_related_objects,
)
from django.utils import timezone as djtz

from agenda.dates import ZONE_NAMES
from agenda.enums import Moderation
from agenda.fields import LABELS, MODERATED_M2M, PUBLIC_FIELDS
from core.dates import localtime
from core.formats import french_datetime

# In the order of the form (and of the public page): ``agenda.fields``.
FIELDS = PUBLIC_FIELDS
LONG_FIELDS = {"description"}
SNAPSHOT_M2M = tuple(name for name in PUBLIC_FIELDS if name in MODERATED_M2M)


def _field(name):
    from agenda.models import Event

    return Event._meta.get_field(name)


def _instant(value) -> str:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if djtz.is_naive(value):  # as Django reads a naive instant: in the default time zone
        value = djtz.make_aware(value)
    return DjangoJSONEncoder().default(value.astimezone(UTC))


def _pk(field, value):
    target = field.related_model._meta.pk if isinstance(field, ManyToManyField) else field.target_field
    return target.to_python(getattr(value, "pk", value))


def canonical(name: str, value):
    """``value`` of the field ``name`` (a Python value, or one read from a kept version) in its canonical JSON form
    (module docstring). A value that cannot be read is kept as it is: it then shows as a change, never as an
    error."""
    field = _field(name)
    try:
        if isinstance(field, ManyToManyField):
            return sorted(_pk(field, v) for v in value or ())
        if isinstance(field, (CharField, TextField)):
            return "" if value is None else str(value)
        if value is None or value == "":
            return None
        if field.is_relation:
            return _pk(field, value)
        if isinstance(field, DateTimeField):
            return _instant(value)
        if isinstance(field, DateField):
            return (date.fromisoformat(value) if isinstance(value, str) else value).isoformat()
        if isinstance(field, DecimalField):
            places = Decimal(1).scaleb(-field.decimal_places)
            return format(Decimal(str(value)).quantize(places), "f")
        if isinstance(field, BooleanField):
            return bool(value)
        return json.loads(json.dumps(field.to_python(value), cls=DjangoJSONEncoder))
    except (TypeError, ValueError, InvalidOperation, ValidationError):
        return value


def snapshot(event) -> dict:
    """The event's public fields in their canonical JSON form (foreign keys and many-to-many as primary keys,
    sorted)."""
    values = {}
    for name in FIELDS:
        field = _field(name)
        if isinstance(field, ManyToManyField):
            # (from a prefetch when there is one: a list of events costs no query per event)
            values[name] = canonical(name, getattr(event, name).all())
        else:
            values[name] = canonical(name, getattr(event, field.attname))
    return values


def record_published(event) -> None:
    """Keep ``event``'s public version, if it is published (a no-op otherwise). Written with ``update()``: neither
    ``updated_at`` nor SEQUENCE move, and no save logic runs again."""
    if event.moderation != Moderation.PUBLISHED:
        return
    event.published_snapshot = snapshot(event)
    type(event).objects.filter(pk=event.pk).update(published_snapshot=event.published_snapshot)


def record_published_all(events, *, write: bool = True) -> None:
    """``record_published`` for a batch (the imports): the many-to-many values read in one query per relation, the
    published events' versions written in one ``bulk_update`` (``write``), or left on the objects for the caller's
    own update."""
    published = [event for event in events if event.moderation == Moderation.PUBLISHED]
    if not published:
        return
    prefetch_related_objects(published, *SNAPSHOT_M2M)
    for event in published:
        event.published_snapshot = snapshot(event)
    if write:
        type(published[0]).objects.bulk_update(published, ["published_snapshot"])


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str
    long: bool = False


def _names(name: str, pks: set) -> dict:
    """{pk: readable name} for the values of the relation ``name`` (one query)."""
    if not pks:
        return {}
    model = _field(name).related_model
    objects = model.objects.filter(pk__in=pks)
    if name == "sectors":
        return {o.pk: f"{o.code} – {o.label}" for o in objects}
    if name == "ambassadors":
        return {o.pk: o.full_name for o in objects}
    return {o.pk: o.name for o in objects}


def _moment(value: str | None, zone: str) -> str:
    if not value:
        return "(vide)"
    try:
        moment = localtime(datetime.fromisoformat(value), ZoneInfo(zone))
    except (TypeError, ValueError):
        return str(value)
    # The zone is named when it is not Paris time, as on the public page (``agenda.dates.event_when``).
    return french_datetime(moment) + ("" if zone == "Europe/Paris" else f" ({ZONE_NAMES.get(zone, zone)})")


def _text(name: str, value, *, zone: str, names: dict) -> str:
    field = _field(name)
    if isinstance(field, ManyToManyField) or field.is_relation:
        pks = value if isinstance(value, list) else ([] if value is None else [value])
        if not pks:
            return "(aucun)" if isinstance(field, ManyToManyField) else "(vide)"
        known = names.get(name, {})
        return " ; ".join(known.get(pk, "(supprimé)") for pk in pks)
    if name in ("starts_at", "ends_at"):
        return _moment(value, zone)
    if isinstance(value, bool):
        return "Oui" if value else "Non"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if value in (None, ""):
        return "(vide)"
    return str(value)


def changes_since_published(event) -> list[Change]:
    """What the public does not see yet: each field that differs from the last published version, before → after,
    with readable labels (none if the event was never published, or is published as it is). A fixed number of
    queries: the current many-to-many values, then the names of each relation that changed."""
    before = event.published_snapshot
    if not before:
        return []
    # (a version kept in an older form is read in the canonical one: only a real difference is a change)
    before = {name: canonical(name, value) for name, value in before.items() if name in FIELDS}
    after = snapshot(event)
    changed = [name for name in FIELDS if name in before and before[name] != after[name]]
    relations = [name for name in changed if _field(name).is_relation]
    names = {}
    for name in relations:
        pks = set()
        for value in (before[name], after[name]):
            pks |= set(value if isinstance(value, list) else [value] if value is not None else [])
        names[name] = _names(name, pks)
    return [
        Change(
            label=LABELS.get(name) or str(_field(name).verbose_name).capitalize(),
            before=_text(name, before[name], zone=before.get("timezone") or event.timezone, names=names),
            after=_text(name, after[name], zone=event.timezone, names=names),
            long=name in LONG_FIELDS,
        )
        for name in changed
    ]
