"""Finding help in a network's directory: the members' search, and the services suggested for
an ask that members cannot meet. Reads only.

A search runs in two steps, each a fixed number of queries whatever the directory's size:

1. `services_matching` narrows the network's services in SQL (words, taxonomy terms,
   languages, age), then, only when asked for, reads the coordinates of their locations (to
   filter and order by distance) and their schedules (to keep those open now). It gives
   every matching service's id in order, with its distance.
2. `hits_for` reads what a page of results shows (organization, languages, cost, opening
   times, places with coordinates for the map) for those ids alone.

Categories. A network's categories (asks' "food", "food-groceries"...) and its directory's
taxonomy terms are kept apart: the directory comes from outside, in whatever taxonomy its
publisher used. `terms_for_category` maps one to the other the way a person would: a term
whose code or name is the category's short name or name (case aside), trying the category
itself first and then its parent, each term with the terms beneath it. A category no term
matches is searched by its name as words.
"""

import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils.text import slugify
from django.utils.translation import gettext as _

from sameboat.aid.models import Ask, Match, MatchStatus, PostStatus
from sameboat.directory import schedules
from sameboat.directory.models import (
    Attribute,
    CostOption,
    Language,
    Location,
    Organization,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceStatus,
    TaxonomyTerm,
)
from sameboat.matching.geo import haversine_km
from sameboat.matching.models import RunUnmatched
from sameboat.networks.models import Category, Member, Network, ServiceArea

# A member looking for help finds services that run now or will again soon; those retired
# (inactive, defunct) are left out.
SEARCHED_STATUSES = (ServiceStatus.ACTIVE, ServiceStatus.TEMPORARILY_CLOSED)

# The schedule fields `schedules` reads.
SCHEDULE_FIELDS = (
    "freq",
    "interval",
    "byday",
    "bymonthday",
    "byweekno",
    "byyearday",
    "wkst",
    "dtstart",
    "until",
    "count",
    "valid_from",
    "valid_to",
    "opens_at",
    "closes_at",
    "timezone",
    "description",
)

# Suggestions for an ask: the nearest few within this distance of where the ask is.
SUGGESTION_RADIUS_KM = 25.0
SUGGESTION_COUNT = 5


@dataclass(frozen=True, slots=True)
class Point:
    latitude: float
    longitude: float


@dataclass(frozen=True, slots=True)
class Criteria:
    """What a search asks for; every criterion given must hold (AND). Within one criterion,
    any of several terms or languages will do."""

    words: tuple[str, ...] = ()
    term_ids: frozenset[uuid.UUID] = frozenset()
    languages: frozenset[str] = frozenset()
    within_km: float | None = None
    open_now: bool = False
    age: int | None = None


@dataclass(frozen=True, slots=True)
class Found:
    """A matching service's id and its distance from the searcher (None: unknown)."""

    id: uuid.UUID
    distance_km: float | None


@dataclass(frozen=True, slots=True)
class Place:
    name: str
    latitude: float
    longitude: float


@dataclass(slots=True)
class Hit:
    """A service as a result shows it."""

    service: Service
    organization: str
    distance_km: float | None
    open_now: bool
    open_until: datetime | None
    next_opening: datetime | None
    languages: list[str]
    cost: str
    places: list[Place] = field(default_factory=list)

    @property
    def temporarily_closed(self) -> bool:
        return self.service.status == ServiceStatus.TEMPORARILY_CLOSED


# Where the searcher is


def _point(latitude: Any, longitude: Any) -> Point | None:
    if latitude is None or longitude is None:
        return None
    return Point(float(latitude), float(longitude))


def area_point(area: ServiceArea | None) -> Point | None:
    return None if area is None else _point(area.latitude, area.longitude)


def member_point(member: Member) -> Point | None:
    """Where a member is, as matching places them: their coarse point, or else their
    service area's centre (never anything finer than the member gave)."""
    return _point(member.latitude, member.longitude) or area_point(member.service_area)


# Choices for the search form


