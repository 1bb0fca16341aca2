"""The matching engine on small hand-made cases: each reason an ask can stay unmatched, bad
input that must never stop a run, the cost model and the reasons a person reads.

Pure tests: no database, no Django."""

import math
from datetime import date

import pytest

from sameboat.matching import engine
from sameboat.matching.engine import (
    AskInput,
    HelperInput,
    Point,
    Reason,
    Rules,
    solve,
    solve_incremental,
)
from sameboat.matching.geo import haversine_km

FOOD, GROCERIES, HOUSING, TRANSPORT = 1, 11, 2, 3
NAMES = {FOOD: "Food", GROCERIES: "Groceries", HOUSING: "Housing", TRANSPORT: "Transport"}
HERE = Point(45.50, -73.60)
NEAR = Point(45.51, -73.60)  # about 1.1 km north
FAR = Point(45.60, -73.60)  # about 11 km north
RULES = Rules(category_names=NAMES)


def ask(
    id: int = 1,
    member_id: int = 100,
    cats: frozenset[int] = frozenset({GROCERIES, FOOD}),
    own: int | None = GROCERIES,
    location: Point | None = HERE,
    urgency: int = 2,
    days: float = 0.0,
    languages: frozenset[str] = frozenset(),
    needs: frozenset[str] = frozenset(),
    window: tuple[date | None, date | None] = (None, None),
) -> AskInput:
    return AskInput(
        id=id,
        member_id=member_id,
        category_ids=cats,
        category_id=own,
        location=location,
        urgency=urgency,
        days_waiting=days,
        languages=languages,
        accessibility_needs=needs,
        window=window,
    )


def helper(
    member_id: int = 200,
    cats: frozenset[int] = frozenset({FOOD}),
    location: Point | None = NEAR,
    radius: float = 3.0,
    capacity: int = 2,
    load: int = 0,
    languages: frozenset[str] = frozenset({"en"}),
    accessibility: frozenset[str] = frozenset(),
    window: tuple[date | None, date | None] = (None, None),
    offers: tuple[tuple[int, int], ...] = (),
) -> HelperInput:
    return HelperInput(
        member_id=member_id,
        category_ids=cats,
        location=location,
        max_distance_km=radius,
        capacity=capacity,
        load=load,
        languages=languages,
        accessibility=accessibility,
        window=window,
        offer_by_category=offers,
    )


def only_unmatched(result: engine.Result) -> engine.Unmatched:
    assert result.proposals == ()
    assert len(result.unmatched) == 1
    return result.unmatched[0]


# --------------------------------------------------------------------------- matches


def test_a_helper_for_the_parent_category_is_proposed_with_reasons() -> None:
    result = solve(
        [ask(languages=frozenset({"so", "en"}), urgency=4, days=6.4)],
        [helper(languages=frozenset({"so"}), offers=((FOOD, 77),))],
        RULES,
    )
    assert result.unmatched == ()
    (proposal,) = result.proposals
    assert (proposal.ask_id, proposal.helper_member_id, proposal.offer_id) == (1, 200, 77)
    km = haversine_km(45.50, -73.60, 45.51, -73.60)
    assert proposal.distance_km == pytest.approx(km, abs=1e-3)
    assert proposal.reasons == (
        "1.1 km away",
        "both speak Somali",
        "can help with food",
        "has an open offer for it",
        "urgent: today",
        "waiting 6 days",
        "has room: 2 of 2 matches free this week",
    )


def test_the_objective_adds_pair_load_and_penalty_costs() -> None:
    rules = RULES
    asks = [ask(id=1, member_id=101), ask(id=2, member_id=102, location=None)]
    result = solve(asks, [helper(load=1, capacity=3)], rules)
    (proposal,) = result.proposals
    km = haversine_km(45.50, -73.60, 45.51, -73.60)
    assert proposal.cost == rules.match_base_cost + round(km * rules.cost_per_km)
    second_match_of_the_week = rules.load_weight * (2 * 2 - 1)
    penalty = engine.unmatched_penalty(asks[1], rules)
    assert result.total_cost == proposal.cost + second_match_of_the_week + penalty


