import hashlib
import io
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Max, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import SimpleLazyObject
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csp import csp_override
from django.views.decorators.http import (
    condition,
    require_GET,
    require_http_methods,
    require_POST,
    require_safe,
)

from ambassadors import exports, rules, services
from ambassadors.enums import KIND_GROUPS, ProfileKind, PublicationState
from ambassadors.forms import AmbassadorProfileForm, DirectoryFilterForm, UnpublishForm
from ambassadors.models import Ambassador, PartnerNetwork, Topic
from ambassadors.selectors import (
    AWAITING_FILTERS,
    AWAITING_PUBLICATION,
    CARD_PREFETCH,
    CARD_VERSION,
    MISSING_CONSENT,
    NEVER_PUBLIC,
    PUBLIC_FIELDS,
    RESULTS_SECONDS,
    ambassadors_awaiting_publication,
    ambassadors_directory,
    ambassadors_for_user,
    ambassadors_missing_consent,
    ambassadors_public,
    distance_text,
    national_versions,
    profiles_version,
    public_cards,
    region_versions,
)
from core.csvsafe import csv_writer
from core.exports import export_response
from core.fragments import FRAGMENT_SECONDS, digest, filters_key_for, reference_version
from core.http import json_error
from territories.models import Region
from territories.selectors import regions_list

PAGE_SIZE = 24
EXPORT_CACHE_SECONDS = 60 * 60

# The embed may be framed by any site (the State's regional sites); every other page forbids framing.
EMBED_CSP = {**settings.SECURE_CSP, "frame-ancestors": ["*"]}


def _exports_version(request, *args, **kwargs) -> str:
    """A fingerprint of everything the open-data exports show, in three small queries: the number of profiles and
    their newest change (any save moves the date; a deletion lowers the number) and the topics and networks
    (renamed in the admin, they carry no date). Serves as the ETag (304) and in the cache key; kept on the request,
    since both ask for it. No Last-Modified: a date cannot tell that a profile was deleted."""
    if not hasattr(request, "_exports_version"):
        profiles = Ambassador.objects.aggregate(count=Count("pk"), last=Max("updated_at"))
        references = [
            list(Topic.objects.order_by("pk").values_list("pk", "slug", "name")),
            list(PartnerNetwork.objects.order_by("pk").values_list("pk", "slug", "name")),
        ]
        last = profiles["last"].timestamp() if profiles["last"] else 0
        raw = f"{profiles['count']}|{last}|{references}"
        request._exports_version = hashlib.sha256(raw.encode()).hexdigest()[:32]
    return request._exports_version


@login_not_required
@require_GET
def home(request):
    counts = Ambassador.objects.published().aggregate(
        total=Count("pk"),
        grand_public=Count("pk", filter=Q(kind=ProfileKind.GRAND_PUBLIC)),
        activateurs=Count("pk", filter=Q(is_france_num_activateur=True)),
    )
    return render(request, "ambassadors/home.html", {"counts": counts, "regions": regions_list()})


# What a card of a « près de » search adds to its version (``_results``): the distance, the commune and its
# département (« Basée à Villeurbanne (69), à 4,2 km »).
NEAR_COLUMNS = ("distance_km", "commune__name", "commune__departement_id")


def _near_cards(versions: list[tuple]) -> list[Ambassador]:
    """``public_cards`` of ``versions``, each told where it is and how far (``near_place``, ``near_distance``) when
    the versions carry it (a « près de » search)."""
    cards = public_cards(versions)
    found = {v[0]: v[len(CARD_VERSION) :] for v in versions if len(v) > len(CARD_VERSION)}
    for card in cards:
        if card.pk in found:
            km, name, departement = found[card.pk]
            card.near_place = f"{name} ({departement})"
            card.near_distance = distance_text(km)
    return cards


def _results(form, form_key: str, number) -> tuple[int, int, list[tuple]]:
    """The number of profiles the directory finds with ``form``'s filters, the page shown (``number`` as sent,
    made valid as ``Paginator.get_page`` does) and the versions of its cards (``CARD_VERSION``).

    Kept in the shared cache by the filters sent and the reference lists (``form_key``: a region, a topic, a name
    a word is matched against) and ``profiles_version()`` (the profiles and their links): the query is built, run
    and counted only when one of them changed. A common word of the search (« données »: 1,882 profiles) was
    counted, then sorted for its page, at every request, and building the query of a search (a UNION per word,
    the place names of the query looked up) took as long as running it: 7 to 9 ms of a warm search on SQLite, now
    one read of an index. ``RESULTS_SECONDS`` bounds what the key does not hold (the communes' names a place word
    is read with, loaded in bulk with the reference data) and a version read while another transaction was
    committing."""

    def found():
        filters = form.filters()
        # « Près de »: each version carries the distance and the commune too, for the card's « à 4,2 km ».
        near = NEAR_COLUMNS if filters.origin is not None else ()
        rows = ambassadors_directory(filters).prefetch_related(None).values_list(*CARD_VERSION, *near)
        page = Paginator(rows, PAGE_SIZE).get_page(number)
        return page.paginator.count, page.number, list(page.object_list)

    key = "directory-results:" + digest(form_key, number, profiles_version())
    return cache.get_or_set(key, found, RESULTS_SECONDS)


