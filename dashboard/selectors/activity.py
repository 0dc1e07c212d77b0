"""The ambassadors' activity: events and exchanges with companies, the most active first."""

from django.db.models import Count, Exists, OuterRef

from agenda.models import Event
from contact.models import CompanyRequest
from dashboard.selectors.scope import EventAmbassador, Scope, _ambassadors
from dashboard.tables import TEXT, Column, Table

ACTIVITY_ON_PAGE = 20  # the activity table on the page; its CSV lists everyone with some activity


def _activity_counts(scope: Scope) -> tuple[dict[int, int], dict[int, int], dict[int, int]]:
    """Per ambassador, computed once for everyone with GROUP BY (no subquery per ambassador): the public events
    they are listed in (by ambassador pk), the public events a user created without being listed in them (by user
    pk: the account of at most one ambassador), and the requests answered (by ambassador pk). Three queries.

    An ambassador's counts are the same in every scope (their events anywhere); a region or a network counts only
    its own ambassadors, from their links (index by ambassador) with each event looked up by its key: the whole
    country's 100,000 links against the list of the 200,000 public events took 0.3 s on SQLite for region 84 of
    the bench data as for the country; its 5,000 links this way, 0.02 s."""
    public = Event.objects.public().order_by()
    links = EventAmbassador.objects.order_by()
    created = public.filter(created_by_id__isnull=False)
    answered = CompanyRequest.objects.filter(answered_at__isnull=False).order_by()
    if not scope.everything:
        people = _ambassadors(scope)
        links = links.filter(
            Exists(public.filter(pk=OuterRef("event_id"))), ambassador_id__in=people.values("pk")
        )
        created = created.filter(created_by_id__in=people.filter(user_id__isnull=False).values("user_id"))
        answered = answered.filter(ambassador_id__in=people.values("pk"))
    else:
        links = links.filter(event__in=public.values("pk"))
    listed = dict(links.values_list("ambassador_id").annotate(n=Count("pk")))
    created_only = dict(
        created.exclude(
            Exists(
                EventAmbassador.objects.filter(
                    event_id=OuterRef("pk"), ambassador__user_id=OuterRef("created_by_id")
                )
            )
        )
        .values_list("created_by_id")
        .annotate(n=Count("pk"))
    )
    answered = dict(answered.values_list("ambassador_id").annotate(n=Count("pk")))
    return listed, created_only, answered


def ambassador_activity(scope: Scope, limit: int | None = ACTIVITY_ON_PAGE) -> Table:
    """The ambassadors of the scope by what they did: published events they created or take part in, and exchanges
    with companies (requests answered). Most active first; only those with some activity.

    The events of an ambassador are those they take part in, plus those they created without being listed in them:
    their sum counts each event once. The counts are grouped once for all of the scope (``_activity_counts``), then
    matched to the ambassadors of the scope, read in the order of the ties (name, pk); a stable sort by activity
    keeps it. Four queries whatever the number of ambassadors, events and requests."""
    listed, created_only, answered = _activity_counts(scope)
    rows = []
    for (
        pk,
        user_id,
        first,
        last,
        network,
    ) in (
        _ambassadors(scope)
        .order_by("sort_name", "pk")
        .values_list("pk", "user_id", "first_name", "last_name", "proposing_network__name")
    ):
        events_n = listed.get(pk, 0) + (created_only.get(user_id, 0) if user_id else 0)
        answered_n = answered.get(pk, 0)
        if events_n + answered_n > 0:
            rows.append((first, last, network, events_n, answered_n, events_n + answered_n))
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
