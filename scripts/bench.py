"""Benchmark of the public pages on generated data at scale. Prints numbers; asserts nothing.

    make bench                      # 3,000 ambassadors in a scratch SQLite database (var/bench/)
    BENCH_AMBASSADORS=10000 make bench
    DATABASE_URL=postgres://postgres@127.0.0.1/osez_ia_bench make bench
    BENCH_BACK_OFFICE=0 make bench  # public pages only

It builds its own database (never the one of `make run`), then times each page with Django's test client
(in-process: the view, the queries and the template, without network) and counts its SQL queries.
"""

import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_VAR_DIR", str(ROOT / "var" / "bench"))
Path(os.environ["DJANGO_VAR_DIR"]).mkdir(parents=True, exist_ok=True)

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from ambassadors.models import Ambassador, PartnerNetwork, Topic  # noqa: E402
from territories.models import Departement, NafActivity, Region  # noqa: E402

N = int(os.environ.get("BENCH_AMBASSADORS", "3000"))
RUNS = int(os.environ.get("BENCH_RUNS", "20"))
EVENTS = int(os.environ.get("BENCH_EVENTS", "5000"))
DIAGNOSTICS = int(os.environ.get("BENCH_DIAGNOSTICS", "20000"))
BACK_OFFICE = os.environ.get("BENCH_BACK_OFFICE", "1") == "1"  # 0: public pages only (quicker comparisons)
BENCH_PREFIX = "bench-"  # generated rows only


def build_diagnostics() -> None:
    """DIAGNOSTICS anonymous self-diagnostic results over every département, size and NAF section."""
    from diagnostic.models import DiagnosticResult
    from diagnostic.scoring import CURRENT

    if DiagnosticResult.objects.filter(token__startswith=BENCH_PREFIX).count() == DIAGNOSTICS:
        return
    DiagnosticResult.objects.filter(token__startswith=BENCH_PREFIX).delete()
    rng = random.Random(3)
    departements = list(Departement.objects.select_related("region"))
    sections = list(NafActivity.objects.filter(level="section"))
    rows = []
    for i in range(DIAGNOSTICS):
        answers = {q.key: rng.choice(q.choices).value for q in CURRENT.questions}
        outcome = CURRENT.evaluate(answers)
        departement = rng.choice(departements)
        rows.append(
            DiagnosticResult(
                token=f"{BENCH_PREFIX}{i:06d}",
                version=CURRENT.version,
                answers=answers,
                departement=departement,
                region=departement.region,
                sector=rng.choice(sections),
                size=rng.choice(["tpe", "pme", "eti"]),
                scores=outcome.scores,
                profile=outcome.profile,
            )
        )
    DiagnosticResult.objects.bulk_create(rows, batch_size=2000)


EVENT_TITLES = {
    "atelier": "Atelier : automatiser ses devis avec l’IA",
    "webinaire": "Webinaire : premiers pas avec l’IA générative",
    "cafe_ia": "Café IA des dirigeants",
    "conference": "Conférence : vos données au service de la production",
}
BIOS = [
    "Ambassadrice de l’IA pour les PME de son territoire, production et données.",
    "Dirigeant d’une ETI industrielle, je partage notre maintenance prédictive et nos tableaux de bord.",
    "Consultante en intelligence artificielle : relation client, marketing et automatisation des devis.",
    "J’accompagne les commerçants et artisans dans leurs premiers usages de l’IA générative.",
]
JOBS = ["Dirigeante", "Directeur industriel", "Consultante IA", "Conseiller numérique", "Responsable données"]


def build_events() -> None:
    """EVENTS published events over every region, a third past, with topics and sectors; three in four held in
    one of the five largest communes of their region, the others online."""
    from agenda.models import Event
    from core.search import search_rebuild
    from territories.models import Commune

    if Event.objects.filter(slug__startswith="bench-").count() == EVENTS:
        return
    Event.objects.filter(slug__startswith="bench-").delete()
    rng = random.Random(2)
    regions = list(Region.objects.all())
    communes = {
        r.code: list(
            Commune.objects.filter(departement__region=r)
            .select_related("departement")
            .order_by("-population")[:5]
        )
        for r in regions
    }
    now = timezone.now()
    events = []
    for i in range(EVENTS):
        region = rng.choice(regions)
        commune = rng.choice(communes[region.code]) if i % 4 else None
        start = now + timezone.timedelta(days=rng.randint(-120, 240), hours=rng.randint(0, 23))
        fmt = rng.choice(list(EVENT_TITLES))
        events.append(
            Event(
                slug=f"bench-{i:05d}",
                title=f"{EVENT_TITLES[fmt]} n° {i}",
                description="Démonstrations et retours d’expérience.",
                starts_at=start,
                ends_at=start + timezone.timedelta(hours=2),
                timezone=region.timezone,
                region=region,
                commune=commune,
                departement=commune.departement if commune else None,
                mode="in_person" if commune else "online",
                venue_name="CCI" if commune and i % 2 else "",
                format=fmt,
                moderation="published",
            )
        )
    Event.objects.bulk_create(events, batch_size=1000)
    search_rebuild(Event)  # bulk_create skips save()
    topics = list(Topic.objects.all())
    rows = [
        Event.topics.through(event_id=pk, topic_id=rng.choice(topics).pk)
        for pk in Event.objects.filter(slug__startswith="bench-").values_list("pk", flat=True)
    ]
    Event.topics.through.objects.bulk_create(rows, batch_size=2000)


