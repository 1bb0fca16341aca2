"""0 <= G <= 1 - 1/n, and the top is reached exactly when one member does everything."""

import math

from hypothesis import given
from hypothesis import strategies as st

from sameboat.groups.equity import gini


@given(st.lists(st.floats(0, 1e9), min_size=1, max_size=80))
def test_gini_is_between_zero_and_one_minus_one_over_n(xs: list[float]) -> None:
    assert 0.0 <= gini(xs) <= 1.0 - 1.0 / len(xs)


@given(st.integers(1, 200), st.floats(1e-3, 1e6))
def test_one_member_doing_everything_reaches_the_top(n: int, amount: float) -> None:
    assert math.isclose(gini([0.0] * (n - 1) + [amount]), 1.0 - 1.0 / n, abs_tol=1e-12)
