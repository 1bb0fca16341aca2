"""Members can swap roles, or hand one to someone else, without breaking the rules."""

import pytest

from sameboat.groups.rotation import MemberAvailability, RotationError, hand_over, swap

MEMBERS = [
    MemberAvailability("ana", frozenset({"chair", "note-taker"})),
    MemberAvailability("bo", frozenset({"chair", "note-taker"})),
    MemberAvailability("cy", frozenset({"timekeeper"})),
    MemberAvailability("dee", frozenset({"note-taker"})),
    MemberAvailability("eli", frozenset({"chair"}), available=False),
]
ASSIGNMENT = {"chair": "ana", "note-taker": "bo", "timekeeper": "cy"}


def test_chair_and_note_taker_swap() -> None:
    swapped = swap(ASSIGNMENT, "chair", "note-taker", members=MEMBERS)
    assert swapped == {"chair": "bo", "note-taker": "ana", "timekeeper": "cy"}
    assert ASSIGNMENT == {"chair": "ana", "note-taker": "bo", "timekeeper": "cy"}


def test_a_swap_into_a_role_someone_is_unwilling_to_hold_is_refused() -> None:
    with pytest.raises(RotationError, match="'cy' is not willing and available"):
        swap(ASSIGNMENT, "chair", "timekeeper", members=MEMBERS)


def test_swapping_a_role_that_is_not_in_the_meeting_is_refused() -> None:
    with pytest.raises(RotationError, match='no "check-in host"'):
        swap(ASSIGNMENT, "chair", "check-in host")


def test_a_role_can_be_handed_to_a_member_without_one() -> None:
    handed = hand_over(ASSIGNMENT, "note-taker", "dee", members=MEMBERS)
    assert handed == {"chair": "ana", "note-taker": "dee", "timekeeper": "cy"}
    assert handed.doubled == {}


def test_handing_a_role_to_someone_who_holds_another_swaps_them() -> None:
    handed = hand_over(ASSIGNMENT, "chair", "bo", members=MEMBERS)
    assert handed == {"chair": "bo", "note-taker": "ana", "timekeeper": "cy"}


def test_a_role_cannot_be_handed_to_a_member_who_is_away() -> None:
    with pytest.raises(RotationError, match="'eli' is not willing and available"):
        hand_over(ASSIGNMENT, "chair", "eli", members=MEMBERS)
