"""The words of the demo's events, company requests and applications (plain ' and spaces here; ``french.fr`` gives
them their French typography where they are used)."""

from dataclasses import dataclass

from agenda.enums import Format


@dataclass(frozen=True)
class EventKind:
    title: str
    format: str
    topics: tuple[str, ...]
    sectors: tuple[str, ...]  # NAF sections; empty: every sector
    audience: str
    description: str
    organizer: str  # {dep} {metro} {region}
    venue: str  # for events in person; {dep} {city} {brand}
    weight: int = 1


_PROGRAMME = "\n\n**Au programme** : {programme}"
EVENT_KINDS = [
    EventKind(
        "L'IA dans les PME : retours d'expérience",
        Format.CONFERENCE,
        ("strategie",),
        (),
        "Dirigeants de TPE et PME",
        "Trois dirigeants de PME de la région racontent leur premier projet d'IA : ce qui a marché, ce qui a coûté, "
        "ce qu'ils referaient."
        + _PROGRAMME.format(programme="témoignages, questions de la salle, échanges autour d'un café."),
        "CCI {dep}",
        "Auditorium de la CCI {dep}",
        weight=2,
    ),
    EventKind(
        "IA et industrie : de la maintenance prédictive au contrôle qualité",
        Format.CONFERENCE,
        ("production", "donnees"),
        ("C",),
        "Dirigeants et responsables de production de l'industrie",
        "Capteurs, caméras, données de production : des industriels montrent ce que l'IA a changé dans leurs "
        "ateliers, chiffres à l'appui."
        + _PROGRAMME.format(
            programme="deux retours d'expérience, une table ronde, la présentation des aides régionales."
        ),
        "Bpifrance {metro}",
        "Technopole {brand}",
    ),
    EventKind(
        "Atelier : automatiser ses devis et ses factures avec l'IA",
        Format.ATELIER,
        ("finance",),
        ("F", "G", "S"),
        "Artisans, commerçants et dirigeants de TPE",
        "Un atelier pratique, ordinateur sous le bras : chacun repart avec un modèle de devis assisté par l'IA et "
        "une méthode pour trier ses factures."
        + _PROGRAMME.format(
            programme="démonstration, mise en pratique sur vos propres documents, questions-réponses."
        ),
        "CCI {dep}",
        "Espace numérique de la CCI {dep}",
        weight=2,
    ),
    EventKind(
        "Atelier : rédiger la charte IA de son entreprise",
        Format.ATELIER,
        ("juridique-conformite", "ressources-humaines"),
        (),
        "Dirigeants et responsables des ressources humaines",
        "Vos salariés utilisent déjà l'IA générative : fixons ensemble des règles simples, conformes au RGPD et "
        "au règlement européen sur l'IA."
        + _PROGRAMME.format(programme="les risques à connaître, une charte type à adapter, vos questions."),
        "France Num",
        "Tiers-lieu {brand}",
    ),
    EventKind(
        "Webinaire : premiers pas avec l'IA générative",
        Format.WEBINAIRE,
        ("strategie",),
        (),
        "Dirigeants de TPE et PME",
        "Une heure pour comprendre ce que l'IA générative sait faire, ce qu'elle ne sait pas faire, et trois "
        "usages à essayer dès demain."
        + _PROGRAMME.format(programme="démonstrations en direct, questions par écrit."),
        "France Num",
        "",
        weight=2,
    ),
    EventKind(
        "Webinaire : le règlement européen sur l'IA expliqué aux TPE et PME",
        Format.WEBINAIRE,
        ("juridique-conformite",),
        (),
        "Dirigeants de TPE et PME",
        "Ce que le règlement européen sur l'IA change pour une entreprise qui utilise des outils d'IA, et ce "
        "qu'il ne change pas."
        + _PROGRAMME.format(programme="les obligations, le calendrier, les questions des participants."),
        "CCI {dep}",
        "",
    ),
    EventKind(
        "Webinaire : cybersécurité et IA générative, les bons réflexes",
        Format.WEBINAIRE,
        ("cybersecurite",),
        (),
        "Dirigeants et salariés",
        "Hameçonnages plus crédibles, fuites de données par des outils en ligne : les réflexes qui protègent une "
        "petite entreprise." + _PROGRAMME.format(programme="cas réels, bonnes pratiques, questions."),
        "France Num",
        "",
    ),
    EventKind(
        "Café IA des dirigeants",
        Format.CAFE_IA,
        ("strategie",),
        (),
        "Dirigeants de TPE et PME",
        "Un café, une heure, des dirigeants qui se posent les mêmes questions : on échange librement sur l'IA, "
        "avec un ambassadeur pour répondre."
        + _PROGRAMME.format(programme="tour de table, une démonstration courte, échanges."),
        "French Tech {metro}",
        "Café {brand}",
        weight=2,
    ),
    EventKind(
        "Café IA : l'IA au service de la relation client",
        Format.CAFE_IA,
        ("relation-client", "marketing"),
        ("G", "I"),
        "Commerçants, restaurateurs et hôteliers",
        "Répondre plus vite aux clients, gérer les avis en ligne, traduire ses cartes : des usages simples, "
        "partagés autour d'un café."
        + _PROGRAMME.format(programme="démonstrations, échanges entre commerçants."),
        "CCI {dep}",
        "Café {brand}",
    ),
    EventKind(
        "Rencontre d'affaires : solutions d'IA et entreprises utilisatrices",
        Format.RENCONTRE_AFFAIRES,
        ("strategie", "production"),
        (),
        "Dirigeants de PME et ETI, fournisseurs de solutions d'IA",
        "Des rendez-vous de vingt minutes, préparés à l'avance, entre des entreprises qui ont un besoin et des "
        "fournisseurs de solutions d'IA de la région."
        + _PROGRAMME.format(programme="rendez-vous d'affaires, déjeuner, présentation des financements."),
        "CCI {dep} et Bpifrance",
        "Hôtel de la CCI {dep}",
        weight=2,
    ),
    EventKind(
        "Rencontre d'affaires : l'IA pour la logistique et le transport",
        Format.RENCONTRE_AFFAIRES,
        ("logistique",),
        ("H", "G"),
        "Transporteurs, logisticiens et distributeurs",
        "Optimisation des tournées, prévision des volumes, entrepôts : des fournisseurs de solutions rencontrent "
        "les entreprises du transport."
        + _PROGRAMME.format(programme="rendez-vous d'affaires, retours d'expérience."),
        "Bpifrance {metro}",
        "Parc des expositions {of_city}",
    ),
    EventKind(
        "Salon de l'innovation et de l'IA",
        Format.SALON,
        ("strategie", "donnees"),
        (),
        "Entreprises de toutes tailles",
        "Une journée d'exposants, de démonstrations et de conférences courtes sur l'IA appliquée aux entreprises "
        "de la région."
        + _PROGRAMME.format(programme="stands, démonstrations, conférences de trente minutes."),
        "Agence régionale d'innovation",
        "Parc des expositions {of_city}",
    ),
    EventKind(
        "Formation : l'IA pour la relation client",
        Format.FORMATION,
        ("relation-client",),
        (),
        "Salariés en contact avec la clientèle",
        "Une journée de formation pour utiliser un assistant d'IA dans les réponses aux clients, sans perdre le "
        "ton de l'entreprise." + _PROGRAMME.format(programme="méthode, exercices, modèles de réponses."),
        "CCI {dep}",
        "Centre de formation de la CCI {dep}",
    ),
    EventKind(
        "Formation : exploiter ses données avec l'IA",
        Format.FORMATION,
        ("donnees",),
        (),
        "Dirigeants et responsables administratifs",
        "Rassembler, nettoyer et lire ses données : une formation pratique pour préparer un premier projet "
        "d'IA." + _PROGRAMME.format(programme="exercices sur tableur, tableaux de bord, questions."),
        "France Num",
        "Tiers-lieu {brand}",
    ),
    EventKind(
        "Petit-déjeuner IA et industrie",
        Format.AUTRE,
        ("production",),
        ("C",),
        "Dirigeants de l'industrie",
        "Un petit-déjeuner entre industriels pour parler maintenance prédictive, vision et planification, avec "
        "un ambassadeur qui l'a fait."
        + _PROGRAMME.format(programme="témoignage, échanges, visite de l'atelier."),
        "Bpifrance {metro}",
        "Ateliers {last}",
    ),
    EventKind(
        "Matinale IA et agriculture",
        Format.AUTRE,
        ("production", "donnees"),
        ("A",),
        "Agriculteurs et coopératives",
        "Capteurs, images satellite, prévisions : ce que l'IA apporte déjà aux exploitations, présenté par des "
        "agriculteurs qui l'utilisent."
        + _PROGRAMME.format(programme="témoignages, démonstrations au champ."),
        "Chambre d'agriculture",
        "Lycée agricole {of_city}",
    ),
]

