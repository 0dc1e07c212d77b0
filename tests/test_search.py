"""Free-text search of the directory and the agenda (core/search.py, territories/search.py): accents, case,
apostrophes and hyphens do not matter; words are matched by their French stem, the last one typed as a prefix;
place names find what lies there. Every table here runs on the database of the suite (SQLite, then PostgreSQL in
CI) with the same expected objects: that is the proof that both give the same results. The PostgreSQL-only tests
check that its full-text search reads the stored columns exactly as the Python side wrote them, through the GIN
index."""

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agenda.enums import Mode
from agenda.forms import AgendaFilterForm
from agenda.imports import import_calendar
from agenda.models import Event, ImportSource
from agenda.selectors import events_public
from agenda.services import event_save
from ambassadors.forms import DirectoryFilterForm
from ambassadors.models import Ambassador, Topic
from ambassadors.selectors import ambassadors_directory
from ambassadors.services import ambassador_update
from core.search import Matches, Term, document, name_key, search_rebuild, stems, text_ids, words
from recruitment import services as recruitment
from territories.models import Commune, Departement, NafActivity, Region
from territories.search import PlaceTerm, query_terms
from tests.agenda.factories import EventFactory as BaseEventFactory
from tests.agenda.factories import at, in_days
from tests.factories import AmbassadorFactory, ApplicationFactory, UserFactory

pytestmark = pytest.mark.django_db


# The words: folding and stems, without a database.


@pytest.mark.parametrize(
    "variants",
    [
        ["Val-d'Oise", "val d’oise", "VAL D OISE", "Val d'Oise", "val-d’oise"],
        ["données", "DONNÉES", "donnees", "Donnees", "données"],  # the last one decomposed (NFD)
        ["Côte-d'Or", "cote d or", "CÔTE D’OR", "Côte d’Or"],
        ["cœur", "coeur", "CŒUR"],
        ["Saint-Étienne", "saint etienne", "SAINT-ETIENNE", "Saint Étienne"],
    ],
)
def test_folding_makes_variants_the_same_words(variants):
    assert len({name_key(v) for v in variants}) == 1
    assert len({document(v) for v in variants}) == 1


def test_document_keeps_stems_in_order_without_stop_words_and_single_letters():
    assert document("L’intelligence artificielle au service de la maintenance prédictive") == (
        " intelligent artificiel servic mainten predict "
    )
    assert document("") == document("de la, l’ et ; !") == ""
    assert stems("Industrie 4.0 en 2025, 1er atelier") == ["industr", "2025", "1er", "ateli"]


def test_words_drop_what_is_not_a_letter_or_a_digit():
    assert words("a:*&|!b\x00c <-> 'd' \"e\" %_ \\ (f)") == ["a", "b", "c", "d", "e", "f"]
    assert words("x" * 41 + " court") == ["court"]
    assert words("日本語 🙂 ​") == []


# Place names in a query.


def test_query_terms_read_place_names_whole_and_largest_first():
    def only(q):
        [term] = query_terms(q)
        assert isinstance(term, PlaceTerm), q
        return term.regions, term.departement_codes, term.communes

    assert only("Lyon") == (set(), {"69"}, {"69123"})
    assert only("Rhône") == (set(), {"69"}, set())
    assert only("Auvergne-Rhône-Alpes") == ({"84"}, set(), set())
    assert only("Provence-Alpes-Côte d’Azur") == ({"93"}, set(), set())
    assert only("Côte-d'Or") == (set(), {"21"}, set())
    assert only("val d oise") == (set(), {"95"}, set())
    assert only("St-Étienne") == (set(), {"42"}, {"42218"})
    assert only("Réunion") == ({"04"}, set(), set())  # the article may be left out
    assert only("Paris") == (set(), {"75"}, set())  # the département wins over the commune
    assert only("Saint-Denis") == (set(), {"93", "974"}, {"93066", "97411"})


