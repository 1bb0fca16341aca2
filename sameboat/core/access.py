"""How a page finds the network and the viewer's membership. Every network page starts here,
so an outsider gets the same 404 as for a network that does not exist."""

from dataclasses import dataclass

from django.http import Http404, HttpRequest

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
    return NetworkAccess(network=member.network, member=member)
