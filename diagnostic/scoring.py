"""The questionnaire and its scoring, versioned. The rules and their reasons are in docs/diagnostic.md.

A version is a ``Scoring``: its questions (each answer worth 0 to 3 points on one dimension, or none) and its
classification. Changing a question, an answer, a weight or a rule means a new version added to ``VERSIONS`` and
made ``CURRENT``; stored results keep the version, scores and profile they were computed with."""

from collections.abc import Callable
from dataclasses import dataclass

from diagnostic.enums import Dimension, Profile

D = Dimension


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    points: int | None = None  # None: the answer is not scored (an obstacle, context)


@dataclass(frozen=True)
class Question:
    key: str
    step: int  # the page of the questionnaire it is on (1 is the context)
    dimension: str | None  # None: used by the classification only
    text: str
    choices: tuple[Choice, ...]
    hint: str = ""


def _scale(*labels: str) -> tuple[Choice, ...]:
    return tuple(Choice(str(i), label, i) for i, label in enumerate(labels))


QUESTIONS_2026_1: tuple[Question, ...] = (
    # Strategy, and how the leader perceives AI.
    Question(
        "impact",
        2,
        D.STRATEGY,
        "Selon vous, quel sera l’effet de l’IA sur votre secteur d’ici trois à cinq ans ?",
        _scale("Négligeable", "Limité", "Important", "Décisif, une question de survie"),
    ),
    Question(
        "gains",
        2,
        D.STRATEGY,
        "Voyez-vous des gains concrets que l’IA pourrait apporter à votre entreprise ?",
        _scale(
            "Non, aucun",
            "Peut-être, je ne sais pas lesquels",
            "Oui, quelques-uns",
            "Oui, clairement et chiffrés",
        ),
    ),
    Question(
        "feuille_de_route",
        2,
        D.STRATEGY,
        "Votre entreprise a-t-elle une stratégie ou une feuille de route pour l’IA ?",
        _scale(
            "Non, ce n’est pas un sujet",
            "Nous y réfléchissons",
            "Quelques objectifs sont fixés",
            "Oui, avec un plan et un budget",
        ),
    ),
    # Data.
    Question(
        "donnees",
        3,
        D.DATA,
        "Où sont les données de votre activité (clients, production, gestion) ?",
        _scale(
            "Surtout sur papier ou dispersées",
            "Dans des tableurs",
            "Dans des logiciels métier",
            "Centralisées et déjà exploitées (tableaux de bord, analyses)",
        ),
    ),
    Question(
        "numerisation",
        3,
        D.DATA,
        "Vos processus (devis, commandes, facturation, planification) sont-ils numérisés ?",
        _scale("Très peu", "En partie", "En grande partie", "Entièrement, et reliés entre eux"),
    ),
    # Skills.
    Question(
        "connaissance",
        3,
        D.SKILLS,
        "Comment décririez-vous votre propre connaissance de l’IA ?",
        _scale(
            "Je n’y connais rien",
            "J’en ai des notions",
            "J’utilise l’IA et j’en comprends les limites",
            "Je maîtrise des notions avancées (modèles, données d’entraînement, évaluation)",
        ),
    ),
    Question(
        "formation",
        3,
        D.SKILLS,
        "Vos équipes sont-elles formées à l’IA ?",
        _scale(
            "Non",
            "Quelques personnes se forment seules",
            "Des formations ponctuelles ont eu lieu",
            "Un plan de formation existe",
        ),
    ),
    # Uses.
    Question(
        "ia_generative",
        4,
        D.USES,
        "Utilisez-vous des outils d’IA générative (ChatGPT, Le Chat, Copilot, Gemini…) ?",
        _scale(
            "Jamais",
            "Un peu, chacun de son côté",
            "Régulièrement, dans plusieurs équipes",
            "Oui, avec des règles et des outils choisis par l’entreprise",
        ),
    ),
    Question(
        "processus",
        4,
        D.USES,
        "L’IA est-elle utilisée dans vos processus, vos produits ou vos services ?",
        _scale("Non", "Un essai est en cours", "Oui, pour un ou deux usages", "Oui, pour plusieurs usages"),
    ),
    Question(
        "outils",
        4,
        D.USES,
        "Quels outils d’IA utilisez-vous ?",
        _scale(
            "Aucun",
            "Des outils gratuits grand public",
            "Des outils payants du marché",
            "Des outils adaptés ou développés pour nous",
        ),
    ),
    # Means and support.
    Question(
        "budget",
        5,
        D.MEANS,
        "Quel budget consacrez-vous au numérique et à l’IA ?",
        _scale(
            "Aucun", "Des dépenses ponctuelles", "Un budget annuel", "Un budget pluriannuel d’investissement"
        ),
    ),
    Question(
        "accompagnement",
        5,
        D.MEANS,
        "Êtes-vous accompagné sur ces sujets (conseil, réseau, prestataire) ?",
        _scale(
            "Non, et je ne sais pas à qui m’adresser",
            "Non, mais je sais à qui m’adresser",
            "Oui, ponctuellement",
            "Oui, régulièrement",
        ),
    ),
    Question(
        "frein",
        5,
        None,
        "Qu’est-ce qui vous freine le plus aujourd’hui ?",
        (
            Choice("interet", "Je ne vois pas l’intérêt pour mon entreprise"),
            Choice("competences", "Le manque de compétences dans l’entreprise"),
            Choice("formation", "Le manque de formation"),
            Choice("accompagnement", "Le manque d’accompagnement : je ne sais pas par où commencer"),
            Choice("cout", "Le coût"),
            Choice("confiance", "La sécurité, la confidentialité ou la fiabilité"),
            Choice("rien", "Rien de particulier"),
        ),
    ),
)

