"""Reads for networks and memberships."""

from django.db.models import OuterRef, QuerySet, Subquery
from django.http import HttpRequest

from sameboat.accounts.models import User
from sameboat.networks.models import Category, Invitation, Member, Network, ServiceArea


def networks_of(*, user: User) -> QuerySet[Network]:
    return Network.objects.filter(members__user=user, members__is_active=True).distinct()


def networks_with_role(*, user: User) -> QuerySet[Network]:
    """The person's networks, each with their role there as `my_role`, in one query."""
    memberships = Member.objects.filter(network=OuterRef("pk"), user=user, is_active=True)
    role = memberships.values("role")[:1]
    return networks_of(user=user).annotate(my_role=Subquery(role)).order_by("name", "id")


def networks_open_to_join(*, user: User) -> QuerySet[Network]:
    return Network.objects.filter(open_signup=True).exclude(members__user=user)


def categories_of(*, network: Network) -> QuerySet[Category]:
    return (
        Category.objects.filter(network=network)
        .select_related("parent")
        .order_by("parent__name", "name")
    )


def areas_of(*, network: Network) -> QuerySet[ServiceArea]:
    return ServiceArea.objects.filter(network=network).select_related("parent")


def members_of(*, network: Network) -> QuerySet[Member]:
    return (
        Member.objects.filter(network=network, is_active=True)
        .select_related("user", "service_area")
        .order_by("user__display_name", "id")
    )


# Signup is allowed only toward a network: by an invitation, or into an open network. The
# invitation page or the join page puts the target in the session before signup.
SESSION_INVITATION = "sameboat_invitation"
SESSION_JOIN = "sameboat_join_network"


def signup_target(request: HttpRequest) -> Invitation | Network | None:
    token = request.session.get(SESSION_INVITATION)
    if token:
        invitation = Invitation.objects.select_related("network").filter(token=token).first()
        if invitation is not None and invitation.is_usable:
            return invitation
    slug = request.session.get(SESSION_JOIN)
    if slug:
        return Network.objects.filter(slug=slug, open_signup=True).first()
    return None
