"""The API fuzzed with schemathesis against its own OpenAPI schema: every operation, called by
an anonymous caller and by a member, a facilitator, a coordinator and an admin (token auth)
of a network with data behind every endpoint; and the HSDS read API against Open Referral's.

Whatever schemathesis sends (valid input and invalid input, boundary values, long strings,
control characters, other alphabets), the API answers without a server error, with a status
code the schema documents, in the media type it documents, and with a body that matches the
schema. Path parameters are the world's own objects (ids generated at random would only ever
be 404s; those are the object-level test's business, test_api_objects.py), so the bodies and
query strings are fuzzed against real asks, matches, groups, meetings and goals.

Bounded for the suite: a handful of examples per operation, derandomized so a failure is
reproduced by running the test again.
"""

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.specs.openapi import checks as openapi_checks

from sameboat.core.tests.api_world import World, build_world
from sameboat.networks.services import network_create

# The member is in the world's confidential group (and a side of its match); the facilitator
# facilitates that group; the coordinator and the admin are in no group.
ROLES = ("anonymous", "member", "facilitator", "coordinator", "admin")


def own_schema() -> dict[str, Any]:
    """The schema /api/schema/ serves, as JSON (its lazy translations made plain strings)."""
    generated = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(generated, renderer_context={}))


SCHEMA = schemathesis.openapi.from_dict(own_schema())
SCHEMA.config.phases.coverage.enabled = False

CHECKS = [
    schemathesis.checks.not_a_server_error,
    openapi_checks.status_code_conformance,
    openapi_checks.content_type_conformance,
    openapi_checks.response_headers_conformance,
    openapi_checks.response_schema_conformance,
]

# The object each `{id}` stands for, by the path segment before it.
ID_KINDS = {
    "asks": "ask",
    "offers": "offer",
    "matches": "match",
    "exchanges": "exchange",
    "members": "member",
    "runs": "run",
    "proposals": "proposal",
    "groups": "group",
    "decisions": "decision",
    "goals": "goal",
    "referrals": "referral",
    "partnerships": "partnership",
}
# Other path parameters, by name.
PARAMETER_KINDS = {
    "group_id": "group",
    "meeting_id": "meeting",
    "time_away_id": "time_away_id",
}


def path_values(path: str, world: World) -> dict[str, object]:
    """The world's objects for each parameter of a path template."""
    values: dict[str, object] = {}
    segments = path.strip("/").split("/")
    for index, segment in enumerate(segments):
        if not segment.startswith("{"):
            continue
        name = segment.strip("{}")
        if name == "network_slug":
            values[name] = world.network.slug
        elif name == "id":
            kind = ID_KINDS.get(segments[index - 1])
            assert kind, f"{path}: which object does {{id}} name? Add it to ID_KINDS."
            values[name] = world.values[kind]
        else:
            assert name in PARAMETER_KINDS, f"{path}: add {name} to PARAMETER_KINDS."
            values[name] = world.values[PARAMETER_KINDS[name]]
    return values


