"""Doing better on any one goal, all else equal, always raises T (every weight is positive)."""

from hypothesis import assume, given
from hypothesis import strategies as st

from sameboat.goals.gas import LEVELS, t_score, t_score_unweighted

scored = st.lists(
    st.tuples(st.sampled_from(LEVELS), st.floats(min_value=1e-2, max_value=1e2)),
    min_size=1,
    max_size=20,
)


@given(scored, st.data())
def test_raising_one_weighted_level_raises_t(
    scores: list[tuple[int, float]], data: st.DataObject
) -> None:
    i = data.draw(st.integers(min_value=0, max_value=len(scores) - 1))
    level, weight = scores[i]
    assume(level < 2)
    better = [*scores[:i], (level + 1, weight), *scores[i + 1 :]]
    assert t_score(better) > t_score(scores)


@given(st.lists(st.sampled_from(LEVELS), min_size=1, max_size=30), st.data())
def test_raising_one_unweighted_level_raises_t(xs: list[int], data: st.DataObject) -> None:
    i = data.draw(st.integers(min_value=0, max_value=len(xs) - 1))
    assume(xs[i] < 2)
    better = [*xs[:i], xs[i] + 1, *xs[i + 1 :]]
    assert t_score_unweighted(better) > t_score_unweighted(xs)
