"""Doing as much worse than expected as better mirrors T around 50: T(-x) = 100 - T(x)."""

import math

from hypothesis import given
from hypothesis import strategies as st

from sameboat.goals.gas import LEVELS, t_score, t_score_unweighted

levels = st.lists(st.sampled_from(LEVELS), min_size=1, max_size=30)
scored = st.lists(
    st.tuples(st.sampled_from(LEVELS), st.floats(min_value=1e-3, max_value=1e3)),
    min_size=1,
    max_size=30,
)


@given(levels)
def test_negating_every_unweighted_level_mirrors_t_around_fifty(xs: list[int]) -> None:
    mirrored = t_score_unweighted([-x for x in xs])
    assert math.isclose(mirrored, 100 - t_score_unweighted(xs), abs_tol=1e-9)


@given(scored, st.floats(min_value=0.0, max_value=0.99))
def test_negating_every_weighted_level_mirrors_t_around_fifty(
    scores: list[tuple[int, float]], rho: float
) -> None:
    mirrored = t_score([(-x, w) for x, w in scores], rho=rho)
    assert math.isclose(mirrored, 100 - t_score(scores, rho=rho), abs_tol=1e-9)
