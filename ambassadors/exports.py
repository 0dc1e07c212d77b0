"""Open data: the public fields of published ambassadors. One list of columns feeds the CSV, the JSON and the
documentation page, so they cannot drift apart. No email or phone is, or may be added, here. At the end, the
back office's list as a spreadsheet (``MANAGE_COLUMNS``), under the same rule."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import quote

from django.conf import settings
from django.core.cache import cache
from django.db.models import F, QuerySet
from django.urls import reverse

from ambassadors.models import Ambassador
from ambassadors.selectors import RESULTS_SECONDS, ambassadors_directory, profiles_version
from core.fragments import digest, filters_key_for

# An export reads plain rows (``records``), not model instances: a dict per profile, its relations as lists of codes
# read with one query per relation, so that the 3,000 and more profiles of a full export are a few queries and no
# object per row. The API's list pages through them too (``PublicRecords``); one profile's answer goes through
# ``record_of`` and gives the same columns.
FIELDS = (
    "pk",
    "slug",
    "first_name",
    "last_name",
    "job_title",
    "structure_name",
    "siren",
    "kind",
    "is_national",
    "designated_at",
    "published_at",
    "is_france_num_activateur",
    "france_num_url",
    "website_url",
    "linkedin_url",
)
# (key of the record, through table's column of the related code)
RELATIONS = {
    "regions": (Ambassador.regions.through, "region_id"),
    "departements": (Ambassador.departements.through, "departement_id"),
    "secteurs": (Ambassador.sectors.through, "nafactivity__code"),
    "thematiques": (Ambassador.topics.through, "topic__slug"),
}


@dataclass(frozen=True)
class Column:
    name: str
    description: str
    value: Callable[[dict], object]


def _codes(items) -> list[str]:
    return sorted(i.code for i in items)


def _date(value) -> str:
    return value.isoformat() if value else ""


_SENTINEL = "identifiant-du-profil"


def _profile_url():
    """``settings.SITE_URL`` + the profile's address, as ``reverse()`` writes it (quoted the same way), without
    resolving the pattern once per row."""
    before, after = (settings.SITE_URL + reverse("ambassadors:detail", args=[_SENTINEL])).split(_SENTINEL)
    return lambda slug: f"{before}{quote(slug, safe="!$&'()*+,;=/~:@")}{after}"


COLUMNS = [
    Column("identifiant", "Identifiant stable du profil (slug de sa page)", lambda r: r["slug"]),
    Column("prenom", "Prénom", lambda r: r["first_name"]),
    Column("nom", "Nom", lambda r: r["last_name"]),
    Column("fonction", "Fonction dans sa structure", lambda r: r["job_title"]),
    Column("structure", "Nom de la structure", lambda r: r["structure_name"]),
    Column("siren", "SIREN de la structure (9 chiffres), s’il est connu", lambda r: r["siren"]),
    Column("profil", "grand_public ou sectoriel_regional", lambda r: r["kind"]),
    Column("national", "true si l’ambassadeur intervient sur tout le territoire", lambda r: r["is_national"]),
    Column("regions", "Codes INSEE des régions, séparés par « ; »", lambda r: r["regions"]),
    Column("departements", "Codes INSEE des départements, séparés par « ; »", lambda r: r["departements"]),
    Column("secteurs", "Sections NAF rév. 2 (lettres A à U), séparées par « ; »", lambda r: r["secteurs"]),
    Column("thematiques", "Thématiques (identifiants), séparées par « ; »", lambda r: r["thematiques"]),
    Column(
        "reseau",
        "Réseau partenaire qui a proposé l’ambassadeur (identifiant)",
        lambda r: r["reseau"] or "",
    ),
    Column("date_designation", "Date de désignation (AAAA-MM-JJ)", lambda r: _date(r["designated_at"])),
    Column(
        "date_publication",
        "Date de publication (AAAA-MM-JJ)",
        lambda r: _date(r["published_at"] and r["published_at"].date()),
    ),
    Column(
        "activateur_france_num",
        "true si la personne est activateur France Num",
        lambda r: r["is_france_num_activateur"],
    ),
    Column("page_france_num", "Adresse de sa page France Num", lambda r: r["france_num_url"]),
    Column("site_web", "Site web public", lambda r: r["website_url"]),
    Column("linkedin", "Profil LinkedIn public", lambda r: r["linkedin_url"]),
    Column("url", "Adresse de sa page sur la plateforme", lambda r: r["url"]),
]

FRANCE_NUM_COLUMNS = [
    c
    for c in COLUMNS
    if c.name
    in {
        "identifiant",
        "prenom",
        "nom",
        "structure",
        "siren",
        "regions",
        "departements",
        "thematiques",
        "page_france_num",
        "url",
    }
]


def records(ambassadors: QuerySet[Ambassador], window: slice | None = None) -> list[dict]:
    """The rows of ``ambassadors`` (a queryset, in its order; ``window``: only that slice of it) as the columns read
    them: one query for the profiles and one per relation (its codes, sorted), whatever the number of profiles."""
    qs = ambassadors.select_related(None).prefetch_related(None)
    ids = qs.order_by().values("pk")
    values = qs.values(*FIELDS, reseau=F("proposing_network__slug"))
    rows = list(values if window is None else values[window])
    by_pk = {}
    url = _profile_url()
    for row in rows:
        row["url"] = url(row["slug"])
        for key in RELATIONS:
            row[key] = []
        by_pk[row["pk"]] = row
    if window is not None:
        ids = list(by_pk)
    for key, (through, column) in RELATIONS.items():
        for ambassador_id, code in through.objects.filter(ambassador_id__in=ids).values_list(
            "ambassador_id", column
        ):
            row = by_pk.get(ambassador_id)
            if row is not None:
                row[key].append(code)
    for row in rows:
        for key in RELATIONS:
            row[key].sort()
    return rows


class PublicRecords:
    """The directory's profiles found with a valid ``DirectoryFilterForm`` as the export's records, counted and
    sliced as a queryset is (``count()``, ``[start:stop]``): what the API's list (``/api/v1/ambassadeurs``) pages
    through.

    A slice is five queries and no object (``records``), where a page of a hundred instances with their four
    prefetches and ``proposing_network`` built ~600 objects; and the count and each slice are kept in the shared
    cache by the filters sent, the reference lists and the profiles' version, as the directory's results are
    (``ambassadors/views.py``: ``_results``; ``RESULTS_SECONDS`` bounds the rest)."""

    def __init__(self, form):
        self.form = form
        self.version = (filters_key_for(type(form), form.data), profiles_version())

    def _cached(self, part, build):
        key = "api-ambassadors:" + digest(self.version, part)
        return cache.get_or_set(key, build, RESULTS_SECONDS)

    def _found(self) -> QuerySet[Ambassador]:
        return ambassadors_directory(self.form.filters())

    def count(self) -> int:
        return self._cached("count", lambda: self._found().count())

    def __getitem__(self, window: slice) -> list[dict]:
        return self._cached((window.start, window.stop), lambda: records(self._found(), window))


def record_of(ambassador: Ambassador) -> dict:
    """The row of one profile from its instance (its relations prefetched, as ``ambassadors_public`` does)."""
    row = {name: getattr(ambassador, name) for name in FIELDS}
    row["reseau"] = ambassador.proposing_network.slug if ambassador.proposing_network else ""
    row["url"] = settings.SITE_URL + ambassador.get_absolute_url()
    row["regions"] = sorted(r.code for r in ambassador.regions.all())
    row["departements"] = sorted(d.code for d in ambassador.departements.all())
    row["secteurs"] = sorted(s.code for s in ambassador.sectors.all())
    row["thematiques"] = sorted(t.slug for t in ambassador.topics.all())
    return row


def row_for_json(ambassador: Ambassador | dict, columns: Iterable[Column] = COLUMNS) -> dict:
    row = record_of(ambassador) if isinstance(ambassador, Ambassador) else ambassador
    return {c.name: c.value(row) for c in columns}


def row_for_csv(ambassador: Ambassador | dict, columns: Iterable[Column] = COLUMNS) -> list[str]:
    row = record_of(ambassador) if isinstance(ambassador, Ambassador) else ambassador
    cells = []
    for c in columns:
        value = c.value(row)
        if isinstance(value, bool):
            value = "true" if value else "false"
        elif isinstance(value, list):
            value = ";".join(value)
        cells.append(value)
    return cells


# The back office's list (/espace/ambassadeurs/, one's scope) as a spreadsheet, through core.exports: the page's
# columns and the dates a coordinator follows, typed (dates as dates). Still no email, no phone: the list shows none.
MANAGE_COLUMNS = [
    ("Nom", lambda a: a.last_name),
    ("Prénom", lambda a: a.first_name),
    ("Structure", lambda a: a.structure_name),
    ("SIREN", lambda a: a.siren),
    ("Profil", lambda a: a.get_kind_display()),
    ("National", lambda a: a.is_national),
    ("Régions", lambda a: ", ".join(r.name for r in sorted(a.regions.all(), key=lambda r: r.code))),
    ("Départements", lambda a: ", ".join(_codes(a.departements.all()))),
    ("Réseau qui l’a proposé", lambda a: a.proposing_network.name if a.proposing_network else ""),
    ("Activateur France Num", lambda a: a.is_france_num_activateur),
    ("Désigné le", lambda a: a.designated_at),
    ("Consentement le", lambda a: a.consent_at),
    ("Publication", lambda a: a.get_publication_state_display()),
    ("Publié le", lambda a: a.published_at if a.is_public else None),
    ("Fin du mandat", lambda a: a.mandate_ended_at),
    ("Page publique", lambda a: settings.SITE_URL + a.get_absolute_url() if a.is_public else ""),
]
MANAGE_HEADER = [name for name, _ in MANAGE_COLUMNS]


def manage_rows(ambassadors: Iterable[Ambassador]) -> Iterable[list]:
    for ambassador in ambassadors:
        yield [value(ambassador) for _, value in MANAGE_COLUMNS]
