"""A call named in a sentence: « votre candidature à l’appel « Printemps 2026 » », never « à l’appel « Appel à
manifestation d’intérêt… » »; and the back office's structure line has no brackets inside brackets."""

import pytest

from recruitment import services
from tests.factories import ApplicationFactory, CallFactory, UserFactory

pytestmark = pytest.mark.django_db

NB = "\u00a0"


@pytest.mark.parametrize(
    ("title", "said"),
    [
        ("Printemps 2026", f"à l’appel «{NB}Printemps 2026{NB}»"),
        ("Appel à manifestation d’intérêt 2026", f"à l’«{NB}Appel à manifestation d’intérêt 2026{NB}»"),
    ],
)
def test_the_call_is_named_once_in_the_applicants_emails(
    title, said, smtp_inbox, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(call=CallFactory(title=title))
    with django_capture_on_commit_callbacks(execute=True):
        services.application_transition(application=application, action="withdraw", by=None)
    [email] = smtp_inbox.to(application.email)
    body = smtp_inbox.body(email)
    assert said in body
    assert "l’appel «\u00a0Appel" not in body


def test_structure_line_has_no_nested_brackets(client):
    application = ApplicationFactory(structure_name="Lumyne", structure_size="tpe")
    client.force_login(UserFactory(national=True))
    page = client.get(f"/espace/candidatures/{application.pk}/").content.decode()
    assert "Lumyne, TPE (moins de 10 salariés)" in page
