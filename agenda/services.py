"""Writes on events: contribution, moderation, status. Views, imports, the API and commands use these functions."""

from collections import Counter
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from agenda import rules, versions, workflow
from agenda.bulk import insert_all
from agenda.enums import Mode, Moderation, ModerationAction, Status
from agenda.fields import MODERATED_FIELDS, MODERATED_M2M, SIGNIFICANT_FIELDS
from agenda.models import LOCATING_FIELDS, Event, EventStep, ImportSource
from core.emails import absolute_url, email_send_on_commit
from core.errors import Conflict, DomainError, NotAllowed
from core.services import audit_log
from territories import addresses


class AgendaError(DomainError):
    """A rule of the agenda refused the action (``core.errors``)."""


# A new event announces something that will happen as planned: it is born scheduled, or already full (a partner's
# event whose places are taken); postponed, cancelled or moved online tell of a change, made after creation (whichever
# door: the form offers these two only, the API and the imports are refused the others).
AT_CREATION = {Status.SCHEDULED, Status.FULL}
NOT_AT_CREATION = set(Status) - AT_CREATION
NOT_AT_CREATION_MESSAGE = (
    "Un nouvel événement est créé « Programmé » ou « Complet » : enregistrez-le ainsi, puis changez son statut "
    "(reporté, annulé, passé en ligne) depuis sa page de gestion si besoin."
)


def check_new_status(status: str) -> None:
    """Refuse a new event that is not scheduled or full (the forms, the API and the imports all ask here)."""
    if status not in AT_CREATION:
        raise AgendaError(NOT_AT_CREATION_MESSAGE, field="status")


def _slug_base(title: str, starts_at) -> str:
    return slugify(f"{title} {timezone.localtime(starts_at):%Y-%m-%d}")[:120] or "evenement"


def event_unique_slug(*, title: str, starts_at) -> str:
    base = _slug_base(title, starts_at)
    slug, n = base, 2
    while Event.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


SLUG_QUERY_BATCH = 500  # slugs looked up per query


def _nth_slug(base: str, n: int) -> str:
    return base if n == 0 else f"{base}-{n + 1}"


def event_unique_slugs(events: list[tuple[str, object]]) -> list[str]:
    """The slugs ``event_unique_slug`` gives to these (title, start) created one after the other (« titre-2026-05-01 »,
    then « titre-2026-05-01-2 »…), in a few queries instead of one per event and per suffix tried: each round looks
    up, for every base still short of free slugs, as many more suffixes as it still needs (by equality, served by the
    unique index)."""
    bases = [_slug_base(title, starts_at) for title, starts_at in events]
    checked: set[str] = set()
    taken: set[str] = set()

    def look_up(names: list[str]) -> None:
        names = [name for name in names if name not in checked]
        for i in range(0, len(names), SLUG_QUERY_BATCH):
            chunk = names[i : i + SLUG_QUERY_BATCH]
            taken.update(Event.objects.filter(slug__in=chunk).values_list("slug", flat=True))
            checked.update(chunk)

    wanted = Counter(bases)
    tried = dict.fromkeys(wanted, 0)
    short = dict(wanted)
    while short:
        names = []
        for base, missing in short.items():
            names += [_nth_slug(base, tried[base] + i) for i in range(missing)]
            tried[base] += missing
        look_up(names)
        free = {base: sum(_nth_slug(base, n) not in taken for n in range(tried[base])) for base in short}
        short = {base: wanted[base] - free[base] for base in short if free[base] < wanted[base]}
    slugs = []
    for (
        base
    ) in bases:  # as event_unique_slug, one after the other (a slug given here is taken for the next ones)
        n = 0
        while True:
            slug = _nth_slug(base, n)
            look_up([slug])  # already known, but for a base that another one's suffix could reach
            if slug not in taken:
                break
            n += 1
        taken.add(slug)
        slugs.append(slug)
    return slugs


def _place(event: Event) -> None:
    """The commune gives the département and the region; the region gives the default time zone."""
    if event.commune_id:
        departement = event.commune.departement
        event.departement = departement
        event.region = departement.region
    if not event.timezone:
        event.timezone = event.region.timezone
    ZoneInfo(event.timezone)  # refuses an unknown zone loudly