def test_query_terms_leave_small_communes_and_common_words_to_the_text():
    # Ligné (Loire-Atlantique, 5,700 inhabitants) is not taken for « en ligne »; nor Mer for « mer ».
    assert not any(isinstance(t, PlaceTerm) for t in query_terms("en ligne mer publier"))
    [term] = query_terms("données Lyon")[:1]
    assert term.stems == ("donne",) and not term.prefix
    assert query_terms("intel")[0].prefix
    assert query_terms(":*&|! de la l’ ’ - ''") == []


# A small country: who and what the searches must find.


def EventFactory(**fields):
    """An event whose texts name no place nor common word of the tables below."""
    defaults = {
        "organizer_name": "France Num",
        "venue_name": "Maison des entreprises",
        "description": "Démonstrations et retours d’expérience.",
    }
    return BaseEventFactory(**{**defaults, **fields})


@pytest.fixture
def people():
    make = AmbassadorFactory
    return {
        "lyon": make(
            published=True,
            first_name="Amélie",
            last_name="Durand",
            structure_name="CCI Lyon Métropole",
            job_title="Conseillère numérique",
            bio="J’aide les PME à valoriser leurs données.",
            regions=["84"],
            departements=["69"],
            sectors=["C"],
            topics=["production"],
        ),
        "isere": make(
            published=True,
            first_name="Bruno",
            last_name="Martin",
            structure_name="Atelier grenoblois",
            job_title="Ingénieur",
            bio="Maintenance prédictive et intelligence artificielle dans l’industrie.",
            regions=["84"],
            departements=["38"],
            topics=["donnees"],
        ),
        "aura": make(
            published=True,
            first_name="Chloé",
            last_name="Bernard",
            structure_name="Studio numérique",
            bio="Des cafés IA pour les premiers pas.",
            regions=["84"],
            sectors=["J"],
        ),
        "bdr": make(
            published=True,
            first_name="David",
            last_name="Petit",
            structure_name="Port autonome",
            bio="Logistique portuaire et IA.",
            regions=["93"],
            departements=["13"],
            topics=["logistique"],
        ),
        "paca": make(
            published=True,
            first_name="Hélène",
            last_name="Garnier",
            structure_name="Office du tourisme",
            bio="Tourisme et relation client.",
            regions=["93"],
        ),
        "oise": make(
            published=True,
            first_name="Émilie",
            last_name="Roux",
            structure_name="Cabinet Roux",
            bio="Cybersécurité des TPE.",
            regions=["11"],
            departements=["95"],
        ),
        "national": make(
            published=True,
            first_name="Fanny",
            last_name="Moreau",
            structure_name="Média national",
            kind="grand_public",
            is_national=True,
            bio="Je parle d’IA à Lyon comme à Lille.",
        ),
        "loire": make(
            published=True,
            first_name="Gilles",
            last_name="Faure",
            structure_name="Usine stéphanoise",
            job_title="Directeur d’usine",
            bio="Robots et vision.",
            regions=["84"],
            departements=["42"],
        ),
        "dijon": make(
            published=True,
            first_name="Inès",
            last_name="Lambert",
            structure_name="Maison de l’emploi",
            bio="Ressources humaines et IA.",
            regions=["27"],
            departements=["21"],
        ),
        "reunion": make(
            published=True,
            first_name="Jade",
            last_name="Payet",
            structure_name="Technopole",
            bio="Agriculture tropicale.",
            regions=["04"],
        ),
        # Isère in Auvergne-Rhône-Alpes only, all of Occitanie.
        "two": make(
            published=True,
            first_name="Karim",
            last_name="Haddad",
            structure_name="Conseil Haddad",
            bio="Commerce de détail.",
            regions=["84", "76"],
            departements=["38"],
        ),
        "hidden": make(
            first_name="Léon",
            last_name="Caché",
            bio="Données, Lyon, café, Rhône.",
            regions=["84"],
            departements=["69"],
        ),
    }