@login_not_required
@require_GET
def directory(request):
    form = DirectoryFilterForm(request.GET or None)
    status = 200
    if form.is_bound and not form.is_valid():
        status = 400
    form_key = filters_key_for(DirectoryFilterForm, request.GET)
    count, number, versions = (
        _results(form, form_key, request.GET.get("page")) if status == 200 else (0, 1, [])
    )
    paginator = Paginator(Ambassador.objects.none(), PAGE_SIZE)
    paginator.count = count
    page = paginator.page(number)
    # The page's profiles, as a queryset the template never reads (it shows their cached cards).
    page.object_list = (
        ambassadors_public().filter(pk__in=[v[0] for v in versions]).order_by("sort_name", "pk")
    )
    # The cards are cached by their versions (CARD_VERSION): the profiles are read only to render them.
    cards_key = digest("directory-cards", versions, reference_version()) if versions else ""
    return render(
        request,
        "ambassadors/directory.html",
        {
            "form": form,
            "form_key": form_key,
            "page_obj": page,
            "cards_key": cards_key,
            "ambassadors": SimpleLazyObject(lambda: _near_cards(versions)),
            "fragment_seconds": FRAGMENT_SECONDS,
        },
        status=status,
    )


@login_not_required
@require_GET
def ambassador_detail(request, slug):
    ambassador = get_object_or_404(ambassadors_public(), slug=slug)
    return render(request, "ambassadors/detail.html", {"ambassador": ambassador})


@login_not_required
@require_GET
def region_list(request):
    """The regions and their number of published profiles: the table kept as HTML under the profiles' version."""

    def regions():
        published = dict(
            Ambassador.objects.published()
            .filter(regions__isnull=False)
            .values_list("regions")
            .annotate(n=Count("pk", distinct=True))
            .order_by()
        )
        return [(region, published.get(region.pk, 0)) for region in regions_list()]

    return render(
        request,
        "ambassadors/region_list.html",
        {
            "regions": SimpleLazyObject(regions),
            "regions_key": digest("region-list", profiles_version(), reference_version()),
            "fragment_seconds": FRAGMENT_SECONDS,
        },
    )


def _region_versions(region: Region, *, national: bool = False) -> tuple[dict[str, list[tuple]], list[tuple]]:
    """``region_versions`` of ``region`` (and ``national_versions`` if asked), kept in the shared cache by
    ``profiles_version()`` as the directory's results are: one read of an index instead of sorting the region's
    profiles and finding the national ones (two queries, 3 ms of a warm region's page on PostgreSQL)."""

    def found():
        return region_versions(region), (national_versions() if national else [])

    key = "region-versions:" + digest(region.code, national, profiles_version())
    return cache.get_or_set(key, found, RESULTS_SECONDS)


def _region_context(region: Region, versions: dict[str, list[tuple]], *parts, prefetch=CARD_PREFETCH) -> dict:
    """A region's ambassadors by profile, as the versions of their cards (``versions``): the profiles are read
    (``groups``, with ``prefetch``) only when the cached HTML is missing; ``groups_key`` holds the versions and
    ``parts`` (what else it shows)."""

    def groups():
        cards = {a.pk: a for a in public_cards([v for items in versions.values() for v in items], prefetch)}
        return [
            (KIND_GROUPS[kind], kind, [cards[v[0]] for v in items if v[0] in cards])
            for kind, items in versions.items()
        ]

    return {
        "region": region,
        "groups": SimpleLazyObject(groups),
        "groups_key": digest("region-groups", parts, list(versions.items()), reference_version()),
        "total": sum(len(items) for items in versions.values()),
        "fragment_seconds": FRAGMENT_SECONDS,
    }


