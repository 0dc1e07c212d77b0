"""Who the demo ambassadors and applicants are: people who really help companies adopt AI (consultants, CCI
advisers, Bpifrance officers, IT directors, founders of AI start-ups, data scientists in industrial SMEs...) and,
for the « grand public » profile, personalities who speak about AI in their own field (a chef, a sailor, a
lawyer, an artist...). All fictitious: names come from Faker, structures are invented (syllables, surnames) or an
office of a real network (« CCI Haute-Garonne », « Bpifrance Lyon », « French Tech Toulouse »).

Each ``Archetype`` holds a title in the masculine and the feminine, the networks that propose such people, the NAF
sections and topics they work on (most typical first), the names their structures take, and the first sentence
of their presentation. ``presentation`` writes the rest from the sectors and topics actually given to the person,
so that the finder's ranking (sector, topics, words of the question) can be checked by reading the profile.

Texts are written with plain ' and spaces; ``french.fr`` gives them their French typography. ``[m|f]`` marks a word
that agrees with the person."""

import random
from dataclasses import dataclass

from demo.data.french import at, capitalise, fr, gender, join, of, to_plural

SECTOR_OF = {  # « les PME de l'industrie et du commerce »
    "A": "de l'agriculture",
    "B": "de l'extraction",
    "C": "de l'industrie",
    "D": "de l'énergie",
    "E": "de l'environnement",
    "F": "du BTP",
    "G": "du commerce",
    "H": "du transport",
    "I": "de l'hôtellerie-restauration",
    "J": "du numérique",
    "K": "de la finance",
    "L": "de l'immobilier",
    "M": "du conseil",
    "N": "des services aux entreprises",
    "P": "de la formation",
    "Q": "de la santé",
    "R": "de la culture",
    "S": "de l'artisanat",
}
AUDIENCES = {  # the people one meets in a single sector (always plural: « leurs » follows)
    "A": ["les agriculteurs et les coopératives", "les exploitations agricoles"],
    "B": ["les carrières et les industries extractives"],
    "C": ["les PME industrielles", "les industriels", "les ateliers et les usines"],
    "D": ["les producteurs et distributeurs d'énergie"],
    "E": ["les entreprises de l'eau et des déchets"],
    "F": ["les artisans et les PME du bâtiment", "les entreprises du BTP"],
    "G": ["les commerçants", "les commerces indépendants", "les TPE du commerce"],
    "H": ["les transporteurs", "les entreprises de transport et de logistique"],
    "I": ["les restaurateurs et les hôteliers", "les professionnels du tourisme"],
    "J": ["les entreprises du numérique", "les agences et les éditeurs de logiciels"],
    "K": ["les cabinets de courtage et les mutuelles"],
    "L": ["les agences immobilières"],
    "M": ["les cabinets de conseil et d'ingénierie", "les professions libérales"],
    "N": ["les entreprises de services"],
    "P": ["les organismes de formation"],
    "Q": ["les professionnels de santé et du médico-social"],
    "R": ["les acteurs de la culture, du sport et des loisirs"],
    "S": ["les artisans et les services de proximité"],
}
HEADS = ["les TPE et PME", "les PME", "les entreprises", "les dirigeants de TPE et PME"]
COMPANIES = {  # « la maintenance prédictive des machines d'une fonderie »
    "A": ["une coopérative viticole", "une exploitation maraîchère", "un élevage laitier"],
    "B": ["une carrière de granulats"],
    "C": [
        "une fonderie",
        "une PME de mécanique de précision",
        "une menuiserie industrielle",
        "une fromagerie",
        "un fabricant d'emballages",
        "une conserverie",
    ],
    "D": ["un producteur d'électricité solaire", "une régie d'électricité"],
    "E": ["une entreprise de collecte des déchets", "une station de traitement des eaux"],
    "F": ["une entreprise de gros œuvre", "un artisan couvreur", "une PME de travaux publics"],
    "G": ["une enseigne de bricolage indépendante", "un grossiste en fournitures", "un garage automobile"],
    "H": [
        "un transporteur routier de vingt camions",
        "une entreprise de messagerie",
        "un entrepôt logistique",
    ],
    "I": ["un hôtel-restaurant", "un camping", "une brasserie"],
    "J": ["une agence web", "un éditeur de logiciels", "une radio locale"],
    "K": ["un cabinet de courtage en assurance", "une mutuelle régionale"],
    "L": ["une agence immobilière", "un gestionnaire de copropriétés"],
    "M": ["un cabinet d'architectes", "un bureau d'études", "un cabinet d'expertise comptable"],
    "N": ["une entreprise de nettoyage", "une agence d'intérim"],
    "P": ["un organisme de formation", "une auto-école"],
    "Q": ["une maison de santé", "un EHPAD", "un cabinet de kinésithérapie"],
    "R": ["un festival de musique", "un club sportif", "une salle de spectacle"],
    "S": ["un salon de coiffure", "un réparateur de vélos", "un pressing"],
}
# What the person helps companies do, as infinitives (« J'aide les PME à … », « je leur montre comment … »).
HELP = {
    "strategie": [
        "repérer les usages de l'IA qui leur feront vraiment gagner du temps",
        "bâtir une feuille de route IA à leur mesure",
        "faire le tri parmi les outils d'IA générative du marché",
        "lancer un premier projet pilote en quelques semaines",
    ],
    "relation-client": [
        "répondre plus vite aux demandes de leurs clients",
        "mettre en place un assistant qui traite les questions fréquentes",
        "analyser les avis et les réclamations de leurs clients",
        "trier et orienter automatiquement les courriels entrants",
    ],
    "marketing": [
        "produire plus vite leurs contenus pour les réseaux sociaux",
        "rédiger fiches produits et lettres d'information avec l'IA générative",
        "mieux cibler leurs campagnes à partir de leurs données clients",
        "créer visuels et vidéos sans passer par une agence",
    ],
    "production": [
        "anticiper les pannes de leurs machines grâce à la maintenance prédictive",
        "contrôler la qualité de leur production par vision artificielle",
        "optimiser leur planning de production",
        "réduire les rebuts et la consommation d'énergie de leurs lignes",
    ],
    "logistique": [
        "prévoir leur demande pour ajuster leurs stocks",
        "optimiser leurs tournées de livraison",
        "réduire les ruptures et les surstocks",
        "automatiser la préparation des commandes",
    ],
    "ressources-humaines": [
        "rédiger des offres d'emploi qui attirent vraiment des candidats",
        "former leurs équipes aux outils d'IA générative",
        "associer les salariés dès le début d'un projet d'IA",
        "faciliter l'accueil des nouveaux arrivants",
    ],
    "finance": [
        "automatiser la saisie des factures fournisseurs",
        "prévoir leur trésorerie à trois mois",
        "préparer leurs devis deux fois plus vite",
        "suivre leurs marges au jour le jour",
    ],
    "juridique-conformite": [
        "se mettre en conformité avec le règlement européen sur l'IA et le RGPD",
        "encadrer l'usage de l'IA générative par une charte interne",
        "analyser plus vite contrats et dossiers d'appels d'offres",
        "protéger leurs données et leur propriété intellectuelle",
    ],
    "donnees": [
        "rassembler et nettoyer leurs données avant tout projet d'IA",
        "construire des tableaux de bord qui servent vraiment",
        "tirer parti des données qui dorment déjà dans leurs logiciels",
        "choisir où et comment héberger leurs données",
    ],
    "cybersecurite": [
        "utiliser l'IA générative sans exposer leurs données",
        "se protéger des hameçonnages, de plus en plus crédibles avec l'IA",
        "sécuriser leurs outils et leurs accès",
        "sensibiliser leurs équipes aux nouvelles arnaques",
    ],
}
# The same, said the way it is said in one sector (preferred when the person works in that sector).
SECTOR_HELP = {
    ("A", "production"): [
        "piloter l'irrigation et les traitements à partir d'images et de capteurs",
        "anticiper leurs rendements parcelle par parcelle",
    ],
    ("A", "donnees"): ["exploiter les données de leurs capteurs et de leurs engins agricoles"],
    ("A", "logistique"): ["organiser la collecte et la livraison de leurs produits en circuit court"],
    ("C", "production"): [
        "anticiper les pannes de leurs machines grâce à la maintenance prédictive",
        "détecter les défauts de fabrication sur la ligne par vision artificielle",
    ],
    ("C", "logistique"): ["prévoir leur demande et planifier leurs approvisionnements"],
    ("C", "donnees"): ["exploiter les données de leurs capteurs et de leurs automates"],
    ("D", "production"): ["prévoir la production et la consommation d'énergie"],
    ("E", "production"): ["détecter les fuites et optimiser la collecte des déchets"],
    ("F", "finance"): ["chiffrer leurs devis plus vite à partir des plans"],
    ("F", "production"): ["planifier leurs chantiers et anticiper les retards"],
    ("F", "juridique-conformite"): ["répondre plus vite aux appels d'offres"],
    ("G", "relation-client"): ["répondre à leurs clients en ligne, même le dimanche"],
    ("G", "logistique"): ["prévoir leurs ventes pour éviter ruptures et invendus"],
    ("G", "marketing"): ["rédiger leurs fiches produits et animer leurs réseaux sociaux"],
    ("H", "logistique"): ["optimiser leurs tournées et réduire les kilomètres à vide"],
    ("H", "ressources-humaines"): ["bâtir des plannings de conducteurs plus justes"],
    ("I", "relation-client"): ["gérer réservations et avis en ligne sans y passer leurs soirées"],
    ("I", "logistique"): ["prévoir la fréquentation et réduire le gaspillage alimentaire"],
    ("I", "marketing"): ["traduire leurs cartes et leurs sites pour la clientèle étrangère"],
    ("K", "finance"): ["automatiser l'analyse des dossiers et repérer les fraudes"],
    ("K", "relation-client"): ["répondre plus vite aux sinistres et aux demandes des assurés"],
    ("L", "marketing"): ["rédiger leurs annonces et préparer des visites virtuelles"],
    ("M", "juridique-conformite"): ["automatiser la recherche documentaire et les premiers jets d'actes"],
    ("M", "finance"): ["automatiser la tenue des comptes de leurs clients"],
    ("N", "ressources-humaines"): ["recruter plus vite sur des métiers en tension"],
    ("P", "ressources-humaines"): ["adapter leurs formations à chaque stagiaire"],
    ("Q", "donnees"): ["exploiter leurs données dans le respect du secret médical"],
    ("Q", "relation-client"): ["alléger le secrétariat et la prise de rendez-vous"],
    ("R", "marketing"): ["remplir leurs salles et faire connaître leurs événements"],
    ("S", "finance"): ["tenir leur gestion courante sans y passer leurs week-ends"],
}
# Projects, as noun phrases; {co} is a company of the sector (« une fonderie »), {of_co} « d'une fonderie ».
EXAMPLES = {
    "strategie": [
        "un atelier d'une demi-journée qui a fait émerger trois projets d'IA chez {co}",
        "la feuille de route IA {of_co}, construite avec toute l'équipe de direction",
    ],
    "relation-client": [
        "un assistant qui répond la nuit aux questions des clients {of_co}",
        "le tri automatique des deux cents courriels reçus chaque jour par {co}",
    ],
    "marketing": [
        "la refonte, avec l'IA générative, des fiches produits {of_co}",
        "une campagne ciblée qui a doublé le taux de réponse {of_co}",
    ],
    "production": [
        "la maintenance prédictive des machines {of_co}",
        "le contrôle qualité par caméra {of_co}",
    ],
    "logistique": [
        "la prévision des commandes {of_co}, à trois semaines",
        "l'optimisation des tournées de livraison {of_co}",
    ],
    "ressources-humaines": [
        "la formation de toute l'équipe {of_co} aux assistants d'IA",
        "un guide d'accueil des nouveaux salariés {of_co}, rédigé avec l'IA",
    ],
    "finance": [
        "la saisie automatique des factures {of_co}",
        "un outil de prévision de trésorerie pour {co}",
    ],
    "juridique-conformite": [
        "la mise en conformité {of_co} avec le règlement européen sur l'IA",
        "la charte d'usage de l'IA générative {of_co}",
    ],
    "donnees": [
        "le nettoyage de quinze ans de données {of_co}",
        "le tableau de bord de pilotage {of_co}",
    ],
    "cybersecurite": [
        "l'audit des usages de l'IA générative {of_co}",
        "un exercice d'hameçonnage grandeur nature {of_co}",
    ],
}
# Topics whose projects only make sense in some sectors (no delivery rounds for a hairdresser).
EXAMPLE_SECTORS = {"production": set("ABCDEF"), "logistique": set("ABCDEFGHI")}
TOPIC_WORDS = {  # « Je parle aussi volontiers de … »
    "strategie": "stratégie",
    "relation-client": "relation client",
    "marketing": "marketing",
    "production": "production",
    "logistique": "logistique",
    "ressources-humaines": "ressources humaines",
    "finance": "gestion et de finance",
    "juridique-conformite": "conformité",
    "donnees": "données",
    "cybersecurite": "cybersécurité",
}
# How to say what the person does: (one topic, two topics); {aud} the companies, or « les »/« leur » after an
# introduction that already named them.
HELP_NAMED = [
    ("J'aide {aud} à {h1}.", "J'aide {aud} à {h1} et à {h2}."),
    (
        "Concrètement, je montre {to_aud} comment {h1}.",
        "Concrètement, je montre {to_aud} comment {h1}, puis comment {h2}.",
    ),
    ("Mon rôle : aider {aud} à {h1}.", "Mon rôle : aider {aud} à {h1} et à {h2}."),
    (
        "Avec {aud}, je cherche surtout comment {h1}.",
        "Avec {aud}, je cherche surtout comment {h1}, mais aussi comment {h2}.",
    ),
]
HELP_PRONOUN = [
    ("Je les aide à {h1}.", "Je les aide à {h1} et à {h2}."),
    (
        "Concrètement, je leur montre comment {h1}.",
        "Concrètement, je leur montre comment {h1}, puis comment {h2}.",
    ),
    ("Mon fil rouge : les aider à {h1}.", "Mon fil rouge : les aider à {h1} et à {h2}."),
    ("Ensemble, nous voyons comment {h1}.", "Ensemble, nous voyons comment {h1}, puis comment {h2}."),
]
EXAMPLE_SENTENCES = [
    "Dernier projet en date : {ex}.",
    "Un exemple récent : {ex}.",
    "Parmi mes derniers projets : {ex}.",
    "Ce dont je suis le plus fi[er|ère] : {ex}.",
]
CLOSERS = [
    "Je crois aux petits projets, utiles et mesurables, plutôt qu'aux grandes promesses.",
    "Mon conseil : commencer petit, avec les outils que l'entreprise utilise déjà.",
    "Premier échange sans engagement, en visio ou autour d'un café.",
    "J'interviens aussi dans les cafés IA et les ateliers de la région.",
    "Ce qui me motive : que l'IA profite aussi aux plus petites entreprises.",
    "Je réponds volontiers aux dirigeants installés autour {of_city}.",
    "Pas besoin d'un service informatique pour commencer : une question concrète suffit.",
]
YEARS = ["cinq", "huit", "dix", "douze", "quinze", "vingt"]
STAFF = [12, 25, 40, 60, 85, 120, 180, 230]
STAFF_ETI = [300, 450, 650, 900, 1200]
_BRAND_START = [
    "Al",
    "Bel",
    "Cal",
    "Dal",
    "El",
    "Fer",
    "Gal",
    "Ker",
    "Lum",
    "Mar",
    "Nor",
    "Or",
    "Pal",
    "Ril",
    "Sol",
    "Tal",
    "Vir",
    "Ys",
    "Zen",
    "Nov",
    "Ar",
    "Bre",
    "Cor",
    "Dun",
    "Fal",
    "Hel",
]
_BRAND_END = ["ia", "ys", "eo", "ane", "ora", "ix", "is", "ea", "yne", "ium", "an", "ide", "olis"]


