"""Demo events: about 60 AI events over every region, past and upcoming, in every format and mode, a few
cancelled or postponed, a few waiting for moderation, one in La Réunion (its own time zone). Deterministic and
idempotent (keyed by slug); dates are relative to the day of loading so the agenda always has upcoming events."""

import random
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from agenda.enums import Format, Mode, Moderation, Status
from agenda.models import Event
from ambassadors.models import Ambassador, Topic
from territories.models import Commune, Region
from territories.selectors import naf_sections

TITLES = {
    Format.CONFERENCE: "L’IA dans les PME : retours d’expérience",
    Format.ATELIER: "Atelier : automatiser ses devis avec l’IA",
    Format.WEBINAIRE: "Webinaire : premiers pas avec l’IA générative",
    Format.CAFE_IA: "Café IA des dirigeants",
    Format.RENCONTRE_AFFAIRES: "Rencontre d’affaires : solutions d’IA et entreprises utilisatrices",
    Format.SALON: "Salon de l’innovation et de l’IA",
    Format.FORMATION: "Formation : l’IA pour la relation client",
    Format.AUTRE: "Petit-déjeuner IA et industrie",
}


@transaction.atomic
def demo_agenda_load() -> dict[str, int]:
    rng = random.Random(2027)
    today = timezone.localdate()
    regions = list(Region.objects.order_by("code"))
    topics = list(Topic.objects.all())
    sections = list(naf_sections())
    for i in range(60):
        region = regions[i % len(regions)]
        fmt = list(TITLES)[i % len(TITLES)]
        mode = Mode.ONLINE if fmt == Format.WEBINAIRE else (Mode.HYBRID if i % 9 == 0 else Mode.IN_PERSON)
        commune = (
            Commune.objects.filter(departement__region=region, population__gte=10000).order_by("-population")[
                i % 3
            ]
            if mode != Mode.ONLINE
            else None
        )
        zone = ZoneInfo(region.timezone)
        day = today + timedelta(days=rng.randint(-60, 120))
        start = datetime.combine(day, time(rng.choice([9, 10, 14, 17]), rng.choice([0, 30])), tzinfo=zone)
        slug = f"demo-{i:03d}"
        status = Status.CANCELLED if i % 17 == 5 else (Status.POSTPONED if i % 23 == 7 else Status.SCHEDULED)
        event, _ = Event.objects.update_or_create(
            slug=slug,
            defaults={
                "title": f"{TITLES[fmt]} – {commune.name if commune else region.name}",
                "description": "Un temps d’échange concret, avec des exemples d’entreprises de la région.\n\n"
                "**Au programme** : démonstrations, retours d’expérience, questions-réponses.",
                "starts_at": start,
                "ends_at": start + timedelta(hours=rng.choice([1, 2, 3])),
                "timezone": region.timezone,
                "mode": mode,
                "format": fmt,
                "venue_name": "CCI" if commune and i % 2 else ("Technopole" if commune else ""),
                "address": "",
                "commune": commune,
                "departement": commune.departement if commune else None,
                "region": region,
                "online_url": "https://visio.exemple.fr/ia" if mode != Mode.IN_PERSON else "",
                "audience": "Dirigeants de TPE et PME",
                "is_free": i % 5 != 0,
                "registration_url": f"https://inscriptions.exemple.fr/{slug}",
                "organizer_name": rng.choice(["CCI", "Bpifrance", "French Tech", "France Num", "Région"]),
                "status": status,
                "moderation": Moderation.SUBMITTED if i % 13 == 4 else Moderation.PUBLISHED,
            },
        )
        event.topics.set(rng.sample(topics, 2))
        event.sectors.set(rng.sample(sections, 1))
        event.ambassadors.set(
            Ambassador.objects.published().filter(regions=region).order_by("pk")[: rng.choice([0, 1, 2])]
        )
    demo = Event.objects.filter(slug__startswith="demo-")
    return {"événements": demo.count(), "événements publiés": demo.public().count()}