def _values(event: Event, names: set[str]) -> dict:
    return {name: getattr(event, Event._meta.get_field(name).attname) for name in names}


def _relations(event: Event, m2m: dict | None) -> dict:
    """The moderated many-to-many values ``m2m`` would replace, as sets of primary keys (none for a new event)."""
    names = MODERATED_M2M & set(m2m or {})
    if event.pk is None:
        return {}
    return {name: set(getattr(event, name).values_list("pk", flat=True)) for name in names}


def _write(*, event: Event, data: dict, m2m: dict | None, creating: bool, direct, by=None) -> Event:
    """Apply ``data`` and ``m2m`` to ``event`` and save it. ``direct(event)`` says whether the writer publishes the
    event where it lands (asked once the event is placed: its new region decides, so a write into another region
    goes to that region's moderation). A new event is published at once only if ``direct``. The ambassadors listed
    must act in the event's region (``rules.may_be_listed``). A
    change subscribers must see (``SIGNIFICANT_FIELDS``) raises SEQUENCE; a change of what a moderator judged
    (``MODERATED_FIELDS``, ``MODERATED_M2M``) made by a contributor who is not ``direct`` sends a published event back
    to moderation (else moderation could be bypassed by editing after publication). A change of status alone (cancelled,
    postponed...) keeps the event published, as ``event_set_status`` does. A postponed event given new dates is
    rescheduled (``Event.reschedule_if_moved``, at ``save()``). A new event is never postponed nor cancelled
    (``check_new_status``). An event published once written keeps that version (``versions.record_published``)."""
    significant, moderated = _values(event, SIGNIFICANT_FIELDS), _values(event, MODERATED_FIELDS)
    was = event.moderation
    place = _venue(event)
    relations = _relations(event, m2m)
    for name, value in data.items():
        setattr(event, name, value)
    if creating:
        check_new_status(event.status)
    _place(event)
    if event.ends_at < event.starts_at:
        raise AgendaError("La fin de l’événement doit être après son début.")
    _check_listed(event, (m2m or {}).get("ambassadors"), unchanged=relations.get("ambassadors", set()))
    direct = direct(event)
    if creating:
        event.slug = event_unique_slug(title=event.title, starts_at=event.starts_at)
        event.moderation = Moderation.PUBLISHED if direct else Moderation.SUBMITTED
    else:
        if _values(event, SIGNIFICANT_FIELDS) != significant:
            event.sequence += 1
        relations_changed = any({obj.pk for obj in m2m[name]} != pks for name, pks in relations.items())
        judged = _values(event, MODERATED_FIELDS) != moderated or relations_changed
        moderation_after_change(event, judged=judged, direct=direct)
    geocode = _geocoding(event, before=place)
    event.save()
    for name, values in (m2m or {}).items():
        getattr(event, name).set(values)
    versions.record_published(event)
    if geocode:
        from agenda import tasks  # (the tasks import the imports, which import this module)

        pk = event.pk
        transaction.on_commit(lambda: tasks.event_geocode.enqueue(pk))
    if not creating and was != event.moderation:
        _step(event, action=ModerationAction.SEND_BACK, by=by, state_from=was, note=_writer_note(event))
    return event


def _venue(event: Event) -> tuple | None:
    """What an event's venue coordinates are looked up from (its address in its commune), or None: online, no
    address or no commune, or an imported event (its coordinates are its feed's GEO, never looked up)."""
    if event.source_id is not None or event.mode == Mode.ONLINE or not event.commune_id:
        return None
    address = " ".join(event.address.split())
    return (address, event.commune_id) if address else None


def _geocoding(event: Event, *, before: tuple | None) -> bool:
    """Whether the venue's coordinates are to be looked up in the Base Adresse Nationale once ``event`` is written
    (``event_geocode``, in a task). A contributor's event (form or API) has coordinates from there only: when its
    address or commune changes, or it goes online, or loses its address, those of the former address are cleared
    (the distances are then to the commune's centre until the new address is found). Run after the moderation and
    SEQUENCE are decided: the address's change decides them, never the coordinates that follow from it. An
    imported event is left alone (``_venue``)."""
    if event.source_id is not None:
        return False
    venue = _venue(event)
    if venue != before:
        event.latitude = event.longitude = None
    return venue is not None and event.latitude is None and addresses.lookup_enabled()


