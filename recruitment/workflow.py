"""The one table of allowed transitions of an application, and who may take each.

submitted ──> under_review ──> designated | declined | ineligible
    │   └──────────────────────────────────────────> ineligible   (close without a full review)
    └──> withdrawn <── under_review                                (the applicant, until a decision)
declined | ineligible ──> under_review                             (reopened by a coordinator)

submitted | under_review ──> correction_requested                  (a reviewer or coordinator: message and date)
correction_requested ──> under_review                              (the applicant corrected before the date)
correction_requested ──> correction_requested                      (asked again, or a new date, e.g. once overdue)
correction_requested ──> designated | declined | ineligible        (a coordinator, e.g. overdue, or answered by a
                                                                    message rather than a correction)
correction_requested ──> withdrawn                                 (the applicant, until a decision)
"""

from recruitment.enums import ApplicationState as S

COORDINATOR = "coordinator"  # a coordinator of the application's scope
REVIEWER = "reviewer"  # a reviewer or coordinator of the scope (giving an opinion starts the review)
APPLICANT = "applicant"  # the holder of the private link

TRANSITIONS: dict[tuple[str, str], str] = {
    (S.SUBMITTED, S.UNDER_REVIEW): REVIEWER,
    (S.SUBMITTED, S.INELIGIBLE): COORDINATOR,
    (S.UNDER_REVIEW, S.DESIGNATED): COORDINATOR,
    (S.UNDER_REVIEW, S.DECLINED): COORDINATOR,
    (S.UNDER_REVIEW, S.INELIGIBLE): COORDINATOR,
    (S.DECLINED, S.UNDER_REVIEW): COORDINATOR,
    (S.INELIGIBLE, S.UNDER_REVIEW): COORDINATOR,
    (S.SUBMITTED, S.WITHDRAWN): APPLICANT,
    (S.UNDER_REVIEW, S.WITHDRAWN): APPLICANT,
    (S.SUBMITTED, S.CORRECTION_REQUESTED): REVIEWER,
    (S.UNDER_REVIEW, S.CORRECTION_REQUESTED): REVIEWER,
    (S.CORRECTION_REQUESTED, S.CORRECTION_REQUESTED): REVIEWER,
    (S.CORRECTION_REQUESTED, S.UNDER_REVIEW): APPLICANT,
    (S.CORRECTION_REQUESTED, S.DESIGNATED): COORDINATOR,
    (S.CORRECTION_REQUESTED, S.DECLINED): COORDINATOR,
    (S.CORRECTION_REQUESTED, S.INELIGIBLE): COORDINATOR,
    (S.CORRECTION_REQUESTED, S.WITHDRAWN): APPLICANT,
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


def allowed_targets(state: str, actor: str) -> list[str]:
    return [to for (frm, to), who in TRANSITIONS.items() if frm == state and who == actor]


def actor_for(state: str, to: str) -> str | None:
    return TRANSITIONS.get((state, to))


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