@login_not_required
@require_GET
def region_detail(request, code):
    region = get_object_or_404(Region, code=code)
    versions, national = _region_versions(region, national=True)
    context = _region_context(region, versions, 2)
    embed_url = settings.SITE_URL + region.get_absolute_url() + "integration/"
    context["embed_snippet"] = (
        f'<iframe src="{embed_url}" title="Ambassadeurs IA – {region.name}" '
        f'width="100%" height="600" loading="lazy" style="border:0"></iframe>'
    )
    context["national_key"] = digest("region-national", national, reference_version()) if national else ""
    context["national"] = SimpleLazyObject(lambda: public_cards(national))
    return render(request, "ambassadors/region_detail.html", context)


@login_not_required
@require_GET
@xframe_options_exempt
@csp_override(EMBED_CSP)
def region_embed(request, code):
    region = get_object_or_404(Region, code=code)
    # The embed's links are written with the address it was asked at.
    site_url = f"{request.scheme}://{request.get_host()}"
    versions, _ = _region_versions(region)
    context = _region_context(region, versions, "embed", site_url, prefetch=())  # its lines show no relation
    context["site_url"] = site_url
    return render(request, "ambassadors/region_embed.html", context)


@login_not_required
@require_GET
def open_data(request):
    return render(
        request,
        "ambassadors/open_data.html",
        {"columns": exports.COLUMNS, "france_num_columns": exports.FRANCE_NUM_COLUMNS},
    )


def _export_queryset(request):
    form = DirectoryFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        errors = {name: [str(e) for e in errs] for name, errs in form.errors.items()}
        return None, json_error(400, "Filtre invalide : voyez le détail par paramètre.", errors)
    return ambassadors_directory(form.filters()), None


def _cached(request, build) -> bytes:
    """Exports are read far more often than profiles change: keep each rendering (per URL) until the next change
    of anything they show. The key holds ``_exports_version``, so a change makes every old entry unreachable. Kept
    as the bytes sent (UTF-8), so that a request neither encodes the megabyte of a full export again nor has the
    shared cache (Redis) unpickle it as text."""
    digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    key = f"export:{digest}:{_exports_version(request)}"
    return cache.get_or_set(key, lambda: build().encode(), timeout=EXPORT_CACHE_SECONDS)


def _csv_response(request, rows, columns, filename):
    def build():
        buffer = io.StringIO()
        writer = csv_writer(buffer)
        writer.writerow([c.name for c in columns])
        for row in exports.records(rows):
            writer.writerow(exports.row_for_csv(row, columns))
        return buffer.getvalue()

    response = HttpResponse(_cached(request, build), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_not_required
@require_GET
@condition(etag_func=_exports_version)
def export_csv(request):
    qs, error = _export_queryset(request)
    if error:
        return error
    return _csv_response(request, qs, exports.COLUMNS, "ambassadeurs-ia.csv")


@login_not_required
@require_GET
@condition(etag_func=_exports_version)
def export_json(request):
    qs, error = _export_queryset(request)
    if error:
        return error

    def build():
        data = {
            "source": settings.SITE_URL + "/donnees/",
            "licence": "Licence Ouverte / Open Licence 2.0",
            "ambassadeurs": [exports.row_for_json(row) for row in exports.records(qs)],
        }
        return json.dumps(data, ensure_ascii=False, indent=1)

    return HttpResponse(_cached(request, build), content_type="application/json; charset=utf-8")


@login_not_required
@require_GET
@condition(etag_func=_exports_version)
def export_france_num(request):
    qs = ambassadors_public().filter(is_france_num_activateur=True).order_by("sort_name", "pk")
    return _csv_response(request, qs, exports.FRANCE_NUM_COLUMNS, "activateurs-france-num.csv")


# Back office ("espace"): logged-in only (the default), objects fetched through the user's scope.


def _manage_queryset(request):
    """The profiles of one's scope with the list's filter (« etat »), in the list's order: the page and its
    exports."""
    qs = ambassadors_for_user(request.user)
    state = request.GET.get("etat", "")
    if state in PublicationState.values:
        qs = qs.filter(publication_state=state)
    elif state == AWAITING_PUBLICATION:
        qs = ambassadors_awaiting_publication(qs)
    elif state == MISSING_CONSENT:
        qs = ambassadors_missing_consent(qs)
    return qs.order_by("sort_name", "pk"), state


def manage_list(request):
    qs, state = _manage_queryset(request)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "ambassadors/manage_list.html",
        {
            "page_obj": page,
            "ambassadors": page.object_list,
            "states": [*PublicationState.choices, *AWAITING_FILTERS],
            "state": state,
        },
    )


