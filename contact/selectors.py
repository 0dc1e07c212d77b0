"""Reads: who fits a need (built for ``contact.ranking``), and the requests each user may see."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from accounts.scope import scope_for
from ambassadors.data_rights import Section, personal_data_item
from ambassadors.models import Ambassador
from ambassadors.selectors import profiles_version
from contact import ranking
from contact.enums import RequestState, Side
from contact.models import OPEN_STATES, WAITING_STATES, CompanyRequest, RequestDecline
from core.awaiting import Awaiting
from core.fragments import digest
from territories.geo import Origin, near


def month_start(now: datetime | None = None) -> datetime:
    """The first instant of the current month, Paris time: monthly maximums restart then."""
    local = timezone.localtime(now or timezone.now())
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def _with_load(qs: QuerySet[Ambassador], now: datetime | None = None) -> QuerySet[Ambassador]:
    return qs.annotate(
        open_count=Count(
            "company_requests", filter=Q(company_requests__state__in=OPEN_STATES), distinct=True
        ),
        month_count=Count(
            "company_requests",
            filter=Q(company_requests__assigned_at__gte=month_start(now)),
            distinct=True,
        ),
    )


def _candidates(qs: QuerySet[Ambassador], now: datetime | None = None) -> list[ranking.Candidate]:
    """Plain data for the ranking of the ambassadors of ``qs``, read as rows (one query per relation, no model
    object: the finder weighs about two hundred ambassadors of a region to show five, and building their objects
    and prefetched relations took most of its time in ``scripts/bench.py``)."""
    today = timezone.localdate(now)
    rows = list(
        _with_load(qs, now).values_list(
            "pk",
            "last_name",
            "first_name",
            "is_national",
            "bio",
            "requests_paused",
            "absent_from",
            "absent_until",
            "requests_monthly_limit",
            "month_count",
            "open_count",
        )
    )
    pks = [row[0] for row in rows]
    regions, departements, departement_regions = defaultdict(set), defaultdict(set), defaultdict(set)
    sectors, topics = defaultdict(list), defaultdict(dict)
    through = Ambassador.regions.through.objects.filter(ambassador_id__in=pks)
    for pk, code in through.values_list("ambassador_id", "region_id"):
        regions[pk].add(code)
    through = Ambassador.departements.through.objects.filter(ambassador_id__in=pks)
    for pk, code, region in through.values_list("ambassador_id", "departement_id", "departement__region_id"):
        departements[pk].add(code)
        departement_regions[pk].add(region)
    through = Ambassador.sectors.through.objects.filter(ambassador_id__in=pks)
    for pk, code, label in through.values_list("ambassador_id", "nafactivity__code", "nafactivity__label"):
        sectors[pk].append((code, label))
    through = Ambassador.topics.through.objects.filter(ambassador_id__in=pks).order_by(
        "topic__order", "topic__name"
    )
    for pk, topic, name in through.values_list("ambassador_id", "topic_id", "topic__name"):
        topics[pk][topic] = name
    candidates = []
    for pk, last, first, national, bio, paused, absent_from, absent_until, limit, month, open_ in rows:
        names = topics[pk]
        candidates.append(
            ranking.Candidate(
                pk=pk,
                last_name=last,
                first_name=first,
                is_national=national,
                # A département listed without its region still places the ambassador in that region.
                region_codes=frozenset(regions[pk] | departement_regions[pk]),
                departement_codes=frozenset(departements[pk]),
                sector_codes=frozenset(code for code, _ in sectors[pk]),
                topics=names,
                text=" ".join([bio, *names.values(), *(label for _, label in sectors[pk])]),
                paused=paused or bool(absent_from and absent_until and absent_from <= today <= absent_until),
                monthly_limit=limit,
                month_count=month or 0,
                open_count=open_ or 0,
            )
        )
    return candidates


def candidates_for(region_code: str) -> QuerySet[Ambassador]:
    """Published ambassadors of the region (listing it, or one of its départements) or of the national network."""
    return (
        Ambassador.objects.published()
        .filter(Q(regions=region_code) | Q(departements__region=region_code) | Q(is_national=True))
        .distinct()
    )


def _best(qs: QuerySet[Ambassador], need: ranking.Need, limit: int) -> list[tuple[Ambassador, ranking.Match]]:
    matches = ranking.rank(need, _candidates(qs), limit=limit)
    by_pk = Ambassador.objects.in_bulk([m.candidate.pk for m in matches])
    return [(by_pk[m.candidate.pk], m) for m in matches]


# How long the finder keeps a ranking: the key holds the need and the profiles' version (a profile's change, its
# availability included, shows at once); the requests each ambassador holds (the load the ranking evens out) carry
# no date of change, so they count again within this time. The freshness rule of the platform: 60 s.
RANKING_SECONDS = 60


def ambassadors_for_need(need: ranking.Need, *, limit: int = 5) -> list[tuple[Ambassador, ranking.Match]]:
    """The best ambassadors for ``need``, best first, with the ranking's reasons (a fixed number of queries). The
    ranking of a need is kept ``RANKING_SECONDS`` in the shared cache: the same need asked again (the Back button,
    a shared link) reads only the profiles shown."""
    key = "finder:" + digest(need, limit, profiles_version(), timezone.localdate())
    found = cache.get(key)
    if found is None:
        found = [
            (m.candidate, m.score, m.reasons)
            for m in ranking.rank(need, _candidates(candidates_for(need.region_code)), limit=limit)
        ]
        cache.set(key, found, RANKING_SECONDS)
    by_pk = Ambassador.objects.in_bulk([candidate.pk for candidate, _, _ in found])
    return [
        (by_pk[candidate.pk], ranking.Match(candidate=candidate, score=score, reasons=reasons))
        for candidate, score, reasons in found
        if candidate.pk in by_pk
    ]


# A « près de » search lists more than the five best of a region: every ambassador within the distance counts, the
# nearest first; the national ambassadors (who act anywhere) follow in their own group.
NEAR_LIMIT = 10
NATIONAL_LIMIT = 3


@dataclass
class Nearby:
    """The results of a « près de » search: ``near``, (ambassador, match, km) nearest first; ``national``, the
    national ambassadors who are not among them, (ambassador, match), best first."""

    near: list[tuple[Ambassador, ranking.Match, float]]
    national: list[tuple[Ambassador, ranking.Match]]

    def __bool__(self) -> bool:
        return bool(self.near or self.national)


def ambassadors_near_need(
    need: ranking.Need,
    origin: Origin,
    km: int,
    *,
    limit: int = NEAR_LIMIT,
    national_limit: int = NATIONAL_LIMIT,
) -> Nearby:
    """The available ambassadors whose commune lies within ``km`` of ``origin`` (whatever their region; those
    without a commune cannot be placed, so are not listed), nearest first, ties by the ranking's points; then the
    national ones who are not near, best first. A fixed number of queries: the distances (computed in the
    database, ``territories.geo.near``), the candidates (near or national) with their relations, the profiles
    shown; the ranking kept ``RANKING_SECONDS`` as ``ambassadors_for_need``'s."""
    key = "finder-near:" + digest(
        need, origin.commune.code, km, limit, national_limit, profiles_version(), timezone.localdate()
    )
    found = cache.get(key)
    if found is None:
        located = near(
            Ambassador.objects.published(),
            origin,
            km,
            latitude="commune__latitude",
            longitude="commune__longitude",
        )
        distances = dict(located.values_list("pk", "distance_km"))
        candidates = _candidates(
            Ambassador.objects.published().filter(Q(pk__in=list(distances)) | Q(is_national=True))
        )
        close = ranking.rank(need, candidates, limit=limit, distances=distances)
        others = ranking.rank(
            need, [c for c in candidates if c.is_national and c.pk not in distances], limit=national_limit
        )
        found = (
            [(m.candidate, m.score, m.reasons, distances[m.candidate.pk]) for m in close],
            [(m.candidate, m.score, m.reasons, None) for m in others],
        )
        cache.set(key, found, RANKING_SECONDS)
    by_pk = Ambassador.objects.select_related("commune").in_bulk(
        [candidate.pk for part in found for candidate, *_ in part]
    )

    def shown(part):
        return [
            (by_pk[candidate.pk], ranking.Match(candidate=candidate, score=score, reasons=reasons), distance)
            for candidate, score, reasons, distance in part
            if candidate.pk in by_pk
        ]

    return Nearby(near=shown(found[0]), national=[(a, m) for a, m, _ in shown(found[1])])


