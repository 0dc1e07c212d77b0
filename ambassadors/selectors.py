from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from ambassadors.enums import ProfileKind
from ambassadors.models import Ambassador, PartnerNetwork, Topic
from territories.models import Departement, NafActivity, Region

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
    qs = Ambassador.objects.all()
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
    for word in filters.q.split()[:8]:
        qs = qs.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(structure_name__icontains=word)
            | Q(job_title__icontains=word)
            | Q(bio__icontains=word)
        )
    return _with_related(qs.order_by("last_name", "first_name", "pk"))


def region_ambassadors(region: Region) -> dict[str, list[Ambassador]]:
    """A region's published ambassadors, grouped by profile (grand public first)."""
    groups: dict[str, list[Ambassador]] = {kind: [] for kind in ProfileKind.values}
    for ambassador in (
        ambassadors_public().filter(_in_region(region.code)).order_by("last_name", "first_name")
    ):
        groups[ambassador.kind].append(ambassador)
    return groups


def national_ambassadors() -> QuerySet[Ambassador]:
    return ambassadors_public().filter(is_national=True).order_by("last_name", "first_name")
