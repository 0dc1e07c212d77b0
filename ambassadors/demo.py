"""A realistic, fictional demo data set: about 300 ambassadors (Faker fr_FR, no real person) over every region,
profile, sector, topic and network, a third of them not yet published, and one demo account per role.

Deterministic (seeded) and idempotent: each demo ambassador is keyed by its contact email, so loading again
updates the same rows instead of adding new ones."""

import random
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from faker import Faker

from accounts.enums import Role
from accounts.models import User
from ambassadors.enums import ProfileKind, PublicationState
from ambassadors.models import Ambassador, PartnerNetwork, Topic
from ambassadors.services import ambassador_unique_slug
from territories.models import Departement, Region
from territories.selectors import naf_sections

DEMO_PASSWORD = "ambassadeurs-demo-2026"  # noqa: S105 - printed by `make run`, demo only
DEMO_DOMAIN = "demo.ambassadeurs-ia.test"
COUNT = 300

# Rough weight of each region in the network (bigger regions, more ambassadors); every region gets some.
REGION_WEIGHTS = {
    "11": 40,
    "84": 30,
    "76": 22,
    "75": 22,
    "93": 20,
    "32": 18,
    "44": 18,
    "52": 14,
    "53": 12,
    "28": 12,
    "27": 10,
    "24": 10,
    "94": 5,
    "01": 4,
    "02": 4,
    "03": 3,
    "04": 5,
    "06": 2,
}
# Sectors most present among small firms and AI practitioners (NAF sections), the others less often.
SECTOR_WEIGHTS = {
    "C": 10,
    "G": 8,
    "F": 6,
    "J": 8,
    "M": 8,
    "H": 5,
    "I": 5,
    "Q": 4,
    "A": 4,
    "N": 4,
    "K": 3,
    "P": 2,
    "S": 2,
    "R": 2,
    "L": 2,
    "D": 1,
    "E": 1,
    "B": 1,
    "O": 1,
    "T": 1,
    "U": 1,
}
NETWORK_WEIGHTS = {
    "france-num": 25,
    "cci": 30,
    "bpifrance": 20,
    "french-tech": 15,
    "sous-prefets-france-2030": 10,
}

DEMO_ACCOUNTS = [
    ("coordination.nationale", "Camille", "Nationale", Role.NATIONAL_COORDINATOR, None, None),
    ("coordination.aura", "Lucas", "Rhônalpin", Role.REGIONAL_COORDINATOR, "84", None),
    ("coordination.occitanie", "Inès", "Occitane", Role.REGIONAL_COORDINATOR, "76", None),
    ("relecteur.cci", "Hugo", "Consulaire", Role.REVIEWER, None, "cci"),
    ("relecteur.bpifrance.aura", "Léa", "Financière", Role.REVIEWER, "84", "bpifrance"),
    ("ambassadeur", "Nora", "Démo", Role.AMBASSADOR, None, None),
]


def _weighted(rng: random.Random, weights: dict[str, int], k: int) -> list[str]:
    chosen: list[str] = []
    keys, values = list(weights), list(weights.values())
    while len(chosen) < k:
        pick = rng.choices(keys, values)[0]
        if pick not in chosen:
            chosen.append(pick)
    return chosen


def _bio(rng: random.Random, job: str, company: str, sectors: list, topics: list) -> str:
    sector = sectors[0].label.lower() if sectors else "tous secteurs"
    topic_names = ", ".join(t.name.lower() for t in topics)
    openers = [
        f"{job} chez {company}, j’accompagne les entreprises du secteur « {sector} » dans leurs premiers usages de l’IA.",
        f"Chez {company}, nous avons intégré l’IA à notre activité ({sector}) : je partage ce que nous avons appris.",
        f"Dirigeant·e de {company}, je crois à une IA utile et concrète pour les TPE et PME.",
    ]
    closers = [
        f"Je peux vous aider sur : {topic_names}.",
        f"Mes sujets : {topic_names}. Échangeons sur vos projets.",
        f"Thématiques de prédilection : {topic_names}.",
    ]
    return f"{rng.choice(openers)} {rng.choice(closers)}"


