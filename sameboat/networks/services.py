"""Writes for networks, memberships and invitations."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from sameboat.accounts.models import User
from sameboat.ledger.models import Account
from sameboat.networks.defaults import DEFAULT_CATEGORIES
from sameboat.networks.models import (
    AreaKind,
    Category,
    Invitation,
    Member,
    Network,
    Role,
    ServiceArea,
)
from sameboat.networks.selectors import SESSION_INVITATION, SESSION_JOIN, signup_target


@transaction.atomic
def network_create(
    *, slug: str, name: str, description: str = "", open_signup: bool = False
) -> Network:
    """Create a network with the default category tree."""
    if Network.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": _("A network with this short name already exists.")})
    network = Network.objects.create(
        slug=slug, name=name, description=description, open_signup=open_signup
    )
    for slug_, label, children in DEFAULT_CATEGORIES:
        parent = Category.objects.create(network=network, slug=slug_, name=_(label))
        Category.objects.bulk_create(
            Category(network=network, parent=parent, slug=child_slug, name=_(child_label))
            for child_slug, child_label in children
        )
    return network


def service_area_create(
    *, network: Network, name: str, kind: AreaKind, parent: ServiceArea | None = None
) -> ServiceArea:
    if parent is not None and parent.network_id != network.pk:
        raise ValidationError({"parent": _("That area belongs to another network.")})
    area, _created = ServiceArea.objects.get_or_create(
        network=network, parent=parent, name=name, defaults={"kind": kind}
    )
    return area


@transaction.atomic
def member_add(*, network: Network, user: User, role: Role = Role.MEMBER) -> Member:
    """Make a person a member of a network (with a ledger account), or return the membership
    they already have."""
    member, created = Member.objects.get_or_create(
        network=network, user=user, defaults={"role": role}
    )
    if created:
        Account.objects.create(network=network, member=member)
    elif not member.is_active:
        member.is_active = True
        member.save(update_fields=["is_active"])
    return member


def network_join(*, network: Network, user: User) -> Member:
    """Join a network that is open to anyone."""
    if not network.open_signup:
        raise ValidationError(_("This network takes new members by invitation only."))
    return member_add(network=network, user=user)


def invitation_create(
    *, network: Network, by: Member, email: str = "", role: Role = Role.MEMBER
) -> Invitation:
    if by.network_id != network.pk:
        raise ValidationError(_("You can only invite people into your own network."))
    if role == Role.ADMIN and by.role != Role.ADMIN:
        raise ValidationError({"role": _("Only an admin can invite another admin.")})
    return Invitation.objects.create(
        network=network, created_by=by, email=email.strip().lower(), role=role
    )


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> Member:
    """Use an invitation: the person becomes a member with the invited role."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_usable:
        raise ValidationError(_("This invitation has expired or has already been used."))
    if invitation.email and invitation.email != user.email.lower():
        raise ValidationError(_("This invitation was sent to a different email address."))
    try:
        member = member_add(network=invitation.network, user=user, role=Role(invitation.role))
    except IntegrityError as error:  # a concurrent join; the membership exists
        raise ValidationError(_("You are already a member of this network.")) from error
    invitation.accepted_by = member
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_by", "accepted_at"])
    return member


def member_set_role(*, member: Member, role: Role, by: Member) -> Member:
    if by.network_id != member.network_id or by.role != Role.ADMIN:
        raise ValidationError(_("Only an admin of this network can change roles."))
    if member.pk == by.pk and role != Role.ADMIN:
        remaining = Member.objects.filter(network_id=member.network_id, role=Role.ADMIN).count()
        if remaining <= 1:
            raise ValidationError(_("A network needs at least one admin."))
    member.role = role
    member.save(update_fields=["role"])
    return member


@transaction.atomic
def member_update(
    *,
    member: Member,
    service_area: ServiceArea | None,
    helps_with: list[Category],
) -> Member:
    """Set what is network-specific in a member's profile: where they are, what they help with."""
    if service_area is not None and service_area.network_id != member.network_id:
        raise ValidationError({"service_area": _("That area belongs to another network.")})
    if any(category.network_id != member.network_id for category in helps_with):
        raise ValidationError({"helps_with": _("That category belongs to another network.")})
    member.service_area = service_area
    member.save(update_fields=["service_area"])
    member.helps_with.set(helps_with)
    return member


def signup_join(*, request: HttpRequest, user: User) -> Member | None:
    """After signup, join the network the person signed up toward (see `signup_target`)."""
    target = signup_target(request)
    request.session.pop(SESSION_INVITATION, None)
    request.session.pop(SESSION_JOIN, None)
    if isinstance(target, Invitation):
        return invitation_accept(invitation=target, user=user)
    if isinstance(target, Network):
        return network_join(network=target, user=user)
    return None
