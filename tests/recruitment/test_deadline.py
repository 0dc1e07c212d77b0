"""The deadline holds at the second, in Paris time, whatever page the applicant had open: the check is made by the
service at submission time. Summer (UTC+2) and winter (UTC+1) closing dates."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from core.formats import french_date, french_datetime
from recruitment import selectors, services
from recruitment.models import Application
from tests.factories import CallFactory
from tests.recruitment.conftest import application_data, form_data

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")

# (closing instant in Paris, the same instant in UTC, how the refusal writes the closing date)
CLOSINGS = {
    "summer": (
        datetime(2025, 9, 15, 23, 59, 59, tzinfo=PARIS),
        datetime(2025, 9, 15, 21, 59, 59, tzinfo=UTC),
    ),
    "winter": (
        datetime(2026, 1, 15, 23, 59, 59, tzinfo=PARIS),
        datetime(2026, 1, 15, 22, 59, 59, tzinfo=UTC),
    ),
}


def make_call(closes_at):
    return CallFactory(opens_at=closes_at - timedelta(days=60), closes_at=closes_at, title="AMI de test")


@pytest.mark.parametrize("season", CLOSINGS)
def test_call_closes_at_is_stored_as_the_utc_instant_of_paris_time(season):
    paris, utc = CLOSINGS[season]
    call = make_call(paris)
    call.refresh_from_db()
    assert call.closes_at == utc
    assert call.closes_at.astimezone(UTC).hour == utc.hour
    assert timezone.localtime(call.closes_at).strftime("%d/%m/%Y %H:%M:%S") == paris.strftime(
        "%d/%m/%Y 23:59:59"
    )


@pytest.mark.parametrize("season", CLOSINGS)
@pytest.mark.parametrize("microsecond", [0, 999_999])
def test_submit_at_last_second_paris_is_accepted(season, microsecond):
    paris, _ = CLOSINGS[season]
    call = make_call(paris)
    now = paris.replace(microsecond=microsecond)
    application = services.application_submit(call=call, data=application_data(call), now=now)
    assert Application.objects.filter(pk=application.pk, call=call).exists()
    assert application.consent_at == now


@pytest.mark.parametrize("season", CLOSINGS)
def test_submit_at_next_second_paris_is_refused(season):
    paris, _ = CLOSINGS[season]
    call = make_call(paris)
    midnight = datetime(paris.year, paris.month, 16, 0, 0, 0, tzinfo=PARIS)
    assert midnight - paris == timedelta(seconds=1)
    with pytest.raises(services.CallClosed) as exc:
        services.application_submit(call=call, data=application_data(call), now=midnight)
    message = str(exc.value)
    assert "clos" in message
    assert f"{french_date(paris, weekday=False)} à 23\u00a0h\u00a059 (heure de Paris)" in message
    assert "heure de Paris" in message
    assert not Application.objects.filter(call=call).exists()


@pytest.mark.parametrize("season", CLOSINGS)
def test_submit_same_instant_expressed_in_utc_is_judged_the_same(season):
    _, utc = CLOSINGS[season]
    call = make_call(utc)
    services.application_submit(call=call, data=application_data(call), now=utc)
    with pytest.raises(services.CallClosed):
        services.application_submit(
            call=call, data=application_data(call, email="autre@exemple.test"), now=utc + timedelta(seconds=1)
        )
    assert Application.objects.filter(call=call).count() == 1


def test_submit_before_opening_is_refused():
    opens_at = datetime(2026, 3, 1, 9, 0, 0, tzinfo=PARIS)
    call = CallFactory(opens_at=opens_at, closes_at=opens_at + timedelta(days=30))
    with pytest.raises(services.CallClosed) as exc:
        services.application_submit(
            call=call, data=application_data(call), now=opens_at - timedelta(microseconds=1)
        )
    assert "pas encore ouvert" in str(exc.value)
    assert not Application.objects.filter(call=call).exists()


def test_submit_at_opening_instant_is_accepted():
    opens_at = datetime(2026, 3, 1, 9, 0, 0, tzinfo=PARIS)
    call = CallFactory(opens_at=opens_at, closes_at=opens_at + timedelta(days=30))
    services.application_submit(call=call, data=application_data(call), now=opens_at)
    assert Application.objects.filter(call=call).count() == 1


def test_post_after_closing_with_form_opened_before_is_refused_and_keeps_input(client):
    call = CallFactory(title="AMI qui ferme pendant la saisie")
    page = client.get("/ami/")
    assert page.status_code == 200
    assert f'name="call" value="{call.pk}"' in page.content.decode()

    # The applicant takes their time; meanwhile the closing instant passes.
    closed_at = timezone.now() - timedelta(seconds=1)
    call.closes_at = closed_at
    call.save(update_fields=["closes_at"])
    data = form_data(call, motivation="Une motivation longuement mûrie, qui ne doit pas se perdre.")
    response = client.post("/ami/", data)

    assert 400 <= response.status_code < 500
    body = response.content.decode()
    assert "Candidature non enregistrée" in body
    assert "est clos depuis le" in body
    assert french_datetime(timezone.localtime(closed_at)) in body
    assert "votre candidature n’a pas pu être enregistrée" in body
    assert not Application.objects.exists()
    # What was typed is still there.
    assert 'value="Jeanne"' in body
    assert 'value="jeanne@exemple.test"' in body
    assert "Une motivation longuement mûrie, qui ne doit pas se perdre." in body


def test_current_call_is_one_query_whatever_the_number_of_past_calls(django_assert_num_queries):
    now = timezone.now()
    for days in range(10, 60, 5):
        CallFactory(opens_at=now - timedelta(days=days + 30), closes_at=now - timedelta(days=days))
    later = CallFactory(opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=20))
    first = CallFactory(opens_at=now - timedelta(days=2), closes_at=now + timedelta(days=10))
    CallFactory(opens_at=now + timedelta(days=1), closes_at=now + timedelta(days=40))
    with django_assert_num_queries(1):
        assert selectors.call_current(now) == first
    assert later.is_open_at(now)


@pytest.mark.parametrize("season", CLOSINGS)
def test_current_call_holds_until_the_last_second_paris(season):
    paris, _ = CLOSINGS[season]
    call = make_call(paris)
    assert selectors.call_current(paris.replace(microsecond=999_999)) == call
    assert selectors.call_current(paris + timedelta(seconds=1)) is None
    assert selectors.call_current(call.opens_at) == call
    assert selectors.call_current(call.opens_at - timedelta(microseconds=1)) is None
