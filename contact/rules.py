"""Who may act on a company request, and who sees the company's email and phone."""

from contact import workflow
from contact.enums import RequestState


def is_assignee(user, request) -> bool:
    return (
        user.is_authenticated
        and user.is_ambassador
        and getattr(getattr(user, "ambassador", None), "pk", None) == request.ambassador_id
    )


def is_region_coordinator(user, request) -> bool:
    return user.is_authenticated and (
        user.is_national_coordinator or (user.is_regional_coordinator and user.region_id == request.region_id)
    )


def can_act(user, request, action: str) -> bool:
    who = workflow.TRANSITIONS[action][2]
    if who == workflow.ASSIGNEE:
        return is_assignee(user, request)
    if who == workflow.COORDINATOR:
        return is_region_coordinator(user, request)
    return is_assignee(user, request) or is_region_coordinator(user, request)


def sees_contact_details(user, request) -> bool:
    """The company's email and phone. The coordinators who follow the request up (of its region, or national)
    see them as long as they are kept. The ambassador it is with sees them until it is closed: they need them to
    answer, not afterwards (and the closing email asks the company, not them, for the follow-up). A former
    assignee does not see the request at all (``selectors.requests_for_user``)."""
    if is_region_coordinator(user, request):
        return True
    return is_assignee(user, request) and request.state != RequestState.CLOSED
