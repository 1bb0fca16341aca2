"""Finding help in a network's directory: the members' search, and the services suggested for
an ask that members cannot meet. Reads only.

A search runs in two steps, each a fixed number of queries whatever the directory's size:

1. `Matches` narrows the network's services in SQL (words, taxonomy terms, languages,
   age). Searched by name alone, the database counts and pages them. Ordered by distance or
   kept if open now, it reads their ids in name order, then, only as asked, the coordinates
   of their places (those in a box around the distance asked for) and their schedules
   (each distinct schedule read once, then the services of those open), and pages in
   memory. It gives a page of matching
   services' ids in order, with their distances (`services_matching`: all of them).
2. `hits_for` reads what a page of results shows (organization, languages, cost, opening
   times, places with coordinates for the map) for those ids alone.

Measured at 10,000 services in bench/directory.py (see bench/RESULTS.md).

Languages follow BCP 47, case aside: asking "pt" finds every variety of Portuguese, asking
"pt-BR" finds Brazilian Portuguese and services that say only "pt" (see `_speaking`).

Categories. A network's categories (asks' "food", "food-groceries"...) and its directory's
taxonomy terms are kept apart: the directory comes from outside, in whatever taxonomy its
publisher used. `terms_for_category` maps one to the other the way a person would: a term
whose code or name is the category's short name or name (case aside), trying the category
itself first and then its parent, each term with the terms beneath it. A category no term
matches is searched by its name as words.
"""

import math
import re
import uuid
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from typing import Any, overload

from django.conf import settings
from django.db.models import Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.utils.text import slugify
from django.utils.translation import get_language_info
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
from sameboat.matching.geo import EARTH_RADIUS_KM, haversine_km
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


def language_tag(code: str) -> str:
    """A language code as the search compares it: BCP 47 is case-insensitive ("pt-BR" is
    "pt-br"), and some publishers write "pt_BR" for it."""
    return code.strip().replace("_", "-").lower()


def primary_subtag(code: str) -> str:
    """The language of a tag, without its script or region: "pt" for "pt-BR"."""
    return language_tag(code).split("-", 1)[0]


def _display_tag(tag: str) -> str:
    """A tag as BCP 47 writes it: "pt-BR", "zh-Hant", "es-419"."""
    parts = tag.split("-")
    shown = [parts[0]]
    for part in parts[1:]:
        if len(part) == 2 and part.isalpha():
            shown.append(part.upper())
        elif len(part) == 4 and part.isalpha():
            shown.append(part.title())
        else:
            shown.append(part)
    return "-".join(shown)


def _language_name(primary: str, names: Mapping[str, str]) -> str:
    """What to call a language, whatever variety: the directory's own name for the plain
    code, else Django's (translated) name for it, else a variety's name without its
    parenthesis ("Portuguese (Brazil)" gives "Portuguese"), else the code."""
    if names.get(primary):
        return names[primary]
    try:
        return str(get_language_info(primary)["name_translated"])
    except KeyError:
        pass
    for name in names.values():
        plain = name.split("(", 1)[0].strip()
        if plain:
            return plain
    return primary


LanguageChoices = list[tuple[str, "str | list[tuple[str, str]]"]]


WELL_FORMED_TAG = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{1,8})*$")


def language_choices(*, network: Network, asked: str = "") -> LanguageChoices:
    """The languages the directory's services and locations speak, by BCP 47 tag (in lower
    case), grouped by language: a language spoken in several varieties ("pt", "pt-BR",
    "pt-PT") is a group of its own, offering the language in any variety first.

    `asked`, a tag a search asks for (a link may name any), joins its language's group when
    the directory speaks that language in some variety: asking "pt-BR" of a directory that
    only says "pt" finds those services, as asking "pt" would."""
    rows = (
        Language.objects.filter(network=network)
        .filter(Q(service_id__isnull=False) | Q(location_id__isnull=False))
        .exclude(code="")
        .values_list("code", "name")
        .distinct()
    )
    varieties: dict[str, dict[str, str]] = defaultdict(dict)
    # A tag written several ways takes its name from the way BCP 47 writes it ("pt-BR"
    # before "pt_br"), else the first name by the alphabet: the same choices every time.
    for code, name in sorted(rows, key=lambda row: (language_tag(row[0]), "_" in row[0], row)):
        tag = language_tag(code)
        if tag:
            known = varieties[primary_subtag(tag)]
            if not known.get(tag):
                known[tag] = name.strip()
    asked = language_tag(asked)
    if WELL_FORMED_TAG.match(asked) and primary_subtag(asked) in varieties:
        varieties[primary_subtag(asked)].setdefault(asked, "")
    choices: list[tuple[str, str, str | list[tuple[str, str]]]] = []
    for primary, names in varieties.items():
        language = _language_name(primary, names)
        if len(names) == 1:
            ((tag, name),) = names.items()
            label = name or (language if tag == primary else _display_tag(tag))
            choices.append((label.casefold(), tag, label))
            continue
        group = [(primary, _("%(language)s, any variety") % {"language": language})]
        for tag, name in sorted(names.items()):
            if tag == primary:
                continue
            shown = _display_tag(tag)
            label = name if name and name != language else f"{language} ({shown})"
            group.append((tag, label))
        choices.append((language.casefold(), language, group))
    return [(value, label) for _key, value, label in sorted(choices, key=lambda c: c[0])]


