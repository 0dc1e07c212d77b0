"""A realistic, fictional demo network: 300 ambassadors (names from Faker fr_FR; titles, structures and
presentations from ``demo.data.people``: people who help companies adopt AI, and personalities who speak about it
in their field), over every region in proportion to the regional targets (overseas regions still short of
theirs: the second call is for them), every profile, network, sector and topic; two thirds published; and one
demo account per role, each with a fictitious name (the ambassador account owns the profile of that name).

Where the ambassadors come from (``ambassador_waves``): designated at the plan's launch on the networks'
proposals (July-September 2025), through the first call (decided during and just after it), on the networks'
proposals since, and a few through the second call, still open (``recruitment/demo.py`` writes their
applications). Their dates follow one another: designated (the profile is created then), consent (when they
complete their profile), publication (region by region, from October 2025).

Deterministic (each ambassador has its own seeded random stream) and idempotent: each demo ambassador is keyed by
its contact email, and every date is computed from the day of loading (``demo.data.timeline``)."""

import random
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Sum
from django.utils.text import slugify
from faker import Faker

from accounts.enums import Role
from accounts.models import User
from ambassadors.enums import ProfileKind, PublicationState
from ambassadors.models import Ambassador, PartnerNetwork, Topic
from dashboard.models import NATIONAL_TARGET
from demo.bulk import set_many
from demo.dashboard import MIN_PER_REGION, share_by_population
from demo.data import people
from demo.data.timeline import (
    ACCOUNTS_JOINED,
    FIRST_CALL_CLOSES,
    FIRST_CALL_OPENS,
    PARIS,
    PLAN_LAUNCH,
    anchor,
    between,
    moment,
    second_call,
    today,
)
from territories.models import Commune, Departement, Region
from territories.selectors import naf_sections

DEMO_PASSWORD = "ambassadeurs-demo-2026"  # noqa: S105 - printed by `make run`, demo only
DEMO_DOMAIN = "demo.ambassadeurs-ia.test"
COUNT = 300
OWN = 1  # the profile of the demo ambassador account
# Occitanie industry practitioners (production and data): the finder's tests rely on them.
OCCITANIE_INDUSTRY = {20: "data-scientist", 21: "maintenance", 22: "industriel"}
LAUNCH, FIRST_CALL, ONGOING, SECOND_CALL = "launch", "first-call", "ongoing", "second-call"
CALL_OF_WAVE = {FIRST_CALL: "ami-2025", SECOND_CALL: "ami-2026-vague-2"}

NETWORK_WEIGHTS = {
    "france-num": 25,
    "cci": 30,
    "bpifrance": 20,
    "french-tech": 15,
    "sous-prefets-france-2030": 10,
}
# Mainland neighbours: an ambassador of two regions works in two that touch.
NEIGHBOURS = {
    "11": ["24", "32", "28", "44", "27"],
    "24": ["11", "28", "52", "75", "84", "27"],
    "27": ["24", "44", "84", "11"],
    "28": ["11", "24", "52", "53", "32"],
    "32": ["11", "28", "44"],
    "44": ["32", "27", "11"],
    "52": ["53", "28", "24", "75"],
    "53": ["52", "28"],
    "75": ["52", "24", "84", "76"],
    "76": ["75", "84", "93"],
    "84": ["27", "24", "75", "76", "93"],
    "93": ["84", "76", "94"],
    "94": ["93"],
}

DEMO_ACCOUNTS = [
    ("coordination.nationale", "Camille", "Garnier", Role.NATIONAL_COORDINATOR, None, None),
    ("coordination.aura", "Lucas", "Ferrand", Role.REGIONAL_COORDINATOR, "84", None),
    ("coordination.occitanie", "Inès", "Castel", Role.REGIONAL_COORDINATOR, "76", None),
    ("relecteur.cci", "Hugo", "Marchal", Role.REVIEWER, None, "cci"),
    ("relecteur.bpifrance.aura", "Léa", "Bonnet", Role.REVIEWER, "84", "bpifrance"),
    ("ambassadeur", "Nora", "Haddad", Role.AMBASSADOR, None, None),
]
DEMO_AMBASSADOR_ACCOUNT = "ambassadeur"
OWN_PROFILE = {"archetype": "consultant", "network": "france-num", "sectors": ["C", "G"]}
OWN_PROFILE |= {"topics": ["strategie", "relation-client", "donnees"], "departements": ["69", "38"]}


