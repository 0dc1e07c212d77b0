"""What each profile means, and the next steps that fit it (three to five, concrete). Links are platform pages or
public resources of the State and its operators."""

from dataclasses import dataclass

from diagnostic.enums import Profile


@dataclass(frozen=True)
class Step:
    title: str
    text: str
    url: str  # a path of the platform, or a public address
    link_label: str


MEANINGS = {
    Profile.INNOVATEUR: (
        "Votre entreprise est très numérisée, vous maîtrisez les notions avancées de l’IA, vous formez vos équipes "
        "et l’IA est déjà dans vos processus ou vos produits. Près d’un dirigeant sur cinq (19 %) est dans ce cas."
    ),
    Profile.EXPERIMENTATEUR: (
        "Vous testez l’IA, surtout avec des outils gratuits ou du marché, sans stratégie structurée pour l’instant. "
        "C’est le profil le plus courant : 28 % des dirigeants."
    ),
    Profile.SCEPTIQUE: (
        "Pour l’instant, l’IA vous semble avoir peu d’effet sur votre activité et vous ne l’utilisez pas. C’est le "
        "cas de 27 % des dirigeants, souvent dans des secteurs traditionnels comme le bâtiment ou le transport."
    ),
    Profile.BLOQUE: (
        "Vous voyez ce que l’IA pourrait vous apporter, mais le manque de compétences, de formation ou "
        "d’accompagnement vous retient. C’est le cas de 26 % des dirigeants : un accompagnement peut tout changer."
    ),
}

NEXT_STEPS = {
    Profile.INNOVATEUR: [
        Step(
            "Partagez votre expérience",
            "Les dirigeants qui ont franchi le pas sont les meilleurs ambassadeurs : rejoignez le réseau.",
            "/ami/",
            "Devenir ambassadeur IA",
        ),
        Step(
            "Structurez la gouvernance de vos données et de vos modèles",
            "Sécurité, conformité (RGPD, règlement européen sur l’IA), évaluation des résultats : faites le point.",
            "https://www.cnil.fr/fr/intelligence-artificielle",
            "Les recommandations de la CNIL sur l’IA",
        ),
        Step(
            "Financez vos projets d’IA",
            "Des aides existent pour l’innovation et l’industrialisation de vos projets.",
            "https://www.bpifrance.fr",
            "Les solutions de Bpifrance",
        ),
        Step(
            "Rencontrez d’autres entreprises avancées",
            "Salons, rencontres d’affaires, conférences près de chez vous.",
            "/agenda/",
            "L’agenda des événements IA",
        ),
    ],
    Profile.EXPERIMENTATEUR: [
        Step(
            "Passez de l’essai à une feuille de route",
            "Choisissez deux ou trois usages qui comptent pour votre activité, avec un objectif mesurable.",
            "/trouver-un-ambassadeur/",
            "Échanger avec un ambassadeur IA",
        ),
        Step(
            "Formez vos équipes aux bons usages",
            "Des formations courtes, souvent gratuites, pour utiliser l’IA générative sans risque pour vos données.",
            "https://www.francenum.gouv.fr/formations",
            "Les formations de France Num",
        ),
        Step(
            "Fixez des règles d’usage",
            "Quels outils, quelles données peut-on y mettre, qui valide : une charte simple évite les fuites.",
            "https://www.cnil.fr/fr/intelligence-artificielle",
            "Les recommandations de la CNIL",
        ),
        Step(
            "Voyez ce que font les autres",
            "Ateliers et cafés IA : des retours d’expérience d’entreprises comme la vôtre.",
            "/agenda/",
            "L’agenda des événements IA",
        ),
    ],
    Profile.SCEPTIQUE: [
        Step(
            "Découvrez des cas concrets dans votre secteur",
            "Un café IA ou une conférence près de chez vous, sans engagement, pour voir ce que l’IA change vraiment.",
            "/agenda/",
            "L’agenda des événements IA",
        ),
        Step(
            "Posez vos questions à un ambassadeur",
            "Des chefs d’entreprise bénévoles, de votre région et de votre secteur, vous répondent franchement.",
            "/trouver-un-ambassadeur/",
            "Trouver un ambassadeur IA",
        ),
        Step(
            "Commencez par le numérique de base",
            "Les fiches pratiques de France Num aident à numériser devis, factures et relation client.",
            "https://www.francenum.gouv.fr/guides-et-conseils",
            "Les guides de France Num",
        ),
    ],
    Profile.BLOQUE: [
        Step(
            "Faites-vous accompagner",
            "Un ambassadeur de votre région vous aide à choisir un premier usage et les bons interlocuteurs.",
            "/trouver-un-ambassadeur/",
            "Trouver un ambassadeur IA",
        ),
        Step(
            "Formez-vous, vous et vos équipes",
            "Des formations gratuites et courtes pour acquérir les bases de l’IA.",
            "https://www.francenum.gouv.fr/formations",
            "Les formations de France Num",
        ),
        Step(
            "Trouvez un expert près de chez vous",
            "Les activateurs France Num sont des professionnels référencés qui accompagnent les TPE et PME.",
            "https://www.francenum.gouv.fr/activateurs",
            "Les activateurs France Num",
        ),
        Step(
            "Participez à un atelier pratique",
            "Un atelier d’une demi-journée pour repartir avec un premier usage en place.",
            "/agenda/?format=atelier",
            "Les ateliers de l’agenda",
        ),
    ],
}
