"""Unweighted GAS is the weighted formula with every weight the same (Kiresuk and Sherman)."""

import math

from hypothesis import given
from hypothesis import strategies as st

from sameboat.goals.gas import LEVELS, t_score, t_score_unweighted

levels = st.lists(st.sampled_from(LEVELS), min_size=1, max_size=30)
weights = st.floats(min_value=1e-3, max_value=1e3)


@given(levels, weights)
def test_unweighted_t_score_equals_weighted_with_any_equal_weight(xs: list[int], w: float) -> None:
    weighted = t_score([(x, w) for x in xs])
    assert math.isclose(t_score_unweighted(xs), weighted, rel_tol=1e-12, abs_tol=1e-9)


@given(levels)
def test_unweighted_t_score_equals_weighted_with_weight_one(xs: list[int]) -> None:
    assert math.isclose(t_score_unweighted(xs), t_score([(x, 1.0) for x in xs]), abs_tol=1e-9)
