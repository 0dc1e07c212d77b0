"""Company requests: follow-up and satisfaction by region, ambassadors' availability and the requests given back."""

from datetime import date, datetime

from django.db.models import Count, Q
from django.utils import timezone

from ambassadors.models import Ambassador
from contact.enums import DeclineReason
from contact.models import RequestDecline
from contact.services import requests_unanswered_filter
from dashboard.selectors.months import Trend, counts_by_month, past_months
from dashboard.selectors.scope import (
    AmbassadorRegion,
    Scope,
    _ambassadors,
    _duration,
    _median,
    _percent,
    _published,
    _requests,
    regions_in,
)
from dashboard.tables import DEC, TEXT, Column, Table


def _request_counts(now: datetime) -> dict:
    return {
        "received": Count("pk"),
        "taken": Count("pk", filter=Q(taken_at__isnull=False)),
        "answered": Count("pk", filter=Q(answered_at__isnull=False)),
        "unanswered": Count("pk", filter=requests_unanswered_filter(now)),
        "feedback": Count("pk", filter=~Q(feedback_useful="")),
        "useful_yes": Count("pk", filter=Q(feedback_useful="yes")),
        "useful_partly": Count("pk", filter=Q(feedback_useful="partly")),
        "useful_no": Count("pk", filter=Q(feedback_useful="no")),
        "contacted_answers": Count("pk", filter=Q(feedback_contacted__isnull=False)),
        "contacted_yes": Count("pk", filter=Q(feedback_contacted=True)),
    }


def requests_tables(scope: Scope, now: datetime | None = None) -> tuple[Table, Table]:
    """The follow-up of company requests by region (where the company is) and the companies' feedback."""
    now = now or timezone.now()
    qs = _requests(scope)
    by_region = {row["region_id"]: row for row in qs.values("region_id").annotate(**_request_counts(now))}
    # Every count is a sum over the regions (a request has one region, or none: a group of its own), so the total
    # is added up here rather than read again: one pass over the requests instead of two.
    total = {name: sum(row[name] for row in by_region.values()) for name in _request_counts(now)}
    delays: dict[str, list[float]] = {}
    for region_id, delay in qs.filter(taken_at__isnull=False).values_list(
        "region_id", _duration("taken_at", "created_at")
    ):
        delays.setdefault(region_id, []).append(delay.total_seconds() / 3600)
    every_delay = [d for values in delays.values() for d in values]
    followup = Table(
        "demandes-suivi",
        "Demandes des entreprises par région : prise en charge et réponse",
        [
            Column("Région", TEXT),
            Column("Reçues"),
            Column("Prises en charge"),
            Column("Échange réalisé"),
            Column("Délai médian de prise en charge (heures)", DEC),
            Column("Sans réponse après 10 jours"),
        ],
    )
    satisfaction = Table(
        "demandes-satisfaction",
        "Avis des entreprises par région",
        [
            Column("Région", TEXT),
            Column("Avis reçus"),
            Column("Utile : oui (%)"),
            Column("Utile : en partie (%)"),
            Column("Utile : non (%)"),
            Column("Recontactée par l’ambassadeur (%)"),
        ],
    )

    def follow(label, row, delay):
        return [label, row["received"], row["taken"], row["answered"], delay, row["unanswered"]]

    def satisfied(label, row):
        return [
            label,
            row["feedback"],
            _percent(row["useful_yes"], row["feedback"]),
            _percent(row["useful_partly"], row["feedback"]),
            _percent(row["useful_no"], row["feedback"]),
            _percent(row["contacted_yes"], row["contacted_answers"]),
        ]

    empty = dict.fromkeys(_request_counts(now), 0)
    for region in regions_in(scope):
        row = by_region.get(region.code, empty)
        followup.rows.append(follow(region.name, row, _median(delays.get(region.code, []))))
        satisfaction.rows.append(satisfied(region.name, row))
    followup.footer = follow("Ensemble du périmètre", total, _median(every_delay))
    satisfaction.footer = satisfied("Ensemble du périmètre", total)
    return followup, satisfaction


def requests_by_month(scope: Scope, now: datetime | None = None) -> Trend:
    """The scope's company requests by month of receipt (``created_at``) and by month of the exchange with the
    ambassador (``answered_at``, « Échange réalisé »), Paris time, in one query."""
    months = past_months(now)
    fields = {"received": "created_at", "answered": "answered_at"}
    return Trend(months, counts_by_month(_requests(scope), fields, months, indexed=True))


def returns_and_availability(scope: Scope, today: date | None = None) -> tuple[Table, Table]:
    """What keeps requests from their ambassadors: by region, the published ambassadors, those who paused the
    requests, those in the absence they announced today, and the requests given back with « Ce n’est pas pour
    moi »; and those returns by reason. An ambassador of two regions counts in each, once in the total."""
    today = today or timezone.localdate()
    absent = Q(ambassador__absent_from__lte=today, ambassador__absent_until__gte=today)
    people = {
        "published": Count("pk"),
        "paused": Count("pk", filter=Q(ambassador__requests_paused=True)),
        "absent": Count("pk", filter=absent),
    }
    published = _ambassadors(scope).filter(_published())
    by_region = {
        row["region_id"]: row
        for row in AmbassadorRegion.objects.filter(ambassador__in=published)
        .order_by()
        .values("region_id")
        .annotate(**people)
    }
    everyone = Ambassador.objects.filter(pk__in=published.values("pk")).aggregate(
        published=Count("pk"),
        paused=Count("pk", filter=Q(requests_paused=True)),
        absent=Count("pk", filter=Q(absent_from__lte=today, absent_until__gte=today)),
    )
    returns = RequestDecline.objects.filter(request__in=_requests(scope)).order_by()
    returned = dict(
        returns.values("request__region_id").annotate(n=Count("pk")).values_list("request__region_id", "n")
    )
    availability = Table(
        "demandes-disponibilite",
        "Disponibilité des ambassadeurs et demandes rendues, par région",
        [
            Column("Région", TEXT),
            Column("Ambassadeurs publiés"),
            Column("Demandes en pause"),
            Column("Absents aujourd’hui"),
            Column("Demandes rendues", title="Demandes rendues (« Ce n’est pas pour moi »)"),
        ],
    )
    empty = dict.fromkeys(people, 0)
    for region in regions_in(scope):
        row = by_region.get(region.code, empty)
        availability.rows.append(
            [region.name, row["published"], row["paused"], row["absent"], returned.get(region.code, 0)]
        )
    availability.footer = [
        "Ensemble du périmètre",
        everyone["published"],
        everyone["paused"],
        everyone["absent"],
        sum(returned.values()),
    ]
    by_reason = dict(returns.values("reason").annotate(n=Count("pk")).values_list("reason", "n"))
    total = sum(by_reason.values())
    reasons = Table(
        "demandes-rendues-motifs",
        "Demandes rendues par motif",
        [Column("Motif", TEXT), Column("Demandes rendues"), Column("Part (%)")],
        [
            [label, by_reason.get(value, 0), _percent(by_reason.get(value, 0), total)]
            for value, label in DeclineReason.choices
        ],
        footer=["Ensemble", total, _percent(total, total)],
    )
    return availability, reasons
