"""Property tests of the matching engine on small random instances.

Everything the engine claims is checked against code written apart from it, in plain
Python: which pairs are feasible (haversine, sets, dates), what a pair and a helper's load
cost, and the optimum, found by networkx's min-cost flow on a network built here and, for
tiny instances, by trying every assignment. Pure tests: no database, no Django."""

import itertools
import math
import random
from dataclasses import replace
from datetime import date, timedelta

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from sameboat.matching.engine import (
    AskInput,
    HelperInput,
    Point,
    Proposal,
    Reason,
    Result,
    Rules,
    candidates_for,
    solve,
    solve_incremental,
)
from sameboat.matching.geo import haversine_km

# A small category tree: 1 food > 11 groceries, 12 meals; 2 housing > 21 repairs.
PARENT = {11: 1, 12: 1, 21: 2, 1: None, 2: None}
LANGS = ["en", "es", "so"]
NEEDS = ["step_free", "sign_language"]
DAY0 = date(2026, 6, 1)
RULES = Rules(k_nearest=1000)
Instance = tuple[
    list[AskInput], list[HelperInput], Rules
]  # never caps on these sizes: every feasible pair is a candidate

# ----------------------------------------------------------------------------- instances


def grid_point(k: int) -> Point | None:
    """One of 25 points about a kilometre apart; now and then a missing or broken one."""
    if k == 25:
        return None
    if k == 26:
        return Point(math.nan, -73.6)
    return Point(45.50 + (k // 5) * 0.01, -73.60 + (k % 5) * 0.013)


maybe_point = st.integers(0, 28).map(lambda k: grid_point(k % 27))
day = st.integers(0, 6).map(lambda d: DAY0 + timedelta(days=d))
windows = st.integers(0, 9).flatmap(
    lambda k: (
        st.just((None, None))
        if k < 6
        else st.tuples(st.one_of(st.none(), day), st.one_of(st.none(), day))
    )
)
small_sets = st.frozensets


@st.composite
def asks(draw: st.DrawFn, ask_id: int) -> AskInput:
    own = draw(st.sampled_from(sorted(PARENT)))
    parent = PARENT[own]
    cats = {own} if parent is None else {own, parent}
    return AskInput(
        id=ask_id,
        member_id=draw(st.integers(1, 20)),
        category_ids=frozenset(cats),
        category_id=draw(st.sampled_from([own, own, None])),
        location=draw(maybe_point),
        urgency=draw(st.integers(1, 4)),
        days_waiting=draw(st.floats(0, 40, allow_nan=False)),
        languages=draw(
            st.integers(0, 3).flatmap(
                lambda k: (
                    st.just(frozenset())
                    if k < 2
                    else small_sets(st.sampled_from(LANGS), min_size=1, max_size=2)
                )
            )
        ),
        accessibility_needs=draw(
            st.integers(0, 4).map(lambda k: frozenset({NEEDS[k - 3]}) if k >= 3 else frozenset())
        ),
        window=draw(windows),
    )


@st.composite
def helpers(draw: st.DrawFn, member_id: int) -> HelperInput:
    # Broad categories (food, housing) are the common strengths.
    cats = draw(small_sets(st.sampled_from([1, 1, 2, 11, 12, 21]), min_size=1, max_size=2))
    offers = draw(
        st.lists(st.sampled_from(sorted(PARENT)), max_size=1).map(
            lambda cs: tuple((c, 500 + member_id * 10 + k) for k, c in enumerate(cs))
        )
    )
    capacity = draw(st.integers(0, 9).map(lambda k: min(k, 3)))
    return HelperInput(
        member_id=member_id,
        category_ids=frozenset(cats),
        location=draw(maybe_point),
        max_distance_km=draw(st.sampled_from([1.0, 2.5, 4.0, 6.0])),
        capacity=capacity,
        load=draw(st.integers(0, 5).map(lambda k: max(k - 3, 0))),
        languages=draw(
            st.integers(0, 3).flatmap(
                lambda k: (
                    st.just(frozenset({"en"}))
                    if k < 2
                    else small_sets(st.sampled_from(LANGS), min_size=1, max_size=2)
                )
            )
        ),
        accessibility=draw(small_sets(st.sampled_from(NEEDS), max_size=2)),
        window=draw(windows),
        offer_by_category=offers,
    )


@st.composite
def instances(draw: st.DrawFn, max_asks: int = 7, max_helpers: int = 5) -> Instance:
    n_asks = draw(st.integers(0, max_asks))
    n_helpers = draw(st.integers(0, max_helpers + 1).map(lambda k: min(k, max_helpers)))
    ask_list = [draw(asks(100 + i)) for i in range(n_asks)]
    # Helpers are members 1..8 too, so some asks meet themselves.
    helper_ids = draw(
        st.lists(st.integers(1, 8), min_size=n_helpers, max_size=n_helpers, unique=True)
    )
    helper_list = [draw(helpers(m)) for m in helper_ids]
    blocked = draw(small_sets(st.tuples(st.integers(1, 8), st.integers(1, 8)), max_size=3))
    declined = draw(
        small_sets(st.tuples(st.integers(100, 100 + max_asks), st.integers(1, 8)), max_size=3)
    )
    rules = replace(RULES, blocked_pairs=blocked, declined_pairs=declined)
    return ask_list, helper_list, rules


@st.composite
def crowded(draw: st.DrawFn) -> Instance:
    """Many asks, few helpers who can all help: the optimisation itself is what is tested
    (who gets scarce help, how load spreads), not the filters."""
    n_asks = draw(st.integers(3, 9))
    ask_list = [
        AskInput(
            id=100 + i,
            member_id=100 + i,
            category_ids=frozenset({11, 1}),
            category_id=11,
            location=grid_point(draw(st.integers(0, 24))),
            urgency=draw(st.integers(1, 4)),
            days_waiting=draw(st.floats(0, 40, allow_nan=False)),
            languages=frozenset(),
        )
        for i in range(n_asks)
    ]
    helper_list = [
        HelperInput(
            member_id=m,
            category_ids=frozenset({draw(st.sampled_from([1, 11]))}),
            location=grid_point(draw(st.integers(0, 24))),
            max_distance_km=6.0,
            capacity=draw(st.integers(1, 3)),
            load=draw(st.integers(0, 1)),
            languages=frozenset({"en"}),
            offer_by_category=((11, 900 + m),) if draw(st.booleans()) else (),
        )
        for m in range(1, draw(st.integers(1, 4)) + 1)
    ]
    return ask_list, helper_list, RULES


# ----------------------------------------------------------------------------- the oracle


def coords(point: Point | None) -> tuple[float, float] | None:
    if point is None or not (math.isfinite(point.lat) and math.isfinite(point.lon)):
        return None
    return point.lat, point.lon


def overlaps(a: tuple[date | None, date | None], h: tuple[date | None, date | None]) -> bool:
    if h[0] is not None and h[1] is not None and h[0] > h[1]:
        return False
    a_start = a[0] or date.min
    a_end = a[1] or date.max
    h_start = h[0] or date.min
    h_end = h[1] or date.max
    return a_start <= h_end and h_start <= a_end


def feasible(ask: AskInput, helper: HelperInput, rules: Rules) -> float | None:
    """The distance if the pair breaks no hard rule, else None. Written from the rules as
    the issue states them, not from the engine."""
    a, h = coords(ask.location), coords(helper.location)
    if a is None or h is None:
        return None
    if ask.window[0] and ask.window[1] and ask.window[0] > ask.window[1]:
        return None
    helper_cats = helper.category_ids | {c for c, _ in helper.offer_by_category}
    ask_cats = ask.category_ids | ({ask.category_id} if ask.category_id is not None else set())
    if not ask_cats & helper_cats:
        return None
    km = haversine_km(a[0], a[1], h[0], h[1])
    if km > max(helper.max_distance_km, 0):
        return None
    if ask.languages and not ask.languages & helper.languages:
        return None
    if not ask.accessibility_needs <= helper.accessibility:
        return None
    if not overlaps(ask.window, helper.window):
        return None
    if helper.capacity - max(helper.load, 0) <= 0:
        return None
    if ask.member_id == helper.member_id:
        return None
    pair = (ask.member_id, helper.member_id)
    if pair in rules.blocked_pairs or pair[::-1] in rules.blocked_pairs:
        return None
    if (ask.id, helper.member_id) in rules.declined_pairs:
        return None
    return km


def expected_reason(ask: AskInput, helper_list: list[HelperInput], rules: Rules) -> Reason:
    """Why an ask has no feasible helper: the first rule, in the documented order, after
    which nobody is left."""
    a = coords(ask.location)
    if a is None:
        return Reason.NO_LOCATION
    if ask.window[0] and ask.window[1] and ask.window[0] > ask.window[1]:
        return Reason.IMPOSSIBLE_WINDOW
    ask_cats = ask.category_ids | ({ask.category_id} if ask.category_id is not None else set())
    left = [
        h for h in helper_list if ask_cats & (h.category_ids | {c for c, _ in h.offer_by_category})
    ]
    if not left:
        return Reason.NO_HELPER_FOR_CATEGORY

    def located_in_range(h: HelperInput) -> bool:
        p = coords(h.location)
        return p is not None and haversine_km(*a, *p) <= max(h.max_distance_km, 0)

    steps = [
        (Reason.NO_HELPER_IN_RANGE, located_in_range),
        (Reason.NO_SHARED_LANGUAGE, lambda h: not ask.languages or ask.languages & h.languages),
        (Reason.ACCESSIBILITY_NOT_MET, lambda h: ask.accessibility_needs <= h.accessibility),
        (Reason.NO_OVERLAPPING_TIME, lambda h: overlaps(ask.window, h.window)),
        (
            Reason.BLOCKED_OR_DECLINED,
            lambda h: (
                h.member_id != ask.member_id
                and (ask.member_id, h.member_id) not in rules.blocked_pairs
                and (h.member_id, ask.member_id) not in rules.blocked_pairs
                and (ask.id, h.member_id) not in rules.declined_pairs
            ),
        ),
        (Reason.ALL_AT_CAPACITY, lambda h: h.capacity - max(h.load, 0) > 0),
    ]
    for reason, rule in steps:
        left = [h for h in left if rule(h)]
        if not left:
            return reason
    return Reason.BETTER_USED_ELSEWHERE


def cost_of_pair(ask: AskInput, helper: HelperInput, km: float, rules: Rules) -> int:
    helper_cats = helper.category_ids | {c for c, _ in helper.offer_by_category}
    offer_cats = {c for c, _ in helper.offer_by_category}
    ask_cats = ask.category_ids | ({ask.category_id} if ask.category_id is not None else set())
    cost = rules.match_base_cost + round(km * rules.cost_per_km)
    if ask.category_id is not None and ask.category_id in helper_cats:
        cost -= rules.own_category_bonus
    if offer_cats & ask_cats:
        cost -= rules.offer_bonus
    if ask.languages:
        cost -= rules.language_bonus
    return cost


def penalty(ask: AskInput, rules: Rules) -> int:
    days = min(max(ask.days_waiting, 0.0), rules.max_days_counted)
    return (
        rules.unmatched_base
        + rules.unmatched_per_urgency * (min(max(ask.urgency, 1), 4) - 1)
        + round(rules.unmatched_per_day * days)
    )


def load_cost(helper: HelperInput, extra: int, rules: Rules) -> int:
    start = max(helper.load, 0)
    return rules.load_weight * ((start + extra) ** 2 - start**2)


def objective(
    assignment: dict[int, int | None],
    ask_list: list[AskInput],
    helper_list: list[HelperInput],
    rules: Rules,
) -> int:
    """The cost of an assignment (ask id -> helper member id or None), as the issue
    defines it: pairs + convex load + penalties of the unmatched."""
    by_id = {h.member_id: h for h in helper_list}
    total = 0
    taken: dict[int, int] = {}
    for ask in ask_list:
        member = assignment.get(ask.id)
        if member is None:
            total += penalty(ask, rules)
            continue
        km = feasible(ask, by_id[member], rules)
        assert km is not None
        total += cost_of_pair(ask, by_id[member], km, rules)
        taken[member] = taken.get(member, 0) + 1
    for member, n in taken.items():
        total += load_cost(by_id[member], n, rules)
    return total


def networkx_optimum(ask_list: list[AskInput], helper_list: list[HelperInput], rules: Rules) -> int:
    """The optimum by networkx's network simplex on a network built here: asks supply one
    unit each; every helper's unit of load is its own node, so no parallel arcs."""
    g = nx.DiGraph()
    g.add_node("sink", demand=len(ask_list))
    for ask in ask_list:
        g.add_node(("a", ask.id), demand=-1)
        g.add_edge(("a", ask.id), "sink", capacity=1, weight=penalty(ask, rules))
    for helper in helper_list:
        room = helper.capacity - max(helper.load, 0)
        for k in range(1, max(room, 0) + 1):
            nth = max(helper.load, 0) + k
            g.add_edge(
                ("h", helper.member_id),
                ("slot", helper.member_id, k),
                capacity=1,
                weight=rules.load_weight * (2 * nth - 1),
            )
            g.add_edge(("slot", helper.member_id, k), "sink", capacity=1, weight=0)
        for ask in ask_list:
            km = feasible(ask, helper, rules)
            if km is not None:
                g.add_edge(
                    ("a", ask.id),
                    ("h", helper.member_id),
                    capacity=1,
                    weight=cost_of_pair(ask, helper, km, rules),
                )
    return int(nx.min_cost_flow_cost(g))


def brute_force_optimum(
    ask_list: list[AskInput], helper_list: list[HelperInput], rules: Rules
) -> int:
    options = [
        [None] + [h.member_id for h in helper_list if feasible(a, h, rules) is not None]
        for a in ask_list
    ]
    room = {h.member_id: h.capacity - max(h.load, 0) for h in helper_list}
    best = math.inf
    for choice in itertools.product(*options):
        used: dict[int, int] = {}
        for member in choice:
            if member is not None:
                used[member] = used.get(member, 0) + 1
        if any(n > room[m] for m, n in used.items()):
            continue
        assignment = {a.id: m for a, m in zip(ask_list, choice, strict=True)}
        best = min(best, objective(assignment, ask_list, helper_list, rules))
    return int(best)


def greedy(ask_list: list[AskInput], helper_list: list[HelperInput], rules: Rules) -> int:
    """Most urgent (then longest waiting) first, each takes its cheapest free helper."""
    room = {h.member_id: h.capacity - max(h.load, 0) for h in helper_list}
    used: dict[int, int] = {}
    assignment: dict[int, int | None] = {}
    for ask in sorted(ask_list, key=lambda a: (-a.urgency, -a.days_waiting, a.id)):
        best: tuple[int, int] | None = None
        for helper in helper_list:
            km = feasible(ask, helper, rules)
            if km is None or used.get(helper.member_id, 0) >= room[helper.member_id]:
                continue
            nth = max(helper.load, 0) + used.get(helper.member_id, 0) + 1
            cost = cost_of_pair(ask, helper, km, rules) + rules.load_weight * (2 * nth - 1)
            if best is None or (cost, helper.member_id) < best:
                best = (cost, helper.member_id)
        assignment[ask.id] = None if best is None else best[1]
        if best is not None:
            used[best[1]] = used.get(best[1], 0) + 1
    return objective(assignment, ask_list, helper_list, rules)


def assignment_of(result: Result) -> dict[int, int | None]:
    out: dict[int, int | None] = {p.ask_id: p.helper_member_id for p in result.proposals}
    out.update({u.ask_id: None for u in result.unmatched})
    return out


def same_outcome(one: Result, two: Result) -> bool:
    return (one.proposals, one.unmatched, one.total_cost) == (
        two.proposals,
        two.unmatched,
        two.total_cost,
    )


# ----------------------------------------------------------------------------- properties


@settings(max_examples=250, deadline=None)
@given(st.one_of(instances(), crowded()))
def test_matches_keep_every_hard_rule_and_reach_the_optimum(instance: Instance) -> None:
    ask_list, helper_list, rules = instance
    result = solve(ask_list, helper_list, rules)

    # Every ask exactly once, in ask id order.
    ids = [p.ask_id for p in result.proposals] + [u.ask_id for u in result.unmatched]
    assert sorted(ids) == sorted(a.id for a in ask_list)
    assert [p.ask_id for p in result.proposals] == sorted(p.ask_id for p in result.proposals)
    assert [u.ask_id for u in result.unmatched] == sorted(u.ask_id for u in result.unmatched)

    # No hard rule broken, no helper over capacity, costs as the model says.
    by_ask = {a.id: a for a in ask_list}
    by_helper = {h.member_id: h for h in helper_list}
    taken: dict[int, int] = {}
    for p in result.proposals:
        ask, helper = by_ask[p.ask_id], by_helper[p.helper_member_id]
        km = feasible(ask, helper, rules)
        assert km is not None, p
        assert p.cost == cost_of_pair(ask, helper, km, rules)
        assert math.isclose(p.distance_km, km, abs_tol=1e-3)
        assert p.reasons and all(isinstance(r, str) and r for r in p.reasons)
        if p.offer_id is not None:
            assert p.offer_id in {o for _, o in helper.offer_by_category}
        taken[helper.member_id] = taken.get(helper.member_id, 0) + 1
    for member, n in taken.items():
        assert n <= by_helper[member].capacity - max(by_helper[member].load, 0)

    # The objective is what it says, and it is the optimum.
    assert result.total_cost == objective(assignment_of(result), ask_list, helper_list, rules)
    assert result.total_cost == networkx_optimum(ask_list, helper_list, rules)
    assert result.total_cost <= greedy(ask_list, helper_list, rules)

    # Every unmatched ask says the first rule that left it nobody; one with a feasible
    # helper who still has room is never left unmatched.
    for u in result.unmatched:
        ask = by_ask[u.ask_id]
        assert u.reason == expected_reason(ask, helper_list, rules), u
        assert u.detail
        for helper in helper_list:
            if feasible(ask, helper, rules) is not None:
                room = helper.capacity - max(helper.load, 0)
                assert taken.get(helper.member_id, 0) == room


@settings(max_examples=120, deadline=None)
@given(st.one_of(instances(max_asks=4, max_helpers=3), crowded().filter(lambda i: len(i[0]) <= 5)))
def test_tiny_instances_match_every_assignment_tried(instance: Instance) -> None:
    ask_list, helper_list, rules = instance
    assert solve(ask_list, helper_list, rules).total_cost == brute_force_optimum(
        ask_list, helper_list, rules
    )


@settings(max_examples=60, deadline=None)
@given(instances(), st.randoms(use_true_random=False))
def test_same_input_gives_the_same_result_in_any_order(
    instance: Instance, rnd: random.Random
) -> None:
    ask_list, helper_list, rules = instance
    first = solve(ask_list, helper_list, rules)
    assert same_outcome(first, solve(ask_list, helper_list, rules))
    shuffled_asks, shuffled_helpers = list(ask_list), list(helper_list)
    rnd.shuffle(shuffled_asks)
    rnd.shuffle(shuffled_helpers)
    assert same_outcome(first, solve(shuffled_asks, shuffled_helpers, rules))


@settings(max_examples=60, deadline=None)
@given(instances(), instances(max_asks=4, max_helpers=0))
def test_incremental_run_respects_the_room_left(
    first_round: Instance, second_round: Instance
) -> None:
    ask_list, helper_list, rules = first_round
    new_asks = [replace(a, id=a.id + 1000) for a in second_round[0]]
    result = solve(ask_list, helper_list, rules)
    taken: dict[int, int] = {}
    for p in result.proposals:
        taken[p.helper_member_id] = taken.get(p.helper_member_id, 0) + 1
    # The Django side counts the new matches into each helper's load.
    updated = [replace(h, load=max(h.load, 0) + taken.get(h.member_id, 0)) for h in helper_list]
    more = solve_incremental(new_asks, updated, rules)
    assert same_outcome(more, solve(new_asks, updated, rules))
    for p in more.proposals:
        taken[p.helper_member_id] = taken.get(p.helper_member_id, 0) + 1
    for h in helper_list:
        assert taken.get(h.member_id, 0) <= max(h.capacity - max(h.load, 0), 0)
    assert more.total_cost == networkx_optimum(new_asks, updated, rules)


def test_the_k_nearest_feasible_helpers_are_kept() -> None:
    here = Point(45.5, -73.6)
    helper_list = [
        HelperInput(
            member_id=10 + k,
            category_ids=frozenset({1}),
            location=Point(45.5 + 0.002 * k, -73.6),
            max_distance_km=5,
            capacity=1,
            load=0,
            languages=frozenset({"en"}),
        )
        for k in range(6)
    ]
    ask_list = [
        AskInput(
            id=1,
            member_id=1,
            category_ids=frozenset({1}),
            location=here,
            urgency=2,
            days_waiting=0,
            languages=frozenset(),
        )
    ]
    result = solve(ask_list, helper_list, replace(RULES, k_nearest=2))
    assert result.stats["candidate_pairs"] == 2
    assert result.stats["capped_pairs"] == 4
    assert isinstance(result.proposals[0], Proposal)
    assert result.proposals[0].helper_member_id == 10


@settings(max_examples=60, deadline=None)
@given(instances(max_asks=1, max_helpers=5))
def test_candidates_for_an_ask_are_every_feasible_helper_nearest_first(
    instance: Instance,
) -> None:
    ask_list, helper_list, rules = instance
    if not ask_list:
        return
    (ask,) = ask_list
    found = candidates_for(ask, helper_list, rules)
    expected = sorted(
        (km, h.member_id) for h in helper_list if (km := feasible(ask, h, rules)) is not None
    )
    assert [p.helper_member_id for p in found] == [m for _, m in expected]
    by_id = {h.member_id: h for h in helper_list}
    for p in found:
        # The same proposal, reasons and all, as a run with that helper alone.
        assert solve([ask], [by_id[p.helper_member_id]], rules).proposals == (p,)
    assert candidates_for(ask, helper_list, rules, limit=1) == found[:1]