STEPS = {
    1: "Votre entreprise",
    2: "Stratégie et perception",
    3: "Données et compétences",
    4: "Usages",
    5: "Moyens et accompagnement",
}


@dataclass(frozen=True)
class Outcome:
    scores: dict[str, int]  # dimension -> 0..100
    profile: str
    reasons: list[str]  # why this profile, in French, for the result page


def dimension_scores(questions: tuple[Question, ...], answers: dict[str, str]) -> dict[str, int]:
    """Each dimension: points obtained over the maximum, 0 to 100, rounded."""
    got: dict[str, int] = dict.fromkeys(Dimension.values, 0)
    top: dict[str, int] = dict.fromkeys(Dimension.values, 0)
    for question in questions:
        if question.dimension is None:
            continue
        points = {c.value: c.points for c in question.choices}
        got[question.dimension] += points[answers[question.key]] or 0
        top[question.dimension] += max(p for p in points.values() if p is not None)
    return {d: round(100 * got[d] / top[d]) for d in Dimension.values}


def classify_2026_1(answers: dict[str, str], scores: dict[str, int]) -> tuple[str, list[str]]:
    """The four profiles are not steps on one line: perception, uses and obstacles decide (docs/diagnostic.md)."""
    uses_ai = answers["ia_generative"] != "0" or answers["processus"] != "0"
    sees_value = int(answers["impact"]) + int(answers["gains"]) >= 3 and answers["frein"] != "interet"
    if scores[D.USES] >= 60 and scores[D.SKILLS] >= 50 and scores[D.STRATEGY] >= 50:
        return Profile.INNOVATEUR, [
            "l’IA est déjà dans vos processus ou vos produits",
            "vos équipes et vous maîtrisez le sujet",
            "vous avez une stratégie",
        ]
    if uses_ai:
        reasons = ["vous utilisez déjà l’IA, au moins à l’essai"]
        if scores[D.STRATEGY] < 50:
            reasons.append("sans stratégie structurée pour l’instant")
        if answers["outils"] in {"0", "1", "2"}:
            reasons.append("avec des outils du marché ou gratuits")
        return Profile.EXPERIMENTATEUR, reasons
    if not sees_value:
        return Profile.SCEPTIQUE, [
            "vous n’utilisez pas encore l’IA",
            "vous n’en voyez pas, pour l’instant, l’intérêt pour votre entreprise",
        ]
    reasons = ["vous voyez ce que l’IA pourrait vous apporter", "mais vous ne l’utilisez pas encore"]
    obstacle = {
        "competences": "faute de compétences dans l’entreprise",
        "formation": "faute de formation",
        "accompagnement": "faute d’accompagnement",
        "cout": "à cause du coût",
        "confiance": "par crainte pour la sécurité ou la fiabilité",
    }.get(answers["frein"])
    if obstacle:
        reasons.append(obstacle)
    return Profile.BLOQUE, reasons


