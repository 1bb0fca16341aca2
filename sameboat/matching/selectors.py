"""Reads for matching: what the engine is given, the review queue, the coordinator's page.

Every read is scoped to one network and made of a fixed number of queries, however many asks,
helpers or proposals the network holds: the engine's input is read table by table (joins on
the network and subqueries, never long lists of ids), then put together in Python.
"""

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from sameboat.accounts.models import User
from sameboat.aid.models import (
    ACTIVE_MATCH_STATUSES,
    Ask,
    Match,
    MatchSource,
    MatchStatus,
    Offer,
    PostStatus,
    ReviewState,
)
from sameboat.core.models import Language
from sameboat.matching import engine
from sameboat.matching.engine import AskInput, HelperInput, Point, Rules
from sameboat.matching.geo import haversine_km
from sameboat.matching.models import (
    Block,
    DeclinedPair,
    MatchingRun,
    MatchingSchedule,
    RunStatus,
    RunUnmatched,
    UnmatchedReason,
)
from sameboat.networks.models import Category, Member, Network, ServiceArea

# Matching's proposals nobody has acted on: neither side has accepted and no coordinator has
# reviewed it. A run replaces exactly these; everything else it leaves alone.
UNTOUCHED = Q(
    source=MatchSource.ENGINE,
    status=MatchStatus.PROPOSED,
    helper_accepted_at__isnull=True,
    receiver_accepted_at__isnull=True,
    reviewed_at__isnull=True,
)


# A run asked for longer ago than this and still not finished was lost with its worker.
RUN_WAITING_STALE = timedelta(minutes=30)


def week_start(now: datetime) -> datetime:
    """Monday, 00:00, in the server's time zone: when a helper's week begins."""
    local = timezone.localtime(now)
    monday = local - timedelta(days=local.weekday())
    return monday.replace(hour=0, minute=0, second=0, microsecond=0)


def _load_filter(now: datetime) -> Q:
    """A match that counts toward its helper's week: held now (other than an untouched
    proposal, which the next run may withdraw), or done since the week began."""
    held = Q(status__in=ACTIVE_MATCH_STATUSES) & ~UNTOUCHED
    done_this_week = Q(status=MatchStatus.COMPLETED, ended_at__gte=week_start(now))
    return held | done_this_week


def untouched_proposals(*, network: Network) -> QuerySet[Match]:
    return Match.objects.filter(network=network).filter(UNTOUCHED)


def _point(latitude: Decimal | None, longitude: Decimal | None) -> Point | None:
    if latitude is None or longitude is None:
        return None
    return Point(lat=float(latitude), lon=float(longitude))


class _Places:
    """A network's service areas, to place someone by their area's centre (or, if it has none,
    the centre of the area it lies in)."""

    def __init__(self, network: Network) -> None:
        self.areas: dict[int, tuple[Point | None, int | None]] = {
            pk: (_point(latitude, longitude), parent_id)
            for pk, latitude, longitude, parent_id in ServiceArea.objects.filter(
                network=network
            ).values_list("pk", "latitude", "longitude", "parent_id")
        }

    def centre(self, area_id: int | None) -> Point | None:
        seen: set[int] = set()
        while area_id is not None and area_id not in seen and area_id in self.areas:
            seen.add(area_id)
            point, parent_id = self.areas[area_id]
            if point is not None:
                return point
            area_id = parent_id
        return None


def _category_ancestry(network: Network) -> dict[int, frozenset[int]]:
    """Each category with its ancestors: an ask in "groceries" is also an ask in "food", so a
    helper with food fits it."""
    parents = dict(Category.objects.filter(network=network).values_list("pk", "parent_id"))
    ancestry: dict[int, frozenset[int]] = {}
    for pk in parents:
        chain: list[int] = []
        current: int | None = pk
        while current is not None and current not in chain:
            chain.append(current)
            current = parents.get(current)
        ancestry[pk] = frozenset(chain)
    return ancestry


@dataclass(frozen=True, slots=True)
class MemberFacts:
    """What matching knows of a member, read once for the whole network."""

    pk: int
    user_id: int
    location: Point | None
    travel_km: float
    weekly_capacity: int
    accessibility: frozenset[str]


