"""The HSDS read API of a network's directory, at /api/hsds/<network>/: the Open Referral
HSDS 3.0 API reference (`hsds/schema/openapi.json`), its paths, parameters, paginated lists
and documents.

Who may read it is asked of `sameboat.policy` once per request: a published directory is
open to anyone; an unpublished one to the network's active members (by session or API
token), and it is a 404 to anyone else, like a network that does not exist.

The parameters are those the reference gives each path; every filter given narrows the
answer (AND). A parameter the path does not take, or a value that cannot be read, is a 400
that says which and why: silently ignoring a filter would answer a question nobody asked.
Where the reference leaves a choice to the publisher:
- `per_page` is 1 to 100 (50 when not given); a page past the last is an empty page;
- `search` finds records holding every word given, in their names or descriptions;
- `postcode` alone finds services at a location with an address in that postcode; with
  `proximity` (metres), those within that distance of the postcode's centre, which is the
  centroid of the directory's own places there (no outside lookup). The reference gives
  these two to /service_at_locations; /services takes them too (a service is found by its
  places). Service areas are not consulted: a postcode has no shape here to test against;
- `minimal` gives each service's `id` and `last_modified` (HSDS's own field for it);
- `top_only` gives the taxonomy terms with no parent;
- `format` may only be `json` (ndjson streaming is not offered);
- /service_at_locations/{id} gives the full service at a location, valid against
  compiled/service_at_location.json: the reference names compiled/service.json there, which
  no service at a location can satisfy (it requires a service's name and status).
The OpenAPI document describes these views, so they are left out of our own API schema.
"""

import math
import unicodedata
import uuid
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, time
from typing import Any, ClassVar

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, permissions
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import BaseParser
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sameboat import policy
from sameboat.directory import selectors
from sameboat.directory.selectors import HsdsFilters, UnknownPostcode
from sameboat.directory.tables import DOCUMENTS, SCHEMA_BASE_URI, Shape
from sameboat.networks.api import authenticate_header
from sameboat.networks.models import Member, Network

HSDS_VERSION = "3.0"
PROFILE_URL = "https://docs.openreferral.org/en/latest/hsds/"
OPENAPI_URL = SCHEMA_BASE_URI + "openapi.json"

PER_PAGE_DEFAULT = 50
PER_PAGE_MAX = 100
PAGE_MAX = 1_000_000  # far past any directory, and within what the database can skip
SEARCH_MAX = 200
WORDS_MAX = 20
POSTCODE_MAX = 20
PROXIMITY_MAX = 1_000_000.0  # metres: a thousand kilometres

PAGING = ("page", "per_page", "format")


