"""The one table of the moves of a company request (``core.workflow``'s shape), and who may make each.

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
from contact.enums import StepAction
from core.workflow import Action, Workflow

ASSIGNEE = "assignee"  # the ambassador the request is with
COORDINATOR = "coordinator"  # a coordinator of the request's region (or the national coordination)
PLATFORM = "platform"  # the platform itself, right after a decline
# The states where the assignee has not taken the request: they take it or hand it on, they do not close it.
NOT_TAKEN = frozenset({S.NEW, S.REASSIGNED})
OPEN = frozenset({S.NEW, S.TAKEN, S.REASSIGNED})


def _action(name: str, froms, to: str | None, who: set[str], step: StepAction) -> Action:
    return Action(name, frozenset(froms), to, frozenset(who), step.label)


# Each move by name: the states it starts from, the state it leads to (None: stays where it is), who makes it; its
# label is the one of its row in the history (``RequestStep``).
WORKFLOW = Workflow.of(
    _action("take", NOT_TAKEN, S.TAKEN, {ASSIGNEE}, StepAction.TAKEN),
    _action("answer", {S.TAKEN}, S.ANSWERED, {ASSIGNEE}, StepAction.ANSWERED),
    _action("reassign", OPEN, S.REASSIGNED, {COORDINATOR}, StepAction.REASSIGNED),
    _action("decline", OPEN, None, {ASSIGNEE}, StepAction.DECLINED),
    _action("route", OPEN, S.REASSIGNED, {PLATFORM}, StepAction.ROUTED),
    # The assignee closes only once they took it (``rules.can_act``).
    _action("close", OPEN | {S.ANSWERED}, S.CLOSED, {ASSIGNEE, COORDINATOR}, StepAction.CLOSED),
)
