"""Demo calls and applications.

The first AMI (1 July - 15 September 2025 at 23:59:59, Paris time) is closed and every application to it is
settled: the 80 applicants it designated (the ambassadors of the « first call » wave, ``ambassadors/demo.py``),
others declined, closed as ineligible, or withdrawn by the person. The second call is open (from the 1st of the
month two months before the day of loading to the end of the month two months after) and has applications in every
state, among them the 10 ambassadors it already designated. Each application is submitted during its call and
decided one to four weeks later; reviews come in between, from the reviewers and coordinators of its scope.

Deterministic and idempotent (keyed by call slug and applicant email; each applicant has its own random stream)."""

import random
from datetime import timedelta

from django.db import transaction
from faker import Faker

from accounts.models import User
from ambassadors.enums import ProfileKind
from ambassadors.models import Ambassador, PartnerNetwork, Topic
from core.formats import french_date
from demo.ambassadors import (
    CALL_OF_WAVE,
    DEMO_DOMAIN,
    ambassador_email,
    ambassador_waves,
    application_dates,
)
from demo.bulk import columns, set_many, snapshot, write
from demo.data import people
from demo.data.french import capitalise, fr
from demo.data.texts import DECISION_REASONS, EXPERIENCE_ENDINGS, MOTIVATIONS, REVIEW_COMMENTS
from demo.data.timeline import FIRST_CALL_CLOSES, FIRST_CALL_OPENS, anchor, between, second_call, today
from recruitment.enums import ApplicationAction as A
from recruitment.enums import ApplicationState as S
from recruitment.enums import MessageKind, MessageSender, Recommendation
from recruitment.models import Application, ApplicationMessage, ApplicationStep, Call, CallQuestion, Review
from recruitment.services import team_label
from territories.models import Commune, PostalCode
from territories.selectors import naf_sections

# The other applicants of each call, by the state their application is in.
FIRST_CALL_OTHERS = [S.DECLINED] * 30 + [S.INELIGIBLE] * 10 + [S.WITHDRAWN] * 8
SECOND_CALL_OTHERS = [S.SUBMITTED] * 10 + [S.UNDER_REVIEW] * 12 + [S.DECLINED] * 5 + [S.INELIGIBLE] * 3
SECOND_CALL_OTHERS += [S.WITHDRAWN] * 2
# Sent back to the person for a correction: one past its date (the coordination sees it overdue), two pending.
SECOND_CALL_OTHERS += [S.CORRECTION_REQUESTED] * 3
# Days from the day of loading to the date limit of each correction requested, in that order.
CORRECTION_DUE_IN = [-3, 5, 11]
CORRECTION_ASKS = [
    "Votre candidature ne dit pas quelle structure vous représentez aujourd'hui : précisez son nom et son SIRET, "
    "s'il vous plaît.",
    "Pouvez-vous détailler votre expérience de l'IA avec un exemple concret, chiffré si possible ?",
    "Merci de préciser votre disponibilité : le réseau demande au moins quatre heures par mois.",
]
APPLICANT_ANSWER = "Merci, je complète cela dès cette semaine. Mon SIRET est en cours de modification."
# What the second call looks for: overseas territories, construction, transport, agriculture.
SECOND_CALL_ARCHETYPES = ["btp", "transport", "agri", "agroalimentaire", "supply-chain"]


def _calls(day):
    opens, closes = second_call(day)
    return [
        {
            "slug": "ami-2025",
            "title": "Appel à manifestation d'intérêt 2025 – ambassadeurs IA",
            "text": "Le plan « Osez l'IA » constitue un réseau de 300 ambassadeurs bénévoles pour sensibiliser les "
            "TPE, PME et ETI à l'intelligence artificielle. Chefs d'entreprise, experts et personnalités : "
            "manifestez votre intérêt.",
            "opens_at": FIRST_CALL_OPENS,
            "closes_at": FIRST_CALL_CLOSES,
            "created_at": FIRST_CALL_OPENS - timedelta(days=9, hours=2),
            "question": "Citez un usage de l'IA que vous avez mis en place ou accompagné.",
        },
        {
            "slug": "ami-2026-vague-2",
            "title": "Appel à manifestation d'intérêt 2026 – deuxième vague",
            "text": "Une deuxième vague de désignations complète le réseau là où il manque des ambassadeurs : "
            "territoires d'outre-mer, secteurs de la construction, des transports et de l'agriculture.",
            "opens_at": opens,
            "closes_at": closes,
            "created_at": opens - timedelta(days=14, hours=3),
            "question": "Quel public souhaitez-vous sensibiliser en priorité ?",
        },
    ]


