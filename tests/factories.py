from datetime import timedelta

import factory
from django.utils import timezone

from accounts.enums import Role
from accounts.models import User
from ambassadors.enums import ProfileKind, PublicationState
from ambassadors.models import Ambassador, PartnerNetwork, Topic
from territories.models import Region


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"utilisateur{n}@exemple.test")
    first_name = factory.Sequence(lambda n: f"Utilisatrice{n}")
    last_name = factory.Sequence(lambda n: f"Compte{n}")
    role = Role.AMBASSADOR
    password = factory.django.Password("mot-de-passe-de-test")

    class Params:
        national = factory.Trait(role=Role.NATIONAL_COORDINATOR)
        regional = factory.Trait(
            role=Role.REGIONAL_COORDINATOR, region=factory.LazyFunction(lambda: Region.objects.get(code="84"))
        )
        reviewer = factory.Trait(
            role=Role.REVIEWER,
            partner_network=factory.LazyFunction(lambda: PartnerNetwork.objects.get(slug="cci")),
        )


class PartnerNetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerNetwork
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"reseau-{n}")
    name = factory.Sequence(lambda n: f"Réseau {n}")


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"thematique-{n}")
    name = factory.Sequence(lambda n: f"Thématique {n}")


class AmbassadorFactory(factory.django.DjangoModelFactory):
    """``AmbassadorFactory(published=True, regions=["84"])``. Every one carries a private email and phone that a
    public page must never show."""

    class Meta:
        model = Ambassador
        skip_postgeneration_save = True

    # Deterministic names: tests assert that some names are absent from pages, so no random name may collide.
    first_name = factory.Sequence(lambda n: f"Prénom{n}")
    last_name = factory.Sequence(lambda n: f"Nomdefabrique{n}")
    slug = factory.Sequence(lambda n: f"ambassadeur-{n}")
    structure_name = factory.Sequence(lambda n: f"Structure numéro {n}")
    job_title = "Dirigeante"
    kind = ProfileKind.SECTORIEL_REGIONAL
    bio = "J’accompagne les PME dans leurs premiers usages de l’IA."
    contact_email = factory.Sequence(lambda n: f"prive.ambassadeur{n}@secret-exemple.test")
    contact_phone = factory.Sequence(lambda n: f"06 99 88 {n % 100:02d} 77")
    proposing_network = factory.LazyFunction(lambda: PartnerNetwork.objects.get(slug="cci"))

    class Params:
        published = factory.Trait(
            publication_state=PublicationState.PUBLISHED,
            published_at=factory.LazyFunction(timezone.now),
            consent_at=factory.LazyFunction(timezone.now),
        )
        consented = factory.Trait(consent_at=factory.LazyFunction(timezone.now))

    @factory.post_generation
    def regions(self, create, extracted, **kwargs):
        if create and extracted:
            self.regions.set(extracted)

    @factory.post_generation
    def departements(self, create, extracted, **kwargs):
        if create and extracted:
            self.departements.set(extracted)

    @factory.post_generation
    def sectors(self, create, extracted, **kwargs):
        if create and extracted:
            from territories.models import NafActivity

            self.sectors.set(NafActivity.objects.filter(level="section", code__in=extracted))

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create and extracted:
            self.topics.set(Topic.objects.filter(slug__in=extracted))


class CallFactory(factory.django.DjangoModelFactory):
    """An open call by default (opened yesterday, closes in 30 days); ``CallFactory(closed=True)``."""

    class Meta:
        model = "recruitment.Call"
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Appel à manifestation d’intérêt n° {n}")
    slug = factory.Sequence(lambda n: f"ami-{n}")
    text = "Rejoignez le réseau des ambassadeurs IA."
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))

    class Params:
        closed = factory.Trait(
            opens_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=60)),
            closes_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=1)),
        )

    @factory.post_generation
    def regions(self, create, extracted, **kwargs):
        if create and extracted:
            self.regions.set(extracted)


class ApplicationFactory(factory.django.DjangoModelFactory):
    """``ApplicationFactory(region_id="84", proposing_network=cci, state="under_review")``; with traits
    ``under_review`` and ``reviewed`` (one review by a national coordinator)."""

    class Meta:
        model = "recruitment.Application"
        skip_postgeneration_save = True

    call = factory.SubFactory(CallFactory)
    first_name = factory.Sequence(lambda n: f"Candidate{n}")
    last_name = factory.Sequence(lambda n: f"Nomdecandidat{n}")
    email = factory.Sequence(lambda n: f"candidat{n}@exemple.test")
    phone = factory.Sequence(lambda n: f"07 11 22 {n % 100:02d} 33")
    job_title = "Dirigeante"
    structure_name = factory.Sequence(lambda n: f"Entreprise candidate {n}")
    structure_size = "pme"
    postcode = "69001"
    region_id = "84"
    profile_kind = ProfileKind.SECTORIEL_REGIONAL
    proposing_network = factory.LazyFunction(lambda: PartnerNetwork.objects.get(slug="cci"))
    ai_experience = "J’utilise l’IA pour la maintenance prédictive."
    motivation = "Aider les PME de mon territoire."
    availability_hours = 8
    consent_at = factory.LazyFunction(timezone.now)

    class Params:
        under_review = factory.Trait(state="under_review")
        reviewed = factory.Trait(
            state="under_review",
            review=factory.RelatedFactory(
                "tests.factories.ReviewFactory", factory_related_name="application"
            ),
        )

    @factory.post_generation
    def departements(self, create, extracted, **kwargs):
        if create:
            self.departements.set(extracted or ["69"])

    @factory.post_generation
    def sectors(self, create, extracted, **kwargs):
        if create:
            from territories.models import NafActivity

            self.sectors.set(NafActivity.objects.filter(level="section", code__in=extracted or ["C"]))

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create:
            self.topics.set(Topic.objects.filter(slug__in=extracted or ["production"]))


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "recruitment.Review"

    application = factory.SubFactory(ApplicationFactory)
    reviewer = factory.SubFactory(UserFactory, national=True)
    score = 4
    recommendation = "designate"
    comment = "Profil solide, disponible."