# What companies write, by topic: first-person questions of a company leader.
NEEDS = {
    "production": [
        "Nous voulons prévoir les pannes de nos machines de production.",
        "Nos contrôles qualité sont faits à l'œil : une caméra intelligente serait-elle rentable pour nous ?",
        "Comment réduire nos rebuts avec les données de nos machines ?",
    ],
    "relation-client": [
        "Comment utiliser l'IA pour répondre plus vite aux demandes de nos clients ?",
        "Nous recevons beaucoup de questions répétitives : un assistant en ligne est-il adapté à notre taille ?",
    ],
    "strategie": [
        "Nous utilisons un peu ChatGPT, mais sans méthode : par où commencer ?",
        "Je dirige une petite entreprise et je ne sais pas si l'IA peut nous servir : pouvons-nous en parler ?",
    ],
    "finance": [
        "Nous aimerions automatiser la préparation de nos devis.",
        "Quels outils d'IA pour trier nos factures fournisseurs ?",
    ],
    "donnees": [
        "Nos données clients sont dispersées : comment les préparer pour l'IA ?",
        "Nous avons des années de ventes dans des tableurs : peut-on en tirer des prévisions ?",
    ],
    "logistique": [
        "Nous aimerions prévoir nos commandes pour réduire nos stocks.",
        "Nos tournées de livraison sont faites à la main : l'IA peut-elle nous aider ?",
    ],
    "marketing": [
        "Nous voudrions produire nos publications pour les réseaux sociaux plus rapidement.",
        "Comment rédiger nos fiches produits avec l'IA sans perdre notre ton ?",
    ],
    "ressources-humaines": [
        "Nous avons du mal à recruter : l'IA peut-elle nous aider à rédiger et diffuser nos offres ?",
        "Comment former notre équipe aux outils d'IA générative ?",
    ],
    "juridique-conformite": [
        "Que nous impose le règlement européen sur l'IA pour l'outil que nous voulons acheter ?",
        "Nos salariés utilisent l'IA générative : faut-il une charte interne ?",
    ],
    "cybersecurite": [
        "Nos salariés copient des documents clients dans des outils d'IA en ligne : quels risques, quelles règles ?",
        "Nous avons reçu un hameçonnage très crédible : comment nous protéger ?",
    ],
}
COMPANY_NAMES = {  # {last} a surname
    "A": ["EARL {last}", "Domaine {last}", "Vergers {last}"],
    "B": ["Carrières {last}"],
    "C": [
        "Ateliers {last}",
        "Mécanique {last}",
        "Plasturgie {last}",
        "Conserverie {last}",
        "Menuiserie {last}",
    ],
    "D": ["{last} Énergies"],
    "E": ["{last} Environnement"],
    "F": ["{last} Bâtiment", "Charpentes {last}", "Maçonnerie {last}"],
    "G": ["Maison {last}", "Comptoir {last}", "Quincaillerie {last}", "Garage {last}"],
    "H": ["Transports {last}", "{last} Logistique"],
    "I": ["Hôtel {last}", "Brasserie {last}", "Camping {last}"],
    "J": ["{last} Digital", "Agence {last}"],
    "K": ["Cabinet {last} Assurances"],
    "L": ["{last} Immobilier"],
    "M": ["Cabinet {last}", "Bureau d'études {last}"],
    "N": ["{last} Services", "{last} Propreté"],
    "P": ["{last} Formation"],
    "Q": ["Cabinet médical {last}", "Pharmacie {last}"],
    "R": ["Compagnie {last}", "Studio {last}"],
    "S": ["Salon {last}", "Pressing {last}"],
}
STEP_NOTES = {
    "decline": [
        "Je suis en déplacement pour trois semaines : mieux vaut confier cette demande à quelqu'un d'autre.",
        "Ce besoin relève plutôt d'un spécialiste de la cybersécurité.",
    ],
    "reassign": ["Confiée à un ambassadeur du même secteur, disponible tout de suite."],
    "close": {
        "out_of_scope": "L'entreprise cherche un prestataire pour développer un logiciel : orientée vers la CCI.",
        "withdrawn": "Le dirigeant a repoussé son projet à l'an prochain.",
        "unreachable": "Trois appels et deux courriels sans réponse.",
    },
}

