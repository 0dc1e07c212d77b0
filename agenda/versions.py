"""The last published version of an event, and what changed since.

Every door that publishes an event (moderation, a direct publication by a coordinator or a trusted ambassador, an
import of a trusted calendar, a change of status or a partner's change that keeps it published) calls
``record_published``: the event's public fields are kept in ``Event.published_snapshot``. When the event comes back
to moderation, ``changes_since_published`` lists field by field what the moderators would publish that the public
does not see yet. The ambassadors present are kept by primary key only (their names are read at display time, so an
erased profile leaves no name behind).
"""

import json
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import ManyToManyField

from agenda.dates import ZONE_NAMES
from agenda.enums import Moderation
from core.dates import localtime
from core.formats import french_datetime

# In the order of the form (and of the public page).
FIELDS = (
    "title",
    "description",
    "starts_at",
    "ends_at",
    "all_day",
    "timezone",
    "mode",
    "venue_name",
    "address",
    "commune",
    "departement",
    "region",
    "latitude",
    "longitude",
    "online_url",
    "format",
    "audience",
    "sectors",
    "topics",
    "is_free",
    "registration_url",
    "organizer_name",
    "organizer_url",
    "ambassadors",
    "status",
)
LONG_FIELDS = {"description"}
SNAPSHOT_M2M = ("sectors", "topics", "ambassadors")
# The form's words where they differ from the model's (agenda/forms.py: EventForm.Meta.labels).
LABELS = {"venue_name": "Nom du lieu", "address": "Adresse (numéro et voie)"}


def _field(name):
    from agenda.models import Event

    return Event._meta.get_field(name)


def snapshot(event) -> dict:
    """The event's public fields as JSON values (foreign keys and many-to-many as primary keys, sorted)."""
    values = {}
    for name in FIELDS:
        field = _field(name)
        if isinstance(field, ManyToManyField):
            # (from a prefetch when there is one: a list of events costs no query per event)
            values[name] = sorted(obj.pk for obj in getattr(event, name).all())
        else:
            values[name] = getattr(event, field.attname)
    return json.loads(json.dumps(values, cls=DjangoJSONEncoder))


def record_published(event) -> None:
    """Keep ``event``'s public version, if it is published (a no-op otherwise). Written with ``update()``: neither
    ``updated_at`` nor SEQUENCE move, and no save logic runs again."""
    if event.moderation != Moderation.PUBLISHED:
        return
    event.published_snapshot = snapshot(event)
    type(event).objects.filter(pk=event.pk).update(published_snapshot=event.published_snapshot)


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
    moment = localtime(datetime.fromisoformat(value), ZoneInfo(zone))
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