def term_choices(*, network: Network) -> list[tuple[str, str]]:
    """The directory's taxonomy terms as a tree, parents before children, children indented."""
    terms = list(
        TaxonomyTerm.objects.filter(network=network).values_list("id", "name", "parent_id")
    )
    known = {term_id for term_id, _name, _parent in terms}
    children: dict[uuid.UUID | None, list[tuple[uuid.UUID, str]]] = defaultdict(list)
    for term_id, name, parent_id in terms:
        # A parent from another directory (HSDS allows it) leaves its child at the top.
        children[parent_id if parent_id in known else None].append((term_id, name))
    choices: list[tuple[str, str]] = []

    def add(parent: uuid.UUID | None, depth: int) -> None:
        for term_id, name in sorted(children[parent], key=lambda item: item[1].casefold()):
            choices.append((str(term_id), "\u2003" * depth + name))
            if depth < 10:  # a cycle in imported data must not loop forever
                add(term_id, depth + 1)

    add(None, 0)
    return choices


def language_choices(*, network: Network) -> list[tuple[str, str]]:
    """The languages the directory's services and locations speak, by code."""
    rows = (
        Language.objects.filter(network=network)
        .filter(Q(service_id__isnull=False) | Q(location_id__isnull=False))
        .exclude(code="")
        .values_list("code", "name")
        .distinct()
    )
    names: dict[str, str] = {}
    for code, name in rows:
        names.setdefault(code.lower(), name or code)
    return sorted(names.items(), key=lambda item: item[1].casefold())


# Taxonomy terms


def _terms(network: Network) -> list[tuple[uuid.UUID, str, str, uuid.UUID | None]]:
    return list(
        TaxonomyTerm.objects.filter(network=network).values_list("id", "code", "name", "parent_id")
    )


def _with_descendants(
    roots: Iterable[uuid.UUID], terms: Sequence[tuple[uuid.UUID, str, str, uuid.UUID | None]]
) -> frozenset[uuid.UUID]:
    children: dict[uuid.UUID | None, list[uuid.UUID]] = defaultdict(list)
    for term_id, _code, _name, parent_id in terms:
        children[parent_id].append(term_id)
    found: set[uuid.UUID] = set()
    todo = list(roots)
    while todo:
        term_id = todo.pop()
        if term_id not in found:
            found.add(term_id)
            todo.extend(children[term_id])
    return frozenset(found)


def terms_beneath(*, network: Network, term_id: uuid.UUID) -> frozenset[uuid.UUID]:
    """A term and every term beneath it: searching for "Food" finds the food pantries."""
    return _with_descendants([term_id], _terms(network))


def terms_for_category(*, network: Network, category: Category) -> frozenset[uuid.UUID]:
    """The directory's terms for one of the network's categories (see the module's doc),
    or an empty set when none fits. `category.parent` should be selected with it."""
    terms = _terms(network)
    by_key: dict[str, list[uuid.UUID]] = defaultdict(list)
    for term_id, code, name, _parent in terms:
        for key in {code.casefold(), name.casefold(), slugify(name)}:
            if key:
                by_key[key].append(term_id)
    level: Category | None = category
    while level is not None:
        keys = {level.slug.casefold(), level.name.casefold(), slugify(level.name)}
        roots = [term_id for key in keys for term_id in by_key.get(key, [])]
        if roots:
            return _with_descendants(roots, terms)
        level = level.parent
    return frozenset()


# Step 1: which services match, in order


def _filtered(*, network: Network, criteria: Criteria) -> QuerySet[Service]:
    services = Service.objects.filter(network=network, status__in=SEARCHED_STATUSES)
    for word in criteria.words:
        organizations = Organization.objects.filter(network=network).filter(
            Q(name__icontains=word) | Q(alternate_name__icontains=word)
        )
        services = services.filter(
            Q(name__icontains=word)
            | Q(alternate_name__icontains=word)
            | Q(description__icontains=word)
            | Q(organization_id__in=organizations.values("id"))
        )
    if criteria.term_ids:
        attributes = Attribute.objects.filter(
            network=network, link_entity="service", taxonomy_term_id__in=criteria.term_ids
        )
        services = services.filter(id__in=attributes.values("link_id"))
    if criteria.languages:
        spoken = Q()
        for code in criteria.languages:
            spoken |= Q(code__iexact=code)
        languages = Language.objects.filter(network=network).filter(spoken)
        # A service speaks a language itself, or at a location where it is given.
        at_locations = ServiceAtLocation.objects.filter(
            network=network,
            location_id__in=languages.filter(location_id__isnull=False).values("location_id"),
        )
        services = services.filter(
            Q(id__in=languages.filter(service_id__isnull=False).values("service_id"))
            | Q(id__in=at_locations.values("service_id"))
        )
    if criteria.age is not None:
        services = services.filter(
            Q(minimum_age__isnull=True) | Q(minimum_age__lte=criteria.age),
            Q(maximum_age__isnull=True) | Q(maximum_age__gte=criteria.age),
        )
    return services


