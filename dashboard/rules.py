"""Who sees the steering page and who sets the targets. What each one sees is their back office's scope
(``accounts.scope.scope_for``, through ``selectors.scope_for``)."""


def can_view(user) -> bool:
    """Coordinators (national, regional) and the reviewers of the partner networks."""
    return user.is_authenticated and (user.is_coordinator or user.is_reviewer)


def can_set_targets(user) -> bool:
    """The regional targets are the national coordination's decision."""
    return user.is_authenticated and user.is_national_coordinator
