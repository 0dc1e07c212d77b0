"""Hand-made answer sets for each of the four profiles, including the two cases named by the issue. Plain data."""

import pytest

from diagnostic.enums import Profile
from diagnostic.scoring import CURRENT, INNOVATEUR_2026_2, VERSIONS, dimension_scores

NOTHING = {q.key: "0" for q in CURRENT.questions} | {"frein": "rien"}


def answers(**overrides) -> dict[str, str]:
    return NOTHING | {k: str(v) for k, v in overrides.items()}


INNOVATEUR = answers(
    impact=3, gains=3, feuille_de_route=3, donnees=3, numerisation=3, connaissance=3, formation=2,
    ia_generative=3, processus=3, outils=3, budget=2, accompagnement=2, frein="confiance",
)  # fmt: skip
# « We use ChatGPT a bit, no strategy »: free tools, each on their own, nothing in the processes.
CHATGPT_A_BIT = answers(
    impact=2, gains=1, feuille_de_route=0, donnees=1, numerisation=1, connaissance=1, formation=0,
    ia_generative=1, processus=0, outils=1, budget=0, accompagnement=1, frein="formation",
)  # fmt: skip
# A traditional firm: little digitalisation, negligible impact expected, no use of generative AI.
SCEPTIQUE = answers(
    impact=0, gains=1, feuille_de_route=0, donnees=0, numerisation=1, connaissance=1, formation=0,
    ia_generative=0, processus=0, outils=0, budget=0, accompagnement=1, frein="interet",
)  # fmt: skip
# « Sees the value but has no one to help »: high perception, no use, no support.
NO_ONE_TO_HELP = answers(
    impact=3, gains=2, feuille_de_route=1, donnees=2, numerisation=2, connaissance=1, formation=0,
    ia_generative=0, processus=0, outils=0, budget=1, accompagnement=0, frein="accompagnement",
)  # fmt: skip


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (INNOVATEUR, Profile.INNOVATEUR),
        (CHATGPT_A_BIT, Profile.EXPERIMENTATEUR),
        (SCEPTIQUE, Profile.SCEPTIQUE),
        (NO_ONE_TO_HELP, Profile.BLOQUE),
    ],
    ids=["innovateur", "chatgpt-un-peu-sans-strategie", "sceptique", "voit-la-valeur-personne-pour-aider"],
)
def test_hand_made_answers_give_their_profile(given, expected):
    assert CURRENT.evaluate(given).profile == expected


def test_profiles_are_not_a_total_bloque_can_score_higher_than_experimentateur():
    bloque, experimentateur = CURRENT.evaluate(NO_ONE_TO_HELP), CURRENT.evaluate(CHATGPT_A_BIT)

    assert sum(bloque.scores.values()) > sum(experimentateur.scores.values())
    assert (bloque.profile, experimentateur.profile) == (Profile.BLOQUE, Profile.EXPERIMENTATEUR)


def test_same_low_uses_split_by_perception_into_sceptique_and_bloque():
    sees_value = answers(impact=3, gains=2, frein="competences")
    does_not = answers(impact=1, gains=1, frein="competences")

    assert CURRENT.evaluate(sees_value).profile == Profile.BLOQUE
    assert CURRENT.evaluate(does_not).profile == Profile.SCEPTIQUE


def test_no_interest_as_main_obstacle_makes_a_non_user_sceptique_even_with_some_perception():
    assert CURRENT.evaluate(answers(impact=2, gains=2, frein="interet")).profile == Profile.SCEPTIQUE


def test_advanced_uses_without_strategy_stay_experimentateur():
    advanced_uses = INNOVATEUR | {"feuille_de_route": "0", "impact": "1", "gains": "1"}

    assert CURRENT.evaluate(advanced_uses).profile == Profile.EXPERIMENTATEUR


def test_dimension_scores_are_0_to_100_per_dimension():
    assert dimension_scores(CURRENT.questions, NOTHING) == {
        "strategie": 0, "donnees": 0, "competences": 0, "usages": 0, "moyens": 0
    }  # fmt: skip
    top = {q.key: "3" for q in CURRENT.questions} | {"frein": "rien"}
    assert set(dimension_scores(CURRENT.questions, top).values()) == {100}
    # Strategy: impact 3 + gains 2 + roadmap 1 = 6 of 9 points.
    assert dimension_scores(CURRENT.questions, NO_ONE_TO_HELP)["strategie"] == 67


def test_questionnaire_has_12_to_16_questions_with_context_on_five_dimensions():
    assert 12 <= len(CURRENT.questions) + 3 <= 16
    assert {q.dimension for q in CURRENT.questions} - {None} == {
        "strategie", "donnees", "competences", "usages", "moyens"
    }  # fmt: skip


