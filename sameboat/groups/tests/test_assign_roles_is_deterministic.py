"""The same meeting, history and people always give the same roles, in whatever order the
members are listed."""

from hypothesis import given, settings
from hypothesis import strategies as st

from sameboat.groups.rotation import STANDARD_ROLES, MemberAvailability, assign_roles

member = st.builds(
    MemberAvailability,
    st.integers(0, 20),
    st.frozensets(st.sampled_from(STANDARD_ROLES), min_size=1),
    st.booleans(),
)


@settings(max_examples=80, deadline=None)
@given(
    st.lists(member, min_size=1, max_size=8, unique_by=lambda m: m.member_id),
    st.lists(st.tuples(st.sampled_from(STANDARD_ROLES), st.integers(0, 20)), max_size=30),
    st.randoms(use_true_random=False),
)
def test_listing_members_in_another_order_gives_the_same_roles(
    members: list[MemberAvailability[int]], history: list[tuple[str, int]], rnd: object
) -> None:
    roles = [r for r in STANDARD_ROLES if any(m.can_hold(r) for m in members)]
    shuffled = list(members)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    first = assign_roles(roles, members, history)
    assert assign_roles(roles, shuffled, history) == first
    assert assign_roles(roles, members, history) == first