ALL_PUBLISHED = {
    "lyon",
    "isere",
    "aura",
    "bdr",
    "paca",
    "oise",
    "national",
    "loire",
    "dijon",
    "reunion",
    "two",
}
DIRECTORY = [
    ("", ALL_PUBLISHED),
    ("données", {"lyon", "isere"}),  # a presentation; a topic's name
    ("Lyon", {"lyon", "aura", "national"}),  # the Rhône, all of the region without départements, the texts
    ("Rhône", {"lyon", "aura"}),  # not the Bouches-du-Rhône, not the rest of Auvergne-Rhône-Alpes
    ("Auvergne-Rhône-Alpes", {"lyon", "isere", "aura", "loire", "two"}),
    ("Bouches-du-Rhône", {"bdr", "paca"}),
    ("Provence-Alpes-Côte d'Azur", {"bdr", "paca"}),
    ("Val-d'Oise", {"oise"}),
    ("Côte-d'Or", {"dijon"}),
    ("Dijon", {"dijon"}),
    ("Saint-Étienne", {"loire", "aura"}),
    ("Haute-Garonne", {"two"}),  # all of Occitanie
    ("Réunion", {"reunion"}),
    ("Isère", {"isere", "two", "aura"}),
    ("Alpes", {"lyon", "isere", "aura", "loire", "two", "bdr", "paca"}),  # a word of region names
    ("intel", {"isere"}),  # the last word, a prefix
    ("maintenance prédictive", {"isere"}),
    ("données Lyon", {"lyon"}),
    ("logistique", {"bdr"}),
    ("information", {"aura"}),  # NAF section J, « Information et communication »
    ("industrie manufacturière", {"lyon"}),  # NAF section C
    ("Ressources humaines", {"dijon"}),
    ("cybersécurité", {"oise"}),
    ("conseillère", {"lyon"}),  # the job title
    ("Durand", {"lyon"}),
    ("café", {"aura"}),  # « cafés »: the same stem
    ("robot", {"loire"}),
    ("Lyon Rhône", {"lyon", "aura"}),
    ("zzzz", set()),
    ("de la", ALL_PUBLISHED),  # nothing asked
    (":*&|!", ALL_PUBLISHED),
]


def found_people(people, q: str) -> set[str]:
    form = DirectoryFilterForm({"q": q})
    assert form.is_valid(), form.errors
    pks = set(ambassadors_directory(form.filters()).values_list("pk", flat=True))
    return {key for key, person in people.items() if person.pk in pks}


@pytest.mark.parametrize(("q", "expected"), DIRECTORY, ids=[q or "none" for q, _ in DIRECTORY])
def test_directory_search_finds_exactly(people, q, expected):
    assert found_people(people, q) == expected


EQUIVALENT = [
    ["données", "donnees", "DONNÉES", "Donnée", "donnee"],
    ["Rhône", "rhone", "RHÔNE"],
    ["Auvergne-Rhône-Alpes", "auvergne rhone alpes", "AUVERGNE RHÔNE-ALPES"],
    ["Val-d'Oise", "val d’oise", "VAL D OISE", "Val d Oise"],
    ["Côte-d'Or", "cote d or", "Côte d’Or", "CÔTE-D'OR"],
    ["Saint-Étienne", "saint etienne", "St-Étienne", "ST ETIENNE"],
    ["Provence-Alpes-Côte d'Azur", "provence alpes cote d’azur", "PROVENCE-ALPES-CÔTE-D'AZUR"],
    ["l'IA", "l’IA", "L’ia", "IA"],
    ["cybersécurité", "cybersecurite", "CYBERSÉCURITÉ"],
    ["La Réunion", "Réunion", "la reunion"],
]


@pytest.mark.parametrize("variants", EQUIVALENT, ids=[v[0] for v in EQUIVALENT])
def test_directory_variants_find_the_same_people(people, variants):
    results = [found_people(people, q) for q in variants]
    assert results[0]
    assert all(r == results[0] for r in results), dict(zip(variants, results, strict=True))