def test_own_category_offer_and_language_lower_the_cost() -> None:
    base = solve([ask()], [helper()], RULES).proposals[0].cost
    own = solve([ask()], [helper(cats=frozenset({GROCERIES}))], RULES).proposals[0].cost
    offered = solve([ask()], [helper(offers=((FOOD, 5),))], RULES).proposals[0].cost
    named = solve([ask(languages=frozenset({"en"}))], [helper()], RULES).proposals[0].cost
    assert base - own == RULES.own_category_bonus
    assert base - offered == RULES.offer_bonus
    assert base - named == RULES.language_bonus


def test_load_spreads_to_a_free_helper_a_little_farther_away() -> None:
    busy = helper(member_id=201, location=HERE, capacity=5, load=3)
    free = helper(member_id=202, location=NEAR, capacity=5, load=0)
    result = solve([ask()], [busy, free], RULES)
    # The 4th match of the week costs 280, the 1st 40: worth more than 1.1 km (110).
    assert result.proposals[0].helper_member_id == 202


def test_scarce_help_goes_to_the_more_urgent_ask() -> None:
    urgent = ask(id=1, member_id=101, urgency=4, location=NEAR)
    low = ask(id=2, member_id=102, urgency=1, location=HERE)
    result = solve([low, urgent], [helper(capacity=1, location=HERE)], RULES)
    assert [p.ask_id for p in result.proposals] == [1]
    (left,) = result.unmatched
    assert left.ask_id == 2
    assert left.reason == Reason.BETTER_USED_ELSEWHERE
    assert "1 helper for groceries within reach" in left.detail


def test_scarce_help_goes_to_the_ask_waiting_longer() -> None:
    old = ask(id=1, member_id=101, days=30)
    new = ask(id=2, member_id=102, days=1)
    result = solve([new, old], [helper(capacity=1)], RULES)
    assert [p.ask_id for p in result.proposals] == [1]


def test_a_helper_never_takes_more_than_their_room() -> None:
    asks = [ask(id=i, member_id=100 + i) for i in range(1, 6)]
    result = solve(asks, [helper(capacity=3, load=1)], RULES)
    assert len(result.proposals) == 2
    assert {u.reason for u in result.unmatched} == {Reason.BETTER_USED_ELSEWHERE}


def test_results_are_sorted_by_ask_id_whatever_the_input_order() -> None:
    asks = [ask(id=i, member_id=100 + i) for i in (5, 3, 9, 1)]
    result = solve(asks, [helper(capacity=2)], RULES)
    assert [p.ask_id for p in result.proposals] == sorted(p.ask_id for p in result.proposals)
    assert [u.ask_id for u in result.unmatched] == sorted(u.ask_id for u in result.unmatched)
    assert sorted([p.ask_id for p in result.proposals] + [u.ask_id for u in result.unmatched]) == [
        1,
        3,
        5,
        9,
    ]


def test_incremental_run_uses_only_the_room_left() -> None:
    helpers = [helper(capacity=2, load=1)]
    result = solve_incremental([ask(id=7, member_id=107), ask(id=8, member_id=108)], helpers, RULES)
    assert len(result.proposals) == 1


def test_incremental_run_among_many_helpers_finds_the_same_match_as_a_full_run() -> None:
    helpers = [
        helper(member_id=1000 + k, location=Point(45.0 + k * 0.01, -73.6)) for k in range(60)
    ]
    new = [ask(id=1, location=Point(45.3, -73.6))]
    full = solve(new, helpers, RULES)
    incremental = solve_incremental(new, helpers, RULES)
    assert incremental.proposals == full.proposals
    assert incremental.stats["helpers_considered"] < len(helpers)


# --------------------------------------------------------------------------- reasons


def test_ask_without_location_is_reported() -> None:
    unmatched = only_unmatched(solve([ask(location=None)], [helper()], RULES))
    assert unmatched.reason == Reason.NO_LOCATION


