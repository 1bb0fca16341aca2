"""The matching engine: the best set of matches for a whole network at once. Pure: no Django.

``solve(asks, helpers, rules)`` proposes matches between open asks and helpers so that the
total cost below is as small as possible, and says for every proposal why it is a good one
and for every ask left unmatched why it could not be matched. The Django side turns its
rows into the plain dataclasses here and the result back into rows.

Hard rules (a pair that breaks one is never proposed)
-----------------------------------------------------
* category: the helper lists a category the ask carries (the ask carries its own category
  and every ancestor, so a helper for "food" fits an ask for "groceries");
* distance: the great-circle distance is at most the helper's ``max_distance_km``;
* language: they share a language, unless the ask names none;
* accessibility: the helper can meet every one of the ask's needs;
* time: their windows overlap (an open end is open);
* capacity: the helper has room this week (``capacity - load > 0``) and is never given more
  than that room;
* never a member with themselves, never a blocked pair (either way round), never an
  (ask, helper) pair that was declined before.

Cost model (all integers; the weights are fields of ``Rules``)
--------------------------------------------------------------
* A proposed pair costs ``match_base_cost + cost_per_km * km`` (rounded to an integer)
  minus ``own_category_bonus`` if the helper lists the ask's own category (not just an
  ancestor), ``offer_bonus`` if the helper has an open offer in one of the ask's
  categories, and ``language_bonus`` if the ask named languages (so, when help is scarce,
  an ask that can only be served in one language is preferred over one that any helper
  could serve). ``match_base_cost`` is at least the sum of the bonuses, so no pair costs
  less than nothing. With the defaults a kilometre costs 100, and each bonus is worth 1 to
  1.5 km.
* A helper's load is convex: their L-th match of the week costs ``load_weight * (2L - 1)``,
  so L matches cost ``load_weight * L**2`` in all. The second match a helper takes costs
  three times the first, the third five times: work spreads over many helpers rather than
  piling onto whoever lives nearest. With the defaults a helper's 2nd match this week costs
  as much as 0.8 km more travel for someone else's 1st.
* An ask left unmatched costs ``unmatched_base + unmatched_per_urgency * (urgency - 1) +
  unmatched_per_day * min(days_waiting, max_days_counted)``. The base (60,000, the cost of
  600 km) is larger than any pair plus any load step can cost within the bounds the product
  allows (travel up to 500 km: 50,300; the 50th match of a week: 3,960), so an ask is always
  matched when some feasible helper still has room, and matching one more ask outweighs
  rearranging many others a little farther. When help is scarce the urgency and waiting
  terms decide who gets it: one urgency level (2,000) is worth 20 km, a day of waiting 1 km.
  (The base is no larger than that on purpose: the solver's cost scaling runs about a tenth
  faster with 60,000 than with 100,000 on the benchmark city, matching as many asks.)

The objective, ``Result.total_cost``, is the sum of the proposed pairs' costs, the load
costs of the proposals, and the penalties of all unmatched asks. It is minimised exactly as
a min-cost flow over the candidate pairs (see ``flow.py``).

Candidates
----------
Each ask keeps its ``k_nearest`` nearest *feasible* helpers (ties by member id), found
through one k-d tree per category over points on the unit sphere (see ``candidates.py``).
With the default k = 64 the cap almost never binds (an ask rarely has 64 helpers who could
all help within their radius), and it keeps the graph sparse in the densest places; the
optimum is exact over these candidates.

Why an ask stays unmatched
--------------------------
The rules above are applied in this order: location, dates, category, distance, language,
accessibility, time, blocked/declined/self, capacity. An ask's reason is the first rule
after which no helper is left; if some are left, the optimum gave their places to other asks
(``BETTER_USED_ELSEWHERE``). The detail says how many helpers each step left.

Determinism: asks are handled in ascending id and helpers in ascending member id whatever
the input order, and every step after that is deterministic, so the same input gives the
same result. Among assignments of equal cost, which one is returned is decided by that order.
"""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum

import numpy as np
from scipy.spatial import cKDTree

from sameboat.matching import candidates as cand
from sameboat.matching import flow
from sameboat.matching.geo import chord_for_km, unit_vectors


@dataclass(frozen=True, slots=True)
class Point:
    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class AskInput:
    id: int  # the ask's id
    member_id: int  # who asked
    # The ask's category AND its ancestors (so a helper for "food" fits "groceries").
    category_ids: frozenset[int]
    location: Point | None  # the ask's point, or its service area's centroid; None = unknown
    urgency: int  # 1 (low) .. 4 (today)
    days_waiting: float
    languages: frozenset[str]  # codes the asker can use; empty = any language is fine
    accessibility_needs: frozenset[str] = frozenset()  # tags the helper must be able to meet
    window: tuple[date | None, date | None] = (None, None)  # None ends = open
    # The ask's own category (the most specific one in category_ids). Optional: it earns the
    # own-category bonus for helpers who list exactly it, and names the help in reasons.
    category_id: int | None = None


@dataclass(frozen=True, slots=True)
class HelperInput:
    member_id: int
    # What they can help with (strengths + their open offers), NOT expanded to ancestors.
    category_ids: frozenset[int]
    location: Point | None
    max_distance_km: float
    capacity: int  # matches they will take per week
    load: int  # matches they hold now this week
    languages: frozenset[str]
    accessibility: frozenset[str] = frozenset()  # tags they can meet
    window: tuple[date | None, date | None] = (None, None)
    offer_by_category: tuple[tuple[int, int], ...] = ()  # (category id, offer id), open offers


@dataclass(frozen=True, slots=True)
class Rules:
    blocked_pairs: frozenset[tuple[int, int]] = frozenset()  # (member a, member b), either way
    declined_pairs: frozenset[tuple[int, int]] = frozenset()  # (ask id, helper member id)
    k_nearest: int = 64  # candidate helpers kept per ask (the nearest feasible ones)
    # Integer cost weights; see the module docstring for the model and why these values.
    cost_per_km: int = 100
    match_base_cost: int = 300
    own_category_bonus: int = 100
    offer_bonus: int = 150
    language_bonus: int = 50
    load_weight: int = 40
    unmatched_base: int = 60_000
    unmatched_per_urgency: int = 2_000
    unmatched_per_day: int = 100
    max_days_counted: int = 60
    # Plain-English names for reasons; ids or codes without one are described generically.
    category_names: Mapping[int, str] = field(default_factory=dict, hash=False)
    language_names: Mapping[str, str] = field(default_factory=dict, hash=False)