def ambassador_load(ambassador: Ambassador, now: datetime | None = None) -> ranking.Candidate:
    return _candidates(Ambassador.objects.filter(pk=ambassador.pk), now)[0]


def requests_for_user(user) -> QuerySet[CompanyRequest]:
    """The requests a logged-in user may see in the back office; anything else is a 404 for them."""
    qs = CompanyRequest.objects.select_related("ambassador", "region", "departement", "sector", "topic")
    # An ambassador's: those given to them; one they said is not for them is no longer theirs, even while it waits
    # for the coordination. Reviewers have none (no network part).
    return scope_for(user).narrow(
        qs, region="region_id", owner=lambda user_id: Q(ambassador__user_id=user_id, declined_at__isnull=True)
    )


def requests_waiting_since(qs: QuerySet[CompanyRequest], since: datetime) -> QuerySet[CompanyRequest]:
    """Requests given to their ambassador before ``since`` and still not taken."""
    return qs.filter(state__in=WAITING_STATES, assigned_at__lte=since)


def reassignment_choices(request: CompanyRequest) -> QuerySet[Ambassador]:
    """Who a coordinator may hand a request to: other published ambassadors of the region (or of one of its
    départements), or national ones, who accept requests."""
    return (
        Ambassador.objects.published()
        .filter(
            Q(regions=request.region_id) | Q(departements__region=request.region_id) | Q(is_national=True),
            requests_paused=False,
        )
        .exclude(absent_from__lte=timezone.localdate(), absent_until__gte=timezone.localdate())
        .exclude(pk=request.ambassador_id)
        .exclude(Exists(RequestDecline.objects.filter(request_id=request.pk, ambassador=OuterRef("pk"))))
        .distinct()
        .order_by("sort_name", "pk")
    )