@pytest.fixture
def events():
    return {
        "lyon": EventFactory(
            title="Café IA des dirigeants",
            commune_code="69123",
            topics=["donnees"],
            starts_at=at(in_days(3), 9),
        ),
        "villeurbanne": EventFactory(
            title="Atelier robotique", commune_code="69266", starts_at=at(in_days(4), 9)
        ),
        "stetienne": EventFactory(
            title="Conférence : vos données", commune_code="42218", starts_at=at(in_days(5), 9)
        ),
        "webinar": EventFactory(
            online=True,
            title="Webinaire : l’IA générative",
            description="Premiers pas en intelligence artificielle.",
            starts_at=at(in_days(6), 9),
        ),
        "marseille": BaseEventFactory(
            title="Rencontre : l’IA et le tourisme",
            commune_code="13055",
            organizer_name="CCI Lyon Métropole",
            venue_name="Palais du Pharo",
            description="Démonstrations et retours d’expérience.",
            starts_at=at(in_days(7), 9),
        ),
        "cergy": EventFactory(
            title="Petit-déjeuner des artisans", commune_code="95127", starts_at=at(in_days(8), 9)
        ),
        "dijon": EventFactory(
            title="Atelier IA et emploi", commune_code="21231", starts_at=at(in_days(9), 9)
        ),
        "reunion": EventFactory(
            reunion=True, title="Atelier tropical", starts_at=at(in_days(10), 9, 0, "Indian/Reunion")
        ),
        "submitted": EventFactory(submitted=True, title="Café IA en attente", commune_code="69123"),
        "past": EventFactory(title="Café IA d’hier", commune_code="69123", starts_at=at(in_days(-2), 9)),
    }


UPCOMING = {"lyon", "villeurbanne", "stetienne", "webinar", "marseille", "cergy", "dijon", "reunion"}
AGENDA = [
    ("", UPCOMING),
    ("café", {"lyon"}),
    ("Lyon", {"lyon", "villeurbanne", "marseille"}),  # the commune, its département, the organiser's name
    ("Rhône", {"lyon", "villeurbanne"}),
    ("Villeurbanne", {"lyon", "villeurbanne"}),
    ("Auvergne-Rhône-Alpes", {"lyon", "villeurbanne", "stetienne", "webinar"}),
    ("Saint-Étienne", {"stetienne"}),
    ("Loire", {"stetienne"}),
    ("Bouches-du-Rhône", {"marseille"}),
    ("Marseille", {"marseille"}),
    ("Val-d'Oise", {"cergy"}),
    ("Côte-d'Or", {"dijon"}),
    ("Saint-Denis", {"reunion"}),
    ("Réunion", {"reunion"}),
    ("Grenoble", set()),
    ("webinaire", {"webinar"}),
    ("générative", {"webinar"}),
    ("intel", {"webinar"}),
    ("données", {"lyon", "stetienne"}),  # a topic's name; a title
    ("Alpes", {"lyon", "villeurbanne", "stetienne", "webinar", "marseille"}),  # a word of region names
    ("tourisme", {"marseille"}),
    ("Pharo", {"marseille"}),  # the venue
    ("atelier Dijon", {"dijon"}),
    ("atelier Lyon", {"villeurbanne"}),
    ("zzzz", set()),
    (":*&|!", UPCOMING),
]


def found_events(events, q: str, *, past: bool = False) -> set[str]:
    form = AgendaFilterForm({"q": q})
    assert form.is_valid(), form.errors
    pks = set(events_public(form.filters(), past=past).values_list("pk", flat=True))
    return {key for key, event in events.items() if event.pk in pks}


@pytest.mark.parametrize(("q", "expected"), AGENDA, ids=[q or "none" for q, _ in AGENDA])
def test_agenda_search_finds_exactly(events, q, expected):
    assert found_events(events, q) == expected


@pytest.mark.parametrize(
    "variants",
    [
        ["café", "cafe", "CAFÉ", "Cafés"],
        ["Val-d'Oise", "val d’oise", "VAL D OISE"],
        ["Saint-Étienne", "saint etienne", "ST-ETIENNE"],
        ["générative", "generative", "GÉNÉRATIVE"],
    ],
)
def test_agenda_variants_find_the_same_events(events, variants):
    results = [found_events(events, q) for q in variants]
    assert results[0]
    assert all(r == results[0] for r in results), dict(zip(variants, results, strict=True))


def test_past_agenda_search(events):
    assert found_events(events, "cafe", past=True) == {"past"}


# The pages and the API give what the selectors give.