def _distances(
    network: Network, services: QuerySet[Service], origin: Point
) -> dict[uuid.UUID, float]:
    """Each service's distance to its nearest location with coordinates."""
    at_locations = ServiceAtLocation.objects.filter(
        network=network, service_id__in=services.values("id")
    )
    links = list(at_locations.values_list("service_id", "location_id"))
    points: dict[uuid.UUID, tuple[float, float]] = {}
    for location_id, latitude, longitude in Location.objects.filter(
        network=network,
        id__in=at_locations.values("location_id"),
        latitude__isnull=False,
        longitude__isnull=False,
    ).values_list("id", "latitude", "longitude"):
        if latitude is not None and longitude is not None:
            points[location_id] = (latitude, longitude)
    nearest: dict[uuid.UUID, float] = {}
    for service_id, location_id in links:
        if location_id in points:
            latitude, longitude = points[location_id]
            km = haversine_km(origin.latitude, origin.longitude, latitude, longitude)
            if service_id not in nearest or km < nearest[service_id]:
                nearest[service_id] = km
    return nearest


def _schedules_of(network: Network, service_ids: Any) -> dict[uuid.UUID, list[Mapping[str, Any]]]:
    """Each service's schedules: its own, and those of its services at locations. (A
    location's own schedule is the building's hours, not the service's.)"""
    links = ServiceAtLocation.objects.filter(network=network, service_id__in=service_ids)
    at_locations = dict(links.values_list("id", "service_id"))
    rows = Schedule.objects.filter(network=network).filter(
        Q(service_id__in=service_ids) | Q(service_at_location_id__in=links.values("id"))
    )
    found: dict[uuid.UUID, list[Mapping[str, Any]]] = defaultdict(list)
    for row in rows.values("service_id", "service_at_location_id", *SCHEDULE_FIELDS):
        owner = row["service_id"] or at_locations.get(row["service_at_location_id"])
        if owner is not None:
            found[owner].append(row)
    return found


def services_matching(
    *,
    network: Network,
    criteria: Criteria,
    origin: Point | None,
    at: datetime,
    zone: tzinfo,
) -> list[Found]:
    """Every service of the network's directory that meets all the criteria, nearest first
    when the searcher's place is known (those without a known place last), else by name."""
    services = _filtered(network=network, criteria=criteria)
    rows = list(services.order_by("name", "id").values_list("id", "status"))
    distances = _distances(network, services, origin) if origin is not None else {}
    if criteria.within_km is not None:
        limit = criteria.within_km
        rows = [row for row in rows if distances.get(row[0], limit + 1) <= limit]
    if criteria.open_now:
        timetable = _schedules_of(network, services.values("id"))
        rows = [
            (service_id, status)
            for service_id, status in rows
            if status == ServiceStatus.ACTIVE
            and schedules.is_open(timetable.get(service_id, []), at=at, zone=zone)
        ]
    found = [Found(id=service_id, distance_km=distances.get(service_id)) for service_id, _ in rows]
    if origin is not None:
        # Stable: equal distances keep the name order.
        found.sort(key=lambda item: (item.distance_km is None, item.distance_km or 0.0))
    return found


# Step 2: what a page of results shows


def _cost(service: Service, options: list[CostOption]) -> str:
    amounts = [option for option in options if option.amount is not None]
    if options and amounts and all(option.amount == 0 for option in amounts):
        return _("Free")
    if amounts:
        cheapest = min(amounts, key=lambda option: option.amount or 0.0)
        amount = f"{cheapest.amount or 0.0:.2f}".removesuffix(".00")
        text = f"{amount} {cheapest.currency}".strip()
        if cheapest.amount_description:
            text = f"{text} ({cheapest.amount_description})"
        if len(amounts) > 1:
            return _("From %(cost)s") % {"cost": text}
        return text
    description = service.fees_description or service.fees
    if len(description) > 80:
        description = description[:79].rstrip() + "\u2026"
    return description


