"""T-scores worked out by hand from Kiresuk and Sherman's formula (DESIGN.md)."""

import math

import pytest

from sameboat.goals.gas import t_score, t_score_unweighted


def test_goals_all_at_the_expected_level_score_fifty() -> None:
    assert t_score_unweighted([0, 0, 0]) == 50.0
    assert t_score([(0, 1.0), (0, 3.0)]) == 50.0


def test_one_goal_at_plus_two_scores_seventy_whatever_its_weight() -> None:
    # 50 + 10 * 2 / sqrt(0.7 + 0.3) = 70; with weight w: 50 + 10*2w / sqrt(w^2) = 70.
    assert t_score_unweighted([2]) == pytest.approx(70.0)
    assert t_score([(2, 5.0)]) == pytest.approx(70.0)


def test_one_goal_at_minus_two_scores_thirty() -> None:
    assert t_score_unweighted([-2]) == pytest.approx(30.0)


def test_two_goals_at_plus_one_score_about_sixty_two_point_four() -> None:
    # 50 + 10 * 2 / sqrt(0.7*2 + 0.3*4) = 50 + 20 / sqrt(2.6) = 62.4035...
    expected = 50 + 20 / math.sqrt(2.6)
    assert t_score_unweighted([1, 1]) == pytest.approx(expected)
    assert round(t_score_unweighted([1, 1]), 2) == 62.40


def test_weighted_goals_score_as_computed_by_hand() -> None:
    # levels +1, -1, +2 with weights 2, 1, 1:
    # sum(w*x) = 2 - 1 + 2 = 3; sum(w^2) = 6; (sum w)^2 = 16;
    # sqrt(0.7*6 + 0.3*16) = sqrt(9) = 3; T = 50 + 10*3/3 = 60.
    assert t_score([(1, 2.0), (-1, 1.0), (2, 1.0)]) == pytest.approx(60.0)


def test_rho_zero_treats_the_goals_as_independent() -> None:
    # levels +1, +1 with weights 3, 4 and rho 0: 50 + 10*7 / sqrt(9 + 16) = 64.
    assert t_score([(1, 3.0), (1, 4.0)], rho=0.0) == pytest.approx(64.0)


def test_integer_weights_are_accepted() -> None:
    assert t_score([(1, 2), (-1, 1), (2, 1)]) == pytest.approx(60.0)
