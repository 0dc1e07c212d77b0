"""Property-based check of the whole API against its own OpenAPI document (schemathesis): whatever the parameters
and bodies, no 5xx, and every response matches what the document says (status codes, content type, schema). The OpenAPI document itself
is checked when schemathesis loads it."""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import ignored_auth, positive_data_acceptance

from api.api import api

schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_params={}))
schema.app = get_wsgi_application()


@pytest.fixture
def _keep_test_connection():
    """Requests go through the real WSGI application, which closes the database connection at the end of each
    request (``close_old_connections``): on PostgreSQL that would close the test's transaction. Django's test client
    does the same as this fixture."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@pytest.mark.usefixtures("_keep_test_connection")
@schema.parametrize()
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_never_answers_5xx_and_follows_its_schema(case, partner_key):
    if case.operation.path.startswith("/api/v1/partenaires/"):
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {partner_key.raw}"}
    response = case.call()
    assert response.status_code < 500, response.text
    # An unknown region code or topic is valid for the schema (a string) but refers to nothing: a 400 on purpose.
    # ignored_auth replays with one scheme broken while our valid key stays in the other header: a false alarm here;
    # bad and revoked keys are tested one by one in test_partner.py.
    case.validate_response(response, excluded_checks=[positive_data_acceptance, ignored_auth])
