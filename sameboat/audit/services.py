"""Writing to the audit log: `audit_record`, one INSERT, called by the features.

Callers pass codes and ids, never personal data: `action` is a dotted code
("privacy.export", "roles.change", "confidential.view"), `target` names the record
("user:12", "group:5") and `detail` holds more ids and codes. The function checks that
shape: a name, an email address or a free text in `detail` is refused. In development and
tests a refused record raises ValueError, so the mistake is found before it ships; in
production the event is still written, with the offending values replaced, and a warning
is logged, because a view must never break for its audit line.

What is stored about the request: its id (the `X-Request-ID` header a proxy sets, or one
made here and shared by every event of that request) and the client's address cut to its
network part (/24 for IPv4, /48 for IPv6): enough to see a pattern of abuse, not enough to
find a household.
"""

import ipaddress
import logging
import re
import uuid
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest

from sameboat.audit.models import AuditEvent

if TYPE_CHECKING:
    from rest_framework.request import Request

    from sameboat.accounts.models import User
    from sameboat.networks.models import Network

    AnyRequest = HttpRequest | Request

logger = logging.getLogger(__name__)

ACTION_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
TARGET_RE = re.compile(r"^[a-z][a-z0-9_.]*:[A-Za-z0-9_.\-]{1,60}$")
DETAIL_KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
# Codes, numbers, ids, ISO times, slugs: no spaces, no "@", nothing a person wrote.
DETAIL_TEXT_RE = re.compile(r"^[A-Za-z0-9_.:+\-/]{0,100}$")
REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._\-]{1,64}$")
MAX_LIST = 100
MAX_DEPTH = 3
REDACTED = "redacted"


# The request being served, set by AuditContextMiddleware: a service that records an event
# without being handed the request still gets its id and network address.
current_request: ContextVar[HttpRequest | None] = ContextVar("audit_request", default=None)


# Answers that refuse a signed-in person something: a 403, or a 404 from a route that exists
# (an id that is not theirs to know of: another network's, or inside a confidential group).
DENIED_STATUSES = frozenset({403, 404})


