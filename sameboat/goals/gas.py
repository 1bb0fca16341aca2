"""Goal Attainment Scaling T-scores. Pure: no Django, so it is tested on its own.

Source: Kiresuk, T. J. and Sherman, R. E. (1968), "Goal attainment scaling: a general
method for evaluating comprehensive community mental health programs", Community Mental
Health Journal 4(6), 443-453; the formula as fixed in DESIGN.md ("Domain facts").

Each goal is scored at one of five described levels, x in {-2, -1, 0, +1, +2}, where 0 is
the outcome expected when the goal was set, and carries a weight w > 0. The summary score

    T = 50 + 10 * sum(w * x) / sqrt((1 - rho) * sum(w**2) + rho * (sum(w))**2)

is built so that, if every goal comes out as expected on average with the spread the
levels assume, T has mean 50 and standard deviation 10. rho is the assumed correlation
between the goals' scores; Kiresuk and Sherman take 0.3, and so does Sameboat. Without
weights (every w = 1) the formula becomes

    T = 50 + 10 * sum(x) / sqrt(0.7 * n + 0.3 * n**2).
"""

import math
from collections.abc import Sequence
from typing import Final

LEVELS: Final[tuple[int, ...]] = (-2, -1, 0, 1, 2)
"""The five levels of a goal, worst to best; 0 is the expected outcome."""

DEFAULT_RHO: Final[float] = 0.3
"""Kiresuk and Sherman's assumed correlation between the scores of a person's goals."""


def check_level(level: int) -> int:
    """Return ``level`` if it is one of the five GAS levels, else raise ``ValueError``.

    Public so that forms and models validate with the same rule and the same message."""
    # bool is a subclass of int: True would silently count as +1, which is never meant.
    if isinstance(level, bool) or not isinstance(level, int) or level not in LEVELS:
        raise ValueError(f"A goal's level must be one of -2, -1, 0, +1, +2, not {level!r}.")
    return level


def check_weight(weight: float) -> float:
    """Return ``weight`` as a float if it is finite and above zero, else raise ``ValueError``.

    A zero weight would make a goal count for nothing yet still be "scored"; a negative one
    would turn progress into a loss; NaN or infinity would make T meaningless."""
    if (
        isinstance(weight, bool)
        or not isinstance(weight, int | float)
        or not math.isfinite(weight)
        or weight <= 0
    ):
        raise ValueError(f"A goal's weight must be a finite number above 0, not {weight!r}.")
    return float(weight)


def t_score(scores: Sequence[tuple[int, float]], rho: float = DEFAULT_RHO) -> float:
    """The weighted GAS T-score of ``scores``, a sequence of (level, weight) pairs, one per goal.

    Kiresuk and Sherman (1968): T = 50 + 10·Σ(w·x) / sqrt((1-rho)·Σw² + rho·(Σw)²).

    Raises ``ValueError`` for no goals, a level outside -2..+2, a weight that is not a finite
    number above 0, or ``rho`` outside [0, 1)."""
    if not scores:
        raise ValueError("A T-score needs at least one scored goal.")
    # `not 0 <= rho < 1` also rejects NaN, which every comparison fails. rho = 1 is excluded
    # as the method defines it: it would mean the goals are one goal counted several times.
    if isinstance(rho, bool) or not isinstance(rho, int | float) or not 0 <= rho < 1:
        raise ValueError(f"rho must be at least 0 and below 1, not {rho!r}.")
    levels = [check_level(level) for level, _ in scores]
    weights = [check_weight(weight) for _, weight in scores]
    # fsum keeps the sums exact to the last bit, so equal weights give exactly the
    # unweighted score up to a rounding or two, whatever the order of the goals.
    weighted = math.fsum(w * x for w, x in zip(weights, levels, strict=True))
    sum_w = math.fsum(weights)
    sum_w2 = math.fsum(w * w for w in weights)
    # Both terms are positive because every weight is, so the root is never of zero.
    return 50.0 + 10.0 * weighted / math.sqrt((1.0 - rho) * sum_w2 + rho * sum_w * sum_w)


def t_score_unweighted(levels: Sequence[int]) -> float:
    """The unweighted GAS T-score of ``levels``, one level per goal, with rho = 0.3.

    Kiresuk and Sherman (1968) with every weight 1: T = 50 + 10·Σx / sqrt(0.7n + 0.3n²).

    Raises ``ValueError`` for no goals or a level outside -2..+2."""
    if not levels:
        raise ValueError("A T-score needs at least one scored goal.")
    total = sum(check_level(level) for level in levels)
    n = len(levels)
    return 50.0 + 10.0 * total / math.sqrt(0.7 * n + 0.3 * n * n)