class Reason(StrEnum):
    """Why an ask stays unmatched: the first hard rule that left it no helper at all."""

    NO_LOCATION = "no_location"
    NO_HELPER_IN_RANGE = "no_helper_in_range"
    NO_HELPER_FOR_CATEGORY = "no_helper_for_category"
    NO_SHARED_LANGUAGE = "no_shared_language"
    ACCESSIBILITY_NOT_MET = "accessibility_not_met"
    NO_OVERLAPPING_TIME = "no_overlapping_time"
    ALL_AT_CAPACITY = "all_at_capacity"
    IMPOSSIBLE_WINDOW = "impossible_window"
    BLOCKED_OR_DECLINED = "blocked_or_declined"
    # Feasible helpers exist but the optimum gave their places to other asks.
    BETTER_USED_ELSEWHERE = "better_used_elsewhere"


@dataclass(frozen=True, slots=True)
class Proposal:
    ask_id: int
    helper_member_id: int
    offer_id: int | None
    cost: int  # the pair's cost (distance and fit), without the helper's load cost
    distance_km: float
    # Short plain-English facts a person can read, e.g. "1.2 km away", "both speak Somali".
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Unmatched:
    ask_id: int
    reason: Reason
    detail: str  # plain English, e.g. "3 helpers for transport within reach, all at capacity"


@dataclass(frozen=True, slots=True)
class Result:
    proposals: tuple[Proposal, ...]  # sorted by ask id
    unmatched: tuple[Unmatched, ...]  # sorted by ask id
    total_cost: int  # proposal costs + unmatched penalties + load costs: the objective
    stats: dict[str, float] = field(default_factory=dict)


# --------------------------------------------------------------------------- cost model


def _penalties(urgency: np.ndarray, days: np.ndarray, rules: Rules) -> cand.IntArray:
    """Unmatched penalties for arrays of urgencies and days waiting (bad values made safe:
    urgency clamped to 1..4, missing or negative days counted as none)."""
    u = np.nan_to_num(np.asarray(urgency, dtype=np.float64), nan=1.0, posinf=4.0, neginf=1.0)
    u = np.clip(u, 1, 4).astype(np.int64)
    d = np.asarray(days, dtype=np.float64)
    d = np.where(np.isfinite(d) & (d > 0), np.minimum(d, rules.max_days_counted), 0.0)
    return (
        rules.unmatched_base
        + rules.unmatched_per_urgency * (u - 1)
        + np.rint(rules.unmatched_per_day * d).astype(np.int64)
    )


def unmatched_penalty(ask: AskInput, rules: Rules) -> int:
    """What leaving ``ask`` unmatched costs: more for urgent asks and for old ones."""
    return int(
        _penalties(
            np.array([_number(ask.urgency, 1.0)]), np.array([_number(ask.days_waiting)]), rules
        )[0]
    )


def marginal_load_cost(nth: int, rules: Rules) -> int:
    """The cost of a helper's ``nth`` match of the week (1-based): convex, so that L matches
    cost ``load_weight * L**2`` in all."""
    return rules.load_weight * (2 * nth - 1)


# --------------------------------------------------------------------------- input


_ACCESSIBILITY_WORDS = {
    "step_free": "step-free access",
    "sign_language": "sign language",
    "large_print": "large print or reading aloud",
    "quiet_space": "a quiet space",
    "female_helper": "a woman helper",
    "interpreter": "an interpreter",
}

_LANGUAGE_NAMES = {
    "am": "Amharic",
    "ar": "Arabic",
    "bn": "Bengali",
    "de": "German",
    "en": "English",
    "es": "Spanish",
    "fa": "Persian",
    "fr": "French",
    "hi": "Hindi",
    "ht": "Haitian Creole",
    "it": "Italian",
    "ko": "Korean",
    "pl": "Polish",
    "ps": "Pashto",
    "pt": "Portuguese",
    "ru": "Russian",
    "so": "Somali",
    "sw": "Swahili",
    "ti": "Tigrinya",
    "tl": "Tagalog",
    "tr": "Turkish",
    "uk": "Ukrainian",
    "ur": "Urdu",
    "vi": "Vietnamese",
    "zh": "Chinese",
}


def _number(value: object, default: float = 0.0) -> float:
    """A float from whatever came in (int, float, Decimal, numeric string); ``default`` when
    it is missing or not a number, so that bad input never stops a run."""
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return default


def _coords(point: object) -> tuple[float, float]:
    """(lat, lon) of one point, NaNs when missing, not finite or out of range."""
    if point is None:
        return math.nan, math.nan
    lat = _number(getattr(point, "lat", None), math.nan)
    lon = _number(getattr(point, "lon", None), math.nan)
    if not (math.isfinite(lat) and math.isfinite(lon)) or abs(lat) > 90 or abs(lon) > 180:
        return math.nan, math.nan
    return lat, lon


def _points(points: list[Point | None]) -> tuple[np.ndarray, np.ndarray]:
    """Latitudes and longitudes; NaN for a point that is missing, NaN, infinite or out of
    range. Vectorised, with a careful per-point path only if some value is not a number."""
    try:
        lat = np.array([math.nan if p is None else p.lat for p in points], dtype=np.float64)
        lon = np.array([math.nan if p is None else p.lon for p in points], dtype=np.float64)
    except (TypeError, ValueError, AttributeError):
        both = [_coords(p) for p in points]
        lat = np.array([b[0] for b in both], dtype=np.float64)
        lon = np.array([b[1] for b in both], dtype=np.float64)
    bad = ~(np.isfinite(lat) & np.isfinite(lon)) | (np.abs(lat) > 90) | (np.abs(lon) > 180)
    lat[bad] = math.nan
    lon[bad] = math.nan
    return lat, lon


def _day(value: object, open_value: int) -> int:
    if value is None:
        return open_value
    try:
        return int(value.toordinal())  # type: ignore[attr-defined]
    except (AttributeError, TypeError, ValueError):
        return open_value  # not a date: treated as open rather than failing the run