def ambassador_email(i: int) -> str:
    return f"ambassadeur.{i:03d}@{DEMO_DOMAIN}"


def is_grand_public(i: int) -> bool:
    return i % 7 == 0


def is_national(i: int) -> bool:
    return i % 14 == 0


def ambassador_waves() -> list[tuple[str, bool]]:
    """(wave, published) of each demo ambassador, by index. Personalities (grand public) are designated
    directly, never through a call; the latest designated are the ones not yet published."""
    rng = random.Random("demo-waves")
    personalities = (
        [(LAUNCH, True)] * 25 + [(LAUNCH, False)] * 4 + [(ONGOING, True)] * 6 + [(ONGOING, False)] * 8
    )
    practitioners = [(LAUNCH, True)] * 95 + [(LAUNCH, False)] * 16 + [(FIRST_CALL, True)] * 60
    practitioners += [(FIRST_CALL, False)] * 20 + [(ONGOING, True)] * 14 + [(ONGOING, False)] * 42
    practitioners += [(SECOND_CALL, False)] * 10
    rng.shuffle(personalities)
    rng.shuffle(practitioners)
    waves = [personalities.pop() if is_grand_public(i) else practitioners.pop() for i in range(COUNT)]
    forced = {OWN, *OCCITANIE_INDUSTRY}
    for i in sorted(forced):  # published since the launch, whatever the shuffle gave
        if waves[i] != (LAUNCH, True):
            j = next(
                j
                for j in range(COUNT)
                if waves[j] == (LAUNCH, True) and not is_grand_public(j) and j not in forced
            )
            waves[i], waves[j] = waves[j], waves[i]
    return waves


def application_dates(i: int, wave: str, day: date) -> tuple[datetime, datetime]:
    """When the i-th ambassador, designated through a call, applied and was designated: during the call, and one
    to four weeks later (before the day of loading)."""
    rng = random.Random(f"demo-application-{i}")
    end = anchor(day)
    if wave == FIRST_CALL:
        submitted = between(
            rng, FIRST_CALL_OPENS + timedelta(hours=3), FIRST_CALL_CLOSES - timedelta(hours=2)
        )
    else:
        opens, _ = second_call(day)
        submitted = between(rng, opens + timedelta(days=1), end - timedelta(days=14))
    latest = min(submitted + timedelta(days=28), end - timedelta(days=2))
    return submitted, between(rng, submitted + timedelta(days=7), latest)


def _region_openings(codes: list[str]) -> dict[str | None, date]:
    """The day each region's page started publishing ambassadors (national ones: « None »)."""
    rng = random.Random("demo-openings")
    openings: dict[str | None, date] = {None: date(2025, 10, 15)}
    for code in sorted(codes):
        overseas = code < "10"
        start = date(2025, 12, 1) if overseas else date(2025, 10, 6)
        openings[code] = start + timedelta(days=rng.randint(0, 90 if overseas else 110))
    return openings


