"""Demo events: 60 AI events over every region, over the last eight months and the next four, in every format and
mode (``demo.data.texts.EVENT_KINDS``), a few cancelled, postponed (one given its new date) or full, a few waiting for moderation and one
refused, one in La Réunion (its own time zone). They come from where events come from: the coordinators, the
demo ambassador (moderated by her region), and two imported calendars (one trusted, one moderated) with their
import runs. Each event was created, and moderated, before it starts; the ambassadors taking part were published
before it was created.

Deterministic (each event has its own random stream) and idempotent (keyed by slug); dates are relative to the day
of loading, so the agenda always has events to come."""

import random
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Count, Q
from faker import Faker

from accounts.models import User
from agenda import versions
from agenda.enums import Format, Mode, Moderation, Status
from agenda.models import Event, ImportRun, ImportSource
from ambassadors.models import Ambassador, Topic
from demo.ambassadors import DEMO_AMBASSADOR_ACCOUNT, DEMO_DOMAIN
from demo.bulk import set_many
from demo.data import people
from demo.data.french import fr, of
from demo.data.texts import EVENT_KINDS
from demo.data.timeline import PARIS, anchor, between, today
from territories.models import Commune, Region
from territories.selectors import naf_sections

COUNT = 60
HOURS = {
    Format.CONFERENCE: [2, 3],
    Format.ATELIER: [3],
    Format.WEBINAIRE: [1],
    Format.CAFE_IA: [1, 2],
    Format.RENCONTRE_AFFAIRES: [4],
    Format.SALON: [8],
    Format.FORMATION: [7],
    Format.AUTRE: [2],
}
SOURCES = [
    {
        "name": "Agenda des CCI et de Bpifrance en Auvergne-Rhône-Alpes (démo)",
        "region": "84",
        "publish_directly": True,
        "format": Format.RENCONTRE_AFFAIRES,
        "host": "agenda-cci-aura.example",
    },
    {
        "name": "Agenda de la French Tech en Occitanie (démo)",
        "region": "76",
        "publish_directly": False,
        "format": Format.CAFE_IA,
        "host": "agenda-frenchtech-occitanie.example",
    },
]
# Events whose origin the demo shows on purpose: (region, format, who brought it, moderation).
PLANNED = {
    22: ("84", Format.ATELIER, "ambassador", Moderation.PUBLISHED),
    26: ("84", Format.CAFE_IA, "ambassador", Moderation.PUBLISHED),
    31: ("84", Format.ATELIER, "ambassador", Moderation.SUBMITTED),
    33: ("84", Format.AUTRE, "ambassador", Moderation.REFUSED),
    40: ("76", Format.CAFE_IA, "import", Moderation.PUBLISHED),
    41: ("76", Format.CAFE_IA, "import", Moderation.SUBMITTED),
    43: ("76", Format.CAFE_IA, "import", Moderation.PUBLISHED),
    44: ("84", Format.RENCONTRE_AFFAIRES, "import", Moderation.PUBLISHED),
    46: ("84", Format.RENCONTRE_AFFAIRES, "import", Moderation.PUBLISHED),
    50: ("84", Format.RENCONTRE_AFFAIRES, "import", Moderation.PUBLISHED),
}
IMPORTED_FORMATS = (Format.RENCONTRE_AFFAIRES, Format.CAFE_IA, Format.CONFERENCE)
# Postponed, then given its new date (so many days after the one first announced): the agenda shows « Reporté :
# initialement prévu le … » beside postponed events still waiting for theirs (« Nouvelle date à venir »).
RESCHEDULED = {11: 28}
REFUSAL = "Présentation commerciale d'un seul fournisseur : elle n'a pas sa place dans l'agenda public."


def _runs(end: datetime) -> list[datetime]:
    """When the imported calendars were read: every two weeks, at 6 a.m., the last one three days ago."""
    last = datetime.combine((end - timedelta(days=3)).astimezone(PARIS).date(), time(6, 0), tzinfo=PARIS)
    last = last.astimezone(UTC)
    return [last - timedelta(days=14 * k) for k in range(20)][::-1]