def _windows(windows: list[tuple[date | None, date | None]]) -> tuple[np.ndarray, np.ndarray]:
    """Window ends as day numbers; open ends far outside any date."""
    n = len(windows)
    start = np.full(n, cand.OPEN_START, dtype=np.int64)
    end = np.full(n, cand.OPEN_END, dtype=np.int64)
    for i, w in enumerate(windows):
        if w == (None, None):
            continue
        try:
            s, e = w
        except (TypeError, ValueError):
            continue
        start[i] = _day(s, cand.OPEN_START)
        end[i] = _day(e, cand.OPEN_END)
    return start, end


_NO_CATEGORY = -(2**62)  # stands for "no own category" in integer arrays
_MAX_WEEKLY = 10_000  # capacity and load beyond this are bad input, clamped


def _flatten(sets: list[frozenset[int]]) -> tuple[cand.IntArray, cand.IntArray]:
    """(row, value) for every value of every set, as two arrays, without a Python loop per
    value."""
    counts = np.fromiter(map(len, sets), dtype=np.int64, count=len(sets))
    values = np.fromiter(
        itertools.chain.from_iterable(sets), dtype=np.int64, count=int(counts.sum())
    )
    return np.repeat(np.arange(len(sets), dtype=np.int64), counts), values


def _floats(values: list[object]) -> np.ndarray:
    """Numbers as floats; anything that is not a number becomes NaN (callers decide what
    NaN means) instead of stopping the run."""
    try:
        return np.array(values, dtype=np.float64)
    except (TypeError, ValueError):
        return np.array([_number(v, math.nan) for v in values], dtype=np.float64)


def _bitset(n: int, rows: list[int], codes: np.ndarray, words: int) -> cand.BitArray:
    """Rows of a bit set (n, words) with bit ``codes[k]`` set in row ``rows[k]``."""
    bits = np.zeros((n, words), dtype=np.uint64)
    if len(rows):
        c = np.asarray(codes, dtype=np.int64)
        np.bitwise_or.at(
            bits,
            (np.asarray(rows, dtype=np.int64), c >> 6),
            np.left_shift(np.uint64(1), (c & 63).astype(np.uint64)),
        )
    return bits


def _code_sets(sets: list[frozenset[str]], vocab: dict[str, int], words: int) -> cand.BitArray:
    """Bit sets of string codes; codes outside ``vocab`` are irrelevant and dropped. Most
    sets are empty, so only the others are looked at."""
    rows: list[int] = []
    codes: list[int] = []
    for i, s in enumerate(sets):
        if s:
            for c in s:
                code = vocab.get(c)
                if code is not None:
                    rows.append(i)
                    codes.append(code)
    return _bitset(len(sets), rows, np.array(codes, dtype=np.int64), words)


def _vocabulary(sets: list[frozenset[str]]) -> dict[str, int]:
    vocab: set[str] = set().union(*[s for s in sets if s])
    return {code: i for i, code in enumerate(sorted(vocab))}


def _sorted_unique(values: np.ndarray) -> np.ndarray:
    """Distinct values in ascending order. (np.unique hashes large-range integers and is
    many times slower than a sort on arrays of a million.)"""
    ordered = np.sort(values)
    keep = np.ones(len(ordered), dtype=bool)
    keep[1:] = ordered[1:] != ordered[:-1]
    return ordered[keep]


def _first_of_each(ids: np.ndarray) -> np.ndarray:
    """Positions of the first occurrence of each id, ordered by id. Duplicate ids are bad
    input: the first one given wins, the same way in every kind of run."""
    order = np.argsort(ids, kind="stable")
    ordered = ids[order]
    first = np.ones(len(ordered), dtype=bool)
    first[1:] = ordered[1:] != ordered[:-1]
    return order[first]


@dataclass(slots=True)
class _Asks:
    """The asks of a run in canonical order, with what explanations need beside the arrays."""

    items: list[AskInput]
    arrays: cand.AskArrays
    lat: np.ndarray
    penalty: cand.IntArray
    cat_vocab: np.ndarray  # sorted category ids; a category's code is its index here
    lang_vocab: dict[str, int]
    acc_vocab: dict[str, int]
    urgency: cand.IntArray  # clamped to 1..4
    days: np.ndarray  # days waiting, NaN when unknown


@dataclass(slots=True)
class _Helpers:
    items: list[HelperInput]
    arrays: cand.HelperArrays
    load: cand.IntArray
    capacity: cand.IntArray