def _speaking(codes: Iterable[str]) -> Q:
    """Languages (the rows) that answer a request for any of these codes, by BCP 47 primary
    subtag and case aside: "pt" is answered by "pt", "pt-BR" and "pt-PT"; "pt-BR" by "pt-BR"
    (and its own subtags, "pt-BR-x-..."), and by plain "pt", but not by "pt-PT"."""
    spoken = Q(pk__in=[])  # no code asked for: no language answers
    for code in codes:
        tag = language_tag(code)
        if not tag:
            continue
        primary = primary_subtag(tag)
        spoken |= Q(code__iexact=primary)
        # The stored codes may use either separator.
        for separator in ("-", "_"):
            if tag == primary:
                spoken |= Q(code__istartswith=primary + separator)
            else:
                written = tag.replace("-", separator)
                spoken |= Q(code__iexact=written) | Q(code__istartswith=written + separator)
    return spoken


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
        languages = Language.objects.filter(network=network).filter(_speaking(criteria.languages))
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


def _box(origin: Point, within_km: float) -> tuple[tuple[float, float], tuple[float, float]] | None:
    """Latitudes and longitudes (in degrees) of a box holding every point within `within_km`
    of the origin (J. P. Matuschek's bounds), or None when it would reach a pole or cross
    the antimeridian: then every place must be measured."""
    angle = within_km / EARTH_RADIUS_KM
    latitude = math.radians(origin.latitude)
    south, north = latitude - angle, latitude + angle
    if south <= -math.pi / 2 or north >= math.pi / 2:
        return None
    spread = math.sin(angle) / math.cos(latitude)
    if spread >= 1:
        return None
    east_west = math.degrees(math.asin(spread))
    west, east = origin.longitude - east_west, origin.longitude + east_west
    if west < -180 or east > 180:
        return None
    # A hair wider, so that rounding never leaves out a place on the circle itself.
    margin = 1e-9
    return (
        (math.degrees(south) - margin, math.degrees(north) + margin),
        (west - margin, east + margin),
    )


def _as_text(field: str) -> Cast:
    """A column read as the database writes it: comparing ids as text spares turning each of
    thousands of values into a Python UUID or date, which costs more than the query."""
    return Cast(field, output_field=TextField())


Link = tuple[str, str, str]  # a service at a location's id, its service's and its location's
# Up to this many services or places are read by their ids; more, by reading the network's
# rows and keeping theirs, cheaper than a subquery narrowing them in the database.
FEW = 1000


def _distances(
    network: Network, links: Sequence[Link], origin: Point, within_km: float | None
) -> dict[str, float]:
    """Each service's distance to its nearest location with coordinates (given the services'
    links to their locations), by id as text; with `within_km`, only the locations in a box
    around that circle are read and measured."""
    places = Location.objects.filter(
        network=network, latitude__isnull=False, longitude__isnull=False
    )
    # Many places: the directory's (in the box, when there is one), some for nothing.
    if len(links) <= FEW:
        places = places.filter(id__in={location_id for _l, _s, location_id in links})
    box = _box(origin, within_km) if within_km is not None else None
    if box is not None:
        places = places.filter(latitude__range=box[0], longitude__range=box[1])
    points: dict[str, float] = {}
    rows = places.annotate(text_id=_as_text("id")).values_list("text_id", "latitude", "longitude")
    for location_id, latitude, longitude in rows:
        if latitude is not None and longitude is not None:
            km = haversine_km(origin.latitude, origin.longitude, latitude, longitude)
            if within_km is None or km <= within_km:
                points[location_id] = km
    nearest: dict[str, float] = {}
    for _link, service_id, location_id in links:
        if location_id in points:
            km = points[location_id]
            if service_id not in nearest or km < nearest[service_id]:
                nearest[service_id] = km
    return nearest


