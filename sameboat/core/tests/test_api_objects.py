"""Object-level access for every API endpoint: an id that belongs to another network, or to a
confidential group the caller is not in, answers exactly as an id that exists nowhere (404,
or 405 for a method the endpoint does not take), whatever the method: never 200, never 403,
never a 400 that validated the body first. Nothing is written.

The endpoints are read from the URL resolver, so a new one is covered as soon as it exists;
one whose parameters the worlds below cannot fill with a foreign object fails the test
(give the scenario parts an object for it: see scenario_parts and api_world).

Two networks are built alike (api_world). The callers are Riverside's admin, who may see
every object of the network, and `author`, a member of Riverside's confidential group; each
is fed, one URL parameter at a time, Hilltop's object in place of Riverside's. Then `author`
and a member of no group are fed the objects of a second confidential group of Riverside,
which neither is in.
"""

import uuid
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from sameboat.core.tests.api_world import World, build_world, directory_of_its_own, person
from sameboat.core.tests.test_permission_table import kwargs_for, url_names
from sameboat.goals.models import GoalKind, GoalVisibility
from sameboat.goals.services import goal_create
from sameboat.groups.models import GroupMember, GroupType, SessionRecord
from sameboat.groups.services import (
    group_create,
    group_member_add,
    meeting_create,
    time_away_add,
)
from sameboat.networks.models import Member
from sameboat.networks.services import network_create

METHODS = ("get", "post", "put", "patch", "delete")
NETWORK_PARAMETERS = frozenset({"network", "network_slug", "format"})
HIDDEN = (404, 405)
LEVELS = {-2: "None", -1: "Some", 0: "Half", 1: "Most", 2: "All"}


def api_urls() -> dict[str, frozenset[str]]:
    """Every API URL that names an object, with its parameters."""
    return {
        name: kwargs
        for name, kwargs in sorted(url_names().items())
        if (name.startswith("api-") or name.startswith("hsds:")) and kwargs - NETWORK_PARAMETERS
    }


def missing_value(value: object) -> object:
    """An id of the same shape as `value` that names nothing."""
    if isinstance(value, int):
        return 2_000_000_000
    try:
        uuid.UUID(str(value))
    except ValueError:
        return f"{value}-gone"
    return str(uuid.uuid4())


