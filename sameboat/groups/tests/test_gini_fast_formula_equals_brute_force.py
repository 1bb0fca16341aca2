"""The O(n log n) sorted formula agrees with the O(n²) definition, written out apart."""

import math

from hypothesis import given
from hypothesis import strategies as st

from sameboat.groups.equity import gini


def gini_by_definition(xs: list[float]) -> float:
    n = len(xs)
    mean = sum(xs) / n
    if mean == 0:
        return 0.0
    return sum(abs(a - b) for a in xs for b in xs) / (2 * n * n * mean)


@given(st.lists(st.integers(0, 1000), min_size=1, max_size=60))
def test_fast_gini_equals_the_definition_on_counts(xs: list[int]) -> None:
    assert math.isclose(gini(xs), gini_by_definition([float(x) for x in xs]), abs_tol=1e-12)


@given(st.lists(st.floats(0, 1e6), min_size=1, max_size=60))
def test_fast_gini_equals_the_definition_on_amounts(xs: list[float]) -> None:
    assert math.isclose(gini(xs), gini_by_definition(xs), rel_tol=1e-9, abs_tol=1e-9)
