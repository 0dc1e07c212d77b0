"""Open data: the public fields of published ambassadors. One list of columns feeds the CSV, the JSON and the
documentation page, so they cannot drift apart. No email or phone is, or may be added, here. At the end, the
back office's list as a spreadsheet (``MANAGE_COLUMNS``), under the same rule."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings

from ambassadors.models import Ambassador


@dataclass(frozen=True)
class Column:
    name: str
    description: str
    value: Callable[[Ambassador], object]


def _codes(items) -> list[str]:
    return sorted(i.code for i in items)


def _date(value) -> str:
    return value.isoformat() if value else ""


COLUMNS = [
    Column("identifiant", "Identifiant stable du profil (slug de sa page)", lambda a: a.slug),
    Column("prenom", "Prénom", lambda a: a.first_name),
    Column("nom", "Nom", lambda a: a.last_name),
    Column("fonction", "Fonction dans sa structure", lambda a: a.job_title),
    Column("structure", "Nom de la structure", lambda a: a.structure_name),
    Column("siren", "SIREN de la structure (9 chiffres), s’il est connu", lambda a: a.siren),
    Column("profil", "grand_public ou sectoriel_regional", lambda a: a.kind),
    Column("national", "true si l’ambassadeur intervient sur tout le territoire", lambda a: a.is_national),
    Column("regions", "Codes INSEE des régions, séparés par « ; »", lambda a: _codes(a.regions.all())),
    Column(
        "departements",
        "Codes INSEE des départements, séparés par « ; »",
        lambda a: _codes(a.departements.all()),
    ),
    Column(
        "secteurs",
        "Sections NAF rév. 2 (lettres A à U), séparées par « ; »",
        lambda a: _codes(a.sectors.all()),
    ),
    Column(
        "thematiques",
        "Thématiques (identifiants), séparées par « ; »",
        lambda a: sorted(t.slug for t in a.topics.all()),
    ),
    Column(
        "reseau",
        "Réseau partenaire qui a proposé l’ambassadeur (identifiant)",
        lambda a: a.proposing_network.slug if a.proposing_network else "",
    ),
    Column("date_designation", "Date de désignation (AAAA-MM-JJ)", lambda a: _date(a.designated_at)),
    Column(
        "date_publication",
        "Date de publication (AAAA-MM-JJ)",
        lambda a: _date(a.published_at and a.published_at.date()),
    ),
    Column(
        "activateur_france_num",
        "true si la personne est activateur France Num",
        lambda a: a.is_france_num_activateur,
    ),
    Column("page_france_num", "Adresse de sa page France Num", lambda a: a.france_num_url),
    Column("site_web", "Site web public", lambda a: a.website_url),
    Column("linkedin", "Profil LinkedIn public", lambda a: a.linkedin_url),
    Column("url", "Adresse de sa page sur la plateforme", lambda a: settings.SITE_URL + a.get_absolute_url()),
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


def row_for_json(ambassador: Ambassador, columns: Iterable[Column] = COLUMNS) -> dict:
    return {c.name: c.value(ambassador) for c in columns}


def row_for_csv(ambassador: Ambassador, columns: Iterable[Column] = COLUMNS) -> list[str]:
    cells = []
    for c in columns:
        value = c.value(ambassador)
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
