"""Who sees a personal goal is its member's choice: only them; them and the group's
facilitators; or the whole group. Nobody else, ever: not the network's coordinators or
admins, not a facilitator of the network outside the group, not another network. The policy
and the selector that lists goals agree on every goal and every viewer."""

import pytest

from sameboat import policy
from sameboat.goals import selectors
from sameboat.goals.models import GoalKind, GoalVisibility
from sameboat.groups.selectors import membership_of
from sameboat.groups.services import group_member_add
from sameboat.networks.models import Role


@pytest.fixture
def viewers(
    confidential, counsellor, insider, peer, coordinator, admin_member, make_member, outsider
):
    co_facilitator = make_member(Role.FACILITATOR, display_name="Co Facilitator")
    group_member_add(group=confidential, member=co_facilitator, role="facilitator")
    # A coordinator who is also in the group sees what any member of the group sees.
    coordinator_inside = make_member(Role.COORDINATOR, display_name="Coordinator Inside")
    group_member_add(group=confidential, member=coordinator_inside)
    return {
        "owner": insider,
        "peer": peer,
        "facilitator": counsellor,
        "co_facilitator": co_facilitator,
        "coordinator_inside": coordinator_inside,
        "coordinator": coordinator,
        "admin": admin_member,
        "network_facilitator": make_member(Role.FACILITATOR),
        "network_member": make_member(Role.MEMBER),
        "outsider": outsider,
    }


EVERYONE_IN_THE_GROUP = {"owner", "peer", "facilitator", "co_facilitator", "coordinator_inside"}
SEES = {
    GoalVisibility.ONLY_ME: {"owner"},
    GoalVisibility.FACILITATORS: {"owner", "facilitator", "co_facilitator"},
    GoalVisibility.GROUP: EVERYONE_IN_THE_GROUP,
}


def _sees(viewer, group, goal) -> bool:
    membership = membership_of(group=group, member=viewer)
    fetched = selectors.goal_get(group=group, pk=goal.pk)
    by_policy = policy.can_see_goal(
        viewer, group, membership, fetched, owner_belongs=selectors.owner_belongs(fetched)
    )
    listed = selectors.goals_visible(group=group, viewer=viewer, membership=membership)
    assert by_policy == listed.filter(pk=goal.pk).exists(), "policy and selector disagree"
    return by_policy


@pytest.mark.parametrize("visibility", list(GoalVisibility))
def test_a_personal_goal_is_seen_by_exactly_those_its_member_chose(
    make_goal, confidential, insider, viewers, visibility
) -> None:
    goal = make_goal(group=confidential, by=insider, visibility=visibility)
    seen = {name for name, viewer in viewers.items() if _sees(viewer, confidential, goal)}
    assert seen == SEES[visibility]


@pytest.mark.parametrize("visibility", list(GoalVisibility))
def test_the_same_holds_in_an_open_group(
    make_goal, open_group, make_member, coordinator, visibility
) -> None:
    owner = make_member(display_name="Owner")
    other = make_member(display_name="Other")
    group_member_add(group=open_group, member=owner)
    group_member_add(group=open_group, member=other)
    goal = make_goal(group=open_group, by=owner, visibility=visibility)
    assert _sees(owner, open_group, goal)
    assert _sees(other, open_group, goal) == (visibility == GoalVisibility.GROUP)
    # An open group is open to the network, but its members' goals are not.
    assert not _sees(coordinator, open_group, goal)
    assert not _sees(make_member(), open_group, goal)


def test_group_goals_are_seen_by_the_groups_active_members_only(
    make_goal, confidential, counsellor, viewers
) -> None:
    goal = make_goal(group=confidential, by=counsellor, kind=GoalKind.GROUP)
    seen = {name for name, viewer in viewers.items() if _sees(viewer, confidential, goal)}
    assert seen == EVERYONE_IN_THE_GROUP