def tags_of(value: Any) -> list[str]:
    """A JSON list of tags as stored, tolerating anything else as no tags."""
    if not isinstance(value, list):
        return []
    return [tag for tag in value if isinstance(tag, str)]


class _NetworkFacts:
    """What every part of the engine's input needs: places, categories, active members and
    the languages they speak. A fixed number of queries, however large the network."""

    def __init__(self, network: Network) -> None:
        self.network = network
        self.places = _Places(network)
        self.ancestry = _category_ancestry(network)
        self.category_names: dict[int, str] = dict(
            Category.objects.filter(network=network).values_list("pk", "name")
        )
        self.members: dict[int, MemberFacts] = {}
        for (
            pk,
            user_id,
            latitude,
            longitude,
            area_id,
            travel_km,
            capacity,
            offered,
        ) in Member.objects.filter(network=network, is_active=True).values_list(
            "pk",
            "user_id",
            "latitude",
            "longitude",
            "service_area_id",
            "travel_km",
            "weekly_capacity",
            "accessibility_offered",
        ):
            self.members[pk] = MemberFacts(
                pk=pk,
                user_id=user_id,
                location=_point(latitude, longitude) or self.places.centre(area_id),
                travel_km=float(travel_km),
                weekly_capacity=capacity,
                accessibility=frozenset(tags_of(offered)),
            )
        languages: dict[int, set[str]] = defaultdict(set)
        for user_id, code in User.languages.through.objects.filter(
            user__memberships__network=network, user__memberships__is_active=True
        ).values_list("user_id", "language_id"):
            languages[user_id].add(code)
        self.languages = {user_id: frozenset(codes) for user_id, codes in languages.items()}

    def languages_of(self, member: MemberFacts) -> frozenset[str]:
        return self.languages.get(member.user_id, frozenset())


@dataclass(slots=True)
class EngineInput:
    """The engine's input for a whole network, and what the run needs to write its result."""

    asks: list[AskInput] = field(default_factory=list)
    helpers: list[HelperInput] = field(default_factory=list)
    rules: Rules = field(default_factory=Rules)
    receiver_of: dict[int, int] = field(default_factory=dict)  # ask -> the member who asked


def helper_loads(
    *, network: Network, now: datetime, with_untouched: bool = False
) -> dict[int, int]:
    """How many matches each helper holds this week (see `_load_filter`), by member id; with
    `with_untouched`, matching's untouched proposals count too."""
    condition = _load_filter(now)
    if with_untouched:
        condition |= UNTOUCHED
    rows = (
        Match.objects.filter(network=network)
        .filter(condition)
        .values("helper_id")
        .annotate(held=Count("pk"))
        .values_list("helper_id", "held")
    )
    return dict(rows)


def _ask_inputs(
    facts: _NetworkFacts, asks: QuerySet[Ask], now: datetime
) -> tuple[list[AskInput], dict[int, int]]:
    rows = asks.order_by("created_at", "pk").values_list(
        "pk",
        "member_id",
        "category_id",
        "area_id",
        "urgency",
        "created_at",
        "starts_on",
        "ends_on",
        "accessibility_needs",
    )
    own_languages: dict[int, set[str]] = defaultdict(set)
    for ask_id, code in Ask.languages.through.objects.filter(ask__in=asks.values("pk")).values_list(
        "ask_id", "language_id"
    ):
        own_languages[ask_id].add(code)
    inputs: list[AskInput] = []
    receiver_of: dict[int, int] = {}
    for pk, member_id, category_id, area_id, urgency, created_at, starts, ends, needs in rows:
        asker = facts.members.get(member_id)
        if asker is None:
            continue
        named = own_languages.get(pk)
        inputs.append(
            AskInput(
                id=pk,
                member_id=member_id,
                category_ids=facts.ancestry.get(category_id, frozenset({category_id})),
                category_id=category_id,
                location=facts.places.centre(area_id) or asker.location,
                urgency=int(urgency),
                days_waiting=max(0.0, (now - created_at).total_seconds() / 86400),
                languages=frozenset(named) if named else facts.languages_of(asker),
                accessibility_needs=frozenset(tags_of(needs)),
                window=(starts, ends),
            )
        )
        receiver_of[pk] = member_id
    return inputs, receiver_of


