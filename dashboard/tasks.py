"""Background work of the steering page (Django's ``django.tasks``). Thin: the rules are in ``dashboard.tallies``
and ``dashboard.views.page_figures``."""

from django.tasks import task

from dashboard import tallies


@task
def refresh_tallies() -> dict:
    """Queued by a page that found the tallies stale: the pre-aggregated counts of events rebuilt."""
    return tallies.refresh_if_moved()


def coordination_scopes() -> list:
    """The scopes of the coordinations' pages: national, and each region that has an active regional
    coordinator."""
    from accounts.enums import Role
    from accounts.models import User
    from accounts.scope import Scope as Access
    from dashboard.selectors import Scope

    regions = (
        User.objects.filter(role=Role.REGIONAL_COORDINATOR, is_active=True, region_id__isnull=False)
        .order_by("region_id")
        .values_list("region_id", flat=True)
        .distinct()
    )
    return [Scope(Access(everything=True)), *(Scope(Access(region_code=code)) for code in regions)]


def refresh_figures_now() -> dict:
    """Every minute: the tallies rebuilt when the events moved, then the coordinations' pages computed again
    (national, and each region with a regional coordinator), so a coordinator opens a page the worker has just
    computed instead of waiting for it (150 to 190 ms for the national page on the bench data)."""
    from dashboard.views import page_figures  # the page's HTML is the web layer's

    result = tallies.refresh_if_moved()
    scopes = coordination_scopes()
    for scope in scopes:
        page_figures(scope, True, renew=True)
    return {**result, "pages": len(scopes)}


@task
def refresh_figures() -> dict:
    return refresh_figures_now()
