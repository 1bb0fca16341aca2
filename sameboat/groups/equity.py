"""Participation equity: how evenly a group's talking, leading or turning up is shared.
Pure: no Django, so it is tested on its own.

The Gini coefficient is the mean absolute difference between every two members' counts,
relative to twice the mean (Gini 1912; in this form e.g. Sen, "On Economic Inequality",
1973, and Damgaard and Weiner, "Describing inequality in plant size or fecundity",
Ecology 81(4), 2000):

    G = sum_i sum_j |x_i - x_j| / (2 * n**2 * mu)

0 means everyone took part equally; the largest value, 1 - 1/n, means one member did
everything. Sameboat uses this uncorrected form (not the n/(n-1) "sample" correction)
because a group is the whole population, not a sample of one.

Sorting the counts ascending, x_(1) <= ... <= x_(n), turns the double sum into one pass:
sum_i sum_j |x_i - x_j| = 2 * sum_i (2i - n - 1) * x_(i), so

    G = sum_i (2i - n - 1) * x_(i) / (n * sum(x))

in O(n log n) instead of O(n**2).
"""

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol


class _Sortable(Protocol):
    """Member keys must sort, so that the lists of names come out in a stable order."""

    def __lt__(self, other: Any, /) -> bool: ...


def gini(values: Sequence[float]) -> float:
    """The Gini coefficient of ``values`` (counts or amounts of participation), in [0, 1 - 1/n].

    Defined for one value or more; all zeros (nobody took part) is 0.0, perfectly equal.
    Raises ``ValueError`` for no values, a negative value, or one that is not finite."""
    if not values:
        raise ValueError("The Gini coefficient needs at least one value.")
    for value in values:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"Participation must be a number, not {value!r}.")
        if not math.isfinite(value) or value < 0:
            raise ValueError(f"Participation must be a finite number, 0 or more, not {value!r}.")
    n = len(values)
    total = math.fsum(values)
    if total == 0:
        # Nobody did anything: nobody did more than anyone else, so the share is equal.
        return 0.0
    ordered = sorted(values)
    # fsum keeps the weighted sum exact before the one division, so equal values cancel to
    # exactly zero rather than to a stray -1e-17.
    weighted = math.fsum((2 * i - n - 1) * x for i, x in enumerate(ordered, start=1))
    g = weighted / (n * total)
    # Rounding can still push the ratio a hair outside the exact bounds; clamp so callers
    # (charts, thresholds) can rely on them.
    return min(max(g, 0.0), 1.0 - 1.0 / n)


@dataclass(frozen=True, slots=True)
class EquitySummary[K]:
    """What a facilitator needs to see about how evenly a group takes part."""

    gini: float
    """The Gini coefficient of the counts: 0 equal, up to 1 - 1/n when one member does all."""
    mean: float
    """The mean count per member; "rarely" is measured against it."""
    never: tuple[K, ...]
    """Members with a count of 0, sorted by key."""
    rarely: tuple[K, ...]
    """Members who took part, but less than ``rarely_threshold`` times the mean; fewest
    first, then by key. Disjoint from ``never``, so nobody is listed twice."""


def participation_summary[K: _Sortable](
    counts: Mapping[K, int], *, rarely_threshold: float = 0.5
) -> EquitySummary[K]:
    """Summarise participation ``counts`` (member key -> times they spoke, led, attended...).

    Returns the Gini coefficient, the members who never took part (count 0) and those who
    rarely did (0 < count < ``rarely_threshold`` x the mean count). Lists are sorted, so the
    same counts always give the same summary, whatever the mapping's order.

    Raises ``ValueError`` for no members, a negative or non-integer count, or a threshold
    that is negative or not finite."""
    if not counts:
        raise ValueError("A participation summary needs at least one member.")
    if (
        isinstance(rarely_threshold, bool)
        or not isinstance(rarely_threshold, int | float)
        or not math.isfinite(rarely_threshold)
        or rarely_threshold < 0
    ):
        raise ValueError(
            f"rarely_threshold must be a finite number, 0 or more, not {rarely_threshold!r}."
        )
    for key, count in counts.items():
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise ValueError(f"{key!r} has count {count!r}; a count must be a whole number >= 0.")
    values = list(counts.values())
    mean = sum(values) / len(values)
    cutoff = rarely_threshold * mean
    never = tuple(sorted(key for key, count in counts.items() if count == 0))
    rarely = tuple(
        key
        for count, key in sorted((count, key) for key, count in counts.items())
        if 0 < count < cutoff
    )
    return EquitySummary(gini=gini(values), mean=mean, never=never, rarely=rarely)


