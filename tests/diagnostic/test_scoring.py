"""Hand-made answer sets for each of the four profiles, including the two cases named by the issue. Plain data."""

import pytest

from diagnostic.enums import Profile
from diagnostic.scoring import CURRENT, dimension_scores

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