def test_directory_page_and_api_search(client, people):
    response = client.get("/ambassadeurs/", {"q": "rhone"})
    assert response.status_code == 200
    assert {a.pk for a in response.context["ambassadors"]} == {people["lyon"].pk, people["aura"].pk}

    data = client.get("/api/v1/ambassadeurs", {"q": "RHÔNE"}).json()
    assert {row["nom"] for row in data["resultats"]} == {"Durand", "Bernard"}


def test_agenda_page_feed_and_api_search(client, events):
    response = client.get("/agenda/", {"q": "cafe"})
    assert response.status_code == 200
    assert "Café IA des dirigeants" in response.content.decode()
    assert "Atelier robotique" not in response.content.decode()

    feed = client.get("/agenda/flux.ics", {"q": "Rhône"}).content.decode()
    assert "Atelier robotique" in feed and "Conférence" not in feed

    data = client.get("/api/v1/evenements", {"q": "Lyon"}).json()
    assert {row["titre"] for row in data["resultats"]} == {
        "Café IA des dirigeants",
        "Atelier robotique",
        "Rencontre : l’IA et le tourisme",
    }


BAD = [
    "x" * 100,
    "a " * 50,
    "é" * 100,
    ":*&|!",
    "!",
    "'",
    "’",
    "\\",
    "%",
    "_",
    "%_%",
    "(",
    "a:*",
    "a & b | !c",
    "<->",
    "''; DROP TABLE x; --",
    "🙂",
    "日本語",
    "\u200b",
    "Saint-" * 16,
    "lyon " * 20,
]


@pytest.mark.parametrize("q", BAD, ids=range(len(BAD)))
def test_odd_queries_never_fail(client, people, events, q):
    for url in (
        "/ambassadeurs/",
        "/agenda/",
        "/agenda/passes/",
        "/agenda/flux.ics",
        "/api/v1/ambassadeurs",
        "/api/v1/evenements",
    ):
        assert client.get(url, {"q": q}).status_code == 200, url


@pytest.mark.parametrize("q", ["x" * 101, "a\x00b", "\x00"])
def test_too_long_or_nul_query_is_a_400(client, q):
    for url in ("/ambassadeurs/", "/agenda/", "/api/v1/ambassadeurs", "/api/v1/evenements"):
        assert client.get(url, {"q": q}).status_code == 400, url


# Query counts: a search adds one query (the place names), whatever the number of results.


def _count(client, url: str) -> int:
    # Cold: cached fragments (core/fragments.py) are rendered by the path whose queries could grow with the items.
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries.captured_queries)


def test_directory_search_query_count_does_not_grow(client):
    def add(n):
        return [
            AmbassadorFactory(
                published=True,
                bio="Données",
                regions=["84"],
                departements=["69", "38"],
                topics=["donnees", "production"],
                sectors=["C", "J"],
            )
            for _ in range(n)
        ]

    add(1)
    url = "/ambassadeurs/?q=donn%C3%A9es+Lyon"
    plain = _count(client, "/ambassadeurs/")
    one = _count(client, url)
    add(4)
    assert _count(client, url) == one == plain + 1 == 12  # the same on SQLite and PostgreSQL


def test_agenda_search_query_count_does_not_grow(client):
    def add(n):
        return [EventFactory(title="Café IA", topics=["donnees"], sectors=["C"]) for _ in range(n)]

    add(1)
    url = "/agenda/?q=caf%C3%A9+Rh%C3%B4ne"
    plain = _count(client, "/agenda/")
    one = _count(client, url)
    add(4)
    assert _count(client, url) == one == plain + 1 == 9  # the same on SQLite and PostgreSQL


# Every door keeps the search column true.


def test_service_edit_is_searchable_at_once():
    national = UserFactory(national=True)
    ambassador = AmbassadorFactory(published=True, regions=["84"])
    ambassador_update(
        ambassador=ambassador, by=national, data={"bio": "Vision par ordinateur en viticulture."}
    )

    assert ambassadors_directory_q("viticulture") == {ambassador.pk}


def ambassadors_directory_q(q: str) -> set[int]:
    return set(ambassadors_directory(DirectoryFilterForm({"q": q}).filters()).values_list("pk", flat=True))