def event_geocode(event_pk: int) -> bool:
    """Set the venue's coordinates of a contributor's event from its address (``territories.addresses``,
    ``address_point``: a number or a street of its commune, found with confidence); True when they were set. The
    distances are then to the venue (``Event.locate``, run by ``save``). The coordinates are not the contributor's
    words but read from the address, which was judged and counted in SEQUENCE when it was written: only
    ``latitude``, ``longitude`` (and the point, ``updated_at`` for the caches) are written, the moderation and
    SEQUENCE never move, and a published event's version takes them in (``versions.record_published``: the public
    already sees this address, and a later diff for the moderators does not show them as the contributor's
    change). Nothing is done when the event went away, was imported since, or its address changed meanwhile (that
    write asked for its own lookup)."""
    event = Event.objects.select_related("commune").filter(pk=event_pk).first()
    venue = _venue(event) if event is not None else None
    if venue is None:
        return False
    point = addresses.address_point(venue[0], commune=event.commune)  # (the network, outside any transaction)
    if point is None:
        return False
    latitude, longitude = (Decimal(f"{value:.6f}") for value in point)
    with transaction.atomic():
        event = (
            Event.objects.select_for_update(of=("self",))
            .select_related("commune")
            .filter(pk=event_pk)
            .first()
        )
        if event is None or _venue(event) != venue:
            return False
        if (event.latitude, event.longitude) == (latitude, longitude):
            return False
        event.latitude, event.longitude = latitude, longitude
        event.save(update_fields=["latitude", "longitude", "updated_at"])
        versions.record_published(event)
    return True


def moderation_after_change(event: Event, *, judged: bool, direct: bool) -> None:
    """The moderation rule of every door, on ``event`` in memory: a change of what the moderators judged (``judged``:
    a field of ``MODERATED_FIELDS``, a relation of ``MODERATED_M2M``, the region) made by a writer who does not
    publish directly where the event now lies (``direct``) sends a published event back to moderation. Its
    published version stays public until the moderators decide (``versions``)."""
    if event.moderation == Moderation.PUBLISHED and judged and not direct:
        event.moderation = Moderation.SUBMITTED


def _check_listed(event: Event, ambassadors, *, unchanged: set) -> None:
    """Refuse a newly listed ambassador who may not be shown on this event (those already listed stay: an ambassador
    who changed region does not make the event impossible to correct)."""
    outside = [a for a in ambassadors or () if a.pk not in unchanged and not rules.may_be_listed(a, event)]
    if outside:
        names = ", ".join(f"{a.first_name} {a.last_name}" for a in outside)
        raise AgendaError(
            f"Seuls les ambassadeurs de la région de l’événement ({event.region.name}) ou de portée nationale "
            f"peuvent y être indiqués : retirez {names}."
        )


def _resubmit(event: Event, *, by) -> None:
    """A refused event corrected by its contributor goes back to the moderators (``workflow``: resubmit)."""
    frm = event.moderation
    if not workflow.WORKFLOW.may(workflow.CONTRIBUTOR, ModerationAction.RESUBMIT, frm):
        return
    event.moderation = workflow.WORKFLOW.target(ModerationAction.RESUBMIT, frm)
    event.save(update_fields=["moderation"])
    _step(event, action=ModerationAction.RESUBMIT, by=by, state_from=frm, note=_writer_note(event))


