"""Issue 4: "nobody holds a role twice before every willing member has held it once".

Simulated over many meetings: after each one, for each role, the counts of the members
willing to hold it differ by at most one."""

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from sameboat.groups.rotation import STANDARD_ROLES, MemberAvailability, assign_roles


def spread_per_role(
    roles: list[str], members: list[MemberAvailability[int]], history: list[tuple[str, int]]
) -> dict[str, int]:
    held = Counter(history)
    return {
        role: max(held[role, m.member_id] for m in members if role in m.willing)
        - min(held[role, m.member_id] for m in members if role in m.willing)
        for role in roles
    }


@settings(max_examples=60, deadline=None)
@given(
    n_members=st.integers(1, 9),
    n_roles=st.integers(1, 4),
    meetings=st.integers(1, 30),
    ids=st.randoms(use_true_random=False),
)
def test_every_role_rotates_through_all_members_willing_to_hold_it(
    n_members: int, n_roles: int, meetings: int, ids: object
) -> None:
    roles = list(STANDARD_ROLES[:n_roles])
    member_ids = list(range(100, 100 + n_members))
    ids.shuffle(member_ids)  # type: ignore[attr-defined]
    members = [MemberAvailability(i, frozenset(roles)) for i in member_ids]
    history: list[tuple[str, int]] = []
    for _ in range(meetings):
        history += assign_roles(roles, members, history).items()
        assert all(spread <= 1 for spread in spread_per_role(roles, members, history).values())


def test_a_member_willing_for_two_roles_is_not_left_as_the_only_choice_for_both() -> None:
    # Recency and id alone would give chair->1, notes->2, then need 3 for both.
    roles = ["chair", "note-taker"]
    members = [
        MemberAvailability(1, frozenset({"chair"})),
        MemberAvailability(2, frozenset({"note-taker"})),
        MemberAvailability(3, frozenset({"chair", "note-taker"})),
    ]
    history: list[tuple[str, int]] = []
    for _ in range(12):
        assignment = assign_roles(roles, members, history)
        assert not assignment.doubled
        history += assignment.items()
        assert all(spread <= 1 for spread in spread_per_role(roles, members, history).values())


def test_the_chair_goes_first_to_whoever_has_never_chaired() -> None:
    members = [MemberAvailability(i, frozenset({"chair"})) for i in (1, 2, 3)]
    history = [("chair", 1), ("chair", 3), ("chair", 1)]
    assert assign_roles(["chair"], members, history) == {"chair": 2}


def test_among_equals_the_chair_goes_to_who_chaired_least_recently() -> None:
    members = [MemberAvailability(i, frozenset({"chair"})) for i in (1, 2, 3)]
    history = [("chair", 2), ("chair", 3), ("chair", 1)]
    assert assign_roles(["chair"], members, history) == {"chair": 2}


def test_among_members_who_never_held_it_the_lowest_id_goes_first() -> None:
    members = [MemberAvailability(i, frozenset({"chair"})) for i in (7, 3, 5)]
    assert assign_roles(["chair"], members, []) == {"chair": 3}
