"""Bad input to GAS gets a ValueError that says what was wrong, never a number."""

import math

import pytest

from sameboat.goals.gas import t_score, t_score_unweighted


def test_no_goals_is_an_error() -> None:
    with pytest.raises(ValueError, match="at least one scored goal"):
        t_score([])
    with pytest.raises(ValueError, match="at least one scored goal"):
        t_score_unweighted([])


@pytest.mark.parametrize("level", [3, -3, 10, True, 1.0, 0.5])
def test_a_level_outside_minus_two_to_plus_two_is_an_error(level: object) -> None:
    with pytest.raises(ValueError, match=r"level must be one of -2, -1, 0, \+1, \+2"):
        t_score_unweighted([0, level])  # type: ignore[list-item]
    with pytest.raises(ValueError, match=r"level must be one of -2, -1, 0, \+1, \+2"):
        t_score([(0, 1.0), (level, 1.0)])  # type: ignore[list-item]


@pytest.mark.parametrize("weight", [0, 0.0, -1.0, math.inf, -math.inf, math.nan, False])
def test_a_weight_not_finite_and_above_zero_is_an_error(weight: float) -> None:
    with pytest.raises(ValueError, match="weight must be a finite number above 0"):
        t_score([(1, 1.0), (1, weight)])


@pytest.mark.parametrize("rho", [-0.1, 1.0, 1.5, math.nan, math.inf])
def test_rho_outside_zero_to_one_is_an_error(rho: float) -> None:
    with pytest.raises(ValueError, match="rho must be at least 0 and below 1"):
        t_score([(1, 1.0)], rho=rho)
