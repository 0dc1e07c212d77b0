"""The one table of allowed transitions of an application, and who may take each.

submitted ──> under_review ──> designated | declined | ineligible
    │   └──────────────────────────────────────────> ineligible   (close without a full review)
    └──> withdrawn <── under_review                                (the applicant, until a decision)
declined | ineligible ──> under_review                             (reopened by a coordinator)

submitted | under_review ──> correction_requested                  (a reviewer or coordinator: message and date)
correction_requested ──> under_review                              (the applicant corrected before the date; or a
                                                                    reviewer or coordinator takes the examination
                                                                    back up, « Reprendre l’examen », e.g. after the
                                                                    applicant's message or once overdue)
correction_requested ──> correction_requested                      (asked again, or a new date, e.g. once overdue)
correction_requested ──> designated | declined | ineligible        (a coordinator, e.g. overdue, or answered by a
                                                                    message rather than a correction)
correction_requested ──> withdrawn                                 (the applicant, until a decision)
"""

from recruitment.enums import ApplicationState as S

COORDINATOR = "coordinator"  # a coordinator of the application's scope
REVIEWER = "reviewer"  # a reviewer or coordinator of the scope (giving an opinion starts the review)
APPLICANT = "applicant"  # the holder of the private link

# Each move, and the set of actors who may take it (a COORDINATOR may always take a REVIEWER's move: see ``may``).
TRANSITIONS: dict[tuple[str, str], frozenset[str]] = {
    (S.SUBMITTED, S.UNDER_REVIEW): frozenset({REVIEWER}),
    (S.SUBMITTED, S.INELIGIBLE): frozenset({COORDINATOR}),
    (S.UNDER_REVIEW, S.DESIGNATED): frozenset({COORDINATOR}),
    (S.UNDER_REVIEW, S.DECLINED): frozenset({COORDINATOR}),
    (S.UNDER_REVIEW, S.INELIGIBLE): frozenset({COORDINATOR}),
    (S.DECLINED, S.UNDER_REVIEW): frozenset({COORDINATOR}),
    (S.INELIGIBLE, S.UNDER_REVIEW): frozenset({COORDINATOR}),
    (S.SUBMITTED, S.WITHDRAWN): frozenset({APPLICANT}),
    (S.UNDER_REVIEW, S.WITHDRAWN): frozenset({APPLICANT}),
    (S.SUBMITTED, S.CORRECTION_REQUESTED): frozenset({REVIEWER}),
    (S.UNDER_REVIEW, S.CORRECTION_REQUESTED): frozenset({REVIEWER}),
    (S.CORRECTION_REQUESTED, S.CORRECTION_REQUESTED): frozenset({REVIEWER}),
    (S.CORRECTION_REQUESTED, S.UNDER_REVIEW): frozenset({APPLICANT, REVIEWER}),
    (S.CORRECTION_REQUESTED, S.DESIGNATED): frozenset({COORDINATOR}),
    (S.CORRECTION_REQUESTED, S.DECLINED): frozenset({COORDINATOR}),
    (S.CORRECTION_REQUESTED, S.INELIGIBLE): frozenset({COORDINATOR}),
    (S.CORRECTION_REQUESTED, S.WITHDRAWN): frozenset({APPLICANT}),
}

# Decisions: they need a reason and the applicant is told by email.
DECISIONS = {S.DESIGNATED, S.DECLINED, S.INELIGIBLE}
REOPEN = S.UNDER_REVIEW
FINAL = {S.DESIGNATED, S.WITHDRAWN}
# What the applicant may correct from their private link: the whole application while it is examined (it is what the
# reviewers should judge), and while a correction is requested until its date; once decided or withdrawn, or past
# the date, only their email and phone, since the decision was taken (or is to be taken) on what they sent and the
# record must keep saying what was decided on. See ``correctable_all``.
CORRECTABLE = {S.SUBMITTED, S.UNDER_REVIEW, S.CORRECTION_REQUESTED}
# Where reviewers give opinions: not while the person is correcting (the opinion would judge what is changing).
REVIEWABLE = {S.SUBMITTED, S.UNDER_REVIEW}
CORRECTION = S.CORRECTION_REQUESTED
RESUME = S.UNDER_REVIEW  # from CORRECTION: the applicant's return, or the team's « Reprendre l’examen »


def actors_for(state: str, to: str) -> frozenset[str]:
    """Who may move an application from ``state`` to ``to`` (empty: no such move)."""
    return TRANSITIONS.get((state, to), frozenset())


def may(actor: str | None, state: str, to: str) -> bool:
    """Whether ``actor`` may take the move: one of its actors, or a coordinator where a reviewer may (the
    coordinators of the scope give opinions too)."""
    who = actors_for(state, to)
    return actor in who or (actor == COORDINATOR and REVIEWER in who)


def allowed_targets(state: str, actor: str) -> list[str]:
    """The moves listed for ``actor`` by name (a coordinator's decisions, not the reviewers' moves they may also
    take)."""
    return [to for (frm, to), who in TRANSITIONS.items() if frm == state and actor in who]


def can_resume(state: str, actor: str | None) -> bool:
    """« Reprendre l’examen »: the team takes back up an application waiting for a correction."""
    return state == CORRECTION and actor in {REVIEWER, COORDINATOR} and may(actor, state, RESUME)


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
