"""Demo company requests: 60 fictional requests (Faker names, no real company) over the last eight months, most in
Auvergne-Rhône-Alpes and Occitanie (the regions of the demo coordinators), a few for the demo ambassador. Each
one follows a story (``STORIES``) played as the platform plays it: received, reminded after 5 days if not taken,
coordinators alerted after 10, taken, exchange, closed, the company's opinion; or declined by its ambassador and
handed to another one. Steps stop at the day of loading, so the oldest requests are settled, recent ones still
open, a few late enough to be in the coordinators' « sans réponse » list. Each request is sent to a published
ambassador of its region whose sectors and topics fit it; its history (``RequestStep``) is dated like it.

Deterministic (each request has its own random stream) and idempotent (keyed by the company's email; the history
is rewritten only when it differs)."""

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from faker import Faker

from accounts.models import User
from ambassadors.enums import ProfileKind
from ambassadors.models import Ambassador, Topic
from contact.enums import (
    AnswerKind,
    CloseReason,
    CompanySize,
    DeclineReason,
    RequestState,
    Side,
    StepAction,
    Usefulness,
)
from contact.models import CompanyRequest, RequestDecline, RequestMessage, RequestStep
from contact.services import ESCALATE_AFTER, REASSIGNMENT_RESETS, REMIND_AFTER, REMIND_TAKEN_AFTER
from demo.ambassadors import DEMO_AMBASSADOR_ACCOUNT, DEMO_DOMAIN
from demo.data.french import fr
from demo.data.texts import COMPANY_NAMES, NEEDS, STEP_NOTES
from demo.data.timeline import anchor, today
from territories.models import PostalCode
from territories.selectors import naf_sections

COUNT = 60
# The story of each request and how many days ago it was received (at most).
STORIES = (
    [("done", 240)] * 21
    + [("reminded", 240)] * 4
    + [("unreachable", 200)] * 3
    + [("out_of_scope", 200)] * 2
    + [("withdrawn", 200)] * 2
    + [("escalated", 200)] * 2
    + [("declined", 200)] * 1
    + [("done", 45)] * 5
    + [("answered", 45)] * 4
    + [("stalled", 30)] * 2
    + [("unreachable", 45)] * 1
    + [("declined", 45)] * 1
    + [("waiting", 4)] * 4
    + [("done", 3)] * 5
    + [("handed", 5)] * 1
    + [("escalated", 12)] * 1
    + [("waiting", 8)] * 1
)
# A short thread for requests taken: who writes, how long after the taking, what.
THREAD = [
    (
        Side.AMBASSADOR,
        timedelta(hours=2),
        "Bonjour, j’ai bien reçu votre demande. Quand pourrions-nous en parler ?",
    ),
    (
        Side.COMPANY,
        timedelta(hours=20),
        "Merci pour votre réponse rapide. Mardi ou mercredi matin nous conviendraient.",
    ),
    (
        Side.AMBASSADOR,
        timedelta(hours=26),
        "Va pour mercredi matin : je vous confirme l’heure ici la veille.",
    ),
]
MIN_AGE = {"escalated": 11, "stalled": 14, "unreachable": 30, "answered": 12, "declined": 3, "handed": 3}


@dataclass
class Story:
    """A request as it goes: its fields, and its history."""

    created: datetime
    ambassador: Ambassador
    state: str = RequestState.NEW
    fields: dict = field(default_factory=dict)
    steps: list = field(default_factory=list)
    version: int = 0

    def step(self, at, action, *, by=None, state_to=None, note=""):
        moved = action in (StepAction.TAKEN, StepAction.ANSWERED, StepAction.REASSIGNED, StepAction.CLOSED)
        state_from = self.state if moved or action == StepAction.DECLINED else ""
        if state_to:
            self.state = state_to
        if state_from:
            self.version += 1
        self.steps.append((at, action, by, state_from, self.state, self.ambassador, note))


def _hour_after(moment: datetime, delay: timedelta) -> datetime:
    """When the hourly reminders job sees that ``delay`` has passed."""
    due = moment + delay
    return due.replace(minute=5, second=0, microsecond=0) + timedelta(hours=1)


