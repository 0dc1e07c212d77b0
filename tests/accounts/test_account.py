"""« Mon compte »: each person changes their password and their login address from their space; the address
changes only once a link sent to the new one is opened, the former address is told, and the journal keeps no
address."""

import re

import pytest

from accounts.models import User
from core.models import AuditEntry
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "mot-de-passe-de-test"
LINK = re.compile(r"http://\S+/espace/compte/adresse/\S+/")


@pytest.fixture
def person(client):
    user = UserFactory(email="lea.avant@exemple.test", regional=True)
    client.force_login(user)
    return user


def test_account_page_is_linked_from_the_space(client, person):
    assert 'href="/espace/compte/"' in client.get("/espace/").content.decode()
    assert client.get("/espace/compte/").status_code == 200


def test_password_change_needs_the_current_one_and_keeps_this_session(client, person):
    wrong = client.post(
        "/espace/compte/",
        {"action": "password", "old_password": "faux", "new_password1": "x", "new_password2": "x"},
    )
    assert wrong.status_code == 400
    new = "une autre phrase de passe"
    done = client.post(
        "/espace/compte/",
        {"action": "password", "old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert done.status_code == 302
    assert User.objects.get(pk=person.pk).check_password(new)
    assert client.get("/espace/").status_code == 200  # still signed in


def test_email_change_waits_for_the_link_then_tells_the_former_address(
    client, person, smtp_inbox, django_capture_on_commit_callbacks
):
    refused = client.post(
        "/espace/compte/", {"action": "email", "new_email": "lea.apres@exemple.test", "password": "faux"}
    )
    assert refused.status_code == 400
    assert "Mot de passe incorrect." in refused.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/espace/compte/",
            {"action": "email", "new_email": "Lea.Apres@exemple.test", "password": PASSWORD},
        )
    assert User.objects.get(pk=person.pk).email == "lea.avant@exemple.test"  # not before the link
    [message] = smtp_inbox.to("lea.apres@exemple.test")
    link = LINK.search(smtp_inbox.body(message)).group(0).replace("http://testserver", "")

    with django_capture_on_commit_callbacks(execute=True):
        page = client.get(link, follow=True).content.decode()

    assert "L’adresse de votre compte est désormais lea.apres@exemple.test." in page
    assert User.objects.get(pk=person.pk).email == "lea.apres@exemple.test"
    assert smtp_inbox.to("lea.avant@exemple.test")
    entry = AuditEntry.objects.get(action="account.email_change")
    assert entry.changes == {"email": "modifié"}
    assert "lea.avant" not in str(entry.changes) and "lea.apres" not in str(entry.changes)


def test_email_change_link_of_another_account_or_to_a_taken_address_changes_nothing(
    client, person, smtp_inbox, django_capture_on_commit_callbacks
):
    UserFactory(email="deja.pris@exemple.test")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/espace/compte/",
            {"action": "email", "new_email": "deja.pris@exemple.test", "password": PASSWORD},
        )
    link = LINK.search(smtp_inbox.body(smtp_inbox.to("deja.pris@exemple.test")[0])).group(0)
    link = link.replace("http://testserver", "")

    taken = client.get(link, follow=True).content.decode()
    assert "Cette adresse ne peut pas être utilisée pour votre compte" in taken

    client.force_login(UserFactory(email="autre@exemple.test"))
    other = client.get(link, follow=True).content.decode()
    assert "Ce lien concerne un autre compte" in other
    forged = client.get("/espace/compte/adresse/pas-un-jeton/", follow=True).content.decode()
    assert "Ce lien n’est pas valable." in forged
    assert User.objects.get(pk=person.pk).email == "lea.avant@exemple.test"


def test_account_page_needs_a_login(client):
    response = client.get("/espace/compte/")
    assert response.status_code == 302
    assert response.url.startswith("/connexion/")
