"""Who may see and do what in the back office: one table, role -> expected status, for every non-public view.

The target is an unpublished but consented ambassador of Auvergne-Rhône-Alpes (84), proposed by the CCI. Two other
profiles are in the database as data that could leak: the profile of another ambassador (84, France Num) and an
unpublished profile of Occitanie (76, Bpifrance).
"""

import io
from dataclasses import dataclass

import openpyxl
import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.utils import timezone

from accounts.enums import Role
from ambassadors.enums import PublicationState
from ambassadors.models import Ambassador, PartnerNetwork
from core.models import AuditEntry
from territories.models import Region
from tests.factories import AmbassadorFactory, UserFactory

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "ambassador_own",
    "ambassador_other",
    "reviewer_cci",
    "reviewer_bpifrance_84",
    "regional_84",
    "regional_76",
    "national",
    "superuser",
]
LOGGED_IN = [r for r in ROLES if r != "anonymous"]


@dataclass
class Scene:
    target: Ambassador
    other: Ambassador
    occitanie: Ambassador


@pytest.fixture
def scene():
    target = AmbassadorFactory(
        consented=True,
        regions=["84"],
        first_name="Cunégonde",
        last_name="Ciblequatre",
        slug="cunegonde-ciblequatre",
    )
    other = AmbassadorFactory(
        consented=True,
        regions=["84"],
        first_name="Octave",
        last_name="Autrelyonnais",
        slug="octave-autrelyonnais",
        proposing_network=PartnerNetwork.objects.get(slug="france-num"),
    )
    occitanie = AmbassadorFactory(
        consented=True,
        publication_state=PublicationState.UNPUBLISHED,
        regions=["76"],
        first_name="Ondine",
        last_name="Occitaniefuite",
        slug="ondine-occitaniefuite",
        proposing_network=PartnerNetwork.objects.get(slug="bpifrance"),
    )
    return Scene(target=target, other=other, occitanie=occitanie)


def make_user(role: str, scene: Scene):
    """The account of ``role`` (None for an anonymous visitor)."""
    if role == "anonymous":
        return None
    if role in {"ambassador_own", "ambassador_other"}:
        user = UserFactory()
        profile = scene.target if role == "ambassador_own" else scene.other
        profile.user = user
        profile.save(update_fields=["user"])
        return user
    if role == "reviewer_cci":
        return UserFactory(reviewer=True)
    if role == "reviewer_bpifrance_84":
        return UserFactory(
            role=Role.REVIEWER,
            partner_network=PartnerNetwork.objects.get(slug="bpifrance"),
            region=Region.objects.get(code="84"),
        )
    if role == "regional_84":
        return UserFactory(regional=True)
    if role == "regional_76":
        return UserFactory(regional=True, region=Region.objects.get(code="76"))
    if role == "national":
        return UserFactory(national=True)
    if role == "superuser":
        return UserFactory(national=True, is_staff=True, is_superuser=True)
    raise AssertionError(f"unknown role {role}")


def client_as(client, role: str, scene: Scene):
    user = make_user(role, scene)
    if user is not None:
        client.force_login(user)
    return client


@dataclass(frozen=True)
class View:
    method: str
    url: str  # "{pk}" is replaced by the target's pk
    data: dict | None = None
    target_published: bool = False  # put the target online before the request


VIEWS = {
    "dashboard": View("get", "/espace/"),
    "manage_list": View("get", "/espace/ambassadeurs/"),
    "manage_export_csv": View("get", "/espace/ambassadeurs/export.csv"),
    "manage_export_xlsx": View("get", "/espace/ambassadeurs/export.xlsx"),
    "manage_detail": View("get", "/espace/ambassadeurs/{pk}/"),
    "manage_edit": View("get", "/espace/ambassadeurs/{pk}/modifier/"),
    "preview": View("get", "/espace/ambassadeurs/{pk}/apercu/"),
    "publish_confirm": View("get", "/espace/ambassadeurs/{pk}/publier/"),
    "publish": View("post", "/espace/ambassadeurs/{pk}/publier/"),
    "unpublish": View(
        "post", "/espace/ambassadeurs/{pk}/retirer/", {"reason": "Test"}, target_published=True
    ),
    "consent_withdraw": View("post", "/espace/ambassadeurs/{pk}/consentement/", {"consent": "0"}),
    "audit_log": View("get", "/espace/journal/"),
    "admin": View("get", "/admin/"),
}