@dataclass(frozen=True)
class Archetype:
    key: str
    title: tuple[str, str]  # masculine, feminine
    networks: tuple[str, ...]  # partner networks that propose such people
    sectors: tuple[str, ...]  # NAF sections, most typical first
    topics: tuple[str, ...]  # topic slugs, most typical first
    structures: tuple[str, ...]  # {brand} invented, {last} a surname, {city}, {dep}
    # The first sentence: {title} {structure} {aud} {of_aud} {to_aud} {at_city} {of_city} {metro} {years}...
    intros: tuple[str, ...]
    size: str = "pme"  # recruitment.enums.StructureSize of such a structure
    bios: tuple[str, ...] = ()  # grand public: whole presentations
    closers: tuple[str, ...] = ()  # more last sentences, for this kind of person
    weight: int = 1

    @property
    def grand_public(self) -> bool:
        return bool(self.bios)

    def job_title(self, female: bool) -> str:
        return fr(self.title[1] if female else self.title[0])


SECTORAL = [
    Archetype(
        "consultant",
        ("Consultant en transformation numérique", "Consultante en transformation numérique"),
        ("france-num", "cci", "bpifrance"),
        ("C", "G", "F", "I", "M", "N", "S", "H"),
        ("strategie", "donnees", "relation-client", "marketing", "ressources-humaines"),
        ("{brand} Conseil", "{last} Conseil", "{last} & Associés", "{brand} Transformation"),
        (
            "{title} {at_city} depuis {years} ans, j'accompagne {aud} dans leurs premiers projets d'IA.",
            "Après une carrière dans l'industrie, j'ai fondé {structure} pour aider les entreprises à tirer parti du numérique, et aujourd'hui de l'IA.",
            "Chez {structure}, je conseille {aud} de la région {of_city} qui veulent passer de la curiosité aux premiers résultats.",
        ),
        size="tpe",
        weight=4,
    ),
    Archetype(
        "cci",
        ("Conseiller numérique", "Conseillère numérique"),
        ("cci",),
        ("G", "I", "S", "C", "F"),
        ("strategie", "marketing", "relation-client", "cybersecurite", "finance"),
        ("CCI {dep}",),
        (
            "{title} à la CCI, je rencontre chaque semaine {aud} qui se demandent par où commencer avec l'IA.",
            "À la CCI, j'anime les ateliers « IA pour les TPE » et j'accompagne {aud} dans leurs premiers usages.",
            "Depuis {years} ans à la CCI {dep}, j'aide les chefs d'entreprise à faire entrer le numérique dans leur quotidien.",
        ),
        size="public",
        closers=("Je peux aussi vous orienter vers les formations et les aides de la CCI.",),
        weight=5,
    ),
    Archetype(
        "bpifrance",
        ("Chargé d'affaires innovation", "Chargée d'affaires innovation"),
        ("bpifrance",),
        ("C", "J", "M", "A", "Q"),
        ("strategie", "finance", "donnees", "production"),
        ("Bpifrance {metro}",),
        (
            "{title} chez Bpifrance {at_metro}, je finance et j'accompagne {aud} qui lancent un projet d'IA.",
            "Chez Bpifrance, je suis chaque année une trentaine de projets d'innovation portés par {aud}.",
        ),
        size="public",
        closers=(
            "Je présente aussi les aides qui financent un premier projet d'IA : diagnostic, prototype, recrutement.",
        ),
        weight=5,
    ),
    Archetype(
        "dsi",
        ("Directeur des systèmes d'information", "Directrice des systèmes d'information"),
        ("cci", "sous-prefets-france-2030", "bpifrance"),
        ("C", "H", "G", "K", "Q"),
        ("donnees", "cybersecurite", "strategie", "ressources-humaines"),
        ("{last} Industries", "Groupe {brand}", "{brand} Logistique", "Groupe {last}"),
        (
            "{title} chez {structure}, j'ai piloté l'arrivée de l'IA générative auprès de {staff_eti} salariés, du choix des outils à la formation.",
            "Je dirige les systèmes d'information de {structure} et je partage avec {aud} ce que nous avons appris en déployant l'IA, erreurs comprises.",
        ),
        size="eti",
        weight=3,
    ),
    Archetype(
        "vision",
        (
            "Fondateur d'une start-up de vision par ordinateur",
            "Fondatrice d'une start-up de vision par ordinateur",
        ),
        ("french-tech", "bpifrance"),
        ("C", "A", "F", "G"),
        ("production", "donnees"),
        ("{brand} Vision", "{brand}"),
        (
            "J'ai fondé {structure} en {year} : nos caméras intelligentes repèrent les défauts, comptent et mesurent à la place de l'œil humain.",
            "Ingénieur[|e] en vision par ordinateur, j'ai créé {structure} pour mettre la détection automatique à la portée {of_aud}.",
        ),
        size="tpe",
        weight=2,
    ),
    Archetype(
        "data-scientist",
        ("Data scientist en PME industrielle", "Data scientist en PME industrielle"),
        ("sous-prefets-france-2030", "cci", "french-tech"),
        ("C", "D", "E"),
        ("production", "donnees", "logistique"),
        ("{last} Industries", "Ateliers {last}", "{brand} Plasturgie", "Mécanique {last}"),
        (
            "Data scientist chez {structure}, une PME de {staff} salariés, je transforme les données de nos machines en décisions pour l'atelier.",
            "Dans notre usine {of_city}, je construis depuis {years} ans des modèles qui servent chaque jour les équipes de production.",
        ),
        weight=3,
    ),
    Archetype(
        "esn",
        ("Dirigeant d'une ESN", "Dirigeante d'une ESN"),
        ("cci", "france-num", "french-tech"),
        ("J", "N", "M", "K", "G"),
        ("cybersecurite", "donnees", "strategie", "relation-client"),
        ("{brand} Informatique", "{brand} Services", "{last} Numérique"),
        (
            "À la tête de {structure}, une entreprise de services numériques de {staff} personnes {at_city}, j'installe chaque mois des outils d'IA chez {aud}.",
            "Je dirige {structure} : nous aidons les entreprises à choisir, installer et sécuriser leurs outils, désormais aussi ceux d'IA.",
        ),
        weight=3,
    ),
    Archetype(
        "maintenance",
        ("Responsable maintenance et fiabilité", "Responsable maintenance et fiabilité"),
        ("sous-prefets-france-2030", "cci"),
        ("C", "D", "E", "B"),
        ("production", "donnees"),
        ("Fonderie {last}", "{last} Industries", "{brand} Emballages", "Papeterie {last}"),
        (
            "Responsable de la maintenance d'un site de production {of_city}, j'ai mis en place la maintenance prédictive sur nos lignes : moins de pannes, moins d'arrêts subis.",
            "Je m'occupe de la maintenance chez {structure} depuis {years} ans ; l'IA nous a appris à anticiper les pannes plutôt qu'à les réparer.",
        ),
        weight=2,
    ),
    Archetype(
        "industriel",
        ("Directeur industriel", "Directrice industrielle"),
        ("sous-prefets-france-2030", "bpifrance", "cci"),
        ("C",),
        ("production", "logistique", "ressources-humaines", "strategie"),
        ("{last} Industries", "Groupe {brand}", "Mécanique {last}", "{brand} Composites"),
        (
            "{title} chez {structure}, j'ai fait entrer l'IA dans nos ateliers par la qualité et le planning, avec les opérateurs plutôt que sans eux.",
            "Dans notre usine {of_city} de {staff} salariés, j'ai mené nos premiers projets d'IA, de la maintenance à la planification.",
        ),
        size="eti",
        weight=3,
    ),
    Archetype(
        "comptable",
        ("Expert-comptable", "Experte-comptable"),
        ("france-num", "cci"),
        ("M", "G", "F", "I", "S"),
        ("finance", "juridique-conformite", "strategie"),
        ("Cabinet {last} Expertise", "{last} & Associés", "{brand} Audit et Conseil"),
        (
            "{title} {at_city}, je vois chaque jour combien de temps {aud} perdent en saisie et en relances.",
            "Dans notre cabinet, l'IA a changé la tenue des comptes ; j'aide maintenant nos clients à en profiter à leur tour.",
        ),
        weight=2,
    ),
    Archetype(
        "avocat",
        ("Avocat en droit des affaires et du numérique", "Avocate en droit des affaires et du numérique"),
        ("cci", "french-tech", "bpifrance"),
        ("M", "J", "K", "Q"),
        ("juridique-conformite", "cybersecurite", "ressources-humaines"),
        ("Cabinet {last} Avocats", "{last} & Associés, avocats"),
        (
            "Avocat[|e] au barreau {of_city}, je conseille {aud} sur le règlement européen sur l'IA, le RGPD et leurs contrats avec les éditeurs.",
            "Au sein de {structure}, j'accompagne les entreprises qui veulent utiliser l'IA sans prendre de risque juridique inutile.",
        ),
        size="tpe",
        weight=2,
    ),
    Archetype(
        "cyber",
        ("Consultant en cybersécurité", "Consultante en cybersécurité"),
        ("france-num", "cci", "sous-prefets-france-2030"),
        ("J", "K", "Q", "C", "N"),
        ("cybersecurite", "juridique-conformite", "donnees"),
        ("{brand} Sécurité", "{brand} Cyber"),
        (
            "{title} {at_city}, j'aide {aud} à se protéger, y compris des nouvelles menaces qui utilisent l'IA.",
            "Après dix ans dans un centre de réponse aux incidents, j'ai créé {structure} pour les entreprises qui n'ont pas d'équipe de sécurité.",
        ),
        size="tpe",
        weight=2,
    ),
    Archetype(
        "supply-chain",
        ("Responsable supply chain", "Responsable supply chain"),
        ("cci", "sous-prefets-france-2030"),
        ("H", "G", "C"),
        ("logistique", "donnees"),
        ("{brand} Logistique", "Transports {last}", "{last} Distribution"),
        (
            "Responsable supply chain chez {structure}, j'ai introduit la prévision des ventes par l'IA dans nos entrepôts : moins de ruptures, moins de stock dormant.",
            "Je pilote la chaîne logistique de {structure} depuis {years} ans et je partage nos méthodes avec {aud}.",
        ),
        size="eti",
        weight=2,
    ),
    Archetype(
        "startup-commerce",
        ("Fondateur d'une start-up d'IA pour le commerce", "Fondatrice d'une start-up d'IA pour le commerce"),
        ("french-tech", "bpifrance"),
        ("G", "I", "S"),
        ("marketing", "relation-client", "logistique"),
        ("{brand}", "{brand} Retail"),
        (
            "Avec {structure}, nous aidons les commerçants indépendants à prévoir leurs ventes et à répondre à leurs clients en ligne.",
            "J'ai lancé {structure} en {year} après avoir tenu une boutique : je connais le quotidien {of_aud}.",
        ),
        size="tpe",
        weight=2,
    ),
    Archetype(
        "chercheur",
        (
            "Enseignant-chercheur en intelligence artificielle",
            "Enseignante-chercheuse en intelligence artificielle",
        ),
        ("sous-prefets-france-2030", "french-tech"),
        ("P", "C", "M", "Q"),
        ("donnees", "production", "strategie"),
        ("École d'ingénieurs {brand}", "Institut {brand}, école d'ingénieurs"),
        (
            "{title} dans une école d'ingénieurs {of_city}, je monte des projets entre nos étudiants et {aud}.",
            "Dans notre école d'ingénieurs, j'enseigne l'apprentissage automatique et je dirige des projets menés avec des entreprises de la région.",
        ),
        size="public",
        weight=2,
    ),
    Archetype(
        "french-tech",
        ("Directeur d'une communauté French Tech", "Directrice d'une communauté French Tech"),
        ("french-tech",),
        ("J", "M", "N"),
        ("strategie", "finance", "marketing"),
        ("French Tech {metro}",),
        (
            "{title}, je fais se rencontrer chaque mois les start-up de l'IA et les entreprises qui ont un besoin concret.",
            "À la French Tech {metro}, j'anime un réseau de start-up de l'IA et je les mets en relation avec {aud}.",
        ),
        size="public",
        weight=2,
    ),
    Archetype(
        "industrie-futur",
        ("Chargé de mission industrie du futur", "Chargée de mission industrie du futur"),
        ("sous-prefets-france-2030", "cci"),
        ("C", "D"),
        ("production", "strategie", "ressources-humaines"),
        ("Agence de développement {brand}", "CCI {dep}"),
        (
            "{title}, j'accompagne {aud} dans la modernisation de leurs usines : robotique, capteurs, et maintenant IA.",
            "Je visite chaque semaine des usines autour {of_city} pour aider les dirigeants à choisir leurs premiers projets d'IA.",
        ),
        size="public",
        weight=2,
    ),
    Archetype(
        "rh",
        ("Consultant en ressources humaines", "Consultante en ressources humaines"),
        ("france-num", "cci"),
        ("N", "Q", "G", "I", "P"),
        ("ressources-humaines", "juridique-conformite", "strategie"),
        ("{brand} RH", "Cabinet {last} RH"),
        (
            "{title} {at_city}, j'aide {aud} à recruter, former et garder leurs équipes, avec l'IA quand elle est utile.",
            "Ancien[|ne] DRH, j'ai créé {structure} pour les dirigeants qui veulent que l'IA serve leurs équipes, pas l'inverse.",
        ),
        size="tpe",
        weight=2,
    ),
    Archetype(
        "marketing",
        ("Consultant en marketing digital", "Consultante en marketing digital"),
        ("france-num", "cci", "french-tech"),
        ("G", "I", "R", "S", "L"),
        ("marketing", "relation-client"),
        ("Agence {brand}", "{brand} Communication"),
        (
            "{title}, je dirige {structure}, une agence qui produit avec l'IA une partie des contenus {of_aud}.",
            "Depuis {years} ans, j'aide {aud} à se faire connaître en ligne ; l'IA générative a changé notre façon de travailler.",
        ),
        size="tpe",
        weight=2,
    ),
    Archetype(
        "btp",
        ("Dirigeant d'une entreprise du bâtiment", "Dirigeante d'une entreprise du bâtiment"),
        ("cci", "sous-prefets-france-2030"),
        ("F", "L"),
        ("finance", "strategie", "production", "juridique-conformite"),
        ("{last} Bâtiment", "{last} Construction", "Entreprise {last} TP"),
        (
            "À la tête d'une entreprise de {staff} salariés {at_city}, j'ai commencé l'IA par nos devis et nos comptes rendus de chantier.",
            "Chez {structure}, nous avons montré qu'une entreprise du bâtiment peut gagner du temps avec l'IA sans bouleverser ses chantiers.",
        ),
        weight=2,
    ),
    Archetype(
        "agri",
        ("Conseiller en agriculture numérique", "Conseillère en agriculture numérique"),
        ("france-num", "sous-prefets-france-2030", "cci"),
        ("A", "C"),
        ("production", "donnees", "logistique"),
        ("{brand} Agri Conseil", "Coopérative {brand}"),
        (
            "{title}, je parcours les exploitations autour {of_city} pour montrer ce que l'IA apporte au quotidien.",
            "Fil[s|le] d'agriculteurs et ingénieur[|e] agronome, j'accompagne {aud} dans l'usage des capteurs, des images et de l'IA.",
        ),
        size="tpe",
        weight=2,
    ),
    Archetype(
        "sante",
        ("Consultant en IA pour la santé", "Consultante en IA pour la santé"),
        ("french-tech", "bpifrance", "france-num"),
        ("Q",),
        ("donnees", "juridique-conformite", "relation-client"),
        ("{brand} Santé",),
        (
            "{title}, j'accompagne les cabinets, les maisons de santé et les établissements médico-sociaux dans leurs premiers projets d'IA.",
            "Ancien[ directeur|ne directrice] d'hôpital, j'ai fondé {structure} pour aider {aud} à adopter l'IA en confiance.",
        ),
        size="tpe",
        weight=1,
    ),
    Archetype(
        "agroalimentaire",
        ("Directeur général d'une PME agroalimentaire", "Directrice générale d'une PME agroalimentaire"),
        ("sous-prefets-france-2030", "bpifrance", "cci"),
        ("C", "A", "G"),
        ("logistique", "production", "strategie"),
        ("Conserverie {last}", "Fromagerie {last}", "Biscuiterie {brand}", "Salaisons {last}"),
        (
            "{title} {at_city}, j'ai utilisé l'IA d'abord pour prévoir nos ventes en grande surface, puis pour la qualité en production.",
            "Chez {structure}, l'IA prévoit désormais la demande des magasins : nous produisons juste ce qu'il faut.",
        ),
        weight=2,
    ),
    Archetype(
        "startup-tourisme",
        (
            "Fondateur d'une start-up d'IA pour l'hôtellerie",
            "Fondatrice d'une start-up d'IA pour l'hôtellerie",
        ),
        ("french-tech", "bpifrance"),
        ("I", "R"),
        ("relation-client", "marketing", "logistique"),
        ("{brand} Tourisme", "{brand}"),
        (
            "Ancien[ directeur|ne directrice] d'hôtel, j'ai fondé {structure} pour que les hôteliers indépendants gèrent réservations et avis en ligne sans y passer leurs soirées.",
            "Avec {structure}, nous mettons l'IA au service {of_aud}, de la réservation à la cuisine.",
        ),
        size="tpe",
        weight=1,
    ),
    Archetype(
        "activateur",
        ("Consultant numérique pour les TPE", "Consultante numérique pour les TPE"),
        ("france-num",),
        ("S", "G", "I", "F"),
        ("strategie", "marketing", "finance", "relation-client"),
        ("{brand} Numérique", "{last} Conseil"),
        (
            "Activat[eur|rice] France Num {at_city}, je forme les artisans et les commerçants aux outils numériques, et désormais à l'IA.",
            "{title}, j'interviens chez {aud} pour des missions courtes : un outil, un usage, une équipe formée.",
        ),
        size="independant",
        weight=4,
    ),
    Archetype(
        "daf",
        (
            "Directeur administratif et financier à temps partagé",
            "Directrice administrative et financière à temps partagé",
        ),
        ("france-num", "bpifrance", "cci"),
        ("M", "N", "G", "C", "K"),
        ("finance", "donnees", "juridique-conformite"),
        ("{brand} Finance", "{last} Gestion"),
        (
            "{title}, je travaille pour plusieurs PME à la fois et j'y ai automatisé la saisie, les relances et les prévisions de trésorerie.",
            "J'accompagne {aud} sur leur gestion depuis {years} ans ; l'IA m'a rendu un jour par semaine.",
        ),
        size="independant",
        weight=2,
    ),
    Archetype(
        "transport",
        (
            "Responsable innovation d'un groupe de transport",
            "Responsable innovation d'un groupe de transport",
        ),
        ("sous-prefets-france-2030", "cci", "bpifrance"),
        ("H",),
        ("logistique", "donnees", "ressources-humaines"),
        ("Transports {last}", "Groupe {last} Transports"),
        (
            "Chez {structure}, j'ai mené l'optimisation des tournées par l'IA : moins de kilomètres, moins de carburant, des conducteurs mieux informés.",
            "Dans le transport depuis {years} ans, je montre {to_aud} que l'IA se rentabilise vite sur les tournées et les plannings.",
        ),
        size="eti",
        weight=1,
    ),
    Archetype(
        "energie",
        ("Ingénieur en efficacité énergétique", "Ingénieure en efficacité énergétique"),
        ("sous-prefets-france-2030", "bpifrance"),
        ("D", "E", "C", "F"),
        ("donnees", "production"),
        ("{brand} Énergie", "{brand} Environnement"),
        (
            "{title} chez {structure}, j'utilise l'IA pour prévoir les consommations et repérer les dérives sur les réseaux et les sites industriels.",
            "J'aide {aud} à mesurer, puis à réduire, leurs consommations d'énergie grâce aux données et à l'IA.",
        ),
        weight=1,
    ),
    Archetype(
        "assurance",
        ("Responsable de l'IA dans une mutuelle", "Responsable de l'IA dans une mutuelle"),
        ("bpifrance", "cci"),
        ("K", "Q"),
        ("relation-client", "finance", "juridique-conformite"),
        ("Mutuelle {brand}",),
        (
            "Responsable de l'IA à la {structure}, j'ai déployé un assistant qui aide nos conseillers à répondre aux adhérents.",
            "Je pilote les projets d'IA d'une mutuelle régionale et j'en partage les leçons avec {aud}.",
        ),
        size="eti",
        weight=1,
    ),
    Archetype(
        "immobilier",
        ("Dirigeant d'un réseau d'agences immobilières", "Dirigeante d'un réseau d'agences immobilières"),
        ("cci", "france-num"),
        ("L", "G"),
        ("marketing", "relation-client", "juridique-conformite"),
        ("{last} Immobilier",),
        (
            "À la tête de six agences {at_city}, j'ai fait de l'IA un outil du quotidien pour nos annonces et nos réponses aux clients.",
            "Chez {structure}, l'IA rédige les premiers jets des annonces et trie les demandes : nos conseillers gardent le contact humain.",
        ),
        size="pme",
        weight=1,
    ),
    Archetype(
        "formation",
        ("Directeur d'un organisme de formation", "Directrice d'un organisme de formation"),
        ("france-num", "cci"),
        ("P", "N"),
        ("ressources-humaines", "strategie"),
        ("{brand} Formation",),
        (
            "{title} {at_city}, je forme chaque année des centaines de salariés et de dirigeants aux outils d'IA.",
            "Chez {structure}, nous avons conçu des formations courtes à l'IA pour {aud}.",
        ),
        size="pme",
        weight=1,
    ),
]