# Applications.
MOTIVATIONS = [
    "Partager ce que nous avons appris avec les dirigeants de mon territoire, erreurs comprises.",
    "Beaucoup de chefs d'entreprise autour de moi n'osent pas commencer : je veux leur montrer que c'est possible.",
    "Rendre à mon réseau ce qu'il m'a apporté, et faire gagner du temps aux petites entreprises.",
    "Trop de PME achètent des outils d'IA sans savoir quoi en faire ; je veux les aider à partir du bon problème.",
    "Faire connaître les usages simples de l'IA dans mon secteur, loin des effets d'annonce.",
]
EXPERIENCE_ENDINGS = [
    "Nous avons mesuré le gain au bout de trois mois.",
    "Le projet a été mené avec les équipes, sans prestataire.",
    "Je l'ai présenté depuis dans plusieurs réunions de chefs d'entreprise.",
    "Il a fallu six mois pour que tout le monde s'en serve, et c'était la partie la plus intéressante.",
]
REVIEW_COMMENTS = {
    "designate": [
        "Expérience concrète et bien décrite, bonne disponibilité.",
        "Profil complémentaire de ceux déjà désignés dans la région.",
        "Parle le langage des dirigeants de TPE : à désigner.",
        "Projet d'IA réel et mesuré ; motivation claire.",
    ],
    "decline": [
        "Expérience de l'IA encore théorique.",
        "Candidature centrée sur la vente de ses propres solutions.",
        "Disponibilité trop faible pour les sollicitations attendues.",
    ],
    "discuss": [
        "Bon profil, mais secteur déjà bien couvert dans la région : à discuter.",
        "Expérience intéressante ; disponibilité à confirmer.",
        "À rencontrer avant de décider.",
    ],
}
DECISION_REASONS = {
    "designated": [
        "Expérience concrète de l'IA en entreprise et disponibilité suffisante : profil retenu.",
        "Profil retenu : il complète le réseau sur son secteur et son territoire.",
    ],
    "declined": [
        "Expérience de l'IA encore trop récente pour accompagner d'autres entreprises.",
        "Le réseau compte déjà plusieurs ambassadeurs de ce profil sur ce territoire.",
        "Disponibilité trop faible au regard des sollicitations attendues.",
    ],
    "ineligible": [
        "Candidature d'un éditeur qui souhaite présenter ses produits : hors du cadre bénévole de l'appel.",
        "Dossier incomplet : aucune expérience de l'IA n'est décrite.",
        "Candidature en double : une autre candidature de la même personne est déjà examinée.",
    ],
}
