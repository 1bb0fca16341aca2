"""Only a member who is willing to hold a role and at the meeting is given it."""

from hypothesis import given, settings
from hypothesis import strategies as st

from sameboat.groups.rotation import STANDARD_ROLES, MemberAvailability, assign_roles

member = st.builds(
    MemberAvailability,
    st.integers(0, 30),
    st.frozensets(st.sampled_from(STANDARD_ROLES)),
    st.booleans(),
)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(member, min_size=1, max_size=10, unique_by=lambda m: m.member_id),
    st.lists(st.tuples(st.sampled_from(STANDARD_ROLES), st.integers(0, 30)), max_size=40),
)
def test_every_role_goes_to_someone_willing_and_available(
    members: list[MemberAvailability[int]], history: list[tuple[str, int]]
) -> None:
    by_id = {m.member_id: m for m in members}
    roles = [r for r in STANDARD_ROLES if any(m.can_hold(r) for m in members)]
    assignment = assign_roles(roles, members, history)
    assert list(assignment) == roles
    for role, member_id in assignment.items():
        assert by_id[member_id].available
        assert role in by_id[member_id].willing


def test_a_member_away_this_week_is_skipped_even_when_it_is_their_turn() -> None:
    members = [
        MemberAvailability(1, frozenset({"chair"}), available=False),
        MemberAvailability(2, frozenset({"chair"})),
    ]
    assert assign_roles(["chair"], members, [("chair", 2)]) == {"chair": 2}
