"""Contribution and moderation: an ambassador's event waits for the coordinators of its region, who publish it (then
it is everywhere: agenda, its page, the region page, the feeds) or refuse it with a reason; the contributor is told
by email (real SMTP). Trusted ambassadors and coordinators publish directly; a cancelled event stays visible; a
change subscribers must see raises SEQUENCE. Then the permission matrix of the agenda back office."""

from datetime import UTC, datetime

import pytest

from agenda import services
from agenda.enums import Format, Mode, Moderation, Status
from agenda.models import Event
from ambassadors.models import Topic
from core.models import AuditEntry
from territories.models import NafActivity
from tests.agenda.conftest import (
    ambassador_user,
    as_user,
    contribution_data,
    ics_events,
    regional_user,
)
from tests.agenda.factories import REUNION, EventFactory, at, in_days
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PUBLIC_URLS = ["/agenda/", "/regions/84/", "/agenda/flux.ics", "/agenda/flux.rss", "/agenda/flux.atom"]


def propose(client, user, **overrides) -> Event:
    """``user`` proposes an event through the form; the new event."""
    response = as_user(client, user).post("/espace/evenements/nouveau/", contribution_data(**overrides))
    assert response.status_code == 302, response.content.decode()
    event = Event.objects.get(created_by=user)
    assert response.url == f"/espace/evenements/{event.pk}/"
    return event


def public_texts(client) -> dict[str, str]:
    client.logout()
    texts = {}
    for url in PUBLIC_URLS:
        response = client.get(url)
        assert response.status_code == 200, url
        texts[url] = response.content.decode()
    return texts


# The decision form posts the action of agenda/workflow.py that leads to the state wanted.
DECISION = {Moderation.PUBLISHED: "publish", Moderation.REFUSED: "refuse"}


def moderate(client, user, event, to, reason="", **extra):
    return as_user(client, user).post(
        f"/espace/evenements/{event.pk}/moderer/", {"action": DECISION.get(to, to), "reason": reason}, **extra
    )


# Submission and publication


def test_ambassador_event_submitted_is_not_public(client, ambassador):
    event = propose(client, ambassador)

    assert event.moderation == Moderation.SUBMITTED
    assert event.region_id == "84"
    assert event.commune.name == "Lyon"
    assert event.departement_id == "69"
    assert event.timezone == "Europe/Paris"
    page = client.get(f"/espace/evenements/{event.pk}/", follow=False).content.decode()
    assert "En attente de modération" in page
    assert AuditEntry.objects.filter(action="event.create", object_id=str(event.pk)).exists()

    assert client.get(event.get_absolute_url()).status_code == 404
    assert client.get(f"/agenda/{event.slug}.ics").status_code == 404
    for url, text in public_texts(client).items():
        assert event.title not in text, url
    assert event.uid not in public_texts(client)["/agenda/flux.ics"]


def test_ambassador_event_submission_message_says_it_waits_for_moderation(client, ambassador):
    response = as_user(client, ambassador).post(
        "/espace/evenements/nouveau/", contribution_data(), follow=True
    )

    page = response.content.decode()
    assert "L’événement est enregistré et en attente de modération : la coordination de sa région" in page
    assert "Aperçu de la page publique" in page  # the contributor sees the page as it will be