@transaction.atomic
def event_save(*, by, data: dict, m2m: dict | None = None, event: Event | None = None) -> Event:
    """Create (``event`` None) or change an event. Guarantees: only contributors (coordinators, ambassadors) create,
    only the creator or a moderator of the region changes; a new event is published at once for coordinators and
    trusted ambassadors, submitted to moderation otherwise; every change subscribers must see raises SEQUENCE; a
    change of what the moderators judged (any public field but the status, sectors, topics, ambassadors present), made
    by a contributor who does not publish directly, sends a published event back to moderation; a postponed event
    given new dates is rescheduled, its first start kept in ``previous_starts_at``."""
    creating = event is None
    if creating:
        if not rules.can_contribute(by):
            raise NotAllowed("Seuls les ambassadeurs et les coordinateurs peuvent proposer un événement.")
        event = Event(created_by=by)
    elif not rules.can_edit(by, event):
        raise NotAllowed("Vous ne pouvez pas modifier cet événement.")

    def direct(placed: Event) -> bool:
        return rules.publishes_directly(by, placed) or rules.can_moderate(by, placed)

    was_refused = event.moderation == Moderation.REFUSED
    _write(event=event, data=data, m2m=m2m, creating=creating, direct=direct, by=by)
    if not creating and was_refused and event.created_by_id == by.pk:
        _resubmit(event, by=by)
    audit_log(actor=by, action="event.create" if creating else "event.edit", obj=event)
    return event


@transaction.atomic
def event_save_by_partner(*, key, data: dict, m2m: dict | None = None, event: Event | None = None) -> Event:
    """A partner's event pushed through the API with its key. Guarantees: the key is active; the event lies in one
    of the key's regions; a key changes only the events it pushed; the moderation rules of an ambassador who is not
    trusted apply (a new event waits for the coordinators of its region; a change of what they judged, region and
    sectors included, sends a published event back to them; a change of status alone keeps it published and raises
    SEQUENCE; a refused event, corrected, is submitted again; a postponed event given new dates is rescheduled, as
    in ``event_save``)."""
    if not key.is_active:
        raise NotAllowed("Cette clé d’API est révoquée.")
    creating = event is None
    if creating:
        event = Event(partner_key=key)
    elif event.partner_key_id != key.pk:
        raise NotAllowed("Cet événement n’a pas été envoyé avec cette clé.")
    was_refused = event.moderation == Moderation.REFUSED
    with transaction.atomic():
        _write(event=event, data=data, m2m=m2m, creating=creating, direct=lambda placed: False)
        allowed = set(key.regions.values_list("pk", flat=True))
        if event.region_id not in allowed:
            raise NotAllowed(
                f"Cette clé ne permet pas d’envoyer des événements en région {event.region.name} "
                f"(régions autorisées : {', '.join(sorted(allowed)) or 'aucune'})."
            )
    if not creating and was_refused:
        _resubmit(event, by=None)
    audit_log(
        actor=None,
        action="event.create" if creating else "event.edit",
        obj=event,
        changes={"partenaire": key.name, "clé": key.prefix},
    )
    return event


def _step(event: Event, *, action: str, by, state_from: str, note: str = "") -> None:
    """One row of the event's moderation history (``EventStep``), in the move's transaction."""
    EventStep.objects.create(
        event=event,
        actor=by if getattr(by, "is_authenticated", False) else None,
        action=action,
        state_from=state_from,
        state_to=event.moderation,
        note=note,
    )


def _writer_note(event: Event) -> str:
    """Who wrote the event, when no person did (the history's ``note``)."""
    if event.partner_key_id:
        return f"Partenaire : {event.partner_key.name}"
    if event.source_id:
        return f"Source importée : {event.source.name}"
    return ""


DECISION_UNKNOWN = "Décision de modération inconnue."
DECISION_IMPOSSIBLE = "Cette décision de modération n’est pas possible dans l’état actuel de l’événement."
NOT_A_MODERATOR = "Seuls les coordinateurs de la région de l’événement le modèrent."