def test_save_with_update_fields_refreshes_the_search_column():
    ambassador = AmbassadorFactory(published=True)
    ambassador.job_title = "Œnologue"
    ambassador.save(update_fields=["job_title"])
    ambassador.refresh_from_db()

    assert "oenolog" in ambassador.search_text
    assert ambassadors_directory_q("oenologue") == {ambassador.pk}


def test_designation_creates_a_searchable_profile():
    application = ApplicationFactory(
        under_review=True, job_title="Directrice de production", structure_name="Usinage du Rhône"
    )
    recruitment.application_transition(
        application=application,
        action="designate",
        by=UserFactory(national=True),
        reason="Solide.",
    )
    ambassador = Ambassador.objects.get(contact_email=application.email)

    assert ambassador.search_text == document(
        application.first_name, application.last_name, "Usinage du Rhône", "Directrice de production", ""
    )


def test_event_service_and_import_write_the_search_column():
    national = UserFactory(national=True)
    event = event_save(
        by=national,
        data={
            "title": "Atelier vision industrielle",
            "starts_at": at(in_days(3), 9),
            "ends_at": at(in_days(3), 11),
            "mode": Mode.ONLINE,
            "online_url": "https://visio.exemple.fr/a",
            "region": Region.objects.get(code="76"),
        },
    )
    assert found_events({"e": event}, "vision") == {"e"}

    source = ImportSource.objects.create(name="Agenda importé", default_region=Region.objects.get(code="84"))
    ics = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//FR\r\nBEGIN:VEVENT\r\nUID:a@exemple\r\n"
        f"DTSTAMP:20250101T000000Z\r\nDTSTART:{in_days(4):%Y%m%d}T090000Z\r\nDTEND:{in_days(4):%Y%m%d}T110000Z\r\n"
        "SUMMARY:Matinale de la cybersécurité\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    import_calendar(source=source, content=ics.encode())
    imported = Event.objects.get(source=source)
    assert imported.search_text == document("Matinale de la cybersécurité", imported.description, "", "")


def test_renamed_topic_is_found_at_once(people):
    topic = Topic.objects.get(slug="logistique")
    topic.name = "Chaîne d’approvisionnement"
    topic.save()

    assert found_people(people, "approvisionnement") == {"bdr"}


def test_rebuild_repairs_a_bulk_write(people):
    Ambassador.objects.filter(pk=people["paca"].pk).update(bio="Viticulture et œnotourisme.")
    assert found_people(people, "viticulture") == set()

    call_command("rebuild_search", verbosity=0)

    assert found_people(people, "viticulture") == {"paca"}
    assert set(search_rebuild().values()) == {0}


def test_agenda_text_index_follows_every_write(events):
    """SQLite reads the events' words from a full-text index (FTS5) kept by triggers: whatever writes the column
    (save, a bulk insert, an update in bulk, a delete), a search reads what the row holds now."""
    event = EventFactory(title="Atelier vision industrielle")
    assert found_events({"e": event}, "vision") == {"e"}

    event.title = "Matinale de la robotique"
    event.save()
    assert found_events({"e": event}, "vision") == set()
    assert found_events({"e": event}, "robotique") == {"e"}

    Event.objects.filter(pk=event.pk).update(search_text=document("Journée cobotique"))
    assert found_events({"e": event}, "cobotique") == {"e"}
    assert found_events({"e": event}, "robotique") == set()

    [bulk] = Event.objects.bulk_create(
        [
            Event(
                **{
                    f.name: getattr(event, f.name)
                    for f in Event._meta.concrete_fields
                    if f.name not in ("id", "slug", "search_text", "source_uid")
                },
                slug="ecrit-en-bloc",
                search_text=document("Hackathon des données"),
            )
        ]
    )
    assert found_events({"bulk": bulk}, "hackathon") == {"bulk"}

    event.delete()
    assert found_events({"e": event}, "cobotique") == set()


