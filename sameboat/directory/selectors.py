"""Reads of the directory, as HSDS documents (see `exporting.py`)."""

import math
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from django.db.models import Avg, ExpressionWrapper, FloatField, Q, QuerySet, TextField, Value
from django.db.models.functions import ASin, Cos, Least, Power, Radians, Replace, Sin, Sqrt, Upper

from sameboat.directory import exporting
from sameboat.directory.models import (
    MODELS,
    Address,
    Attribute,
    Directory,
    ImportRun,
    Location,
    Organization,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from sameboat.directory.tables import DOCUMENTS, TABLES, Shape, brief
from sameboat.networks.models import Network


def directory_published(*, network: Network) -> bool:
    return Directory.objects.filter(network=network, published=True).exists()


def hsds_documents(
    *, network: Network, kind: str, ids: list[uuid.UUID] | None = None
) -> Iterator[dict[str, Any]]:
    """The network's documents of a kind (`tables.DOCUMENTS`: "service", "organization",
    "service_list"...), in name order, built a batch at a time."""
    return exporting.documents(network, kind, ids=ids)


def hsds_page(
    *, network: Network, kind: str, page_number: int = 1, per_page: int = 0
) -> dict[str, Any]:
    """A page of the HSDS API's paginated list of a list form (per_page 0: all on one)."""
    return exporting.list_page(network, kind, page_number=page_number, per_page=per_page)


# --- The HSDS read API: filtered pages and single documents ---------------------------------

EARTH_RADIUS_M = 6_371_000.0


class UnknownPostcode(ValueError):
    """A distance was asked from a postcode none of the directory's locations has, so it has
    no centre to measure from."""


@dataclass(frozen=True)
class HsdsFilters:
    """The HSDS API's filters, already checked; each one given narrows the answer (AND)."""

    words: tuple[str, ...] = ()
    taxonomy_term_id: uuid.UUID | None = None
    taxonomy_id: uuid.UUID | None = None
    organization_id: uuid.UUID | None = None
    modified_after: datetime | None = None
    postcode: str = ""
    proximity: float | None = None  # metres from the postcode's centre
    parent_id: uuid.UUID | None = None
    top_only: bool = False


def _words(words: tuple[str, ...], fields: tuple[str, ...]) -> Q:
    """Every word in at least one of the fields."""
    wanted = Q()
    for word in words:
        anywhere = Q()
        for field in fields:
            anywhere |= Q(**{f"{field}__icontains": word})
        wanted &= anywhere
    return wanted


def _postcode_key(text: str) -> str:
    # "r2v 1a1" and "R2V1A1" are the same postcode.
    return "".join(text.split()).upper()


def _addresses_at(network: Network, postcode: str) -> QuerySet[Address]:
    normalized = Replace(
        Upper("postal_code"),
        Value(" ", output_field=TextField()),
        Value("", output_field=TextField()),
    )
    return (
        Address.objects.filter(network=network, location_id__isnull=False)
        .annotate(postcode_key=normalized)
        .filter(postcode_key=_postcode_key(postcode))
    )


def _postcode_centre(network: Network, postcode: str) -> tuple[float, float]:
    """The centroid of the directory's located places at the postcode (no outside lookup:
    the directory itself is the gazetteer)."""
    centre = Location.objects.filter(
        network=network,
        id__in=_addresses_at(network, postcode).values("location_id"),
        latitude__isnull=False,
        longitude__isnull=False,
    ).aggregate(latitude=Avg("latitude"), longitude=Avg("longitude"))
    if centre["latitude"] is None or centre["longitude"] is None:
        raise UnknownPostcode(postcode)
    return float(centre["latitude"]), float(centre["longitude"])


def _locations_near(
    network: Network, centre: tuple[float, float], metres: float
) -> QuerySet[Location]:
    """Locations within `metres` of `centre` (haversine, computed by the database)."""
    latitude = math.radians(centre[0])
    longitude = math.radians(centre[1])
    lat = Radians("latitude")
    half_dlat = (lat - Value(latitude)) / Value(2.0)
    half_dlon = (Radians("longitude") - Value(longitude)) / Value(2.0)
    a = Power(Sin(half_dlat), Value(2.0)) + Value(math.cos(latitude)) * Cos(lat) * Power(
        Sin(half_dlon), Value(2.0)
    )
    distance = ExpressionWrapper(
        Value(2.0 * EARTH_RADIUS_M) * ASin(Least(Sqrt(a), Value(1.0))),
        output_field=FloatField(),
    )
    return (
        Location.objects.filter(network=network, latitude__isnull=False, longitude__isnull=False)
        .annotate(distance=distance)
        .filter(distance__lte=metres)
    )


def _places(network: Network, filters: HsdsFilters) -> QuerySet[ServiceAtLocation]:
    """Services at locations, narrowed by postcode and distance."""
    query = ServiceAtLocation.objects.filter(network=network)
    if filters.proximity is not None:
        centre = _postcode_centre(network, filters.postcode)
        query = query.filter(
            location_id__in=_locations_near(network, centre, filters.proximity).values("id")
        )
    elif filters.postcode:
        query = query.filter(
            location_id__in=_addresses_at(network, filters.postcode).values("location_id")
        )
    return query


def _services(network: Network, filters: HsdsFilters) -> QuerySet[Service]:
    query = Service.objects.filter(network=network)
    if filters.words:
        query = query.filter(_words(filters.words, ("name", "alternate_name", "description")))
    if filters.organization_id is not None:
        query = query.filter(organization_id=filters.organization_id)
    if filters.modified_after is not None:
        query = query.filter(last_modified__gte=filters.modified_after)
    attributes = Attribute.objects.filter(network=network, link_entity="service")
    if filters.taxonomy_term_id is not None:
        tagged = attributes.filter(taxonomy_term_id=filters.taxonomy_term_id)
        query = query.filter(id__in=tagged.values("link_id"))
    if filters.taxonomy_id is not None:
        terms = TaxonomyTerm.objects.filter(network=network, taxonomy_id=filters.taxonomy_id)
        tagged = attributes.filter(taxonomy_term_id__in=terms.values("id"))
        query = query.filter(id__in=tagged.values("link_id"))
    if filters.postcode or filters.proximity is not None:
        query = query.filter(id__in=_places(network, filters).values("service_id"))
    return query


def _service_at_locations(network: Network, filters: HsdsFilters) -> QuerySet[ServiceAtLocation]:
    """A service at a location is found by its service (words, terms, organization, date) and
    by its location (postcode, distance); its own description is searched too."""
    query = _places(network, filters)
    service_filters = replace(filters, words=(), postcode="", proximity=None)
    if service_filters != HsdsFilters():
        query = query.filter(service_id__in=_services(network, service_filters).values("id"))
    for word in filters.words:
        services = Service.objects.filter(network=network).filter(
            _words((word,), ("name", "alternate_name", "description"))
        )
        locations = Location.objects.filter(network=network).filter(
            _words((word,), ("name", "alternate_name", "description"))
        )
        query = query.filter(
            Q(description__icontains=word)
            | Q(service_id__in=services.values("id"))
            | Q(location_id__in=locations.values("id"))
        )
    return query


def _organizations(network: Network, filters: HsdsFilters) -> QuerySet[Organization]:
    query = Organization.objects.filter(network=network)
    return query.filter(_words(filters.words, ("name", "alternate_name", "description")))


def _taxonomies(network: Network, filters: HsdsFilters) -> QuerySet[Taxonomy]:
    query = Taxonomy.objects.filter(network=network)
    return query.filter(_words(filters.words, ("name", "description")))


def _taxonomy_terms(network: Network, filters: HsdsFilters) -> QuerySet[TaxonomyTerm]:
    query = TaxonomyTerm.objects.filter(network=network)
    query = query.filter(_words(filters.words, ("name", "description", "code")))
    if filters.taxonomy_id is not None:
        query = query.filter(taxonomy_id=filters.taxonomy_id)
    if filters.parent_id is not None:
        query = query.filter(parent_id=filters.parent_id)
    if filters.top_only:
        query = query.filter(parent_id__isnull=True)
    return query


# Each table the API lists: how its filters apply.
_FILTERED: dict[str, Callable[[Network, HsdsFilters], QuerySet[Any]]] = {
    "service": _services,
    "organization": _organizations,
    "service_at_location": _service_at_locations,
    "taxonomy": _taxonomies,
    "taxonomy_term": _taxonomy_terms,
}


def organization_shape(*, full_services: bool) -> Shape:
    """A fully nested organization whose services are whole (`full_services`) or only their
    own fields, as the HSDS API's /organizations/{id} gives them without `full_service`."""
    shape = DOCUMENTS["organization"][0]
    if full_services:
        return shape
    many = tuple(
        (relation, brief("service") if relation.prop == "services" else inner)
        for relation, inner in shape.many
    )
    return replace(shape, many=many)


def _ordered(query: QuerySet[Any], table: str) -> QuerySet[Any]:
    # The exporter's order: by name (then id) where the table has names.
    return query.order_by(*(("name", "id") if "name" in TABLES[table].column_names else ("id",)))


def hsds_api_page(
    *,
    network: Network,
    shape: Shape,
    filters: HsdsFilters,
    page_number: int,
    per_page: int,
    minimal: bool = False,
) -> dict[str, Any]:
    """A page of the HSDS API: the network's records of `shape`'s table that pass every
    filter, each shaped (or, `minimal`, only its id and when it last changed). Raises
    UnknownPostcode for a distance from a postcode the directory does not know."""
    table = shape.table
    query = _ordered(_FILTERED[table](network, filters), table)
    total = query.count()
    start = (page_number - 1) * per_page
    items: list[dict[str, Any]] = []
    if start < total:  # a page past the end is empty: no need to ask
        if minimal:
            found = query[start : start + per_page].values("id", "last_modified")
            items = [
                {key: exporting.value(stored) for key, stored in row.items() if stored is not None}
                for row in found
            ]
        else:
            rows = list(query[start : start + per_page].values(*TABLES[table].column_names))
            items = exporting.build(network, shape, rows)
    return exporting.page(items, total_items=total, page_number=page_number, per_page=per_page)


def hsds_api_document(*, network: Network, shape: Shape, id: uuid.UUID) -> dict[str, Any] | None:
    """One record of the network's directory as the HSDS API gives it, or None."""
    model = MODELS[shape.table]
    rows = list(
        model.objects.filter(network=network, id=id).values(*TABLES[shape.table].column_names)
    )
    built = exporting.build(network, shape, rows)
    return built[0] if built else None


# Import runs (tasks.py) ---------------------------------------------------------------------

RECENT_IMPORT_RUNS = 20


def import_runs_recent(*, network: Network, limit: int = RECENT_IMPORT_RUNS) -> list[ImportRun]:
    """The network's latest import runs, newest first, with who started them (not their
    uploads or reports)."""
    return list(
        ImportRun.objects.filter(network=network)
        .select_related("started_by")
        .defer("upload", "problems", "warnings")
        .order_by("-started_at", "-pk")[:limit]
    )


def import_run_of(*, network: Network, run_id: uuid.UUID) -> ImportRun | None:
    """One of the network's import runs (another network's is none of its business)."""
    return (
        ImportRun.objects.filter(network=network, pk=run_id)
        .select_related("started_by")
        .defer("upload")
        .first()
    )