def _schedules_of(network: Network, service_ids: Any) -> dict[uuid.UUID, list[Mapping[str, Any]]]:
    """Each service's schedules: its own, and those of its services at locations. (A
    location's own schedule is the building's hours, not the service's.)"""
    links = ServiceAtLocation.objects.filter(network=network, service_id__in=service_ids)
    at_locations = dict(links.values_list("id", "service_id"))
    # Two lookups by index, rather than one "or" that reads all the network's schedules.
    fields = ("service_id", "service_at_location_id", *SCHEDULE_FIELDS)
    schedules_of = Schedule.objects.filter(network=network)
    rows = (
        schedules_of.filter(service_id__in=service_ids)
        .values(*fields)
        .union(
            schedules_of.filter(service_at_location_id__in=list(at_locations)).values(*fields),
            all=True,
        )
    )
    found: dict[uuid.UUID, list[Mapping[str, Any]]] = defaultdict(list)
    for row in rows:
        owner = row["service_id"] or at_locations.get(row["service_at_location_id"])
        if owner is not None:
            found[owner].append(row)
    return found


# What "open now" reads of a schedule (its description says nothing of when).
OPEN_FIELDS = tuple(name for name in SCHEDULE_FIELDS if name != "description")


# Past this many distinct schedules open at once, "open now" reads every candidate schedule
# rather than asking for those alone (one condition per schedule: SQLite caps an
# expression's depth at 1,000).
MANY_OPEN = 50


def _open_now(
    network: Network, ids: Collection[str], links: Sequence[Link], *, at: datetime, zone: tzinfo
) -> set[str]:
    """Which of these services (ids as text) some schedule of theirs has open at `at`: their
    own schedules and those of their services at locations (`links`).

    A service is open when one of its schedules is (openings are merged only where they
    touch, which changes no moment's answer), so each distinct schedule is read once:
    directories repeat the same hours ("Monday to Friday, 9 to 5") for many services. One
    query reads the distinct schedules, a second whose they are among those open."""
    owners = {link_id: service_id for link_id, service_id, _location in links}
    candidates = Schedule.objects.filter(network=network)
    if len(ids) <= FEW:
        candidates = candidates.filter(
            Q(service_id__in=ids) | Q(service_at_location_id__in=list(owners))
        )
    open_rules: list[dict[str, Any]] = []
    for values in candidates.order_by().values_list(*OPEN_FIELDS).distinct():
        schedule = dict(zip(OPEN_FIELDS, values, strict=True))
        if schedules.is_open([schedule], at=at, zone=zone):
            open_rules.append(schedule)
    if not open_rules:
        return set()
    rows = candidates
    if len(open_rules) <= MANY_OPEN:
        matching = Q(pk__in=[])
        for schedule in open_rules:
            matching |= Q(
                **{
                    name if value is not None else f"{name}__isnull": value
                    if value is not None
                    else True
                    for name, value in schedule.items()
                }
            )
        rows = rows.filter(matching)
    else:
        # Too many to name: read them all and keep those of the open ones.
        keys = {tuple(schedule.values()) for schedule in open_rules}
        found: set[str] = set()
        every = rows.annotate(
            text_service=_as_text("service_id"), text_link=_as_text("service_at_location_id")
        ).values_list("text_service", "text_link", *OPEN_FIELDS)
        for service_id, link_id, *values in every:
            owner = service_id or owners.get(link_id)
            if owner is not None and owner in ids and tuple(values) in keys:
                found.add(owner)
        return found
    found = set()
    for service_id, link_id in rows.annotate(
        text_service=_as_text("service_id"), text_link=_as_text("service_at_location_id")
    ).values_list("text_service", "text_link"):
        owner = service_id or owners.get(link_id)
        if owner is not None and owner in ids:
            found.add(owner)
    return found


