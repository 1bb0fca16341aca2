"""Gini coefficients worked out by hand from G = ΣΣ|xi - xj| / (2 n² μ)."""

import pytest

from sameboat.groups.equity import gini


def test_everyone_taking_part_equally_gives_zero() -> None:
    assert gini([1, 1, 1, 1]) == 0.0
    assert gini([0.1, 0.1, 0.1]) == 0.0


def test_one_of_four_doing_everything_gives_three_quarters() -> None:
    assert gini([0, 0, 0, 1]) == pytest.approx(0.75)


def test_one_two_three_four_gives_a_quarter() -> None:
    # pairs differ by 1 (x3), 2 (x2), 3 (x1): 10, doubled over ordered pairs 20;
    # 2 * 16 * 2.5 = 80; 20 / 80 = 0.25.
    assert gini([1, 2, 3, 4]) == pytest.approx(0.25)
    assert gini([4, 1, 3, 2]) == pytest.approx(0.25)


def test_nobody_taking_part_counts_as_equal() -> None:
    assert gini([0, 0, 0]) == 0.0


def test_a_group_of_one_is_equal_with_itself() -> None:
    assert gini([7]) == 0.0
    assert gini([0]) == 0.0


def test_two_members_one_doing_everything_gives_one_half() -> None:
    assert gini([0, 5]) == pytest.approx(0.5)
