"""The ambassadors' activity: events and exchanges with companies, the most active first."""

from django.db.models import Count

from contact.models import CompanyRequest
from dashboard import tallies
from dashboard.models import AmbassadorTally
from dashboard.selectors.scope import Scope, _ambassadors
from dashboard.tables import TEXT, Column, Table

ACTIVITY_ON_PAGE = 20  # the activity table on the page; its CSV lists everyone with some activity


def _activity_counts(scope: Scope) -> tuple[dict[int, int], dict[int, int]]:
    """Per ambassador of the scope: the public events they created or take part in (the same in every scope, their
    events anywhere), from the tallies (``dashboard.tallies``) or, while they are rebuilt, from the events, and
    the requests they answered, one GROUP BY. A fixed number of queries whatever the number of ambassadors, events
    and requests."""
    answered = CompanyRequest.objects.filter(answered_at__isnull=False).order_by()
    events = AmbassadorTally.objects.order_by()
    if not scope.everything:
        people = _ambassadors(scope).values("pk")
        answered = answered.filter(ambassador_id__in=people)
        events = events.filter(ambassador_id__in=people)
    if scope.tallies is None:  # being rebuilt: counted from the events, for everyone
        events = {tally.ambassador_id: tally.events for tally in tallies.ambassador_tallies()}
    else:
        events = dict(events.values_list("ambassador_id", "events"))
    return events, dict(answered.values_list("ambassador_id").annotate(n=Count("pk")))


def ambassador_activity(scope: Scope, limit: int | None = ACTIVITY_ON_PAGE) -> Table:
    """The ambassadors of the scope by what they did: published events they created or take part in, and exchanges
    with companies (requests answered). Most active first; only those with some activity.

    The events of an ambassador are those they take part in, plus those they created without being listed in them:
    their sum counts each event once. The counts are read once for all of the scope (``_activity_counts``), then
    the names of those who may be shown, in the order of the ties (name, pk); a stable sort by activity keeps it.
    A fixed number of queries whatever the number of ambassadors, events and requests."""
    events, answered = _activity_counts(scope)
    totals = {
        pk: (events.get(pk, 0) + answered.get(pk, 0), events.get(pk, 0))
        for pk in events.keys() | answered.keys()
        if pk is not None
    }
    totals = {pk: key for pk, key in totals.items() if key[0] > 0}
    # The names of those who may be shown only: all of them for the export, for the page the most active down to
    # the last one tied with the twentieth (ties go in name order), not the thousands of others.
    people = _ambassadors(scope)
    if limit is not None and len(totals) > limit:
        threshold = sorted(totals.values(), reverse=True)[limit - 1]
        people = people.filter(pk__in=[pk for pk, key in totals.items() if key >= threshold])
    rows = [
        (first, last, network, totals[pk][1], totals[pk][0] - totals[pk][1], totals[pk][0])
        for pk, first, last, network in people.order_by("sort_name", "pk").values_list(
            "pk", "first_name", "last_name", "proposing_network__name"
        )
        if pk in totals
    ]
    rows.sort(key=lambda row: (-row[5], -row[3]))  # stable: equal ones stay in name order
    qs = rows if limit is None else rows[:limit]
    return Table(
        "activite-ambassadeurs",
        "Activité des ambassadeurs, les plus actifs d’abord",
        [
            Column("Ambassadeur", TEXT),
            Column("Réseau", TEXT),
            Column("Événements publiés (créés ou avec participation)"),
            Column("Échanges réalisés avec des entreprises"),
            Column("Total"),
        ],
        [[f"{first} {last}", network or "–", ev, ans, total] for first, last, network, ev, ans, total in qs],
        note=(
            f"La page montre les {limit} plus actifs ; l’export CSV donne tous ceux qui ont une activité."
            if limit is not None
            else ""
        ),
    )