@pytest.mark.parametrize(
    ("text", "prefix"),
    [
        ("café", False),
        ("caf", True),
        ("cafés", False),
        ("Saint-Étienne", False),
        ("saint eti", True),
        ("données", True),
        ("1er", False),
        ("hackathon", False),
    ],
)
def test_agenda_text_index_finds_what_the_column_holds(events, text, prefix):
    """The full-text lookup (``text_ids``: FTS5 on SQLite, GIN on PostgreSQL) finds exactly the rows whose column
    holds the term as ``Matches`` reads it (``LIKE`` on SQLite): a word whole, a prefix, a phrase."""
    EventFactory(title="Café IA à Saint-Étienne, le 1er jeudi", description="Cafés et données.")
    EventFactory(title="Cafétéria de Saint-Étienne-du-Rouvray", description="Un café.")
    term = Term(tuple(stems(text)), prefix=prefix)
    indexed = set(Event.objects.filter(pk__in=text_ids(Event, term)).values_list("pk", flat=True))
    read = set(Event.objects.filter(Matches(term)).values_list("pk", flat=True))

    assert indexed == read
    assert bool(indexed) == (text != "hackathon")


def test_demo_data_is_searchable():
    """The demo loaders write through save() (and set many-to-many links in bulk, read at query time)."""
    call_command("load_demo_data", verbosity=0)

    assert search_rebuild(Ambassador, Event, Topic) == {
        "ambassadors.Ambassador": 0,
        "agenda.Event": 0,
        "ambassadors.Topic": 0,
    }
    assert ambassadors_directory_q("Lyon")


def test_reference_data_is_searchable():
    assert Region.objects.get(code="93").search_name == "provence alpes cote d azur"
    assert Commune.objects.get(code="42218").search_name == "saint etienne"
    assert Departement.objects.filter(search_text="").count() == 0
    assert NafActivity.objects.filter(search_text="").count() == 0
    assert set(search_rebuild(Region, Departement, NafActivity).values()) == {0}


# PostgreSQL: its full-text search reads the column as the Python side wrote it, through the GIN index.

postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")


def _lexemes(table: str, pk: str, column: str = "search_text") -> dict:
    """For each row, {lexeme: positions} as PostgreSQL reads ``column`` with the osez_search configuration."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {pk}, (unnest(to_tsvector('osez_search'::regconfig, {column}))).lexeme, "  # noqa: S608 - constants
            f"(unnest(to_tsvector('osez_search'::regconfig, {column}))).positions FROM {table}"
        )
        found: dict = {}
        for key, lexeme, positions in cursor.fetchall():
            found.setdefault(str(key), {})[lexeme] = list(positions)
    return found


def _expected(text: str) -> dict:
    positions: dict = {}
    for i, s in enumerate(text.split(), start=1):
        positions.setdefault(s, []).append(i)
    return positions


@postgresql
def test_postgresql_reads_every_stored_column_as_its_stems(people, events):
    for model in (Ambassador, Event, Topic, Region, Departement, Commune, NafActivity):
        table, pk = model._meta.db_table, model._meta.pk.column
        read = _lexemes(table, pk)
        for key, text in model.objects.values_list("pk", "search_text"):
            assert read.get(str(key), {}) == _expected(text), (model, key, text)


@postgresql
def test_postgresql_reads_odd_words_as_one_lexeme_each():
    odd = ["1e10", "0x1f", "12h30", "a1b2", "007", "1er", "2e", "3d", "v2", "http", "www", "x" * 40, "123abc"]
    with connection.cursor() as cursor:
        for word in odd:
            cursor.execute("SELECT to_tsvector('osez_search'::regconfig, %s)::text", [f" {word} "])
            assert cursor.fetchone()[0] == f"'{word}':1", word


@postgresql
@pytest.mark.parametrize(
    ("model", "index"),
    [
        (Ambassador, "ambassadors_ambassador_search_fts"),
        (Event, "agenda_event_search_fts"),
        (Commune, "territories_commune_search_fts"),
    ],
)
def test_postgresql_search_uses_the_gin_index(model, index):
    """The SQL that ``Matches`` writes is the indexed expression (seq scans off: the tables are tiny here)."""
    sql, params = (
        model.objects.filter(Matches(Term(("donne",), prefix=True))).values("pk").query.sql_with_params()
    )
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = " ".join(row[0] for row in cursor.fetchall())
    assert index in plan
