from django.db import transaction

from diagnostic.models import DiagnosticResult
from diagnostic.scoring import CURRENT, Scoring


@transaction.atomic
def diagnostic_submit(*, answers: dict[str, str], departement, sector, size: str, scoring: Scoring = CURRENT):
    """Score ``answers`` with ``scoring`` and store the anonymous result (answers, département, sector, size,
    version, scores, profile). Guarantees: the stored result never changes when the scoring does."""
    outcome = scoring.evaluate(answers)
    return DiagnosticResult.objects.create(
        version=scoring.version,
        answers=answers,
        departement=departement,
        region=departement.region,
        sector=sector,
        size=size,
        scores=outcome.scores,
        profile=outcome.profile,
    )
