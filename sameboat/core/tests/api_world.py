"""A network with data behind every API endpoint, for the API's fuzzing and object-level tests.

`build_scenario` makes, in one network, the permission-table scenario (an ask, an offer, a
completed match and its exchange, a matching run with a proposal, a confidential group with a
meeting, session record, goal and time away, an open group, a proposal to the network, a
referral, a partnership, the HSDS directory's records: see scenario_parts) and the ids keyed
as `kwargs_for` in test_permission_table reads them; test_permission_table builds its scenario
with it too. `build_world` adds an admin and a coordinator of its own around it. Building it in two
networks gives every endpoint an object of "another network" to be fed.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from sameboat.accounts.models import User
from sameboat.aid.models import Match, MatchSource, ReviewState
from sameboat.aid.services import (
    PostFields,
    ask_create,
    match_accept,
    match_complete,
    match_offer_help,
    offer_create,
)
from sameboat.core.tests import scenario_parts
from sameboat.directory import sample as dataset
from sameboat.directory.services import hsds_import_documents
from sameboat.groups.models import Group, GroupType, Joining, Meeting
from sameboat.groups.services import group_create, group_member_add, meeting_create
from sameboat.matching.models import MatchingRun, RunStatus
from sameboat.networks.models import AreaKind, Category, Member, Network, Role
from sameboat.networks.services import invitation_create, member_add, service_area_create

PASSWORD = "correct-horse-battery-staple"


@dataclass
class World:
    network: Network
    author: Member  # in the confidential group; asked, was helped, has an exchange
    partner: Member  # helped the author; in the open group
    counsellor: Member  # facilitates the confidential group
    coordinator: Member
    admin: Member
    confidential: Group
    meeting: Meeting
    values: dict[str, Any]


def person(network: Network, name: str, role: Role = Role.MEMBER) -> Member:
    user = User.objects.create_user(
        f"{name.lower().replace(' ', '.')}.{network.slug}@example.org",
        PASSWORD,
        display_name=name,
    )
    return member_add(network=network, user=user, role=role)


NewMember = Callable[[str, Role], Member]


@dataclass
class Scenario:
    author: Member
    partner: Member
    counsellor: Member
    confidential: Group
    open_group: Group
    meeting: Meeting
    values: dict[str, Any]  # keyed as test_permission_table's `kwargs_for` reads them


def build_scenario(network: Network, *, coordinator: Member, new_member: NewMember) -> Scenario:
    """The permission-table scenario in `network`, the one builder both the permission table
    and the API world use, so the objects every URL is walked with are the same for both.
    `new_member(display name, role)` adds a person: the table's fixture and the API world
    name their people's addresses differently."""
    food = Category.objects.get(network=network, slug="food")
    author = new_member("Author", Role.MEMBER)
    partner = new_member("Partner", Role.MEMBER)
    ask = ask_create(member=author, fields=PostFields(category=food, title="A ride to the clinic"))
    offer = offer_create(member=partner, fields=PostFields(category=food, title="Soup on Sundays"))
    match = match_accept(match=match_offer_help(ask=ask, helper=partner), by=author)
    exchange = match_complete(match=match, by=partner, hours=Decimal("1"), key="walk")
    invitation = invitation_create(network=network, by=coordinator)
    area = service_area_create(network=network, name="Riverside", kind=AreaKind.CITY)
    # Matching: a finished run with one proposal still waiting for a coordinator's review.
    run = MatchingRun.objects.create(network=network, status=RunStatus.SUCCEEDED)
    second_ask = ask_create(member=author, fields=PostFields(category=food, title="Soup"))
    proposal = Match.objects.create(
        network=network,
        ask=second_ask,
        helper=partner,
        receiver=author,
        source=MatchSource.ENGINE,
        run=run,
        review_state=ReviewState.PENDING,
        reasons=["0.4 km away"],
    )
    counsellor = new_member("Counsellor", Role.FACILITATOR)
    confidential = group_create(
        network=network,
        by=counsellor,
        fields={"name": "Recovery circle", "type": GroupType.RECOVERY, "confidential": True},
    )
    group_member_add(group=confidential, member=author)
    meeting = meeting_create(
        group=confidential,
        by=counsellor,
        starts_at=timezone.now() + timedelta(days=2),
        duration_minutes=60,
        place="Back room",
    )[0]
    open_group = group_create(
        network=network,
        by=counsellor,
        fields={"name": "Food circle", "type": GroupType.FOOD, "joining": Joining.REQUEST},
    )
    group_member_add(group=open_group, member=partner)
    # Each later app adds its own objects (see scenario_parts), keyed by URL parameter name.
    base = {
        "network": network,
        "author": author,
        "partner": partner,
        "counsellor": counsellor,
        "confidential": confidential,
        "open_group": open_group,
        "meeting": meeting,
        "coordinator": coordinator,
    }
    extra: dict[str, object] = {}
    for part in scenario_parts.PARTS:
        extra |= part(base)
    values = {
        "network": network.slug,
        "ask": ask.pk,
        "offer": offer.pk,
        "match": match.pk,
        "exchange": exchange.pk,
        "member": author.pk,
        "token": invitation.token,
        "proposal": proposal.pk,
        "area": area.pk,
        "run": run.pk,
        "group": confidential.pk,
        "open_group": open_group.pk,
        "meeting": meeting.pk,
        **extra,
    }
    return Scenario(
        author=author,
        partner=partner,
        counsellor=counsellor,
        confidential=confidential,
        open_group=open_group,
        meeting=meeting,
        values=values,
    )


def build_world(network: Network) -> World:
    coordinator = person(network, "Coord", Role.COORDINATOR)
    admin = person(network, "Admin", Role.ADMIN)
    scenario = build_scenario(
        network,
        coordinator=coordinator,
        new_member=lambda name, role: person(network, name, role),
    )
    return World(
        network=network,
        author=scenario.author,
        partner=scenario.partner,
        counsellor=scenario.counsellor,
        coordinator=coordinator,
        admin=admin,
        confidential=scenario.confidential,
        meeting=scenario.meeting,
        values=scenario.values,
    )


def _renamed(data: Any, names: dict[str, str]) -> Any:
    """`data` with every UUID in it replaced by a new one, the same one for the same UUID."""
    if isinstance(data, dict):
        return {key: _renamed(value, names) for key, value in data.items()}
    if isinstance(data, list):
        return [_renamed(value, names) for value in data]
    if isinstance(data, str):
        try:
            uuid.UUID(data)
        except ValueError:
            return data
        return names.setdefault(data, str(uuid.uuid4()))
    return data


def directory_of_its_own(world: World) -> None:
    """Give `world` directory records whose HSDS ids no other world has: the scenario's
    sample records carry the same fixed ids in every network that imports them."""
    names: dict[str, str] = {}
    clinic = _renamed(dataset.organizations()[1], names)
    report = hsds_import_documents(network=world.network, data=clinic, kind="organization")
    assert report.ok, report.problems
    tenant = clinic["services"][0]
    world.values |= {
        "hsds:service_at_location": tenant["service_at_locations"][0]["id"],
        "hsds:taxonomy_term": tenant["attributes"][0]["taxonomy_term_id"],
        "hsds:taxonomy": names[dataset.TAXONOMY["id"]],
        "hsds:organization": clinic["id"],
        "hsds:service": tenant["id"],
    }
