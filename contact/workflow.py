"""The one table of allowed moves of a company request, and who may make each.

new ──take──> taken ──answer──> answered ──close──> closed
new | taken | reassigned ──reassign──> reassigned   (a coordinator hands it to another ambassador)
reassigned ──take──> taken                          (the new ambassador takes it)
any open state ──close (with a reason)──> closed
"""

from contact.enums import RequestState as S

ASSIGNEE = "assignee"  # the ambassador the request is with
COORDINATOR = "coordinator"  # a coordinator of the request's region (or the national coordination)
EITHER = "either"

# action: (states it starts from, state it leads to, who)
TRANSITIONS: dict[str, tuple[frozenset[str], str, str]] = {
    "take": (frozenset({S.NEW, S.REASSIGNED}), S.TAKEN, ASSIGNEE),
    "answer": (frozenset({S.TAKEN}), S.ANSWERED, ASSIGNEE),
    "reassign": (frozenset({S.NEW, S.TAKEN, S.REASSIGNED}), S.REASSIGNED, COORDINATOR),
    "close": (frozenset({S.NEW, S.TAKEN, S.ANSWERED, S.REASSIGNED}), S.CLOSED, EITHER),
}


def allowed(action: str, state: str) -> bool:
    return action in TRANSITIONS and state in TRANSITIONS[action][0]


def actions_from(state: str) -> list[str]:
    return [action for action, (starts, _, _) in TRANSITIONS.items() if state in starts]