# Objects in scope: 200 on a page, 302 (back to the detail page) after an allowed action.
DETAIL = {
    "anonymous": 302,
    "ambassador_own": 200,
    "ambassador_other": 404,
    "reviewer_cci": 200,
    "reviewer_bpifrance_84": 404,
    "regional_84": 200,
    "regional_76": 404,
    "national": 200,
    "superuser": 200,
}
PUBLICATION = {
    "anonymous": 302,
    "ambassador_own": 403,
    "ambassador_other": 404,
    "reviewer_cci": 403,
    "reviewer_bpifrance_84": 404,
    "regional_84": 302,
    "regional_76": 404,
    "national": 302,
    "superuser": 302,
}
MATRIX = {
    "dashboard": {"anonymous": 302, **dict.fromkeys(LOGGED_IN, 200)},
    "manage_list": {"anonymous": 302, **dict.fromkeys(LOGGED_IN, 200)},
    # The list's exports: whoever sees the list (each their own scope, tested below).
    "manage_export_csv": {"anonymous": 302, **dict.fromkeys(LOGGED_IN, 200)},
    "manage_export_xlsx": {"anonymous": 302, **dict.fromkeys(LOGGED_IN, 200)},
    "manage_detail": DETAIL,
    "manage_edit": {**DETAIL, "reviewer_cci": 403},
    # The public page before it is public: the person and the coordinators who publish it, not a reviewer.
    "preview": {**DETAIL, "reviewer_cci": 403},
    "publish_confirm": {**DETAIL, "reviewer_cci": 403, "ambassador_own": 403},
    "publish": PUBLICATION,
    "unpublish": PUBLICATION,
    "consent_withdraw": {
        **PUBLICATION,
        "ambassador_own": 302,
        "regional_84": 403,
        "national": 403,
        "superuser": 403,
    },
    "audit_log": {
        **dict.fromkeys(ROLES, 403),
        "anonymous": 302,
        "national": 200,
        "superuser": 200,
    },
    "admin": {**dict.fromkeys(ROLES, 302), "superuser": 200},
}
assert all(set(row) == set(ROLES) for row in MATRIX.values())

# What an allowed action changed, read back from the database.
EFFECTS = {
    "publish": lambda a: a.publication_state == PublicationState.PUBLISHED,
    "unpublish": lambda a: a.publication_state == PublicationState.UNPUBLISHED,
    "consent_withdraw": lambda a: a.consent_at is None and a.publication_state == PublicationState.DRAFT,
}

CASES = [(view, role, status) for view, row in MATRIX.items() for role, status in row.items()]


def _do(client, view: View, scene: Scene):
    if view.target_published:
        Ambassador.objects.filter(pk=scene.target.pk).update(
            publication_state=PublicationState.PUBLISHED, published_at=timezone.now()
        )
    return getattr(client, view.method)(view.url.format(pk=scene.target.pk), view.data or {})


@pytest.mark.parametrize(("view_name", "role", "expected"), CASES, ids=[f"{v}-{r}" for v, r, _ in CASES])
def test_view_status_matches_the_matrix_for_role(client, scene, view_name, role, expected):
    view = VIEWS[view_name]
    client = client_as(client, role, scene)
    before = Ambassador.objects.get(pk=scene.target.pk)

    response = _do(client, view, scene)

    assert response.status_code == expected
    if expected == 302 and view_name == "admin":
        # The admin has its own login page, for everyone who is not staff.
        assert response["Location"].startswith("/admin/login/")
    elif expected == 302 and role == "anonymous":
        assert response["Location"].startswith("/connexion/")
        assert "next=" in response["Location"]
    elif expected == 302:
        assert response["Location"] == f"/espace/ambassadeurs/{scene.target.pk}/"

    if view_name in EFFECTS:
        after = Ambassador.objects.get(pk=scene.target.pk)
        allowed = expected == 302 and role != "anonymous"
        assert EFFECTS[view_name](after) == allowed
        if not allowed:
            assert after.consent_at == before.consent_at
            assert after.publication_state == (
                PublicationState.PUBLISHED if view.target_published else before.publication_state
            )


# Which of the three profiles each role sees in its list.
LIST_SCOPE = {
    "ambassador_own": {"target"},
    "ambassador_other": {"other"},
    "reviewer_cci": {"target"},
    "reviewer_bpifrance_84": set(),
    "regional_84": {"target", "other"},
    "regional_76": {"occitanie"},
    "national": {"target", "other", "occitanie"},
    "superuser": {"target", "other", "occitanie"},
}


@pytest.mark.parametrize(("role", "visible"), LIST_SCOPE.items())
def test_manage_list_shows_only_the_profiles_in_scope_for_role(client, scene, role, visible):
    client = client_as(client, role, scene)

    response = client.get("/espace/ambassadeurs/")

    assert response.status_code == 200
    body = response.content.decode()
    for name in ("target", "other", "occitanie"):
        profile = getattr(scene, name)
        assert (profile.last_name in body) == (name in visible), f"{name} for {role}"
        assert (f"/espace/ambassadeurs/{profile.pk}/" in body) == (name in visible), f"{name} for {role}"
    assert f"{len(visible)} profil" in body


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize(("role", "visible"), LIST_SCOPE.items())
def test_manage_list_exports_hold_only_the_profiles_in_scope_for_role(client, scene, role, visible, fmt):
    client = client_as(client, role, scene)

    response = client.get(f"/espace/ambassadeurs/export.{fmt}")

    assert response.status_code == 200
    if fmt == "csv":
        body = response.content.decode("utf-8-sig")
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        body = "\n".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row)
    for name in ("target", "other", "occitanie"):
        profile = getattr(scene, name)
        assert (profile.last_name in body) == (name in visible), f"{name} for {role}"
        assert profile.contact_email not in body


