from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils import timezone

from accounts.scope import scope_for
from ambassadors.enums import ProfileKind, PublicationState
from ambassadors.models import Ambassador, PartnerNetwork, Topic
from core.awaiting import Awaiting
from core.formats import french_date, local
from core.search import Matches, Term, own_text, text_ids
from territories.geo import Origin, distance_label, near
from territories.models import Departement, NafActivity, Region
from territories.search import PlaceTerm, query_terms

# How long the directory's results (and the API's) are kept at most: the freshness rule (a change shows within a
# minute) for what their keys do not hold (ambassadors/views.py: _results).
RESULTS_SECONDS = 60
# What a list of ambassadors needs to render without a query per row.
LIST_PREFETCH = ("regions", "departements", "sectors", "topics")


# Where an ambassador is, for a distance: their commune's centre (never an address of theirs).
COMMUNE_POINT = {"latitude": "commune__latitude", "longitude": "commune__longitude"}


def distance_text(km: float) -> str:
    """« à 4,2 km »; « dans la commune recherchée » for one based in the commune searched (the distance between
    two centres is then nothing, and « à 100 m » would claim a precision there is not)."""
    return "dans la commune recherchée" if km < 0.05 else distance_label(km)


def _with_related(qs: QuerySet[Ambassador]) -> QuerySet[Ambassador]:
    return qs.select_related("proposing_network", "commune").prefetch_related(*LIST_PREFETCH)


def _in_region(code: str) -> Exists:
    return Exists(Ambassador.regions.through.objects.filter(ambassador_id=OuterRef("pk"), region_id=code))


def ambassadors_public() -> QuerySet[Ambassador]:
    """Published and consented profiles: the only ones any public page, embed, feed or export may show."""
    return _with_related(Ambassador.objects.published())


def ambassadors_for_user(user) -> QuerySet[Ambassador]:
    """The profiles a logged-in user may see in the back office. Anything else is a 404 for them."""
    # The empty shell of an erased profile (kept for company requests' figures) is nobody's to manage.
    qs = Ambassador.objects.filter(erased_at__isnull=True)
    return _with_related(
        scope_for(user).narrow(qs, region=_in_region, network="proposing_network_id", owner="user_id")
    )


@dataclass(frozen=True)
class DirectoryFilters:
    region: Region | None = None
    departement: Departement | None = None
    secteur: NafActivity | None = None
    thematique: Topic | None = None
    profil: str = ""
    reseau: PartnerNetwork | None = None
    activateur: bool = False
    q: str = ""
    origin: Origin | None = None  # « près de »: the commune measured from (territories.geo.origin_for)
    distance_km: int | None = None


def ambassadors_directory(filters: DirectoryFilters) -> QuerySet[Ambassador]:
    """The public directory, filtered. Every filter narrows the list (AND); words of ``q`` must all match."""
    qs = Ambassador.objects.published()
    if filters.region:
        qs = qs.filter(_in_region(filters.region.code))
    if filters.departement:
        qs = qs.filter(
            Exists(
                Ambassador.departements.through.objects.filter(
                    ambassador_id=OuterRef("pk"), departement_id=filters.departement.code
                )
            )
        )
    if filters.secteur:
        qs = qs.filter(
            Exists(
                Ambassador.sectors.through.objects.filter(
                    ambassador_id=OuterRef("pk"), nafactivity_id=filters.secteur.pk
                )
            )
        )
    if filters.thematique:
        qs = qs.filter(
            Exists(
                Ambassador.topics.through.objects.filter(
                    ambassador_id=OuterRef("pk"), topic_id=filters.thematique.pk
                )
            )
        )
    if filters.profil in ProfileKind.values:
        qs = qs.filter(kind=filters.profil)
    if filters.reseau:
        qs = qs.filter(proposing_network=filters.reseau)
    if filters.activateur:
        qs = qs.filter(is_france_num_activateur=True)
    for term in query_terms(filters.q):
        qs = qs.filter(_acts_in(term) if isinstance(term, PlaceTerm) else _matches(term))
    if filters.origin is not None and filters.distance_km:
        # Only those whose commune lies within the distance (a profile without a commune cannot be placed; a
        # national one is listed if based there), annotated ``distance_km``, nearest first.
        qs = near(qs, filters.origin, filters.distance_km, **COMMUNE_POINT)
        return _with_related(qs.order_by("distance_km", "sort_name", "pk"))
    return _with_related(qs.order_by("sort_name", "pk"))


def _own_text(term: Term) -> Q:
    return own_text(Ambassador, term)


