"""How a page finds the network and the viewer's membership. Every network page starts here,
so an outsider gets the same 404 as for a network that does not exist."""

from dataclasses import dataclass
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from sameboat.accounts.mfa import require_mfa_if_needed
from sameboat.networks.models import Member, Network


@dataclass(frozen=True, slots=True)
class NetworkAccess:
    network: Network
    member: Member


def network_access(request: HttpRequest, slug: str) -> NetworkAccess:
    """The network by its slug and the viewer's active membership in it, or 404."""
    if not request.user.is_authenticated:
        raise Http404
    member = (
        Member.objects.select_related("user", "network")
        .filter(network__slug=slug, user=request.user, is_active=True)
        .first()
    )
    if member is None:
        raise Http404
    # A leader the network requires two-factor authentication of, without it, goes no further.
    require_mfa_if_needed(member)
    return NetworkAccess(network=member.network, member=member)


def render_network_page(
    request: HttpRequest,
    access: NetworkAccess,
    template: str,
    context: dict[str, Any],
    status: int = 200,
) -> HttpResponse:
    """Every network page gets the network and the viewer, which base.html uses for the nav."""
    return render(
        request,
        template,
        {"network": access.network, "viewer": access.member, **context},
        status=status,
    )
