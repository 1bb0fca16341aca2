"""Input Gini cannot describe gets a ValueError saying why."""

import math

import pytest

from sameboat.groups.equity import gini


def test_no_values_is_an_error() -> None:
    with pytest.raises(ValueError, match="at least one value"):
        gini([])


@pytest.mark.parametrize("bad", [-1, -0.5, math.nan, math.inf])
def test_a_negative_or_non_finite_value_is_an_error(bad: float) -> None:
    with pytest.raises(ValueError, match="finite number, 0 or more"):
        gini([1.0, bad])


def test_a_value_that_is_not_a_number_is_an_error() -> None:
    with pytest.raises(ValueError, match="must be a number"):
        gini([1, "2"])  # type: ignore[list-item]
