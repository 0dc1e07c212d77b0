"""The one table of allowed moves of a company request, and who may make each.

new ──take──> taken ──answer──> answered ──close──> closed
new | taken | reassigned ──reassign──> reassigned   (a coordinator hands it to another ambassador)
reassigned ──take──> taken                          (the new ambassador takes it)
any open state ──close (with a reason)──> closed    (the coordinators; the assignee only once taken)
new | taken | reassigned ──decline──> (same state)  (« Ce n’est pas pour moi », with a reason; then the platform
                                                     routes it to the next best available ambassador, never one
                                                     who declined it, or, if nobody fits, the region’s
                                                     coordinators are alerted and it shows in their « sans
                                                     réponse » list until they hand it on)

A message from the assignee on a request not yet taken takes it first (``take``, then the message): writing to the
company is taking charge of it.

``route`` is made by the platform only (``PLATFORM``: no person may ask for it). Other moves made by the platform
itself are not in the table: an open request with nothing happening
for six months is closed as « sans suite » (``services.requests_anonymise_expired``), and erasure closes an open
request (``services.request_erase``).
"""

from contact.enums import RequestState as S

ASSIGNEE = "assignee"  # the ambassador the request is with
COORDINATOR = "coordinator"  # a coordinator of the request's region (or the national coordination)
EITHER = "either"
PLATFORM = "platform"  # the platform itself, right after a decline
# The states where the assignee has not taken the request: they take it or hand it on, they do not close it.
NOT_TAKEN = frozenset({S.NEW, S.REASSIGNED})

# action: (states it starts from, state it leads to (None: stays where it is), who)
TRANSITIONS: dict[str, tuple[frozenset[str], str | None, str]] = {
    "take": (frozenset({S.NEW, S.REASSIGNED}), S.TAKEN, ASSIGNEE),
    "answer": (frozenset({S.TAKEN}), S.ANSWERED, ASSIGNEE),
    "reassign": (frozenset({S.NEW, S.TAKEN, S.REASSIGNED}), S.REASSIGNED, COORDINATOR),
    "decline": (frozenset({S.NEW, S.TAKEN, S.REASSIGNED}), None, ASSIGNEE),
    "route": (frozenset({S.NEW, S.TAKEN, S.REASSIGNED}), S.REASSIGNED, PLATFORM),
    "close": (frozenset({S.NEW, S.TAKEN, S.ANSWERED, S.REASSIGNED}), S.CLOSED, EITHER),
}


def allowed(action: str, state: str) -> bool:
    return action in TRANSITIONS and state in TRANSITIONS[action][0]


def actions_from(state: str) -> list[str]:
    return [action for action, (starts, _, _) in TRANSITIONS.items() if state in starts]