def _any_of(*id_sets: QuerySet | RawSQL) -> Q:
    """The profiles whose pk is in one of ``id_sets``: one sub-select, a UNION ALL of lookups each served by an
    index. Written as SQL because SQLite's full-text lookup is no queryset (``core.search.text_ids``); each part
    is wrapped in its own ``SELECT *`` (SQLite refuses a compound of sub-selects with their own clauses)."""
    parts, params = [], []
    for n, ids in enumerate(id_sets):
        sql, values = (
            (ids.sql, ids.params) if isinstance(ids, RawSQL) else ids.order_by().query.sql_with_params()
        )
        parts.append(f"SELECT * FROM ({sql}) AS ids{n}")  # noqa: S608 - SQL compiled by Django, values as parameters
        params.extend(values)
    return Q(pk__in=RawSQL(" UNION ALL ".join(parts), params))  # noqa: S611 - compiled querysets, their parameters


def _matches(term: Term) -> Q:
    """A word of the directory's search: in the profile's own text (names, structure, job title, presentation) or
    in the name of one of its topics, sectors, regions or départements. One sub-select of the ids (a UNION), so that
    PostgreSQL serves the texts from their GIN index (several OR-ed sub-selects make it scan and re-read them) and
    SQLite from the profiles' FTS5 table (migrations/0010): ``LIKE`` read the 1,200 characters of presentation of
    every profile twice per search, for the count and for the page (6 ms each at 5,000 profiles)."""
    return _any_of(
        text_ids(Ambassador, term),
        *(
            through.objects.filter(
                **{f"{column}__in": model.objects.filter(Matches(term)).values("pk")}
            ).values("ambassador_id")
            for through, column, model in (
                (Ambassador.topics.through, "topic_id", Topic),
                (Ambassador.sectors.through, "nafactivity_id", NafActivity),
                (Ambassador.regions.through, "region_id", Region),
                (Ambassador.departements.through, "departement_id", Departement),
            )
        ),
    )


def _acts_in(place: PlaceTerm) -> Q:
    """A place name typed in the directory's search: the ambassadors who act there, or whose own text names it.

    An ambassador acts in a region they list; in a département they list, or that lies in a region they list
    without naming any of its départements (listing only the region means acting in all of it); in a commune as in
    its département (« Lyon » finds those of the Rhône). National ambassadors list no region: a place finds them
    only through their own text, as the region filter does not list them either."""
    regions, departements = Ambassador.regions.through, Ambassador.departements.through
    found = _own_text(place.text) if place.text else Q(pk__in=[])
    if place.regions:
        found |= Q(pk__in=regions.objects.filter(region_id__in=place.regions).values("ambassador_id"))
    if place.departements:
        found |= Q(
            pk__in=departements.objects.filter(departement_id__in=place.departement_codes).values(
                "ambassador_id"
            )
        )
        whole_region = regions.objects.filter(
            region_id__in={region for _code, region in place.departements}
        ).exclude(
            Exists(
                departements.objects.filter(
                    ambassador_id=OuterRef("ambassador_id"), departement__region_id=OuterRef("region_id")
                )
            )
        )
        found |= Q(pk__in=whole_region.values("ambassador_id"))
    return found


# The version of an ambassador's card (``_card.html``, the embed's line): what it shows is on the profile's row but the
# names of its regions and topics. Which regions and topics a profile lists changes only in a save of the profile,
# in the same transaction (``services.ambassador_update``, the admin's form; the designation links them before any
# publication), which moves ``updated_at``; their names change in the admin, which drops
# ``core.fragments.reference_version`` (in every key of a list of cards). A list's cards are therefore read as
# these pairs, and the profiles with their four prefetches only when the cached HTML is missing: building ~400
# instances and their relations only to make the keys was most of /regions/84/ (58 ms at 5,000 profiles).
CARD_VERSION = ("pk", "updated_at")


def card_versions(qs: QuerySet[Ambassador]) -> list[tuple]:
    """The versions of the cards of ``qs`` (in its order), without its prefetches nor joins."""
    return list(qs.select_related(None).prefetch_related(None).values_list(*CARD_VERSION))


# What a card shows of the profile's relations (``_card.html``); the embed's lines show none.
CARD_PREFETCH = ("regions", "topics")


def public_cards(versions: list[tuple], prefetch: tuple[str, ...] = CARD_PREFETCH) -> list[Ambassador]:
    """The published profiles of ``versions``, in their order, with the relations their cards show: the
    département, sector and network objects of ``ambassadors_public`` were two thirds of rendering a region's
    cards (cold, 196 profiles)."""
    found = Ambassador.objects.published().prefetch_related(*prefetch).in_bulk([v[0] for v in versions])
    return [found[version[0]] for version in versions if version[0] in found]