def _allocate_regions(rng: random.Random, waves, region_codes: list[str], targets: dict[str, int]) -> dict:
    """The main region of each ambassador who has one: as many per region as its target allows, overseas regions
    at half of theirs; every region with at least one published ambassador."""
    regional = [i for i in range(COUNT) if not is_national(i)]
    overseas = {code: max(1, round(targets[code] / 2)) for code in region_codes if code < "10"}
    mainland = share_by_population(
        {code: targets[code] for code in region_codes if code >= "10"},
        len(regional) - sum(overseas.values()),
        1,
    )
    codes = [code for code, n in sorted((overseas | mainland).items()) for _ in range(n)]
    rng.shuffle(codes)
    region_of = dict(zip(regional, codes, strict=True))
    wanted = {OWN: "84", **dict.fromkeys(OCCITANIE_INDUSTRY, "76")}
    for i, code in wanted.items():
        j = next(j for j in regional if region_of[j] == code and j not in wanted)
        region_of[i], region_of[j] = region_of[j], region_of[i]
    for code in region_codes:
        members = [i for i in regional if region_of[i] == code]
        if any(waves[i][1] for i in members):
            continue
        crowded = {
            c for c in region_codes if sum(1 for i in regional if region_of[i] == c and waves[i][1]) > 2
        }
        j = next(j for j in regional if waves[j][1] and region_of[j] in crowded and j not in wanted)
        i = next(i for i in members if i not in wanted)
        region_of[i], region_of[j] = region_of[j], region_of[i]
    return region_of


def _weighted_pick(rng: random.Random, items: list, weights: list[int], k: int) -> list:
    chosen: list = []
    while len(chosen) < min(k, len(items)):
        pick = rng.choices(items, weights)[0]
        if pick not in chosen:
            chosen.append(pick)
    return chosen