def _can_review(user: User, region_id: str, network_id: int | None) -> bool:
    """``recruitment.rules.can_review``, on the demo's accounts."""
    if user.is_national_coordinator:
        return True
    if user.is_regional_coordinator:
        return user.region_id == region_id
    if network_id is None or user.partner_network_id != network_id:
        return False
    return user.region_id is None or user.region_id == region_id


def _decider(users: dict[str, User], region_id: str) -> User:
    local = {"84": "coordination.aura", "76": "coordination.occitanie"}.get(
        region_id, "coordination.nationale"
    )
    return users[local]


@transaction.atomic
def demo_recruitment_load() -> dict[str, int]:
    day = today()
    end = anchor(day)
    calls, questions = {}, {}
    for spec in _calls(day):
        call, _ = Call.objects.update_or_create(
            slug=spec["slug"],
            defaults={
                "title": fr(spec["title"]),
                "text": fr(spec["text"]),
                "opens_at": spec["opens_at"],
                "closes_at": spec["closes_at"],
            },
        )
        Call.objects.filter(pk=call.pk).update(created_at=spec["created_at"], updated_at=spec["created_at"])
        questions[call.slug], _ = CallQuestion.objects.update_or_create(
            call=call, order=0, defaults={"label": fr(spec["question"])}
        )
        calls[call.slug] = call

    users = {u.email.split("@")[0]: u for u in User.objects.filter(email__endswith=f"@{DEMO_DOMAIN}")}
    reviewers = [
        users[local]
        for local in (
            "relecteur.cci",
            "relecteur.bpifrance.aura",
            "coordination.aura",
            "coordination.occitanie",
        )
        if local in users
    ]
    national = users["coordination.nationale"]
    sections = {s.code: s for s in naf_sections()}
    topics = {t.slug: t for t in Topic.objects.all()}
    networks = {n.slug: n for n in PartnerNetwork.objects.all()}
    communes = list(
        Commune.objects.filter(population__gte=20000)
        .select_related("departement__region")
        .prefetch_related("postal_codes")
        .order_by("code")
    )
    overseas = [c for c in communes if c.departement.region_id < "10"]
    postcode_of: dict[str, str] = {}  # the postcode of each département's largest commune
    for dep, code in PostalCode.objects.order_by("-commune__population", "code").values_list(
        "commune__departement_id", "code"
    ):
        postcode_of.setdefault(dep, code)
    metro_of: dict[str, str] = {}
    for commune in sorted(communes, key=lambda c: -(c.population or 0)):
        metro_of.setdefault(commune.departement.region_id, commune.name.replace("'", "’"))

    specs = []
    # The ambassadors designated through a call: their application, as their profile was created from it.
    waves = ambassador_waves()
    designated = {
        a.contact_email: a
        for a in Ambassador.objects.filter(
            contact_email__in=[
                ambassador_email(i) for i, (wave, _) in enumerate(waves) if wave in CALL_OF_WAVE
            ]
        )
        .select_related("proposing_network", "designated_by")
        .prefetch_related("regions", "departements", "sectors", "topics")
    }
    for i, (wave, _) in enumerate(waves):
        if wave not in CALL_OF_WAVE or ambassador_email(i) not in designated:
            continue
        ambassador = designated[ambassador_email(i)]
        rng = random.Random(f"demo-application-text-{i}")
        submitted, decided = application_dates(i, wave, day)
        deps = list(ambassador.departements.all())
        region = ambassador.regions.all()[0]
        specs.append(
            {
                "rng": rng,
                "call": calls[CALL_OF_WAVE[wave]],
                "email": ambassador.contact_email,
                "first_name": ambassador.first_name,
                "last_name": ambassador.last_name,
                "phone": ambassador.contact_phone,
                "job_title": ambassador.job_title,
                "structure_name": ambassador.structure_name,
                "postcode": postcode_of.get(deps[0].code, "") if deps else "",
                "region_id": region.code,
                "departements": deps,
                "sectors": list(ambassador.sectors.all()),
                "topics": list(ambassador.topics.all()),
                "network": ambassador.proposing_network,
                "state": S.DESIGNATED,
                "submitted": submitted,
                "decided": decided,
                "decided_by": ambassador.designated_by or national,
                "ambassador": ambassador,
                "structure_size": people.archetype_of_title(ambassador.job_title).size,
            }
        )

    # The other applicants.
    fake = Faker("fr_FR")
    opens2, _ = second_call(day)
    others = [("ami-2025", state) for state in FIRST_CALL_OTHERS]
    others += [("ami-2026-vague-2", state) for state in SECOND_CALL_OTHERS]
    for k, (slug, state) in enumerate(others):
        rng = random.Random(f"demo-applicant-{k}")
        fake.seed_instance(f"demo-applicant-{k}")
        first_call = slug == "ami-2025"
        female = rng.random() < 0.5
        commune = rng.choice(overseas if not first_call and rng.random() < 0.4 else communes)
        network_slug = rng.choice([*networks, None])
        if not first_call and rng.random() < 0.5:
            archetype = people.ARCHETYPES[rng.choice(SECOND_CALL_ARCHETYPES)]
        else:
            archetype = people.archetype_for(rng, network=network_slug, grand_public=False)
        sector_codes = people.pick_sectors(rng, archetype, rng.choice([1, 2, 2, 3]))
        topic_slugs = people.pick_topics(rng, archetype, rng.choice([1, 2, 3]))
        city = commune.name.replace("'", "’")
        region_id = commune.departement.region_id
        # Submitted during the call; the decision (or the withdrawal) one to five weeks later.
        if first_call:
            submitted = between(
                rng, FIRST_CALL_OPENS + timedelta(hours=3), FIRST_CALL_CLOSES - timedelta(hours=1)
            )
        elif state == S.SUBMITTED:
            submitted = between(
                rng, max(opens2 + timedelta(hours=3), end - timedelta(days=18)), end - timedelta(hours=6)
            )
        else:
            submitted = between(rng, opens2 + timedelta(hours=3), end - timedelta(days=14))
        delay = {S.INELIGIBLE: (2, 10), S.WITHDRAWN: (3, 20), S.DECLINED: (10, 35)}.get(state, (0, 0))
        decided = (
            between(
                rng,
                submitted + timedelta(days=delay[0]),
                min(submitted + timedelta(days=delay[1]), end - timedelta(days=1)),
            )
            if state in (S.DECLINED, S.INELIGIBLE, S.WITHDRAWN)
            else None
        )
        specs.append(
            {
                "rng": rng,
                "call": calls[slug],
                "email": f"candidat.{k:03d}@{DEMO_DOMAIN}",
                "first_name": fake.first_name_female() if female else fake.first_name_male(),
                "last_name": fake.last_name(),
                "gender": "" if k % 7 == 3 else ("f" if female else "m"),
                "phone": "",
                "job_title": archetype.job_title(female),
                "structure_name": people.structure_name(
                    rng,
                    archetype,
                    last=fake.last_name(),
                    city=city,
                    dep=commune.departement.name.replace("'", "’"),
                    metro=metro_of.get(region_id, city),
                ),
                "postcode": commune.postal_codes.all()[0].code,
                "region_id": region_id,
                "departements": [commune.departement],
                "sectors": [sections[c] for c in sector_codes],
                "topics": [topics[t] for t in topic_slugs],
                "network": networks[network_slug] if network_slug else None,
                "state": state,
                "submitted": submitted,
                "decided": decided,
                "decided_by": _decider(users, region_id),
                "ambassador": None,
                "structure_size": archetype.size,
            }
        )

    # Written in a few queries: the rows as they should be, then one insert of the new ones and one update of all.
    existing = {
        (a.call_id, a.email): a for a in Application.objects.filter(email__endswith=f"@{DEMO_DOMAIN}")
    }
    existing_reviews = {
        (r.application_id, r.reviewer_id): r for r in Review.objects.filter(application__in=existing.values())
    }
    application_fields = columns(Application, skip=("token", "call", "email"))
    review_fields = ["score", "recommendation", "comment", "created_at", "updated_at"]
    applications_before = snapshot(existing.values(), application_fields)
    reviews_before = snapshot(existing_reviews.values(), review_fields)
    applications, reviews, corrections, history = [], [], [], []
    links: dict[str, dict[tuple, list]] = {"departements": {}, "sectors": {}, "topics": {}}
    for spec in specs:
        rng = spec["rng"]
        state = spec["state"]
        call = spec["call"]
        topic = spec["topics"][0].slug
        sector = spec["sectors"][0].code
        experience = f"Mon projet le plus concret : {people.example(rng, sector, topic)}. {rng.choice(EXPERIENCE_ENDINGS)}"
        audience = capitalise(people.audience(rng, [s.code for s in spec["sectors"]]))
        answer = (
            capitalise(people.example(rng, sector, topic)) + "."
            if call.slug == "ami-2025"
            else f"{audience}, en priorité là où l'IA reste peu connue."
        )
        decision = state in (S.DESIGNATED, S.DECLINED, S.INELIGIBLE)
        values = {
            "first_name": spec["first_name"],
            "last_name": spec["last_name"],
            "phone": spec["phone"],
            "job_title": spec["job_title"][:150],
            "structure_name": spec["structure_name"][:200],
            "siret": "",
            "structure_size": spec["structure_size"],
            "postcode": spec["postcode"],
            "region_id": spec["region_id"],
            "profile_kind": ProfileKind.SECTORIEL_REGIONAL,
            "proposing_network": spec["network"],
            "ai_experience": fr(experience),
            "motivation": fr(rng.choice(MOTIVATIONS)),
            "availability_hours": rng.choice([4, 6, 8, 10]),
            "consent_at": spec["submitted"],
            "submitted_at": spec["submitted"],
            "state": state,
            # Each move adds one: under review, then the decision (an ineligible one was closed without review).
            "version": {
                S.SUBMITTED: 1,
                S.UNDER_REVIEW: 2,
                S.INELIGIBLE: 2,
                S.WITHDRAWN: 2,
                S.CORRECTION_REQUESTED: 2,
            }.get(state, 3),
            "decision_reason": fr(rng.choice(DECISION_REASONS[state])) if decision else "",
            "decided_by": spec["decided_by"] if decision else None,
            "decided_at": spec["decided"] if decision else None,
            # A withdrawal is dated like a decision; the purge erases it 30 days later.
            "withdrawn_at": spec["decided"] if state == S.WITHDRAWN else None,
            "ambassador": spec["ambassador"],
            "correction_due_on": None,
            "correction_returned_at": None,
            "answers": {
                str(questions[call.slug].pk): {"question": questions[call.slug].label, "reponse": fr(answer)}
            },
        }
        application = existing.get((call.pk, spec["email"])) or Application(call=call, email=spec["email"])
        for name, value in values.items():
            setattr(application, name, value)
        applications.append(application)
        key = (call.pk, spec["email"])
        for name in ("departements", "sectors", "topics"):
            links[name][key] = [x.pk for x in spec[name]]

        # Its history (``ApplicationStep``), move by move, as ``application_transition`` writes it.
        moves = [(spec["submitted"], A.SUBMIT, None, "", S.SUBMITTED, "")]
        # Opinions between the submission and the decision (or today), from those who may give one.
        reviewed_until = spec["decided"] or end - timedelta(hours=1)
        authors = []
        if state in (S.UNDER_REVIEW, S.DESIGNATED, S.DECLINED):
            network_id = spec["network"].pk if spec["network"] else None
            authors = [u for u in reviewers if _can_review(u, spec["region_id"], network_id)][:2]
            authors = authors or [spec["decided_by"]]
            if state == S.UNDER_REVIEW and rng.random() < 0.4:
                authors = authors[:1]
        last_move = spec["decided"] or spec["submitted"]
        if state == S.CORRECTION_REQUESTED:
            n = sum(1 for a in applications if a.state == S.CORRECTION_REQUESTED) - 1
            application.correction_due_on = day + timedelta(
                days=CORRECTION_DUE_IN[n % len(CORRECTION_DUE_IN)]
            )
            network_id = spec["network"].pk if spec["network"] else None
            asker = next((u for u in reviewers if _can_review(u, spec["region_id"], network_id)), national)
            # Asked with the default delay (14 days), so that the date falls where CORRECTION_DUE_IN says.
            asked_at = max(
                spec["submitted"] + timedelta(days=1, hours=3),
                end - timedelta(days=14 - CORRECTION_DUE_IN[n % len(CORRECTION_DUE_IN)], hours=7),
            )
            corrections.append((application, asker, asked_at, CORRECTION_ASKS[n % len(CORRECTION_ASKS)], n))
            last_move = asked_at
            due = f"À corriger au plus tard le {french_date(application.correction_due_on, weekday=False)}"
            moves.append((asked_at, A.REQUEST_CORRECTION, asker, S.SUBMITTED, S.CORRECTION_REQUESTED, due))
        for n, reviewer in enumerate(authors):
            recommendation = {
                S.DESIGNATED: Recommendation.DESIGNATE,
                S.DECLINED: Recommendation.DECLINE,
            }.get(state) or rng.choice(Recommendation.values)
            if n and rng.random() < 0.3:
                recommendation = Recommendation.DISCUSS
            score = {"designate": rng.randint(4, 5), "decline": rng.randint(1, 3), "discuss": 3}[
                recommendation
            ]
            at = between(
                rng,
                spec["submitted"] + timedelta(days=1 + 2 * n),
                min(spec["submitted"] + timedelta(days=4 + 3 * n), reviewed_until - timedelta(hours=2)),
            )
            review = existing_reviews.get((application.pk, reviewer.pk)) or Review(reviewer=reviewer)
            review.score, review.recommendation = score, recommendation
            review.comment = fr(rng.choice(REVIEW_COMMENTS[recommendation]))
            review.created_at = review.updated_at = at
            reviews.append((application, review))
            last_move = max(last_move, at)
            if n == 0:  # the first opinion starts the review
                moves.append((at, A.START_REVIEW, reviewer, S.SUBMITTED, S.UNDER_REVIEW, ""))
        if decision:
            action = {S.DESIGNATED: A.DESIGNATE, S.DECLINED: A.DECLINE, S.INELIGIBLE: A.RULE_INELIGIBLE}[
                state
            ]
            origin = S.SUBMITTED if state == S.INELIGIBLE else S.UNDER_REVIEW
            moves.append((spec["decided"], action, spec["decided_by"], origin, state, ""))
        if state == S.WITHDRAWN:
            moves.append((spec["decided"], A.WITHDRAW, None, S.SUBMITTED, S.WITHDRAWN, ""))
        history.append((application, moves))
        application.updated_at = max(last_move, spec["decided"] or last_move)

    write(
        Application,
        applications,
        application_fields,
        applications_before,
        keep=("submitted_at", "updated_at"),
    )
    by_key = {(a.call_id, a.email): a.pk for a in applications}
    for name, wanted in links.items():
        set_many(Application, name, {by_key[key]: values for key, values in wanted.items()})
    for application, review in reviews:
        review.application = application
    write(Review, [r for _, r in reviews], review_fields, reviews_before, keep=("created_at", "updated_at"))
    Review.objects.filter(application__in=applications).exclude(pk__in=[r.pk for _, r in reviews]).delete()
    # The exchanges: left as they are when a load would write the same ones (idempotent), else written again.
    wanted = []
    for application, asker, asked_at, text, n in corrections:
        wanted.append(
            ApplicationMessage(
                application=application,
                sender=MessageSender.TEAM,
                author=asker,
                author_label=team_label(asker),
                kind=MessageKind.CORRECTION_REQUEST,
                body=fr(text),
                created_at=asked_at,
            )
        )
        if n == 1:  # one applicant answers by a message
            wanted.append(
                ApplicationMessage(
                    application=application,
                    sender=MessageSender.APPLICANT,
                    body=fr(APPLICANT_ANSWER),
                    created_at=asked_at + timedelta(hours=20),
                )
            )

    def _key(m):
        return (m.application_id, m.sender, m.author_id or 0, m.author_label, m.kind, m.body, m.created_at)

    current = ApplicationMessage.objects.filter(application__in=applications)
    if sorted(map(_key, current)) != sorted(map(_key, wanted)):
        current.delete()
        # ``created_at`` is set on insert (auto_now_add): the demo's own dates go in afterwards.
        dates = [m.created_at for m in wanted]
        for message, at in zip(ApplicationMessage.objects.bulk_create(wanted), dates, strict=True):
            ApplicationMessage.objects.filter(pk=message.pk).update(created_at=at)
    steps = [
        ApplicationStep(
            application=application, at=at, action=action, actor=actor, state_from=frm, state_to=to, note=note
        )
        for application, moves in history
        for at, action, actor, frm, to, note in sorted(moves, key=lambda m: m[0])
    ]

    def _step_key(step):
        return (
            step.application_id,
            step.at,
            step.action,
            step.actor_id or 0,
            step.state_from,
            step.state_to,
            step.note,
        )

    current_steps = ApplicationStep.objects.filter(application__in=applications)
    if sorted(map(_step_key, current_steps)) != sorted(map(_step_key, steps)):
        current_steps.delete()
        ApplicationStep.objects.bulk_create(steps)
    # Applications of an earlier version of the demo that this one no longer has.
    Application.objects.filter(email__endswith=f"@{DEMO_DOMAIN}").exclude(pk__in=by_key.values()).delete()
    return {
        "appels": Call.objects.count(),
        "candidatures": Application.objects.filter(email__endswith=DEMO_DOMAIN).count(),
    }