def test_unknown_answer_is_refused():
    with pytest.raises(ValueError):
        CURRENT.evaluate(NOTHING | {"impact": "9"})


# Version 2026-2: the profile is read from the answers that define it (docs/diagnostic.md), with its boundaries.
V2026_1, V2026_2 = VERSIONS["2026-1"], VERSIONS["2026-2"]
# Each condition of an innovateur exactly at its minimum (the third answer of four).
INNOVATEUR_AT_MINIMUM = answers(
    impact=1, gains=1, processus=2, feuille_de_route=2, connaissance=2, formation=2, numerisation=2, donnees=2,
    ia_generative=0, outils=0,
)  # fmt: skip


def test_current_version_is_2026_2_and_2026_1_is_kept_for_stored_results():
    assert CURRENT is V2026_2
    assert V2026_2.questions == V2026_1.questions  # only the rules changed


def test_perception_and_chat_tools_without_roadmap_nor_ai_in_processes_is_no_longer_innovateur():
    # The review's case: strategy 56 (impact 3 + gains 2 + roadmap 0), uses 67 (chat tools 3, processes 0, tools 3).
    leader = answers(impact=3, gains=2, feuille_de_route=0, ia_generative=3, processus=0, outils=3,
                     connaissance=2, formation=1, donnees=2, numerisation=2)  # fmt: skip

    assert V2026_1.evaluate(leader).profile == Profile.INNOVATEUR
    assert V2026_2.evaluate(leader).profile == Profile.EXPERIMENTATEUR


def test_innovateur_at_the_minimum_of_every_condition():
    outcome = V2026_2.evaluate(INNOVATEUR_AT_MINIMUM)

    assert outcome.profile == Profile.INNOVATEUR
    assert "vous avez fixé des objectifs pour l’IA" in outcome.reasons


@pytest.mark.parametrize("key", [key for key, _, _ in INNOVATEUR_2026_2])
def test_one_answer_below_an_innovateur_condition_makes_an_experimentateur(key):
    below = INNOVATEUR_AT_MINIMUM | {key: "1"}

    assert V2026_2.evaluate(below).profile == Profile.EXPERIMENTATEUR


@pytest.mark.parametrize(("key", "value"), [("ia_generative", 1), ("processus", 1)])
def test_any_use_of_ai_makes_an_experimentateur_whatever_the_perception(key, value):
    outcome = V2026_2.evaluate(answers(frein="interet", **{key: value}))

    assert outcome.profile == Profile.EXPERIMENTATEUR
    assert "vous utilisez déjà l’IA, au moins à l’essai" in outcome.reasons


def test_experimentateur_without_tools_is_not_told_it_uses_market_tools():
    with_tools = V2026_2.evaluate(CHATGPT_A_BIT).reasons
    without_tools = V2026_2.evaluate(CHATGPT_A_BIT | {"outils": "0"}).reasons

    assert "avec des outils gratuits ou du marché" in with_tools
    assert "avec des outils gratuits ou du marché" not in without_tools


@pytest.mark.parametrize(
    ("gains", "impact", "frein", "expected"),
    [
        (0, 3, "competences", Profile.SCEPTIQUE),  # no gain seen, even with a decisive effect on the sector
        (1, 1, "competences", Profile.SCEPTIQUE),  # « peut-être » and a limited effect
        (1, 2, "competences", Profile.BLOQUE),  # « peut-être » and an important effect
        (2, 0, "cout", Profile.BLOQUE),  # some gains seen
        (3, 3, "interet", Profile.SCEPTIQUE),  # the lack of interest is the obstacle answered
        (3, 3, "rien", Profile.BLOQUE),
    ],
)
def test_non_users_split_by_the_gains_they_see(gains, impact, frein, expected):
    assert V2026_2.evaluate(answers(gains=gains, impact=impact, frein=frein)).profile == expected


def test_tools_answered_without_any_use_is_not_a_use():
    assert V2026_2.evaluate(answers(outils=1, gains=0)).profile == Profile.SCEPTIQUE


def test_bloque_reasons_name_the_obstacle_and_the_lack_of_support():
    reasons = V2026_2.evaluate(answers(gains=2, frein="formation", accompagnement=0)).reasons

    assert reasons[-2:] == ["faute de formation", "et vous ne savez pas à qui vous adresser"]
    assert V2026_2.evaluate(NO_ONE_TO_HELP).reasons[-1] == "faute d’accompagnement"
