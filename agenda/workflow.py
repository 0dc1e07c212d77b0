"""The one table of the moves of an event's moderation (``core.workflow``'s shape), and who makes each.

submitted | refused ──publish──> published     (a moderator: a coordinator of the event's region)
submitted | published ──refuse──> refused      (a moderator, with a reason; refusing a published event takes it off
                                                the agenda)
refused ──resubmit──> submitted                (the contributor corrects a refused event)
published ──send_back──> submitted             (the contributor, who does not publish directly where the event lies,
                                                changes what the moderators judged: ``services.moderation_after_change``;
                                                its published version stays public until they decide)

A new event is born submitted, or published when its writer publishes directly (``rules.publishes_directly``,
``rules.source_publishes_directly``): a birth, not a move. The moderators' moves go through
``services.event_transition``; the contributor's two follow from their write (``services.event_save``,
``event_save_by_partner``, the imports). Each move is one row of the event's history (``EventStep``).
"""

from agenda.enums import Moderation as S
from agenda.enums import ModerationAction as A
from core.workflow import Action, Workflow

MODERATOR = "moderator"  # a coordinator of the event's region (``rules.can_moderate``)
CONTRIBUTOR = "contributor"  # who wrote the event: its creator, a partner's key, an import source


def _action(name: A, froms, to: str, who: str) -> Action:
    return Action(name.value, frozenset(froms), to, frozenset({who}), name.label)


WORKFLOW = Workflow.of(
    _action(A.PUBLISH, {S.SUBMITTED, S.REFUSED}, S.PUBLISHED, MODERATOR),
    _action(A.REFUSE, {S.SUBMITTED, S.PUBLISHED}, S.REFUSED, MODERATOR),
    _action(A.RESUBMIT, {S.REFUSED}, S.SUBMITTED, CONTRIBUTOR),
    _action(A.SEND_BACK, {S.PUBLISHED}, S.SUBMITTED, CONTRIBUTOR),
)
# The moderators' decisions, in the order the form offers them.
DECISIONS = (A.PUBLISH, A.REFUSE)