def hits_for(*, network: Network, found: Sequence[Found], at: datetime, zone: tzinfo) -> list[Hit]:
    """The results for these services, in the same order."""
    ids = [item.id for item in found]
    services = {s.id: s for s in Service.objects.filter(network=network, id__in=ids)}
    organizations = dict(
        Organization.objects.filter(
            network=network, id__in={s.organization_id for s in services.values()}
        ).values_list("id", "name")
    )
    links = list(
        ServiceAtLocation.objects.filter(network=network, service_id__in=ids).values_list(
            "service_id", "location_id"
        )
    )
    locations = {
        location.id: location
        for location in Location.objects.filter(
            network=network, id__in={location_id for _s, location_id in links}
        )
    }
    languages: dict[uuid.UUID, list[str]] = defaultdict(list)
    by_location: dict[uuid.UUID, list[str]] = defaultdict(list)
    for language in Language.objects.filter(network=network).filter(
        Q(service_id__in=ids) | Q(location_id__in=list(locations))
    ):
        name = language.name or language.code
        if language.service_id is not None:
            languages[language.service_id].append(name)
        elif language.location_id is not None:
            by_location[language.location_id].append(name)
    costs: dict[uuid.UUID, list[CostOption]] = defaultdict(list)
    for option in CostOption.objects.filter(network=network, service_id__in=ids):
        costs[option.service_id].append(option)
    timetable = _schedules_of(network, ids)
    places: dict[uuid.UUID, list[Place]] = defaultdict(list)
    spoken_at: dict[uuid.UUID, list[str]] = defaultdict(list)
    for service_id, location_id in links:
        location = locations.get(location_id)
        if location is None:
            continue
        spoken_at[service_id].extend(by_location[location_id])
        if location.latitude is not None and location.longitude is not None:
            places[service_id].append(
                Place(location.name or "", location.latitude, location.longitude)
            )
    hits = []
    for item in found:
        service = services.get(item.id)
        if service is None:
            continue
        rules = timetable.get(service.id, [])
        active = service.status == ServiceStatus.ACTIVE
        current = schedules.openings(rules, start=at, end=at + timedelta(seconds=1), zone=zone)
        open_now = active and bool(current) and current[0].opens <= at
        upcoming = None
        if active and not open_now:
            opening = schedules.next_opening(rules, after=at, zone=zone)
            upcoming = opening.opens if opening is not None else None
        hits.append(
            Hit(
                service=service,
                organization=organizations.get(service.organization_id, ""),
                distance_km=item.distance_km,
                open_now=open_now,
                open_until=current[0].closes if open_now else None,
                next_opening=upcoming,
                languages=list(dict.fromkeys(languages[service.id] + spoken_at[service.id])),
                cost=_cost(service, costs[service.id]),
                places=places[service.id],
            )
        )
    return hits


# Suggestions for an ask members cannot meet


def ask_needs_services(*, ask: Ask, now: datetime) -> bool:
    """An open ask nobody has taken on: it has waited longer than a match reminder allows,
    or the latest matching run left it unmatched."""
    if ask.status != PostStatus.OPEN:
        return False
    if Match.objects.filter(
        ask=ask, status__in=(MatchStatus.ACCEPTED, MatchStatus.COMPLETED)
    ).exists():
        return False
    waited = ask.created_at < now - timedelta(days=settings.MATCH_REMINDER_AFTER_DAYS)
    return waited or RunUnmatched.objects.filter(ask=ask).exists()


def services_suggested(*, network: Network, ask: Ask, at: datetime, zone: tzinfo) -> list[Hit]:
    """The directory's services that fit an ask: its category (see the module's doc), one
    of its languages if it names any, and near where it is, nearest first. The ask comes
    with its category's parent, its area, its author's area and its languages loaded."""
    term_ids = terms_for_category(network=network, category=ask.category)
    origin = area_point(ask.area) or member_point(ask.member)
    criteria = Criteria(
        words=() if term_ids else (ask.category.name,),
        term_ids=term_ids,
        languages=frozenset(language.code for language in ask.languages.all()),
        within_km=SUGGESTION_RADIUS_KM if origin is not None else None,
    )
    found = services_matching(network=network, criteria=criteria, origin=origin, at=at, zone=zone)
    return hits_for(network=network, found=found[:SUGGESTION_COUNT], at=at, zone=zone)
