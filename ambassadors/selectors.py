from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from ambassadors.enums import ProfileKind
from ambassadors.models import Ambassador, PartnerNetwork, Topic
from core.search import Matches, Term, own_text
from territories.models import Departement, NafActivity, Region
from territories.search import PlaceTerm, query_terms

# What a list of ambassadors needs to render without a query per row.
LIST_PREFETCH = ("regions", "departements", "sectors", "topics")


def _with_related(qs: QuerySet[Ambassador]) -> QuerySet[Ambassador]:
    return qs.select_related("proposing_network").prefetch_related(*LIST_PREFETCH)


def _in_region(code: str) -> Exists:
    return Exists(Ambassador.regions.through.objects.filter(ambassador_id=OuterRef("pk"), region_id=code))


def ambassadors_public() -> QuerySet[Ambassador]:
    """Published and consented profiles: the only ones any public page, embed, feed or export may show."""
    return _with_related(Ambassador.objects.published())


def ambassadors_for_user(user) -> QuerySet[Ambassador]:
    """The profiles a logged-in user may see in the back office. Anything else is a 404 for them."""
    # The empty shell of an erased profile (kept for company requests' figures) is nobody's to manage.
    qs = Ambassador.objects.filter(erased_at__isnull=True)
    if not user.is_authenticated:
        return qs.none()
    if user.is_national_coordinator:
        return _with_related(qs)
    if user.is_regional_coordinator:
        return _with_related(qs.filter(_in_region(user.region_id)))
    if user.is_reviewer:
        qs = qs.filter(proposing_network_id=user.partner_network_id)
        if user.region_id:
            qs = qs.filter(_in_region(user.region_id))
        return _with_related(qs)
    if user.is_ambassador:
        return _with_related(qs.filter(user=user))
    return qs.none()


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
    return _with_related(qs.order_by("sort_name", "pk"))


def _own_text(term: Term) -> Q:
    return own_text(Ambassador, term)


def _matches(term: Term) -> Q:
    """A word of the directory's search: in the profile's own text (names, structure, job title, presentation) or
    in the name of one of its topics, sectors, regions or départements. One sub-select of the ids (a UNION), so that
    PostgreSQL serves the texts from their GIN index (several OR-ed sub-selects make it scan and re-read them)."""
    return Q(
        pk__in=Ambassador.objects.filter(Matches(term))
        .values("pk")
        .union(
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
            all=True,
        )
        .order_by()
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


def region_ambassadors(region: Region) -> dict[str, list[Ambassador]]:
    """A region's published ambassadors, grouped by profile (grand public first)."""
    groups: dict[str, list[Ambassador]] = {kind: [] for kind in ProfileKind.values}
    for ambassador in ambassadors_public().filter(_in_region(region.code)).order_by("sort_name", "pk"):
        groups[ambassador.kind].append(ambassador)
    return groups


def national_ambassadors() -> QuerySet[Ambassador]:
    return ambassadors_public().filter(is_national=True).order_by("sort_name", "pk")