# 2026-2 keeps the questions of 2026-1 and changes the rules: each profile is read from the answers that define it in
# the study, not from dimension scores (in 2026-1 the perception answers counted in the strategy score, so a leader
# with neither a roadmap nor AI in the processes could be classified innovateur).
QUESTIONS_2026_2 = QUESTIONS_2026_1

OBSTACLES = {
    "competences": "faute de compétences dans l’entreprise",
    "formation": "faute de formation",
    "accompagnement": "faute d’accompagnement",
    "cout": "à cause du coût",
    "confiance": "par crainte pour la sécurité ou la fiabilité",
}

# What an innovateur has in the study, each read from one answer (2 = the third answer of four, or more).
INNOVATEUR_2026_2 = (
    ("processus", 2, "l’IA sert dans vos processus, produits ou services"),
    ("feuille_de_route", 2, "vous avez fixé des objectifs pour l’IA"),
    ("connaissance", 2, "vous utilisez l’IA en connaissant ses limites"),
    ("formation", 2, "vos équipes ont été formées"),
    ("numerisation", 2, "vos processus sont numérisés en grande partie"),
    ("donnees", 2, "vos données sont dans des logiciels métier ou centralisées"),
)


def _answer(answers: dict[str, str], key: str) -> int:
    return int(answers[key])


def classify_2026_2(answers: dict[str, str], scores: dict[str, int]) -> tuple[str, list[str]]:
    """Innovateur: every condition of ``INNOVATEUR_2026_2``. Expérimentateur: uses AI (generative tools or a trial in
    the processes). Sceptique: no use, and sees no gain (« non, aucun », or « peut-être » while expecting a limited
    effect on the sector) or answers that the lack of interest holds them back. Bloqué: no use, sees the gains.
    ``scores`` are not read: the profile comes from the answers (docs/diagnostic.md)."""
    missing = [label for key, minimum, label in INNOVATEUR_2026_2 if _answer(answers, key) < minimum]
    if not missing:
        return Profile.INNOVATEUR, [label for _, _, label in INNOVATEUR_2026_2[:4]]
    if _answer(answers, "ia_generative") >= 1 or _answer(answers, "processus") >= 1:
        reasons = ["vous utilisez déjà l’IA, au moins à l’essai"]
        if _answer(answers, "feuille_de_route") < 2:
            reasons.append("sans stratégie structurée pour l’instant")
        if answers["outils"] in {"1", "2"}:
            reasons.append("avec des outils gratuits ou du marché")
        return Profile.EXPERIMENTATEUR, reasons
    gains, impact = _answer(answers, "gains"), _answer(answers, "impact")
    sees_gains = gains >= 2 or (gains == 1 and impact >= 2)
    if answers["frein"] == "interet" or not sees_gains:
        return Profile.SCEPTIQUE, [
            "vous n’utilisez pas encore l’IA",
            "vous n’en voyez pas, pour l’instant, l’intérêt pour votre entreprise",
        ]
    reasons = ["vous voyez ce que l’IA pourrait vous apporter", "mais vous ne l’utilisez pas encore"]
    if obstacle := OBSTACLES.get(answers["frein"]):
        reasons.append(obstacle)
    if answers["accompagnement"] == "0" and answers["frein"] != "accompagnement":
        reasons.append("et vous ne savez pas à qui vous adresser")
    return Profile.BLOQUE, reasons


@dataclass(frozen=True)
class Scoring:
    version: str
    questions: tuple[Question, ...]
    classify: Callable[[dict[str, str], dict[str, int]], tuple[str, list[str]]]

    def question(self, key: str) -> Question:
        return next(q for q in self.questions if q.key == key)

    def evaluate(self, answers: dict[str, str]) -> Outcome:
        """Scores and profile of a complete, valid set of answers (``KeyError`` if one is missing)."""
        for question in self.questions:
            if answers[question.key] not in {c.value for c in question.choices}:
                raise ValueError(f"Réponse inconnue pour {question.key}")
        scores = dimension_scores(self.questions, answers)
        profile, reasons = self.classify(answers, scores)
        return Outcome(scores=scores, profile=profile, reasons=reasons)


VERSIONS = {
    "2026-1": Scoring("2026-1", QUESTIONS_2026_1, classify_2026_1),
    "2026-2": Scoring("2026-2", QUESTIONS_2026_2, classify_2026_2),
}
CURRENT = VERSIONS["2026-2"]
