"""Nobody holds two roles in a meeting if the roles could go to different people; when they
cannot, the assignment says who doubled up. Checked against trying every assignment."""

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from sameboat.groups.rotation import STANDARD_ROLES, MemberAvailability, assign_roles

member = st.builds(
    MemberAvailability,
    st.integers(0, 9),
    st.frozensets(st.sampled_from(STANDARD_ROLES)),
    st.booleans(),
)


def most_people_who_could_share_the_roles(
    roles: list[str], members: list[MemberAvailability[int]]
) -> int:
    options = [[m.member_id for m in members if m.can_hold(r)] for r in roles]
    return max(len(set(choice)) for choice in itertools.product(*options))


@settings(max_examples=100, deadline=None)
@given(
    st.lists(member, min_size=1, max_size=6, unique_by=lambda m: m.member_id),
    st.lists(st.tuples(st.sampled_from(STANDARD_ROLES), st.integers(0, 9)), max_size=20),
)
def test_roles_go_to_as_many_different_people_as_possible(
    members: list[MemberAvailability[int]], history: list[tuple[str, int]]
) -> None:
    roles = [r for r in STANDARD_ROLES if any(m.can_hold(r) for m in members)]
    assignment = assign_roles(roles, members, history)
    people = len(set(assignment.values()))
    assert people == most_people_who_could_share_the_roles(roles, members)
    assert sum(len(held) - 1 for held in assignment.doubled.values()) == len(roles) - people


def test_two_people_and_four_roles_share_them_two_each_and_say_so() -> None:
    members = [MemberAvailability(i, frozenset(STANDARD_ROLES)) for i in (1, 2)]
    assignment = assign_roles(list(STANDARD_ROLES), members, [])
    assert sorted(len(roles) for roles in assignment.doubled.values()) == [2, 2]


def test_four_roles_and_four_people_means_one_role_each() -> None:
    members = [MemberAvailability(i, frozenset(STANDARD_ROLES)) for i in (1, 2, 3, 4)]
    assignment = assign_roles(list(STANDARD_ROLES), members, [])
    assert sorted(assignment.values()) == [1, 2, 3, 4]
    assert assignment.doubled == {}


def test_the_only_willing_note_taker_takes_notes_and_someone_else_chairs() -> None:
    members = [
        MemberAvailability(1, frozenset({"chair", "note-taker"})),
        MemberAvailability(2, frozenset({"chair"})),
    ]
    assert assign_roles(["chair", "note-taker"], members, []) == {"chair": 2, "note-taker": 1}
