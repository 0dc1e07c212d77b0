"""Which ambassadors fit a company’s need, best first, and why. One deterministic function, ``rank``, on plain
data (no database): the selector ``contact.selectors.ambassadors_for_need`` builds the candidates.

The score adds up, for each published ambassador of the company’s region or of the national network:

==========================================  ==========  ===================================================
criterion                                   points      reason shown
==========================================  ==========  ===================================================
covers the company’s département              + 30      « même département (Haute-Garonne) »
covers the company’s region (not the dép.)    + 20      « même région (Occitanie) »
national ambassador (no region)               + 5       « ambassadeur national »
works with the company’s NAF section          + 25      « secteur Industrie manufacturière »
each topic asked that the ambassador covers   + 20      « thématique Production » (2 topics at most count)
each word of the question found in the        + 4       « mots de votre question : robot, maintenance »
ambassador’s topics, sectors or presentation            (3 words at most count; French stems, no accents)
each request the ambassador has open          - 3       (6 at most count: load evens out)
==========================================  ==========  ===================================================

An ambassador who lists only départements of the region (not the region itself) counts as of the region (the
selector adds those départements' regions to ``region_codes``). Ambassadors who paused requests, or reached their
monthly maximum, are left out. Ties go to the ambassador with fewer open requests, then by last and first name
(accents and case folded: « Émile » sorts with « emile », before « Fabre »), then by id: the same need always gives
the same list.

« Près de » a place (``rank(..., distances=...)``): only the ambassadors whose commune lies within the distance
chosen count, whatever their region; nearest first, the points above deciding between those of the same commune.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from contact.text import fold, stem, stems, words

DEPARTEMENT = 30
REGION = 20
NATIONAL = 5
SECTOR = 25
TOPIC = 20
TOPICS_COUNTED = 2
WORD = 4
WORDS_COUNTED = 3
LOAD = -3
LOAD_COUNTED = 6


@dataclass(frozen=True)
class Need:
    region_code: str
    region_name: str = ""
    departement_code: str = ""
    departement_name: str = ""
    sector_code: str = ""
    sector_label: str = ""
    topic_ids: frozenset[int] = frozenset()
    question: str = ""


@dataclass(frozen=True)
class Candidate:
    pk: int
    last_name: str
    first_name: str
    is_national: bool = False
    region_codes: frozenset[str] = frozenset()
    departement_codes: frozenset[str] = frozenset()
    sector_codes: frozenset[str] = frozenset()
    topics: dict[int, str] = field(default_factory=dict)  # id -> name
    text: str = ""  # presentation, topic and sector names: what the question's words are matched against
    paused: bool = False
    monthly_limit: int | None = None
    month_count: int = 0  # requests received this month
    open_count: int = 0  # requests still open


@dataclass
class Match:
    candidate: Candidate
    score: int
    reasons: list[str]


def available(candidate: Candidate) -> bool:
    if candidate.paused:
        return False
    return candidate.monthly_limit is None or candidate.month_count < candidate.monthly_limit


def score(
    need: Need,
    candidate: Candidate,
    question_words: list[tuple[str, str]] | None = None,
    *,
    anywhere: bool = False,
) -> Match | None:
    """The candidate's points and reasons, or None when they do not serve the company's territory (unless
    ``anywhere``: a « près de » search, where being near is the territory that counts)."""
    points, reasons = 0, []
    if need.departement_code and need.departement_code in candidate.departement_codes:
        points += DEPARTEMENT
        reasons.append(
            f"même département ({need.departement_name})" if need.departement_name else "même département"
        )
    elif need.region_code in candidate.region_codes:
        points += REGION
        reasons.append(f"même région ({need.region_name})" if need.region_name else "même région")
    elif candidate.is_national:
        points += NATIONAL
        reasons.append("ambassadeur national")
    elif not anywhere:
        return None
    if need.sector_code and need.sector_code in candidate.sector_codes:
        points += SECTOR
        reasons.append(f"secteur {need.sector_label}" if need.sector_label else "même secteur")
    shared_topics = sorted(
        (candidate.topics[t] for t in need.topic_ids if t in candidate.topics), key=str.lower
    )
    if shared_topics:
        points += TOPIC * min(len(shared_topics), TOPICS_COUNTED)
        reasons.extend(f"thématique {name}" for name in shared_topics)
    if question_words is None:
        question_words = [(w, stem(w)) for w in words(need.question)]
    candidate_stems = stems(candidate.text)
    found = [w for w, s in question_words if s in candidate_stems]
    if found:
        points += WORD * min(len(found), WORDS_COUNTED)
        reasons.append("mots de votre question : " + ", ".join(found[:5]))
    points += LOAD * min(candidate.open_count, LOAD_COUNTED)
    return Match(candidate=candidate, score=points, reasons=reasons)


def _name_key(name: str) -> str:
    return fold(name).casefold()


def rank(
    need: Need,
    candidates: Iterable[Candidate],
    *,
    limit: int = 5,
    distances: dict[int, float] | None = None,
) -> list[Match]:
    """The ``limit`` best available candidates for ``need``, best first, each with its reasons.

    With ``distances`` (candidate's pk -> km, from a « près de » search), only those candidates count, whatever
    their territory, nearest first; the points decide between those at the same distance (the same commune)."""
    question_words = [(w, stem(w)) for w in words(need.question)]
    anywhere = distances is not None
    matches = [
        match
        for candidate in candidates
        if available(candidate)
        and (not anywhere or candidate.pk in distances)
        and (match := score(need, candidate, question_words, anywhere=anywhere)) is not None
    ]
    matches.sort(
        key=lambda m: (
            round(distances[m.candidate.pk], 3) if anywhere else 0,
            -m.score,
            m.candidate.open_count,
            _name_key(m.candidate.last_name),
            _name_key(m.candidate.first_name),
            m.candidate.pk,
        )
    )
    return matches[:limit]