@transaction.atomic
def demo_agenda_load() -> dict[str, int]:
    day = today()
    end = anchor(day)
    regions = list(Region.objects.order_by("code"))
    by_code = {r.code: r for r in regions}
    users = {u.email.split("@")[0]: u for u in User.objects.filter(email__endswith=f"@{DEMO_DOMAIN}")}
    own_user = users.get(DEMO_AMBASSADOR_ACCOUNT)
    own = Ambassador.objects.filter(user=own_user).first() if own_user else None
    published = list(
        Ambassador.objects.published()
        .filter(contact_email__endswith=DEMO_DOMAIN)
        .prefetch_related("regions", "topics")
        .order_by("contact_email")
    )
    weights = dict(
        Region.objects.annotate(
            n=Count("ambassadors", filter=Q(ambassadors__in=[a.pk for a in published]))
        ).values_list("code", "n")
    )
    cities: dict[str, list[Commune]] = {}
    for commune in (
        Commune.objects.filter(population__gte=10000)
        .select_related("departement")
        .order_by("-population", "code")
    ):
        cities.setdefault(commune.departement.region_id, []).append(commune)
    sources = {}
    for spec in SOURCES:
        source, _ = ImportSource.objects.update_or_create(
            name=spec["name"],
            defaults={
                "url": f"https://{spec['host']}/agenda.ics",
                "default_region_id": spec["region"],
                "default_format": spec["format"],
                "publish_directly": spec["publish_directly"],
                "is_active": True,
            },
        )
        sources[spec["region"]] = (source, spec)
    runs = _runs(end)
    topics = {t.slug: t for t in Topic.objects.all()}
    sections = {s.code: s for s in naf_sections()}
    fake = Faker("fr_FR")
    imported: dict[int, list[tuple[datetime, datetime]]] = {s.pk: [] for s, _ in sources.values()}
    links: dict[str, dict[int, list]] = {"topics": {}, "sectors": {}, "ambassadors": {}}

    for i in range(COUNT):
        rng = random.Random(f"demo-event-{i}")
        fake.seed_instance(f"demo-event-{i}")
        planned = PLANNED.get(i)
        if planned:
            region = by_code[planned[0]]
            kind = rng.choice([k for k in EVENT_KINDS if k.format == planned[1]])
        else:
            region = (
                regions[i]
                if i < len(regions)
                else rng.choices(regions, [weights[r.code] + 1 for r in regions])[0]
            )
            kinds = [k for k in EVENT_KINDS if region.code not in sources or k.format not in IMPORTED_FORMATS]
            kind = rng.choices(kinds, [k.weight for k in kinds])[0]
        mode = (
            Mode.ONLINE
            if kind.format == Format.WEBINAIRE
            else (Mode.HYBRID if rng.random() < 0.15 else Mode.IN_PERSON)
        )
        local = cities.get(region.code) or [None]
        commune = local[min(len(local) - 1, rng.choice([0, 0, 1, 2, 3]))] if mode != Mode.ONLINE else None
        capital = (cities.get(region.code) or [None])[0]
        city = (commune or capital).name.replace("'", "’") if (commune or capital) else region.name
        dep = (commune or capital).departement.name if (commune or capital) else region.name

        # When: a third to come (within four months), the rest over the last eight months.
        upcoming = i % 5 in (1, 3)
        start_day = day + timedelta(days=rng.randint(2, 120) if upcoming else -rng.randint(2, 240))
        zone = ZoneInfo(region.timezone)
        starts_at = datetime.combine(
            start_day, time(rng.choice([9, 10, 14, 17, 18]), rng.choice([0, 30])), tzinfo=zone
        )
        ends_at = starts_at + timedelta(hours=rng.choice(HOURS[kind.format]))
        status = Status.SCHEDULED
        previous_starts_at = starts_at - timedelta(days=RESCHEDULED[i]) if i in RESCHEDULED else None
        announced = previous_starts_at or starts_at  # what the dates of writing and moderation follow
        if i % 17 == 5:
            status = Status.CANCELLED
        elif i % 23 == 7:
            status = Status.POSTPONED
        elif upcoming and i % 19 == 3:
            status = Status.FULL

        # Who brought it: an imported calendar, the demo ambassador, or the region's coordination.
        moderation, creator, source = Moderation.PUBLISHED, None, None
        if planned and planned[2] == "import":
            source, moderation = sources[region.code][0], planned[3]
        elif planned and own is not None:
            creator, moderation = own_user, planned[3]
        else:
            coordination = {"84": "coordination.aura", "76": "coordination.occitanie"}.get(region.code)
            creator = users.get(coordination or "coordination.nationale")

        # When it was written: weeks before it starts (a few days ago for those still waiting for moderation),
        # then moderated (a day or two later) and changed again if its status changed.
        if source is not None:
            candidates = [r for r in runs if r <= announced - timedelta(days=14)]
            created_at = candidates[-1] if candidates else runs[0]
        elif moderation == Moderation.SUBMITTED:
            created_at = between(rng, end - timedelta(days=6), end - timedelta(hours=3))
        else:  # two to eight weeks before it starts, and before the day of loading
            latest = min(announced - timedelta(days=12), end - timedelta(days=2))
            created_at = between(
                rng, min(announced - timedelta(days=60), latest - timedelta(days=20)), latest
            )
        if own is not None and creator == own_user and own.published_at > starts_at - timedelta(days=2):
            creator, moderation = users.get("coordination.aura"), Moderation.PUBLISHED
        if creator == own_user and own is not None and own.published_at:  # she writes once published
            created_at = max(
                created_at, min(own.published_at + timedelta(days=1), starts_at - timedelta(days=1))
            )
        if moderation != Moderation.PUBLISHED:
            status = Status.SCHEDULED
        moderated_at = created_at  # coordinators and trusted calendars publish at once
        moderated = creator == own_user or (
            source is not None and not sources[region.code][1]["publish_directly"]
        )
        if moderation != Moderation.SUBMITTED and moderated:
            latest = min(created_at + timedelta(days=3), end - timedelta(hours=1))
            moderated_at = between(rng, created_at + timedelta(hours=4), latest)
        updated_at = moderated_at
        if status != Status.SCHEDULED and moderation == Moderation.PUBLISHED:  # changed after publication
            latest = min(starts_at - timedelta(days=1), end - timedelta(hours=1))
            updated_at = between(rng, min(moderated_at + timedelta(days=2), latest), latest)
        if previous_starts_at is not None and moderation == Moderation.PUBLISHED:  # given its new date
            latest = min(previous_starts_at - timedelta(days=1), end - timedelta(hours=1))
            updated_at = between(rng, min(moderated_at + timedelta(days=1), latest), latest)
        elif previous_starts_at is not None:
            previous_starts_at = None
        if source is not None:
            imported[source.pk].append((created_at, ends_at))

        present = [
            a
            for a in published
            if a.published_at < created_at
            and any(r.code == region.code for r in a.regions.all())
            and any(t.slug in kind.topics for t in a.topics.all())
        ]
        present = rng.sample(present, min(len(present), rng.choice([0, 1, 1, 2])))
        if creator == own_user and own is not None:
            present = [own, *[a for a in present if a.pk != own.pk]][:2]

        slug = f"demo-{i:03d}"
        metro = capital.name if capital else city
        venue = kind.venue.format(
            dep=dep, city=city, of_city=of(city), brand=people.brand(rng), last=fake.last_name()
        )
        place = commune.name.replace("'", "’") if commune else region.name
        values = {
            "title": fr(f"{kind.title} – {place}"),
            "description": fr(kind.description),
            "starts_at": starts_at,
            "ends_at": ends_at,
            "previous_starts_at": previous_starts_at,
            "timezone": region.timezone,
            "mode": mode,
            "format": kind.format,
            "venue_name": fr(venue) if commune else "",
            "address": "",
            "commune": commune,
            "departement": commune.departement if commune else None,
            "region": region,
            "online_url": f"https://visio.exemple.fr/{slug}" if mode != Mode.IN_PERSON else "",
            "audience": fr(kind.audience),
            "is_free": rng.random() < (0.5 if kind.format == Format.FORMATION else 0.9),
            "registration_url": f"https://inscriptions.exemple.fr/{slug}",
            "organizer_name": fr(kind.organizer.format(dep=dep, metro=metro, region=region.name)),
            "status": status,
            "moderation": moderation,
            "refusal_reason": fr(REFUSAL) if moderation == Moderation.REFUSED else "",
            "source": source,
            "source_uid": f"{slug}@{sources[region.code][1]['host']}" if source else "",
            "source_last_modified": created_at - timedelta(days=rng.randint(1, 6)) if source else None,
            "source_sequence": (1 if status != Status.SCHEDULED else 0) if source else None,
            "sequence": 1 if status != Status.SCHEDULED or previous_starts_at else 0,
            "created_by": creator,
        }
        event, _ = Event.objects.update_or_create(slug=slug, defaults=values)
        links["topics"][event.pk] = [topics[t].pk for t in kind.topics]
        links["sectors"][event.pk] = [sections[c].pk for c in kind.sectors]
        links["ambassadors"][event.pk] = [a.pk for a in present]
        Event.objects.filter(pk=event.pk).update(created_at=created_at, updated_at=updated_at)

    for name, wanted in links.items():
        set_many(Event, name, wanted)

    # The version the public sees of each published event (``agenda/versions.py``), and one event of Lyon's region
    # published, then changed by its contributor: back in moderation, its changes shown to the coordinators.
    demo_events = Event.objects.filter(slug__startswith="demo-").prefetch_related(*versions.SNAPSHOT_M2M)
    for event in demo_events.filter(moderation=Moderation.PUBLISHED):
        versions.record_published(event)
    changed = demo_events.filter(moderation=Moderation.SUBMITTED, region_id="84", mode=Mode.IN_PERSON).first()
    if changed is not None:
        before = versions.snapshot(changed)
        before["venue_name"] = "Salle du conseil"
        before["starts_at"] = (changed.starts_at - timedelta(days=7)).isoformat()
        before["ends_at"] = (changed.ends_at - timedelta(days=7)).isoformat()
        before["ambassadors"] = []
        Event.objects.filter(pk=changed.pk).update(published_snapshot=before)

    # The runs of each imported calendar: what each one created, and what it found unchanged.
    for source, _ in sources.values():
        keep = []
        for started in runs:
            created = sum(1 for at, _ in imported[source.pk] if at == started)
            unchanged = sum(1 for at, ends in imported[source.pk] if at < started <= ends)
            run, _ = ImportRun.objects.update_or_create(
                source=source,
                started_at=started,
                defaults={
                    "finished_at": started + timedelta(seconds=40),
                    "created": created,
                    "updated": 0,
                    "unchanged": unchanged,
                    "skipped": 0,
                    "missing": 0,
                    "skipped_reasons": [],
                    "error": "",
                },
            )
            ImportRun.objects.filter(pk=run.pk).update(started_at=started)
            keep.append(run.pk)
        ImportRun.objects.filter(source=source).exclude(pk__in=keep).delete()
        ImportSource.objects.filter(pk=source.pk).update(created_at=runs[0] - timedelta(days=1, hours=3))
    demo = Event.objects.filter(slug__startswith="demo-")
    return {"événements": demo.count(), "événements publiés": demo.public().count()}
