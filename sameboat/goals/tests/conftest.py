"""Groups and goals for the tests: a confidential recovery group (a counsellor facilitates it;
Insider Ines and Peer Pat belong) and an open food group, and a way to set goals quickly."""

from collections.abc import Callable
from typing import Any

import pytest

from sameboat.goals.models import Goal, GoalKind
from sameboat.goals.services import goal_create
from sameboat.groups.models import Group, GroupType, Joining
from sameboat.groups.services import group_create, group_member_add
from sameboat.networks.models import Member, Network, Role

LEVELS = {
    -2: "Not going out at all",
    -1: "Out once a week",
    0: "Out three times a week",
    1: "Out most days",
    2: "Out every day, and meeting a friend",
}

MakeGoal = Callable[..., Goal]


@pytest.fixture
def counsellor(make_member) -> Member:
    return make_member(Role.FACILITATOR, display_name="Counsellor Kim")


@pytest.fixture
def insider(make_member) -> Member:
    return make_member(Role.MEMBER, display_name="Insider Ines")


@pytest.fixture
def peer(make_member) -> Member:
    return make_member(Role.MEMBER, display_name="Peer Pat")


@pytest.fixture
def confidential(network: Network, counsellor: Member, insider: Member, peer: Member) -> Group:
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
    group_member_add(group=group, member=peer)
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


@pytest.fixture
def make_goal() -> MakeGoal:
    """Set a goal: a personal goal of `by` unless `kind` says otherwise."""

    def make(*, group: Group, by: Member, kind: str = GoalKind.PERSONAL, **kwargs: Any) -> Goal:
        kwargs.setdefault("title", "Get out of the house")
        kwargs.setdefault("levels", LEVELS)
        return goal_create(group=group, by=by, kind=kind, **kwargs)

    return make
