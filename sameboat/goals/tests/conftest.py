"""Groups and goals for the tests: the groups of sameboat/core/tests/fixtures_groups.py (a
confidential recovery group, here with Peer Pat besides Insider Ines, and an open food group),
and a way to set goals quickly."""

from collections.abc import Callable
from typing import Any

import pytest

from sameboat.core.tests.fixtures_groups import RECOVERY_CIRCLE, MakeMember, group_of
from sameboat.goals.models import Goal, GoalKind
from sameboat.goals.services import goal_create
from sameboat.groups.models import Group
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
def peer(make_member: MakeMember) -> Member:
    return make_member(Role.MEMBER, display_name="Peer Pat")


@pytest.fixture
def confidential(network: Network, counsellor: Member, insider: Member, peer: Member) -> Group:
    """The shared recovery group, with Peer Pat in it as well as Insider Ines."""
    return group_of(network, counsellor, RECOVERY_CIRCLE, insider, peer)


@pytest.fixture
def make_goal() -> MakeGoal:
    """Set a goal: a personal goal of `by` unless `kind` says otherwise."""

    def make(*, group: Group, by: Member, kind: str = GoalKind.PERSONAL, **kwargs: Any) -> Goal:
        kwargs.setdefault("title", "Get out of the house")
        kwargs.setdefault("levels", LEVELS)
        return goal_create(group=group, by=by, kind=kind, **kwargs)

    return make