def profiles_version() -> tuple:
    """A version of every profile, in one query: their number and their last change (a save, the links to regions,
    topics, sectors and départements changed with it, a publication, a consent withdrawn, an erasure move it; a
    deletion lowers the number). Two scalar sub-selects, so that each is one read of an index (SQLite counts a
    table's entries without reading them, 5 µs; ``COUNT`` and ``MAX`` in one select scanned the index, 0.6 ms)."""
    table = connection.ops.quote_name(Ambassador._meta.db_table)
    column = connection.ops.quote_name(Ambassador._meta.get_field("updated_at").column)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT (SELECT COUNT(*) FROM {table}), (SELECT MAX({column}) FROM {table})")  # noqa: S608 - our names
        count, last = cursor.fetchone()
    return (count, str(last))


def region_versions(region: Region) -> dict[str, list[tuple]]:
    """A region's published ambassadors as card versions, grouped by profile (grand public first)."""
    groups: dict[str, list[tuple]] = {kind: [] for kind in ProfileKind.values}
    # From the region's links (its index by region), then sorted: a few hundred profiles, where testing each
    # published profile for a link to the region, as the directory's filter does to find a first page, read all
    # of them (0.7 ms instead of 2.2 on SQLite at 3,333 published).
    rows = (
        Ambassador.objects.published()
        .filter(
            pk__in=Ambassador.regions.through.objects.filter(region_id=region.code).values("ambassador_id")
        )
        .order_by("sort_name", "pk")
    )
    for *version, kind in rows.values_list(*CARD_VERSION, "kind"):
        groups[kind].append(tuple(version))
    return groups


def national_versions() -> list[tuple]:
    return card_versions(Ambassador.objects.published().filter(is_national=True).order_by("sort_name", "pk"))


# What the public sees of a profile once published (the directory page, region pages, embeds, open data), in the
# words of the consent; and what it never sees. ``tests/ambassadors/test_preview.py`` holds them to the exports.
PUBLIC_FIELDS = (
    "vos prénom et nom",
    "votre fonction et votre structure (avec son SIREN s’il est connu)",
    "votre profil (grand public, ou sectoriel et régional) et votre qualité d’activateur France Num",
    "votre présentation",
    "les territoires où vous intervenez (régions, départements)",
    "vos secteurs et vos thématiques",
    "le réseau partenaire qui vous a proposé",
    "vos liens\u00a0: site web, profil LinkedIn, page France Num",
    "les dates de votre désignation et de la publication",
)
NEVER_PUBLIC = ("votre adresse électronique", "votre numéro de téléphone")

# The manage list's « à traiter » filters (``?etat=``), beside the publication states.
AWAITING_PUBLICATION = "a-publier"
MISSING_CONSENT = "sans-consentement"
AWAITING_FILTERS = (
    (AWAITING_PUBLICATION, "Consentis, en attente de publication"),
    (MISSING_CONSENT, "Sans consentement"),
)


def _active(qs: QuerySet[Ambassador]) -> QuerySet[Ambassador]:
    """Profiles still in their mandate, their erasure not asked: the only ones anyone has work on."""
    return qs.filter(mandate_ended_at__isnull=True, erasure_requested_at__isnull=True)


def ambassadors_awaiting_publication(qs: QuerySet[Ambassador]) -> QuerySet[Ambassador]:
    """Consented and not (or no longer) published: a coordinator's decision awaits."""
    return _active(qs).filter(consent_at__isnull=False).exclude(publication_state=PublicationState.PUBLISHED)


def ambassadors_missing_consent(qs: QuerySet[Ambassador]) -> QuerySet[Ambassador]:
    return _active(qs).filter(consent_at__isnull=True)


def profile_missing(ambassador: Ambassador) -> list[str]:
    """What the person could add so that the public page says enough (none of it blocks publication, which
    needs only the consent). Reads ``has_topics`` and ``has_sectors`` when ``awaiting_for_user`` annotated them."""
    has_topics = getattr(ambassador, "has_topics", None)
    has_sectors = getattr(ambassador, "has_sectors", None)
    if has_topics is None:
        has_topics = ambassador.topics.exists()
    if has_sectors is None:
        has_sectors = ambassador.sectors.exists()
    missing = []
    if not ambassador.job_title:
        missing.append("fonction")
    if not ambassador.bio:
        missing.append("présentation")
    if not has_topics:
        missing.append("thématiques")
    if ambassador.kind == ProfileKind.SECTORIEL_REGIONAL and not has_sectors:
        missing.append("secteurs")
    if not (ambassador.website_url or ambassador.linkedin_url):
        missing.append("un lien (site web ou LinkedIn)")
    return missing