def _helper_inputs(facts: _NetworkFacts, loads: dict[int, int]) -> list[HelperInput]:
    network = facts.network
    helps_with: dict[int, set[int]] = defaultdict(set)
    for member_id, category_id in Member.helps_with.through.objects.filter(
        member__network=network, member__is_active=True
    ).values_list("member_id", "category_id"):
        helps_with[member_id].add(category_id)
    # Someone who lists strengths is available any time; someone who helps only through
    # dated offers is available from the first offer's start to the last one's end.
    always = set(helps_with)
    windows: dict[int, list[tuple[date | None, date | None]]] = defaultdict(list)
    offers: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for offer_id, member_id, category_id, starts_on, ends_on in (
        Offer.objects.filter(network=network, status=PostStatus.OPEN, member__is_active=True)
        .order_by("created_at", "pk")
        .values_list("pk", "member_id", "category_id", "starts_on", "ends_on")
    ):
        offers[member_id].append((category_id, offer_id))
        helps_with[member_id].add(category_id)
        windows[member_id].append((starts_on, ends_on))
    helpers: list[HelperInput] = []
    for member_id in sorted(helps_with):
        helper = facts.members.get(member_id)
        if helper is None:
            continue
        helpers.append(
            HelperInput(
                member_id=member_id,
                category_ids=frozenset(helps_with[member_id]),
                location=helper.location,
                max_distance_km=helper.travel_km,
                capacity=helper.weekly_capacity,
                load=loads.get(member_id, 0),
                languages=facts.languages_of(helper),
                accessibility=helper.accessibility,
                window=(None, None) if member_id in always else _span(windows[member_id]),
                offer_by_category=tuple(offers.get(member_id, ())),
            )
        )
    return helpers


def _span(windows: list[tuple[date | None, date | None]]) -> tuple[date | None, date | None]:
    """The time covered by several offers' windows; an open end anywhere leaves it open."""
    starts = [start for start, _end in windows]
    ends = [end for _start, end in windows]
    return (
        None if not starts or None in starts else min(s for s in starts if s is not None),
        None if not ends or None in ends else max(e for e in ends if e is not None),
    )


def _rules(facts: _NetworkFacts, **extra: Any) -> Rules:
    network = facts.network
    return Rules(
        blocked_pairs=blocked_pairs(network=network),
        declined_pairs=declined_pairs(network=network) | extra.pop("declined", frozenset()),
        category_names=facts.category_names,
        language_names=dict(Language.objects.values_list("code", "name")),
        **extra,
    )


def asks_to_match(*, network: Network) -> QuerySet[Ask]:
    """The asks a run considers: every open ask (whoever may see it) of an active member,
    except those already in people's hands: with a match accepted, or proposed other than by
    an untouched proposal of matching's."""
    held_elsewhere = Match.objects.filter(
        network=network, status__in=ACTIVE_MATCH_STATUSES, ask__isnull=False
    ).exclude(UNTOUCHED)
    return Ask.objects.filter(
        network=network, status=PostStatus.OPEN, member__is_active=True
    ).exclude(pk__in=held_elsewhere.values("ask_id"))


def engine_input(*, network: Network, now: datetime | None = None) -> EngineInput:
    """Everything the engine needs to match the network's open asks with its helpers.

    Asks: see `asks_to_match`. Helpers: active members who help with some category or hold
    an open offer, with the load they hold this week. Places: a member's own coarse point,
    else their area's centre (or its parent's); an ask's area's centre, else its author's
    place. Languages: an ask's own, else its author's.
    """
    now = now or timezone.now()
    facts = _NetworkFacts(network)
    asks, receiver_of = _ask_inputs(facts, asks_to_match(network=network), now)
    helpers = _helper_inputs(facts, helper_loads(network=network, now=now))
    return EngineInput(asks=asks, helpers=helpers, rules=_rules(facts), receiver_of=receiver_of)


def blocked_pairs(*, network: Network) -> frozenset[tuple[int, int]]:
    """Pairs of members never to be matched, in both orders: a block works both ways."""
    pairs: set[tuple[int, int]] = set()
    for member_id, blocked_id in Block.objects.filter(network=network).values_list(
        "member_id", "blocked_id"
    ):
        pairs.add((member_id, blocked_id))
        pairs.add((blocked_id, member_id))
    return frozenset(pairs)


