"""The moderation of an event in core/workflow.py's shape (agenda/workflow.py): the moderators' moves through
``services.event_transition`` (the one transition signature), a history row for each move whatever the door (the
form, the partners' API, an import), and a decision on an event changed since the page was shown refused."""

from datetime import timedelta

import pytest

from agenda import services, workflow
from agenda.enums import Moderation
from agenda.models import EventStep
from core.errors import Conflict
from tests.agenda.conftest import as_user, contribution_data
from tests.agenda.factories import EventFactory
from tests.agenda.imports_helpers import NOW, event, imported, source
from tests.agenda.test_moderation import moderate, propose

pytestmark = pytest.mark.django_db


def history(event) -> list[tuple]:
    return [
        (s.action, s.state_from, s.state_to, s.actor_id, s.note)
        for s in EventStep.objects.filter(event=event)
    ]


def test_the_table_is_the_moves_the_agenda_had():
    assert workflow.WORKFLOW.pairs() == {
        (Moderation.SUBMITTED, Moderation.PUBLISHED): {workflow.MODERATOR},
        (Moderation.REFUSED, Moderation.PUBLISHED): {workflow.MODERATOR},
        (Moderation.SUBMITTED, Moderation.REFUSED): {workflow.MODERATOR},
        (Moderation.PUBLISHED, Moderation.REFUSED): {workflow.MODERATOR},
        (Moderation.REFUSED, Moderation.SUBMITTED): {workflow.CONTRIBUTOR},
        (Moderation.PUBLISHED, Moderation.SUBMITTED): {workflow.CONTRIBUTOR},
    }


def test_each_decision_and_correction_is_one_row_of_history_shown_on_the_page(client, ambassador, regional):
    event = propose(client, ambassador)
    assert history(event) == []  # a birth, not a move

    moderate(client, regional, event, Moderation.REFUSED, reason="Lien d’inscription cassé")
    as_user(client, ambassador).post(
        f"/espace/evenements/{event.pk}/modifier/",
        contribution_data(registration_url="https://exemple.fr/ok"),
    )
    moderate(client, regional, event, Moderation.PUBLISHED)

    assert history(event) == [
        ("refuse", Moderation.SUBMITTED, Moderation.REFUSED, regional.pk, ""),
        ("resubmit", Moderation.REFUSED, Moderation.SUBMITTED, ambassador.pk, ""),
        ("publish", Moderation.SUBMITTED, Moderation.PUBLISHED, regional.pk, ""),
    ]
    page = as_user(client, regional).get(f"/espace/evenements/{event.pk}/").content.decode()
    assert "Historique de la modération" in page
    for label in (
        "Refusé par la modération",
        "Corrigé après un refus\u00a0: proposé de nouveau",
        "Publié par la modération",
    ):
        assert label in page


def test_a_change_after_publication_that_sends_the_event_back_is_in_its_history(client, ambassador, regional):
    event = propose(client, ambassador)
    moderate(client, regional, event, Moderation.PUBLISHED)

    as_user(client, ambassador).post(
        f"/espace/evenements/{event.pk}/modifier/", contribution_data(title="Café IA : nouvelle formule")
    )

    assert history(event)[-1] == ("send_back", Moderation.PUBLISHED, Moderation.SUBMITTED, ambassador.pk, "")


def test_an_imported_change_that_sends_the_event_back_names_the_source():
    src = source(name="Agenda de la CCI")
    imported(src, "feed.ics")
    conf = event(src, "conf-ia-lyon@partenaire.exemple")
    conf.moderation = Moderation.PUBLISHED
    conf.save(update_fields=["moderation"])

    imported(src, "feed_changed.ics", now=NOW + timedelta(hours=1))

    assert history(conf) == [
        (
            "send_back",
            Moderation.PUBLISHED,
            Moderation.SUBMITTED,
            None,
            "Source importée\u00a0: Agenda de la CCI",
        )
    ]


def test_a_refused_move_writes_no_history(regional):
    published = EventFactory()

    with pytest.raises(services.AgendaError):
        services.event_transition(event=published, by=regional, action="publish")
    with pytest.raises(services.AgendaError):
        services.event_transition(event=published, by=regional, action="refuse", reason="")

    assert history(published) == []


def test_a_decision_on_an_event_changed_since_the_page_was_shown_writes_nothing(client, regional):
    waiting = EventFactory(submitted=True)
    shown = waiting.sequence
    services.event_transition(event=waiting, by=regional, action="publish")  # another moderator, first

    with pytest.raises(Conflict):
        services.event_transition(
            event=waiting, by=regional, action="refuse", reason="Hors sujet", expected_version=shown
        )

    waiting.refresh_from_db()
    assert waiting.moderation == Moderation.PUBLISHED
    assert [step[0] for step in history(waiting)] == ["publish"]


def test_the_decision_form_carries_the_sequence_and_says_when_another_decided_first(client, regional):
    waiting = EventFactory(submitted=True)
    page = as_user(client, regional).get(f"/espace/evenements/{waiting.pk}/").content.decode()
    shown = waiting.sequence
    assert f'name="version" value="{shown}"' in page
    services.event_transition(event=waiting, by=regional, action="publish")  # another moderator, meanwhile

    response = as_user(client, regional).post(
        f"/espace/evenements/{waiting.pk}/moderer/",
        {"action": "refuse", "reason": "Hors sujet", "version": shown},
        follow=True,
    )
    assert "L’événement a changé depuis l’affichage de la page" in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.moderation == Moderation.PUBLISHED