def build() -> None:
    call_command("migrate", verbosity=0)
    call_command("load_reference_data", verbosity=0)
    build_events()
    build_diagnostics()
    if Ambassador.objects.filter(slug__startswith="bench-").count() == N:
        return
    Ambassador.objects.filter(slug__startswith="bench-").delete()
    rng = random.Random(1)
    regions = list(Region.objects.all())
    deps = {r.code: list(Departement.objects.filter(region=r)) for r in regions}
    sections = list(NafActivity.objects.filter(level="section"))
    topics = list(Topic.objects.all())
    networks = list(PartnerNetwork.objects.all())
    now = timezone.now()
    Ambassador.objects.bulk_create(
        [
            Ambassador(
                slug=f"bench-{i:05d}",
                first_name=f"Prénom{i}",
                last_name=f"Nom{i:05d}",
                structure_name=f"Structure {i}",
                job_title=JOBS[i % len(JOBS)],
                kind="grand_public" if i % 7 == 0 else "sectoriel_regional",
                bio=BIOS[i % len(BIOS)],
                proposing_network=rng.choice(networks),
                publication_state="published" if i % 3 else "draft",
                published_at=now if i % 3 else None,
                consent_at=now,
                is_france_num_activateur=i % 5 == 0,
                contact_email=f"bench{i}@exemple.test",
            )
            for i in range(N)
        ],
        batch_size=1000,
    )
    through = Ambassador.regions.through, Ambassador.departements.through
    reg_rows, dep_rows, sec_rows, top_rows = [], [], [], []
    for pk in Ambassador.objects.filter(slug__startswith="bench-").values_list("pk", flat=True):
        region = rng.choice(regions)
        reg_rows.append(through[0](ambassador_id=pk, region_id=region.code))
        dep_rows.append(through[1](ambassador_id=pk, departement_id=rng.choice(deps[region.code]).code))
        for s in rng.sample(sections, 2):
            sec_rows.append(Ambassador.sectors.through(ambassador_id=pk, nafactivity_id=s.pk))
        for t in rng.sample(topics, 3):
            top_rows.append(Ambassador.topics.through(ambassador_id=pk, topic_id=t.pk))
    for rows in (reg_rows, dep_rows, sec_rows, top_rows):
        type(rows[0]).objects.bulk_create(rows, batch_size=2000)
    from core.search import search_rebuild

    search_rebuild(Ambassador)  # bulk_create skips save()


# Free-text searches (core/search.py): accents folded, stems, the last word as a prefix, place names.
SEARCHES = [
    "/ambassadeurs/?q=donnees",
    "/ambassadeurs/?q=intel",
    "/ambassadeurs/?q=Lyon",
    "/ambassadeurs/?q=Auvergne-Rh%C3%B4ne-Alpes",
    "/ambassadeurs/?q=maintenance+pr%C3%A9dictive+Rh%C3%B4ne",
    "/agenda/?q=cafe",
    "/agenda/?q=Lyon",
    "/agenda/?q=atelier+Saint-%C3%89tienne",
    "/agenda/?q=donn%C3%A9es+production+Bretagne",
    "/api/v1/ambassadeurs?q=Rh%C3%B4ne&par_page=100",
    "/api/v1/evenements?q=caf%C3%A9+Lyon&par_page=100",
]


