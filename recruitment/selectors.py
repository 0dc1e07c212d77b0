from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from recruitment.enums import ApplicationState
from recruitment.models import Application, Call, Review


def call_current(now=None) -> Call | None:
    """The call that takes applications now (the one closing first if several are open)."""
    now = now or timezone.now()
    # The same bounds as ``Call.is_open_at``, in one query: the last second of ``closes_at`` is included.
    return (
        Call.objects.filter(opens_at__lte=now, closes_at__gte=now.replace(microsecond=0))
        .order_by("closes_at", "pk")
        .first()
    )


def call_next(now=None) -> Call | None:
    now = now or timezone.now()
    return Call.objects.filter(opens_at__gt=now).order_by("opens_at").first()


def call_last_closed(now=None) -> Call | None:
    now = now or timezone.now()
    return Call.objects.filter(closes_at__lt=now).order_by("-closes_at").first()


def applications_for_user(user) -> QuerySet[Application]:
    """Applications a logged-in user may see: anything else is a 404 for them.

    National coordination: all. Regional coordination: their region. Reviewer: those their network proposes
    (and of their region, if they have one). Ambassadors: none."""
    qs = Application.objects.select_related("call", "region", "proposing_network")
    if not user.is_authenticated:
        return qs.none()
    if user.is_national_coordinator:
        return qs
    if user.is_regional_coordinator:
        return qs.filter(region_id=user.region_id)
    if user.is_reviewer:
        qs = qs.filter(proposing_network_id=user.partner_network_id)
        return qs.filter(region_id=user.region_id) if user.region_id else qs
    return qs.none()


def applications_queue(user, *, call=None, state="", region=None, network=None, missing_mine=False, q=""):
    """The reviewer's queue: the scope, filtered, each with its number of reviews and whether the user gave one."""
    qs = applications_for_user(user)
    if call:
        qs = qs.filter(call=call)
    if state:
        qs = qs.filter(state=state)
    if region:
        qs = qs.filter(region=region)
    if network:
        qs = qs.filter(proposing_network=network)
    for word in q.split()[:6]:
        qs = qs.filter(
            Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(structure_name__icontains=word)
        )
    qs = qs.annotate(
        review_count=Count("reviews", distinct=True),
        reviewed_by_me=Exists(Review.objects.filter(application=OuterRef("pk"), reviewer=user)),
    )
    if missing_mine:
        qs = qs.filter(
            reviewed_by_me=False, state__in=[ApplicationState.SUBMITTED, ApplicationState.UNDER_REVIEW]
        )
    return qs.order_by("submitted_at", "pk")


def reviewers_expected(application: Application) -> list:
    """Who is expected to give an opinion: the reviewers of the proposing network (national ones, or those of the
    application's region) and the regional coordinators of its region. Used to show whose opinion is missing."""
    from accounts.enums import Role
    from accounts.models import User

    condition = Q(role=Role.REGIONAL_COORDINATOR, region_id=application.region_id)
    if application.proposing_network_id:
        condition |= Q(role=Role.REVIEWER, partner_network_id=application.proposing_network_id) & (
            Q(region__isnull=True) | Q(region_id=application.region_id)
        )
    return list(User.objects.filter(condition, is_active=True).order_by("last_name", "first_name"))


def state_counts(qs: QuerySet[Application]) -> dict[str, int]:
    counts = dict(qs.order_by().values_list("state").annotate(n=Count("pk")))
    return {state: counts.get(state, 0) for state in ApplicationState.values}