def _play(rng, story: str, request: Story, *, end: datetime, coordinator: User, pick_other) -> None:
    """Play ``story`` on ``request`` until the day of loading."""
    created = request.created
    request.step(created, StepAction.CREATED, state_to=RequestState.NEW)
    request.fields.update(assigned_at=created)
    who = request.ambassador.user

    def take_delay():
        return timedelta(
            hours=rng.choice([rng.uniform(1, 20)] * 6 + [rng.uniform(20, 60)] * 3 + [rng.uniform(72, 110)])
        )

    moves = []  # (when, what) in order; played while before ``end``
    at = created
    if story == "waiting":
        moves.append((_hour_after(at, REMIND_AFTER), "remind"))
    elif story in ("done", "answered", "stalled", "unreachable", "withdrawn", "reminded"):
        if story == "reminded":
            moves.append((_hour_after(at, REMIND_AFTER), "remind"))
            at += REMIND_AFTER + timedelta(hours=rng.uniform(6, 40))
        else:
            at += take_delay()
        moves.append((at, "take"))
        taken = at
        if story in ("stalled", "unreachable"):
            moves.append((_hour_after(taken, REMIND_TAKEN_AFTER), "remind_taken"))
        if story == "unreachable":
            moves.append(
                (taken + REMIND_TAKEN_AFTER + timedelta(days=rng.uniform(1, 6)), "close_unreachable")
            )
            moves.append((moves[-1][0] + timedelta(days=rng.uniform(1, 4)), "feedback_unsettled"))
        elif story == "withdrawn":
            moves.append((taken + timedelta(days=rng.uniform(2, 8)), "close_withdrawn"))
            moves.append((moves[-1][0] + timedelta(days=rng.uniform(1, 4)), "feedback_unsettled"))
        elif story in ("done", "answered", "reminded"):
            at = taken + timedelta(days=rng.uniform(1, 7), hours=rng.uniform(0, 6))
            moves.append((at, "answer"))
            if story != "answered":
                at += timedelta(days=rng.uniform(2, 15))
                moves.append((at, "close_done"))
                if rng.random() < 0.65:
                    moves.append((at + timedelta(days=rng.uniform(1, 5)), "feedback"))
    elif story == "out_of_scope":
        moves.append((at + timedelta(hours=rng.uniform(20, 70)), "close_out_of_scope"))
    elif story == "handed":  # declined, handed to another ambassador, who has not taken it yet
        at += timedelta(hours=rng.uniform(4, 30))
        moves.append((at, "decline"))
        at += timedelta(hours=rng.uniform(3, 24))
        moves.append((at, "reassign"))
        moves.append((_hour_after(at, REMIND_AFTER), "remind"))
    elif story in ("escalated", "declined"):
        if story == "escalated":
            moves.append((_hour_after(at, REMIND_AFTER), "remind"))
            moves.append((_hour_after(at, ESCALATE_AFTER), "escalate"))
            at = _hour_after(at, ESCALATE_AFTER) + timedelta(hours=rng.uniform(2, 20))
        else:
            at += timedelta(hours=rng.uniform(4, 30))
            moves.append((at, "decline"))
            at += timedelta(hours=rng.uniform(3, 24))
        moves.append((at, "reassign"))
        at += take_delay()
        moves.append((at, "take"))
        at += timedelta(days=rng.uniform(1, 6))
        moves.append((at, "answer"))
        at += timedelta(days=rng.uniform(2, 12))
        moves.append((at, "close_done"))

    for when, what in moves:
        if when >= end:
            break
        f = request.fields
        if what == "remind":
            f["reminded_at"] = when
            request.step(when, StepAction.REMINDED)
        elif what == "escalate":
            f["escalated_at"] = when
            request.step(when, StepAction.ESCALATED)
        elif what == "remind_taken":
            f["taken_reminded_at"] = when
            request.step(when, StepAction.REMINDED)
        elif what == "take":
            f.update(taken_at=when, taken_reminded_at=None, declined_at=None)
            request.step(when, StepAction.TAKEN, by=request.ambassador.user, state_to=RequestState.TAKEN)
        elif what == "answer":
            f.update(answered_at=when, answer_kind=rng.choice(AnswerKind.values))
            request.step(
                when, StepAction.ANSWERED, by=request.ambassador.user, state_to=RequestState.ANSWERED
            )
        elif what == "decline":
            f.update(declined_at=when, escalated_at=f.get("escalated_at") or when)
            request.step(when, StepAction.DECLINED, by=who, note=fr(rng.choice(STEP_NOTES["decline"])))
        elif what == "reassign":
            request.ambassador = pick_other(request.ambassador)
            f.update(assigned_at=when, **REASSIGNMENT_RESETS)
            request.step(
                when,
                StepAction.REASSIGNED,
                by=coordinator,
                state_to=RequestState.REASSIGNED,
                note=fr(STEP_NOTES["reassign"][0]),
            )
        elif what.startswith("close_"):
            reason = CloseReason(what.removeprefix("close_"))
            by = coordinator if reason == "out_of_scope" else request.ambassador.user
            f.update(closed_at=when, close_reason=reason)
            note = STEP_NOTES["close"].get(reason, "")
            request.step(when, StepAction.CLOSED, by=by, state_to=RequestState.CLOSED, note=fr(note))
        elif what == "feedback":
            useful = rng.choices(Usefulness.values, [70, 22, 8])[0]
            contacted = rng.random() < {"yes": 0.95, "partly": 0.75, "no": 0.4}[useful]
            f.update(feedback_useful=useful, feedback_contacted=contacted, feedback_at=when)
            request.step(when, StepAction.FEEDBACK)
        elif what == "feedback_unsettled" and rng.random() < 0.6:  # closed without an exchange: less happy
            useful = rng.choices(Usefulness.values, [5, 35, 60])[0]
            contacted = f["close_reason"] == "withdrawn" or rng.random() < 0.3
            f.update(feedback_useful=useful, feedback_contacted=contacted, feedback_at=when)
            request.step(when, StepAction.FEEDBACK)