@pytest.fixture
def app(db: None) -> Iterator[WSGIHandler]:
    """Django's WSGI application, in process. Like the test client, it leaves the test's
    database connection open after each request, so the test's transaction holds."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    cache.clear()  # throttles count in the cache
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
        cache.clear()


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    """Built once for the module, in a transaction rolled back at its end; each test runs in
    a savepoint inside it (pytest-django's `db`), so no test sees another's writes."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world(network_create(slug="riverside", name="Riverside Mutual Aid"))
        transaction.set_rollback(True)


def credentials(world: World, role: str) -> dict[str, str]:
    caller = {
        "member": world.author,
        "facilitator": world.counsellor,
        "coordinator": world.coordinator,
        "admin": world.admin,
    }.get(role)
    if caller is None:
        return {}
    token, _created = Token.objects.get_or_create(user=caller.user)
    return {"Authorization": f"Token {token.key}"}


@SCHEMA.parametrize()
@settings(
    max_examples=5,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_answers_as_its_schema_says(
    case: schemathesis.Case, world: World, app: WSGIHandler
) -> None:
    """Each example is sent by each caller in turn."""
    case.path_parameters = path_values(case.operation.path, world)
    for role in ROLES:
        case.call_and_validate(headers=credentials(world, role), app=app, checks=CHECKS)


# The caller's own check-in is a 404 until they check in (which PUT's examples do).
NOTHING_TO_READ = {"/api/v1/networks/{network_slug}/groups/{id}/meetings/{meeting_id}/check-in/"}


def test_every_read_answers_a_caller_allowed_to_make_it(world: World, app: WSGIHandler) -> None:
    """The premise of the fuzzing above: the callers' credentials and the world's ids are
    good, so every GET answers 2xx to one of the callers at least, and an anonymous caller is
    always challenged. Checked here with one plain request per read and caller, so that it
    holds whichever tests run and in whatever order."""
    answers: dict[tuple[str, str], int] = {}
    for result in SCHEMA.get_all_operations():
        operation = result.ok()
        if operation.method.upper() != "GET":
            continue
        case = operation.Case(path_parameters=path_values(operation.path, world))
        for role in ROLES:
            response = case.call(headers=credentials(world, role), app=app)
            answers[(operation.path, role)] = response.status_code
    reads = {path for path, _role in answers}
    assert len(reads) > 40
    never = sorted(
        path
        for path in reads - NOTHING_TO_READ
        if not any(200 <= answers[(path, role)] < 300 for role in ROLES)
    )
    assert not never, never
    anonymous = {
        status
        for (path, role), status in answers.items()
        if role == "anonymous" and path != "/api/v1/auth/token/"
    }
    assert anonymous == {401}, anonymous


# --- the HSDS read API ------------------------------------------------------------------------
# It follows Open Referral's own OpenAPI document (kept in sameboat/directory/hsds/schema), not
# ours. Its records' schemas are remote references (the official compiled schemas, which
# test_hsds_api_responses_validate_against_the_official_schemas.py in the directory's tests
# checks every response against); here they are left open and the pages' own shape is checked.
# The reference documents only 200: our 400 for a parameter that cannot be read and 404 for an
# unknown id are written in sameboat/directory/hsds_api.py, so status codes are not checked.
HSDS_DOCUMENT = Path(__file__).resolve().parents[2] / "directory" / "hsds" / "schema"


def hsds_schema(prefix: str) -> dict[str, Any]:
    def local(node: Any) -> Any:
        if isinstance(node, dict):
            if str(node.get("$ref", "")).startswith("http"):
                return {}
            return {key: local(value) for key, value in node.items()}
        if isinstance(node, list):
            return [local(value) for value in node]
        return node

    document = local(json.loads((HSDS_DOCUMENT / "openapi.json").read_text()))
    document["paths"] = {prefix + path: item for path, item in document["paths"].items()}
    return document


HSDS_SCHEMA = schemathesis.openapi.from_dict(hsds_schema("/api/hsds/riverside"))
HSDS_SCHEMA.config.phases.coverage.enabled = False
HSDS_CHECKS = [
    schemathesis.checks.not_a_server_error,
    openapi_checks.content_type_conformance,
    openapi_checks.response_schema_conformance,
]
HSDS_KINDS = {
    "services": "hsds:service",
    "organizations": "hsds:organization",
    "taxonomies": "hsds:taxonomy",
    "taxonomy_terms": "hsds:taxonomy_term",
    "service_at_locations": "hsds:service_at_location",
}


@HSDS_SCHEMA.parametrize()
@settings(
    max_examples=5,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_hsds_api_answers_without_a_server_error_in_its_documented_shapes(
    case: schemathesis.Case, world: World, app: WSGIHandler
) -> None:
    """The directory is unpublished: its members read it (anonymous callers get 404)."""
    if "{id}" in case.operation.path:
        kind = case.operation.path.rstrip("/").split("/")[-2]
        case.path_parameters = {"id": world.values[HSDS_KINDS[kind]]}
    for role in ROLES:
        case.call_and_validate(headers=credentials(world, role), app=app, checks=HSDS_CHECKS)
