"""What the API reads and returns. Public fields only: no email or phone of anyone, ever."""

from datetime import datetime

from ninja import Field, Schema


class Error(Schema):
    message: str = Field(description="Le problème, en français")
    erreurs: dict[str, list[str]] = Field(
        default_factory=dict, description="Par paramètre ou champ, les erreurs"
    )


class Departement(Schema):
    code: str
    nom: str
    region: str


class Region(Schema):
    code: str
    nom: str
    fuseau_horaire: str
    departements: list[Departement]


class Ambassador(Schema):
    identifiant: str
    prenom: str
    nom: str
    fonction: str
    structure: str
    siren: str
    profil: str
    national: bool
    regions: list[str]
    departements: list[str]
    secteurs: list[str]
    thematiques: list[str]
    reseau: str
    date_designation: str
    date_publication: str
    activateur_france_num: bool
    page_france_num: str
    site_web: str
    linkedin: str
    url: str


class Place(Schema):
    lieu: str
    adresse: str
    commune: str | None = Field(description="Code INSEE de la commune")
    nom_commune: str | None
    departement: str | None
    region: str


class Event(Schema):
    identifiant: str
    titre: str
    description: str = Field(
        description="Texte brut, sans balisage : la description telle qu’un flux la donne"
    )
    description_html: str = Field(
        description="La description en HTML nettoyé, comme la page de l’événement la montre (paragraphes, listes, "
        "liens http, https ou mailto ; ni script, ni style, ni image)"
    )
    debut: datetime = Field(description="Date et heure avec décalage horaire (ISO 8601)")
    fin: datetime
    fuseau_horaire: str
    toute_la_journee: bool
    modalite: str
    lieu: Place
    debut_initial: datetime | None = Field(
        None, description="Pour un événement reporté puis reprogrammé : la date annoncée d’abord (ISO 8601)"
    )
    lien_en_ligne: str = Field(
        description="Vide tant que l’événement est annulé ou reporté sans nouvelle date"
    )
    format: str
    public: str
    secteurs: list[str]
    thematiques: list[str]
    gratuit: bool
    lien_inscription: str = Field(
        description="Vide tant que l’événement est annulé ou reporté sans nouvelle date"
    )
    organisateur: str
    site_organisateur: str
    statut: str
    url: str
    ical: str


class Page(Schema):
    total: int
    page: int
    pages: int
    par_page: int


class Commune(Schema):
    code: str = Field(description="Code INSEE de la commune")
    nom: str


class ListedAmbassador(Ambassador):
    distance_km: float | None = Field(
        None,
        description="Avec pres_de seulement : la distance à vol d’oiseau, en km arrondis au dixième, du centre de la "
        "commune demandée au centre de la commune où l’ambassadeur est basé",
    )
    commune: Commune | None = Field(
        None, description="Avec pres_de seulement : la commune où l’ambassadeur est basé (jamais une adresse)"
    )


class AmbassadorPage(Page):
    resultats: list[ListedAmbassador]


class ListedEvent(Event):
    distance_km: float | None = Field(
        None,
        description="Avec pres_de seulement : la distance à vol d’oiseau, en km arrondis au dixième, du centre de la "
        "commune demandée au lieu de l’événement (au centre de sa commune quand le lieu n’est pas situé)",
    )


class EventPage(Page):
    resultats: list[ListedEvent]


class RegionPage(Page):
    resultats: list[Region]


class DepartementPage(Page):
    resultats: list[Departement]


class StatisticsGroup(Schema):
    """A group of at least 10 results. The groups of fewer than 10, with the smallest others when needed, are merged
    into one group « Autres (regroupés pour protéger l’anonymat) » of at least 10, so none can be recovered."""

    groupe: str
    resultats: int = Field(description="Nombre de résultats du groupe (au moins 10)")
    repartition: dict[str, int] = Field(description="Pourcentage par profil ; la somme fait 100")


class Statistics(Schema):
    total: int
    repartition: dict[str, int] | None
    reference_nationale: dict[str, int]
    par_region: list[StatisticsGroup]
    par_taille: list[StatisticsGroup]
    par_secteur: list[StatisticsGroup]


class PartnerEventIn(Schema):
    """An event pushed by a partner. Times with an offset (2026-03-12T14:30:00+01:00), or without one: then read
    in ``fuseau_horaire``, or in the region's time zone."""

    identifiant_externe: str = Field(
        "", max_length=200, description="Votre identifiant de l’événement (facultatif)"
    )
    titre: str = Field(..., min_length=3, max_length=200)
    description: str = Field("", max_length=10000)
    # The agenda's years (core/dates.py), checked in api/partner.py with the forms' French message.
    debut: datetime = Field(..., description="Entre l’an 2000 et l’an 2100 (le jour lu à l’heure donnée)")
    fin: datetime = Field(..., description="Entre l’an 2000 et l’an 2100, après le début")
    fuseau_horaire: str = Field("", max_length=64, description="Nom IANA, ex. Europe/Paris, Indian/Reunion")
    toute_la_journee: bool = False
    modalite: str = Field("in_person", description="in_person, online ou hybrid")
    lieu: str = Field("", max_length=200)
    adresse: str = Field("", max_length=300)
    code_postal: str = Field("", max_length=10, description="Donne la commune, le département et la région")
    region: str = Field("", max_length=3, description="Code INSEE de la région, si pas de code postal")
    lien_en_ligne: str = Field("", max_length=500)
    format: str = Field("autre", max_length=32)
    public: str = Field("", max_length=200)
    secteurs: list[str] = Field(default_factory=list, max_length=21, description="Sections NAF (lettres)")
    thematiques: list[str] = Field(
        default_factory=list, max_length=20, description="Identifiants de thématiques"
    )
    gratuit: bool = True
    lien_inscription: str = Field("", max_length=500)
    organisateur: str = Field("", max_length=200)
    site_organisateur: str = Field("", max_length=500)
    statut: str = Field("scheduled", max_length=16)


class PartnerEvent(Schema):
    id: int
    identifiant_externe: str
    moderation: str = Field(description="submitted (en attente), published ou refused")
    motif_refus: str
    evenement: Event


class PartnerEventPage(Page):
    resultats: list[PartnerEvent]
