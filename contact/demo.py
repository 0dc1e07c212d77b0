"""Demo company requests: about 40 fictional requests (Faker, no real company) in every state, most in
Auvergne-Rhône-Alpes and Occitanie (the regions of the demo coordinators), a few for the demo ambassador, some
overdue so that reminders and the coordinators' « sans réponse » list have something to show. Deterministic and
idempotent (keyed by the company's email)."""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from faker import Faker

from ambassadors.demo import DEMO_DOMAIN
from ambassadors.models import Ambassador, Topic
from contact.enums import AnswerKind, CloseReason, CompanySize, RequestState, StepAction, Usefulness
from contact.models import CompanyRequest, RequestStep
from territories.models import PostalCode

COUNT = 40
NEEDS = [
    "Nous voulons prévoir les pannes de nos machines de production.",
    "Comment utiliser l’IA pour répondre plus vite aux demandes de nos clients ?",
    "Nous utilisons un peu ChatGPT, mais sans méthode : par où commencer ?",
    "Nous aimerions automatiser la préparation de nos devis.",
    "Quels outils d’IA pour trier nos factures fournisseurs ?",
    "Nos données clients sont dispersées : comment les préparer pour l’IA ?",
]


@transaction.atomic
def demo_contact_load() -> dict[str, int]:
    rng = random.Random(31)
    fake = Faker("fr_FR")
    fake.seed_instance(31)
    now = timezone.now()
    topics = list(Topic.objects.order_by("order"))
    pools = {
        code: list(Ambassador.objects.published().filter(regions=code).order_by("pk")[:12])
        for code in ("84", "76")
    }
    demo_ambassador = Ambassador.objects.filter(user__email=f"ambassadeur@{DEMO_DOMAIN}").first()
    states = [
        RequestState.NEW,
        RequestState.TAKEN,
        RequestState.ANSWERED,
        RequestState.CLOSED,
        RequestState.REASSIGNED,
    ]
    for i in range(COUNT):
        region_code = "84" if i % 2 else "76"
        ambassador = demo_ambassador if (i % 8 == 0 and demo_ambassador) else rng.choice(pools[region_code])
        region_code = ambassador.regions.order_by("pk").values_list("pk", flat=True).first() or region_code
        postal = (
            PostalCode.objects.filter(commune__departement__region_id=region_code)
            .select_related("commune__departement")
            .order_by("code")[rng.randint(0, 200)]
        )
        state = states[i % len(states)]
        created = now - timedelta(days=rng.randint(1, 40), hours=rng.randint(0, 23))
        email = f"entreprise{i:02d}@{DEMO_DOMAIN}"
        values = {
            "ambassador": ambassador,
            "region_id": region_code,
            "departement": postal.commune.departement,
            "postcode": postal.code,
            "company_name": fake.company(),
            "contact_name": fake.name(),
            "phone": "",
            "size": rng.choice(CompanySize.values),
            "sector": ambassador.sectors.order_by("code").first(),
            "topic": rng.choice(topics),
            "message": rng.choice(NEEDS),
            "consent_at": created,
            "assigned_at": created,
            "state": state,
            "taken_at": created + timedelta(days=2)
            if state in (RequestState.TAKEN, RequestState.ANSWERED)
            else None,
            "answered_at": created + timedelta(days=4) if state == RequestState.ANSWERED else None,
            "answer_kind": AnswerKind.CALL if state == RequestState.ANSWERED else "",
            "closed_at": created + timedelta(days=6) if state == RequestState.CLOSED else None,
            "close_reason": CloseReason.DONE if state == RequestState.CLOSED else "",
            "feedback_useful": Usefulness.YES if state == RequestState.CLOSED and i % 3 else "",
            "feedback_contacted": True if state == RequestState.CLOSED and i % 3 else None,
            "feedback_at": created + timedelta(days=7) if state == RequestState.CLOSED and i % 3 else None,
        }
        request, created_now = CompanyRequest.objects.update_or_create(email=email, defaults=values)
        if created_now:
            CompanyRequest.objects.filter(pk=request.pk).update(created_at=created)
            RequestStep.objects.create(request=request, action=StepAction.CREATED, state_to=RequestState.NEW)
    return {"demandes d’entreprises": CompanyRequest.objects.filter(email__endswith=DEMO_DOMAIN).count()}