def declined_pairs(*, network: Network) -> frozenset[tuple[int, int]]:
    """(ask, helper) pairs never to be proposed again: those recorded when a coordinator
    rejected a proposal, and every match on an ask that one of its two sides declined."""
    recorded = DeclinedPair.objects.filter(network=network).values_list("ask_id", "helper_id")
    declined = Match.objects.filter(
        network=network, status=MatchStatus.DECLINED, ask__isnull=False
    ).values_list("ask_id", "helper_id")
    return frozenset((ask_id, helper_id) for ask_id, helper_id in (*recorded, *declined))


# --- the coordinator's page -----------------------------------------------------------------


def runs_latest(*, network: Network) -> QuerySet[MatchingRun]:
    return MatchingRun.objects.filter(network=network).select_related("started_by__user")


def run_get(*, network: Network, pk: int) -> MatchingRun | None:
    return runs_latest(network=network).filter(pk=pk).first()


def run_latest_succeeded(*, network: Network) -> MatchingRun | None:
    return runs_latest(network=network).filter(status=RunStatus.SUCCEEDED).first()


def run_waiting(*, network: Network) -> MatchingRun | None:
    """A run asked for and not finished yet, if any (one left over by a worker that died
    long ago does not count)."""
    since = timezone.now() - RUN_WAITING_STALE
    return (
        runs_latest(network=network)
        .filter(status__in=(RunStatus.QUEUED, RunStatus.RUNNING), queued_at__gte=since)
        .first()
    )


def unmatched_of(*, run: MatchingRun) -> QuerySet[RunUnmatched]:
    """The asks a run could not match, oldest first, still open (one matched by hand since
    drops off the list)."""
    return (
        RunUnmatched.objects.filter(run=run, ask__status=PostStatus.OPEN)
        .select_related("ask__category", "ask__member__user", "ask__area")
        .order_by("ask__created_at", "ask_id")
    )


def proposals_pending(*, network: Network) -> QuerySet[Match]:
    """The review queue: matching's proposals no coordinator has released or rejected, the
    most urgent and longest waiting first."""
    return (
        Match.objects.filter(
            network=network,
            source=MatchSource.ENGINE,
            status=MatchStatus.PROPOSED,
            review_state=ReviewState.PENDING,
        )
        .select_related(
            "ask__category", "ask__area", "offer__category", "helper__user", "receiver__user"
        )
        .order_by("-ask__urgency", "ask__created_at", "pk")
    )


def proposal_get(*, network: Network, pk: int) -> Match | None:
    return proposals_pending(network=network).filter(pk=pk).first()


@dataclass(frozen=True, slots=True)
class HelperLoad:
    member: Member
    capacity: int
    load: int

    @property
    def remaining(self) -> int:
        return max(0, self.capacity - self.load)


def helpers_by_load(*, network: Network, now: datetime | None = None) -> QuerySet[Member]:
    """Helpers (members who help with something or hold an open offer), the busiest for their
    capacity first, each annotated with `load`: matches held this week."""
    now = now or timezone.now()
    load = (
        Match.objects.filter(network=network, helper=OuterRef("pk"))
        .filter(_load_filter(now))
        .order_by()
        .values("helper")
        .annotate(held=Count("pk"))
        .values("held")
    )
    has_offer = Offer.objects.filter(member=OuterRef("pk"), status=PostStatus.OPEN)
    helps = Member.helps_with.through.objects.filter(member=OuterRef("pk"))
    return (
        Member.objects.filter(network=network, is_active=True)
        .filter(Q(Exists(helps)) | Q(Exists(has_offer)))
        .annotate(load=Coalesce(Subquery(load), 0))
        .annotate(remaining=F("weekly_capacity") - F("load"))
        .select_related("user")
        .order_by("remaining", "-load", "user__display_name", "pk")
    )


def loads_of(members: Iterable[Member]) -> list[HelperLoad]:
    return [
        HelperLoad(member=m, capacity=m.weekly_capacity, load=getattr(m, "load", 0))
        for m in members
    ]