def manage_export(request, fmt):
    """``/espace/ambassadeurs/export.xlsx`` and ``.csv``: the whole list of one's scope (with its filter)."""
    qs, _ = _manage_queryset(request)
    return export_response(
        fmt,
        header=exports.MANAGE_HEADER,
        rows=exports.manage_rows(qs),
        filename="ambassadeurs-perimetre",
        title="Ambassadeurs de mon périmètre",
    )


def manage_detail(request, pk):
    ambassador = get_object_or_404(ambassadors_for_user(request.user), pk=pk)
    return render(
        request,
        "ambassadors/manage_detail.html",
        {
            "ambassador": ambassador,
            "can_publish": rules.can_publish(request.user, ambassador),
            "can_edit": rules.can_edit(request.user, ambassador),
            "can_consent": rules.can_give_consent(request.user, ambassador),
            "can_end_mandate": rules.can_end_mandate(request.user, ambassador),
            "can_set_trust": rules.can_set_trust(request.user, ambassador),
            "unpublish_form": UnpublishForm(),
        },
    )


def manage_edit(request, pk):
    ambassador = get_object_or_404(ambassadors_for_user(request.user), pk=pk)
    if not rules.can_edit(request.user, ambassador):
        raise PermissionDenied
    form = AmbassadorProfileForm(request.POST or None, instance=ambassador, user=request.user)
    if request.method == "POST" and form.is_valid():
        # Reload a clean copy: the form has already written its values on ``ambassador``.
        fresh = Ambassador.objects.get(pk=ambassador.pk)
        try:
            services.ambassador_update(ambassador=fresh, by=request.user, data=form.cleaned_data)
        except services.AmbassadorError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Le profil a été enregistré.")
            return redirect("ambassadors:manage_detail", pk=ambassador.pk)
    return render(
        request,
        "ambassadors/manage_edit.html",
        {"ambassador": ambassador, "form": form},
        status=400 if request.method == "POST" else 200,
    )


def _action(request, pk, do, success):
    ambassador = get_object_or_404(ambassadors_for_user(request.user), pk=pk)
    try:
        do(ambassador)
    except services.AmbassadorError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, success)
    return redirect("ambassadors:manage_detail", pk=pk)


def _preview(request, ambassador, *, status=200):
    """The public page as it would be (the directory's own template), with what the viewer may do about it."""
    return render(
        request,
        "ambassadors/manage_preview.html",
        {
            "ambassador": ambassador,
            "can_consent": rules.can_give_consent(request.user, ambassador),
            "can_publish": rules.can_publish(request.user, ambassador),
            "public_fields": PUBLIC_FIELDS,
            "never_public": NEVER_PUBLIC,
            "unpublish_form": UnpublishForm(),
        },
        status=status,
    )


@require_safe
def manage_preview(request, pk):
    ambassador = get_object_or_404(ambassadors_for_user(request.user), pk=pk)
    if not rules.can_preview(request.user, ambassador):
        raise PermissionDenied
    return _preview(request, ambassador)


@require_http_methods(["GET", "HEAD", "POST"])
def manage_publish(request, pk):
    """GET: the confirmation, the whole public page as it will be shown; POST: publish."""
    if request.method != "POST":
        ambassador = get_object_or_404(ambassadors_for_user(request.user), pk=pk)
        if not rules.can_publish(request.user, ambassador):
            raise PermissionDenied
        return _preview(request, ambassador)
    return _action(
        request,
        pk,
        lambda a: services.ambassador_publish(ambassador=a, by=request.user),
        "Le profil est publié.",
    )


@require_POST
def manage_unpublish(request, pk):
    form = UnpublishForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""  # the service says when it is missing
    return _action(
        request,
        pk,
        lambda a: services.ambassador_unpublish(ambassador=a, by=request.user, reason=reason),
        "Le profil n’est plus public.",
    )


@require_POST
def manage_trust(request, pk):
    trusted = request.POST.get("trusted") == "1"
    return _action(
        request,
        pk,
        lambda a: services.ambassador_trust_set(ambassador=a, by=request.user, trusted=trusted),
        "Ses événements sont désormais publiés sans modération."
        if trusted
        else "Ses événements passent de nouveau par la modération.",
    )


@require_POST
def manage_consent(request, pk):
    consent = request.POST.get("consent") == "1"
    return _action(
        request,
        pk,
        lambda a: services.ambassador_set_consent(ambassador=a, by=request.user, consent=consent),
        "Votre consentement est enregistré."
        if consent
        else "Votre consentement est retiré : votre profil n’est plus public.",
    )
