"""Who may do what to an ambassador profile. Reads come through ``selectors.ambassadors_for_user`` (scope);
these functions answer for actions on an object already in scope."""

from ambassadors.models import Ambassador


def _region_codes(ambassador: Ambassador) -> set[str]:
    return {r.code for r in ambassador.regions.all()}


def coordinator_covers(user, ambassador: Ambassador) -> bool:
    """A national coordinator covers everyone; a regional coordinator covers the ambassadors of their region."""
    if not user.is_authenticated:
        return False
    if user.is_national_coordinator:
        return True
    if user.is_regional_coordinator:
        return user.region_id in _region_codes(ambassador)
    return False


def can_publish(user, ambassador: Ambassador) -> bool:
    return coordinator_covers(user, ambassador)


def can_set_trust(user, ambassador: Ambassador) -> bool:
    """A trusted contributor publishes events without moderation: the coordination that publishes the profile
    decides it."""
    return coordinator_covers(user, ambassador)


def can_edit(user, ambassador: Ambassador) -> bool:
    """The person themself, or a coordinator of their scope."""
    if not user.is_authenticated:
        return False
    return ambassador.user_id == user.pk or coordinator_covers(user, ambassador)


def can_edit_territory(user, ambassador: Ambassador) -> bool:
    """Where an ambassador acts (regions, départements) is the coordination’s choice, not the person’s: it decides
    which coordinators answer for them and which region pages list them."""
    return coordinator_covers(user, ambassador)


def territory_change_allowed(user, ambassador: Ambassador, *, regions_changed, departements_changed) -> bool:
    """The target of a write stays in the writer's scope: a regional coordinator neither adds a region (it would
    make the ambassador another region's) nor removes one (their own would move the ambassador out of their
    scope; another belongs to that region's coordination), and changes only the départements of their own region.
    The national coordination changes anything. ``*_changed``: what the edit adds or removes."""
    if not can_edit_territory(user, ambassador):
        return False
    if user.is_national_coordinator:
        return True
    return not regions_changed and all(d.region_id == user.region_id for d in departements_changed)


def can_give_consent(user, ambassador: Ambassador) -> bool:
    """Consent is personal: only the person, from their own account, gives or withdraws it."""
    return user.is_authenticated and ambassador.user_id == user.pk


def can_end_mandate(user, ambassador: Ambassador) -> bool:
    """Ending a mandate is the coordination's decision, as publishing is; it leads to erasure everywhere, so a
    regional coordinator ends only the mandate of an ambassador of their region alone (one who also acts in
    another region, or a national profile, is the national coordination's decision)."""
    if not coordinator_covers(user, ambassador):
        return False
    return user.is_national_coordinator or _region_codes(ambassador) == {user.region_id}


def can_request_erasure(user, ambassador: Ambassador) -> bool:
    """Erasure is the person's right: only they ask it, from their own account."""
    return user.is_authenticated and ambassador.user_id == user.pk


def can_ask_territory_change(user, ambassador: Ambassador) -> bool:
    """The person asks; the coordination decides (``can_edit_territory``)."""
    return can_request_erasure(user, ambassador)


def can_preview(user, ambassador: Ambassador) -> bool:
    """The public page before it is public: for the person (before consenting) and for the coordinators who decide
    its publication. Not for a reviewer: the profile is not theirs to publish."""
    return can_give_consent(user, ambassador) or can_publish(user, ambassador)


def can_set_availability(user, ambassador: Ambassador) -> bool:
    """Pausing requests, a monthly maximum, an absence: the person's own choice, from their account."""
    return user.is_authenticated and user.is_ambassador and ambassador.user_id == user.pk