GRAND_PUBLIC = [
    Archetype(
        "chef",
        ("Chef cuisinier", "Cheffe cuisinière"),
        (),
        ("I",),
        ("logistique", "strategie", "marketing"),
        ("Restaurant {brand}", "Maison {last}"),
        (),
        bios=(
            "Chef[|fe] d'un restaurant de cinquante couverts {at_city}, j'utilise l'IA pour prévoir la fréquentation et commander au plus juste : moins de gaspillage, moins de stress. Je raconte aux restaurateurs comment une cuisine adopte ces outils sans perdre son âme.",
            "En cuisine depuis vingt ans, j'ai découvert l'IA par la gestion : prévisions de réservations, fiches techniques, carte traduite en quatre langues. Mon message aux TPE de l'hôtellerie-restauration : ces outils sont à votre portée, à condition de partir d'un vrai problème.",
            "Ancien[|ne] second[|e] dans de grandes maisons, j'ai ouvert mon bistrot {at_city} avec une idée fixe : zéro gaspillage. L'IA prévoit nos couverts au jour près et m'aide à écrire la carte ; j'en parle volontiers aux restaurateurs qui manquent de temps.",
        ),
    ),
    Archetype(
        "navigatrice",
        ("Navigateur, skipper de course au large", "Navigatrice, skippeuse de course au large"),
        (),
        ("R",),
        ("donnees", "strategie"),
        ("{brand} Océan Racing",),
        (),
        bios=(
            "En course au large, l'IA m'aide à choisir ma route parmi des milliers de scénarios météo. J'explique aux dirigeants ce que la voile de compétition nous apprend : des données fiables, une décision humaine, et beaucoup d'entraînement.",
            "Seul[|e] en mer pendant des semaines, je décide avec des données et des modèles de routage. J'en tire des leçons simples pour les entreprises : savoir ce que l'on mesure, garder la main sur la décision.",
        ),
    ),
    Archetype(
        "traileuse",
        ("Athlète de haut niveau en trail", "Athlète de haut niveau en trail"),
        (),
        ("R", "G"),
        ("donnees", "ressources-humaines"),
        ("{brand} Outdoor",),
        (),
        bios=(
            "Athlète de trail et cofondat[eur|rice] d'une marque de matériel de montagne, j'utilise l'IA pour analyser mes entraînements et, dans l'entreprise, pour prévoir nos ventes saison par saison. J'aime montrer aux PME du sport et des loisirs qu'elles ont déjà les données pour commencer.",
            "Coureu[r|se] de montagne, je prépare mes courses avec des outils d'analyse qui doivent beaucoup à l'IA. Devenu[|e] chef[|fe] d’entreprise, je montre aux TPE du sport que les mêmes méthodes servent à connaître ses clients et à organiser son équipe.",
        ),
    ),
    Archetype(
        "avocate",
        ("Avocat en droit du numérique", "Avocate en droit du numérique"),
        (),
        ("M",),
        ("juridique-conformite", "cybersecurite"),
        ("Cabinet {last} Avocats",),
        (),
        bios=(
            "Avocat[|e] au barreau {of_city}, je conseille les entreprises sur le règlement européen sur l'IA, le RGPD et la propriété des contenus générés. J'explique en termes simples ce qu'une PME peut faire, ce qu'elle doit documenter et ce qu'elle doit éviter.",
            "Spécialiste du droit du numérique, je plaide et j'écris sur les responsabilités liées à l'IA. Dans mes conférences, je montre aux dirigeants que la conformité n'est pas un frein mais une méthode.",
        ),
    ),
    Archetype(
        "artiste",
        ("Artiste plasticien", "Artiste plasticienne"),
        (),
        ("R",),
        ("marketing", "juridique-conformite"),
        ("Atelier {last}",),
        (),
        bios=(
            "Artiste plasticien[|ne], je travaille avec des outils d'IA générative depuis 2022, comme on travaille un matériau. J'interviens sur la création, sur les droits d'auteur, et sur la façon dont les artisans d'art et les petites entreprises créatives peuvent s'en servir pour se faire connaître.",
            "Mes installations mêlent peinture et images générées par l'IA. Je parle aux entreprises de ce que l'IA change pour la création, et des règles à connaître avant d'utiliser une image générée dans sa communication.",
        ),
    ),
    Archetype(
        "musicienne",
        ("Compositeur et producteur de musique", "Compositrice et productrice de musique"),
        (),
        ("R", "J"),
        ("marketing", "juridique-conformite"),
        ("Studio {brand}",),
        (),
        bios=(
            "Composit[eur|rice] pour le cinéma et la publicité, j'utilise l'IA en studio pour gagner du temps, jamais pour remplacer l'inspiration. Je témoigne des droits des créateurs et de ce que l'IA change pour les entreprises culturelles.",
            "Musicien[|ne] et fondat[eur|rice] d'un label indépendant, j'utilise l'IA pour le mixage, la traduction des paroles et la promotion. Je parle aux artistes et aux petites entreprises culturelles de leurs droits, et des usages qui leur font vraiment gagner du temps.",
        ),
    ),
    Archetype(
        "eti",
        (
            "Président-directeur général d'une ETI familiale",
            "Présidente-directrice générale d'une ETI familiale",
        ),
        (),
        ("C",),
        ("strategie", "ressources-humaines", "production"),
        ("Groupe {last}",),
        (),
        bios=(
            "Troisième génération à la tête du {structure}, 600 salariés, j'ai lancé notre plan IA en commençant par former tout le monde, de l'atelier à la direction. Je témoigne de ce qu'il faut pour qu'une entreprise industrielle familiale s'approprie l'IA sans y perdre son identité.",
            "Je dirige une ETI industrielle {at_city}. Nos premiers projets d'IA ont porté sur la qualité et la maintenance ; le plus dur n'a pas été la technique, mais d'embarquer les équipes. C'est ce que je raconte aux autres dirigeants.",
        ),
    ),
    Archetype(
        "agricultrice",
        ("Agriculteur, président d'une coopérative", "Agricultrice, présidente d'une coopérative"),
        (),
        ("A",),
        ("production", "donnees"),
        ("Coopérative {brand}",),
        (),
        bios=(
            "Céréalier[|e] et président[|e] d'une coopérative de quatre cents adhérents, j'utilise des images satellite et l'IA pour moduler les apports sur chaque parcelle. Je montre aux agriculteurs que ces outils sont déjà à leur portée, et ce qu'ils rapportent vraiment.",
            "Éleveu[r|se] laiti[er|ère] et président[|e] d'une coopérative, je suis passé[|e] des carnets aux capteurs puis à l'IA pour suivre la santé du troupeau. Je témoigne auprès des agriculteurs : ces outils se choisissent, se paient et se maîtrisent comme un tracteur.",
        ),
    ),
    Archetype(
        "journaliste",
        ("Journaliste et auteur d'un essai sur l'IA", "Journaliste et autrice d'un essai sur l'IA"),
        (),
        ("J",),
        ("strategie", "juridique-conformite"),
        ("{brand} Médias",),
        (),
        bios=(
            "Journaliste économique, j'ai enquêté deux ans dans des PME qui utilisent l'IA pour écrire un essai sur le sujet. Je raconte ce qui marche, ce qui déçoit, et les questions à se poser avant de se lancer.",
            "Journaliste spécialisé[|e] dans les PME, je tiens une chronique sur les usages concrets de l'IA. J'aide les dirigeants à faire le tri entre les promesses et les résultats, exemples d'entreprises à l'appui.",
        ),
    ),
    Archetype(
        "medecin",
        (
            "Médecin généraliste, fondateur d'une maison de santé",
            "Médecin généraliste, fondatrice d'une maison de santé",
        ),
        (),
        ("Q",),
        ("relation-client", "donnees", "ressources-humaines"),
        ("Maison de santé {brand}",),
        (),
        bios=(
            "Médecin généraliste {at_city}, j'utilise un assistant d'IA pour la prise de notes et le secrétariat : quarante minutes gagnées par jour, rendues aux patients. Je parle aux professionnels de santé de ce que l'IA permet, et de ce qu'elle ne doit pas faire.",
            "Médecin {at_city} et fondat[eur|rice] d'une maison de santé de douze professionnels, j'ai mené chez nous l'arrivée d'un assistant de prise de rendez-vous et de notes. J'explique aux soignants ce qu'il faut exiger d'un outil d'IA : la sécurité des données d'abord.",
        ),
    ),
    Archetype(
        "videaste",
        ("Vidéaste et créateur de contenus", "Vidéaste et créatrice de contenus"),
        (),
        ("J", "R"),
        ("marketing",),
        ("Chaîne {brand}",),
        (),
        bios=(
            "Vidéaste suivi[|e] par plus de deux cent mille personnes, je montre chaque semaine des usages concrets de l'IA pour les petites entreprises. J'aide les commerçants et les artisans à raconter leur métier en vidéo, avec des outils simples.",
            "Créat[eur|rice] d'une chaîne sur l'entrepreneuriat, je teste chaque mois des outils d'IA avec de vrais commerçants et artisans. Mon objectif : que chacun reparte avec un usage simple, essayé devant la caméra.",
        ),
    ),
    Archetype(
        "architecte",
        ("Architecte", "Architecte"),
        (),
        ("F", "M"),
        ("production", "strategie"),
        ("Atelier d'architecture {last}",),
        (),
        bios=(
            "Architecte {at_city}, j'utilise l'IA pour explorer des variantes de projets et estimer les consommations d'un bâtiment dès l'esquisse. Je montre aux entreprises du bâtiment que l'IA peut aussi servir les chantiers, pas seulement les bureaux.",
            "Architecte et urbaniste, je conçois des logements avec des outils d'IA qui simulent la lumière, le bruit et l'énergie. Je parle aux entreprises du bâtiment et aux maîtres d'ouvrage de ce que l'IA change sur un projet, du croquis au chantier.",
        ),
    ),
    Archetype(
        "vigneronne",
        ("Vigneron", "Vigneronne"),
        (),
        ("A", "C"),
        ("production", "marketing", "logistique"),
        ("Domaine {last}",),
        (),
        bios=(
            "Vigneron[|ne] sur vingt hectares, j'utilise des capteurs et l'IA pour anticiper les maladies de la vigne et traiter moins. L'IA m'aide aussi à écrire pour nos clients à l'étranger : je raconte tout cela aux agriculteurs et aux artisans qui hésitent.",
            "Vigneron[|ne] en agriculture biologique, j'ai adopté un outil d'IA qui prévoit les risques de maladie à partir de la météo de chaque parcelle. Je raconte aux agriculteurs et aux artisans ce que j'ai gagné, et ce que j'ai dû apprendre.",
        ),
    ),
    Archetype(
        "chercheuse",
        ("Chercheur en intelligence artificielle", "Chercheuse en intelligence artificielle"),
        (),
        ("P", "M"),
        ("strategie", "donnees"),
        ("Institut {brand} de recherche en IA",),
        (),
        bios=(
            "Chercheu[r|se] en apprentissage automatique, je consacre une partie de mon temps à expliquer l'IA à ceux qui en entendent parler sans savoir par où la prendre. Mes conférences partent de cas d'entreprises, pas de la technique.",
            "Chercheu[r|se] et fondat[eur|rice] d'un laboratoire commun avec des PME, je fais le lien entre la recherche en IA et les besoins des entreprises. Mon message : l'IA utile commence par une bonne question et des données propres.",
        ),
    ),
    Archetype(
        "transporteur",
        (
            "Dirigeant d'une entreprise de transport routier",
            "Dirigeante d'une entreprise de transport routier",
        ),
        (),
        ("H",),
        ("logistique", "ressources-humaines"),
        ("Transports {last}",),
        (),
        bios=(
            "À la tête d'une entreprise de transport de cent vingt conducteurs, j'étais sceptique. Optimiser les tournées avec l'IA nous a fait économiser 8 % de carburant la première année : je raconte ce chemin à ceux de mon secteur qui doutent encore.",
            "Je dirige une entreprise familiale de transport et de logistique {at_city}. L'IA nous aide à planifier les tournées et à prévoir les pannes des camions ; je montre aux transporteurs qui doutent encore que c'est à notre portée.",
        ),
    ),
    Archetype(
        "pharmacienne",
        (
            "Pharmacien, président d'un groupement d'officines",
            "Pharmacienne, présidente d'un groupement d'officines",
        ),
        (),
        ("Q", "G"),
        ("logistique", "relation-client"),
        ("Pharmacie {brand}",),
        (),
        bios=(
            "Pharmacien[|ne] {at_city} et président[|e] d'un groupement de quarante officines, j'ai testé l'IA pour prévoir nos commandes et répondre aux questions fréquentes des patients. Je témoigne de ce que les petites structures de santé peuvent en attendre.",
            "Dans mon officine, l'IA prévoit les ruptures de médicaments et prépare les commandes aux grossistes. Je montre aux pharmaciens et aux commerçants de santé comment s'y prendre, et où garder la main.",
        ),
    ),
    Archetype(
        "footballeuse",
        (
            "Ancien footballeur professionnel, entraîneur",
            "Ancienne footballeuse professionnelle, entraîneuse",
        ),
        (),
        ("R",),
        ("donnees", "ressources-humaines"),
        ("Club {brand}",),
        (),
        bios=(
            "Ancien[|ne] joueu[r|se] professionnel[|le], j'entraîne aujourd'hui une équipe où l'IA analyse les matchs et la charge d'entraînement. Je montre aux dirigeants ce que le sport enseigne : la donnée éclaire, l'humain décide.",
        ),
    ),
    Archetype(
        "comedienne",
        ("Comédien et metteur en scène", "Comédienne et metteuse en scène"),
        (),
        ("R",),
        ("marketing", "juridique-conformite"),
        ("Compagnie {brand}",),
        (),
        bios=(
            "Comédien[|ne] et metteu[r|se] en scène, je défends une IA qui sert les artistes sans les remplacer. Avec ma compagnie, nous l'utilisons pour la billetterie et la communication, et je raconte ce que cela change pour les petites structures culturelles.",
        ),
    ),
    Archetype(
        "mode",
        ("Fondateur d'une marque de prêt-à-porter", "Fondatrice d'une marque de prêt-à-porter"),
        (),
        ("C", "G"),
        ("marketing", "logistique", "production"),
        ("Maison {brand}",),
        (),
        bios=(
            "J'ai fondé une marque de vêtements fabriqués en France ; l'IA nous aide à prévoir les tailles et les quantités de chaque collection, et donc à moins jeter. Je parle aux commerçants et aux ateliers de ce que l'IA change pour une petite marque.",
            "Styliste de formation, je dirige une marque de mode {at_city} qui vend surtout en ligne. L'IA rédige nos fiches produits et prévoit nos ventes ; je partage ce retour d'expérience avec les créateurs et les commerçants.",
        ),
    ),
    Archetype(
        "notaire",
        ("Notaire", "Notaire"),
        (),
        ("M",),
        ("juridique-conformite", "relation-client"),
        ("Office notarial {last}",),
        (),
        bios=(
            "Notaire {at_city}, j'ai introduit l'IA dans l'étude pour la recherche documentaire et la préparation des actes, sous le contrôle de chacun. J'explique aux professions réglementées comment avancer sans rien céder sur le secret et la responsabilité.",
        ),
    ),
    Archetype(
        "photographe",
        ("Photographe", "Photographe"),
        (),
        ("R", "J"),
        ("marketing", "juridique-conformite"),
        ("Studio {last}",),
        (),
        bios=(
            "Photographe depuis vingt ans, j'ai vu arriver les images générées avec inquiétude, puis avec curiosité. J'aide les créateurs et les entreprises à distinguer ce qui est permis, ce qui est utile et ce qui trompe.",
        ),
    ),
    Archetype(
        "hoteliere",
        ("Directeur d'un hôtel familial", "Directrice d'un hôtel familial"),
        (),
        ("I",),
        ("relation-client", "marketing"),
        ("Hôtel {brand}",),
        (),
        bios=(
            "Je dirige un hôtel familial de trente chambres {at_city}. Grâce à l'IA, nous répondons aux avis et aux demandes en cinq langues, et nous avons repris du temps pour l'accueil : c'est ce que je raconte aux hôteliers et aux restaurateurs.",
            "Hôteli[er|ère] de troisième génération, j'ai confié à l'IA les tâches que personne n'aimait : relances, traductions, planning des chambres. Je témoigne auprès des professionnels du tourisme, chiffres à l'appui.",
        ),
    ),
    Archetype(
        "fondatrice",
        (
            "Fondateur d'une entreprise du numérique devenue ETI",
            "Fondatrice d'une entreprise du numérique devenue ETI",
        ),
        (),
        ("J",),
        ("strategie", "ressources-humaines"),
        ("{brand} Group",),
        (),
        bios=(
            "J'ai créé mon entreprise il y a douze ans avec deux associés ; elle emploie aujourd'hui huit cents personnes. Je raconte aux dirigeants de PME comment commencer petit avec l'IA, et pourquoi il faut associer les équipes dès le premier jour.",
        ),
    ),
    Archetype(
        "ebeniste",
        ("Ébéniste et designer", "Ébéniste et designer"),
        (),
        ("C", "S"),
        ("production", "marketing"),
        ("Atelier {last}",),
        (),
        bios=(
            "Ébéniste {at_city}, je me sers de l'IA pour dessiner des variantes, chiffrer mes devis et répondre aux clients. Je montre aux artisans que l'IA ne remplace pas la main, mais libère du temps pour elle.",
        ),
    ),
    Archetype(
        "economiste",
        ("Économiste de l'innovation", "Économiste de l'innovation"),
        (),
        ("M", "P"),
        ("strategie", "finance"),
        ("Institut {brand}",),
        (),
        bios=(
            "Économiste de l'innovation, j'étudie ce que l'IA change à la productivité des PME. Dans mes interventions, je donne des chiffres, des exemples, et une méthode pour choisir ses premiers projets.",
        ),
    ),
]

