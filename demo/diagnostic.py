"""Demo self-diagnostics: 400 anonymous results over every region, size and many sectors, with profiles roughly in
the national proportions, so that the statistics page has groups above and below the threshold of 10. They are
spread over the last eight months, more of them recently (the questionnaire gets known), never in the future.
Deterministic and idempotent (the demo set is rebuilt only if its count differs; the days are set again from the
day of loading)."""

import random
from datetime import timedelta

from django.db import transaction

from contact.enums import CompanySize
from demo.data.timeline import today
from diagnostic.counts import counts_rebuild
from diagnostic.models import DiagnosticResult
from diagnostic.scoring import CURRENT
from territories.models import Departement
from territories.selectors import naf_sections

COUNT = 400
DAYS_BACK = 240
DEMO_VERSION = CURRENT.version
DEMO_PREFIX = "demo-"  # demo results only: their links are not secret


def _answers(rng: random.Random, level: int) -> dict[str, str]:
    """Answers around ``level`` (0 to 3), with some noise."""
    answers = {}
    for question in CURRENT.questions:
        if question.dimension is None:
            continue
        answers[question.key] = str(max(0, min(3, level + rng.choice([-1, 0, 0, 1]))))
    answers["frein"] = rng.choice(
        ["interet", "competences", "formation", "accompagnement", "cout", "confiance", "rien"]
    )
    if level == 0:  # non-users: half see the value (bloqués), half do not (sceptiques)
        answers["ia_generative"] = answers["processus"] = "0"
        if rng.random() < 0.5:
            answers.update(
                impact="2", gains="2", frein=rng.choice(["competences", "formation", "accompagnement"])
            )
        else:
            answers.update(impact="0", gains="1")
    return answers


@transaction.atomic
def demo_diagnostic_load() -> dict[str, int]:
    demo = DiagnosticResult.objects.filter(token__startswith=DEMO_PREFIX)
    if demo.count() != COUNT:
        demo.delete()
        rng = random.Random(19)
        departements = list(Departement.objects.select_related("region").order_by("code"))
        weighted = [d for d in departements if d.region_id in {"84", "76", "11"}] * 4 + departements
        sectors = list(naf_sections().filter(code__in=list("ACFGHIJMNQ")))
        rows = []
        for i in range(COUNT):
            level = rng.choices([0, 1, 3], weights=[53, 28, 19])[0]
            answers = _answers(rng, level)
            outcome = CURRENT.evaluate(answers)
            departement = rng.choice(weighted)
            rows.append(
                DiagnosticResult(
                    token=f"{DEMO_PREFIX}{i:04d}-" + "x" * 20,
                    version=DEMO_VERSION,
                    answers=answers,
                    departement=departement,
                    region=departement.region,
                    sector=rng.choice(sectors),
                    size=rng.choices(CompanySize.values, weights=[60, 35, 5])[0],
                    scores=outcome.scores,
                    profile=outcome.profile,
                )
            )
        DiagnosticResult.objects.bulk_create(rows)
        counts_rebuild()  # bulk_create sends no signal
    # Their days: bulk_create stamped them all with today (auto_now_add); bulk_update writes the values given.
    day = today()
    results = list(demo.order_by("token").only("pk", "token"))
    for result in results:
        rng = random.Random(result.token)
        result.created_on = day - timedelta(days=1 + int((DAYS_BACK - 1) * rng.random() ** 1.6))
    DiagnosticResult.objects.bulk_update(results, ["created_on"], batch_size=200)
    return {"autodiagnostics": DiagnosticResult.objects.filter(token__startswith=DEMO_PREFIX).count()}