class AuditContextMiddleware:
    """Makes the current request known to `audit_record` for the length of the request, and
    records each access a signed-in person was refused (ASVS 7.2.2): someone walking ids
    they may not see shows up in their network's log."""

    def __init__(self, get_response: Callable[[HttpRequest], Any]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> Any:
        token = current_request.set(request)
        try:
            response = self.get_response(request)
            if response.status_code in DENIED_STATUSES:
                access_denied_record(request, response.status_code)
            return response
        finally:
            current_request.reset(token)


def access_denied_record(request: HttpRequest, status: int) -> None:
    """One `access.denied` event: the route's name, the method, the status and the ids in
    the path; nothing for anonymous callers (bots knock all day; logins are logged apart) or
    for paths that match no route."""
    from sameboat.networks.models import Network

    user = getattr(request, "user", None)
    match = request.resolver_match
    if user is None or not user.is_authenticated or match is None:
        return
    ids = {key: value for key, value in match.kwargs.items() if isinstance(value, int)}
    slug = match.kwargs.get("network") or match.kwargs.get("network_slug")
    network = Network.objects.filter(slug=slug).first() if isinstance(slug, str) else None
    route = (match.view_name or "")[:100]
    audit_record(
        action="access.denied",
        network=network,
        actor=user,
        target=f"route:{route.replace(':', '.')}"[:60] if route else "",
        detail={"method": request.method or "", "status": status, **ids},
    )


class AuditShapeError(ValueError):
    """An audit record would have held something other than ids and codes."""


def audit_record(
    *,
    action: str,
    network: "Network | None" = None,
    actor: "User | None" = None,
    target: str = "",
    detail: Mapping[str, object] | None = None,
    request: "AnyRequest | None" = None,
) -> None:
    """Append one event to the audit log (one INSERT).

    `actor` defaults to the logged-in user of the `request` passed in (not of the request
    merely being served: a service passing no actor means "the system"). Outside a
    transaction a database error is logged, not raised; inside one it is raised, so a change
    whose audit line cannot be written is rolled back with it rather than left unaudited.
    """
    if not ACTION_RE.fullmatch(action) or len(action) > 64:
        raise AuditShapeError(f"audit action must be a dotted lower-case code, got {action!r}")
    problems: list[str] = []
    if target and not TARGET_RE.fullmatch(target):
        problems.append("target")
        target = REDACTED
    clean_detail = _clean(dict(detail or {}), problems, depth=0)
    if problems:
        message = f"audit record {action!r} refused values in: {', '.join(problems)}"
        if settings.DEBUG or getattr(settings, "TESTING", False):
            raise AuditShapeError(message)
        logger.warning(message)
        clean_detail = {**clean_detail, "redacted": True}
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            actor = user
    served: AnyRequest | None = request if request is not None else current_request.get()
    event = AuditEvent(
        network=network,
        network_ref=network.pk if network is not None else None,
        actor=actor,
        actor_ref=actor.pk if actor is not None else None,
        action=action,
        target=target,
        detail=clean_detail,
        ip=client_network(served),
        request_id=request_id(served),
    )
    try:
        event.save(force_insert=True)
    except DatabaseError:
        if connection.in_atomic_block:
            raise
        logger.exception("audit record %s could not be written", action)


def _clean(value: dict[str, Any], problems: list[str], *, depth: int) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    for key, item in value.items():
        if not isinstance(key, str) or not DETAIL_KEY_RE.fullmatch(key):
            problems.append("a detail key")  # not repeated: it might be the personal datum
            continue
        cleaned[key] = _clean_value(item, problems, key=key, depth=depth)
    return cleaned


def _clean_value(item: object, problems: list[str], *, key: str, depth: int) -> object:
    if item is None or isinstance(item, bool | int):
        return item
    if isinstance(item, float):
        return item if item == item and abs(item) != float("inf") else None
    if isinstance(item, str):
        if DETAIL_TEXT_RE.fullmatch(item):
            return item
        problems.append(f"detail[{key!r}]")
        return REDACTED
    if depth >= MAX_DEPTH:
        problems.append(f"detail[{key!r}] too deep")
        return REDACTED
    if isinstance(item, Mapping):
        return _clean(dict(item), problems, depth=depth + 1)
    if isinstance(item, list | tuple | set | frozenset):
        items = list(item)
        if len(items) > MAX_LIST:
            problems.append(f"detail[{key!r}] too long")
            items = items[:MAX_LIST]
        return [_clean_value(each, problems, key=key, depth=depth + 1) for each in items]
    problems.append(f"detail[{key!r}] of type {type(item).__name__}")
    return REDACTED


def audit_view(
    *, request: "AnyRequest", network: "Network", target: str, what: str, **ids: int
) -> None:
    """Someone read a confidential record: `what` says which kind ("group", "session_record",
    "check_ins", "goals", "referral"...), `target` which one, `ids` any more ids."""
    audit_record(
        action="confidential.view",
        network=network,
        target=target,
        detail={"what": what, **ids},
        request=request,
    )


def client_network(request: "AnyRequest | None") -> str:
    """The client's address with its host part cut off: 203.0.113.0, 2001:db8:1::.

    Behind proxies (REST_FRAMEWORK's NUM_PROXIES, as DRF's throttles count) the address is
    read from X-Forwarded-For that many hops from the right, never one the client made up."""
    if request is None:
        return ""
    raw = str(request.META.get("REMOTE_ADDR") or "").strip()
    proxies = int(getattr(settings, "REST_FRAMEWORK", {}).get("NUM_PROXIES") or 0)
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR") or "")
    if proxies > 0 and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",")]
        raw = hops[-min(proxies, len(hops))]
    try:
        address = ipaddress.ip_address(raw)
    except ValueError:
        return ""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    prefix = 24 if address.version == 4 else 48
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False).network_address)


def request_id(request: "AnyRequest | None") -> str:
    """The request's id: the proxy's X-Request-ID when it looks like one, else a new uuid,
    kept on the request so every event of one request shares it."""
    if request is None:
        return ""
    request = getattr(request, "_request", request)  # DRF's Request wraps Django's
    known = getattr(request, "_audit_request_id", None)
    if isinstance(known, str):
        return known
    header = str(request.headers.get("X-Request-ID", "")).strip()
    value = header if REQUEST_ID_RE.fullmatch(header) else uuid.uuid4().hex
    setattr(request, "_audit_request_id", value)  # noqa: B010 (not a declared attribute)
    return value