@pytest.mark.parametrize("role", LOGGED_IN)
def test_dashboard_counts_only_the_profiles_in_scope_for_role(client, scene, role):
    client = client_as(client, role, scene)

    response = client.get("/espace/")

    assert response.status_code == 200
    assert response.context["counts"]["ambassadors_in_scope"] == len(LIST_SCOPE[role])
    body = response.content.decode()
    assert "Occitaniefuite" not in body


def test_publish_without_csrf_token_is_refused(scene):
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory(national=True))

    response = client.post(f"/espace/ambassadeurs/{scene.target.pk}/publier/")

    assert response.status_code == 403
    scene.target.refresh_from_db()
    assert scene.target.publication_state == PublicationState.DRAFT


def _entries_for(ambassador):
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Ambassador), object_id=str(ambassador.pk)
    )


def test_publish_writes_an_audit_entry_with_actor_and_object(client, scene):
    national = UserFactory(national=True)
    client.force_login(national)

    client.post(f"/espace/ambassadeurs/{scene.target.pk}/publier/")

    entry = _entries_for(scene.target).get()
    assert entry.action == "ambassador.publish"
    assert entry.actor == national
    assert entry.actor_label == national.email
    assert entry.target == scene.target
    assert entry.object_repr == "Cunégonde Ciblequatre"


def test_unpublish_with_reason_writes_an_audit_entry_with_the_reason(client, scene):
    Ambassador.objects.filter(pk=scene.target.pk).update(publication_state=PublicationState.PUBLISHED)
    regional = UserFactory(regional=True)
    client.force_login(regional)

    client.post(f"/espace/ambassadeurs/{scene.target.pk}/retirer/", {"reason": "Demande de la structure"})

    entry = _entries_for(scene.target).get()
    assert entry.action == "ambassador.unpublish"
    assert entry.actor == regional
    assert entry.target == scene.target
    assert entry.changes == {"motif": "Demande de la structure"}


def test_consent_withdrawal_writes_an_audit_entry_by_the_person(client, scene):
    own = make_user("ambassador_own", scene)
    client.force_login(own)

    client.post(f"/espace/ambassadeurs/{scene.target.pk}/consentement/", {"consent": "0"})

    entry = _entries_for(scene.target).get()
    assert entry.action == "ambassador.consent_withdrawn"
    assert entry.actor == own
    assert entry.target == scene.target


def _profile_form_data(ambassador, **changes):
    data = {
        "first_name": ambassador.first_name,
        "last_name": ambassador.last_name,
        "job_title": ambassador.job_title,
        "structure_name": ambassador.structure_name,
        "siren": ambassador.siren,
        "bio": ambassador.bio,
        "website_url": ambassador.website_url,
        "linkedin_url": ambassador.linkedin_url,
        "regions": [r.pk for r in ambassador.regions.all()],
        "departements": [d.pk for d in ambassador.departements.all()],
        "sectors": [s.pk for s in ambassador.sectors.all()],
        "topics": [t.pk for t in ambassador.topics.all()],
        "contact_email": ambassador.contact_email,
        "contact_phone": ambassador.contact_phone,
    }
    data.update(changes)
    return data


def test_edit_by_a_coordinator_writes_an_audit_entry_with_before_and_after(client, scene):
    Ambassador.objects.filter(pk=scene.target.pk).update(structure_name="Ancienne structure")
    scene.target.refresh_from_db()
    national = UserFactory(national=True)
    client.force_login(national)

    response = client.post(
        f"/espace/ambassadeurs/{scene.target.pk}/modifier/",
        _profile_form_data(scene.target, structure_name="Nouvelle structure"),
    )

    assert response.status_code == 302
    entry = _entries_for(scene.target).get()
    assert entry.action == "ambassador.edit"
    assert entry.actor == national
    assert entry.target == scene.target
    assert entry.changes == {"structure_name": {"avant": "Ancienne structure", "après": "Nouvelle structure"}}


def test_edit_by_the_person_themself_is_not_audited(client, scene):
    client.force_login(make_user("ambassador_own", scene))

    response = client.post(
        f"/espace/ambassadeurs/{scene.target.pk}/modifier/",
        _profile_form_data(scene.target, structure_name="Ma nouvelle structure"),
    )

    assert response.status_code == 302
    scene.target.refresh_from_db()
    assert scene.target.structure_name == "Ma nouvelle structure"
    assert _entries_for(scene.target).count() == 0