@transaction.atomic
def demo_data_load() -> dict[str, int]:
    day = today()
    end = anchor(day)
    regions = {r.code: r for r in Region.objects.all()}
    topics = {t.slug: t for t in Topic.objects.all()}
    sections = {s.code: s for s in naf_sections()}
    networks = {n.slug: n for n in PartnerNetwork.objects.all()}
    if not regions or not topics or not networks:
        raise RuntimeError("Chargez d’abord les données de référence : manage.py load_reference_data")
    deps_by_region: dict[str, list[Departement]] = {}
    for d in Departement.objects.order_by("code"):
        deps_by_region.setdefault(d.region_id, []).append(d)
    # The largest commune of each département (its « city ») and of each region, and the départements' weights.
    city_of: dict[str, str] = {}
    commune_of: dict[str, str] = {}  # the code of that commune: where the ambassador is based
    population_of: dict[str, int] = {}
    metro_of: dict[str, tuple[int, str]] = {}
    for code, name, dep, region, population in (
        Commune.objects.filter(population__gte=2000)
        .order_by("-population", "code")
        .values_list("code", "name", "departement_id", "departement__region_id", "population")
    ):
        city_of.setdefault(dep, name.replace("'", "’"))
        commune_of.setdefault(dep, code)
        population_of[dep] = population_of.get(dep, 0) + population
        metro_of.setdefault(region, (population, name.replace("'", "’")))
    populations = dict(
        Region.objects.annotate(pop=Sum("departements__communes__population")).values_list("code", "pop")
    )
    targets = share_by_population(
        {code: pop or 0 for code, pop in populations.items()}, NATIONAL_TARGET, MIN_PER_REGION
    )

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
        if local in ACCOUNTS_JOINED:
            User.objects.filter(pk=user.pk).update(date_joined=ACCOUNTS_JOINED[local])
        accounts[local] = user
    designator = {"84": accounts["coordination.aura"], "76": accounts["coordination.occitanie"]}

    waves = ambassador_waves()
    region_of = _allocate_regions(random.Random("demo-regions"), waves, sorted(regions), targets)
    openings = _region_openings(list(regions))
    existing = {a.contact_email: a for a in Ambassador.objects.filter(contact_email__endswith=DEMO_DOMAIN)}
    fake = Faker("fr_FR")
    saved = []
    slugs = set(Ambassador.objects.values_list("slug", flat=True))
    links: dict[str, dict[int, list]] = {"regions": {}, "departements": {}, "sectors": {}, "topics": {}}
    for i in range(COUNT):
        rng = random.Random(f"demo-ambassador-{i}")
        fake.seed_instance(f"demo-ambassador-{i}")
        wave, published = waves[i]
        grand_public = is_grand_public(i)
        female = rng.random() < 0.5
        first_name = fake.first_name_female() if female else fake.first_name_male()
        last_name = fake.last_name()
        if i == OWN:
            female, (_, first_name, last_name, *_) = True, DEMO_ACCOUNTS[-1]
        # Personalities come through the networks that know them; the sous-préfets propose practitioners.
        weights = {
            k: w for k, w in NETWORK_WEIGHTS.items() if not grand_public or k != "sous-prefets-france-2030"
        }
        network = _weighted_pick(rng, list(weights), list(weights.values()), 1)[0]
        archetype = people.archetype_for(rng, network=network, grand_public=False)
        bio_template = ""
        if grand_public:  # each personality is someone else
            archetype, bio_template = people.GRAND_PUBLIC_SLOTS[i // 7]
        if i in OCCITANIE_INDUSTRY:
            archetype, network = people.ARCHETYPES[OCCITANIE_INDUSTRY[i]], "sous-prefets-france-2030"
        if i == OWN:
            archetype, network = people.ARCHETYPES[OWN_PROFILE["archetype"]], OWN_PROFILE["network"]

        # Where: a main region (none for national personalities), sometimes a neighbouring one; one or two
        # départements of the main region, the most populated more often.
        region_codes = [] if is_national(i) else [region_of[i]]
        two_regions = wave in (LAUNCH, ONGOING) and not grand_public and i % 23 == 5
        if (
            region_codes
            and two_regions
            and region_codes[0] in NEIGHBOURS
            and i not in (OWN, *OCCITANIE_INDUSTRY)
        ):
            region_codes.append(rng.choice(NEIGHBOURS[region_codes[0]]))
        deps: list[Departement] = []
        for n, code in enumerate(region_codes):
            pool = deps_by_region[code]
            weights = [population_of.get(d.code, 1) for d in pool]
            deps += _weighted_pick(rng, pool, weights, 1 if n or rng.random() < 0.6 else 2)
        if i == OWN:
            deps = [d for d in deps_by_region["84"] if d.code in OWN_PROFILE["departements"]]
        if deps:
            home, metro = deps[0], metro_of[region_codes[0]][1]
        else:
            mainland = [d for code, ds in deps_by_region.items() if code >= "10" for d in ds]
            home = _weighted_pick(rng, mainland, [population_of.get(d.code, 1) for d in mainland], 1)[0]
            metro = city_of[home.code]
        city = city_of[home.code]

        # What: sectors and topics of the kind of person, then the words that present them.
        sector_codes = people.pick_sectors(rng, archetype, rng.choice([1, 1, 2, 2, 3]))
        topic_slugs = people.pick_topics(rng, archetype, rng.choice([1, 2, 2, 3, 3, 4]))
        if i in OCCITANIE_INDUSTRY:
            sector_codes, topic_slugs = ["C"], ["production", "donnees"]
        if i == OWN:
            sector_codes, topic_slugs = OWN_PROFILE["sectors"], OWN_PROFILE["topics"]
        structure = people.structure_name(
            rng, archetype, last=fake.last_name(), city=city, dep=home.name.replace("'", "’"), metro=metro
        )
        bio = people.presentation(
            rng,
            archetype,
            female=female,
            structure=structure,
            city=city,
            dep=home.name.replace("'", "’"),
            metro=metro,
            sectors=sector_codes,
            topics=topic_slugs,
            bio=bio_template,
        )

        # When: designated, then consent, then publication once the region's page is open.
        if wave in CALL_OF_WAVE:
            designated = application_dates(i, wave, day)[1]
        elif wave == LAUNCH:
            designated = between(rng, moment(PLAN_LAUNCH, 9), moment(date(2025, 9, 30), 18))
        elif published:
            designated = between(rng, moment(date(2025, 10, 1), 9), end - timedelta(days=75))
        else:
            designated = between(rng, end - timedelta(days=150), end - timedelta(days=12))
        consented = published or (wave == ONGOING and rng.random() < 0.5)
        latest_consent = min(designated + timedelta(days=35), end - timedelta(days=1))
        consent_at = between(rng, designated + timedelta(days=2), latest_consent) if consented else None
        published_at = None
        if published:
            opening = min(openings[code] for code in region_codes) if region_codes else openings[None]
            # Loaded before the region's page opened: published all the same, just before the day of loading.
            latest = end - timedelta(hours=2)
            earliest = max(
                min(max(moment(opening, 9), consent_at + timedelta(days=1)), latest - timedelta(days=1)),
                consent_at,
            )
            published_at = between(rng, earliest, min(earliest + timedelta(days=10), latest))
        last_change = max(filter(None, [designated, consent_at, published_at]))
        updated_at = between(
            rng, last_change, min(last_change + timedelta(days=3), end - timedelta(minutes=1))
        )

        email = ambassador_email(i)
        is_activateur = archetype.key == "activateur" or (network == "france-num" and i % 2 == 1)
        institutional = structure.startswith(("CCI ", "Bpifrance", "French Tech"))
        defaults = {
            "first_name": first_name,
            "last_name": last_name,
            # Most said how to be written of; one in seven did not (the pages then use the neutral wording).
            "gender": "" if i % 7 == 3 else ("f" if female else "m"),
            "job_title": archetype.job_title(female),
            "structure_name": structure[:200],
            "commune_id": commune_of.get(home.code),
            "kind": ProfileKind.GRAND_PUBLIC if grand_public else ProfileKind.SECTORIEL_REGIONAL,
            "is_national": is_national(i),
            "bio": bio,
            "website_url": f"https://www.{slugify(structure)}.example" if i % 4 and not institutional else "",
            "proposing_network": networks[network],
            "designated_at": designated.astimezone(PARIS).date(),
            "designated_by": accounts["coordination.nationale"]
            if grand_public or len(region_codes) != 1
            else designator.get(region_codes[0], accounts["coordination.nationale"]),
            "publication_state": PublicationState.PUBLISHED if published else PublicationState.DRAFT,
            "published_at": published_at,
            "consent_at": consent_at,
            "is_france_num_activateur": is_activateur,
            "france_num_url": f"https://www.francenum.gouv.fr/activateurs/demo-{i:03d}"
            if is_activateur
            else "",
            "contact_phone": f"06 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
        }
        ambassador = existing.get(email) or Ambassador(contact_email=email)
        base = slugify(f"{first_name} {last_name}")[:100] or "ambassadeur"
        if not ambassador.slug or not ambassador.slug.startswith(base):  # as ambassador_unique_slug does
            slugs.discard(ambassador.slug)
            slug, n = base, 2
            while slug in slugs:
                slug, n = f"{base}-{n}", n + 1
            ambassador.slug = slug
            slugs.add(slug)
        for name, value in defaults.items():
            setattr(ambassador, name, value)
        ambassador.save()
        links["regions"][ambassador.pk] = region_codes
        links["departements"][ambassador.pk] = [d.pk for d in deps]
        links["sectors"][ambassador.pk] = [sections[code].pk for code in sector_codes]
        links["topics"][ambassador.pk] = [topics[t].pk for t in topic_slugs]
        ambassador.created_at, ambassador.updated_at = designated, updated_at
        saved.append(ambassador)
    for name, wanted in links.items():
        set_many(Ambassador, name, wanted)
    # The profile was created on designation and last changed with its consent or publication (save() set now).
    Ambassador.objects.bulk_update(saved, ["created_at", "updated_at"], batch_size=100)

    # The demo ambassador account owns its profile, and was activated the day after the designation.
    own = saved[OWN]
    Ambassador.objects.filter(user=accounts[DEMO_AMBASSADOR_ACCOUNT]).exclude(pk=own.pk).update(user=None)
    Ambassador.objects.filter(pk=own.pk).update(user=accounts[DEMO_AMBASSADOR_ACCOUNT])
    User.objects.filter(pk=accounts[DEMO_AMBASSADOR_ACCOUNT].pk).update(
        date_joined=own.created_at + timedelta(days=1, hours=2)
    )

    demo = Ambassador.objects.filter(contact_email__endswith=DEMO_DOMAIN)
    return {"ambassadeurs": demo.count(), "publiés": demo.published().count(), "comptes": len(accounts)}