ARCHETYPES = {a.key: a for a in SECTORAL + GRAND_PUBLIC}
# The personalities, one presentation each: the first presentation of every kind, then the second ones...
GRAND_PUBLIC_SLOTS = [
    (a, a.bios[n])
    for n in range(max(len(a.bios) for a in GRAND_PUBLIC))
    for a in GRAND_PUBLIC
    if n < len(a.bios)
]
JOB_TITLES = frozenset(fr(title) for a in ARCHETYPES.values() for title in a.title)


def archetype_of_title(title: str) -> Archetype:
    return next(a for a in ARCHETYPES.values() if title in (a.job_title(False), a.job_title(True)))


def brand(rng: random.Random) -> str:
    return rng.choice(_BRAND_START) + rng.choice(_BRAND_END)


def archetype_for(rng: random.Random, *, network: str | None, grand_public: bool) -> Archetype:
    """A kind of person the network would propose (any, for grand public personalities)."""
    if grand_public:
        return rng.choice(GRAND_PUBLIC)
    pool = [a for a in SECTORAL if network is None or network in a.networks]
    return rng.choices(pool, [a.weight for a in pool])[0]


def pick_sectors(rng: random.Random, archetype: Archetype, count: int) -> list[str]:
    first = archetype.sectors[0] if rng.random() < 0.6 else rng.choice(archetype.sectors)
    others = [s for s in archetype.sectors if s != first]
    return [first, *rng.sample(others, min(count - 1, len(others)))]