@transaction.atomic
def event_transition(
    *, event: Event, action: str, by, reason: str = "", expected_version: int | None = None
) -> Event:
    """A moderator's move of ``workflow.WORKFLOW``: publish, or refuse with a reason (a published event refused is
    taken off the agenda). Guarantees: only the coordinators of the event's region (``rules.can_moderate``); only
    the moves the table holds from the event's state; if the event changed since ``expected_version`` (its SEQUENCE
    when the page was shown: another moderator decided, or the contributor changed it) nothing is written and
    ``Conflict`` says so; SEQUENCE raised; a publication keeps the version published (``agenda/versions.py``); one
    row of history (``EventStep``) and the audit log; the contributor is told by email."""
    if not rules.can_moderate(by, event):
        raise NotAllowed(NOT_A_MODERATOR)
    frm = event.moderation
    move = workflow.WORKFLOW.check(
        action,
        frm,
        workflow.MODERATOR,
        error=AgendaError,
        unknown=DECISION_UNKNOWN,
        impossible=DECISION_IMPOSSIBLE,
        not_yours=NOT_A_MODERATOR,
    )
    reason = (reason or "").strip()
    to = move.target(frm)
    if to == Moderation.REFUSED and not reason:
        raise AgendaError("Un refus doit être motivé : indiquez le motif.", field="reason")
    sequence = event.sequence if expected_version is None else expected_version
    now = timezone.now()
    refusal_reason = reason if to == Moderation.REFUSED else ""
    # Compare-and-set: of two moderators deciding at once, or a decision on a page the contributor changed since,
    # only one matches the state and SEQUENCE it saw.
    updated = Event.objects.filter(pk=event.pk, moderation=frm, sequence=sequence).update(
        moderation=to, refusal_reason=refusal_reason, sequence=sequence + 1, updated_at=now
    )
    if not updated:
        raise Conflict(
            "L’événement a changé depuis l’affichage de la page (une autre décision, ou une modification) : "
            "relisez-le avant de décider."
        )
    event.moderation, event.refusal_reason, event.sequence, event.updated_at = (
        to,
        refusal_reason,
        sequence + 1,
        now,
    )
    versions.record_published(event)
    _step(event, action=action, by=by, state_from=frm)
    audit_log(actor=by, action=f"event.{to}", obj=event, changes={"motif": reason} if reason else None)
    contributor = (
        event.created_by.email
        if event.created_by and event.created_by_id != by.pk
        else (event.partner_key.contact_email if event.partner_key_id else "")
    )
    if contributor:
        email_send_on_commit(
            to=[contributor],
            template=f"agenda/email/{to}.txt",
            context={"event": event, "event_url": absolute_url(event.get_absolute_url())},
        )
    return event


@transaction.atomic
def event_set_status(*, event: Event, by, status: str) -> Event:
    """Scheduled, postponed, cancelled, full, moved online. A cancelled event is never deleted: it stays visible
    and in the feeds as cancelled."""
    if not rules.can_edit(by, event):
        raise NotAllowed("Vous ne pouvez pas modifier cet événement.")
    if status not in Status.values:
        raise AgendaError("Statut inconnu.")
    if event.status != status:
        event.status = status
        event.sequence += 1
        event.save(update_fields=["status", "sequence", "updated_at"])
        versions.record_published(event)  # a change of status is public at once
        audit_log(actor=by, action="event.status", obj=event, changes={"statut": status})
    return event


# Imported events. The importer (``agenda.imports``) reads a feed and matches its events to those of the source; these
# functions write them, by batches of ``WRITE_BATCH``, with the rules every door follows. What an imported change does
# to a published event: the source is a contributor like any other, so unless it publishes directly in the region the
# event lies in, a change of what the moderators judged (or a move to another region) sends the event back to
# moderation, while its published version stays on the agenda until they decide; a change of status alone (the feed
# cancels it) keeps it published.


def events_import_create(*, source: ImportSource, events: list[Event]) -> None:
    """Write new events read from ``source``'s feed (unsaved ``Event`` objects, their feed's values set). Guarantees:
    none is born postponed or cancelled (``check_new_status``: the importer skips those first, with a reason); an
    event is published at once only if the source publishes directly and the event lies in the source's region
    (``rules.source_publishes_directly``), else it waits for the moderators of its region; slugs as for any event
    (``event_unique_slugs``); the postponement rule and the search column that ``save()`` applies; a published
    event's version kept (``versions``). One INSERT per batch (``bulk.insert_all``): no ``save()``, no signal."""
    for event in events:
        check_new_status(event.status)
        event.source = source
        event.created_by = None
        event.moderation = (
            Moderation.PUBLISHED if rules.source_publishes_directly(source, event) else Moderation.SUBMITTED
        )
        event.reschedule_if_moved()
        event.locate()
        for name, value in event.search_values().items():
            setattr(event, name, value)
    slugs = event_unique_slugs([(e.title, e.starts_at) for e in events])
    for event, slug in zip(events, slugs, strict=True):
        event.slug = slug
    insert_all(events)
    versions.record_published_all(events)


