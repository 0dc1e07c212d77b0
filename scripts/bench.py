"""Benchmark of the public pages on generated data at scale. Prints numbers; asserts nothing.

    make bench                      # 5,000 ambassadors, 200,000 events (a third past), 20,000 requests and
                                    # 1,000,000 self-diagnostics in a scratch SQLite database (var/bench/)
    BENCH_SCALE=0.1 make bench      # a tenth of every volume (BENCH_AMBASSADORS, BENCH_EVENTS… set one)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/osez_ia_bench make bench   # created if missing
    BENCH_BACK_OFFICE=0 make bench  # public pages only
    BENCH_ONLY=agenda,pilotage make bench   # only the measures whose address holds one of the words

It builds its own database (never the one of `make run`; rows written with COPY on PostgreSQL, executemany
elsewhere), then times each page with Django's test client (in-process: the view, the queries and the template,
without network): p50 and p95 with the cache warm, p50 with the cache emptied before each request (« sans
cache »: a cold iCalendar feed or open-data file), and the number of SQL queries. It also times the import of an
iCalendar file of 10,000 events (BENCH_IMPORT).
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
from django.db.models import F  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from ambassadors.models import Ambassador, PartnerNetwork, Topic  # noqa: E402
from territories.models import Departement, NafActivity, Region  # noqa: E402

SCALE = float(os.environ.get("BENCH_SCALE", "1"))  # 0.1: a tenth of every volume, for a quick run
N = int(os.environ.get("BENCH_AMBASSADORS", int(5000 * SCALE)))
RUNS = int(os.environ.get("BENCH_RUNS", "20"))
EVENTS = int(os.environ.get("BENCH_EVENTS", int(200_000 * SCALE)))
DIAGNOSTICS = int(os.environ.get("BENCH_DIAGNOSTICS", int(1_000_000 * SCALE)))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", int(20_000 * SCALE)))
IMPORTED = int(os.environ.get("BENCH_IMPORT", "10000"))  # events of the iCalendar file imported once
BACK_OFFICE = os.environ.get("BENCH_BACK_OFFICE", "1") == "1"  # 0: public pages only (quicker comparisons)
# BENCH_ONLY=agenda,pilotage: only the measures whose address (or « import », « trouver ») holds one of the words.
ONLY = [word for word in os.environ.get("BENCH_ONLY", "").split(",") if word]
BENCH_PREFIX = "bench-"  # generated rows only
BATCH = 5000
# Events are held in the largest communes of each region: enough of them for « près de » to find a realistic share
# (a region's forty largest cover its cities and their suburbs).
COMMUNES_PER_REGION = 40


def insert_rows(table: str, columns: list[str], rows) -> None:
    """Insert ``rows`` (tuples, in the order of ``columns``) fast: COPY on PostgreSQL, executemany elsewhere."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        placeholders = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})"  # noqa: S608 - our names
        batch = []
        for row in rows:
            batch.append(row)
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)


def build_diagnostics() -> None:
    """DIAGNOSTICS anonymous self-diagnostic results over every département, size and NAF section (answers drawn
    from a pool of 500 scored sets: scoring a million answer sets would take minutes)."""
    import json

    from diagnostic.models import DiagnosticResult
    from diagnostic.scoring import CURRENT

    if DiagnosticResult.objects.filter(token__startswith=BENCH_PREFIX).count() == DIAGNOSTICS:
        return
    stale = DiagnosticResult.objects.filter(token__startswith=BENCH_PREFIX)
    stale._raw_delete(stale.db)  # no per-row signal for a million rows: the counts are rebuilt below
    rng = random.Random(3)
    departements = list(Departement.objects.values_list("code", "region_id"))
    sections = list(NafActivity.objects.filter(level="section").values_list("pk", flat=True))
    pool = []
    for _ in range(500):
        answers = {q.key: rng.choice(q.choices).value for q in CURRENT.questions}
        outcome = CURRENT.evaluate(answers)
        pool.append((json.dumps(answers), json.dumps(outcome.scores), outcome.profile))
    today = timezone.localdate()

    def rows():
        for i in range(DIAGNOSTICS):
            answers, scores, profile = rng.choice(pool)
            departement, region = rng.choice(departements)
            yield (
                f"{BENCH_PREFIX}{i:07d}",
                CURRENT.version,
                answers,
                departement,
                region,
                rng.choice(sections),
                rng.choice(("tpe", "pme", "eti")),
                scores,
                profile,
                today - timezone.timedelta(days=i % 700),
            )

    columns = ["token", "version", "answers", "departement_id", "region_id", "sector_id", "size", "scores"]
    insert_rows(DiagnosticResult._meta.db_table, [*columns, "profile", "created_on"], rows())
    after_bulk_diagnostics()


