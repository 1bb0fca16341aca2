"""A rotation with nobody willing and available for a role is refused with a message naming
the role (issue 4: "a rotation with nobody willing ... gets a clear message")."""

import pytest

from sameboat.groups.rotation import MemberAvailability, RotationError, assign_roles


def test_a_role_nobody_is_willing_to_hold_names_the_role() -> None:
    members = [MemberAvailability(1, frozenset({"chair"}))]
    with pytest.raises(RotationError, match='willing to be "timekeeper"'):
        assign_roles(["chair", "timekeeper"], members, [])


def test_a_role_whose_only_volunteer_is_away_names_the_role() -> None:
    members = [
        MemberAvailability(1, frozenset({"chair"})),
        MemberAvailability(2, frozenset({"note-taker"}), available=False),
    ]
    with pytest.raises(RotationError, match='"note-taker"'):
        assign_roles(["chair", "note-taker"], members, [])


def test_a_rotation_error_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="Nobody"):
        assign_roles(["chair"], [], [])


def test_a_role_or_member_listed_twice_is_refused() -> None:
    member = MemberAvailability(1, frozenset({"chair"}))
    with pytest.raises(RotationError, match="role can be listed only once"):
        assign_roles(["chair", "chair"], [member], [])
    with pytest.raises(RotationError, match="member can be listed only once"):
        assign_roles(["chair"], [member, member], [])


def test_no_roles_means_an_empty_assignment() -> None:
    assert assign_roles([], [MemberAvailability(1, frozenset({"chair"}))], []) == {}
