"""schemathesis against the API's own OpenAPI schema, authenticated as an officer of the
province: generated requests (valid and invalid) for every operation, a bounded number per
operation; no answer is a server error, and every answer matches the schema where the
schema describes it (its body for the documented statuses, its content type).

Refusals the schema does not list (400, 403, 404, 429) are expected answers to generated
data, not failures: the checks that would count them are left out.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from knox.models import AuthToken
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

#: examples per operation: enough to reach the refusals of every field, bounded for CI
EXAMPLES = 5

schema = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
schema.app = get_wsgi_application()


@pytest.fixture(autouse=True)
def _one_connection():
    """The application is called in this process, inside the test's transaction: as
    Django's test client does, the end of a request must not close the connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def officer_key(db, world, make_official):
    """The key of the province's officer, with an official of each district to find."""
    make_official(position=world.positions.a_deputy)
    make_official(position=world.positions.b_deputy)
    _token, key = AuthToken.objects.create(user=world.officer)
    return key


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_no_operation_answers_a_server_error_or_outside_its_schema(case, officer_key):
    case.call_and_validate(
        headers={"Authorization": f"Token {officer_key}"},
        checks=[not_a_server_error, response_schema_conformance, content_type_conformance],
        excluded_checks=None,
    )