def test_coordinator_publication_makes_event_public_everywhere_and_emails_contributor(
    client, ambassador, regional, smtp_inbox, django_capture_on_commit_callbacks
):
    event = propose(client, ambassador)
    as_user(client, regional)
    listing = client.get("/espace/evenements/").content.decode()
    assert "À modérer (1)" in listing
    assert event.title in listing

    with django_capture_on_commit_callbacks(execute=True):
        response = moderate(client, regional, event, Moderation.PUBLISHED)

    assert response.status_code == 302
    event.refresh_from_db()
    assert event.moderation == Moderation.PUBLISHED
    assert client.get(response.url).content.decode().count("La décision de modération est enregistrée") == 1
    assert AuditEntry.objects.filter(action="event.published", object_id=str(event.pk)).exists()

    detail = client.get(event.get_absolute_url())
    assert detail.status_code == 200
    assert f"<h1>{event.title}</h1>" in detail.content.decode()
    texts = public_texts(client)
    for url, text in texts.items():
        assert event.title in text, url
    assert event.uid in ics_events(texts["/agenda/flux.ics"].encode())
    assert client.get(f"/agenda/{event.slug}.ics").status_code == 200

    [mail] = smtp_inbox.to(ambassador.email)
    assert mail["Subject"] == "Votre événement est publié dans l’agenda des ambassadeurs IA"
    body = smtp_inbox.body(mail)
    assert f"« {event.title} »" in body
    assert f"/agenda/{event.slug}/" in body


def test_refusal_without_reason_is_refused_and_sends_nothing(
    client, ambassador, regional, smtp_inbox, django_capture_on_commit_callbacks
):
    event = propose(client, ambassador)

    with django_capture_on_commit_callbacks(execute=True):
        response = moderate(client, regional, event, Moderation.REFUSED, reason="   ", follow=True)

    assert "Un refus doit être motivé : indiquez le motif." in response.content.decode()
    event.refresh_from_db()
    assert event.moderation == Moderation.SUBMITTED
    assert smtp_inbox.messages == []
    with pytest.raises(services.AgendaError, match="Un refus doit être motivé"):
        services.event_transition(event=event, by=regional, action="refuse", reason="")


def test_refusal_with_reason_emails_the_reason_and_correction_resubmits(
    client, ambassador, regional, smtp_inbox, django_capture_on_commit_callbacks
):
    event = propose(client, ambassador)
    reason = "Il manque l’adresse précise du lieu et le programme."

    with django_capture_on_commit_callbacks(execute=True):
        moderate(client, regional, event, Moderation.REFUSED, reason=reason)

    event.refresh_from_db()
    assert event.moderation == Moderation.REFUSED
    assert event.refusal_reason == reason
    assert as_user(client, None).get(event.get_absolute_url()).status_code == 404
    [mail] = smtp_inbox.to(ambassador.email)
    assert mail["Subject"] == "Votre événement n’est pas publié dans l’agenda des ambassadeurs IA"
    assert f"Motif : {reason}" in smtp_inbox.body(mail)
    # The contributor sees the reason and corrects: the event goes back to the moderators.
    page = as_user(client, ambassador).get(f"/espace/evenements/{event.pk}/").content.decode()
    assert f"motif : {reason}" in page
    client.post(
        f"/espace/evenements/{event.pk}/modifier/", contribution_data(address="3 place Bellecour, 2e étage")
    )
    event.refresh_from_db()
    assert event.moderation == Moderation.SUBMITTED


def test_coordinator_of_another_region_cannot_moderate(client, ambassador, smtp_inbox):
    event = propose(client, ambassador)
    occitanie = regional_user("76")

    assert moderate(client, occitanie, event, Moderation.PUBLISHED).status_code == 404
    assert client.get(f"/espace/evenements/{event.pk}/").status_code == 404
    assert event.title not in client.get("/espace/evenements/").content.decode()
    with pytest.raises(services.NotAllowed):
        services.event_transition(event=event, by=occitanie, action="publish")
    with pytest.raises(services.NotAllowed):
        services.event_transition(event=event, by=ambassador, action="publish")
    event.refresh_from_db()
    assert event.moderation == Moderation.SUBMITTED
    assert smtp_inbox.messages == []


def test_contributor_cannot_moderate_own_event(client, ambassador):
    event = propose(client, ambassador)

    assert moderate(client, ambassador, event, Moderation.PUBLISHED).status_code == 403
    event.refresh_from_db()
    assert event.moderation == Moderation.SUBMITTED


