"""Groups for the tests: a confidential recovery group and an open food group, each with a
facilitator of its own and one member."""

import pytest

from sameboat.groups.models import Group, GroupType, Joining
from sameboat.groups.services import group_create, group_member_add
from sameboat.networks.models import Member, Network, Role


@pytest.fixture
def counsellor(make_member) -> Member:
    return make_member(Role.FACILITATOR, display_name="Counsellor Kim")


@pytest.fixture
def insider(make_member) -> Member:
    return make_member(Role.MEMBER, display_name="Insider Ines")


@pytest.fixture
def confidential(network: Network, counsellor: Member, insider: Member) -> Group:
    group = group_create(
        network=network,
        by=counsellor,
        fields={
            "name": "Recovery circle",
            "purpose": "Staying sober together",
            "type": GroupType.RECOVERY,
            "confidential": True,
            "joining": Joining.INVITATION,
        },
    )
    group_member_add(group=group, member=insider)
    return group


@pytest.fixture
def open_group(network: Network, counsellor: Member, make_member) -> Group:
    group = group_create(
        network=network,
        by=counsellor,
        fields={
            "name": "Food circle",
            "purpose": "Cooking for each other",
            "type": GroupType.FOOD,
            "joining": Joining.REQUEST,
        },
    )
    group_member_add(group=group, member=make_member(display_name="Open Olu"))
    return group