@transaction.atomic
def demo_contact_load() -> dict[str, int]:
    day = today()
    end = anchor(day)
    users = {u.email.split("@")[0]: u for u in User.objects.filter(email__endswith=f"@{DEMO_DOMAIN}")}
    coordinators = {"84": users["coordination.aura"], "76": users["coordination.occitanie"]}
    own_user = users.get(DEMO_AMBASSADOR_ACCOUNT)
    topics = {t.slug: t for t in Topic.objects.all()}
    sections = {s.code: s for s in naf_sections()}
    published = list(
        Ambassador.objects.published()
        .filter(contact_email__endswith=DEMO_DOMAIN)
        .select_related("user")
        .prefetch_related("regions", "sectors", "topics")
        .order_by("contact_email")
    )
    own = next((a for a in published if own_user and a.user_id == own_user.pk), None)
    region_codes = {a.pk: {r.code for r in a.regions.all()} for a in published}
    postcodes: dict[str, list[tuple[str, str]]] = {}
    for code, dep, region in (
        PostalCode.objects.order_by("code", "commune__departement_id")
        .values_list("code", "commune__departement_id", "commune__departement__region_id")
        .distinct()
    ):
        postcodes.setdefault(region, []).append((code, dep))
    other_regions = sorted({code for codes in region_codes.values() for code in codes} - {"84", "76"})
    fake = Faker("fr_FR")
    first_published = min(a.published_at for a in published)
    span = max(1.0, (end - first_published).total_seconds() / 86400 - 2)
    emails, rewrite, steps, messages, declines = [], [], [], [], []
    for i, (story, max_age) in enumerate(STORIES):
        rng = random.Random(f"demo-request-{i}")
        fake.seed_instance(f"demo-request-{i}")
        # Never before the first ambassadors were published (loaded early, the stories are shorter).
        longest = min(max_age, span)
        shortest = min(max(MIN_AGE.get(story, 0.3), max_age * 0.25), longest)
        created = (end - timedelta(days=rng.uniform(shortest, longest))).replace(second=0, microsecond=0)
        roll = rng.random()
        region = "84" if roll < 0.4 else "76" if roll < 0.65 else rng.choice(other_regions)
        # Its ambassador: published before the request, serving its region; the demo ambassador for some.
        serving = [
            a
            for a in published
            if a.published_at < created - timedelta(days=1)
            and (region in region_codes[a.pk] or a.is_national)
        ]
        local = [a for a in serving if a.kind == ProfileKind.SECTORIEL_REGIONAL] or serving
        if own and i % 8 == 0 and own.published_at < created:
            ambassador, region = own, "84"
        elif serving:
            ambassador = rng.choice(local if rng.random() < 0.9 else serving)
        else:  # nobody published there yet: a region that has someone
            ambassador = next(a for a in published if a.published_at < created and region_codes[a.pk])
            region = sorted(region_codes[ambassador.pk])[0]
        # What the company asks fits what the ambassador does, most of the time (the finder sent it there).
        ambassador_topics = [t.slug for t in ambassador.topics.all()]
        ambassador_sectors = [s.code for s in ambassador.sectors.all()]
        topic = rng.choice(ambassador_topics) if rng.random() < 0.8 else rng.choice(list(NEEDS))
        sector = rng.choice(ambassador_sectors) if rng.random() < 0.8 else rng.choice(list(COMPANY_NAMES))
        postcode, departement = rng.choice(postcodes[region])

        def pick_other(current, region=region, created=created, rng=rng):
            pool = [
                a
                for a in published
                if a.pk != current.pk
                and region in region_codes[a.pk]
                and a.published_at < created
                and a.user_id is None
            ]
            return rng.choice(pool or [current])

        request = Story(created=created, ambassador=ambassador)
        coordinator = coordinators.get(region, users["coordination.nationale"])
        _play(rng, story, request, end=end, coordinator=coordinator, pick_other=pick_other)
        f = request.fields
        email = f"entreprise{i:02d}@{DEMO_DOMAIN}"
        emails.append(email)
        values = {
            "ambassador": request.ambassador,
            "region_id": region,
            "departement_id": departement,
            "postcode": postcode,
            "company_name": fr(rng.choice(COMPANY_NAMES[sector]).format(last=fake.last_name())),
            "contact_name": f"{fake.first_name()} {fake.last_name()}",
            "phone": "",
            "siret": "",
            "size": rng.choices(CompanySize.values, [50, 42, 8])[0],
            "sector": sections[sector],
            "topic": topics[topic],
            "message": fr(rng.choice(NEEDS[topic])),
            "consent_at": created,
            "state": request.state,
            "version": request.version,
            "assigned_at": f["assigned_at"],
            "taken_at": f.get("taken_at"),
            "answered_at": f.get("answered_at"),
            "answer_kind": f.get("answer_kind", "") if f.get("answered_at") else "",
            "closed_at": f.get("closed_at"),
            "close_reason": f.get("close_reason", "") if f.get("closed_at") else "",
            "reminded_at": f.get("reminded_at"),
            "escalated_at": f.get("escalated_at"),
            "declined_at": f.get("declined_at"),
            "taken_reminded_at": f.get("taken_reminded_at"),
            "feedback_useful": f.get("feedback_useful", ""),
            "feedback_contacted": f.get("feedback_contacted"),
            "feedback_at": f.get("feedback_at"),
            "anonymised_at": None,
            # Its own stream: the choice does not move the rest of the story.
            "company_shares_contact": random.Random(f"demo-share-{i}").random() < 0.4,
        }
        row, _ = CompanyRequest.objects.update_or_create(email=email, defaults=values)
        CompanyRequest.objects.filter(pk=row.pk).update(created_at=created)
        wanted = [
            (at, action, by.pk if by else None, state_from, state_to, amb.pk, note)
            for at, action, by, state_from, state_to, amb, note in request.steps
        ]
        have = list(
            RequestStep.objects.filter(request=row)
            .order_by("at", "pk")
            .values_list("at", "action", "actor_id", "state_from", "state_to", "ambassador_id", "note")
        )
        for _at, action, _by, _from, _to, amb, note in request.steps:
            if action == StepAction.DECLINED:
                reason = random.Random(f"demo-decline-{i}").choice(DeclineReason.values)
                declines.append(RequestDecline(request=row, ambassador=amb, reason=reason, note=note))
        # A stalled or unreachable story is one where the ambassador never wrote after taking (the reminder and the
        # coordination's « sans réponse » list are for those): no thread for them.
        if f.get("taken_at") and story not in ("stalled", "unreachable"):
            taken = f["taken_at"]
            stop = min(end, f.get("closed_at") or end)
            for side, after, body in THREAD:
                if taken + after < stop:
                    author = request.ambassador.user if side == Side.AMBASSADOR else None
                    messages.append(
                        (RequestMessage(request=row, side=side, author=author, body=body), taken + after)
                    )
        if have != wanted:
            rewrite.append(row.pk)
            steps += [
                RequestStep(
                    request=row,
                    at=at,
                    actor_id=actor,
                    action=action,
                    state_from=state_from,
                    state_to=state_to,
                    ambassador_id=amb,
                    note=note,
                )
                for at, action, actor, state_from, state_to, amb, note in wanted
            ]
    # The histories that differ, rewritten at once (bulk_create stamps « at » with now: bulk_update puts it back).
    RequestStep.objects.filter(request__in=rewrite).delete()
    given = [step.at for step in steps]
    RequestStep.objects.bulk_create(steps)
    for step, at in zip(steps, given, strict=True):
        step.at = at
    RequestStep.objects.bulk_update(steps, ["at"], batch_size=200)
    # The threads and the declines, rewritten each time (small, and dated like the story).
    demo_rows = CompanyRequest.objects.filter(email__in=emails)
    RequestMessage.objects.filter(request__in=demo_rows).delete()
    RequestDecline.objects.filter(request__in=demo_rows).delete()
    RequestDecline.objects.bulk_create(declines, ignore_conflicts=True)
    created_messages = RequestMessage.objects.bulk_create([m for m, _ in messages])
    for message, (_, at) in zip(created_messages, messages, strict=True):
        message.created_at = at
    RequestMessage.objects.bulk_update(created_messages, ["created_at"], batch_size=200)
    last = {}
    for message in created_messages:
        last[message.request_id] = message
    CompanyRequest.objects.filter(email__in=emails).update(last_message_side="", last_message_at=None)
    for request_id, message in last.items():
        CompanyRequest.objects.filter(pk=request_id).update(
            last_message_side=message.side, last_message_at=message.created_at
        )
    CompanyRequest.objects.filter(email__endswith=f"@{DEMO_DOMAIN}").exclude(email__in=emails).delete()
    return {"demandes d’entreprises": CompanyRequest.objects.filter(email__endswith=DEMO_DOMAIN).count()}