def _encode_asks(asks: list[AskInput], rules: Rules) -> _Asks:
    n = len(asks)
    lat, lon = _points([a.location for a in asks])
    start, end = _windows([a.window for a in asks])
    usable = ~np.isnan(lat) & (start <= end)
    xyz = np.zeros((n, 3))
    if usable.any():
        xyz[usable] = unit_vectors(lat[usable], lon[usable])

    # Categories are coded densely over those some ask carries: a helper's other
    # categories can never fit anything in this run.
    cat_sets = [a.category_ids for a in asks]
    own = [a.category_id for a in asks]
    cat_rows, cats = _flatten(cat_sets)
    # The own category normally is among category_ids; if not, it still counts.
    extra = [
        i
        for i, (o, cs) in enumerate(zip(own, cat_sets, strict=True))
        if o is not None and o not in cs
    ]
    if extra:
        cat_rows = np.concatenate((cat_rows, np.array(extra, dtype=np.int64)))
        cats = np.concatenate((cats, np.array([own[i] for i in extra], dtype=np.int64)))
    cat_vocab = _sorted_unique(cats)
    cat_code = np.searchsorted(cat_vocab, cats)
    own_arr = np.array([_NO_CATEGORY if o is None else o for o in own], dtype=np.int64)
    cat_own = own_arr[cat_rows] == cats

    lang_sets = [a.languages for a in asks]
    need_sets = [a.accessibility_needs for a in asks]
    lang_vocab = _vocabulary(lang_sets)
    acc_vocab = _vocabulary(need_sets)
    lang_words = max(1, -(-len(lang_vocab) // 64))
    acc_words = max(1, -(-len(acc_vocab) // 64))

    ids = np.fromiter((a.id for a in asks), dtype=np.int64, count=n)
    members = np.fromiter((a.member_id for a in asks), dtype=np.int64, count=n)
    urgency = _floats([a.urgency for a in asks])
    days = _floats([a.days_waiting for a in asks])
    arrays = cand.AskArrays(
        ids=ids,
        member=members,  # made into ranks shared with the helpers by _link
        xyz=xyz,
        usable=usable,
        start=start,
        end=end,
        lang_any=np.array([not s for s in lang_sets], dtype=bool),
        lang=_code_sets(lang_sets, lang_vocab, lang_words),
        need=_code_sets(need_sets, acc_vocab, acc_words),
        cat_ask=cat_rows,
        cat_code=cat_code.astype(np.int64),
        cat_own=cat_own,
    )
    return _Asks(
        items=asks,
        arrays=arrays,
        lat=lat,
        penalty=_penalties(urgency, days, rules),
        cat_vocab=cat_vocab,
        lang_vocab=lang_vocab,
        acc_vocab=acc_vocab,
        urgency=np.clip(np.nan_to_num(urgency, nan=1.0), 1, 4).astype(np.int64),
        days=days,
    )


def _encode_helpers(
    helpers: list[HelperInput], lat: np.ndarray, lon: np.ndarray, asks: _Asks
) -> _Helpers:
    m = len(helpers)
    located = ~np.isnan(lat)
    xyz = np.zeros((m, 3))
    if located.any():
        xyz[located] = unit_vectors(lat[located], lon[located])
    radius = _floats([h.max_distance_km for h in helpers])
    radius = np.where(np.isfinite(radius) & (radius > 0), radius, 0.0)
    capacity = _floats([h.capacity for h in helpers])
    load = _floats([h.load for h in helpers])
    capacity = np.nan_to_num(capacity, nan=0.0, posinf=0.0, neginf=0.0)
    load = np.maximum(np.nan_to_num(load, nan=0.0, posinf=0.0, neginf=0.0), 0)
    # Absurd numbers are clamped (the room left is kept) so that load costs stay far inside
    # the solver's integer range.
    room = np.clip(capacity - load, -1, _MAX_WEEKLY)
    load = np.minimum(load, _MAX_WEEKLY).astype(np.int64)
    capacity = (load + room).astype(np.int64)
    start, end = _windows([h.window for h in helpers])
    # An impossible window never overlaps anything.
    bad = start > end
    start[bad] = cand.OPEN_END + 1
    end[bad] = cand.OPEN_START - 1

    # (helper, category) entries from what they list and what they offer; duplicates merge.
    cat_sets = [h.category_ids for h in helpers]
    offers = [h.offer_by_category for h in helpers]
    rows = [j for j, cs in enumerate(cat_sets) for _ in cs]
    flat = [c for cs in cat_sets for c in cs]
    off_rows = [j for j, os in enumerate(offers) if os for _ in os]
    off_flat = [o[0] for os in offers if os for o in os]
    all_rows = np.array(rows + off_rows, dtype=np.int64)
    all_cats = np.array(flat + off_flat, dtype=np.int64)
    offered = np.zeros(len(all_rows), dtype=bool)
    offered[len(rows) :] = True
    vocab = asks.cat_vocab
    code = np.searchsorted(vocab, all_cats) if len(vocab) else np.zeros(len(all_cats), np.int64)
    known = np.zeros(len(all_cats), dtype=bool)
    if len(vocab):
        code = np.minimum(code, len(vocab) - 1)
        known = vocab[code] == all_cats
    all_rows, code, offered = all_rows[known], code[known], offered[known]
    key = all_rows * max(len(vocab), 1) + code
    order = np.argsort(key, kind="stable")
    key = key[order]
    first = np.ones(len(key), dtype=bool)
    first[1:] = key[1:] != key[:-1]
    starts = np.flatnonzero(first)
    if len(key):
        offered = np.logical_or.reduceat(offered[order], starts)
    all_rows = all_rows[order][starts]
    code = code[order][starts]

    lang_words = asks.arrays.lang.shape[1]
    acc_words = asks.arrays.need.shape[1]
    return _Helpers(
        items=helpers,
        arrays=cand.HelperArrays(
            member=np.fromiter((h.member_id for h in helpers), dtype=np.int64, count=m),
            xyz=xyz,
            located=located,
            radius_km=radius,
            remaining=capacity - load,
            start=start,
            end=end,
            lang=_code_sets([h.languages for h in helpers], asks.lang_vocab, lang_words),
            acc=_code_sets([h.accessibility for h in helpers], asks.acc_vocab, acc_words),
            cat_helper=all_rows,
            cat_code=code,
            cat_offered=offered,
        ),
        load=load,
        capacity=capacity,
    )


def _link(asks: _Asks, helpers: _Helpers, rules: Rules) -> cand.PairRules:
    """Member ids become dense ranks shared by both sides (equal rank = same member), and the
    blocked and declined pairs become sorted keys over ranks and indices, exact whatever the
    size of the ids."""
    a_members = asks.arrays.member
    h_members = helpers.arrays.member
    members = _sorted_unique(np.concatenate((a_members, h_members)))
    asks.arrays.member = np.searchsorted(members, a_members)
    helpers.arrays.member = np.searchsorted(members, h_members)
    h_order = np.argsort(h_members, kind="stable")  # helpers are in member order already
    blocked = _pair_table(rules.blocked_pairs, members, members, symmetric=True)
    declined = _pair_table(
        rules.declined_pairs, asks.arrays.ids, h_members[h_order], symmetric=False
    )
    return cand.PairRules(blocked=blocked, declined=declined)


def _pair_table(
    pairs: Iterable[tuple[int, int]], first: np.ndarray, second: np.ndarray, *, symmetric: bool
) -> cand.IntArray:
    """Sorted keys of (index in ``first``, index in ``second``) for the pairs whose ids are
    both known (both arrays sorted); a symmetric pair is stored smaller index first."""
    raw = []
    for pair in pairs:
        try:
            one, two = pair
            raw.append((int(one), int(two)))
        except (TypeError, ValueError):
            continue  # a malformed pair cannot block anyone
    if not raw or len(first) == 0 or len(second) == 0:
        return np.zeros(0, dtype=np.int64)
    arr = np.array(raw, dtype=np.int64)
    x, y = arr[:, 0], arr[:, 1]
    xi = np.clip(np.searchsorted(first, x), 0, len(first) - 1)
    yi = np.clip(np.searchsorted(second, y), 0, len(second) - 1)
    known = (first[xi] == x) & (second[yi] == y)
    xi, yi = xi[known], yi[known]
    if symmetric:
        xi, yi = np.minimum(xi, yi), np.maximum(xi, yi)
    return _sorted_unique(cand.pair_keys(xi, yi))


# --------------------------------------------------------------------------- solving


@dataclass(frozen=True, slots=True)
class Network:
    """The candidate network a run solves, as arrays (for benchmarks and independent
    checks: the engine itself never needs it). Asks are in ascending id, helpers in
    ascending member id; ``arc_*`` are sorted by ask, then helper."""

    ask_ids: np.ndarray
    helper_ids: np.ndarray  # member ids
    arc_ask: np.ndarray  # index into ask_ids
    arc_helper: np.ndarray  # index into helper_ids
    arc_cost: np.ndarray
    arc_km: np.ndarray
    penalty: np.ndarray  # per ask
    urgency: np.ndarray  # per ask, 1..4
    days_waiting: np.ndarray  # per ask
    remaining: np.ndarray  # per helper: capacity - load (<= 0: no room)
    load: np.ndarray  # per helper
    load_weight: int


@dataclass(slots=True)
class _Run:
    asks: _Asks
    helpers: _Helpers
    pairs: cand.Pairs
    arc_cost: cand.IntArray
    n_helpers_in: int
    n_helpers_unique: int
    seconds_prepare: float
    seconds_candidates: float


def _candidates(asks: Sequence[AskInput], helpers: Sequence[HelperInput], rules: Rules) -> _Run:
    """Inputs made canonical and encoded, then the feasible pairs and their costs."""
    t0 = time.perf_counter()
    ask_ids = np.fromiter((a.id for a in asks), dtype=np.int64, count=len(asks))
    ask_list = [asks[i] for i in _first_of_each(ask_ids).tolist()]
    enc_asks = _encode_asks(ask_list, rules)

    member_ids = np.fromiter((h.member_id for h in helpers), dtype=np.int64, count=len(helpers))
    keep = _first_of_each(member_ids)  # in member id order
    n_unique = len(keep)
    h_lat, h_lon = _points([helpers[i].location for i in keep.tolist()])
    if len(ask_list) * 20 < len(keep):
        # Few asks among many helpers (an incremental run): only the helpers within reach of
        # some ask are looked at any further than their position.
        near = _within_reach(enc_asks, helpers, keep, h_lat, h_lon)
        keep, h_lat, h_lon = keep[near], h_lat[near], h_lon[near]
    helper_list = [helpers[i] for i in keep.tolist()]
    enc_helpers = _encode_helpers(helper_list, h_lat, h_lon, enc_asks)
    pair_rules = _link(enc_asks, enc_helpers, rules)
    t1 = time.perf_counter()

    pairs = cand.find_pairs(
        enc_asks.arrays, enc_helpers.arrays, pair_rules, max(int(rules.k_nearest), 1)
    )
    arc_cost = (
        rules.match_base_cost
        + np.rint(pairs.km * rules.cost_per_km).astype(np.int64)
        - rules.own_category_bonus * pairs.own
        - rules.offer_bonus * pairs.offered
        - rules.language_bonus * ~enc_asks.arrays.lang_any[pairs.ask]
    ).astype(np.int64)
    t2 = time.perf_counter()
    return _Run(
        asks=enc_asks,
        helpers=enc_helpers,
        pairs=pairs,
        arc_cost=arc_cost,
        n_helpers_in=len(helpers),
        n_helpers_unique=n_unique,
        seconds_prepare=t1 - t0,
        seconds_candidates=t2 - t1,
    )


def candidate_network(
    asks: Sequence[AskInput], helpers: Sequence[HelperInput], rules: Rules = Rules()
) -> Network:
    """The network ``solve`` would solve for this input: the same feasible pairs and costs."""
    run = _candidates(asks, helpers, rules)
    h = run.helpers
    return Network(
        ask_ids=run.asks.arrays.ids,
        helper_ids=np.array([x.member_id for x in h.items], dtype=np.int64),
        arc_ask=run.pairs.ask,
        arc_helper=run.pairs.helper,
        arc_cost=run.arc_cost,
        arc_km=run.pairs.km,
        penalty=run.asks.penalty,
        urgency=run.asks.urgency,
        days_waiting=run.asks.days,
        remaining=h.arrays.remaining,
        load=h.load,
        load_weight=rules.load_weight,
    )


def solve(
    asks: Sequence[AskInput], helpers: Sequence[HelperInput], rules: Rules = Rules()
) -> Result:
    """The minimum-cost set of proposals for ``asks`` and ``helpers`` under ``rules``, with
    the reasons for each proposal and for each ask left unmatched."""
    run = _candidates(asks, helpers, rules)
    enc_asks, enc_helpers, pairs, arc_cost = run.asks, run.helpers, run.pairs, run.arc_cost
    n_asks = len(enc_asks.items)
    t2 = time.perf_counter()
    problem, ask_nodes = _flow_problem(pairs, arc_cost, enc_asks, enc_helpers, rules)
    solution = flow.solve(problem)
    chosen = np.full(n_asks, -1, dtype=np.int64)
    chosen[ask_nodes] = solution.chosen
    t3 = time.perf_counter()

    proposals, unmatched, load_cost, arc_total = _explain(
        enc_asks, enc_helpers, pairs, arc_cost, chosen, helpers, rules
    )
    penalty_total = int(enc_asks.penalty[chosen < 0].sum())
    total = arc_total + load_cost + penalty_total
    # The solver's optimum plus the asks that never entered the network must be the total
    # recomputed from the proposals: a cheap guard against any bookkeeping slip.
    outside = np.ones(n_asks, dtype=bool)
    outside[ask_nodes] = False
    if solution.cost + int(enc_asks.penalty[outside].sum()) != total:
        raise RuntimeError("matching: the objective does not add up; this is a bug")
    t4 = time.perf_counter()
    stats: dict[str, float] = {
        "asks": float(n_asks),
        "helpers": float(run.n_helpers_in),
        "helpers_considered": float(len(enc_helpers.items)),
        "duplicate_asks": float(len(asks) - n_asks),
        "duplicate_helpers": float(run.n_helpers_in - run.n_helpers_unique),
        "candidate_pairs": float(len(pairs.ask)),
        "capped_pairs": float(pairs.capped),
        "flow_asks": float(problem.n_asks),
        "flow_helpers": float(problem.n_helpers),
        "components": float(solution.components),
        "largest_component_arcs": float(solution.largest_component_arcs),
        "matched": float(len(proposals)),
        "unmatched": float(len(unmatched)),
        "arc_cost": float(arc_total),
        "load_cost": float(load_cost),
        "penalty_cost": float(penalty_total),
        "seconds_prepare": run.seconds_prepare,
        "seconds_candidates": run.seconds_candidates,
        "seconds_solve": t3 - t2,
        "seconds_explain": t4 - t3,
        "seconds_total": run.seconds_prepare + run.seconds_candidates + (t4 - t2),
    }
    return Result(
        proposals=tuple(proposals), unmatched=tuple(unmatched), total_cost=total, stats=stats
    )


def solve_incremental(
    new_asks: Sequence[AskInput], helpers: Sequence[HelperInput], rules: Rules = Rules()
) -> Result:
    """Match only the new asks against helpers' remaining capacity (their `load` already
    counts current matches).

    The current proposals stay as they are: this is the optimum for the new asks given
    them, not a re-optimisation of the city (run ``solve`` for that). Only the new asks enter
    the flow network, so only the components they touch are solved, and only helpers within
    reach of one of them are encoded: the work follows the new asks' neighbourhoods, not the
    size of the city."""
    return solve(new_asks, helpers, rules)


def candidates_for(
    ask: AskInput,
    helpers: Sequence[HelperInput],
    rules: Rules = Rules(),
    limit: int | None = None,
) -> tuple[Proposal, ...]:
    """Every helper who could take ``ask`` under the hard rules (room left included, other
    asks ignored), nearest first (ties by member id), each as the Proposal ``solve`` would
    make for that pair; at most ``limit`` of them. One vectorised pass: for a page that lists
    who else could help with an ask."""
    n = len(helpers) if limit is None else max(int(limit), 0)
    if n == 0:
        return ()
    run = _candidates([ask], helpers, replace(rules, k_nearest=n))
    pairs = run.pairs
    member = np.array([h.member_id for h in run.helpers.items], dtype=np.int64)
    order = np.lexsort((member[pairs.helper], pairs.km)) if len(pairs.ask) else pairs.ask
    arcs = np.asarray(order, dtype=np.int64)[:n]
    words = _Phrases(rules)
    return tuple(_proposals(run.asks, run.helpers, pairs, run.arc_cost, arcs, words))


def _within_reach(
    asks: _Asks,
    helpers: Sequence[HelperInput],
    keep: np.ndarray,
    lat: np.ndarray,
    lon: np.ndarray,
) -> np.ndarray:
    """Which of the kept helpers are within the largest radius of some usable ask and list
    one of its categories: a superset of every candidate, found without encoding anyone."""
    ok = ~np.isnan(lat)
    a = asks.arrays
    if not ok.any() or not a.usable.any():
        return np.zeros(len(keep), dtype=bool)
    located = np.flatnonzero(ok)
    radius = _floats([helpers[i].max_distance_km for i in keep[located].tolist()])
    radius = np.where(np.isfinite(radius) & (radius > 0), radius, 0.0)
    tree = cKDTree(unit_vectors(lat[located], lon[located]))
    chord = chord_for_km(float(radius.max())) * (1.0 + 1e-9) + 1e-12
    usable = np.flatnonzero(a.usable)
    found = tree.query_ball_point(a.xyz[usable], chord)
    position = keep[located].tolist()  # tree point -> index into helpers
    chosen: set[int] = set()
    for i, hits in zip(usable.tolist(), found, strict=True):
        ask = asks.items[i]
        fits = ask.category_ids
        if ask.category_id is not None:
            fits = fits | {ask.category_id}
        for j in hits:
            if j in chosen:
                continue
            h = helpers[position[j]]
            if not fits.isdisjoint(h.category_ids) or (
                h.offer_by_category and any(c in fits for c, _ in h.offer_by_category)
            ):
                chosen.add(j)
    near = np.zeros(len(keep), dtype=bool)
    near[located[np.array(sorted(chosen), dtype=np.int64)]] = True
    return near


def _flow_problem(
    pairs: cand.Pairs,
    arc_cost: cand.IntArray,
    asks: _Asks,
    helpers: _Helpers,
    rules: Rules,
) -> tuple[flow.FlowProblem, cand.IntArray]:
    """The flow network over the asks and helpers that have at least one candidate arc.
    Asks without arcs are unmatched whatever happens, so they stay out; a helper never
    needs more unit arcs than it has candidate asks."""
    ask_nodes = _sorted_unique(pairs.ask)  # pairs are sorted by ask already
    ask_local = np.searchsorted(ask_nodes, pairs.ask)
    degree = np.bincount(pairs.helper, minlength=len(helpers.items))
    helper_nodes = np.flatnonzero(degree)
    helper_local = (np.cumsum(degree > 0) - 1)[pairs.helper]
    degree = degree[helper_nodes]
    slots = np.minimum(helpers.arrays.remaining[helper_nodes], degree).astype(np.int64)
    load0 = helpers.load[helper_nodes]
    slot_start = np.zeros(len(helper_nodes), dtype=np.int64)
    if len(slots):
        slot_start[1:] = np.cumsum(slots)[:-1]
    # Slot j (1-based) of a helper with load L0 is their (L0 + j)-th match this week.
    nth = np.arange(int(slots.sum()), dtype=np.int64) - np.repeat(slot_start, slots) + 1
    nth += np.repeat(load0, slots)
    problem = flow.FlowProblem(
        n_asks=len(ask_nodes),
        n_helpers=len(helper_nodes),
        arc_ask=ask_local.astype(np.int64),
        arc_helper=helper_local.astype(np.int64),
        arc_cost=arc_cost,
        penalty=asks.penalty[ask_nodes],
        slots=slots,
        slot_cost=(rules.load_weight * (2 * nth - 1)).astype(np.int64),
        slot_start=slot_start,
        ask_xyz=asks.arrays.xyz[ask_nodes],
        helper_xyz=helpers.arrays.xyz[helper_nodes],
    )
    return problem, ask_nodes


# --------------------------------------------------------------------------- explaining


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _join(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


class _Phrases:
    """Plain-English pieces of reasons, each built once per distinct value: a city has
    100,000 proposals but only a few dozen distances to a tenth of a km, languages, needs."""

    def __init__(self, rules: Rules) -> None:
        self.rules = rules
        self._distance: dict[int, str] = {}
        self._languages: dict[frozenset[str], str] = {}
        self._needs: dict[frozenset[str], str] = {}
        self._help: dict[int | None, str] = {}
        self._speak: dict[frozenset[str], str] = {}
        self._can: dict[int | None, str] = {}
        self.funnel: dict[tuple[object, ...], tuple[Reason, str]] = {}

    def distance(self, tenths: int) -> str:
        """The distance, given in tenths of a km."""
        phrase = self._distance.get(tenths)
        if phrase is None:
            phrase = "less than 100 m away" if tenths < 1 else f"{tenths / 10:.1f} km away"
            self._distance[tenths] = phrase
        return phrase

    def language(self, code: str) -> str:
        return self.rules.language_names.get(code) or _LANGUAGE_NAMES.get(code) or code

    def languages(self, codes: frozenset[str]) -> str:
        phrase = self._languages.get(codes)
        if phrase is None:
            phrase = _join(sorted(self.language(c) for c in codes))
            self._languages[codes] = phrase
        return phrase

    def needs(self, tags: frozenset[str]) -> str:
        phrase = self._needs.get(tags)
        if phrase is None:
            phrase = _join(sorted(_ACCESSIBILITY_WORDS.get(t, t) for t in tags))
            self._needs[tags] = phrase
        return phrase

    def help_with(self, category: int | None) -> str:
        """The help named for a reason: a category's name, lower case, or a generic phrase."""
        phrase = self._help.get(category)
        if phrase is None:
            name = self.rules.category_names.get(category) if category is not None else None
            phrase = name.lower() if name else "this kind of help"
            self._help[category] = phrase
        return phrase

    def both_speak(self, codes: frozenset[str]) -> str:
        phrase = self._speak.get(codes)
        if phrase is None:
            phrase = self._speak[codes] = "both speak " + self.languages(codes)
        return phrase

    def can_help(self, category: int | None) -> str:
        phrase = self._can.get(category)
        if phrase is None:
            phrase = self._can[category] = "can help with " + self.help_with(category)
        return phrase

    def room(self, free: int, capacity: int) -> str:
        return f"has room: {free} of {capacity} matches free this week"

    def ask_facts(
        self, needs: frozenset[str], has_window: bool, urgency: int, days: int
    ) -> tuple[str, ...]:
        """What makes the ask itself count: needs met, dates, urgency, waiting."""
        facts = []
        if needs:
            facts.append("can offer " + self.needs(needs))
        if has_window:
            facts.append("available when it is needed")
        if urgency == 4:
            facts.append("urgent: today")
        elif urgency == 3:
            facts.append("needed in the next day or two")
        if days >= 1:
            facts.append(f"waiting {_plural(days, 'day')}")
        return tuple(facts)


def _ask_category(ask: AskInput) -> int | None:
    """The ask's own category, or its only one; None if it cannot be told."""
    if ask.category_id is not None:
        return ask.category_id
    if len(ask.category_ids) == 1:
        return next(iter(ask.category_ids))
    return None


def _explain(
    asks: _Asks,
    helpers: _Helpers,
    pairs: cand.Pairs,
    arc_cost: cand.IntArray,
    chosen: cand.IntArray,
    all_helpers: Sequence[HelperInput],
    rules: Rules,
) -> tuple[list[Proposal], list[Unmatched], int, int]:
    """Proposals and unmatched asks in ask id order, the load cost and the arcs' cost."""
    words = _Phrases(rules)
    matched = np.flatnonzero(chosen >= 0)
    arcs = chosen[matched]
    helper_of = pairs.helper[arcs]
    new_load = np.bincount(helper_of, minlength=len(helpers.items))
    l0 = helpers.load
    load_cost = int((rules.load_weight * ((l0 + new_load) ** 2 - l0**2)).sum())
    arc_total = int(arc_cost[arcs].sum())

    proposals = _proposals(asks, helpers, pairs, arc_cost, arcs, words)
    unmatched: list[Unmatched] = []
    unmatched_idx = np.flatnonzero(chosen < 0)
    if len(unmatched_idx):
        funnel = pairs.funnel[unmatched_idx].tolist()
        located = (~np.isnan(asks.lat[unmatched_idx])).tolist()
        window_ok = (asks.arrays.start <= asks.arrays.end)[unmatched_idx].tolist()
        helper_categories: set[int] | None = None
        # For asks nobody reaches: how far the nearest helper for their kind of help is.
        unreached = unmatched_idx[
            (pairs.funnel[unmatched_idx, cand.STAGE_RANGE] == 0) & asks.arrays.usable[unmatched_idx]
        ]
        nearest = dict(
            zip(
                unreached.tolist(),
                cand.nearest_km(asks.arrays, helpers.arrays, unreached).tolist(),
                strict=True,
            )
        )
        for i, counts, loc, win in zip(
            unmatched_idx.tolist(), funnel, located, window_ok, strict=True
        ):
            ask = asks.items[i]
            if counts[cand.STAGE_NEAR] == 0 and helper_categories is None:
                # Only needed to tell "nobody offers this" from "nobody near offers this";
                # every helper counts here, not only those within reach.
                helper_categories = set()
                for h in all_helpers:
                    helper_categories.update(h.category_ids)
                    helper_categories.update(c for c, _ in h.offer_by_category)
            reason, detail = _unmatched_reason(
                ask, loc, win, counts, nearest.get(i, math.inf), helper_categories or set(), words
            )
            unmatched.append(Unmatched(ask_id=ask.id, reason=reason, detail=detail))
    return proposals, unmatched, load_cost, arc_total


def _proposals(
    asks: _Asks,
    helpers: _Helpers,
    pairs: cand.Pairs,
    arc_cost: cand.IntArray,
    arcs: cand.IntArray,
    words: _Phrases,
) -> list[Proposal]:
    """A Proposal, with its reasons, for each of these candidate arcs, in their order."""
    out: list[Proposal] = []
    ask_of = pairs.ask[arcs]
    helper_of = pairs.helper[arcs]
    free = (helpers.capacity - helpers.load).tolist()
    cap = helpers.capacity.tolist()
    room = {j: words.room(free[j], cap[j]) for j in set(helper_of.tolist())}
    # What depends on the ask alone (needs, dates, urgency, waiting) is built once per
    # distinct combination.
    whole_days = np.where(np.isfinite(asks.days), np.maximum(asks.days, 0), 0).astype(np.int64)
    tails: dict[tuple[frozenset[str], bool, int, int], tuple[str, ...]] = {}
    km = pairs.km[arcs]
    for i, j, km_3, tenths, cost, offered, urgency, days in zip(
        ask_of.tolist(),
        helper_of.tolist(),
        np.round(km, 3).tolist(),
        np.rint(km * 10).astype(np.int64).tolist(),
        arc_cost[arcs].tolist(),
        pairs.offered[arcs].tolist(),
        asks.urgency[ask_of].tolist(),
        whole_days[ask_of].tolist(),
        strict=True,
    ):
        ask = asks.items[i]
        helper = helpers.items[j]
        reasons = [words.distance(tenths)]
        if ask.languages:
            reasons.append(words.both_speak(ask.languages & helper.languages))
        cid = ask.category_id
        if cid is None or cid not in helper.category_ids:
            fits = ask.category_ids & helper.category_ids
            cid = min(fits) if fits else _ask_category(ask)
        reasons.append(words.can_help(cid))
        offer_id = None
        if offered:
            offer_id = _offer_for(ask, helper)
            reasons.append("has an open offer for it")
        key = (ask.accessibility_needs, ask.window != (None, None), urgency, days)
        tail = tails.get(key)
        if tail is None:
            tail = tails[key] = words.ask_facts(*key)
        reasons.extend(tail)
        reasons.append(room[j])
        out.append(
            Proposal(
                ask_id=ask.id,
                helper_member_id=helper.member_id,
                offer_id=offer_id,
                cost=cost,
                distance_km=km_3,
                reasons=tuple(reasons),
            )
        )
    return out


def _offer_for(ask: AskInput, helper: HelperInput) -> int | None:
    """The helper's open offer that fits the ask: in the ask's own category if there is
    one, else the lowest offer id among the ask's categories."""
    best: tuple[int, int] | None = None
    for cat, offer in helper.offer_by_category:
        if cat == ask.category_id:
            rank = (0, offer)
        elif cat in ask.category_ids:
            rank = (1, offer)
        else:
            continue
        if best is None or rank < best:
            best = rank
    return None if best is None else best[1]


def _unmatched_reason(
    ask: AskInput,
    located: bool,
    window_ok: bool,
    counts: list[int],
    nearest_km: float,
    helper_categories: set[int],
    words: _Phrases,
) -> tuple[Reason, str]:
    """The first hard rule that left the ask no helper, and the counts that show it."""
    if not located:
        return Reason.NO_LOCATION, "the ask has no usable location or service area"
    if not window_ok:
        s, e = ask.window
        return Reason.IMPOSSIBLE_WINDOW, f"the ask's dates end ({e}) before they start ({s})"
    own = ask.category_id
    fits = ask.category_ids if own is None else ask.category_ids | {own}
    if not fits:
        return Reason.NO_HELPER_FOR_CATEGORY, "the ask has no category"
    what = words.help_with(_ask_category(ask))
    if counts[cand.STAGE_NEAR] == 0 and not fits & helper_categories:
        return Reason.NO_HELPER_FOR_CATEGORY, f"nobody in the network offers help with {what}"
    if counts[cand.STAGE_NEAR] == 0:
        if math.isinf(nearest_km):
            return Reason.NO_HELPER_IN_RANGE, f"no helper for {what} has given a location"
        return (
            Reason.NO_HELPER_IN_RANGE,
            f"the nearest helper for {what} is {nearest_km:.1f} km away, "
            "farther than they will travel",
        )
    # The rest depends only on these, and many asks share them.
    key = (what, tuple(counts), ask.languages, ask.accessibility_needs)
    found = words.funnel.get(key)
    if found is None:
        found = words.funnel[key] = _funnel_reason(ask, counts, what, words)
    return found


def _funnel_reason(
    ask: AskInput, counts: list[int], what: str, words: _Phrases
) -> tuple[Reason, str]:
    near = counts[cand.STAGE_NEAR]
    in_range = counts[cand.STAGE_RANGE]
    if in_range == 0:
        return (
            Reason.NO_HELPER_IN_RANGE,
            f"{_plural(near, 'helper')} for {what} nearby, but none will travel this far",
        )
    helpers_for = f"{_plural(in_range, 'helper')} for {what} within reach"
    if counts[cand.STAGE_LANGUAGE] == 0:
        langs = words.languages(ask.languages)
        return Reason.NO_SHARED_LANGUAGE, f"{helpers_for}, none speaks {langs}"
    if counts[cand.STAGE_ACCESSIBILITY] == 0:
        needs = words.needs(ask.accessibility_needs)
        return Reason.ACCESSIBILITY_NOT_MET, f"{helpers_for}, none can offer {needs}"
    if counts[cand.STAGE_TIME] == 0:
        return Reason.NO_OVERLAPPING_TIME, f"{helpers_for}, none is free on the ask's dates"
    if counts[cand.STAGE_RULES] == 0:
        return (
            Reason.BLOCKED_OR_DECLINED,
            f"{helpers_for}, each blocked, declined before, or the asker themself",
        )
    if counts[cand.STAGE_CAPACITY] == 0:
        n_ok = counts[cand.STAGE_RULES]
        return (
            Reason.ALL_AT_CAPACITY,
            f"{_plural(n_ok, 'helper')} for {what} within reach, all at capacity this week",
        )
    n_ok = counts[cand.STAGE_CAPACITY]
    return (
        Reason.BETTER_USED_ELSEWHERE,
        f"{_plural(n_ok, 'helper')} for {what} within reach, but their places this week went "
        "to asks more urgent, waiting longer or closer to them",
    )