def schedule_of(*, network: Network) -> MatchingSchedule | None:
    return MatchingSchedule.objects.filter(network=network, next_run_at__isnull=False).first()


# --- blocks -------------------------------------------------------------------------------


def blocks_of(*, member: Member) -> QuerySet[Block]:
    return Block.objects.filter(network_id=member.network_id, member=member).select_related(
        "blocked__user"
    )


def matched_with(*, member: Member) -> QuerySet[Member]:
    """The people this member has been in a match with (the only others they know of), whom
    they may ask not to be matched with again. Pending proposals are nobody's yet."""
    mine = Match.objects.filter(network_id=member.network_id).exclude(
        review_state=ReviewState.PENDING
    )
    as_helper = mine.filter(helper=member).values("receiver_id")
    as_receiver = mine.filter(receiver=member).values("helper_id")
    return (
        Member.objects.filter(network_id=member.network_id)
        .filter(Q(pk__in=as_helper) | Q(pk__in=as_receiver))
        .exclude(pk=member.pk)
        .select_related("user")
        .order_by("user__display_name", "pk")
    )


# --- reasons, in the reader's language ------------------------------------------------------

# The engine explains itself in short English phrases (it is a pure module, without Django's
# translations). Each phrase it makes is matched here and said again in the reader's
# language; a phrase not listed (a newer engine's) is shown as the engine wrote it.
_REASONS: list[tuple[re.Pattern[str], Any]] = [
    (re.compile(r"less than 100 m away"), lambda m: _("less than 100 m away")),
    (re.compile(r"([\d.]+) km away"), lambda m: _("%(km)s km away") % {"km": m[1]}),
    (re.compile(r"both speak (.+)"), lambda m: _("both speak %(languages)s") % {"languages": m[1]}),
    (
        re.compile(r"can help with this kind of help"),
        lambda m: _("can help with this kind of help"),
    ),
    (re.compile(r"can help with (.+)"), lambda m: _("can help with %(what)s") % {"what": m[1]}),
    (re.compile(r"has an open offer for it"), lambda m: _("has an open offer for it")),
    (re.compile(r"can offer (.+)"), lambda m: _("can offer %(needs)s") % {"needs": m[1]}),
    (re.compile(r"available when it is needed"), lambda m: _("available when it is needed")),
    (re.compile(r"urgent: today"), lambda m: _("urgent: needed today")),
    (re.compile(r"needed in the next day or two"), lambda m: _("needed in the next day or two")),
    (
        re.compile(r"waiting (\d+) days?"),
        lambda m: (
            ngettext("waiting %(days)d day", "waiting %(days)d days", int(m[1]))
            % {"days": int(m[1])}
        ),
    ),
    (
        re.compile(r"has room: (\d+) of (\d+) matches free this week"),
        lambda m: (
            ngettext(
                "has room: %(free)d of %(capacity)d match free this week",
                "has room: %(free)d of %(capacity)d matches free this week",
                int(m[2]),
            )
            % {"free": int(m[1]), "capacity": int(m[2])}
        ),
    ),
    (re.compile(r"chosen by a coordinator"), lambda m: _("chosen by a coordinator")),
]


def reason_text(reason: str) -> str | Promise:
    for pattern, say in _REASONS:
        found = pattern.fullmatch(reason)
        if found:
            return say(found)
    return reason


def reason_texts(reasons: Any) -> list[str | Promise]:
    return [reason_text(reason) for reason in tags_of(reasons)]


def reason_label(value: str) -> str | Promise:
    """An unmatched ask's reason in plain words."""
    try:
        return UnmatchedReason(value).label
    except ValueError:
        return value


@dataclass(frozen=True, slots=True)
class ProposalRow:
    """A proposal as the review queue shows it."""

    match: Match
    ask: Ask
    reasons: list[str | Promise]
    distance: float | None
    days_waiting: float
    label: str


