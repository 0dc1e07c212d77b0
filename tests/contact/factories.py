import factory
from django.utils import timezone

from contact.enums import CompanySize
from contact.models import CompanyRequest
from territories.models import Departement, Region
from tests.factories import AmbassadorFactory


class CompanyRequestFactory(factory.django.DjangoModelFactory):
    """A request from a Toulouse company (dép. 31, Occitanie) to a published ambassador of Occitanie."""

    class Meta:
        model = CompanyRequest

    ambassador = factory.SubFactory(AmbassadorFactory, published=True, regions=["76"])
    region = factory.LazyFunction(lambda: Region.objects.get(code="76"))
    departement = factory.LazyFunction(lambda: Departement.objects.get(code="31"))
    postcode = "31000"
    company_name = factory.Sequence(lambda n: f"Fonderie numéro {n}")
    contact_name = factory.Sequence(lambda n: f"Dirigeant Numéro{n}")
    email = factory.Sequence(lambda n: f"dirigeant{n}@entreprise-exemple.test")
    phone = "05 61 00 00 00"
    size = CompanySize.PME
    message = "Nous voulons prévoir les pannes de nos machines de production."
    consent_at = factory.LazyFunction(timezone.now)
    assigned_at = factory.LazyFunction(timezone.now)
