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


def publishes_directly(user) -> bool:
    """Coordinators and trusted ambassadors publish without moderation."""
    if user.is_coordinator:
        return True
    ambassador = getattr(user, "ambassador", None) if user.is_ambassador else None
    return bool(ambassador and ambassador.is_trusted_contributor)


def can_edit(user, event) -> bool:
    return user.is_authenticated and (event.created_by_id == user.pk or can_moderate(user, event))
