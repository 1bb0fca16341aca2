"""Gini measures shares, not amounts or who is listed first."""

import math

from hypothesis import given
from hypothesis import strategies as st

from sameboat.groups.equity import gini

values = st.lists(st.one_of(st.just(0.0), st.floats(1e-3, 1e6)), min_size=1, max_size=50)


@given(values, st.floats(1e-3, 1e3))
def test_scaling_every_value_leaves_gini_unchanged(xs: list[float], c: float) -> None:
    assert math.isclose(gini([c * x for x in xs]), gini(xs), abs_tol=1e-9)


@given(values, st.randoms(use_true_random=False))
def test_reordering_the_values_leaves_gini_unchanged(xs: list[float], rnd: object) -> None:
    shuffled = list(xs)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    assert gini(shuffled) == gini(xs)