def pick_topics(rng: random.Random, archetype: Archetype, count: int) -> list[str]:
    first = archetype.topics[0] if rng.random() < 0.6 else rng.choice(archetype.topics)
    others = [t for t in archetype.topics if t != first]
    return [first, *rng.sample(others, min(count - 1, len(others)))]


def structure_name(
    rng: random.Random, archetype: Archetype, *, last: str, city: str, dep: str, metro: str
) -> str:
    """The person's structure: ``city`` is theirs, ``metro`` the main city of their region (where a Bpifrance
    office or a French Tech community is)."""
    pattern = rng.choice(archetype.structures)
    return fr(pattern.format(brand=brand(rng), last=last, city=city, dep=dep, metro=metro))


def audience(rng: random.Random, sectors: list[str]) -> str:
    if len(sectors) == 1 and rng.random() < 0.6:
        return rng.choice(AUDIENCES[sectors[0]])
    return rng.choice(HEADS) + " " + join([SECTOR_OF[s] for s in sectors])


def help_phrase(rng: random.Random, sector: str, topic: str, avoid: str = "") -> str:
    choices = SECTOR_HELP.get((sector, topic)) or HELP[topic]
    if rng.random() < 0.3:
        choices = HELP[topic]
    choices = [c for c in choices if c != avoid] or HELP[topic]
    return rng.choice(choices)