def next_ambassador_for(request: CompanyRequest, *, exclude: set[int]) -> Ambassador | None:
    """The best available ambassador for what the request says (its place, sector, topic and message: the
    ranking of the finder), leaving out ``exclude`` (who declined it, who has it); None when nobody fits."""
    need = ranking.Need(
        region_code=request.region_id,
        departement_code=request.departement_id or "",
        sector_code=request.sector.code if request.sector_id else "",
        topic_ids=frozenset({request.topic_id}) if request.topic_id else frozenset(),
        question=request.message,
    )
    best = _best(candidates_for(request.region_id).exclude(pk__in=exclude), need, limit=1)
    return best[0][0] if best else None


def _when(value):
    return timezone.localtime(value) if value else None


# Everything the platform holds on a company through its request, in one list for the private page and its JSON
# download (key, label, value). The notes of the history are not in it: they are what the coordinators and the
# ambassador wrote for each other (the page says so).
PERSONAL_DATA = [
    ("entreprise", "Entreprise", lambda r: r.company_name),
    ("nom", "Vos prénom et nom", lambda r: r.contact_name),
    ("adresse_electronique", "Adresse électronique", lambda r: r.email),
    ("telephone", "Téléphone", lambda r: r.phone),
    ("siret", "SIRET", lambda r: r.siret),
    ("code_postal", "Code postal", lambda r: r.postcode),
    ("departement", "Département", lambda r: r.departement.name if r.departement else ""),
    ("region", "Région", lambda r: r.region.name),
    ("taille", "Taille de l’entreprise", lambda r: r.get_size_display()),
    ("secteur", "Secteur d’activité", lambda r: r.sector.label if r.sector else ""),
    ("thematique", "Thématique", lambda r: r.topic.name if r.topic else ""),
    ("message", "Message", lambda r: r.message),
    (
        "adresse_montree_a_l_ambassadeur",
        "L’ambassadeur voit votre adresse et votre téléphone",
        lambda r: "Oui" if r.company_shares_contact else "Non",
    ),
    ("ambassadeur", "Ambassadeur à qui la demande est confiée", lambda r: r.ambassador.full_name),
    ("etat", "État", lambda r: r.get_state_display()),
    ("consentement_donne_le", "Accord pour la transmission donné le", lambda r: _when(r.consent_at)),
    ("recue_le", "Reçue le", lambda r: _when(r.created_at)),
    ("prise_en_charge_le", "Prise en charge le", lambda r: _when(r.taken_at)),
    ("echange_realise_le", "Échange réalisé le", lambda r: _when(r.answered_at)),
    ("echange", "Échange", lambda r: r.get_answer_kind_display() or None),
    ("close_le", "Close le", lambda r: _when(r.closed_at)),
    ("motif_de_cloture", "Motif de clôture", lambda r: r.get_close_reason_display() or None),
    ("avis_utile", "L’échange vous a-t-il été utile ?", lambda r: r.get_feedback_useful_display() or None),
    (
        "avis_contactee",
        "L’ambassadeur a-t-il pris contact avec vous ?",
        lambda r: None if r.feedback_contacted is None else ("Oui" if r.feedback_contacted else "Non"),
    ),
    ("avis_donne_le", "Avis donné le", lambda r: _when(r.feedback_at)),
    ("effacee_le", "Informations effacées le", lambda r: _when(r.anonymised_at)),
]


