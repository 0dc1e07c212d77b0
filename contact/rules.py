"""Who may act on a company request."""

from contact import workflow


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
    """The company's email and phone: for the ambassador it was sent to (the company consented to that) and the
    region's coordinators who follow it up. Not for a former assignee after reassignment."""
    return is_assignee(user, request) or is_region_coordinator(user, request)