class Matches:
    """The services of a network's directory that meet all the criteria of a search, nearest
    first when the searcher's place is known (those without a known place last), else by
    name; read a page at a time (a Django Paginator takes it as its list).

    Without the searcher's place and without "open now", the database counts and pages
    them: two queries. Otherwise the filters narrow them in the database, then one query
    reads their ids in name order, one their links to locations, and, as asked, one the
    locations (only those in a box around the distance asked for, when one is) and two the
    schedules (the distinct ones, then whose are open): distances are measured and
    schedules read only for the services those filters leave. Links, places and schedules
    are looked up by id for up to FEW services; for more, the network's rows are read and
    theirs kept, which costs less than asking the database to narrow them by a subquery.
    Ids are read as text, not as UUIDs. A fixed number of queries, whatever the
    directory's size (one less when nothing is open)."""

    def __init__(
        self,
        *,
        network: Network,
        criteria: Criteria,
        origin: Point | None,
        at: datetime,
        zone: tzinfo,
    ) -> None:
        self.network = network
        self.criteria = criteria
        self.origin = origin
        self.at = at
        self.zone = zone
        services = _filtered(network=network, criteria=criteria)
        if criteria.open_now:
            services = services.filter(status=ServiceStatus.ACTIVE)
        self.services = services
        self._count: int | None = None
        self._all: list[tuple[str, float | None]] | None = None

    @property
    def paged_in_database(self) -> bool:
        return self.origin is None and not self.criteria.open_now

    def count(self) -> int:
        if self._all is not None:
            return len(self._all)
        if self.paged_in_database:
            if self._count is None:
                self._count = self.services.count()
            return self._count
        return len(self._read())

    def __len__(self) -> int:
        return self.count()

    @overload
    def __getitem__(self, index: int) -> Found: ...

    @overload
    def __getitem__(self, index: slice) -> list[Found]: ...

    def __getitem__(self, index: int | slice) -> Found | list[Found]:
        if isinstance(index, int):
            found = self[index : index + 1 or None]
            if not found:
                raise IndexError(index)
            return found[0]
        if self._all is None and self.paged_in_database:
            uses_count = any(bound is not None and bound < 0 for bound in (index.start, index.stop))
            if index.step in (None, 1) and not uses_count:
                ids = self.services.order_by("name", "id").values_list("id", flat=True)[index]
                return [Found(id=service_id, distance_km=None) for service_id in ids]
        return [
            Found(id=uuid.UUID(service_id), distance_km=km)
            for service_id, km in self._read()[index]
        ]

    def __iter__(self) -> Iterator[Found]:
        return iter(self[:])

    def all(self) -> list[Found]:
        return self[:]

    def _read(self) -> list[tuple[str, float | None]]:
        """Every match, in order: (id as text, distance). Read once."""
        if self._all is None:
            self._all = self._matches()
        return self._all

    def _matches(self) -> list[tuple[str, float | None]]:
        network, criteria, origin = self.network, self.criteria, self.origin
        service_ids = self.services.values("id")
        ids: list[str] = list(
            self.services.order_by("name", "id")
            .annotate(text_id=_as_text("id"))
            .values_list("text_id", flat=True)
        )
        if not ids or self.paged_in_database:
            return [(service_id, None) for service_id in ids]
        candidates = set(ids)
        at_locations = ServiceAtLocation.objects.filter(network=network)
        if len(ids) <= FEW:
            at_locations = at_locations.filter(service_id__in=service_ids)
        links: list[Link] = [
            link
            for link in at_locations.annotate(
                text_id=_as_text("id"),
                text_service=_as_text("service_id"),
                text_location=_as_text("location_id"),
            ).values_list("text_id", "text_service", "text_location")
            if link[1] in candidates
        ]
        distances: dict[str, float] = {}
        if origin is not None:
            distances = _distances(network, links, origin, criteria.within_km)
            if criteria.within_km is not None:
                ids = [service_id for service_id in ids if service_id in distances]
        if criteria.open_now and ids:
            open_ids = _open_now(network, set(ids), links, at=self.at, zone=self.zone)
            ids = [service_id for service_id in ids if service_id in open_ids]
        found = [(service_id, distances.get(service_id)) for service_id in ids]
        if origin is not None:
            # Stable: equal distances keep the name order.
            found.sort(key=lambda item: (item[1] is None, item[1] or 0.0))
        return found


def services_matching(
    *,
    network: Network,
    criteria: Criteria,
    origin: Point | None,
    at: datetime,
    zone: tzinfo,
) -> list[Found]:
    """Every service of the network's directory that meets all the criteria, in the order of
    `Matches` (a page of them: `Matches(...)[start:end]`)."""
    return Matches(network=network, criteria=criteria, origin=origin, at=at, zone=zone).all()


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
    spoken = Language.objects.filter(network=network)
    for language in spoken.filter(service_id__in=ids).union(
        spoken.filter(location_id__in=list(locations)), all=True
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
    found = Matches(network=network, criteria=criteria, origin=origin, at=at, zone=zone)
    return hits_for(network=network, found=found[:SUGGESTION_COUNT], at=at, zone=zone)