def request_personal_data(request: CompanyRequest) -> list[tuple[str, str, object]]:
    """(key, label, value) of everything ``PERSONAL_DATA`` lists, for this request."""
    return [(key, label, value(request)) for key, label, value in PERSONAL_DATA]


def _unanswered_filter(now: datetime) -> Q:
    # Imported here: services import this module.
    from contact.services import requests_unanswered_filter

    return requests_unanswered_filter(now)


# The inbox's filters (``?etat=``), in the order of its tags: (label, for coordinators only). Each item of
# ``awaiting_for_user`` links to one of them, and counts with the same ``inbox_filter``: the count is what the link
# lists.
INBOX_FILTERS = {
    "": ("Toutes", False),
    "a-traiter": ("À prendre en charge", False),
    "message-en-attente": ("Message de l’entreprise en attente", False),
    "echange-a-faire": ("Prises en charge, échange à faire", False),
    "en-cours": ("En cours", False),
    "en-retard": ("Non prises en charge après 10 jours", True),
    "a-confier": ("Rendues, à confier", True),
    "closes": ("Closes", False),
}


def inbox_filter(key: str, now: datetime | None = None) -> Q:
    """The condition of the inbox's filter ``key`` (one of ``INBOX_FILTERS``), at ``now``."""
    # Imported here: services import this module.
    from contact.services import ESCALATE_AFTER, written_since_taken

    now = now or timezone.now()
    return {
        "": Q(),
        "a-traiter": Q(state__in=WAITING_STATES),
        # The company wrote last, and the request is still followed (not closed).
        "message-en-attente": Q(
            state__in=(*OPEN_STATES, RequestState.ANSWERED), last_message_side=Side.COMPANY
        ),
        # Taken, and neither « J’ai répondu » nor a message of the ambassador since.
        "echange-a-faire": Q(state=RequestState.TAKEN) & ~written_since_taken(),
        "en-cours": Q(state__in=(RequestState.TAKEN, RequestState.ANSWERED)),
        "en-retard": Q(state__in=WAITING_STATES, assigned_at__lte=now - ESCALATE_AFTER),
        "a-confier": Q(state__in=OPEN_STATES, declined_at__isnull=False),
        "closes": Q(state=RequestState.CLOSED),
    }[key]


