"""The facilitator's summary: Gini, who never took part and who rarely does, in a fixed order."""

import pytest

from sameboat.groups.equity import participation_summary


def test_summary_lists_never_and_rarely_apart_and_sorted() -> None:
    counts = {"dee": 0, "ana": 6, "cy": 1, "bo": 0, "eli": 5, "fay": 2}
    # mean = 14 / 6 = 2.33; half of it is 1.17: cy (1) is rare, fay (2) is not.
    summary = participation_summary(counts)
    assert summary.never == ("bo", "dee")
    assert summary.rarely == ("cy",)
    assert summary.mean == pytest.approx(14 / 6)


def test_rarely_lists_fewest_first_then_by_key() -> None:
    counts = {3: 2, 1: 2, 2: 1, 4: 20}
    # mean 6.25; threshold 0.5 -> below 3.125: 2 (1), then 1 and 3 (2 each, by key).
    assert participation_summary(counts).rarely == (2, 1, 3)


def test_summary_gini_is_the_gini_of_the_counts() -> None:
    assert participation_summary({"a": 0, "b": 0, "c": 0, "d": 1}).gini == pytest.approx(0.75)


def test_same_counts_in_another_order_give_the_same_summary() -> None:
    counts = {"x": 3, "y": 0, "z": 1, "w": 0, "v": 9}
    reversed_counts = dict(reversed(list(counts.items())))
    assert participation_summary(counts) == participation_summary(reversed_counts)


def test_a_higher_threshold_names_more_members_as_rare() -> None:
    counts = {"a": 1, "b": 2, "c": 3, "d": 10}  # mean 4
    assert participation_summary(counts).rarely == ("a",)
    assert participation_summary(counts, rarely_threshold=1.0).rarely == ("a", "b", "c")


def test_nobody_taking_part_lists_everyone_as_never_and_nobody_as_rare() -> None:
    summary = participation_summary({"b": 0, "a": 0})
    assert summary.never == ("a", "b")
    assert summary.rarely == ()
    assert summary.gini == 0.0


def test_bad_counts_and_thresholds_are_errors() -> None:
    with pytest.raises(ValueError, match="at least one member"):
        participation_summary({})
    with pytest.raises(ValueError, match="'a' has count -1"):
        participation_summary({"a": -1})
    with pytest.raises(ValueError, match="whole number"):
        participation_summary({"a": 1.5})  # type: ignore[dict-item]
    with pytest.raises(ValueError, match="rarely_threshold"):
        participation_summary({"a": 1}, rarely_threshold=-0.1)
