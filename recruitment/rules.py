"""Who may do what to an application already in one's scope (see selectors.applications_for_user)."""


def can_see_applications(user) -> bool:
    """The applications' queue and its exports: the coordinators and the partner networks' reviewers (each sees
    their scope: ``selectors.applications_for_user``)."""
    return bool(getattr(user, "is_authenticated", False) and (user.is_coordinator or user.is_reviewer))


def can_decide_in_bulk(user) -> bool:
    """The bulk decisions of the queue: the coordinators (each on the applications of their scope)."""
    return bool(getattr(user, "is_authenticated", False) and user.is_coordinator)


def in_coordinator_scope(user, application) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_national_coordinator:
        return True
    return user.is_regional_coordinator and application.region_id == user.region_id


def can_decide(user, application) -> bool:
    """Only coordinators of the scope decide (designate, decline, close as ineligible, reopen)."""
    return in_coordinator_scope(user, application)


def can_review(user, application) -> bool:
    """Reviewers of the application's network/region and coordinators of its scope give opinions."""
    if not user.is_authenticated:
        return False
    if in_coordinator_scope(user, application):
        return True
    if not user.is_reviewer or application.proposing_network_id != user.partner_network_id:
        return False
    return user.region_id is None or user.region_id == application.region_id


def sees_all_reviews(user, application, has_reviewed: bool) -> bool:
    """A reviewer sees the others' opinions once they gave their own; coordinators, who decide, see them all."""
    return can_decide(user, application) or has_reviewed


def can_manage_calls(user) -> bool:
    return user.is_authenticated and user.is_national_coordinator


def can_request_correction(user, application) -> bool:
    """Whoever gives opinions on the application may send it back to the person for a correction."""
    return can_review(user, application)


def can_message(user, application) -> bool:
    """The reviewers and coordinators of the scope write to the applicant, in the application's exchange."""
    return can_review(user, application)
