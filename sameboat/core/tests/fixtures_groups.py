"""The groups the tests of groups, calendars, decisions and goals share: a confidential
recovery group and an open food group, both facilitated by Counsellor Kim; Insider Ines belongs
to the recovery group, Open Olu to the food group.

A pytest plugin (the root conftest.py names it in `pytest_plugins`) rather than one copy in
each app's conftest, so the apps test against the same groups. An app whose tests need a
group laid out otherwise overrides the fixture in its own conftest with `group_of` and the
members it wants."""

from collections.abc import Callable
from typing import Any

import pytest

from sameboat.groups.models import Group, GroupType, Joining
from sameboat.groups.services import group_create, group_member_add
from sameboat.networks.models import Member, Network, Role

MakeMember = Callable[..., Member]  # the root conftest's make_member


RECOVERY_CIRCLE: dict[str, Any] = {
    "name": "Recovery circle",
    "purpose": "Staying sober together",
    "type": GroupType.RECOVERY,
    "confidential": True,
    "joining": Joining.INVITATION,
}
FOOD_CIRCLE: dict[str, Any] = {
    "name": "Food circle",
    "purpose": "Cooking for each other",
    "type": GroupType.FOOD,
    "joining": Joining.REQUEST,
}


def group_of(
    network: Network, counsellor: Member, fields: dict[str, Any], *members: Member
) -> Group:
    """A group started by `counsellor` with these fields, `members` added in order."""
    group = group_create(network=network, by=counsellor, fields=dict(fields))
    for member in members:
        group_member_add(group=group, member=member)
    return group


@pytest.fixture
def counsellor(make_member: MakeMember) -> Member:
    return make_member(Role.FACILITATOR, display_name="Counsellor Kim")


@pytest.fixture
def insider(make_member: MakeMember) -> Member:
    return make_member(Role.MEMBER, display_name="Insider Ines")


@pytest.fixture
def confidential(network: Network, counsellor: Member, insider: Member) -> Group:
    return group_of(network, counsellor, RECOVERY_CIRCLE, insider)


@pytest.fixture
def open_group(network: Network, counsellor: Member, make_member: MakeMember) -> Group:
    return group_of(network, counsellor, FOOD_CIRCLE, make_member(display_name="Open Olu"))