def example(rng: random.Random, sector: str, topic: str) -> str:
    fits = EXAMPLE_SECTORS.get(topic)
    company = rng.choice(COMPANIES[sector]) if fits is None or sector in fits else "une PME de la région"
    return rng.choice(EXAMPLES[topic]).format(co=company, of_co=of(company))


def presentation(
    rng: random.Random,
    archetype: Archetype,
    *,
    female: bool,
    structure: str,
    city: str,
    dep: str,
    metro: str,
    sectors: list[str],
    topics: list[str],
    bio: str = "",
) -> str:
    """Two to four sentences in the first person: who the person is, what they help which companies do (their
    first sector and topics), a project of theirs (another sector or topic), and sometimes how they work. A
    personality's presentation is written whole (``bio``, one of ``archetype.bios``)."""
    context = {
        "title": archetype.job_title(female),
        "structure": structure,
        "city": city,
        "dep": dep,
        "at_city": at(city),
        "of_city": of(city),
        "metro": metro,
        "at_metro": at(metro),
        "years": rng.choice(YEARS),
        "year": rng.randint(2016, 2023),
        "staff": rng.choice(STAFF),
        "staff_eti": rng.choice(STAFF_ETI),
    }
    if archetype.grand_public:
        return fr(gender(bio or rng.choice(archetype.bios), female).format(**context))
    aud = audience(rng, sectors)
    context |= {"aud": aud, "of_aud": of(aud), "to_aud": to_plural(aud)}
    intro = rng.choice(archetype.intros)
    named = any(key in intro for key in ("{aud}", "{of_aud}", "{to_aud}"))
    sentences = [capitalise(intro.format(**context))]
    h1 = help_phrase(rng, sectors[0], topics[0])
    h2 = help_phrase(rng, sectors[0], topics[1], avoid=h1) if len(topics) > 1 else ""
    # « à h1, même le dimanche et à h2 » reads badly: the one without a comma first.
    if h2 and "," in h1 and "," not in h2:
        h1, h2 = h2, h1
    one, two = rng.choice(HELP_PRONOUN if named else HELP_NAMED)
    sentences.append((two if h2 else one).format(h1=h1, h2=h2, **context))
    if len(topics) > 2 or rng.random() < 0.7:
        topic = topics[2] if len(topics) > 2 else rng.choice(topics)
        fits = EXAMPLE_SECTORS.get(topic)
        sector = next((s for s in reversed(sectors) if fits is None or s in fits), sectors[-1])
        sentences.append(rng.choice(EXAMPLE_SENTENCES).format(ex=example(rng, sector, topic)))
    if len(topics) > 3:
        sentences.append(f"Je parle aussi volontiers {of(TOPIC_WORDS[topics[3]])}.")
    elif len(sentences) < 4 and rng.random() < 0.6:
        sentences.append(rng.choice([*CLOSERS, *archetype.closers]).format(**context))
    return fr(gender(" ".join(sentences), female))