def test_moderation_move_outside_table_is_refused(client, regional):
    event = EventFactory()  # already published

    with pytest.raises(services.AgendaError, match="pas possible"):
        services.event_transition(event=event, by=regional, action="publish")
    with pytest.raises(services.AgendaError, match="pas possible"):
        services.event_transition(event=event, by=regional, action="resubmit")


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("ambassador", Moderation.SUBMITTED),
        ("trusted_ambassador", Moderation.PUBLISHED),
        ("trusted_ambassador_76", Moderation.SUBMITTED),
        ("regional_84", Moderation.PUBLISHED),
        ("regional_76", Moderation.SUBMITTED),  # an event in Lyon waits for the coordination of 84
        ("national", Moderation.PUBLISHED),
    ],
)
def test_contribution_publishes_directly_only_for_trusted_and_coordinators_of_its_region(
    client, who, expected
):
    user = {
        "ambassador": lambda: ambassador_user(),
        "trusted_ambassador": lambda: ambassador_user(trusted=True),
        "trusted_ambassador_76": lambda: ambassador_user(trusted=True, region="76"),
        "regional_84": lambda: regional_user("84"),
        "regional_76": lambda: regional_user("76"),
        "national": lambda: UserFactory(national=True),
    }[who]()

    event = propose(client, user)

    assert event.moderation == expected
    status = as_user(client, None).get(event.get_absolute_url()).status_code
    assert status == (200 if expected == Moderation.PUBLISHED else 404)


def test_reviewer_cannot_contribute(client):
    reviewer = UserFactory(reviewer=True)

    assert (
        as_user(client, reviewer).post("/espace/evenements/nouveau/", contribution_data()).status_code == 403
    )
    with pytest.raises(services.NotAllowed):
        services.event_save(by=reviewer, data={"title": "x"})
    assert not Event.objects.exists()


# Status and SEQUENCE


def test_cancelled_event_stays_visible_with_status_and_feed_says_cancelled(client, ambassador):
    event = EventFactory(created_by=ambassador, title="Conférence IA et industrie à Lyon")
    sequence = event.sequence

    response = as_user(client, ambassador).post(
        f"/espace/evenements/{event.pk}/statut/", {"status": Status.CANCELLED}
    )

    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == Status.CANCELLED
    assert event.sequence == sequence + 1
    assert Event.objects.filter(pk=event.pk).exists()
    client.logout()
    page = client.get(event.get_absolute_url())
    assert page.status_code == 200
    assert "Cet événement est <strong>annulé</strong>." in page.content.decode()
    listing = client.get("/agenda/").content.decode()
    assert event.title in listing
    assert '<p class="fr-badge fr-badge--sm fr-badge--error">Annulé</p>' in listing
    vevent = ics_events(client.get("/agenda/flux.ics").content)[event.uid]
    assert vevent["STATUS"] == "CANCELLED"
    assert vevent["SEQUENCE"] == sequence + 1
    assert str(vevent["SUMMARY"]) == f"{event.title} (Annulé)"
    assert f"{event.title} (Annulé)" in client.get("/agenda/flux.rss").content.decode()


def test_same_status_again_keeps_sequence(client, ambassador):
    event = EventFactory(created_by=ambassador, status=Status.POSTPONED, sequence=3)

    as_user(client, ambassador).post(f"/espace/evenements/{event.pk}/statut/", {"status": Status.POSTPONED})

    event.refresh_from_db()
    assert event.sequence == 3


