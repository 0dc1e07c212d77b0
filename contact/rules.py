"""Who may act on a company request, who writes in its thread, and who sees whose email and phone."""

from contact import workflow
from contact.enums import RequestState, Side


def can_see_inbox(user) -> bool:
    """The requests' inbox: the coordinators and the ambassadors (each sees their scope:
    ``selectors.requests_for_user``)."""
    return bool(getattr(user, "is_authenticated", False) and (user.is_coordinator or user.is_ambassador))


def can_set_availability(user) -> bool:
    """An ambassador with a profile says when they are available (``ambassadors.services.ambassador_availability_set``)."""
    return bool(
        getattr(user, "is_authenticated", False) and user.is_ambassador and hasattr(user, "ambassador")
    )


def is_assignee(user, request) -> bool:
    """The ambassador the request is with, unless they said « Ce n’est pas pour moi » (``declined_at`` is set only
    while the request waits, with them, for the coordination to hand it on)."""
    return (
        user.is_authenticated
        and user.is_ambassador
        and getattr(getattr(user, "ambassador", None), "pk", None) == request.ambassador_id
        and request.declined_at is None
    )


def is_region_coordinator(user, request) -> bool:
    return user.is_authenticated and (
        user.is_national_coordinator or (user.is_regional_coordinator and user.region_id == request.region_id)
    )


def actor_of(user, request) -> str | None:
    """What ``user`` is for the table of moves on this request (None: nothing; a role is never both)."""
    if is_region_coordinator(user, request):
        return workflow.COORDINATOR
    if is_assignee(user, request):
        return workflow.ASSIGNEE
    return None


def can_act(user, request, action: str) -> bool:
    """Whether the move is ``user``'s on this request (whatever its state: ``workflow.WORKFLOW`` judges that).
    Nobody asks for the platform's ``route``."""
    actor = actor_of(user, request)
    if action == "close" and actor == workflow.ASSIGNEE and request.state in workflow.NOT_TAKEN:
        # An ambassador closes only what they took: a request they will not answer is « Ce n’est pas pour moi »,
        # which hands it on, never a closing that leaves the company without an answer.
        return False
    return workflow.WORKFLOW.holds(actor, action)


def thread_open(request) -> bool:
    """Messages may be written until the request is closed (or its data erased)."""
    return request.state != RequestState.CLOSED and request.anonymised_at is None


def can_write(user, request) -> bool:
    """The assignee and the coordinators of the request's region write to the company from the detail page."""
    return thread_open(request) and (is_assignee(user, request) or is_region_coordinator(user, request))


def side_of(user, request) -> str:
    return Side.AMBASSADOR if is_assignee(user, request) else Side.COORDINATOR


def can_share_own_contact(user, request) -> bool:
    """Only the assignee chooses to show their own address and phone to the company."""
    return is_assignee(user, request) and thread_open(request)


def sees_contact_details(user, request) -> bool:
    """The company's email and phone. The coordinators who follow the request up (of its region, or national)
    see them as long as they are kept. The ambassador it is with sees them only if the company chose so on the
    contact form (``company_shares_contact``), and until it is closed; otherwise they write through the thread. A
    former assignee does not see the request at all (``selectors.requests_for_user``)."""
    if is_region_coordinator(user, request):
        return True
    return (
        is_assignee(user, request) and request.company_shares_contact and request.state != RequestState.CLOSED
    )


def company_sees_ambassador_contact(request) -> bool:
    """The ambassador's address and phone, on the company's private page: only if the ambassador chose so for this
    request, and until it is closed."""
    return request.ambassador_shares_contact and thread_open(request) and request.declined_at is None