def proposal_rows(matches: Iterable[Match], *, now: datetime) -> list[ProposalRow]:
    rows: list[ProposalRow] = []
    for match in matches:
        ask = match.ask
        assert ask is not None
        rows.append(
            ProposalRow(
                match=match,
                ask=ask,
                reasons=reason_texts(match.reasons),
                distance=match.distance_km,
                days_waiting=(now - ask.created_at).total_seconds() / 86400,
                label=str(
                    _("“%(ask)s” asked by %(receiver)s, with %(helper)s helping")
                    % {
                        "ask": ask.title,
                        "receiver": match.receiver.display_name,
                        "helper": match.helper.display_name,
                    }
                ),
            )
        )
    return rows


# --- who else could help with a proposal's ask ----------------------------------------------


@dataclass(frozen=True, slots=True)
class Candidate:
    member: Member
    distance_km: float
    reasons: tuple[str, ...]


CANDIDATES_MAX = 50


def helpers_for_proposal(
    *, network: Network, match: Match, now: datetime | None = None
) -> list[Candidate]:
    """The members who could help with a proposal's ask instead of its helper, nearest
    first: each passes every hard rule, as the engine itself decides (it is asked about the
    ask and that one helper). Their load counts the proposals still waiting too, since those
    may well be released."""
    now = now or timezone.now()
    assert match.ask_id is not None
    facts = _NetworkFacts(network)
    asks, _receivers = _ask_inputs(facts, Ask.objects.filter(network=network, pk=match.ask_id), now)
    if not asks:
        return []
    (ask,) = asks
    loads = helper_loads(network=network, now=now, with_untouched=True)
    # This proposal is about to move: it holds none of its helper's room.
    if match.helper_id in loads:
        loads[match.helper_id] -= 1
    rules = _rules(facts, declined=frozenset({(ask.id, match.helper_id)}))
    nearby: list[tuple[float, HelperInput]] = []
    for helper in _helper_inputs(facts, loads):
        if helper.member_id in (ask.member_id, match.helper_id):
            continue
        if not (helper.category_ids & ask.category_ids) or helper.capacity - helper.load <= 0:
            continue
        if ask.location is None or helper.location is None:
            continue
        km = haversine_km(
            ask.location.lat, ask.location.lon, helper.location.lat, helper.location.lon
        )
        if km <= helper.max_distance_km:
            nearby.append((km, helper))
    nearby.sort(key=lambda pair: (pair[0], pair[1].member_id))
    found: list[tuple[HelperInput, engine.Proposal]] = []
    for _km, helper in nearby:
        result = engine.solve([ask], [helper], rules)
        if result.proposals:
            found.append((helper, result.proposals[0]))
        if len(found) >= CANDIDATES_MAX:
            break
    members = Member.objects.select_related("user").in_bulk(
        [helper.member_id for helper, _p in found]
    )
    candidates: list[Candidate] = []
    for helper, proposal in found:
        member = members[helper.member_id]
        member.distance_km = proposal.distance_km  # type: ignore[attr-defined]
        candidates.append(
            Candidate(member=member, distance_km=proposal.distance_km, reasons=proposal.reasons)
        )
    return candidates


def engine_input_for_new(
    *,
    network: Network,
    ask_ids: Iterable[int] = (),
    helper_ids: Iterable[int] = (),
    now: datetime | None = None,
) -> EngineInput:
    """The engine's input for matching what is new without re-solving the network.

    New asks meet every helper; a new helper (someone who just made an offer) meets every
    ask still waiting with nobody proposed. Helpers' loads count matching's untouched
    proposals too: an incremental match keeps them and fills only the room that is left.
    """
    now = now or timezone.now()
    facts = _NetworkFacts(network)
    waiting = asks_to_match(network=network).exclude(
        pk__in=Match.objects.filter(network=network, status__in=ACTIVE_MATCH_STATUSES)
        .exclude(ask__isnull=True)
        .values("ask_id")
    )
    new_helpers = set(helper_ids)
    asks = waiting.filter(pk__in=list(ask_ids)) if not new_helpers else waiting
    ask_inputs, receiver_of = _ask_inputs(facts, asks, now)
    helpers = _helper_inputs(facts, helper_loads(network=network, now=now, with_untouched=True))
    if new_helpers:
        helpers = [helper for helper in helpers if helper.member_id in new_helpers]
    return EngineInput(
        asks=ask_inputs, helpers=helpers, rules=_rules(facts), receiver_of=receiver_of
    )
