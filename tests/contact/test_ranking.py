"""The ranking on small hand-made cases: plain data, no database. Each test pins one rule of contact/ranking.py."""

from contact.ranking import Candidate, Need, rank, score
from contact.text import stems, words

TOULOUSE = Need(
    region_code="76",
    region_name="Occitanie",
    departement_code="31",
    departement_name="Haute-Garonne",
    sector_code="C",
    sector_label="Industrie manufacturière",
    topic_ids=frozenset({4}),
    question="Nous voulons prévoir les pannes de nos robots de production.",
)
TOPICS = {4: "Production", 7: "Marketing et communication"}


def candidate(pk, **fields) -> Candidate:
    defaults = {"last_name": f"Nom{pk:02d}", "first_name": "Prénom", "region_codes": frozenset({"76"})}
    return Candidate(pk=pk, **{**defaults, **fields})


def names(matches) -> list[int]:
    return [m.candidate.pk for m in matches]


def test_rank_same_departement_before_same_region_before_national():
    region = candidate(1)
    departement = candidate(2, departement_codes=frozenset({"31"}))
    national = candidate(3, region_codes=frozenset(), is_national=True)

    assert names(rank(TOULOUSE, [national, region, departement])) == [2, 1, 3]


def test_rank_leaves_out_ambassadors_of_other_regions():
    assert rank(TOULOUSE, [candidate(1, region_codes=frozenset({"84"}))]) == []


def test_rank_sector_and_topic_beat_proximity():
    nearby_generalist = candidate(1, departement_codes=frozenset({"31"}))
    regional_expert = candidate(2, sector_codes=frozenset({"C"}), topics={4: "Production"})

    matches = rank(TOULOUSE, [nearby_generalist, regional_expert])

    assert names(matches) == [2, 1]
    assert matches[0].reasons == [
        "même région (Occitanie)",
        "secteur Industrie manufacturière",
        "thématique Production",
    ]


def test_rank_words_of_the_question_match_stems_without_accents():
    bio = candidate(1, text="Maintenance prédictive des robots industriels ; pannes évitées.")
    other = candidate(2, text="Communication digitale.")

    match = rank(TOULOUSE, [other, bio])[0]

    assert match.candidate.pk == 1
    assert match.reasons[-1] == "mots de votre question : pannes, robots"
    assert "predict" in stems("prédictive") and stems("prédictive") == stems("predictives")


def test_rank_words_count_at_most_three():
    many = candidate(1, text="prévoir pannes robots production voulons")
    assert score(TOULOUSE, many).score == 20 + 3 * 4


def test_rank_skips_paused_and_full_ambassadors():
    paused = candidate(1, paused=True, departement_codes=frozenset({"31"}))
    full = candidate(2, monthly_limit=3, month_count=3)
    room_left = candidate(3, monthly_limit=3, month_count=2)

    assert names(rank(TOULOUSE, [paused, full, room_left])) == [3]


def test_rank_load_evens_out_equal_candidates():
    busy = candidate(1, open_count=2)
    free = candidate(2, open_count=0)

    matches = rank(TOULOUSE, [busy, free])

    assert names(matches) == [2, 1]
    assert [m.score for m in matches] == [20, 14]


def test_rank_ties_broken_by_name_then_id_whatever_the_input_order():
    a = candidate(5, last_name="Martin")
    b = candidate(3, last_name="Bernard")
    c = candidate(4, last_name="Bernard")

    assert names(rank(TOULOUSE, [a, b, c])) == names(rank(TOULOUSE, [c, a, b])) == [3, 4, 5]


def test_rank_limit():
    assert len(rank(TOULOUSE, [candidate(n) for n in range(1, 10)], limit=5)) == 5


def test_words_drop_stop_words_and_keep_order():
    assert words("Bonjour, nous voulons de l’aide pour l’IA générative !") == ["voulons", "générative"]


def test_rank_ties_fold_accents_and_case_of_last_then_first_name():
    fabre = candidate(1, last_name="Fabre", first_name="Zoé")
    paul = candidate(2, last_name="Éluard", first_name="Paul")
    anne = candidate(3, last_name="eluard", first_name="Anne")
    andre = candidate(4, last_name="ELUARD", first_name="andré")

    # Folded and case-folded: « eluard andre » < « eluard anne » < « eluard paul » < « fabre zoe ».
    assert names(rank(TOULOUSE, [fabre, paul, anne, andre])) == [4, 3, 2, 1]
    assert names(rank(TOULOUSE, [andre, anne, paul, fabre])) == [4, 3, 2, 1]


def test_rank_ties_on_the_same_folded_name_go_by_id():
    assert names(rank(TOULOUSE, [candidate(9, last_name="Dupont"), candidate(7, last_name="DUPONT")])) == [
        7,
        9,
    ]


def test_words_one_per_stem_the_first_written():
    assert words("Des robots, un robot, la robotique") == ["robots"]


def test_rank_a_word_repeated_in_the_question_counts_once():
    need = Need(region_code="76", question="robot robots robotique")

    match = score(need, candidate(1, text="Robots industriels"))

    assert match.score == 20 + 4
    assert match.reasons[-1] == "mots de votre question : robot"


def test_rank_national_ambassador_gets_5_points():
    national = candidate(1, region_codes=frozenset(), is_national=True)

    match = score(Need(region_code="76"), national)

    assert (match.score, match.reasons) == (5, ["ambassadeur national"])


def test_rank_topics_count_at_most_two_but_all_are_shown():
    need = Need(region_code="76", topic_ids=frozenset({1, 2, 3}))
    all_three = candidate(1, topics={1: "Production", 2: "Marketing", 3: "Données"})

    match = score(need, all_three)

    assert match.score == 20 + 2 * 20
    assert match.reasons == [
        "même région",
        "thématique Données",
        "thématique Marketing",
        "thématique Production",
    ]


def test_rank_load_counts_at_most_six_open_requests():
    need = Need(region_code="76")

    assert score(need, candidate(1, open_count=6)).score == 20 - 6 * 3
    assert score(need, candidate(2, open_count=40)).score == 20 - 6 * 3