def test_nan_coordinates_count_as_missing() -> None:
    for point in (Point(math.nan, -73.6), Point(45.5, math.inf), Point(95.0, 0.0)):
        unmatched = only_unmatched(solve([ask(location=point)], [helper()], RULES))
        assert unmatched.reason == Reason.NO_LOCATION


def test_helper_with_nan_coordinates_is_never_proposed() -> None:
    result = solve([ask()], [helper(location=Point(math.nan, math.nan))], RULES)
    unmatched = only_unmatched(result)
    assert unmatched.reason == Reason.NO_HELPER_IN_RANGE
    assert unmatched.detail == "no helper for groceries has given a location"


def test_impossible_window_is_reported() -> None:
    window = (date(2026, 5, 3), date(2026, 5, 1))
    unmatched = only_unmatched(solve([ask(window=window)], [helper()], RULES))
    assert unmatched.reason == Reason.IMPOSSIBLE_WINDOW
    assert "2026-05-01" in unmatched.detail


def test_nobody_offers_the_category() -> None:
    result = solve([ask(cats=frozenset({HOUSING}), own=HOUSING)], [helper()], RULES)
    unmatched = only_unmatched(result)
    assert unmatched.reason == Reason.NO_HELPER_FOR_CATEGORY
    assert unmatched.detail == "nobody in the network offers help with housing"


def test_an_ask_without_category_finds_nobody() -> None:
    result = solve([ask(cats=frozenset(), own=None)], [helper()], RULES)
    assert only_unmatched(result).reason == Reason.NO_HELPER_FOR_CATEGORY


def test_helpers_too_far_away() -> None:
    unmatched = only_unmatched(solve([ask()], [helper(location=FAR)], RULES))
    assert unmatched.reason == Reason.NO_HELPER_IN_RANGE
    assert unmatched.detail == (
        "the nearest helper for groceries is 11.1 km away, farther than they will travel"
    )


def test_helpers_near_but_not_willing_to_travel_that_far() -> None:
    # The 5 km helper is too far; the one next door will not travel 1.1 km.
    helpers = [helper(200, radius=1.0), helper(201, location=Point(45.56, -73.6), radius=5.0)]
    unmatched = only_unmatched(solve([ask()], helpers, RULES))
    assert unmatched.reason == Reason.NO_HELPER_IN_RANGE
    assert unmatched.detail == "1 helper for groceries nearby, but none will travel this far"


def test_no_shared_language() -> None:
    result = solve([ask(languages=frozenset({"so"}))], [helper()], RULES)
    unmatched = only_unmatched(result)
    assert unmatched.reason == Reason.NO_SHARED_LANGUAGE
    assert unmatched.detail == "1 helper for groceries within reach, none speaks Somali"


def test_accessibility_not_met() -> None:
    result = solve([ask(needs=frozenset({"step_free"}))], [helper()], RULES)
    unmatched = only_unmatched(result)
    assert unmatched.reason == Reason.ACCESSIBILITY_NOT_MET
    assert "step-free access" in unmatched.detail


def test_accessibility_met_is_a_match() -> None:
    result = solve(
        [ask(needs=frozenset({"step_free"}))],
        [helper(accessibility=frozenset({"step_free", "sign_language"}))],
        RULES,
    )
    assert "can offer step-free access" in result.proposals[0].reasons


def test_no_overlapping_time() -> None:
    result = solve(
        [ask(window=(date(2026, 6, 1), date(2026, 6, 3)))],
        [helper(window=(date(2026, 6, 10), None))],
        RULES,
    )
    assert only_unmatched(result).reason == Reason.NO_OVERLAPPING_TIME


def test_open_ended_windows_overlap() -> None:
    result = solve(
        [ask(window=(None, date(2026, 6, 3)))], [helper(window=(date(2026, 6, 3), None))], RULES
    )
    assert len(result.proposals) == 1


def test_helper_with_impossible_window_is_never_free() -> None:
    result = solve([ask()], [helper(window=(date(2026, 6, 3), date(2026, 6, 1)))], RULES)
    assert only_unmatched(result).reason == Reason.NO_OVERLAPPING_TIME


