"""The one table of allowed transitions of an application, and who may take each.

submitted ──> under_review ──> designated | declined | ineligible
    │   └──────────────────────────────────────────> ineligible   (close without a full review)
    └──> withdrawn <── under_review                                (the applicant, until a decision)
declined | ineligible ──> under_review                             (reopened by a coordinator)
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
}

# Decisions: they need a reason and the applicant is told by email.
DECISIONS = {S.DESIGNATED, S.DECLINED, S.INELIGIBLE}
REOPEN = S.UNDER_REVIEW
FINAL = {S.DESIGNATED, S.WITHDRAWN}
# What the applicant may correct from their private link: the whole application while it is examined (it is what the
# reviewers should judge); once decided or withdrawn only their email and phone, since the decision was taken on
# what they sent and the record must keep saying what was decided on.
CORRECTABLE = {S.SUBMITTED, S.UNDER_REVIEW}


def allowed_targets(state: str, actor: str) -> list[str]:
    return [to for (frm, to), who in TRANSITIONS.items() if frm == state and who == actor]


def actor_for(state: str, to: str) -> str | None:
    return TRANSITIONS.get((state, to))
