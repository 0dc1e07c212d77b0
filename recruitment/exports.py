"""The back office's export of applications (``/espace/candidatures/export.csv`` and ``.xlsx``): its columns, in
one list, and the rows of a queue as a user may read them. Contains personal data: never public (open data lives in
``ambassadors/exports.py``)."""

from collections.abc import Iterable

from django.db.models import Prefetch

from recruitment import rules
from recruitment.models import Application, Review


def _codes(items) -> str:
    return ";".join(sorted(i.code for i in items))


def _mean(application) -> float | None:
    scores = [r.score for r in application.reviews.all()]
    return sum(scores) / len(scores) if scores else None


# (header, value): numbers stay numbers and the date a datetime, so the spreadsheet reads them as such.
COLUMNS = [
    ("appel", lambda a: a.call.title),
    ("etat", lambda a: a.get_state_display()),
    ("deposee_le", lambda a: a.submitted_at),
    ("prenom", lambda a: a.first_name),
    ("nom", lambda a: a.last_name),
    ("courriel", lambda a: a.email),
    ("telephone", lambda a: a.phone),
    ("fonction", lambda a: a.job_title),
    ("structure", lambda a: a.structure_name),
    ("siret", lambda a: a.siret),
    ("taille", lambda a: a.get_structure_size_display()),
    ("code_postal", lambda a: a.postcode),
    ("region", lambda a: a.region.name),
    ("departements", lambda a: _codes(a.departements.all())),
    ("secteurs", lambda a: _codes(a.sectors.all())),
    ("thematiques", lambda a: ";".join(sorted(t.slug for t in a.topics.all()))),
    ("profil", lambda a: a.get_profile_kind_display()),
    ("reseau", lambda a: a.proposing_network.name if a.proposing_network else ""),
    ("disponibilite_h_mois", lambda a: a.availability_hours),
    ("nombre_avis", lambda a: len(a.reviews.all())),
    # Hidden where the page hides the opinions: a reviewer sees them once they gave their own (rules.py).
    ("note_moyenne", lambda a: _mean(a) if a.sees_all_reviews else None),
    ("motif_decision", lambda a: a.decision_reason),
]
HEADER = [name for name, _ in COLUMNS]
FILENAME = "candidatures"
TITLE = "Candidatures"


def export_queryset(queryset):
    """What the columns read, in a fixed number of queries whatever the number of applications."""
    return queryset.prefetch_related(
        "departements",
        "sectors",
        "topics",
        Prefetch("reviews", queryset=Review.objects.only("score", "application")),
    )


def rows(applications: Iterable[Application], *, user) -> Iterable[list]:
    """One row per application, as ``user`` may read it (the scores as on the page)."""
    for application in applications:
        application.sees_all_reviews = rules.sees_all_reviews(user, application, application.reviewed_by_me)
        yield [value(application) for _, value in COLUMNS]