class JsonOnly(BaseContentNegotiation):
    """Always JSON. HSDS's own `format` parameter would otherwise be taken by DRF for its
    renderer override, and `format=ndjson` would answer 404 instead of our 400."""

    def select_parser(self, request: Request, parsers: Iterable[BaseParser]) -> BaseParser | None:
        return next(iter(parsers), None)

    def select_renderer(
        self, request: Request, renderers: Iterable[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        renderer = next(iter(renderers))
        return renderer, renderer.media_type


def hsds_network(request: Request, slug: str) -> Network:
    """The network whose directory the caller may read, or 404 (policy decides)."""
    network = Network.objects.filter(slug=slug).first()
    if network is None:
        raise exceptions.NotFound
    member = None
    if request.user.is_authenticated:
        member = Member.objects.filter(network=network, user_id=request.user.pk).first()
    published = selectors.directory_published(network=network)
    if not policy.can_read_hsds_api(member, published=published):
        raise exceptions.NotFound
    return network


# --- reading the parameters -----------------------------------------------------------------


def _invalid(name: str, message: str) -> exceptions.ValidationError:
    return exceptions.ValidationError({name: [message]})


def _integer(params: Any, name: str, default: int, low: int, high: int) -> int:
    text = params.get(name)
    if text is None:
        return default
    try:
        number = int(text.strip())
    except ValueError:
        raise _invalid(name, _("Give a whole number.")) from None
    if not low <= number <= high:
        raise _invalid(
            name, _("Give a number from %(low)d to %(high)d.") % {"low": low, "high": high}
        )
    return number


def _boolean(params: Any, name: str) -> bool:
    text = params.get(name)
    if text is None:
        return False
    if text.strip().lower() in ("true", "1"):
        return True
    if text.strip().lower() in ("false", "0"):
        return False
    raise _invalid(name, _("Give true or false."))


def _uuid(params: Any, name: str) -> uuid.UUID | None:
    text = params.get(name)
    if text is None:
        return None
    try:
        return uuid.UUID(text.strip())
    except ValueError:
        raise _invalid(name, _("Give an HSDS id (a UUID).")) from None


def _datetime(params: Any, name: str) -> datetime | None:
    text = params.get(name)
    if text is None:
        return None
    text = text.strip()
    try:
        moment = parse_datetime(text)
        if moment is None:
            day = parse_date(text)
            moment = datetime.combine(day, time()) if day is not None else None
    except ValueError:
        moment = None
    if moment is None:
        raise _invalid(
            name,
            _("Give a date and time such as 2026-10-01T09:30:00Z, or a date such as 2026-10-01."),
        )
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=UTC)  # HSDS writes its times in UTC
    return moment


def _text(params: Any, name: str, longest: int) -> str:
    text = (params.get(name) or "").strip()
    if len(text) > longest:
        raise _invalid(name, _("Give at most %(count)d characters.") % {"count": longest})
    # Control characters are no search, and NUL is refused by PostgreSQL: a 400, not a 500.
    if any(unicodedata.category(character) == "Cc" for character in text):
        raise _invalid(name, _("Give text without control characters."))
    return text


def _proximity(params: Any) -> float | None:
    text = params.get("proximity")
    if text is None:
        return None
    try:
        metres = float(text.strip())
    except ValueError:
        metres = math.nan
    if not (math.isfinite(metres) and 0 < metres <= PROXIMITY_MAX):
        raise _invalid(
            "proximity",
            _("Give a distance in metres, more than 0 and at most %(most)d.")
            % {"most": int(PROXIMITY_MAX)},
        )
    return metres


def _check_known(params: Any, allowed: Iterable[str]) -> None:
    known = {*allowed, "format"}  # every path takes HSDS's `format`
    unknown = sorted(name for name in params if name not in known)
    if unknown:
        raise _invalid(
            unknown[0],
            _("This list does not take this parameter; it takes: %(names)s.")
            % {"names": ", ".join(sorted(known))},
        )
    if params.get("format", "json").strip().lower() != "json":
        raise _invalid("format", _("Only json is offered."))


def read_filters(params: Any, allowed: Iterable[str]) -> HsdsFilters:
    """The filters among `allowed` that the request gives, checked (400 otherwise)."""
    allowed = set(allowed)
    _check_known(params, allowed)
    search = _text(params, "search", SEARCH_MAX)
    words = tuple(dict.fromkeys(search.split()))
    if len(words) > WORDS_MAX:
        raise _invalid("search", _("Give at most %(count)d words.") % {"count": WORDS_MAX})
    postcode = _text(params, "postcode", POSTCODE_MAX)
    proximity = _proximity(params)
    if proximity is not None and not postcode:
        raise _invalid("proximity", _("Give a postcode to measure the distance from."))
    return HsdsFilters(
        words=words,
        taxonomy_term_id=_uuid(params, "taxonomy_term_id"),
        taxonomy_id=_uuid(params, "taxonomy_id"),
        organization_id=_uuid(params, "organization_id"),
        modified_after=_datetime(params, "modified_after"),
        postcode=postcode,
        proximity=proximity,
        parent_id=_uuid(params, "parent_id"),
        top_only=_boolean(params, "top_only"),
    )


# --- the views ------------------------------------------------------------------------------


@extend_schema(exclude=True)
class HsdsView(APIView):
    """Every HSDS endpoint: JSON only, open to anyone the policy lets read the directory."""

    permission_classes = [permissions.AllowAny]
    renderer_classes = [JSONRenderer]
    content_negotiation_class = JsonOnly
    network: Network

    def get_authenticate_header(self, request: Request) -> str:
        return authenticate_header(self, request)

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # authentication first: tokens count too
        self.network = hsds_network(request, kwargs["network"])


class RootView(HsdsView):
    """GET /: this API's HSDS version, profile and OpenAPI document."""

    def get(self, request: Request, network: str) -> Response:
        _check_known(request.query_params, ())
        return Response(
            {"version": HSDS_VERSION, "profile": PROFILE_URL, "openapi_url": OPENAPI_URL}
        )


@dataclass(frozen=True)
class Listing:
    """How a paginated path reads its parameters and shapes its items."""

    parameters: tuple[str, ...]
    shape: Callable[[Any], Shape]
    minimal: bool = False  # whether the path takes `minimal`


def _service_shape(params: Any) -> Shape:
    return DOCUMENTS["service" if _boolean(params, "full") else "service_list"][0]


def _organization_shape(params: Any) -> Shape:
    full_service = _boolean(params, "full_service")
    if full_service or _boolean(params, "full"):
        return selectors.organization_shape(full_services=full_service)
    return DOCUMENTS["organization_list"][0]


def _service_at_location_shape(params: Any) -> Shape:
    kind = "service_at_location" if _boolean(params, "full") else "service_at_location_list"
    return DOCUMENTS[kind][0]


SERVICE_FILTERS: tuple[str, ...] = (
    "search",
    "taxonomy_term_id",
    "taxonomy_id",
    "organization_id",
    "modified_after",
    "postcode",
    "proximity",
)


class ListView(HsdsView):
    listing: ClassVar[Listing]

    def get(self, request: Request, network: str) -> Response:
        params = request.query_params
        filters = read_filters(params, (*self.listing.parameters, *PAGING))
        shape = self.listing.shape(params)
        minimal = self.listing.minimal and _boolean(params, "minimal")
        page_number = _integer(params, "page", 1, 1, PAGE_MAX)
        per_page = _integer(params, "per_page", PER_PAGE_DEFAULT, 1, PER_PAGE_MAX)
        try:
            page = selectors.hsds_api_page(
                network=self.network,
                shape=shape,
                filters=filters,
                page_number=page_number,
                per_page=per_page,
                minimal=minimal,
            )
        except UnknownPostcode:
            raise _invalid(
                "postcode", _("No place in this directory has this postcode to measure from.")
            ) from None
        return Response(page)


class ServiceListView(ListView):
    listing = Listing((*SERVICE_FILTERS, "full", "minimal"), _service_shape, minimal=True)


class OrganizationListView(ListView):
    listing = Listing(("search", "full", "full_service"), _organization_shape)


class ServiceAtLocationListView(ListView):
    listing = Listing((*SERVICE_FILTERS, "full"), _service_at_location_shape)


class TaxonomyListView(ListView):
    listing = Listing(("search",), lambda params: DOCUMENTS["taxonomy"][0])


class TaxonomyTermListView(ListView):
    listing = Listing(
        ("search", "taxonomy_id", "top_only", "parent_id"),
        lambda params: DOCUMENTS["taxonomy_term"][0],
    )


class DetailView(HsdsView, ABC):
    parameters: ClassVar[tuple[str, ...]] = ()

    @abstractmethod
    def shape(self, params: Any) -> Shape:
        """The document shape this path answers with, given its query parameters."""

    def get(self, request: Request, network: str, id: str) -> Response:
        _check_known(request.query_params, self.parameters)
        shape = self.shape(request.query_params)
        try:
            wanted = uuid.UUID(id)
        except ValueError:
            raise exceptions.NotFound from None  # no HSDS id: nothing has it
        document = selectors.hsds_api_document(network=self.network, shape=shape, id=wanted)
        if document is None:
            raise exceptions.NotFound
        return Response(document)


class ServiceDetailView(DetailView):
    def shape(self, params: Any) -> Shape:
        return DOCUMENTS["service"][0]


class OrganizationDetailView(DetailView):
    parameters = ("full_service",)

    def shape(self, params: Any) -> Shape:
        return selectors.organization_shape(full_services=_boolean(params, "full_service"))


class ServiceAtLocationDetailView(DetailView):
    def shape(self, params: Any) -> Shape:
        return DOCUMENTS["service_at_location"][0]


class TaxonomyDetailView(DetailView):
    def shape(self, params: Any) -> Shape:
        return DOCUMENTS["taxonomy"][0]


class TaxonomyTermDetailView(DetailView):
    def shape(self, params: Any) -> Shape:
        return DOCUMENTS["taxonomy_term"][0]
