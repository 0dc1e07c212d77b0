"""Demo calls and applications: the first AMI (closed on 15 September 2025 at 23:59:59, Paris time) with
applications in every state, and a second call open until the end of January 2027. Deterministic, idempotent
(keyed by call slug and applicant email)."""

import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from faker import Faker

from accounts.models import User
from ambassadors.demo import DEMO_DOMAIN
from ambassadors.enums import ProfileKind
from ambassadors.models import PartnerNetwork, Topic
from recruitment.enums import ApplicationState, Recommendation, StructureSize
from recruitment.models import Application, Call, CallQuestion, Review
from territories.models import Commune
from territories.selectors import naf_sections

PARIS = ZoneInfo("Europe/Paris")
CALLS = [
    {
        "slug": "ami-2025",
        "title": "Appel à manifestation d’intérêt 2025 – ambassadeurs IA",
        "text": "Le plan « Osez l’IA » constitue un réseau de 300 ambassadeurs bénévoles pour sensibiliser les "
        "TPE, PME et ETI à l’intelligence artificielle. Chefs d’entreprise, experts et personnalités : "
        "manifestez votre intérêt.",
        "opens_at": datetime(2025, 7, 1, 9, 0, tzinfo=PARIS),
        "closes_at": datetime(2025, 9, 15, 23, 59, 59, tzinfo=PARIS),
        "questions": ["Citez un usage de l’IA que vous avez mis en place ou accompagné."],
    },
    {
        "slug": "ami-2026-vague-2",
        "title": "Appel à manifestation d’intérêt 2026 – deuxième vague",
        "text": "Une deuxième vague de désignations complète le réseau là où il manque des ambassadeurs : "
        "territoires d’outre-mer, secteurs de la construction, des transports et de l’agriculture.",
        "opens_at": datetime(2026, 10, 1, 9, 0, tzinfo=PARIS),
        "closes_at": datetime(2027, 1, 31, 23, 59, 59, tzinfo=PARIS),
        "questions": ["Quel public souhaitez-vous sensibiliser en priorité ?"],
    },
]
STATES = [
    ApplicationState.SUBMITTED,
    ApplicationState.UNDER_REVIEW,
    ApplicationState.UNDER_REVIEW,
    ApplicationState.DECLINED,
    ApplicationState.INELIGIBLE,
    ApplicationState.WITHDRAWN,
]


@transaction.atomic
def demo_recruitment_load() -> dict[str, int]:
    rng = random.Random(2026)
    fake = Faker("fr_FR")
    fake.seed_instance(2026)
    calls = []
    for spec in CALLS:
        call, _ = Call.objects.update_or_create(
            slug=spec["slug"],
            defaults={k: spec[k] for k in ("title", "text", "opens_at", "closes_at")},
        )
        for order, label in enumerate(spec["questions"]):
            CallQuestion.objects.get_or_create(call=call, label=label, defaults={"order": order})
        calls.append(call)

    communes = list(
        Commune.objects.filter(population__gte=20000).select_related("departement").order_by("code")
    )
    sections = list(naf_sections())
    topics = list(Topic.objects.all())
    networks = list(PartnerNetwork.objects.all())
    national = User.objects.get(email=f"coordination.nationale@{DEMO_DOMAIN}")
    reviewers = list(User.objects.filter(email__startswith="relecteur.", email__endswith=DEMO_DOMAIN))
    for i in range(40):
        call = calls[i % 2]
        state = STATES[(i // 2) % len(STATES)] if call.slug == "ami-2026-vague-2" else rng.choice(STATES[1:5])
        commune = rng.choice(communes)
        first_name, last_name = fake.first_name(), fake.last_name()
        email = f"candidat.{i:03d}@{DEMO_DOMAIN}"
        application, _ = Application.objects.update_or_create(
            call=call,
            email=email,
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "phone": "",
                "job_title": fake.job()[:150].capitalize(),
                "structure_name": fake.company()[:200],
                "structure_size": rng.choice(StructureSize.values),
                "postcode": commune.postal_codes.first().code,
                "region": commune.departement.region,
                "profile_kind": ProfileKind.SECTORIEL_REGIONAL,
                "proposing_network": rng.choice([*networks, None]),
                "ai_experience": "J’ai conduit un projet d’IA générative pour le service client de mon entreprise.",
                "motivation": "Partager ce que nous avons appris avec les dirigeants de mon territoire.",
                "availability_hours": rng.choice([4, 6, 8, 10]),
                "consent_at": call.opens_at,
                "state": state,
                "decision_reason": "Profil hors du périmètre de l’appel."
                if state in {"declined", "ineligible"}
                else "",
                "decided_by": national if state in {"declined", "ineligible"} else None,
                "decided_at": timezone.now() if state in {"declined", "ineligible"} else None,
                "answers": {},
            },
        )
        # Realistic dates: submitted during the call, decided one to three weeks later (never in the future).
        submitted = min(call.opens_at + timedelta(days=1 + i % 30), timezone.now() - timedelta(days=1))
        decided = (
            min(submitted + timedelta(days=7 + i % 15), timezone.now()) if application.decided_at else None
        )
        Application.objects.filter(pk=application.pk).update(submitted_at=submitted, decided_at=decided)
        application.departements.set([commune.departement])
        application.sectors.set(rng.sample(sections, 2))
        application.topics.set(rng.sample(topics, 2))
        if state != ApplicationState.SUBMITTED and reviewers and state != ApplicationState.WITHDRAWN:
            Review.objects.update_or_create(
                application=application,
                reviewer=reviewers[i % len(reviewers)],
                defaults={
                    "score": rng.randint(2, 5),
                    "recommendation": rng.choice(Recommendation.values),
                    "comment": "Expérience concrète, bonne disponibilité.",
                },
            )
    return {
        "appels": Call.objects.count(),
        "candidatures": Application.objects.filter(email__endswith=DEMO_DOMAIN).count(),
    }
