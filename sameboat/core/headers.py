"""Response headers Django does not send by itself.

Django's SecurityMiddleware sends HSTS, X-Content-Type-Options, Referrer-Policy and
Cross-Origin-Opener-Policy, and its ContentSecurityPolicyMiddleware the CSP; this adds
Permissions-Policy (the browser features no page of ours uses, refused to every frame and
script: settings.PERMISSIONS_POLICY) and Cross-Origin-Resource-Policy (another site cannot
embed our responses: settings.CROSS_ORIGIN_RESOURCE_POLICY).
"""

from collections.abc import Callable, Mapping, Sequence

from django.conf import settings
from django.http import HttpRequest, HttpResponse


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
        return response
