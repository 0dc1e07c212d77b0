"""The one table of the moves of an application (``core.workflow``'s shape), and who may take each.

submitted ──start_review──> under_review ──designate | decline | rule_ineligible──> designated | declined | ineligible
submitted ──rule_ineligible──> ineligible                       (close without a full review)
submitted | under_review | correction_requested ──withdraw──> withdrawn        (the applicant, until a decision)
declined | ineligible ──reopen──> under_review                  (a coordinator)

submitted | under_review ──request_correction──> correction_requested  (a reviewer or coordinator: message, date)
correction_requested ──return_correction──> under_review        (the applicant corrected before the date)
correction_requested ──resume──> under_review                   (a reviewer or coordinator takes the examination
                                                                 back up, « Reprendre l’examen », e.g. after the
                                                                 applicant's message or once overdue)
correction_requested ──request_correction──> correction_requested  (asked again, or a new date, e.g. once overdue)
correction_requested ──designate | decline | rule_ineligible──> …   (a coordinator, e.g. overdue, or answered by a
                                                                 message rather than a correction)

Each move is one row of the application's history (``ApplicationStep``), with ``submit`` before them.
"""

from core.workflow import Action, Workflow
from recruitment.enums import ApplicationAction as A
from recruitment.enums import ApplicationState as S

COORDINATOR = "coordinator"  # a coordinator of the application's scope
REVIEWER = "reviewer"  # a reviewer or coordinator of the scope (giving an opinion starts the review)
APPLICANT = "applicant"  # the holder of the private link

EXAMINED = frozenset({S.UNDER_REVIEW, S.CORRECTION_REQUESTED})  # where a decision may be taken
OPEN = frozenset({S.SUBMITTED, S.UNDER_REVIEW, S.CORRECTION_REQUESTED})  # until a decision


def _action(name: A, froms, to: str, who: set[str]) -> Action:
    return Action(name.value, frozenset(froms), to, frozenset(who), name.label)


# Each move by name, where it starts from, where it leads, and who may take it (a COORDINATOR may always take a
# REVIEWER's move: ``also``). CORRECTION_REQUESTED → UNDER_REVIEW is two moves: the applicant's return with the
# correction (before its date), and the team's « Reprendre l’examen » (whatever the date).
WORKFLOW = Workflow.of(
    _action(A.START_REVIEW, {S.SUBMITTED}, S.UNDER_REVIEW, {REVIEWER}),
    _action(A.REQUEST_CORRECTION, OPEN, S.CORRECTION_REQUESTED, {REVIEWER}),
    _action(A.RETURN_CORRECTION, {S.CORRECTION_REQUESTED}, S.UNDER_REVIEW, {APPLICANT}),
    _action(A.RESUME, {S.CORRECTION_REQUESTED}, S.UNDER_REVIEW, {REVIEWER}),
    _action(A.DESIGNATE, EXAMINED, S.DESIGNATED, {COORDINATOR}),
    _action(A.DECLINE, EXAMINED, S.DECLINED, {COORDINATOR}),
    _action(A.RULE_INELIGIBLE, OPEN, S.INELIGIBLE, {COORDINATOR}),
    _action(A.REOPEN, {S.DECLINED, S.INELIGIBLE}, S.UNDER_REVIEW, {COORDINATOR}),
    _action(A.WITHDRAW, OPEN, S.WITHDRAWN, {APPLICANT}),
    also={COORDINATOR: {REVIEWER}},
)

# Decisions: they need a reason and the applicant is told by email.
DECISIONS = {S.DESIGNATED, S.DECLINED, S.INELIGIBLE}
DECISION_ACTIONS = (A.DESIGNATE, A.DECLINE, A.RULE_INELIGIBLE)
FINAL = {S.DESIGNATED, S.WITHDRAWN}
# What the applicant may correct from their private link: the whole application while it is examined (it is what the
# reviewers should judge), and while a correction is requested until its date; once decided or withdrawn, or past
# the date, only their email and phone, since the decision was taken (or is to be taken) on what they sent and the
# record must keep saying what was decided on. See ``correctable_all``.
CORRECTABLE = {S.SUBMITTED, S.UNDER_REVIEW, S.CORRECTION_REQUESTED}
# Where reviewers give opinions: not while the person is correcting (the opinion would judge what is changing).
REVIEWABLE = {S.SUBMITTED, S.UNDER_REVIEW}
CORRECTION = S.CORRECTION_REQUESTED


def may(actor: str | None, action: str, state: str) -> bool:
    """Whether ``actor`` may take ``action`` from ``state`` (a coordinator where a reviewer may: the coordinators
    of the scope give opinions too)."""
    return WORKFLOW.may(actor, action, state)


def decisions_from(state: str) -> list[str]:
    """The coordinator's own moves from ``state`` (decide, reopen), not the reviewers' moves they may also take:
    the choices of the decision form."""
    return [a for a in WORKFLOW.actions_from(state) if COORDINATOR in WORKFLOW[a].who]


def can_resume(state: str, actor: str | None) -> bool:
    """« Reprendre l’examen »: the team takes back up an application waiting for a correction."""
    return actor in {REVIEWER, COORDINATOR} and may(actor, A.RESUME, state)


def correction_open(application, today) -> bool:
    """A correction is requested and its date (included, Paris day) has not passed."""
    return (
        application.state == CORRECTION
        and application.correction_due_on is not None
        and today <= application.correction_due_on
    )


def correction_overdue(application, today) -> bool:
    return application.state == CORRECTION and not correction_open(application, today)


def correctable_all(application, today) -> bool:
    """Whether the applicant may correct the whole application now (else only their email and phone)."""
    if application.state == CORRECTION:
        return correction_open(application, today)
    return application.state in CORRECTABLE