# --- over time ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MeetingTally[K]:
    """One recorded meeting, as the equity page counts it."""

    members: frozenset[K]
    """The group's members at the meeting: those whose attendance was taken."""
    present: frozenset[K]
    """Those who were there (a subset of ``members``)."""
    contributions: Mapping[K, int] | None
    """How many times each member present took part (0 when left out), or None when nobody
    counted participation at this meeting: then it is left out of the participation figures
    rather than read as "nobody took part"."""
    led: frozenset[K]
    """Members present who led: held a meeting role or led an agenda item."""


@dataclass(frozen=True, slots=True)
class MeetingEquity:
    """The figures of one meeting and of all meetings up to and including it."""

    members: int
    present: int
    attendance_rate: float | None
    """Present / members; None when attendance was not taken."""
    participation_gini: float | None
    """Gini of taking part among those present; None if nobody was, or nobody counted."""
    leadership_gini: float | None
    """Gini of leading (1 for each member present who led, else 0) among those present."""
    cumulative_participation_gini: float | None
    """Gini of each member's total taking part over every counted meeting so far, among
    everyone who was a member at any of them (an absence counts as not taking part)."""
    cumulative_leadership_gini: float | None
    """Gini of the number of meetings so far at which each member led, among the same."""


@dataclass(frozen=True, slots=True)
class MemberTotals:
    """One member's figures over the recorded meetings."""

    meetings: int
    """Meetings at which they were a member (their attendance was taken)."""
    present: int
    contributions: int
    """Times they took part, summed over the counted meetings (each 0 to 3-or-more)."""
    led: int
    """Meetings at which they led."""

    @property
    def attendance_rate(self) -> float | None:
        return self.present / self.meetings if self.meetings else None


def _gini_or_none(values: Sequence[int]) -> float | None:
    return gini(values) if values else None


def equity_over_time[K: _Sortable](tallies: Sequence[MeetingTally[K]]) -> list[MeetingEquity]:
    """The equity figures of each meeting, oldest first, with running totals: so a facilitator
    sees whether taking part and leading are spreading out or narrowing over time.

    One pass over the meetings, O(meetings x members log members)."""
    total_contributions: dict[K, int] = {}
    total_led: dict[K, int] = {}
    counted_any = False
    result = []
    for tally in tallies:
        present = sorted(tally.present)
        for key in tally.members | tally.present:
            total_contributions.setdefault(key, 0)
            total_led.setdefault(key, 0)
        participation: float | None = None
        if tally.contributions is not None:
            counted_any = True
            counts = [tally.contributions.get(key, 0) for key in present]
            participation = _gini_or_none(counts)
            for key in present:
                total_contributions[key] += tally.contributions.get(key, 0)
        for key in tally.led & tally.present:
            total_led[key] += 1
        members = len(tally.members | tally.present)
        result.append(
            MeetingEquity(
                members=members,
                present=len(present),
                attendance_rate=len(present) / members if members else None,
                participation_gini=participation,
                leadership_gini=_gini_or_none([1 if key in tally.led else 0 for key in present]),
                cumulative_participation_gini=(
                    _gini_or_none(list(total_contributions.values())) if counted_any else None
                ),
                cumulative_leadership_gini=_gini_or_none(list(total_led.values())),
            )
        )
    return result


def member_totals[K: _Sortable](
    tallies: Sequence[MeetingTally[K]], members: Iterable[K]
) -> dict[K, MemberTotals]:
    """Each of ``members``'s totals over the meetings (members of none get zeros)."""
    totals = {key: [0, 0, 0, 0] for key in members}
    for tally in tallies:
        for key, row in totals.items():
            if key in tally.members or key in tally.present:
                row[0] += 1
            if key in tally.present:
                row[1] += 1
                if tally.contributions is not None:
                    row[2] += tally.contributions.get(key, 0)
                if key in tally.led:
                    row[3] += 1
    return {
        key: MemberTotals(meetings=m, present=p, contributions=c, led=led)
        for key, (m, p, c, led) in totals.items()
    }


def polyline_points(values: Sequence[float | None], *, width: float, height: float) -> str:
    """SVG ``points`` for a line through ``values`` (each 0 to 1) spread across ``width``,
    1 at the top; a missing value is skipped, so the line joins the ones either side."""
    if not values:
        return ""
    step = width / (len(values) - 1) if len(values) > 1 else 0.0
    points = [
        f"{i * step:.1f},{height - value * height:.1f}"
        for i, value in enumerate(values)
        if value is not None
    ]
    return " ".join(points)