def test_all_at_capacity() -> None:
    helpers = [helper(200, capacity=2, load=2), helper(201, capacity=0), helper(202, load=5)]
    unmatched = only_unmatched(solve([ask()], helpers, RULES))
    assert unmatched.reason == Reason.ALL_AT_CAPACITY
    assert unmatched.detail == "3 helpers for groceries within reach, all at capacity this week"


def test_blocked_either_way_round() -> None:
    for pair in ((100, 200), (200, 100)):
        rules = Rules(blocked_pairs=frozenset({pair}), category_names=NAMES)
        assert only_unmatched(solve([ask()], [helper()], rules)).reason == (
            Reason.BLOCKED_OR_DECLINED
        )


def test_declined_pair_is_not_proposed_again() -> None:
    rules = Rules(declined_pairs=frozenset({(1, 200)}), category_names=NAMES)
    assert only_unmatched(solve([ask()], [helper()], rules)).reason == Reason.BLOCKED_OR_DECLINED
    # Another helper still can.
    result = solve([ask()], [helper(200), helper(201)], rules)
    assert result.proposals[0].helper_member_id == 201


def test_never_a_member_with_themselves() -> None:
    result = solve([ask(member_id=200)], [helper(member_id=200)], RULES)
    assert only_unmatched(result).reason == Reason.BLOCKED_OR_DECLINED


# --------------------------------------------------------------------------- bad input


def test_empty_input_gives_an_empty_result() -> None:
    assert solve([], [], RULES).proposals == ()
    assert solve([ask()], [], RULES).unmatched[0].reason == Reason.NO_HELPER_FOR_CATEGORY
    assert solve([], [helper()], RULES).total_cost == 0


def test_duplicate_ids_keep_the_first_and_never_crash() -> None:
    result = solve(
        [ask(id=1), ask(id=1, location=None)], [helper(200), helper(200, capacity=0)], RULES
    )
    assert [p.ask_id for p in result.proposals] == [1]
    assert result.stats["duplicate_asks"] == 1
    assert result.stats["duplicate_helpers"] == 1


def test_odd_numbers_are_made_safe() -> None:
    odd_ask = ask(urgency=9, days=math.nan)
    odd_helper = helper(radius=math.nan, capacity=3, load=-2)
    result = solve([odd_ask], [odd_helper], RULES)
    # A NaN radius reaches nowhere; urgency is clamped to "today"; NaN days count as none.
    assert result.unmatched[0].reason == Reason.NO_HELPER_IN_RANGE
    assert engine.unmatched_penalty(odd_ask, RULES) == (
        RULES.unmatched_base + 3 * RULES.unmatched_per_urgency
    )


def test_a_negative_radius_reaches_only_the_same_place() -> None:
    result = solve([ask(location=HERE)], [helper(location=HERE, radius=-1)], RULES)
    assert result.proposals[0].reasons[0] == "less than 100 m away"


def test_malformed_blocked_pairs_are_ignored() -> None:
    rules = Rules(blocked_pairs=frozenset({(1, 2, 3), (100, 999)}), category_names=NAMES)  # type: ignore[arg-type]
    assert len(solve([ask()], [helper()], rules).proposals) == 1


def test_huge_ids_work() -> None:
    big = 2**62
    result = solve(
        [ask(id=big, member_id=big - 1)],
        [helper(member_id=big - 2)],
        Rules(blocked_pairs=frozenset({(big - 1, big - 3)}), category_names=NAMES),
    )
    assert result.proposals[0].helper_member_id == big - 2


def test_absurd_capacity_and_load_never_overflow_the_solver() -> None:
    assert len(solve([ask()], [helper(capacity=10**15)], RULES).proposals) == 1
    # Beyond the bounds the product allows, a helper's next match can cost more than
    # leaving the ask unmatched; the run still completes.
    result = solve([ask()], [helper(capacity=10**15, load=10**14)], RULES)
    assert result.total_cost == engine.unmatched_penalty(ask(), RULES)