def client_for(member: Member) -> APIClient:
    client = APIClient()
    token, _created = Token.objects.get_or_create(user=member.user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def answer(client: APIClient, method: str, url: str) -> int:
    return getattr(client, method)(url, {}, format="json").status_code


def substitutions(
    name: str, parameters: frozenset[str], home: dict[str, Any], foreign: dict[str, Any]
) -> Iterator[tuple[str, dict[str, object], dict[str, object]]]:
    """For each object parameter that differs between the two worlds: the home URL's
    parameters with that one taken from the foreign world, and with it naming nothing."""
    home_kwargs = kwargs_for(name, parameters, home)
    foreign_kwargs = kwargs_for(name, parameters, foreign)
    for parameter in sorted(parameters - NETWORK_PARAMETERS):
        if foreign_kwargs[parameter] == home_kwargs[parameter]:
            continue
        yield (
            parameter,
            home_kwargs | {parameter: foreign_kwargs[parameter]},
            home_kwargs | {parameter: missing_value(home_kwargs[parameter])},
        )


def check(
    callers: dict[str, Member],
    home: dict[str, Any],
    foreign: dict[str, Any],
    names: dict[str, frozenset[str]],
) -> tuple[list[str], set[str]]:
    """Walk the URLs; return what went wrong and which URLs had a foreign object fed.

    Also each URL's premise: with the home world's own ids some caller's answer to some
    method differs from the answer for an id that exists nowhere (the object is really
    there to be found), else a 404 for the foreign object would prove nothing."""
    wrong: list[str] = []
    covered: set[str] = set()
    clients = {label: client_for(member) for label, member in callers.items()}
    for name, parameters in names.items():
        for parameter, foreign_kwargs, missing_kwargs in substitutions(
            name, parameters, home, foreign
        ):
            covered.add(name)
            foreign_url = reverse(name, kwargs=foreign_kwargs)
            missing_url = reverse(name, kwargs=missing_kwargs)
            nowhere: dict[tuple[str, str], int] = {}
            for method in METHODS:
                seen = {}
                for label, client in clients.items():
                    got = answer(client, method, foreign_url)
                    nowhere[method, label] = answer(client, method, missing_url)
                    seen[label] = got
                    if got != nowhere[method, label]:
                        wrong.append(
                            f"{method.upper()} {name} with another's {parameter} as {label}: "
                            f"{got}, but {nowhere[method, label]} for an id that exists nowhere"
                        )
                    elif got not in HIDDEN and got != 403:
                        wrong.append(f"{method.upper()} {name} ({parameter}) as {label}: {got}")
                if not any(status in HIDDEN for status in seen.values()):
                    wrong.append(
                        f"{method.upper()} {name} with another's {parameter}: {seen}, "
                        "and no caller got 404"
                    )
            home_url = reverse(name, kwargs=kwargs_for(name, parameters, home))
            # Rolled back: one endpoint's premise must not change the next one's objects.
            with transaction.atomic():
                found = any(
                    answer(client, method, home_url) != nowhere[method, label]
                    for method in METHODS
                    for label, client in clients.items()
                )
                transaction.set_rollback(True)
            if not found:
                wrong.append(f"{name}: its own {parameter} is not found either; test nothing")
    return wrong, covered


@pytest.fixture
def riverside(db: None) -> World:
    return build_world(network_create(slug="riverside", name="Riverside Mutual Aid"))


@pytest.fixture
def hilltop(db: None) -> World:
    world = build_world(network_create(slug="hilltop", name="Hilltop Food Network"))
    directory_of_its_own(world)
    return world


def test_objects_of_another_network_are_not_found_whatever_the_method(
    riverside: World, hilltop: World
) -> None:
    names = api_urls()
    assert len(names) > 40, "the URL walk found too few API endpoints"
    callers = {"admin": riverside.admin, "author": riverside.author}
    wrong, covered = check(callers, riverside.values, hilltop.values, names)
    assert not wrong, "\n".join(wrong)
    uncovered = sorted(set(names) - covered)
    assert not uncovered, (
        f"No object of another network to feed these endpoints: {uncovered}; "
        "give them one in the scenario parts"
    )


def test_objects_of_a_confidential_group_the_caller_is_not_in_are_not_found(
    riverside: World,
) -> None:
    """Riverside's `author` is in one confidential group; a second one (with its meeting,
    session record, goal and a member's time away) is invisible to them and to a member of
    no group, for every method and under the caller's own group's URLs too."""
    network = riverside.network
    counsellor = riverside.counsellor
    insider = person(network, "Insider")
    secret = group_create(
        network=network,
        by=counsellor,
        fields={"name": "Papers circle", "type": GroupType.IMMIGRANT_REFUGEE, "confidential": True},
    )
    group_member_add(group=secret, member=insider)
    meeting = meeting_create(
        group=secret,
        by=counsellor,
        starts_at=timezone.now() + timedelta(days=3),
        duration_minutes=60,
        place="Side room",
    )[0]
    SessionRecord.objects.create(meeting=meeting, notes="Lawyers.", recorded_by=counsellor)
    goal = goal_create(
        group=secret,
        by=insider,
        kind=GoalKind.PERSONAL,
        title="File the papers",
        levels=LEVELS,
        visibility=GoalVisibility.GROUP,
    )
    today = timezone.localdate()
    away = time_away_add(
        membership=GroupMember.objects.get(group=secret, member=insider),
        starts_on=today + timedelta(days=5),
        ends_on=today + timedelta(days=6),
    )
    foreign = riverside.values | {
        "group": secret.pk,
        "group-session": secret.pk,
        "meeting": meeting.pk,
        "goal": goal.pk,
        "goal_id": goal.pk,
        "time_away_id": away.pk,
    }
    names = api_urls()
    callers = {"author": riverside.author, "member of no group": person(network, "Loner")}
    wrong, covered = check(callers, riverside.values, foreign, names)
    assert not wrong, "\n".join(wrong)
    inside_groups = {name for name in names if name.startswith(("api-group", "api-goal"))}
    assert len(inside_groups) >= 10
    assert not inside_groups - covered, sorted(inside_groups - covered)
