"""The matching engine at city scale: synthetic cities, the engine against the bare solver,
a greedy matcher and (at 1,000 asks) networkx's max_weight_matching.

    .venv/bin/python bench/matching.py                       # 1,000, 10,000 and 100,000 asks
    .venv/bin/python bench/matching.py --sizes 1000 10000    # a quicker look
    .venv/bin/python bench/matching.py --seed 7              # another city

A city of N asks has 0.3 N helpers on the same neighbourhoods (clusters of people plus a
sprinkling everywhere), with capacities of 1 to 5 a week, a 3 km radius, 33 categories in
a two-level tree, several languages, accessibility needs and time windows; its area grows
with N so that the density, and so the candidates per ask, stay the same. The seed makes
it repeatable. Put the figures, the command and the machine in bench/RESULTS.md.

Besides timing, the script asserts what the engine promises: the same cost as the bare
solver (and as networkx where it runs), the same result twice, no helper over capacity
after an incremental run, and an incremental result that is the optimum of its own network.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import platform
import resource
import subprocess
import sys
import time
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

import networkx as nx
import numpy as np
from ortools.graph.python import min_cost_flow

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sameboat.matching import engine
from sameboat.matching.engine import (
    AskInput,
    HelperInput,
    Point,
    Rules,
)

TODAY = date(2026, 11, 23)
CENTRE = (45.50, -73.60)
KM_PER_DEG_LAT = 111.195
HELPERS_PER_ASK = 0.3
# Asks and helpers per km² averaged over the city. Tuned so that 100,000 asks give about
# 1.3 million candidate pairs with the default k = 64.
ASKS_PER_KM2 = 6.0
PEAK_ASKS_PER_KM2 = 18.0

NEW_ASKS = 100
LANGUAGES = ["es", "so", "ar", "fr", "zh", "vi", "ht"]
ACCESS = ["step_free", "sign_language", "large_print", "quiet_space", "female_helper"]


@dataclass(slots=True)
class City:
    asks: list[AskInput]
    helpers: list[HelperInput]
    rules: Rules
    new_asks: list[AskInput]  # for the incremental run


def make_city(n_asks: int, seed: int, new_asks: int = NEW_ASKS) -> City:
    """A synthetic city; the same (n_asks, seed) always gives the same city. ``new_asks``
    more asks from the same neighbourhoods are kept apart for the incremental run."""
    rng = np.random.default_rng(seed * 1_000_003 + n_asks)
    n_total = n_asks + new_asks
    n_helpers = round(n_asks * HELPERS_PER_ASK)
    area = n_asks / ASKS_PER_KM2
    city_r = math.sqrt(area / math.pi)

    # Neighbourhoods: dense clusters of varied size and spread; 15 % of people anywhere.
    n_hoods = max(3, n_asks // 250)
    hood_r = city_r * np.sqrt(rng.uniform(0, 1, n_hoods))
    hood_t = rng.uniform(0, 2 * math.pi, n_hoods)
    hood_xy = np.column_stack((hood_r * np.cos(hood_t), hood_r * np.sin(hood_t)))
    hood_weight = rng.pareto(1.5, n_hoods) + 1
    hood_weight /= hood_weight.sum()
    # Bigger neighbourhoods are bigger in area, not denser: a Gaussian holding p people has
    # p / (2 pi sigma^2) of them per km² at its centre.
    hood_people = hood_weight * n_asks * 0.85
    hood_sigma = np.sqrt(hood_people / (2 * math.pi * PEAK_ASKS_PER_KM2))
    hood_sigma *= rng.uniform(0.8, 1.25, n_hoods)

    def people(n: int) -> np.ndarray:
        xy = np.empty((n, 2))
        spread = rng.uniform(0, 1, n) < 0.15
        r = city_r * np.sqrt(rng.uniform(0, 1, spread.sum()))
        t = rng.uniform(0, 2 * math.pi, spread.sum())
        xy[spread] = np.column_stack((r * np.cos(t), r * np.sin(t)))
        k = (~spread).sum()
        h = rng.choice(n_hoods, size=k, p=hood_weight)
        xy[~spread] = hood_xy[h] + rng.normal(0, 1, (k, 2)) * hood_sigma[h, None]
        lat = CENTRE[0] + xy[:, 1] / KM_PER_DEG_LAT
        lon = CENTRE[1] + xy[:, 0] / (KM_PER_DEG_LAT * math.cos(math.radians(CENTRE[0])))
        return np.column_stack((lat, lon))

    # Categories: 6 top-level with 4 or 5 children each, popularity skewed.
    tops = list(range(1, 7))
    children = {t: [t * 100 + c for c in range(1, 5 + (t % 2))] for t in tops}
    leaves = [c for t in tops for c in children[t]]
    parent = {c: t for t in tops for c in children[t]}
    leaf_w = rng.pareto(2.0, len(leaves)) + 1
    leaf_w /= leaf_w.sum()
    top_w = np.array([sum(leaf_w[leaves.index(c)] for c in children[t]) for t in tops])

    ask_pts = people(n_total)
    ask_leaf = rng.choice(len(leaves), size=n_total, p=leaf_w)
    ask_top_only = rng.uniform(0, 1, n_total) < 0.1
    urg = rng.choice([1, 2, 3, 4], size=n_total, p=[0.3, 0.4, 0.2, 0.1])
    days = rng.exponential(5.0, n_total)
    lang_roll = rng.uniform(0, 1, n_total)
    lang_pick = rng.integers(0, len(LANGUAGES), n_total)
    need_roll = rng.uniform(0, 1, n_total)
    need_pick = rng.integers(0, len(ACCESS), n_total)
    win_roll = rng.uniform(0, 1, n_total)
    win_start = rng.integers(0, 14, n_total)
    win_len = rng.integers(1, 14, n_total)
    n_members = n_asks + n_helpers
    ask_member = rng.integers(0, n_members, n_total)
    bad_roll = rng.uniform(0, 1, n_total)

    asks: list[AskInput] = []
    for i in range(n_total):
        leaf = leaves[ask_leaf[i]]
        own = parent[leaf] if ask_top_only[i] else leaf
        cats = frozenset({own, parent[leaf]})
        r = lang_roll[i]
        if r < 0.55:
            langs: frozenset[str] = frozenset()
        elif r < 0.85:
            langs = frozenset({"en"})
        elif r < 0.93:
            langs = frozenset({LANGUAGES[lang_pick[i]]})
        else:
            langs = frozenset({LANGUAGES[lang_pick[i]], "en"})
        needs = frozenset({ACCESS[need_pick[i]]}) if need_roll[i] < 0.08 else frozenset()
        window: tuple[date | None, date | None] = (None, None)
        if win_roll[i] < 0.2:
            s = TODAY + timedelta(days=int(win_start[i]))
            window = (s, s + timedelta(days=int(win_len[i])))
        loc: Point | None = Point(float(ask_pts[i, 0]), float(ask_pts[i, 1]))
        if bad_roll[i] < 0.005:
            loc = None  # no location and no service area
        elif bad_roll[i] < 0.007:
            window = (TODAY + timedelta(days=5), TODAY)  # ends before it starts
        asks.append(
            AskInput(
                id=1_000_000 + i,
                member_id=int(ask_member[i]),
                category_ids=cats,
                category_id=own,
                location=loc,
                urgency=int(urg[i]),
                days_waiting=float(days[i]),
                languages=langs,
                accessibility_needs=needs,
                window=window,
            )
        )

    helper_pts = people(n_helpers)
    helper_member = rng.choice(n_members, size=n_helpers, replace=False)
    n_items = rng.integers(1, 4, n_helpers)
    capacity = rng.integers(1, 6, n_helpers)
    load_roll = rng.uniform(0, 1, n_helpers)
    extra_lang = rng.uniform(0, 1, n_helpers)
    extra_pick = rng.integers(0, len(LANGUAGES), n_helpers)
    acc_roll = rng.uniform(0, 1, n_helpers)
    hwin_roll = rng.uniform(0, 1, n_helpers)
    hwin_start = rng.integers(0, 10, n_helpers)
    hwin_len = rng.integers(7, 30, n_helpers)
    helpers: list[HelperInput] = []
    offer_id = 5_000_000
    for j in range(n_helpers):
        cats_set: set[int] = set()
        for _ in range(int(n_items[j])):
            if rng.uniform() < 0.5:
                cats_set.add(tops[int(rng.choice(len(tops), p=top_w))])
            else:
                cats_set.add(leaves[int(rng.choice(len(leaves), p=leaf_w))])
        offers: list[tuple[int, int]] = []
        if rng.uniform() < 0.3:
            offer_id += 1
            offers.append((sorted(cats_set)[0], offer_id))
        langs_h = {"en"} if extra_lang[j] < 0.95 else set()
        if extra_lang[j] > 0.7:
            langs_h.add(LANGUAGES[extra_pick[j]])
        if not langs_h:
            langs_h.add(LANGUAGES[extra_pick[j]])
        acc: frozenset[str] = frozenset()
        if acc_roll[j] < 0.25:
            acc = frozenset(rng.choice(ACCESS, size=2, replace=False).tolist())
        hwindow: tuple[date | None, date | None] = (None, None)
        if hwin_roll[j] < 0.15:
            s = TODAY + timedelta(days=int(hwin_start[j]))
            hwindow = (s, s + timedelta(days=int(hwin_len[j])))
        cap = int(capacity[j])
        load = 0 if load_roll[j] < 0.7 else int(rng.integers(0, cap + 1))
        helpers.append(
            HelperInput(
                member_id=int(helper_member[j]),
                category_ids=frozenset(cats_set),
                location=Point(float(helper_pts[j, 0]), float(helper_pts[j, 1])),
                max_distance_km=3.0,
                capacity=cap,
                load=load,
                languages=frozenset(langs_h),
                accessibility=acc,
                window=hwindow,
                offer_by_category=tuple(offers),
            )
        )

    # A few blocked member pairs and declined (ask, helper) pairs among near neighbours.
    blocked = set()
    for _ in range(n_asks // 100):
        a = asks[int(rng.integers(0, n_asks))]
        h = helpers[int(rng.integers(0, n_helpers))]
        blocked.add((a.member_id, h.member_id))
    declined = set()
    for _ in range(n_asks // 50):
        a = asks[int(rng.integers(0, n_asks))]
        h = helpers[int(rng.integers(0, n_helpers))]
        declined.add((a.id, h.member_id))
    names = {t: f"Top {t}" for t in tops} | {c: f"Sub {c}" for c in leaves}
    rules = Rules(
        blocked_pairs=frozenset(blocked), declined_pairs=frozenset(declined), category_names=names
    )
    return City(asks=asks[:n_asks], helpers=helpers, rules=rules, new_asks=asks[n_asks:])


# ----------------------------------------------------------------------------- baselines


def bare_ortools(net: engine.Network) -> tuple[int, float]:
    """The same network handed to OR-Tools' SimpleMinCostFlow as it comes: every ask with
    its unmatched arc, every candidate arc, and every helper's full room as unit arcs of
    convex cost, nodes in id order. Returns (optimal cost, seconds from arrays to flows)."""
    t0 = time.perf_counter()
    n_a, n_h = len(net.ask_ids), len(net.helper_ids)
    sink = n_a + n_h
    room = np.maximum(net.remaining, 0)
    slot_tail = np.repeat(np.arange(n_h), room)
    slot_start = np.cumsum(room) - room
    nth = np.arange(int(room.sum())) - np.repeat(slot_start, room) + 1 + np.repeat(net.load, room)
    tails = np.concatenate((net.arc_ask, np.arange(n_a), slot_tail + n_a)).astype(np.int32)
    heads = np.concatenate(
        (net.arc_helper + n_a, np.full(n_a, sink), np.full(len(slot_tail), sink))
    ).astype(np.int32)
    costs = np.concatenate((net.arc_cost, net.penalty, net.load_weight * (2 * nth - 1))).astype(
        np.int64
    )
    mcf = min_cost_flow.SimpleMinCostFlow()
    mcf.add_arcs_with_capacity_and_unit_cost(tails, heads, np.ones(len(tails), np.int64), costs)
    supplies = np.zeros(sink + 1, dtype=np.int64)
    supplies[:n_a] = 1
    supplies[sink] = -n_a
    mcf.set_nodes_supplies(np.arange(sink + 1, dtype=np.int32), supplies)
    if mcf.solve() != mcf.OPTIMAL:
        raise RuntimeError("bare solver failed")
    mcf.flows(np.arange(len(net.arc_ask), dtype=np.int32))
    return int(mcf.optimal_cost()), time.perf_counter() - t0


def greedy(net: engine.Network) -> tuple[int, int, float]:
    """Each ask in turn, most urgent first (then longest waiting, then id), takes the free
    feasible helper that adds least cost (pair plus that helper's next unit of load).
    Returns (asks matched, total cost under the engine's objective, seconds)."""
    t0 = time.perf_counter()
    n_a = len(net.ask_ids)
    order = np.lexsort((net.ask_ids, -net.days_waiting, -net.urgency)).tolist()
    starts = np.searchsorted(net.arc_ask, np.arange(n_a + 1)).tolist()
    helper = net.arc_helper.tolist()
    cost = net.arc_cost.tolist()
    room = np.maximum(net.remaining, 0).tolist()
    load = net.load.tolist()
    used = [0] * len(room)
    w = net.load_weight
    total = 0
    matched = 0
    for a in order:
        best = None
        best_cost = 0
        for k in range(starts[a], starts[a + 1]):
            h = helper[k]
            if used[h] < room[h]:
                c = cost[k] + w * (2 * (load[h] + used[h] + 1) - 1)
                if best is None or c < best_cost:
                    best, best_cost = h, c
        if best is None:
            total += int(net.penalty[a])
        else:
            used[best] += 1
            total += best_cost
            matched += 1
    return matched, total, time.perf_counter() - t0


def networkx_matching(net: engine.Network) -> tuple[int, float]:
    """networkx's max_weight_matching with each helper's room expanded into unit slots.
    An edge's weight is what matching saves over leaving the ask unmatched (its penalty
    minus the pair's cost and that slot's load cost), so the lightest total cost is the
    sum of all penalties minus the heaviest matching. Returns (cost, seconds)."""
    t0 = time.perf_counter()
    degree = np.bincount(net.arc_helper, minlength=len(net.helper_ids))
    slots = np.minimum(np.maximum(net.remaining, 0), degree)
    g = nx.Graph()
    arcs = zip(net.arc_ask.tolist(), net.arc_helper.tolist(), net.arc_cost.tolist(), strict=True)
    for a, h, c in arcs:
        for j in range(1, int(slots[h]) + 1):
            nth = int(net.load[h]) + j
            gain = int(net.penalty[a]) - c - net.load_weight * (2 * nth - 1)
            g.add_edge(("ask", a), ("slot", h, j), weight=gain)
    matching = nx.max_weight_matching(g)
    weight = sum(g[u][v]["weight"] for u, v in matching)
    return int(net.penalty.sum()) - weight, time.perf_counter() - t0


# ----------------------------------------------------------------------------- one size


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(n: int, seed: int, repeat: int, with_networkx: bool) -> dict[str, float]:
    """Everything for one city size; runs in its own process so memory peaks stay apart."""
    out: dict[str, float] = {"asks": n}
    t0 = time.perf_counter()
    city = make_city(n, seed)
    out["seconds_city"] = time.perf_counter() - t0
    out["helpers"] = len(city.helpers)
    gc.collect()
    out["rss_before_mb"] = rss_mb()

    runs = []
    for _ in range(repeat):
        gc.collect()
        t = time.perf_counter()
        result = engine.solve(city.asks, city.helpers, city.rules)
        wall = time.perf_counter() - t
        runs.append((wall, result))
        del result
    out["peak_rss_mb"] = peak_rss_mb()
    wall, result = min(runs, key=lambda r: r[0])
    stats = result.stats
    for key in ("seconds_prepare", "seconds_candidates", "seconds_solve", "seconds_explain"):
        out[key] = min(r.stats[key] for _, r in runs)
    out["seconds_engine"] = wall
    for key in ("candidate_pairs", "components", "largest_component_arcs", "matched"):
        out[key] = stats[key]
    out["engine_cost"] = result.total_cost
    first = runs[0][1]
    for _, again in runs[1:]:
        assert (again.proposals, again.unmatched, again.total_cost) == (
            first.proposals,
            first.unmatched,
            first.total_cost,
        ), "the engine gave a different result for the same input"
    del first

    net = engine.candidate_network(city.asks, city.helpers, city.rules)
    bare = [bare_ortools(net) for _ in range(repeat)]
    out["bare_cost"] = bare[0][0]
    out["seconds_bare"] = min(t for _, t in bare)
    assert all(c == result.total_cost for c, _ in bare), "engine and bare solver disagree"

    out["greedy_matched"], out["greedy_cost"], out["seconds_greedy"] = greedy(net)
    if with_networkx:
        out["networkx_cost"], out["seconds_networkx"] = networkx_matching(net)
        assert out["networkx_cost"] == result.total_cost, "engine and networkx disagree"

    # Incremental: the city's proposals are now load; 100 new asks arrive.
    taken: dict[int, int] = {}
    for p in result.proposals:
        taken[p.helper_member_id] = taken.get(p.helper_member_id, 0) + 1
    loaded = [replace(h, load=h.load + taken.get(h.member_id, 0)) for h in city.helpers]
    del runs, result
    incremental = []
    for _ in range(max(repeat, 3)):
        gc.collect()
        t = time.perf_counter()
        more = engine.solve_incremental(city.new_asks, loaded, city.rules)
        incremental.append((time.perf_counter() - t, more))
    out["seconds_incremental"], more = min(incremental, key=lambda r: r[0])
    out["incremental_matched"] = len(more.proposals)
    out["incremental_helpers_considered"] = more.stats["helpers_considered"]
    for p in more.proposals:
        taken[p.helper_member_id] = taken.get(p.helper_member_id, 0) + 1
    room = {h.member_id: h.capacity - h.load for h in city.helpers}
    assert all(n <= room[m] for m, n in taken.items()), "a helper went over capacity"
    inc_net = engine.candidate_network(city.new_asks, loaded, city.rules)
    assert bare_ortools(inc_net)[0] == more.total_cost, "incremental run is not optimal"
    return out


# ----------------------------------------------------------------------------- report


def human(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:.2f} s"
    return f"{seconds * 1e3:.1f} ms"


def report(rows: list[dict[str, float]]) -> None:
    def line(label: str, cells: list[str]) -> None:
        print(f"| {label:<46} | " + " | ".join(f"{c:>14}" for c in cells) + " |")

    sizes = [f"{int(r['asks']):,} asks" for r in rows]
    line("", sizes)
    print("|" + "-" * 48 + "|" + "|".join("-" * 15 + ":" for _ in rows) + "|")
    line("helpers", [f"{int(r['helpers']):,}" for r in rows])
    line("candidate pairs (k = 64)", [f"{int(r['candidate_pairs']):,}" for r in rows])
    line(
        "components (arcs in the largest)",
        [f"{int(r['components'])} ({int(r['largest_component_arcs']):,})" for r in rows],
    )
    line("engine: encode input", [human(r["seconds_prepare"]) for r in rows])
    line("engine: candidate generation", [human(r["seconds_candidates"]) for r in rows])
    line("engine: solve (min-cost flow)", [human(r["seconds_solve"]) for r in rows])
    line("engine: reasons and result", [human(r["seconds_explain"]) for r in rows])
    line("**engine: end to end**", [f"**{human(r['seconds_engine'])}**" for r in rows])
    line("bare SimpleMinCostFlow, same arcs", [human(r["seconds_bare"]) for r in rows])
    line(
        "engine end to end / bare solver",
        [f"{r['seconds_engine'] / r['seconds_bare']:.2f}x" for r in rows],
    )
    line("engine cost (the optimum)", [f"{int(r['engine_cost']):,}" for r in rows])
    line(
        "bare solver cost",
        [
            f"{int(r['bare_cost']):,}" + (" =" if r["bare_cost"] == r["engine_cost"] else " !")
            for r in rows
        ],
    )
    line("engine: asks matched", [f"{int(r['matched']):,}" for r in rows])
    line("greedy: asks matched", [f"{int(r['greedy_matched']):,}" for r in rows])
    line("greedy: cost", [f"{int(r['greedy_cost']):,}" for r in rows])
    line(
        "greedy: cost above the optimum",
        [f"{(r['greedy_cost'] - r['engine_cost']) / r['engine_cost']:+.2%}" for r in rows],
    )
    line("greedy: time", [human(r["seconds_greedy"]) for r in rows])
    line(
        "networkx max_weight_matching: cost",
        [f"{int(r['networkx_cost']):,}" if "networkx_cost" in r else "-" for r in rows],
    )
    line(
        "networkx max_weight_matching: time",
        [human(r["seconds_networkx"]) if "seconds_networkx" in r else "-" for r in rows],
    )
    line(
        f"incremental: {NEW_ASKS} new asks (matched)",
        [f"{human(r['seconds_incremental'])} ({int(r['incremental_matched'])})" for r in rows],
    )
    line(
        "incremental / full run",
        [f"{r['seconds_incremental'] / r['seconds_engine']:.2%}" for r in rows],
    )
    line("memory: RSS with the city loaded", [f"{r['rss_before_mb']:,.0f} MB" for r in rows])
    line("memory: peak RSS (city + engine)", [f"{r['peak_rss_mb']:,.0f} MB" for r in rows])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--repeat", type=int, default=2, help="runs of the engine and the bare solver (best kept)"
    )
    parser.add_argument(
        "--networkx-up-to",
        type=int,
        default=1_000,
        help="run networkx's max_weight_matching on cities up to this many asks",
    )
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # a child process's size
    args = parser.parse_args()

    if args.one is not None:
        out = measure(args.one, args.seed, args.repeat, args.one <= args.networkx_up_to)
        print(json.dumps(out))
        return

    print(
        f"Python {platform.python_version()}, numpy {np.__version__}, "
        f"{platform.machine()}, {os.cpu_count()} CPUs; seed {args.seed}",
        file=sys.stderr,
    )
    rows = []
    for n in args.sizes:
        t = time.perf_counter()
        child = subprocess.run(  # noqa: S603 - our own script, fixed arguments
            [
                sys.executable,
                __file__,
                "--one",
                str(n),
                "--seed",
                str(args.seed),
                "--repeat",
                str(args.repeat),
                "--networkx-up-to",
                str(args.networkx_up_to),
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        rows.append(json.loads(child.stdout.strip().splitlines()[-1]))
        print(f"{n:,} asks measured in {time.perf_counter() - t:.0f} s", file=sys.stderr)
    report(rows)


if __name__ == "__main__":
    main()