def event_import_change(event: Event, *, source: ImportSource, changed: set[str], region_before: str) -> bool:
    """What follows an imported change of ``event``, in memory (the feed's values already set on it; ``changed``:
    the fields whose value the feed changed; ``region_before``: the region it lay in): the region from the commune;
    the moderation rule of every door (``moderation_after_change``: the source publishes directly only in its own
    region); SEQUENCE raised, for the subscribers of our feed; the postponement rule and the search column that
    ``save()`` applies. Written by ``events_import_update``; True when the change sends the published event back to
    moderation (its history's row is written with it)."""
    event.source = source  # the same row, now at hand for its history's note (no query per event)
    if event.commune_id:
        event.region = event.commune.departement.region
    judged = bool(changed & MODERATED_FIELDS) or event.region_id != region_before
    was = event.moderation
    moderation_after_change(event, judged=judged, direct=rules.source_publishes_directly(source, event))
    event.sequence += 1
    event.reschedule_if_moved()
    if changed & LOCATING_FIELDS:
        event.locate()
    for name, value in event.search_values().items():
        setattr(event, name, value)
    return was != event.moderation


def events_import_update(events: list[Event], fields: list[str], *, sent_back: list[Event] = ()) -> None:
    """Write imported events changed in memory (``event_import_change``, or only their presence in the feed): the
    ``fields`` named, ``updated_at`` (which ``bulk_update`` does not set itself), a published event's version with
    them; for those ``sent_back`` to moderation, a row of their history each. One UPDATE per batch."""
    if not events:
        return
    now = timezone.now()
    for event in events:
        event.updated_at = now
    located = ("point_latitude", "point_longitude") if LOCATING_FIELDS & set(fields) else ()
    fields = list(dict.fromkeys([*fields, *located, "updated_at"]))
    if "published_snapshot" in fields:
        versions.record_published_all(events, write=False)
    Event.objects.bulk_update(events, fields)
    EventStep.objects.bulk_create(
        EventStep(
            event=event,
            action=ModerationAction.SEND_BACK,
            state_from=Moderation.PUBLISHED,
            state_to=event.moderation,
            note=_writer_note(event),
        )
        for event in sent_back
    )


def events_import_missing(pks: list[int], *, since) -> None:
    """Mark these imported events absent from their feed since ``since`` (shown to the coordinators; the event stays
    on the agenda: a feed that lost an event does not cancel it)."""
    if pks:
        Event.objects.filter(pk__in=pks).update(missing_from_source_since=since, updated_at=since)


SOURCE_FIELDS = ("name", "url", "default_region", "default_format", "publish_directly")


@transaction.atomic
def import_source_save(*, by, data: dict, source: ImportSource | None = None) -> ImportSource:
    """Create (``source`` None) or change a calendar import source with ``data`` (some of ``SOURCE_FIELDS``).
    Guarantees: the national coordination manages any source, a regional coordinator those of their region
    (``rules.can_manage_source``, before and after the change); ``by`` None is the command line, run by the
    platform's administrators on the server; every creation and change is audited with the fields changed (a
    source that publishes directly puts events online without moderation)."""
    unknown = set(data) - set(SOURCE_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    creating = source is None
    source = source or ImportSource()
    if by is not None and not creating and not rules.can_manage_source(by, source.default_region_id):
        raise NotAllowed("Vous ne gérez pas cette source.")
    before = {name: getattr(source, name) for name in data}
    for name, value in data.items():
        setattr(source, name, value)
    if by is not None and not rules.can_manage_source(by, source.default_region_id):
        raise NotAllowed("Vous ne gérez que les sources de votre région.")
    changed = {name: _audit_value(value) for name, value in data.items() if creating or before[name] != value}
    if not creating and not changed:
        return source
    source.save()
    audit_log(
        actor=by,
        action="import_source.create" if creating else "import_source.edit",
        obj=source,
        changes=changed,
    )
    return source


def _audit_value(value):
    return getattr(value, "pk", value)