@transaction.atomic
def demo_data_load() -> dict[str, int]:
    rng = random.Random(2025)
    fake = Faker("fr_FR")
    fake.seed_instance(2025)
    regions = {r.code: r for r in Region.objects.all()}
    deps_by_region: dict[str, list[Departement]] = {}
    for d in Departement.objects.order_by("code"):
        deps_by_region.setdefault(d.region_id, []).append(d)
    sections = {s.code: s for s in naf_sections()}
    topics = {t.slug: t for t in Topic.objects.all()}
    networks = {n.slug: n for n in PartnerNetwork.objects.all()}
    if not regions or not sections or not topics or not networks:
        raise RuntimeError("Chargez d’abord les données de référence : manage.py load_reference_data")

    accounts = {}
    for local, first, last, role, region, network in DEMO_ACCOUNTS:
        user, created = User.objects.update_or_create(
            email=f"{local}@{DEMO_DOMAIN}",
            defaults={
                "first_name": first,
                "last_name": last,
                "role": role,
                "region_id": region,
                "partner_network": networks.get(network) if network else None,
                "is_staff": role == Role.NATIONAL_COORDINATOR,
                "is_superuser": role == Role.NATIONAL_COORDINATOR,
            },
        )
        if created or not user.has_usable_password():
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        accounts[local] = user

    today = date(2026, 11, 1)
    now = timezone.now()
    for i in range(COUNT):
        first_name, last_name = fake.first_name(), fake.last_name()
        company, job = fake.company(), fake.job()
        job = job[:1].upper() + job[1:]
        # Every 7th is grand public; some of those are national.
        kind = ProfileKind.GRAND_PUBLIC if i % 7 == 0 else ProfileKind.SECTORIEL_REGIONAL
        is_national = kind == ProfileKind.GRAND_PUBLIC and i % 14 == 0
        # The first ones make sure each region has ambassadors; then by weight.
        region_codes = (
            [list(REGION_WEIGHTS)[i]] if i < len(REGION_WEIGHTS) else _weighted(rng, REGION_WEIGHTS, 1)
        )
        if i % 11 == 0 and not is_national:
            region_codes = _weighted(rng, REGION_WEIGHTS, 2)
        if is_national:
            region_codes = []
        sector_codes = _weighted(rng, SECTOR_WEIGHTS, rng.choice([1, 1, 2, 3]))
        topic_slugs = _weighted(rng, dict.fromkeys(topics, 1), rng.choice([1, 2, 2, 3, 4]))
        # A few guaranteed Occitanie industry/production practitioners (routing checks rely on them).
        if i in (20, 21, 22):
            region_codes, sector_codes, topic_slugs = ["76"], ["C"], ["production", "donnees"]
        network = _weighted(rng, NETWORK_WEIGHTS, 1)[0]
        deps = [
            d
            for code in region_codes
            for d in rng.sample(deps_by_region[code], min(2, len(deps_by_region[code])))
        ][:2]
        published = i % 3 != 0
        consent = published or i % 2 == 0
        email = f"ambassadeur.{i:03d}@{DEMO_DOMAIN}"
        designated = today - timedelta(days=rng.randint(10, 400))
        defaults = {
            "first_name": first_name,
            "last_name": last_name,
            "job_title": job[:150],
            "structure_name": company[:200],
            "kind": kind,
            "is_national": is_national,
            "bio": _bio(
                rng, job, company, [sections[c] for c in sector_codes], [topics[t] for t in topic_slugs]
            ),
            "website_url": f"https://www.{fake.domain_word()}.example" if i % 4 else "",
            "proposing_network": networks[network],
            "designated_at": designated,
            "designated_by": accounts["coordination.nationale"],
            "publication_state": PublicationState.PUBLISHED if published else PublicationState.DRAFT,
            "published_at": now - timedelta(days=rng.randint(1, 300)) if published else None,
            "consent_at": now - timedelta(days=rng.randint(1, 300)) if consent else None,
            "is_france_num_activateur": network == "france-num" and i % 2 == 1,
            "contact_phone": f"06 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
        }
        defaults["france_num_url"] = (
            f"https://www.francenum.gouv.fr/activateurs/demo-{i:03d}"
            if defaults["is_france_num_activateur"]
            else ""
        )
        ambassador = Ambassador.objects.filter(contact_email=email).first()
        if ambassador is None:
            ambassador = Ambassador(
                contact_email=email, slug=ambassador_unique_slug(first_name=first_name, last_name=last_name)
            )
        for name, value in defaults.items():
            setattr(ambassador, name, value)
        ambassador.save()
        ambassador.regions.set(region_codes)
        ambassador.departements.set(deps)
        ambassador.sectors.set([sections[c] for c in sector_codes])
        ambassador.topics.set([topics[t] for t in topic_slugs])

    # The demo ambassador account owns a published profile in Auvergne-Rhône-Alpes.
    own = Ambassador.objects.filter(contact_email__endswith=DEMO_DOMAIN, regions="84").order_by("pk").first()
    Ambassador.objects.filter(user=accounts["ambassadeur"]).exclude(pk=own.pk).update(user=None)
    own.user = accounts["ambassadeur"]
    own.save(update_fields=["user"])

    demo = Ambassador.objects.filter(contact_email__endswith=DEMO_DOMAIN)
    return {"ambassadeurs": demo.count(), "publiés": demo.published().count(), "comptes": len(accounts)}
