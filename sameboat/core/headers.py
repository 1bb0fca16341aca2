"""Response headers Django does not send by itself.

Django's SecurityMiddleware sends HSTS, X-Content-Type-Options, Referrer-Policy and
Cross-Origin-Opener-Policy, and its ContentSecurityPolicyMiddleware the CSP; this adds
Permissions-Policy (the browser features no page of ours uses, refused to every frame and
script: settings.PERMISSIONS_POLICY) and Cross-Origin-Resource-Policy (another site cannot
embed our responses: settings.CROSS_ORIGIN_RESOURCE_POLICY).

It also keeps private pages out of the browser's cache (ASVS 8.2.1): on a shared computer the
next person could otherwise bring a page back with the Back button after the owner logged out.
Every response to a signed-in request (a session, or an API token DRF accepted) is sent with
`Cache-Control: no-store` unless its view chose its own Cache-Control; static files never
reach the authentication middleware, so they stay cacheable. The response to a logout tells
the browser to drop what it kept of the site (Clear-Site-Data).

API responses in JSON say they are a file of data, `Content-Disposition: inline;
filename="api.json"` (ASVS 14.4.2), so a browser led to one never takes it for a page of the
site; a response that names its own file (an export, the OpenAPI schema) keeps its header. The
API's HTML pages (the docs, DRF's browsable view) are pages, and are left alone.
"""

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_out
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

# Not "cookies": the session is already ended on the server, and clearing cookies would also
# drop the message the logout (or an erasure) leaves for the next page ("Your account is
# erased.") and the reader's language choice.
CLEAR_SITE_DATA = '"cache", "storage"'
# Set on the request by the logout signal, read on the way out by the middleware.
LOGGED_OUT = "_sameboat_logged_out"


@receiver(user_logged_out, dispatch_uid="sameboat.core.headers.mark_logged_out")
def mark_logged_out(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    """Whatever logged the person out (allauth's logout view, an erasure...), the response
    to that request clears the browser's copy of the site."""
    if request is not None:
        setattr(request, LOGGED_OUT, True)


def signed_in(request: HttpRequest) -> bool:
    """Whether the request was made by someone signed in. Read after the view ran, so that an
    API token DRF authenticated counts (DRF sets the user on the Django request too)."""
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


API_PREFIX = "/api/"


def api_disposition(content_type: str) -> str | None:
    """The Content-Disposition for an API response of this type; None for a page."""
    media_type = content_type.split(";", 1)[0].strip().lower()
    if media_type == "application/json" or media_type.endswith("+json"):
        return 'inline; filename="api.json"'
    return None


def permissions_policy(features: Mapping[str, Sequence[str]]) -> str:
    """`{"camera": [], "fullscreen": ["self"]}` -> `camera=(), fullscreen=(self)`."""
    return ", ".join(
        f"{feature}=({' '.join(allowed)})" for feature, allowed in sorted(features.items())
    )


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.permissions_policy = permissions_policy(getattr(settings, "PERMISSIONS_POLICY", {}))
        self.resource_policy: str = getattr(settings, "CROSS_ORIGIN_RESOURCE_POLICY", "")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.permissions_policy:
            response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        if self.resource_policy:
            response.headers.setdefault("Cross-Origin-Resource-Policy", self.resource_policy)
        if request.path_info.startswith(API_PREFIX):
            disposition = api_disposition(response.get("Content-Type", ""))
            if disposition is not None:
                response.headers.setdefault("Content-Disposition", disposition)
        logged_out = getattr(request, LOGGED_OUT, False)
        if logged_out:
            response.headers["Clear-Site-Data"] = CLEAR_SITE_DATA
        if (logged_out or signed_in(request)) and not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        return response