def _own_awaiting(user) -> list[Awaiting]:
    ambassador = (
        _active(Ambassador.objects.filter(user=user, erased_at__isnull=True))
        .annotate(
            has_topics=Exists(Ambassador.topics.through.objects.filter(ambassador_id=OuterRef("pk"))),
            has_sectors=Exists(Ambassador.sectors.through.objects.filter(ambassador_id=OuterRef("pk"))),
        )
        .first()
    )
    if ambassador is None:
        return []
    preview_url = reverse("ambassadors:manage_preview", args=[ambassador.pk])
    missing = profile_missing(ambassador)
    items = [
        Awaiting(
            label="À compléter sur votre profil" + (f"\u00a0: {', '.join(missing)}" if missing else ""),
            count=len(missing),
            url=reverse("ambassadors:manage_edit", args=[ambassador.pk]),
            empty="Votre profil est complet. Relisez son aperçu de temps en temps pour le garder à jour.",
        )
    ]
    if ambassador.consent_at is None:
        items.append(
            Awaiting(
                label="Consentement à la publication à donner, après l’aperçu de votre page publique",
                count=1,
                url=preview_url,
                empty="",
            )
        )
    elif ambassador.publication_state == PublicationState.PUBLISHED:
        items.append(
            Awaiting(
                label="Votre profil est publié",
                count=0,
                url=ambassador.get_absolute_url(),
                empty=f"Votre profil est dans l’annuaire depuis le {french_date(local(ambassador.published_at), weekday=False)}"
                "\u00a0: les entreprises peuvent vous écrire par la plateforme.",
            )
        )
    else:
        withdrawn = ambassador.publication_state == PublicationState.UNPUBLISHED
        items.append(
            Awaiting(
                label="Profil retiré de la publication par la coordination"
                if withdrawn
                else "Profil en attente de publication par la coordination",
                count=1,
                url=preview_url,
                empty="",
            )
        )
    # An absence is not work waiting: it is said in the list of what waits for nothing, with its dates (a count of
    # days shown as a big number read as « 15 things to do »).
    today = timezone.localdate()
    absence = ambassador.absent_from and ambassador.absent_until and ambassador.absent_until >= today
    items.append(
        Awaiting(
            label="Absence annoncée",
            count=0,
            url=reverse("contact:availability"),
            empty=(
                f"{_capitalised(_period(ambassador.absent_from, ambassador.absent_until))}\u00a0: aucune demande ne "
                f"vous {'est' if ambassador.absent_from <= today else 'sera'} transmise."
                if absence
                else "Aucune absence annoncée. Partez-vous bientôt\u00a0? Indiquez vos dates dans « Mes "
                "disponibilités »\u00a0: aucune demande ne vous sera transmise pendant ce temps."
            ),
        )
    )
    return items


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _period(first, last) -> str:
    """« du 1er au 15 mai 2026 », « du 28 avril au 3 mai 2026 », « du 28 décembre 2026 au 3 janvier 2027 »."""
    if first == last:
        return f"le {french_date(first, weekday=False)}"
    same_year = first.year == last.year
    start = french_date(first, weekday=False, year=not same_year)
    if same_year and first.month == last.month:
        start = "1er" if first.day == 1 else str(first.day)
    return f"du {start} au {french_date(last, weekday=False)}"


def _coordinator_awaiting(user) -> list[Awaiting]:
    scope = Ambassador.objects.filter(erased_at__isnull=True)
    if user.is_regional_coordinator:
        scope = scope.filter(_in_region(user.region_id))
    active = Q(mandate_ended_at__isnull=True, erasure_requested_at__isnull=True)
    counts = scope.aggregate(
        to_publish=Count(
            "pk",
            filter=active & Q(consent_at__isnull=False) & ~Q(publication_state=PublicationState.PUBLISHED),
        ),
        no_consent=Count("pk", filter=active & Q(consent_at__isnull=True)),
    )
    list_url = reverse("ambassadors:manage_list")
    return [
        Awaiting(
            label="Profils consentis à publier",
            count=counts["to_publish"],
            url=f"{list_url}?etat={AWAITING_PUBLICATION}",
            empty="Aucun profil n’attend d’être publié. Un profil s’ajoute ici dès que la personne consent à sa "
            "publication.",
        ),
        Awaiting(
            label="Profils sans consentement à la publication",
            count=counts["no_consent"],
            url=f"{list_url}?etat={MISSING_CONSENT}",
            empty="Toutes les personnes de votre périmètre ont consenti à la publication de leur profil.",
        ),
    ]


def awaiting_for_user(user) -> list[Awaiting]:
    """« Ce qui vous attend » (``core.awaiting``): for an ambassador, what their profile lacks, its consent and
    publication, their absence; for a coordinator, the profiles of their scope to publish and those without
    consent. One query whatever the counts."""
    if not user.is_authenticated:
        return []
    if user.is_coordinator:
        return _coordinator_awaiting(user)
    if user.is_ambassador:
        return _own_awaiting(user)
    return []