def test_edit_of_significant_field_raises_sequence_and_other_fields_do_not(client, regional):
    event = propose(client, regional)  # published directly
    assert event.sequence == 0

    as_user(client, regional).post(
        f"/espace/evenements/{event.pk}/modifier/", contribution_data(audience="Toutes les entreprises")
    )
    event.refresh_from_db()
    assert event.audience == "Toutes les entreprises"
    assert event.sequence == 0

    day = in_days(31)
    response = client.post(
        f"/espace/evenements/{event.pk}/modifier/",
        contribution_data(starts_at=f"{day:%Y-%m-%d}T09:00", ends_at=f"{day:%Y-%m-%d}T12:00"),
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.starts_at == at(day, 9, 0)
    assert event.sequence == 1

    client.post(
        f"/espace/evenements/{event.pk}/modifier/", contribution_data(title="Café IA – nouvelle date")
    )
    event.refresh_from_db()
    assert event.sequence == 2
    vevent = ics_events(as_user(client, None).get("/agenda/flux.ics").content)[event.uid]
    assert vevent["SEQUENCE"] == 2
    assert str(vevent["SUMMARY"]) == "Café IA – nouvelle date"


@pytest.mark.parametrize(
    "change",
    [
        {"title": "Gagnez des bitcoins"},
        {
            "audience": "Gagnez des bitcoins"
        },  # public text the moderators read, though not in the iCalendar feed
        {"format": Format.WEBINAIRE.value},
        {"is_free": None},
        {"sectors": "J"},
        {"topics": "donnees"},
    ],
)
def test_edit_of_a_moderated_field_by_untrusted_ambassador_goes_back_to_moderation(
    client, ambassador, regional, change
):
    event = propose(client, ambassador)
    moderate(client, regional, event, Moderation.PUBLISHED)
    if "sectors" in change:
        change = {"sectors": [str(NafActivity.objects.get(version="rev2", level="section", code="J").pk)]}
    if "topics" in change:
        change = {"topics": [str(Topic.objects.get(slug="donnees").pk)]}

    response = as_user(client, ambassador).post(
        f"/espace/evenements/{event.pk}/modifier/", contribution_data(**change)
    )

    assert response.status_code == 302
    event.refresh_from_db()
    assert event.moderation == Moderation.SUBMITTED
    assert event.title not in public_texts(client)["/agenda/"]


def test_unchanged_or_status_only_edit_by_untrusted_ambassador_stays_published(client, ambassador, regional):
    event = propose(client, ambassador)
    moderate(client, regional, event, Moderation.PUBLISHED)
    event.refresh_from_db()
    sequence = event.sequence

    as_user(client, ambassador).post(f"/espace/evenements/{event.pk}/modifier/", contribution_data())
    event.refresh_from_db()
    assert (event.moderation, event.sequence) == (Moderation.PUBLISHED, sequence)

    client.post(f"/espace/evenements/{event.pk}/modifier/", contribution_data(status=Status.CANCELLED.value))
    event.refresh_from_db()
    assert (event.moderation, event.sequence, event.status) == (
        Moderation.PUBLISHED,
        sequence + 1,
        Status.CANCELLED,
    )


def test_significant_edit_by_trusted_ambassador_stays_published(client):
    trusted = ambassador_user(trusted=True)
    event = propose(client, trusted)

    as_user(client, trusted).post(
        f"/espace/evenements/{event.pk}/modifier/", contribution_data(title="Café IA – nouveau titre")
    )
    event.refresh_from_db()
    assert event.moderation == Moderation.PUBLISHED


def test_moderation_raises_sequence(client, ambassador, regional):
    event = propose(client, ambassador)

    moderate(client, regional, event, Moderation.PUBLISHED)

    event.refresh_from_db()
    assert event.sequence == 1


# The contribution form


FORM_ERRORS = [
    (
        "end_before_start",
        {"ends_at": f"{in_days(30):%Y-%m-%d}T10:00"},
        "ends_at",
        "La fin doit être après le début.",
    ),
    (
        "online_without_link",
        {"mode": Mode.ONLINE.value, "online_url": ""},
        "online_url",
        "Indiquez le lien de connexion d’un événement en ligne.",
    ),
    (
        "unknown_postcode",
        {"postcode": "99999"},
        "postcode",
        "Ce code postal est inconnu : vérifiez-le (5 chiffres).",
    ),
    (
        "no_place_at_all",
        {"postcode": "", "region": ""},
        "region",
        "Indiquez la région, ou le code postal du lieu.",
    ),
]


@pytest.mark.parametrize(
    ("overrides", "field", "message"), [c[1:] for c in FORM_ERRORS], ids=[c[0] for c in FORM_ERRORS]
)
def test_contribution_form_with_error_keeps_values_and_shows_french_error(
    client, ambassador, overrides, field, message
):
    data = contribution_data(**overrides)

    response = as_user(client, ambassador).post("/espace/evenements/nouveau/", data)

    assert response.status_code == 400
    body = response.content.decode()
    assert "Le formulaire contient des erreurs, indiquées sous les champs." in body
    assert f'<p class="fr-error-text" id="id_{field}-err">{message}</p>' in body
    assert f'aria-describedby="id_{field}-err"' in body
    # Nothing typed is lost.
    assert 'value="Café IA des dirigeants lyonnais"' in body
    assert "Des **cas concrets** d’IA dans les PME de la région.</textarea>" in body
    assert f'value="{data["starts_at"]}"' in body
    assert f'value="{data["ends_at"]}"' in body
    if data["postcode"]:
        assert f'value="{data["postcode"]}"' in body
    assert f'value="{data["topics"][0]}" checked' in body
    assert f'value="{data["sectors"][0]}" checked' in body
    assert '<option value="cafe_ia" selected>' in body
    assert not Event.objects.exists()


def test_contribution_online_event_needs_no_postcode_but_a_region(client, ambassador):
    event = propose(
        client,
        ambassador,
        mode=Mode.ONLINE.value,
        online_url="https://visio.exemple.fr/cafe",
        postcode="",
        region="76",
        venue_name="",
        address="",
    )

    assert event.region_id == "76"
    assert event.commune is None
    assert event.timezone == "Europe/Paris"


def test_contribution_times_for_reunion_event_are_read_in_reunion_time(client, ambassador):
    day = in_days(40)

    event = propose(
        client,
        ambassador,
        postcode="97400",
        starts_at=f"{day:%Y-%m-%d}T14:00",
        ends_at=f"{day:%Y-%m-%d}T16:30",
    )

    assert event.region_id == "04"
    assert event.commune.name == "Saint-Denis"
    assert event.timezone == REUNION
    assert event.starts_at == at(day, 14, 0, REUNION)
    assert event.starts_at.astimezone(UTC) == datetime(day.year, day.month, day.day, 10, 0, tzinfo=UTC)
    assert event.ends_at.astimezone(UTC) == datetime(day.year, day.month, day.day, 12, 30, tzinfo=UTC)
    # The edit form shows the same wall-clock times back, in La Réunion's time.
    body = client.get(f"/espace/evenements/{event.pk}/modifier/").content.decode()
    assert f'value="{day:%Y-%m-%d}T14:00"' in body
    assert f'value="{day:%Y-%m-%d}T16:30"' in body


def test_contribution_time_missing_in_paris_is_accepted_for_reunion_event(client, ambassador):
    # 2:30 does not exist in Paris on the last Sunday of March 2027 (clocks jump to 3:00); it does in La Réunion.
    event = propose(
        client, ambassador, postcode="97400", starts_at="2027-03-28T02:30", ends_at="2027-03-28T04:00"
    )

    assert event.starts_at.astimezone(UTC) == datetime(2027, 3, 27, 22, 30, tzinfo=UTC)


def test_edit_of_imported_event_keeps_its_foreign_time_zone(client, regional):
    event = EventFactory(timezone="America/Montreal", region_id="84")

    body = as_user(client, regional).get(f"/espace/evenements/{event.pk}/modifier/").content.decode()

    assert '<option value="America/Montreal" selected>' in body


def test_contribution_explicit_time_zone_wins_over_region(client, ambassador):
    day = in_days(40)

    event = propose(
        client,
        ambassador,
        mode=Mode.ONLINE.value,
        online_url="https://visio.exemple.fr/reunion",
        postcode="",
        region="84",
        timezone=REUNION,
        starts_at=f"{day:%Y-%m-%d}T14:00",
        ends_at=f"{day:%Y-%m-%d}T15:00",
    )

    assert event.timezone == REUNION
    assert event.starts_at.astimezone(UTC).hour == 10


# Permission matrix of the back office

ROLES = ["anonymous", "owner", "other_ambassador", "reviewer", "regional_84", "regional_76", "national"]


def make_role_user(role: str, owner):
    return {
        "anonymous": lambda: None,
        "owner": lambda: owner,
        "other_ambassador": lambda: ambassador_user(),
        "reviewer": lambda: UserFactory(reviewer=True),
        "regional_84": lambda: regional_user("84"),
        "regional_76": lambda: regional_user("76"),
        "national": lambda: UserFactory(national=True),
    }[role]()


VIEWS = {
    "list": ("get", "/espace/evenements/", None),
    "create": ("get", "/espace/evenements/nouveau/", None),
    "detail": ("get", "/espace/evenements/{pk}/", None),
    "edit": ("get", "/espace/evenements/{pk}/modifier/", None),
    "moderate": ("post", "/espace/evenements/{pk}/moderer/", {"action": "publish"}),
    "status": ("post", "/espace/evenements/{pk}/statut/", {"status": Status.FULL}),
}
IN_SCOPE = {"owner": 200, "regional_84": 200, "national": 200, "other_ambassador": 404, "regional_76": 404}
MATRIX = {
    "list": {"anonymous": 302, "reviewer": 403, **dict.fromkeys(IN_SCOPE, 200)},
    "create": {"anonymous": 302, "reviewer": 403, **dict.fromkeys(IN_SCOPE, 200)},
    "detail": {"anonymous": 302, "reviewer": 404, **IN_SCOPE},
    "edit": {"anonymous": 302, "reviewer": 403, **IN_SCOPE},
    "moderate": {
        **IN_SCOPE,
        "anonymous": 302,
        "reviewer": 404,
        "owner": 403,
        "regional_84": 302,
        "national": 302,
    },
    "status": {
        **IN_SCOPE,
        "anonymous": 302,
        "reviewer": 404,
        "owner": 302,
        "regional_84": 302,
        "national": 302,
    },
}
assert all(set(row) == set(ROLES) for row in MATRIX.values())
# What an allowed POST changed.
EFFECTS = {
    "moderate": lambda e: e.moderation == Moderation.PUBLISHED,
    "status": lambda e: e.status == Status.FULL,
}
CASES = [(view, role, status) for view, row in MATRIX.items() for role, status in row.items()]


@pytest.mark.parametrize(("view_name", "role", "expected"), CASES, ids=[f"{v}-{r}" for v, r, _ in CASES])
def test_back_office_view_status_matches_matrix_for_role(client, view_name, role, expected):
    owner = ambassador_user()
    event = EventFactory(
        submitted=True, created_by=owner, title="Rencontre d’affaires IA confidentielle", slug="rencontre-ia"
    )
    user = make_role_user(role, owner)
    method, url, data = VIEWS[view_name]

    response = getattr(as_user(client, user), method)(url.format(pk=event.pk), data or {})

    assert response.status_code == expected, f"{view_name} as {role}"
    if expected == 302 and role == "anonymous":
        assert response.url.startswith("/connexion/?next=")
    elif expected == 302:
        assert response.url == f"/espace/evenements/{event.pk}/"
    event.refresh_from_db()
    if view_name in EFFECTS:
        assert EFFECTS[view_name](event) == (expected == 302 and role != "anonymous"), (
            f"{view_name} as {role}"
        )
    if view_name == "list" and expected == 200:
        listed = event.title in response.content.decode()
        assert listed == (role in {"owner", "regional_84", "national"}), role


@pytest.mark.parametrize("field", ["sectors", "topics", "ambassadors"])
@pytest.mark.parametrize("bad", ["99999999999999999999999", "²"])
def test_contribution_with_odd_id_is_a_french_400(client, field, bad):
    response = as_user(client, regional_user()).post(
        "/espace/evenements/nouveau/", contribution_data(**{field: [bad]})
    )
    assert response.status_code == 400
    assert "n’est pas une valeur correcte." in response.content.decode()
    assert not Event.objects.exists()