def measure(client: Client, url: str) -> tuple[float, float, float, int, int]:
    """Median and worst time with the cache warm, median with the cache emptied before each request, queries."""
    client.get(url)  # warm up
    warm, cold = [], []
    for _ in range(RUNS):
        start = time.perf_counter()
        client.get(url)
        warm.append((time.perf_counter() - start) * 1000)
    for _ in range(max(3, RUNS // 4)):
        cache.clear()
        start = time.perf_counter()
        client.get(url)
        cold.append((time.perf_counter() - start) * 1000)
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return statistics.median(warm), max(warm), statistics.median(cold), len(queries), response.status_code


def main() -> None:
    start = time.perf_counter()
    build()
    published = Ambassador.objects.published().count()
    print(
        f"Base : {connection.vendor}, {Ambassador.objects.count()} ambassadeurs dont {published} publiés, "
        f"{EVENTS} événements, {DIAGNOSTICS} autodiagnostics "
        f"(préparation {time.perf_counter() - start:.1f} s), {RUNS} mesures par page"
    )
    client = Client()
    urls = [
        "/",
        "/ambassadeurs/",
        "/ambassadeurs/?region=84",
        "/ambassadeurs/?secteur=C&thematique=production",
        "/ambassadeurs/?q=donn%C3%A9es&page=5",
        *SEARCHES,
        "/regions/",
        "/regions/84/",
        "/regions/84/integration/",
        "/donnees/ambassadeurs.csv",
        "/donnees/ambassadeurs.json",
        "/donnees/activateurs-france-num.csv",
        "/agenda/",
        "/agenda/?region=84&thematique=production",
        "/agenda/passes/",
        "/agenda/mois/",
        "/agenda/mois/?region=84&thematique=production",
        "/agenda/flux.ics",
        "/agenda/flux.ics?region=84",
        "/agenda/flux.rss",
        "/api/v1/evenements?par_page=100",
        "/api/v1/ambassadeurs?par_page=100",
        "/api/v1/ambassadeurs?region=84&secteur=C",
        "/diagnostic/statistiques/",
        "/api/v1/diagnostic/statistiques",
    ]
    print(f"{'page':<50} {'médiane':>9} {'max':>9} {'sans cache':>11} {'requêtes':>9} {'statut':>7}")
    for url in urls:
        median, worst, cold, queries, status = measure(client, url)
        print(f"{url:<50} {median:>7.1f} ms {worst:>6.1f} ms {cold:>8.1f} ms {queries:>9} {status:>7}")
    # How many each search finds (the same on every database: tests/test_search.py).
    from urllib.parse import parse_qs, urlencode, urlsplit

    from agenda.forms import AgendaFilterForm
    from agenda.selectors import events_public
    from ambassadors.forms import DirectoryFilterForm
    from ambassadors.selectors import ambassadors_directory

    found = []
    for url in SEARCHES:
        parts = urlsplit(url)
        q = parse_qs(parts.query)["q"][0]
        if parts.path == "/ambassadeurs/":
            found.append(f"{q!r}: {ambassadors_directory(DirectoryFilterForm({'q': q}).filters()).count()}")
        elif parts.path == "/agenda/":
            found.append(f"{q!r}: {events_public(AgendaFilterForm({'q': q}).filters()).count()}")
    print("Résultats des recherches : " + ", ".join(found))
    # The ranking of /trouver-un-ambassadeur/: every published ambassador of the region (and the national ones)
    # is scored in Python on prefetched data.
    need = {
        "postcode": "31000",
        "sector": str(NafActivity.objects.get(level="section", code="C").pk),
        "size": "pme",
        "topics": [str(Topic.objects.get(slug="production").pk)],
        "question": "Nous voulons prévoir les pannes de nos machines de production grâce aux données.",
    }
    candidates = Ambassador.objects.published().filter(regions="76").count()
    finder = "/trouver-un-ambassadeur/?" + urlencode(need, doseq=True)  # a GET form: results have an address
    median, worst, _, queries, status = measure(client, finder)
    label = f"GET /trouver-un-ambassadeur/?… ({candidates} candidats)"
    print(f"{label:<50} {median:>7.1f} ms {worst:>6.1f} ms {'–':>11} {queries:>9} {status:>7}")
    if not BACK_OFFICE:
        return
    # The steering page aggregates everything in the database: timed as a national coordinator (whole country).
    from accounts.models import User

    coordinator, _ = User.objects.get_or_create(
        email="bench-coordination@exemple.test", defaults={"role": "national_coordinator"}
    )
    back_office = Client()
    back_office.force_login(coordinator)
    for url in ("/pilotage/", "/pilotage/activite-ambassadeurs.csv"):
        median, worst, cold, queries, status = measure(back_office, url)
        print(
            f"{url + ' (national)':<50} {median:>7.1f} ms {worst:>6.1f} ms {cold:>8.1f} ms {queries:>9} {status:>7}"
        )


if __name__ == "__main__":
    main()
