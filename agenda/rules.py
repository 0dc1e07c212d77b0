"""Who may contribute and moderate events."""


def can_contribute(user) -> bool:
    return user.is_authenticated and (
        user.is_coordinator or (user.is_ambassador and hasattr(user, "ambassador"))
    )


def can_moderate(user, event) -> bool:
    """The coordinators of the event's region (and the national coordination)."""
    if not user.is_authenticated:
        return False
    return user.is_national_coordinator or (
        user.is_regional_coordinator and user.region_id == event.region_id
    )


def publishes_directly(user, event) -> bool:
    """Who publishes ``event`` without moderation, where it lands (its region once placed): the coordinators of that
    region (a regional coordinator's event in another region goes to that region's moderation), and a trusted
    ambassador in the regions of their profile (anywhere for a national profile)."""
    if user.is_national_coordinator:
        return True
    if user.is_regional_coordinator:
        return user.region_id == event.region_id
    ambassador = getattr(user, "ambassador", None) if user.is_ambassador else None
    if not (ambassador and ambassador.is_trusted_contributor):
        return False
    return ambassador.is_national or ambassador.regions.filter(pk=event.region_id).exists()


def source_publishes_directly(source, event) -> bool:
    """An import source publishes its events without moderation if it was set to, and only in its own region (an
    event its feed places elsewhere goes to that region's moderation)."""
    return source.publish_directly and event.region_id == source.default_region_id


def may_be_listed(ambassador, event) -> bool:
    """An ambassador shown as taking part in ``event``: a public profile that acts in the event's region (or a
    national profile). Listing someone of another region would put their name on an event their region's
    coordinators never saw."""
    if ambassador.publication_state != "published":
        return False
    return ambassador.is_national or ambassador.regions.filter(pk=event.region_id).exists()


def can_see_sources(user) -> bool:
    """The calendar import sources' pages: the coordinators (each manages those of their scope:
    ``can_manage_source``)."""
    return bool(getattr(user, "is_authenticated", False) and user.is_coordinator)


def can_manage_source(user, region_code: str | None) -> bool:
    """Import sources: the national coordination any; a regional coordinator those whose default region is theirs."""
    if not user.is_authenticated:
        return False
    return user.is_national_coordinator or (
        user.is_regional_coordinator and region_code is not None and user.region_id == region_code
    )


def can_edit(user, event) -> bool:
    return user.is_authenticated and (event.created_by_id == user.pk or can_moderate(user, event))