def awaiting_for_user(user) -> list[Awaiting]:
    """What awaits this person among company requests, for their space (``core.awaiting``), in one query whatever
    the counts. An ambassador: requests to
    take, requests taken without an exchange yet, companies' messages without a reply. A coordinator (their
    region, or all for the national coordination): requests not taken past the promised time, declined requests
    waiting to be handed on, companies' messages unanswered, and the whole « sans réponse » list."""
    if not user.is_authenticated or not (
        user.is_coordinator or (user.is_ambassador and hasattr(user, "ambassador"))
    ):
        return []
    from contact.services import ESCALATE_AFTER, REMIND_AFTER

    now = timezone.now()
    inbox = reverse("contact:inbox")
    qs = requests_for_user(user)
    if user.is_coordinator:
        counts = qs.aggregate(
            late=Count("pk", filter=inbox_filter("en-retard", now)),
            declined=Count("pk", filter=inbox_filter("a-confier", now)),
            messages=Count("pk", filter=inbox_filter("message-en-attente", now)),
            unanswered=Count("pk", filter=_unanswered_filter(now)),
        )
        return [
            Awaiting(
                label=f"Demandes non prises en charge après {ESCALATE_AFTER.days} jours",
                count=counts["late"],
                url=f"{inbox}?etat=en-retard",
                empty="Aucune demande en retard : les ambassadeurs ont pris en charge les demandes à temps.",
                urgent=bool(counts["late"]),
            ),
            Awaiting(
                label="Demandes à confier à un autre ambassadeur",
                count=counts["declined"],
                url=f"{inbox}?etat=a-confier",
                empty="Aucune demande à confier : aucun ambassadeur n’a rendu de demande sans suivant possible.",
                urgent=bool(counts["declined"]),
            ),
            Awaiting(
                label="Messages d’entreprises sans réponse",
                count=counts["messages"],
                url=f"{inbox}?etat=message-en-attente",
                empty="Aucun message d’entreprise en attente.",
            ),
            Awaiting(
                label="Demandes sans réponse",
                count=counts["unanswered"],
                url=f"{inbox}?sans-reponse=1",
                empty="Aucune demande sans réponse.",
            ),
        ]
    counts = qs.aggregate(
        to_take=Count("pk", filter=inbox_filter("a-traiter", now)),
        late=Count("pk", filter=Q(state__in=WAITING_STATES, assigned_at__lte=now - REMIND_AFTER)),
        taken=Count("pk", filter=inbox_filter("echange-a-faire", now)),
        messages=Count("pk", filter=inbox_filter("message-en-attente", now)),
    )
    return [
        Awaiting(
            label="Demandes à prendre en charge",
            count=counts["to_take"],
            url=f"{inbox}?etat=a-traiter",
            empty="Aucune demande à prendre en charge : les entreprises vous écriront par la plateforme.",
            urgent=bool(counts["late"]),
        ),
        Awaiting(
            label="Messages d’entreprises sans réponse",
            count=counts["messages"],
            url=f"{inbox}?etat=message-en-attente",
            empty="Aucun message d’entreprise en attente de votre réponse.",
            urgent=bool(counts["messages"]),
        ),
        Awaiting(
            label="Demandes prises en charge, échange à faire",
            count=counts["taken"],
            url=f"{inbox}?etat=echange-a-faire",
            empty="Aucune demande en cours sans échange.",
        ),
    ]


def ambassador_personal_data(*, user, ambassador) -> Section:
    """The « Demandes d’entreprises reçues » section of an ambassador's personal data (``ambassadors.data_rights``)."""

    requests = CompanyRequest.objects.filter(ambassador=ambassador)
    return Section(
        "demandes_entreprises",
        "Demandes d’entreprises reçues",
        [
            personal_data_item("total", "Reçues", requests.count()),
            personal_data_item("en_cours", "En cours", requests.open().count()),
        ],
    )