def after_bulk_diagnostics() -> None:
    """What a bulk insert of results skipped: the pre-aggregated counts (``diagnostic.counts``)."""
    from diagnostic.counts import counts_rebuild

    counts_rebuild()


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
    one of the COMMUNES_PER_REGION largest communes of their region (located at its centre, as ``save()`` would), the
    others online; half list one generated ambassador."""
    from agenda.models import Event
    from territories.models import Commune

    bench = Event.objects.filter(slug__startswith="bench-")
    # A database built before the events had a point (« près de ») is built again.
    if bench.count() == EVENTS and bench.filter(point_latitude__isnull=False).exists():
        return
    Event.objects.filter(slug__startswith="bench-").delete()
    rng = random.Random(2)
    regions = list(Region.objects.all())
    communes = {
        r.code: list(
            Commune.objects.filter(departement__region=r)
            .select_related("departement")
            .order_by("-population")[:COMMUNES_PER_REGION]
        )
        for r in regions
    }
    now = timezone.now()
    documents = {}  # search_values() per (format, venue): the number in the title is left to the prefix search
    for i in range(0, EVENTS, BATCH):
        events = []
        for j in range(i, min(i + BATCH, EVENTS)):
            region = rng.choice(regions)
            commune = rng.choice(communes[region.code]) if j % 4 else None
            past = j % 3 == 0
            days = rng.randint(-365, -1) if past else rng.randint(0, 365)
            start = now + timezone.timedelta(days=days, hours=rng.randint(0, 23))
            fmt = rng.choice(list(EVENT_TITLES))
            event = Event(
                slug=f"bench-{j:06d}",
                title=f"{EVENT_TITLES[fmt]} n° {j}",
                description="Démonstrations et retours d’expérience.",
                starts_at=start,
                ends_at=start + timezone.timedelta(hours=2),
                timezone=region.timezone,
                region=region,
                commune=commune,
                departement=commune.departement if commune else None,
                mode="in_person" if commune else "online",
                venue_name="CCI" if commune and j % 2 else "",
                format=fmt,
                moderation="published",
            )
            key = (fmt, event.venue_name)
            if key not in documents:
                documents[key] = event.search_values()
            for name, value in documents[key].items():
                setattr(event, name, value)
            event.locate()  # bulk_create skips save()
            events.append(event)
        Event.objects.bulk_create(events, batch_size=BATCH)
    topics = [t.pk for t in Topic.objects.all()]
    pks = list(Event.objects.filter(slug__startswith="bench-").values_list("pk", flat=True))
    through = Event.topics.through._meta
    insert_rows(through.db_table, ["event_id", "topic_id"], ((pk, rng.choice(topics)) for pk in pks))
    ambassadors = list(Ambassador.objects.filter(slug__startswith="bench-").values_list("pk", flat=True))
    if ambassadors:
        insert_rows(
            Event.ambassadors.through._meta.db_table,
            ["event_id", "ambassador_id"],
            ((pk, rng.choice(ambassadors)) for pk in pks[::2]),
        )


def build_requests() -> None:
    """REQUESTS requests of companies to generated ambassadors, half of them answered."""
    from contact.models import CompanyRequest

    if CompanyRequest.objects.filter(token__startswith=BENCH_PREFIX).count() == REQUESTS:
        return
    CompanyRequest.objects.filter(token__startswith=BENCH_PREFIX).delete()
    rng = random.Random(4)
    ambassadors = list(Ambassador.objects.filter(slug__startswith="bench-").values_list("pk", flat=True))
    regions = [r.code for r in Region.objects.all()]
    now = timezone.now()
    rows = []
    for i in range(REQUESTS):
        created = now - timezone.timedelta(days=rng.randint(0, 300))
        answered = i % 2 == 0
        rows.append(
            CompanyRequest(
                token=f"{BENCH_PREFIX}{i:07d}",
                ambassador_id=rng.choice(ambassadors),
                region_id=rng.choice(regions),
                company_name=f"Entreprise {i}",
                contact_name=f"Contact {i}",
                email=f"contact{i}@exemple.test",
                size=rng.choice(("tpe", "pme", "eti")),
                consent_at=created,
                assigned_at=created,
                state="answered" if answered else "new",
                answered_at=created + timezone.timedelta(days=2) if answered else None,
                answer_kind="call" if answered else "",
            )
        )
    CompanyRequest.objects.bulk_create(rows, batch_size=BATCH)
    CompanyRequest.objects.filter(token__startswith=BENCH_PREFIX).update(created_at=F("assigned_at"))


def build_ambassadors() -> None:
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


def place_ambassadors() -> None:
    """Each generated ambassador based in one of the ten largest communes of their département (« près de »); also
    on a database built before ambassadors had a commune."""
    from territories.models import Commune

    bench = Ambassador.objects.filter(slug__startswith="bench-")
    if not bench.filter(commune__isnull=True).exists():
        return
    rng = random.Random(5)
    largest = {}
    for code, departement in Commune.objects.order_by("departement_id", "-population").values_list(
        "code", "departement_id"
    ):
        if len(largest.setdefault(departement, [])) < 10:
            largest[departement].append(code)
    through = Ambassador.departements.through
    rows = []
    for pk, departement in through.objects.filter(ambassador__slug__startswith="bench-").values_list(
        "ambassador_id", "departement_id"
    ):
        rows.append(Ambassador(pk=pk, commune_id=rng.choice(largest[departement])))
    Ambassador.objects.bulk_update(rows, ["commune"], batch_size=2000)


def ensure_database() -> None:
    """Create the PostgreSQL database of DATABASE_URL if it does not exist yet."""
    if connection.vendor != "postgresql":
        return
    import psycopg

    settings = connection.settings_dict
    try:
        connection.ensure_connection()
    except Exception:  # the database is missing: create it from the maintenance one
        missing = True
    else:
        missing = False
    if not missing:
        return
    params = {"host": settings["HOST"], "port": settings["PORT"] or 5432, "user": settings["USER"]}
    if settings["PASSWORD"]:
        params["password"] = settings["PASSWORD"]
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'CREATE DATABASE "{settings["NAME"]}"')


def build() -> None:
    ensure_database()
    call_command("migrate", verbosity=0)
    call_command("load_reference_data", verbosity=0)
    build_ambassadors()  # first: events and requests link to them
    place_ambassadors()
    build_events()
    build_requests()
    build_diagnostics()
    with connection.cursor() as cursor:
        # Fresh planner statistics after the bulk inserts; on PostgreSQL also the visibility map that index-only
        # scans need, as autovacuum keeps it on a live database (a VACUUM runs outside a transaction: autocommit).
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


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


# « près de » (territories.geo.near): a box on the points' index, then the exact distance on the rows inside.
NEAR = [
    "/agenda/?pres_de=69003&distance=30",
    "/agenda/?pres_de=Toulouse&distance=50",
    "/api/v1/evenements?pres_de=69003&distance_km=30&par_page=100",
    "/ambassadeurs/?pres_de=Toulouse&distance=50",
    "/api/v1/ambassadeurs?pres_de=69003&distance_km=30&par_page=100",
]


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def measure(client: Client, url: str, runs: int = RUNS) -> tuple[float, float, float, int, int]:
    """p50 and p95 with the cache warm, p50 with the cache emptied before each request, queries (cold)."""
    client.get(url)  # warm up
    warm, cold = [], []
    for _ in range(runs):
        start = time.perf_counter()
        client.get(url)
        warm.append((time.perf_counter() - start) * 1000)
    for _ in range(max(3, runs // 4)):
        cache.clear()
        start = time.perf_counter()
        client.get(url)
        cold.append((time.perf_counter() - start) * 1000)
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return (
        statistics.median(warm),
        _percentile(warm, 95),
        statistics.median(cold),
        len(queries),
        response.status_code,
    )


HEADER = f"{'page':<50} {'p50':>9} {'p95':>9} {'sans cache':>11} {'requêtes':>9} {'statut':>7}"


def line(
    label: str, p50: float, p95: float, cold: float | None, queries: int | str, status: int | str
) -> str:
    cold_text = f"{cold:>8.1f} ms" if cold is not None else f"{'–':>11}"
    return f"{label:<50} {p50:>6.1f} ms {p95:>6.1f} ms {cold_text} {queries:>9} {status:>7}"


# The places and subjects of the imported events: each event its own description, the venues in ten regions.
VENUES = (
    "CCI de Lyon, 69002 Lyon",
    "Maison de la Région, 31000 Toulouse",
    "Technopole, 35000 Rennes",
    "Euratechnologies, 59000 Lille",
    "Cité des congrès, 44000 Nantes",
    "Palais des congrès, 33000 Bordeaux",
    "Le Shadok, 67000 Strasbourg",
    "Station F, 75013 Paris",
    "CCI Aix-Marseille-Provence, 13001 Marseille",
    "Pépinière d’entreprises, 21000 Dijon",
)
TOPICS = (
    "maintenance prédictive",
    "relation client",
    "données et tableaux de bord",
    "IA générative au bureau",
    "vision par ordinateur en atelier",
)


def calendar_file(count: int) -> bytes:
    """An iCalendar file of ``count`` events over the next 170 days (within the import horizon), each with its own
    description, in ten venues."""
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//bench//osez-ia//FR"]
    for i in range(count):
        start = now + timezone.timedelta(hours=2 + i * 170 * 24 // count)
        lines += [
            "BEGIN:VEVENT",
            f"UID:bench-import-{i}@exemple.test",
            f"DTSTAMP:{now:%Y%m%dT%H%M%SZ}",
            f"DTSTART:{start:%Y%m%dT%H%M%SZ}",
            f"DTEND:{start + timezone.timedelta(hours=2):%Y%m%dT%H%M%SZ}",
            f"SUMMARY:Atelier IA importé n° {i}",
            f"DESCRIPTION:Démonstrations et retours d’expérience\\, séance {i} : {TOPICS[i % len(TOPICS)]}.",
            "LOCATION:" + VENUES[i % len(VENUES)].replace(",", "\\,"),
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()


def time_import() -> str:
    """Import an iCalendar file of IMPORTED events into a fresh source (then remove them): the time and queries."""
    from agenda.imports import import_calendar
    from agenda.models import Event, ImportSource

    content = calendar_file(IMPORTED)
    Event.objects.filter(source__name="bench-import").delete()  # a run interrupted before its clean-up
    ImportSource.objects.filter(name="bench-import").delete()
    source = ImportSource.objects.create(name="bench-import", default_region=Region.objects.get(code="84"))
    # The queries counted by a wrapper that only counts: ``CaptureQueriesContext`` turns on the debug cursor, which
    # writes out every statement with its values (38,000 per batch of new events), a cost production never pays.
    queries = []
    start = time.perf_counter()
    with connection.execute_wrapper(
        lambda execute, sql, params, many, context: queries.append(1) or execute(sql, params, many, context)
    ):
        run = import_calendar(source=source, content=content)
    elapsed = time.perf_counter() - start
    created = run.created
    Event.objects.filter(source=source).delete()
    source.delete()
    return (
        f"Import iCalendar de {IMPORTED} événements ({len(content) // 1024} Kio) : {elapsed:.2f} s, "
        f"{created} créés, {len(queries)} requêtes"
    )


def wanted(label: str) -> bool:
    return not ONLY or any(word in label for word in ONLY)


def main() -> None:
    start = time.perf_counter()
    build()
    published = Ambassador.objects.published().count()
    print(
        f"Base : {connection.vendor}, {Ambassador.objects.count()} ambassadeurs dont {published} publiés, "
        f"{EVENTS} événements, {REQUESTS} demandes, {DIAGNOSTICS} autodiagnostics "
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
        *NEAR,
        "/diagnostic/statistiques/",
        "/api/v1/diagnostic/statistiques",
    ]
    print(HEADER)
    for url in filter(wanted, urls):
        print(line(url, *measure(client, url)))
    # How many each search finds (the same on every database: tests/test_search.py).
    from urllib.parse import parse_qs, urlencode, urlsplit

    from agenda.forms import AgendaFilterForm
    from agenda.selectors import events_public
    from ambassadors.forms import DirectoryFilterForm
    from ambassadors.selectors import ambassadors_directory

    found = []
    for url in filter(wanted, SEARCHES):
        parts = urlsplit(url)
        q = parse_qs(parts.query)["q"][0]
        if parts.path == "/ambassadeurs/":
            found.append(f"{q!r}: {ambassadors_directory(DirectoryFilterForm({'q': q}).filters()).count()}")
        elif parts.path == "/agenda/":
            found.append(f"{q!r}: {events_public(AgendaFilterForm({'q': q}).filters()).count()}")
    if found:
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
    if wanted(finder):
        p50, p95, _, queries, status = measure(client, finder)
        print(
            line(f"GET /trouver-un-ambassadeur/?… ({candidates} candidats)", p50, p95, None, queries, status)
        )
    if wanted(finder + "&pres_de"):
        p50, p95, _, queries, status = measure(client, finder + "&pres_de=31000&distance=30")
        print(
            line("GET /trouver-un-ambassadeur/?…&pres_de=31000&distance=30", p50, p95, None, queries, status)
        )
    if wanted("import"):
        print(time_import())
    if not BACK_OFFICE:
        return
    # The steering page aggregates everything in the database: timed as a national coordinator (whole country).
    from accounts.models import User

    coordinator, _ = User.objects.get_or_create(
        email="bench-coordination@exemple.test", defaults={"role": "national_coordinator"}
    )
    back_office = Client()
    back_office.force_login(coordinator)
    for url in filter(wanted, ("/pilotage/", "/pilotage/activite-ambassadeurs.csv")):
        print(line(url + " (national)", *measure(back_office, url, runs=max(3, RUNS // 4))))
    if wanted("/pilotage/"):
        for text in time_after_changes(back_office):
            print(text)
        print(time_tallies())
        print(time_worker_minute(back_office))


def time_worker_minute(client: Client) -> str:
    """The worker's minute (``dashboard.tasks.refresh_figures``: the tallies if the events moved, then the
    coordinations' pages computed again), and the national page opened just after it."""
    from dashboard.tasks import refresh_figures_now

    took, opened = [], []
    for _ in range(3):
        start = time.perf_counter()
        pages = refresh_figures_now()["pages"]
        took.append((time.perf_counter() - start) * 1000)
        opened.append(_timed_get(client, "/pilotage/"))
    return (
        f"Minute du worker ({pages} page(s) de pilotage calculée(s)) : {statistics.median(took):.0f} ms ; "
        f"/pilotage/ (national) ouverte ensuite : {statistics.median(opened):.1f} ms"
    )


