"""``EventFactory``: by default a published in-person workshop in Lyon (Auvergne-Rhône-Alpes, 84), on Paris time,
next week from 14 h 30 to 17 h.

* ``EventFactory(submitted=True)``: waiting for moderation (not public).
* ``EventFactory(online=True)``: a webinar, no venue, region 84 (``region_code="76"`` for another region).
* ``EventFactory(reunion=True)``: in Saint-Denis (La Réunion, 04), on La Réunion’s time (Indian/Reunion).
* ``EventFactory(topics=["production"], sectors=["C"], ambassadors=[...])``: many-to-many by slug / NAF code.
* ``at(day, hour, minute, zone)`` builds an aware start time: ``EventFactory(starts_at=at(day, 14, 0, REUNION))``
  (the end defaults to 2 h 30 later).
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import factory
from django.utils import timezone

from agenda.enums import Format, Mode, Moderation, Status
from agenda.models import Event
from ambassadors.models import Topic
from territories.models import Commune, NafActivity, Region

PARIS = "Europe/Paris"
REUNION = "Indian/Reunion"
LYON = "69123"
SAINT_DENIS_REUNION = "97411"


def at(day: date, hour: int, minute: int = 0, zone: str = PARIS) -> datetime:
    """``day`` at ``hour:minute`` wall-clock time in ``zone``."""
    return datetime.combine(day, time(hour, minute), tzinfo=ZoneInfo(zone))


def in_days(days: int) -> date:
    """The day ``days`` from today (Paris time)."""
    return timezone.localdate() + timedelta(days=days)


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event
        skip_postgeneration_save = True

    class Params:
        region_code = "84"
        commune_code = LYON
        submitted = factory.Trait(moderation=Moderation.SUBMITTED)
        online = factory.Trait(
            mode=Mode.ONLINE,
            format=Format.WEBINAIRE,
            commune_code=None,
            venue_name="",
            address="",
            online_url="https://visio.exemple.fr/webinaire-ia",
        )
        reunion = factory.Trait(
            commune_code=SAINT_DENIS_REUNION,
            region_code="04",
            timezone=REUNION,
            venue_name="Technopole de La Réunion",
            address="2 rue Emile Hugot",
            organizer_name="Technopole de La Réunion",
        )

    title = factory.Sequence(lambda n: f"Atelier IA pour les PME n° {n}")
    slug = factory.Sequence(lambda n: f"atelier-ia-{n}")
    description = "Un atelier concret : **démonstrations** et retours d’expérience de PME."
    timezone = PARIS
    starts_at = factory.LazyAttribute(lambda o: at(in_days(7), 14, 30, o.timezone))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=2, minutes=30))
    mode = Mode.IN_PERSON
    venue_name = "Maison des entreprises"
    address = "12 rue de la République"
    commune = factory.LazyAttribute(
        lambda o: (
            Commune.objects.select_related("departement__region").get(code=o.commune_code)
            if o.commune_code
            else None
        )
    )
    departement = factory.LazyAttribute(lambda o: o.commune.departement if o.commune else None)
    region = factory.LazyAttribute(
        lambda o: o.commune.departement.region if o.commune else Region.objects.get(code=o.region_code)
    )
    online_url = ""
    format = Format.ATELIER
    audience = "Dirigeants de TPE et PME"
    is_free = True
    registration_url = factory.Sequence(lambda n: f"https://inscriptions.exemple.fr/atelier-{n}")
    organizer_name = "CCI Lyon Métropole"
    organizer_url = "https://www.lyon-metropole.cci.fr"
    status = Status.SCHEDULED
    moderation = Moderation.PUBLISHED

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create and extracted:
            self.topics.set(Topic.objects.filter(slug__in=extracted))

    @factory.post_generation
    def sectors(self, create, extracted, **kwargs):
        if create and extracted:
            self.sectors.set(NafActivity.objects.filter(version="rev2", level="section", code__in=extracted))

    @factory.post_generation
    def ambassadors(self, create, extracted, **kwargs):
        if create and extracted:
            self.ambassadors.set(extracted)
