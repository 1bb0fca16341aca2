"""Candidate pairs for matching: who could help whom, under every hard rule. Pure: no Django.

The engine (``engine.py``) turns asks and helpers into the flat arrays below; this module
finds the pairs and counts, for every ask, how many helpers survive each successive hard
rule, which is what lets the engine say *why* an ask cannot be matched.

How the pairs are found, and why this way:

1. Points go onto the unit sphere (``geo.py``) and, for every category, a k-d tree
   (``scipy.spatial.cKDTree``) holds the helpers who list that category. A helper for
   "food" sits in the "food" tree; an ask for "groceries" carries "groceries" and its
   ancestor "food", so it meets that helper in the "food" tree. Searching per category
   rather than in one tree of everybody means the geometric search only returns helpers
   who can do the job.
2. Each category's asks and helpers are joined by a dual-tree search
   (``sparse_distance_matrix``) within the chord of the largest radius among those
   helpers. It runs in C and returns flat arrays, with no Python object per pair.
3. The pairs of all categories are packed into integers and merged by one sort (a helper
   can share two categories with an ask), which also puts them in canonical order (by ask,
   then helper). Each helper's own radius and the other hard rules are then boolean masks
   over all pairs, computed with numpy (languages and accessibility as bit sets); the
   number of helpers left per ask after each rule (the "funnel") is a difference of prefix
   sums, since the pairs are sorted by ask.
4. Each ask keeps its ``k`` nearest *feasible* helpers (ties by helper order), which bounds
   the graph the solver sees at city scale. Taking the k nearest before the rules, as a
   plain k-nearest query would, could leave an ask with none when its nearest neighbours
   are all of the wrong kind or full this week, while helpers a little farther could help.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.spatial import cKDTree

from sameboat.matching.geo import chord_for_km, km_for_chords

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
BitArray = npt.NDArray[np.uint64]

# Window ends as day numbers; an open end is far outside any real date.
OPEN_START = -(2**62)
OPEN_END = 2**62

# The stages of the funnel, in the order the rules are applied. Stage 0 is "lists a fitting
# category and is within the largest radius of such helpers"; each later stage keeps the
# pairs that also pass one more rule. An ask whose count first drops to zero at stage s is
# unmatched for the rule of stage s.
STAGE_NEAR = 0
STAGE_RANGE = 1
STAGE_LANGUAGE = 2
STAGE_ACCESSIBILITY = 3
STAGE_TIME = 4
STAGE_RULES = 5
STAGE_CAPACITY = 6
N_STAGES = 7


@dataclass(slots=True)
class AskArrays:
    """Asks as arrays, indexed 0..n-1 in ascending ask id."""

    ids: IntArray
    member: IntArray  # dense member ranks shared with HelperArrays.member (see engine)
    xyz: FloatArray  # (n, 3) unit vectors; rows of unusable asks are ignored
    usable: BoolArray  # located and with a possible window: the only asks searched for
    start: IntArray  # window as day numbers (OPEN_START / OPEN_END for open ends)
    end: IntArray
    lang_any: BoolArray  # no language named: any will do
    lang: BitArray  # (n, words) bit set of language codes
    need: BitArray  # (n, words) bit set of accessibility needs
    cat_ask: IntArray  # (ask index, category code, is the ask's own category) triples
    cat_code: IntArray
    cat_own: BoolArray


@dataclass(slots=True)
class HelperArrays:
    """Helpers as arrays, indexed 0..m-1 in ascending member id."""

    member: IntArray  # dense member ranks, shared with AskArrays.member
    xyz: FloatArray
    located: BoolArray
    radius_km: FloatArray
    remaining: IntArray  # capacity - load; <= 0 means unavailable this week
    start: IntArray
    end: IntArray
    lang: BitArray
    acc: BitArray
    cat_helper: IntArray  # (helper index, category code, has an open offer in it) triples
    cat_code: IntArray
    cat_offered: BoolArray


@dataclass(slots=True)
class PairRules:
    """Exclusions as sorted int64 keys (see ``pair_keys``) over dense indices, so that they
    are exact whatever the size of the ids."""

    blocked: IntArray  # keys of (smaller member rank, larger member rank)
    declined: IntArray  # keys of (ask index, helper index)


@dataclass(slots=True)
class Pairs:
    """Feasible candidate pairs, sorted by ask index then helper index."""

    ask: IntArray
    helper: IntArray
    km: FloatArray
    own: BoolArray  # the helper lists the ask's own category (not just an ancestor)
    offered: BoolArray  # the helper has an open offer in one of the ask's categories
    funnel: IntArray  # (n_asks, N_STAGES) helpers surviving each stage, per ask
    capped: int  # feasible pairs dropped because an ask had more than k


def pair_keys(first: IntArray, second: IntArray) -> IntArray:
    """One int64 per pair of dense indices (each below 2**31), for vectorised membership."""
    return (first << 32) | second


def _in_sorted(keys: IntArray, table: IntArray) -> BoolArray:
    """Whether each key is in the sorted array ``table`` (binary search, no Python loop)."""
    if len(table) == 0 or len(keys) == 0:
        return np.zeros(len(keys), dtype=bool)
    pos = np.searchsorted(table, keys)
    pos[pos == len(table)] = 0
    return np.asarray(table[pos] == keys)


def _near_pairs(asks: AskArrays, helpers: HelperArrays) -> IntArray:
    """All (ask, helper) pairs sharing a category, within the largest radius of the helpers
    in that category, packed as ``(ask * n_helpers + helper) * 4 + own * 2 + offered``:
    a pair sharing several categories appears once per category, with that category's
    flags (own: it is the ask's own category; offered: the helper has an open offer in it).
    Packing lets one plain integer sort (much faster than an argsort carrying payloads)
    merge the copies and put the pairs in canonical order."""
    n_helpers = len(helpers.member)
    a_keep = asks.usable[asks.cat_ask]
    a_idx, a_code, a_own = asks.cat_ask[a_keep], asks.cat_code[a_keep], asks.cat_own[a_keep]
    h_keep = helpers.located[helpers.cat_helper]
    h_idx, h_code = helpers.cat_helper[h_keep], helpers.cat_code[h_keep]
    h_off = helpers.cat_offered[h_keep]

    # Group both sides by category code with one sort each, so each category's members are
    # a contiguous slice.
    a_order = np.argsort(a_code, kind="stable")
    a_idx, a_code, a_own = a_idx[a_order], a_code[a_order], a_own[a_order]
    h_order = np.argsort(h_code, kind="stable")
    h_idx, h_code, h_off = h_idx[h_order], h_code[h_order], h_off[h_order]
    codes = np.intersect1d(a_code, h_code)
    a_lo = np.searchsorted(a_code, codes, "left")
    a_hi = np.searchsorted(a_code, codes, "right")
    h_lo = np.searchsorted(h_code, codes, "left")
    h_hi = np.searchsorted(h_code, codes, "right")

    out: list[IntArray] = []
    for k in range(len(codes)):
        ai = a_idx[a_lo[k] : a_hi[k]]
        hi = h_idx[h_lo[k] : h_hi[k]]
        radius = float(helpers.radius_km[hi].max())
        # A hair of slack so that floating point never loses a pair exactly at the radius;
        # the exact test against each helper's own radius comes later.
        chord = chord_for_km(radius) * (1.0 + 1e-9) + 1e-12
        found = cKDTree(asks.xyz[ai]).sparse_distance_matrix(
            cKDTree(helpers.xyz[hi]), chord, output_type="ndarray"
        )
        if len(found) == 0:
            continue
        i = found["i"]
        j = found["j"]
        flags = a_own[a_lo[k] + i].astype(np.int64) * 2 + h_off[h_lo[k] + j]
        out.append((ai[i] * n_helpers + hi[j]) * 4 + flags)
    if not out:
        return np.zeros(0, dtype=np.int64)
    return np.concatenate(out)


def find_pairs(asks: AskArrays, helpers: HelperArrays, rules: PairRules, k: int) -> Pairs:
    """Feasible pairs under every hard rule, at most ``k`` nearest per ask, and the funnel."""
    n_asks = len(asks.ids)
    n_helpers = max(len(helpers.member), 1)
    packed = np.sort(_near_pairs(asks, helpers))

    # Merge the per-category copies of a pair (adjacent after the sort), OR-ing the flags.
    pair = packed >> 2
    first = np.ones(len(pair), dtype=bool)
    first[1:] = pair[1:] != pair[:-1]
    starts = np.flatnonzero(first)
    flags = np.bitwise_or.reduceat(packed & 3, starts) if len(starts) else packed[:0]
    pair = pair[starts]
    a = pair // n_helpers
    h = pair % n_helpers
    own = (flags & 2) != 0
    off = (flags & 1) != 0
    # Distances from the points again rather than carried through the sort: the asks are in
    # order, so this reads memory in sequence.
    diff = asks.xyz[a] - helpers.xyz[h]
    km = km_for_chords(np.sqrt(np.einsum("ij,ij->i", diff, diff)))

    # The funnel: each rule is a mask over all pairs, AND-ed into the previous stages. The
    # pairs are sorted by ask, so a stage's count per ask is a difference of prefix sums at
    # the asks' boundaries, and the arrays are compacted only once, at the end.
    bounds = np.searchsorted(a, np.arange(n_asks + 1))
    funnel = np.zeros((n_asks, N_STAGES), dtype=np.int64)
    alive = np.ones(len(a), dtype=bool)

    def count(stage: int) -> None:
        prefix = np.zeros(len(alive) + 1, dtype=np.int64)
        np.cumsum(alive, out=prefix[1:])
        funnel[:, stage] = prefix[bounds[1:]] - prefix[bounds[:-1]]

    count(STAGE_NEAR)
    alive &= km <= helpers.radius_km[h] + 1e-9
    count(STAGE_RANGE)

    if asks.lang.shape[1] == 1:
        shared = (asks.lang[a, 0] & helpers.lang[h, 0]) != 0
    else:
        shared = np.any(asks.lang[a] & helpers.lang[h], axis=1)
    alive &= asks.lang_any[a] | shared
    count(STAGE_LANGUAGE)

    if asks.need.shape[1] == 1:
        met = (asks.need[a, 0] & ~helpers.acc[h, 0]) == 0
    else:
        met = np.all((asks.need[a] & ~helpers.acc[h]) == 0, axis=1)
    alive &= met
    count(STAGE_ACCESSIBILITY)

    alive &= (asks.start[a] <= helpers.end[h]) & (helpers.start[h] <= asks.end[a])
    count(STAGE_TIME)

    a_member = asks.member[a]
    h_member = helpers.member[h]
    alive &= a_member != h_member
    if len(rules.blocked) and len(a):
        # Only pairs whose both members appear in some blocked pair need the exact test.
        first_m, second_m = rules.blocked >> 32, rules.blocked & 0xFFFFFFFF
        size = max(int(a_member.max()), int(h_member.max()), int(second_m.max())) + 1
        involved = np.zeros(size, dtype=bool)
        involved[first_m] = True
        involved[second_m] = True
        maybe = np.flatnonzero(involved[a_member] & involved[h_member])
        lo = np.minimum(a_member[maybe], h_member[maybe])
        hi = np.maximum(a_member[maybe], h_member[maybe])
        alive[maybe[_in_sorted(pair_keys(lo, hi), rules.blocked)]] = False
    if len(rules.declined) and len(a):
        declined_ask = np.zeros(n_asks, dtype=bool)
        declined_ask[rules.declined >> 32] = True
        maybe = np.flatnonzero(declined_ask[a])
        alive[maybe[_in_sorted(pair_keys(a[maybe], h[maybe]), rules.declined)]] = False
    count(STAGE_RULES)

    alive &= helpers.remaining[h] > 0
    count(STAGE_CAPACITY)
    a, h, km, own, off = a[alive], h[alive], km[alive], own[alive], off[alive]

    # The k nearest per ask, only for the asks that have more than k: sort those by
    # (ask, distance, helper) and drop each run past its first k; the rest keep their order.
    capped = 0
    counts = funnel[:, STAGE_CAPACITY]
    if len(a) and int(counts.max()) > k:
        idx = np.flatnonzero(counts[a] > k)
        idx = idx[np.lexsort((h[idx], km[idx], a[idx]))]
        sub_a = a[idx]
        run_start = np.ones(len(idx), dtype=bool)
        run_start[1:] = sub_a[1:] != sub_a[:-1]
        run_id = np.cumsum(run_start) - 1
        rank = np.arange(len(idx)) - np.flatnonzero(run_start)[run_id]
        mask = np.ones(len(a), dtype=bool)
        mask[idx[rank >= k]] = False
        capped = int(len(a) - mask.sum())
        a, h, km, own, off = a[mask], h[mask], km[mask], own[mask], off[mask]

    return Pairs(ask=a, helper=h, km=km, own=own, offered=off, funnel=funnel, capped=capped)


def nearest_km(asks: AskArrays, helpers: HelperArrays, which: IntArray) -> FloatArray:
    """For the asks ``which``, the distance to the nearest located helper sharing one of
    their categories, whatever that helper's radius (inf if there is none). Used only to
    explain asks nobody can reach, so it runs on those alone."""
    best = np.full(len(which), np.inf)
    if len(which) == 0:
        return best
    position = np.full(len(asks.ids), -1, dtype=np.int64)
    position[which] = np.arange(len(which))
    a_keep = position[asks.cat_ask] >= 0
    a_idx, a_code = asks.cat_ask[a_keep], asks.cat_code[a_keep]
    h_keep = helpers.located[helpers.cat_helper]
    h_idx, h_code = helpers.cat_helper[h_keep], helpers.cat_code[h_keep]
    for code in np.intersect1d(a_code, h_code).tolist():
        ai = a_idx[a_code == code]
        tree = cKDTree(helpers.xyz[h_idx[h_code == code]])
        chord, _ = tree.query(asks.xyz[ai], k=1)
        rows = position[ai]
        best[rows] = np.minimum(best[rows], km_for_chords(np.asarray(chord)))
    return best