def _timed_get(client: Client, url: str) -> float:
    start = time.perf_counter()
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return (time.perf_counter() - start) * 1000


def time_after_changes(client: Client) -> list[str]:
    """/pilotage/ just after a change, the figures of the request before kept (dashboard/caching.py: each section
    under the version of what it reads): a new self-diagnostic result, the most frequent write; an event saved,
    before the worker rebuilt the tallies (the events counted from the events) and after."""
    from agenda.models import Event
    from dashboard import tallies
    from diagnostic.models import DiagnosticResult

    runs = max(3, RUNS // 4)
    url = "/pilotage/"
    client.get(url)
    sample = DiagnosticResult.objects.filter(token__startswith=BENCH_PREFIX).first()
    fields = ["version", "answers", "departement_id", "region_id", "sector_id", "size", "scores", "profile"]
    made, diagnostic = [], []
    for i in range(runs):
        made.append(
            DiagnosticResult.objects.create(
                token=f"benchchange-{i:05d}", **{name: getattr(sample, name) for name in fields}
            )
        )
        diagnostic.append(_timed_get(client, url))
    for result in made:
        result.delete()  # the counts follow (diagnostic.counts)
    event = Event.objects.public().order_by("pk").first()
    stale, rebuilt = [], []
    for _ in range(runs):
        event.save()
        stale.append(_timed_get(client, url))
        event.save()
        tallies.refresh()  # the worker's
        rebuilt.append(_timed_get(client, url))
    label = f"{url} (national) après"
    return [
        f"{label} un autodiagnostic : {statistics.median(diagnostic):.1f} ms (médiane de {runs})",
        f"{label} un événement modifié, décomptes à recalculer : {statistics.median(stale):.1f} ms",
        f"{label} un événement modifié, décomptes recalculés : {statistics.median(rebuilt):.1f} ms",
    ]


def time_tallies() -> str:
    """The worker's rebuild of the steering page's tallies (dashboard/tallies.py), never in a request: the pages
    read while it runs count from the events."""
    from dashboard import tallies
    from dashboard.models import TallyState

    took = []
    for _ in range(3):
        TallyState.objects.update(version="")
        start = time.perf_counter()
        tallies.refresh()
        took.append((time.perf_counter() - start) * 1000)
    return f"Décomptes du pilotage recalculés par le worker (médiane de 3) : {statistics.median(took):.0f} ms"


if __name__ == "__main__":
    main()
